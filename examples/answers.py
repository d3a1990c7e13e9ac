"""What students write: the master solutions, alternative correct answers, typical
mistakes, and ways a whole notebook can be broken.

Each answer is an edit of the master solution of one task, so it follows the
master notebook when that changes.  The demo's example class and the kit's tests
are built from these.
"""

import copy
import json
import os
from dataclasses import dataclass

import nbformat

from autograder.settings import ROOT
from examples import assignments


def source(assignment="rnn_sum"):
    return os.path.join(ROOT, "source", assignment, f"{assignment}.ipynb")


def release(assignment="rnn_sum"):
    return os.path.join(ROOT, "release", assignment, f"{assignment}.ipynb")


SOURCE = source("rnn_sum")
RELEASE = release("rnn_sum")


@dataclass(frozen=True)
class Edit:
    """One change to a student's solution cell: replace ``old`` by ``new`` in task's cell."""

    name: str
    task: str
    what: str
    old: str
    new: str


# Typical mistakes: each should cost the points of its task and nothing else.
MISTAKES = [
    Edit(
        "forgotten_bias",
        "cell",
        "the cell leaves out BIAS",
        "STATE = BIAS + FRAME * WEIGHTF + STATE * WEIGHTS",
        "STATE = FRAME * WEIGHTF + STATE * WEIGHTS",
    ),
    Edit(
        "swapped_weights",
        "cell",
        "the weights are swapped",
        "STATE = BIAS + FRAME * WEIGHTF + STATE * WEIGHTS",
        "STATE = BIAS + FRAME * WEIGHTS + STATE * WEIGHTF",
    ),
    Edit(
        "parameters_without_grad",
        "cell",
        "the parameters do not require gradients",
        "WEIGHTS = torch.randn((), requires_grad=True)",
        "WEIGHTS = torch.randn(())",
    ),
    Edit(
        "parameters_as_floats",
        "cell",
        "the parameters are Python floats",
        "BIAS = torch.randn((), requires_grad=True)",
        "BIAS = 0.0",
    ),
    Edit("only_final_state", "model", "model returns only the last state", "    return RESULT\n", "    return STATE\n"),
    Edit("fixed_length", "model", "model only works for 5 frames", "frames = SIGNAL.size(0)", "frames = 5"),
    Edit(
        "cumsum_bypasses_cell",
        "model",
        "model returns cumsum instead of unrolling the cell",
        "    return RESULT\n",
        "    return SIGNAL.cumsum(0)\n",
    ),
    Edit(
        "detached_state",
        "model",
        "the state is detached from the graph at every step",
        "STATE = cell(SIGNAL[frame], STATE)",
        "STATE = cell(SIGNAL[frame], STATE.detach())",
    ),
    Edit(
        "no_gradient_result",
        "model",
        "model builds its result under torch.no_grad()",
        "        RESULT[frame] = STATE\n",
        "        with torch.no_grad():\n            RESULT[frame] = STATE\n",
    ),
    Edit(
        "summed_loss",
        "partial_sum_loss",
        "the loss is summed, not averaged",
        "torch.square(RESULT - TARGET).mean()",
        "torch.square(RESULT - TARGET).sum()",
    ),
    Edit(
        "loss_mean_over_frames_only",
        "partial_sum_loss",
        "the loss averages over the first dimension only",
        "torch.square(RESULT - TARGET).mean()",
        "torch.square(RESULT - TARGET).mean(0)",
    ),
    Edit(
        "absolute_loss",
        "partial_sum_loss",
        "the loss uses absolute errors",
        "torch.square(RESULT - TARGET).mean()",
        "torch.abs(RESULT - TARGET).mean()",
    ),
    Edit(
        "loss_as_float",
        "partial_sum_loss",
        "the loss is returned as a Python float",
        "    return LOSS\n",
        "    return LOSS.item()\n",
    ),
    Edit(
        "loss_ignores_some_elements",
        "partial_sum_loss",
        "the loss compares the last states only, as the tutorial's first attempt did",
        "torch.square(RESULT - TARGET).mean()",
        "torch.square(RESULT[-1] - TARGET[-1]).mean()",
    ),
    Edit(
        "swapped_batch_dimensions",
        "batched_model",
        "samples first, frames second",
        "frames, samples = SIGNAL.size(0), SIGNAL.size(1)",
        "samples, frames = SIGNAL.size(0), SIGNAL.size(1)",
    ),
    Edit(
        "batched_state_detached",
        "batched_model",
        "the batched state is detached",
        "        RESULT[frame] = STATE\n",
        "        RESULT[frame] = STATE.detach()\n",
    ),
    Edit("missing_zero_grad", "train", "the gradients are never cleared", "        optimizer.zero_grad()\n", ""),
    Edit("hard_coded_learning_rate", "train", "the learning rate is fixed at 0.01", "lr=lr)", "lr=0.01)"),
    Edit(
        "loss_after_step",
        "train",
        "the loss is recorded after the update",
        "        LOSSES.append(LOSS.item())\n",
        "        LOSSES.append(partial_sum_loss(batched_model(SIGNAL), TARGET).item())\n",
    ),
    Edit(
        "losses_as_tensors",
        "train",
        "the list holds tensors, not floats",
        "LOSSES.append(LOSS.item())",
        "LOSSES.append(LOSS)",
    ),
    Edit("adam_instead_of_sgd", "train", "Adam instead of plain SGD", "torch.optim.SGD(", "torch.optim.Adam("),
    Edit(
        "ignores_epochs",
        "train",
        "trains for a fixed 100 epochs",
        "for epoch in range(epochs):",
        "for epoch in range(100):",
    ),
    Edit(
        "own_loss_not_partial_sum_loss",
        "train",
        "train computes the loss itself instead of calling partial_sum_loss",
        "LOSS = partial_sum_loss(batched_model(SIGNAL), TARGET)",
        "LOSS = torch.square(batched_model(SIGNAL) - TARGET).mean()",
    ),
    Edit(
        "state_weight_for_the_frame",
        "cell",
        "the frame is multiplied by the state's weight",
        "STATE = BIAS + FRAME * WEIGHTF + STATE * WEIGHTS",
        "STATE = BIAS + FRAME * WEIGHTS + STATE * WEIGHTS",
    ),
    Edit(
        "cell_ignores_the_state",
        "cell",
        "the cell leaves out the state",
        "STATE = BIAS + FRAME * WEIGHTF + STATE * WEIGHTS",
        "STATE = BIAS + FRAME * WEIGHTF",
    ),
    Edit(
        "parameters_with_a_shape",
        "cell",
        "a parameter has shape (1,)",
        "BIAS = torch.randn((), requires_grad=True)",
        "BIAS = torch.randn(1, requires_grad=True)",
    ),
    Edit(
        "state_reset_every_frame",
        "model",
        "each step starts again from a zero state",
        "STATE = cell(SIGNAL[frame], STATE)",
        "STATE = cell(SIGNAL[frame], torch.zeros(()))",
    ),
    Edit(
        "loss_not_squared",
        "partial_sum_loss",
        "the errors are averaged without squaring",
        "torch.square(RESULT - TARGET).mean()",
        "(RESULT - TARGET).mean()",
    ),
    Edit(
        "root_mean_square",
        "partial_sum_loss",
        "the square root of the mean squared error",
        "torch.square(RESULT - TARGET).mean()",
        "torch.sqrt(torch.square(RESULT - TARGET).mean())",
    ),
    Edit(
        "batched_only_final_state",
        "batched_model",
        "batched_model returns only the last states",
        "    return RESULT\n",
        "    return STATE\n",
    ),
    Edit(
        "batched_cumsum_bypasses_cell",
        "batched_model",
        "batched_model returns cumsum instead of unrolling the cell",
        "    return RESULT\n",
        "    return SIGNAL.cumsum(0)\n",
    ),
    Edit(
        "batched_detached_state",
        "batched_model",
        "the batched state is cut from the graph at every step",
        "STATE = cell(SIGNAL[frame], STATE)",
        "STATE = cell(SIGNAL[frame], STATE.detach())",
    ),
    Edit(
        "batched_state_reset_every_frame",
        "batched_model",
        "each step starts again from zero states",
        "STATE = cell(SIGNAL[frame], STATE)",
        "STATE = cell(SIGNAL[frame], torch.zeros(samples))",
    ),
]

