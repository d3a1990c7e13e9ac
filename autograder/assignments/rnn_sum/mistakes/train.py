"""rnn_sum: the known mistakes of `train` (the package's docstring says how they work)."""

import math

from autograder.assignments.rnn_sum import reference as ref
from autograder.grading import train_mistakes
from autograder.grading.diagnosis import ANY, Mistake, behaves
from autograder.grading.training import returned_losses

TUTORIAL_LR = 0.01  # the learning rate of the tutorial's own loop, which a train function may copy


# -- train -----------------------------------------------------------------------------------------
TRAIN = [
    train_mistakes.never_cleared(
        "missing_zero_grad",
        "Your `train` follows what SGD does when the gradients are never cleared: each step then uses "
        "the sum of every gradient so far. Where are they reset between epochs?",
        ref.loss_and_grad,
    ),
    train_mistakes.other_learning_rates(
        "hard_coded_learning_rate",
        "Your `train` follows SGD at a learning rate of its own, whatever `lr` it is given: where does your "
        "optimizer get its learning rate?",
        ref.loss_and_grad,
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
    train_mistakes.never_moves(
        "optimizer_never_steps",
        "Your `train` leaves every parameter where it started, so every epoch's loss is the same: "
        "what in your loop changes the parameters, and is it called?",
    ),
    train_mistakes.some_never_move(
        "optimizer_missing_a_parameter",
        "Your `train` moves some parameters and leaves the others exactly where they started: "
        "is every parameter given to the optimizer?",
    ),
    train_mistakes.momentum(
        "sgd_with_momentum",
        "Your `train` follows SGD with momentum, not plain SGD: each step carries on part of the one before. "
        "Which settings did you give the optimizer?",
        ref.loss_and_grad,
    ),
    train_mistakes.one_loss_only(
        "only_last_loss_returned",
        "Your `train` returns a single loss where it trained for many epochs: the list should hold the loss "
        "of every epoch. Where is each one added to it?",
    ),
    train_mistakes.epochs_off_by_one(
        "epoch_count_off_by_one",
        "Your `train` runs one epoch more or fewer than `epochs` asks for: count the passes of your loop.",
    ),
    train_mistakes.in_place_on_a_leaf(
        "manual_update_outside_no_grad",
        "Your `train` changes the parameters in place where autograd follows them, and torch refuses: "
        "how can an update be made without autograd recording it?",
    ),
    train_mistakes.ascent(
        "gradient_ascent",
        "Your `train` moves the parameters along their gradient, uphill, so the loss grows: which way should "
        "a step of gradient descent go?",
        ref.loss_and_grad,
    ),
    train_mistakes.running_total(
        "losses_accumulated_across_epochs",
        "Your `train` trains well, but each entry of its list is the sum of the losses so far, not that "
        "epoch's loss: what is added to the list each epoch?",
        ref.loss_and_grad,
    ),
    train_mistakes.other_loss(
        "fits_only_the_final_sum",
        "Your `train` fits only the last frame's sum, the tutorial's first attempt that one target could not "
        "pin down: which states should the loss compare with their targets?",
        lambda params, signal, target: ref.loss_and_grad(params, signal, target, frames=[len(signal) - 1]),
    ),
    behaves(
        "parameters_restarted_in_train",
        "The first loss your `train` returns is not the loss at the parameters it was given: does it set "
        "the parameters anew before training, instead of starting from where they are?",
        lambda cases, observed: _starts_elsewhere(cases["short"], observed["probes"][0]),
    ),
    Mistake(
        "own_loss_not_partial_sum_loss",
        "Your `train` computes its loss without calling `partial_sum_loss`: use your loss function, "
        "so that training minimises what it computes.",
        lambda cases: {"probes": [{"calls": {"partial_sum_loss": 0}}, ANY]},
    ),
]


def _starts_elsewhere(run, got):
    """The first loss is not the loss at the start, though each epoch's loss is partial_sum_loss's
    (the graders' stand-in): training started from other values."""
    values = returned_losses(run, got)
    if not values or got["calls"].get("partial_sum_loss") != run["epochs"]:
        return False
    first, _ = ref.loss_and_grad(run["start"], run["signal"], run["target"])
    return not math.isclose(values[0], first, rel_tol=1e-3, abs_tol=1e-6)
