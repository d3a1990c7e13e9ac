"""Task `model`: unroll `cell` over a signal of any length and return every state.

Checks: shapes for signals of 1 to 13 frames; agreement with ``SIGNAL.cumsum(0)``
at BIAS=0, WEIGHTF=WEIGHTS=1; agreement with the linear recurrence at other
values (an unroll that bypasses `cell`, for example through cumsum, fails);
gradients reach all three parameters.  `model` runs with a reference `cell` in
place of the student's, so a broken `cell` costs only the task `cell`, and one
check counts that `model` calls `cell` once per frame.
"""

import course_config as config
from autograder import reference as ref

TASK = "model"
USES = ["cell"]


def cases():
    rng = ref.rng_for(TASK)
    probes = []
    for params in [[0.0, 1.0, 1.0], ref.random_params(rng), ref.random_params(rng)]:
        for frames in (1, 2, 5, 13):
            what = "the partial sums, SIGNAL.cumsum(0)" if params == [0.0, 1.0, 1.0] else "the recurrence"
            probes.append({
                "label": f"model(SIGNAL) for a signal of {frames} frame{'s' * (frames > 1)}, "
                f"{ref.params_text(params)} ({what})",
                "params": params,
                "args": [ref.uniform(rng, (frames,))],
                "grad": params != [0.0, 1.0, 1.0],
            })
    return {"probes": probes}


def observe(student, cases):
    model = student.function("model")
    student.install_reference(USES)
    return {"probes": [student.probe(model, probe) for probe in cases["probes"]]}


def judge(cases, observed):
    return judge_unroll(cases, observed, "model")


def judge_unroll(cases, observed, name):
    """Shared by `model` and `batched_model`: values, gradients and calls of `cell`."""
    messages = []
    for probe, got in zip(cases["probes"], observed["probes"], strict=True):
        signal = probe["args"][0]
        values, grads = ref.unroll(probe["params"], signal)
        message = ref.compare_values(
            probe["label"], got, ref.flat(values), ref.shape_of(values), config.RTOL, config.ATOL
        ) or ref.compare_param_grads(
            probe["label"], got.get("grad"), grads, config.GRAD_RTOL, config.GRAD_ATOL
        )
        if message is None and got["calls"]["cell"] != len(signal):
            message = (
                f"{probe['label']}: {name} called cell {got['calls']['cell']} times, "
                f"expected once per frame ({len(signal)} times): {name} must use your cell"
            )
        if message:
            messages.append(message)
    return messages