# Other correct answers: each should get full points.
VARIANTS = [
    Edit(
        "stacked_states",
        "model",
        "collects the states in a list and stacks them",
        "    RESULT = torch.empty(frames)\n",
        "    STATES = []\n",
    ),
    Edit(
        "parameters_as_nn_parameter",
        "cell",
        "the parameters are torch.nn.Parameter",
        "BIAS = torch.randn((), requires_grad=True)",
        "BIAS = torch.nn.Parameter(torch.randn(()))",
    ),
    Edit(
        "loss_by_hand",
        "partial_sum_loss",
        "squares and averages by hand",
        "LOSS = torch.square(RESULT - TARGET).mean()",
        "LOSS = ((RESULT - TARGET) ** 2).sum() / RESULT.numel()",
    ),
    Edit(
        "manual_sgd",
        "train",
        "updates the parameters by hand instead of with torch.optim.SGD",
        "        optimizer.step()\n",
        "        with torch.no_grad():\n"
        "            for parameter in (BIAS, WEIGHTF, WEIGHTS):\n"
        "                parameter -= lr * parameter.grad\n"
        "                parameter.grad = None\n",
    ),
]
# stacked_states also needs its loop and return changed:
_STACKED = [
    ("        RESULT[frame] = STATE\n", "        STATES.append(STATE)\n"),
    ("    return RESULT\n", "    return torch.stack(STATES)\n"),
]


