"""Task `partial_sum_loss`: the squared error averaged over every element.

Checks: the result is a 0-dim tensor; its value is the mean over all frames (and all samples
of a batch), so a summed loss or a mean over one dimension fails; it is zero when the result
equals the target; its gradient with respect to RESULT is ``2 * (RESULT - TARGET) /
RESULT.numel()``, so the loss stays differentiable.

PYTEST_DONT_REWRITE: the assert messages are what the student reads.
"""

from autograder.assignments.rnn_sum import ASSIGNMENT, SETTINGS
from autograder.assignments.rnn_sum import reference as ref
from autograder.grading import graders

TASK = "partial_sum_loss"
SHAPES = [(1,), (5,), (5, 3), (4, 7)]


def cases(seed=None):
    rng = ref.rng_for(TASK, seed)
    probes = []
    for shape in SHAPES:
        target = ref.uniform(rng, shape, 0, 3)
        probes.append(
            {
                "label": f"partial_sum_loss(RESULT, TARGET) for shape {shape}",
                "args": [ref.uniform(rng, shape, -1, 4), target],
                "grad": True,
                "grad_args": [0],
            }
        )
    same = ref.uniform(rng, (5, 3), 0, 3)
    probes.append({"label": "partial_sum_loss(TARGET, TARGET)", "args": [same, same]})
    return {"probes": probes}


def program(cases):
    return graders.probes_program(ASSIGNMENT, TASK, cases["probes"])


def test_is_the_mean_of_every_squared_error(cases, observed):
    for probe, got in zip(cases["probes"], observed["probes"], strict=True):
        value, _ = ref.partial_sum_loss(*probe["args"])
        message = ref.compare_values(probe["label"], got, [value], [], SETTINGS["rtol"], SETTINGS["atol"])
        assert message is None, message


def test_passes_its_gradient_back_to_the_result(cases, observed):
    for probe, got in zip(cases["probes"], observed["probes"], strict=True):
        if not probe.get("grad") or "error" in got:
            continue
        result, target = probe["args"]
        _, expected = ref.partial_sum_loss(result, target)
        grad = got.get("grad")
        assert not (grad is None or "error" in grad or grad["args"][0] is None), (
            f"{probe['label']}: the loss does not pass a gradient back to RESULT (does it stay a tensor?)"
        )
        message = ref.compare_values(
            f"{probe['label']}, gradient with respect to RESULT",
            grad["args"][0],
            expected,
            ref.shape_of(result),
            SETTINGS["grad_rtol"],
            SETTINGS["grad_atol"],
        )
        assert message is None, message
