"""rnn_layers: the known mistakes of `train` (the package's docstring says how they work)."""

from autograder.assignments.rnn_layers import reference as ref
from autograder.assignments.rnn_layers.mistakes import train_losses as losses
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
    train_mistakes.never_moves(
        "optimizer_never_steps",
        "Your `train` never changes the parameters: every epoch's loss is the first one. Does your optimizer "
        "step in every epoch, and are the gradients still there when it does?",
    ),
    train_mistakes.other_loss(
        "loss_not_squared",
        "Your `train` minimises the mean of the errors, not of their squares: errors of both signs cancel, and "
        "the loss can fall without end. What does the task's loss do to each error?",
        losses.MEAN_ERROR,
        losses.MEAN_ERROR_THE_OTHER_WAY,
    ),
    train_mistakes.other_loss(
        "absolute_error_loss",
        "Your `train` minimises the mean absolute error: the task's loss is the mean squared error. "
        "What do you do to each error before the mean?",
        losses.MEAN_ABSOLUTE_ERROR,
    ),
    train_mistakes.other_loss(
        "target_taken_as_partial_sums",
        "Your `train` fits the partial sums of SIGNAL, not the `TARGET` it is given: what should the network's "
        "result be compared with?",
        losses.to_the_partial_sums,
    ),
    train_mistakes.momentum(
        "sgd_with_momentum",
        "Your `train` follows SGD with momentum: the task asks for plain SGD. What does your optimizer get "
        "besides the parameters and `lr`?",
        ref.loss_and_grad,
    ),
    train_mistakes.epochs_off_by_one(
        "epoch_count_off_by_one",
        "Your `train` returns one loss too few, or one too many, on every run: how many times does your "
        "loop over the `epochs` run?",
    ),
    train_mistakes.some_never_move(
        "optimizer_misses_parameters",
        "Your `train` trains some of the six parameters and leaves the others where they started: "
        "which parameters does your optimizer get?",
    ),
    train_mistakes.other_loss(
        "loss_averaged_over_samples_only",
        "Your `train` sums the squared errors over the frames and averages only over the samples: the loss and "
        "its steps are as many times too large as there are frames. What should the mean run over?",
        losses.SUMMED_OVER_FRAMES,
    ),
    train_mistakes.other_loss(
        "root_mean_squared_error_loss",
        "Your `train` minimises the square root of the mean squared error: the task's loss is the mean "
        "squared error itself. Where does your square root come in?",
        losses.ROOT_MEAN_SQUARED_ERROR,
    ),
    train_mistakes.step_before_backward(
        "step_before_backward",
        "Your `train` steps before it has the epoch's gradient: each step uses the gradient of the epoch "
        "before. In which order do `backward()` and the step come in an epoch?",
        ref.loss_and_grad,
    ),
    train_mistakes.one_loss_only(
        "only_the_last_loss_kept",
        "Your `train` returns a single loss where it trained many epochs: the list should hold each epoch's "
        "loss. Where is your list made, and when does each loss go in?",
    ),
]