# rnn_layers: typical mistakes, each costing the points of its task and nothing else ...
LAYER_MISTAKES = [
    Edit(
        "cell_reads_layer_1_globals",
        "cell",
        "the cell uses BIAS1, WEIGHT1F, WEIGHT1S instead of its arguments",
        "ACTIVATION = BIAS + FRAME * WEIGHTF + STATE * WEIGHTS",
        "ACTIVATION = BIAS1 + FRAME * WEIGHT1F + STATE * WEIGHT1S",
    ),
    Edit(
        "state_weight_swapped_with_frame_weight",
        "cell",
        "the frame and state weights are swapped",
        "FRAME * WEIGHTF + STATE * WEIGHTS",
        "FRAME * WEIGHTS + STATE * WEIGHTF",
    ),
    Edit(
        "tanh_activation_function",
        "cell",
        "the cell squashes its activation with tanh",
        "ACTIVITY = ACTIVATION",
        "ACTIVITY = torch.tanh(ACTIVATION)",
    ),
    Edit(
        "layer_2_parameter_without_grad",
        "cell",
        "WEIGHT2S does not require gradients",
        "WEIGHT2S = torch.randn((), requires_grad=True)",
        "WEIGHT2S = torch.randn(())",
    ),
    Edit(
        "layer_returns_only_its_last_state",
        "layer",
        "layer returns only the last activities",
        "    return ACTIVITIES\n",
        "    return STATE\n",
    ),
    Edit(
        "layer_ignores_its_parameters",
        "layer",
        "layer passes layer 1's parameters to cell, whatever it is given",
        "cell(SIGNAL[frame], STATE, BIAS, WEIGHTF, WEIGHTS)",
        "cell(SIGNAL[frame], STATE, BIAS1, WEIGHT1F, WEIGHT1S)",
    ),
    Edit(
        "layer_samples_first",
        "layer",
        "layer reads the signal samples first",
        "frames, samples = SIGNAL.size(0), SIGNAL.size(1)",
        "samples, frames = SIGNAL.size(0), SIGNAL.size(1)",
    ),
    Edit(
        "layer_detaches_its_state",
        "layer",
        "the state is cut from the graph at every step",
        "STATE = cell(SIGNAL[frame], STATE,",
        "STATE = cell(SIGNAL[frame], STATE.detach(),",
    ),
    Edit(
        "layer_2_fed_the_signal",
        "model",
        "layer 2 gets SIGNAL instead of layer 1's activities",
        "layer(ACTIVITIES1, BIAS2,",
        "layer(SIGNAL, BIAS2,",
    ),
    Edit(
        "layer_1_parameters_twice",
        "model",
        "both layers use layer 1's parameters",
        "layer(ACTIVITIES1, BIAS2, WEIGHT2F, WEIGHT2S)",
        "layer(ACTIVITIES1, BIAS1, WEIGHT1F, WEIGHT1S)",
    ),
    Edit(
        "model_is_one_layer",
        "model",
        "model returns layer 1's activities",
        "    return ACTIVITIES2\n",
        "    return ACTIVITIES1\n",
    ),
    Edit(
        "model_bypasses_the_layers",
        "model",
        "model returns the double cumsum itself",
        "    return ACTIVITIES2\n",
        "    return SIGNAL.cumsum(0).cumsum(0)\n",
    ),
    Edit(
        "train_over_layer_1_only",
        "train",
        "the optimizer updates only layer 1's parameters",
        "torch.optim.SGD([BIAS1, WEIGHT1F, WEIGHT1S, BIAS2, WEIGHT2F, WEIGHT2S], lr=lr)",
        "torch.optim.SGD([BIAS1, WEIGHT1F, WEIGHT1S], lr=lr)",
    ),
    Edit(
        "train_without_zero_grad",
        "train",
        "gradients pile up from epoch to epoch",
        "        optimizer.zero_grad()\n",
        "",
    ),
    Edit(
        "train_summed_loss",
        "train",
        "the loss is summed, not averaged",
        "torch.square(model(SIGNAL) - TARGET).mean()",
        "torch.square(model(SIGNAL) - TARGET).sum()",
    ),
    Edit(
        "train_hard_coded_learning_rate",
        "train",
        "the learning rate is fixed at 0.01",
        "WEIGHT2F, WEIGHT2S], lr=lr)",
        "WEIGHT2F, WEIGHT2S], lr=0.01)",
    ),
    Edit(
        "layer_cell_without_bias",
        "cell",
        "the cell leaves out the bias it is given",
        "ACTIVATION = BIAS + FRAME * WEIGHTF + STATE * WEIGHTS",
        "ACTIVATION = FRAME * WEIGHTF + STATE * WEIGHTS",
    ),
    Edit(
        "layer_cumsum_bypasses_cell",
        "layer",
        "layer returns cumsum instead of unrolling the cell",
        "    return ACTIVITIES\n",
        "    return SIGNAL.cumsum(0)\n",
    ),
    Edit(
        "layers_in_the_wrong_order",
        "model",
        "layer 2's parameters on the signal, layer 1's on top",
        "layer(SIGNAL, BIAS1, WEIGHT1F, WEIGHT1S)\n    ACTIVITIES2 = layer(ACTIVITIES1, BIAS2, WEIGHT2F, WEIGHT2S)",
        "layer(SIGNAL, BIAS2, WEIGHT2F, WEIGHT2S)\n    ACTIVITIES2 = layer(ACTIVITIES1, BIAS1, WEIGHT1F, WEIGHT1S)",
    ),
    Edit("train_with_adam", "train", "Adam instead of plain SGD", "torch.optim.SGD(", "torch.optim.Adam("),
    Edit(
        "train_loss_after_the_step",
        "train",
        "the loss is recorded after the update",
        "        LOSSES.append(LOSS.item())\n",
        "        LOSSES.append(torch.square(model(SIGNAL) - TARGET).mean().item())\n",
    ),
    Edit(
        "train_losses_as_tensors",
        "train",
        "the list holds tensors, not floats",
        "LOSSES.append(LOSS.item())",
        "LOSSES.append(LOSS)",
    ),
]
# ... and other correct answers: each should get full points.
LAYER_VARIANTS = [
    Edit(
        "layer_stacks_a_list",
        "layer",
        "collects the activities in a list and stacks them",
        "    return ACTIVITIES\n",
        "    return torch.stack([ACTIVITIES[t] for t in range(frames)])\n",
    ),
    Edit(
        "parameters_as_nn_parameter_in_layers",
        "cell",
        "the parameters are torch.nn.Parameter",
        "BIAS2 = torch.randn((), requires_grad=True)",
        "BIAS2 = torch.nn.Parameter(torch.randn(()))",
    ),
    Edit(
        "manual_sgd_over_six",
        "train",
        "updates the six parameters by hand",
        "        optimizer.step()\n",
        "        with torch.no_grad():\n"
        "            for parameter in (BIAS1, WEIGHT1F, WEIGHT1S, BIAS2, WEIGHT2F, WEIGHT2S):\n"
        "                parameter -= lr * parameter.grad\n"
        "                parameter.grad = None\n",
    ),
]
# {assignment: (mistakes, other correct answers)}
EXAMPLES = {"rnn_sum": (MISTAKES, VARIANTS), "rnn_layers": (LAYER_MISTAKES, LAYER_VARIANTS)}
# ... and those of the assignments whose examples are a module of their own (examples/assignments/)
for _assignment, _module in assignments.modules().items():
    EXAMPLES.setdefault(_assignment, ([Edit(*e) for e in _module.MISTAKES], [Edit(*e) for e in _module.VARIANTS]))


