"""The typical mistakes of rnn_layers, each as what it returns on the graders' hidden inputs.

As for rnn_sum (``autograder/assignments/rnn_sum/mistakes.py``): plain Python float64 from the same inputs
the graders sent; a mistake named after an example answer (examples/answers.py) is the one that
example makes; the sentences never give the solution.
"""

import math

from autograder.assignments.rnn_layers import reference as ref
from autograder.grading import checks, train_mistakes
from autograder.grading import diagnosis as d
from autograder.grading.diagnosis import Mistake

TUTORIAL_LR = 0.01  # the learning rate of the tutorial's own loop, which a train function may copy


def _given_gradient(f, given, unused=()):
    """The gradients of the parameters passed to a function, as the probe describes them."""
    return [None if g is None else d.tensor(g) for g in d.gradient(f, given, unused)]


# -- cell(FRAME, STATE, BIAS, WEIGHTF, WEIGHTS) ------------------------------------------------
def _cell(formula, unused=(), notebook=False):
    """Predict cell's probes from a mistaken formula(b, wf, ws, x, s) on floats, over the
    parameters passed to cell (``notebook``: over the notebook's BIAS1, WEIGHT1F, WEIGHT1S)."""

    def predict(cases):
        probes = []
        for probe in cases["probes"]:
            frame, state, *given = probe["args"]
            point = probe["params"][:3] if notebook else given

            def f(params, frame=frame, state=state):
                if isinstance(frame, list):
                    return [formula(*params, x, s) for x, s in zip(frame, state)]
                return formula(*params, frame, state)

            grads = [None] * 3 if notebook else _given_gradient(f, given, unused)
            probes.append({"out": d.tensor(f(point)), "grad": {"args": grads}})
        return {"probes": probes}

    return predict


def _linear(b, wf, ws, x, s):
    return b + x * wf + s * ws


CELL = [
    Mistake(
        "cell_reads_layer_1_globals",
        "Your `cell` computes with `BIAS1`, `WEIGHT1F` and `WEIGHT1S` instead of the parameters it is given: "
        "how would layer 2 then get its own?",
        _cell(_linear, notebook=True),
    ),
    Mistake(
        "state_weight_swapped_with_frame_weight",
        "Your `cell` returns what it would with the frame weight and the state weight swapped: "
        "which weight belongs to the frame, and which to the state?",
        _cell(lambda b, wf, ws, x, s: b + x * ws + s * wf),
    ),
    Mistake(
        "tanh_activation_function",
        "Your `cell` squashes its activation (with `tanh`?): this network has no activation function, "
        "so its activity is the activation itself.",
        _cell(lambda b, wf, ws, x, s: math.tanh(b + x * wf + s * ws)),
    ),
    Mistake(
        "layer_cell_without_bias",
        "Your `cell` returns what a cell without its `BIAS` would: does it add the bias it is given?",
        _cell(lambda b, wf, ws, x, s: x * wf + s * ws, unused=(0,)),
    ),
    Mistake(
        "layer_2_parameter_without_grad",
        "A parameter was created without `requires_grad=True`: autograd computes no gradient for it, "
        "so training could never change it.",
        lambda cases: {"params": d.param_problem("does not have requires_grad=True")},
    ),
]


# -- layer(SIGNAL, BIAS, WEIGHTF, WEIGHTS) -----------------------------------------------------
def _layer(states, gradient=None, notebook=False):
    """Predict layer's probes from a mistaken ``states(params, signal)`` (None where it raises),
    over the parameters passed to layer (``notebook``: the notebook's layer 1 parameters, and
    the passed ones get no gradient); ``gradient(given, signal)`` where the gradient is not
    that of those states."""

    def predict(cases):
        probes = []
        for probe in cases["probes"]:
            signal, *given = probe["args"]
            values = states(probe["params"][:3] if notebook else given, signal)
            if values is None:
                probes.append(d.RAISES)
                continue
            record = {"out": d.tensor(values)}
            if probe["grad"]:
                if notebook:
                    record["grad"] = {"args": [None] * 3}
                elif gradient:
                    record["grad"] = gradient(given, signal)
                else:
                    record["grad"] = {"args": _given_gradient(lambda p: states(p, signal), given)}
            probes.append(record)
        return {"probes": probes}

    return predict


