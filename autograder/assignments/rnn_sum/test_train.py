"""Task `train`: plain SGD on BIAS, WEIGHTF, WEIGHTS, one loss per epoch.

`train` runs with reference versions of `cell`, `batched_model` and `partial_sum_loss`, so only
its own mistakes cost its points.  The graders set the starting values themselves (train_start
in course_config.py): from the tutorial's random start plain SGD does not always converge.

Checks (the first three shared by every assignment's `train`, ``autograder.grading.training.train_task``):
it returns one Python float per epoch; it calls `batched_model` and `partial_sum_loss` once per
epoch; a short run follows plain SGD step by step (the loss before each step, and the parameters
after), so a missing ``zero_grad``, a wrong learning rate or a wrong optimizer shows; a full run
converges to BIAS=0, WEIGHTF=1, WEIGHTS=1.

PYTEST_DONT_REWRITE: the assert messages are what the student reads.
"""

from autograder.assignments.rnn_sum import ASSIGNMENT, SETTINGS
from autograder.assignments.rnn_sum import reference as ref
from autograder.grading import training

TASK = "train"
USES = ["cell", "batched_model", "partial_sum_loss"]

_train = training.train_task(
    ASSIGNMENT,
    TASK,
    ref,
    SETTINGS,
    uses=USES,
    once_per_epoch=["batched_model", "partial_sum_loss"],
    target=ref.partial_sums,
)
cases, program, details, reference = _train.cases, _train.program, _train.details, _train.reference

test_returns_one_float_per_epoch = _train.test_returns_one_float_per_epoch
test_calls_batched_model_and_partial_sum_loss_once_per_epoch = _train.test_calls_once_per_epoch
test_follows_plain_sgd_step_by_step = _train.test_follows_plain_sgd_step_by_step


def allowance(cases, params):
    """How much of the convergence check's allowance trained parameters use (1.0: the limit)."""
    far = max(abs(p - t) for p, t in zip(params, SETTINGS["train_target"]))
    return far / SETTINGS["train_tolerance"]


def test_converges_to_the_adding_cell(cases, observed):
    full = _train.full_run(cases, observed)
    if full is None:
        return  # reported by the first check
    call, params = full
    tolerance, targets = SETTINGS["train_tolerance"], SETTINGS["train_target"]
    far = [
        f"{name} ended at {g:.4g}"
        for name, g, target in zip(ref.PARAM_NAMES, params, targets)
        if not abs(g - target) <= tolerance
    ]
    assert not far, (
        f"{call}: expected every parameter within {tolerance} of {ref.params_text(targets)}, but {', '.join(far)}"
    )