def edit(name):
    """The mistake or variant of that name."""
    return next(e for edits in EXAMPLES.values() for group in edits for e in group if e.name == name)


def solutions(assignment="rnn_sum"):
    """{task: the master solution cell's code, delimiters removed}."""
    nb = nbformat.read(source(assignment), as_version=4)
    out = {}
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution"):
            lines = [
                line
                for line in cell.source.splitlines(keepends=True)
                if "### BEGIN SOLUTION" not in line and "### END SOLUTION" not in line
            ]
            out[meta["grade_id"]] = "".join(lines).strip("\n") + "\n"
    return out


def apply(answers, edit):
    """The answers with one edit made; fails loudly if the edit no longer fits the master."""
    answers = dict(answers)
    source = answers[edit.task]
    if edit.old not in source:
        raise ValueError(f"edit {edit.name!r} does not match the master solution of {edit.task!r}")
    source = source.replace(edit.old, edit.new)
    if edit.name == "stacked_states":
        for old, new in _STACKED:
            source = source.replace(old, new)
    answers[edit.task] = source
    return answers


def notebook(answers, base=RELEASE, assignment=None):
    """A student's notebook: the release (of ``assignment``, default rnn_sum's) with each
    solution cell replaced by an answer."""
    nb = nbformat.read(release(assignment) if assignment else base, as_version=4)
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if cell.metadata.get("nbgrader", {}).get("solution") and grade_id in answers:
            cell.source = answers[grade_id]
    return nb


def write(nb_or_text, path):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if isinstance(nb_or_text, str):
        with open(path, "w") as f:
            f.write(nb_or_text)
    else:
        nbformat.write(nb_or_text, path)


def with_code_cell(nb, after_grade_id, source):
    """The notebook with an extra code cell of the student's after a given cell."""
    nb = copy.deepcopy(nb)
    at = next(i for i, c in enumerate(nb.cells) if c.metadata.get("nbgrader", {}).get("grade_id") == after_grade_id)
    nb.cells.insert(at + 1, nbformat.v4.new_code_cell(source))
    return nb


def without_cell(nb, grade_id):
    nb = copy.deepcopy(nb)
    nb.cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") != grade_id]
    return nb


def not_json(nb):
    """The first part of the notebook's text, as a crashed upload leaves it."""
    text = json.dumps(nbformat.from_dict(nb), indent=1)
    return text[: len(text) // 2]
