"""The graders' own reference for rnn_layers, in plain Python float64.

Two stacked linear recurrences, layer 1 on the signal and layer 2 on layer 1's activities:

    h1_t = BIAS1 + x_t * WEIGHT1F + h1_{t-1} * WEIGHT1S
    h2_t = BIAS2 + h1_t * WEIGHT2F + h2_{t-1} * WEIGHT2S

with their derivatives with respect to the six parameters carried along (forward mode), so
values, gradients and plain SGD are exact.  Signals are batches, frames first.
"""

import math

from autograder.assignments.rnn_layers import PARAMS
from autograder.grading import graders, training
from autograder.grading.checks import (  # noqa: F401  (the test files read them here)
    close,
    compare_param_grads,
    compare_values,
    f32,
    flat,
    shape_of,
    uniform,
)

PARAM_NAMES = PARAMS  # the parameters, as messages name them
LAYER_NAMES = ("BIAS", "WEIGHTF", "WEIGHTS")
TRAINED = [0.0, 1.0, 1.0, 0.0, 1.0, 1.0]  # where the network computes the sums of the partial sums


def rng_for(task, seed=None):
    """The hidden random source of one task, salted with the assignment's name."""
    return graders.hidden_rng(task, salt="rnn_layers:", seed=seed)


def random_layer(rng):
    """A layer's parameters away from (0, 1, 1), so that wrong code shows."""
    return [f32(rng.uniform(-1.0, 1.0)), f32(rng.uniform(0.2, 1.5)), f32(rng.uniform(0.3, 0.95))]


def params_text(params, names=PARAM_NAMES):
    return ", ".join(f"{n}={v:g}" for n, v in zip(names, params))


def cell(layer_params, frame, state):
    """One step's values and d(sum)/d(BIAS, WEIGHTF, WEIGHTS); frame and state are floats or lists."""
    b, wf, ws = layer_params
    if isinstance(frame, list):
        return [b + x * wf + s * ws for x, s in zip(frame, state)], [
            float(len(frame)),
            math.fsum(frame),
            math.fsum(state),
        ]
    return b + frame * wf + state * ws, [1.0, frame, state]


def _columns(signal):
    return [list(column) for column in zip(*signal)]


def _rows(columns):
    return [list(row) for row in zip(*columns)]


def layer(layer_params, signal):
    """Every activity of one layer on a batch, and d(sum of activities)/d(its 3 parameters)."""
    b, wf, ws = layer_params
    out, grad = [], [0.0, 0.0, 0.0]
    for column in _columns(signal):
        h, dh, states = 0.0, (0.0, 0.0, 0.0), []
        for x in column:
            h, dh = b + x * wf + h * ws, (1.0 + ws * dh[0], x + ws * dh[1], h + ws * dh[2])
            states.append(h)
            grad = [g + d for g, d in zip(grad, dh)]
        out.append(states)
    return _rows(out), grad


def _model_column(params, column):
    """Layer 2's activities on one signal, and their derivatives by the six parameters."""
    b1, wf1, ws1, b2, wf2, ws2 = params
    h1, d1, h2, d2 = 0.0, [0.0] * 3, 0.0, [0.0] * 6
    for x in column:
        d1 = [1.0 + ws1 * d1[0], x + ws1 * d1[1], h1 + ws1 * d1[2]]
        h1 = b1 + x * wf1 + h1 * ws1
        d2 = [wf2 * d1[k] + ws2 * d2[k] for k in range(3)] + [1.0 + ws2 * d2[3], h1 + ws2 * d2[4], h2 + ws2 * d2[5]]
        h2 = b2 + h1 * wf2 + h2 * ws2
        yield h2, d2


def model(params, signal):
    """Layer 2's activities on a batch, and d(sum)/d(the six parameters)."""
    out, grad = [], [0.0] * 6
    for column in _columns(signal):
        states = []
        for h2, d2 in _model_column(params, column):
            states.append(h2)
            grad = [g + d for g, d in zip(grad, d2)]
        out.append(states)
    return _rows(out), grad


def sums_of_partial_sums(signal):
    """The target: SIGNAL.cumsum(0).cumsum(0)."""
    out = []
    for column in _columns(signal):
        partial, total, states = 0.0, 0.0, []
        for x in column:
            partial += x
            total += partial
            states.append(total)
        out.append(states)
    return _rows(out)


def mse(result, target):
    r, t = flat(result), flat(target)
    return math.fsum((a - b) ** 2 for a, b in zip(r, t)) / len(r)


def loss_and_grad(params, signal, target):
    """The mean squared error of the two layers on a batch, and its gradient by the six parameters:
    frame by frame, every sample at once (numpy, float64: a full run of `train` is 1000 of these)."""
    import numpy as np  # on first use: only a train task's judging needs it

    b1, wf1, ws1, b2, wf2, ws2 = params
    x, y = np.asarray(signal, dtype=float), np.asarray(target, dtype=float)
    zero = np.zeros(x.shape[1:])
    h1, d1, h2, d2 = zero, [zero] * 3, zero, [zero] * 6
    loss, grad = 0.0, [0.0] * 6
    with np.errstate(over="ignore", invalid="ignore"):  # a diverging mistake overflows, as floats do: inf
        for frame, wanted in zip(x, y):
            d1 = [1.0 + ws1 * d1[0], frame + ws1 * d1[1], h1 + ws1 * d1[2]]
            h1 = b1 + frame * wf1 + h1 * ws1
            d2 = [wf2 * d1[k] + ws2 * d2[k] for k in range(3)] + [1.0 + ws2 * d2[3], h1 + ws2 * d2[4], h2 + ws2 * d2[5]]
            h2 = b2 + h1 * wf2 + h2 * ws2
            err = h2 - wanted
            loss += float(err @ err)
            grad = [g + 2.0 * float(err @ d) for g, d in zip(grad, d2)]
    return loss / x.size, [g / x.size for g in grad]


def sgd(params, signal, target, epochs, lr):
    """Plain SGD on the two layers: the loss before each step, and the end point."""
    return training.descent(lambda p: loss_and_grad(p, signal, target), params, epochs, lr)


def args_text(args, inputs):
    """How a traced call's arguments read in a message: the notebook's parameters by name, the
    check's inputs by ``inputs`` (their names, in order), earlier results as such."""
    words = []
    for arg in args:
        if "param" in arg:
            words.append(arg["param"])
        elif "input" in arg:
            words.append(inputs[arg["input"]])
        elif "result_of" in arg:
            words.append("what an earlier call returned")
        else:
            words.append(f"a {arg.get('kind', 'value')}")
    return ", ".join(words)
