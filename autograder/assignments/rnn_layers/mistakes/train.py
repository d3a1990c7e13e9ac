"""rnn_layers: the known mistakes of `train` (the package's docstring says how they work)."""

from autograder.assignments.rnn_layers import reference as ref
from autograder.grading import train_mistakes

TUTORIAL_LR = 0.01  # the learning rate of the tutorial's own loop, which a train function may copy


# -- train -----------------------------------------------------------------------------------------
TRAIN = [
    train_mistakes.some_parameters(
        "train_over_layer_1_only",
        "Your `train` follows what SGD does over layer 1's parameters alone: "
        "which parameters does your optimizer update?",
        ref.loss_and_grad,
        update=(0, 1, 2),
    ),
    train_mistakes.never_cleared(
        "train_without_zero_grad",
        "Your `train` follows what SGD does when the gradients are never cleared: each step then uses "
        "the sum of every gradient so far. Where are they reset between epochs?",
        ref.loss_and_grad,
    ),
    train_mistakes.summed_loss(
        "train_summed_loss",
        "Your `train` minimises the sum of the squared errors, not their mean: its steps are as many "
        "times too large as there are elements, and training blows up.",
        ref.loss_and_grad,
    ),
    train_mistakes.fixed_learning_rate(
        "train_hard_coded_learning_rate",
        f"Your `train` follows SGD at a learning rate of {TUTORIAL_LR:g}, whatever `lr` it is given.",
        ref.loss_and_grad,
        TUTORIAL_LR,
    ),
    train_mistakes.adam(
        "train_with_adam",
        "Your `train` follows what Adam does, not plain SGD: which optimizer does the task ask for?",
        ref.loss_and_grad,
    ),
    train_mistakes.loss_after_the_update(
        "train_loss_after_the_step",
        "Your `train` records each epoch's loss after the update, computing it a second time: "
        "the list should hold the loss the update was computed from.",
        ref.loss_and_grad,
        ["model"],
    ),
    train_mistakes.tensors_not_floats(
        "train_losses_as_tensors",
        "Your `train` trains well but returns a list of tensors: it should hold Python floats "
        "(what does `.item()` give?).",
        ref.loss_and_grad,
    ),
]
