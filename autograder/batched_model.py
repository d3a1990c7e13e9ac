"""Task `batched_model`: the unroll for a batch, frames first and samples second.

Checks: a (frames, samples) signal gives a (frames, samples) result, for 1 frame,
1 sample and shapes that are not square (so swapped dimensions show); agreement
with ``SIGNAL.cumsum(0)`` at BIAS=0, WEIGHTF=WEIGHTS=1 and with the recurrence
at other values; gradients reach all three parameters.  It runs with a reference
`cell`, and one check counts that it calls `cell` once per frame.
"""

from autograder import reference as ref
from autograder.model import judge_unroll

TASK = "batched_model"
USES = ["cell"]
SHAPES = [(1, 1), (1, 4), (3, 1), (5, 3), (4, 7)]


def cases():
    rng = ref.rng_for(TASK)
    probes = []
    for params in [[0.0, 1.0, 1.0], ref.random_params(rng), ref.random_params(rng)]:
        for frames, samples in SHAPES:
            what = "the partial sums, SIGNAL.cumsum(0)" if params == [0.0, 1.0, 1.0] else "the recurrence"
            probes.append({
                "label": f"batched_model(SIGNAL) for SIGNAL of shape ({frames}, {samples}) "
                f"(frames, samples), {ref.params_text(params)} ({what})",
                "params": params,
                "args": [ref.uniform(rng, (frames, samples))],
                "grad": params != [0.0, 1.0, 1.0],
            })
    return {"probes": probes}


def observe(student, cases):
    batched_model = student.function("batched_model")
    student.install_reference(USES)
    return {"probes": [student.probe(batched_model, probe) for probe in cases["probes"]]}


def judge(cases, observed):
    return judge_unroll(cases, observed, "batched_model")
