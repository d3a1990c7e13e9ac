"""Task `train`: plain SGD on the six parameters, one loss per epoch.

`train` runs with working `cell`, `layer` and `model`, so only its own mistakes cost its
points.  The graders set the starting values themselves (``train_start`` in course_config.py).

Checks (the first three shared by every assignment's `train`, ``autograder.grading.training.train_task``):
it returns one Python float per epoch; it calls `model` once per epoch; a short run follows plain
SGD step by step (the loss before each step, and the six parameters after), so a missing
``zero_grad``, a wrong learning rate or an optimizer over some of the parameters shows; a full
run converges.  Convergence is judged on what the trained network computes on signals it has not
seen (the sums of their partial sums) and on what training pins down, ``WEIGHT1F * WEIGHT2F``
near 1 and ``WEIGHT1S + WEIGHT2S`` near 2, never on one weight alone: swapping the state weights
changes nothing, and the loss is nearly flat along their sum.

PYTEST_DONT_REWRITE: the assert messages are what the student reads.
"""

from autograder.assignments.rnn_layers import ASSIGNMENT, SETTINGS
from autograder.assignments.rnn_layers import reference as ref
from autograder.grading import training

TASK = "train"
USES = ["cell", "layer", "model"]

_train = training.train_task(
    ASSIGNMENT,
    TASK,
    ref,
    SETTINGS,
    uses=USES,
    once_per_epoch=["model"],
    target=ref.sums_of_partial_sums,
    hint=" (does the optimizer update all six parameters?)",
)
cases, program, details, reference = _train.cases, _train.program, _train.details, _train.reference

test_returns_one_float_per_epoch = _train.test_returns_one_float_per_epoch
test_calls_model_once_per_epoch = _train.test_calls_once_per_epoch
test_follows_plain_sgd_step_by_step = _train.test_follows_plain_sgd_step_by_step


def _judged(cases, params):
    """(the trained network's error on the unseen signals, WEIGHT1F * WEIGHT2F, WEIGHT1S + WEIGHT2S)."""
    unseen = cases["unseen"]
    error = ref.mse(ref.model(params, unseen)[0], ref.sums_of_partial_sums(unseen))
    return error, params[1] * params[4], params[2] + params[5]


def allowance(cases, params):
    """How much of the convergence check's allowance trained parameters use (1.0: the limit)."""
    error, product, total = _judged(cases, params)
    tolerance = SETTINGS["train_invariant_tolerance"]
    return max(error / SETTINGS["train_unseen_mse"], abs(product - 1) / tolerance, abs(total - 2) / tolerance)


def test_the_trained_network_adds_up_the_partial_sums(cases, observed):
    full = _train.full_run(cases, observed)
    if full is None:
        return  # reported by the first check
    call, params = full
    error, product, total = _judged(cases, params)
    assert error <= SETTINGS["train_unseen_mse"], (
        f"{call}: on signals it was not trained on, the trained network's mean squared error is {error:.3g}, "
        f"expected at most {SETTINGS['train_unseen_mse']:g} (it ended at {ref.params_text(params)})"
    )
    tolerance = SETTINGS["train_invariant_tolerance"]
    assert abs(product - 1) <= tolerance and abs(total - 2) <= tolerance, (
        f"{call}: expected WEIGHT1F * WEIGHT2F within {tolerance:g} of 1 and WEIGHT1S + WEIGHT2S within "
        f"{tolerance:g} of 2, got {product:.4g} and {total:.4g}"
    )