def _right(params, signal):
    return ref.layer(params, signal)[0]


def _detached_gradient(params, signal):
    """The gradient when each step takes the previous state as a constant: no path back in time."""
    states = _right(params, signal)
    previous = [[0.0] * len(signal[0]), *states[:-1]]
    f = lambda p: [ref.cell(p, x, h)[0] for x, h in zip(signal, previous)]  # noqa: E731
    return {"args": _given_gradient(f, params)}


def _step(params):
    b, wf, ws = params
    return lambda x, h: b + x * wf + h * ws


def _partial_sums(signal):
    out, total = [], [0.0] * len(signal[0])
    for frame in signal:
        total = [a + b for a, b in zip(total, frame)]
        out.append(total)
    return out


LAYER = [
    Mistake(
        "layer_returns_only_its_last_state",
        "Your `layer` returns only the activities after the last frame: the task asks for the activities "
        "after every frame.",
        _layer(lambda p, s: _right(p, s)[-1]),
    ),
    Mistake(
        "layer_ignores_its_parameters",
        "Your `layer` computes with layer 1's parameters whatever parameters it is given: "
        "what does it pass on to `cell`?",
        _layer(_right, notebook=True),
    ),
    Mistake(
        "layer_samples_first",
        "Your `layer` reads the signal samples first: SIGNAL's first dimension is the frames, its second "
        "the samples. Which size does your loop run over?",
        _layer(lambda p, s: checks.samples_first(_step(p), s)),
    ),
    Mistake(
        "layer_detaches_its_state",
        "Your `layer` returns the right activities, but its gradients are those of a state cut from the "
        "graph between frames (`detach()`?): how can the gradient flow back through time?",
        _layer(_right, _detached_gradient),
    ),
    Mistake(
        "layer_cumsum_bypasses_cell",
        "Your `layer` returns the partial sums of the signal whatever its parameters: they are what a "
        "trained layer gives. Does every activity come from your `cell`?",
        _layer(lambda p, s: _partial_sums(s), lambda given, signal: d.NO_GRADIENT),
    ),
]


# -- model(SIGNAL): layer 2 on layer 1 -------------------------------------------------------
def _model(states, unused=(), no_gradient=False):
    """Predict model's probes from a mistaken ``states(params, signal)`` over the six parameters."""

    def predict(cases):
        probes = []
        for probe in cases["probes"]:
            params, signal = probe["params"], probe["args"][0]
            grad = None
            if probe["grad"]:
                grad = d.NO_GRADIENT if no_gradient else d.gradient(lambda p: states(p, signal), params, unused)
            probes.append(d.returns(states(params, signal), grad))
        return {"probes": probes}

    return predict


def _layers(first, second):
    """Two layers: ``first`` and ``second`` pick each one's parameters from the six."""
    return lambda p, s: _right(second(p), _right(first(p), s))


def _layer1(p):
    return p[:3]


def _layer2(p):
    return p[3:]


MODEL = [
    Mistake(
        "layer_2_fed_the_signal",
        "Your `model` gives layer 2 the signal itself: what should layer 2 add up?",
        _model(lambda p, s: _right(_layer2(p), s), unused=(0, 1, 2)),
    ),
    Mistake(
        "layer_1_parameters_twice",
        "Your `model` runs both layers with layer 1's parameters: which parameters belong to layer 2?",
        _model(_layers(_layer1, _layer1), unused=(3, 4, 5)),
    ),
    Mistake(
        "model_is_one_layer",
        "Your `model` returns layer 1's activities: the network's result is what layer 2 makes of them.",
        _model(lambda p, s: _right(_layer1(p), s), unused=(3, 4, 5)),
    ),
    Mistake(
        "model_bypasses_the_layers",
        "Your `model` returns the sums of the partial sums whatever the parameters: they are what the "
        "network gives only once trained. Does its result come from your `layer`?",
        _model(lambda p, s: ref.sums_of_partial_sums(s), no_gradient=True),
    ),
    Mistake(
        "layers_in_the_wrong_order",
        "Your `model` runs layer 2's parameters on the signal and layer 1's on the result: "
        "which layer sees the signal first?",
        _model(_layers(_layer2, _layer1)),
    ),
]


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

MISTAKES = {"cell": CELL, "layer": LAYER, "model": MODEL, "train": TRAIN}
