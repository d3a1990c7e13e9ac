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
from autograder import tasks

TASK = "model"
USES = ["cell"]


SHAPES = [(1,), (2,), (5,), (13,)]


def cases():
    return unroll_cases(TASK, SHAPES, lambda shape: f"a signal of {shape[0]} frame{'s' * (shape[0] > 1)}")


def program(cases):
    return unroll_program(cases, TASK)


def judge(cases, observed):
    return judge_unroll(cases, observed, TASK)


# -- shared by `model` and `batched_model` ---------------------------------------
def unroll_cases(task, shapes, describe):
    """Probes of an unroll: every shape at the trained values (0, 1, 1), where the result is
    the partial sums, and at two random parameter sets, where gradients are checked too."""
    rng = ref.rng_for(task)
    probes = []
    for params in [[0.0, 1.0, 1.0], ref.random_params(rng), ref.random_params(rng)]:
        trained = params == [0.0, 1.0, 1.0]
        what = "the partial sums, SIGNAL.cumsum(0)" if trained else "the recurrence"
        for shape in shapes:
            probes.append({
                "label": f"{task}(SIGNAL) for {describe(shape)}, {ref.params_text(params)} ({what})",
                "params": params,
                "args": [ref.uniform(rng, shape)],
                "grad": not trained,
            })
    return {"probes": probes}


def unroll_program(cases, task):
    return tasks.probes_program(task, cases["probes"], uses=USES)


def judge_unroll(cases, observed, name):
    """Values, gradients, and one call of `cell` per frame."""
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
