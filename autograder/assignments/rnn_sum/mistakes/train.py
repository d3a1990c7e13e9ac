"""rnn_sum: the known mistakes of `train` (the package's docstring says how they work)."""

from autograder.assignments.rnn_sum import reference as ref
from autograder.grading import train_mistakes
from autograder.grading.diagnosis import ANY, Mistake

TUTORIAL_LR = 0.01  # the learning rate of the tutorial's own loop, which a train function may copy


# -- train -----------------------------------------------------------------------------------------
TRAIN = [
    train_mistakes.never_cleared(
        "missing_zero_grad",
        "Your `train` follows what SGD does when the gradients are never cleared: each step then uses "
        "the sum of every gradient so far. Where are they reset between epochs?",
        ref.loss_and_grad,
    ),
    train_mistakes.fixed_learning_rate(
        "hard_coded_learning_rate",
        f"Your `train` follows SGD at a learning rate of {TUTORIAL_LR:g}, whatever `lr` it is given.",
        ref.loss_and_grad,
        TUTORIAL_LR,
    ),
    train_mistakes.loss_after_the_update(
        "loss_after_step",
        "Your `train` records each epoch's loss after the update, computing it a second time: "
        "the list should hold the loss the update was computed from.",
        ref.loss_and_grad,
        ["batched_model", "partial_sum_loss"],
    ),
    train_mistakes.tensors_not_floats(
        "losses_as_tensors",
        "Your `train` trains well but returns a list of tensors: it should hold Python floats "
        "(what does `.item()` give?).",
        ref.loss_and_grad,
    ),
    train_mistakes.adam(
        "adam_instead_of_sgd",
        "Your `train` follows what Adam does, not plain SGD: which optimizer does the task ask for?",
        ref.loss_and_grad,
    ),
    train_mistakes.ignores_epochs(
        "ignores_epochs",
        "Your `train` runs the same number of epochs whatever `epochs` it is given.",
    ),
    Mistake(
        "own_loss_not_partial_sum_loss",
        "Your `train` computes its loss without calling `partial_sum_loss`: use your loss function, "
        "so that training minimises what it computes.",
        lambda cases: {"probes": [{"calls": {"partial_sum_loss": 0}}, ANY]},
    ),
]
