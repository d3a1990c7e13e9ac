"""Task `partial_sum_loss`: the squared error averaged over every element.

Checks: the result is a 0-dim tensor; its value is the mean over all frames (and
all samples of a batch), so a summed loss or a mean over one dimension fails; it
is zero when the result equals the target; its gradient with respect to RESULT
is ``2 * (RESULT - TARGET) / RESULT.numel()``, so the loss stays differentiable.
"""

import course_config as config
from autograder import reference as ref
from autograder import tasks

TASK = "partial_sum_loss"
SHAPES = [(1,), (5,), (5, 3), (4, 7)]


def cases():
    rng = ref.rng_for(TASK)
    probes = []
    for shape in SHAPES:
        target = ref.uniform(rng, shape, 0, 3)
        probes.append({
            "label": f"partial_sum_loss(RESULT, TARGET) for shape {shape}",
            "args": [ref.uniform(rng, shape, -1, 4), target],
            "grad": True,
            "grad_args": [0],
        })
    same = ref.uniform(rng, (5, 3), 0, 3)
    probes.append({"label": "partial_sum_loss(TARGET, TARGET)", "args": [same, same]})
    return {"probes": probes}


def program(cases):
    return tasks.probes_program(TASK, cases["probes"])


def judge(cases, observed):
    messages = []
    for probe, got in zip(cases["probes"], observed["probes"], strict=True):
        result, target = probe["args"]
        value, grad = ref.partial_sum_loss(result, target)
        message = ref.compare_values(probe["label"], got, [value], [], config.RTOL, config.ATOL)
        if message is None and probe.get("grad"):
            message = _compare_grad(probe["label"], got.get("grad"), grad, ref.shape_of(result))
        if message:
            messages.append(message)
    return messages


def _compare_grad(label, got, expected, shape):
    if got is None or "error" in got or got["args"][0] is None:
        return f"{label}: the loss does not pass a gradient back to RESULT (does it stay a tensor?)"
    return ref.compare_values(
        f"{label}, gradient with respect to RESULT",
        got["args"][0], expected, shape, config.GRAD_RTOL, config.GRAD_ATOL,
    )
