"""The graders' own reference for rnn_sum, in plain Python float64.

Nothing here imports torch or touches student code: the grading process computes
what each function should return from the same float32 inputs it sent to the
student's process, and compares the plain data that came back.  Gradients are
computed alongside the values (forward mode), exactly, for the linear recurrence
``h_t = BIAS + x_t * WEIGHTF + h_{t-1} * WEIGHTS``.
"""

import math

from autograder.assignments.rnn_sum import PARAMS
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


def rng_for(task, seed=None):
    """The hidden random source of one task (no salt: rnn_sum's inputs were drawn before there was
    a second assignment, and a salt would change every one of them)."""
    return graders.hidden_rng(task, seed=seed)


def random_params(rng):
    """Parameter values away from the trained ones, so that wrong code shows."""
    return [f32(rng.uniform(-1.0, 1.0)), f32(rng.uniform(0.2, 1.5)), f32(rng.uniform(0.3, 0.95))]


def params_text(params):
    return ", ".join(f"{n}={v:g}" for n, v in zip(PARAM_NAMES, params))


# -- the reference functions ---------------------------------------------------
def cell(params, frame, state):
    """Values and d(sum)/d(params) of one step; frame and state are floats or lists."""
    b, wf, ws = params
    if isinstance(frame, list):
        values = [b + x * wf + s * ws for x, s in zip(frame, state)]
        return values, [float(len(frame)), math.fsum(frame), math.fsum(state)]
    return b + frame * wf + state * ws, [1.0, frame, state]


def step(params, x, h, dh):
    """One step of the recurrence ``h = BIAS + x * WEIGHTF + h * WEIGHTS`` and of its
    derivatives ``dh`` with respect to the three parameters (forward mode)."""
    b, wf, ws = params
    return b + x * wf + h * ws, (1.0 + ws * dh[0], x + ws * dh[1], h + ws * dh[2])


def _columns(signal):
    """The signals of a batch (frames first), or the one signal, as lists of frames."""
    batched = bool(signal) and isinstance(signal[0], list)
    return (list(zip(*signal)) if batched else [signal]), batched


def unroll(params, signal):
    """Every hidden state of the recurrence, and d(sum of states)/d(params).

    ``signal`` is a list of frames; a frame is a float (one signal) or a list of
    floats (a batch, frames first, samples second).
    """
    columns, batched = _columns(signal)
    states = []
    grad = [0.0, 0.0, 0.0]
    for column in columns:
        h, dh = 0.0, (0.0, 0.0, 0.0)
        col_states = []
        for x in column:
            h, dh = step(params, x, h, dh)
            col_states.append(h)
            grad = [g + d for g, d in zip(grad, dh)]
        states.append(col_states)
    values = [list(row) for row in zip(*states)] if batched else states[0]
    return values, grad


def partial_sums(signal):
    """The target of training: SIGNAL.cumsum(0) of a batch, frames first."""
    return [[sum(column[: i + 1]) for column in zip(*signal)] for i in range(len(signal))]


def partial_sum_loss(result, target):
    """Mean squared error over every element, and its gradient with respect to result."""
    r, t = flat(result), flat(target)
    n = len(r)
    loss = math.fsum((a - b) ** 2 for a, b in zip(r, t)) / n
    return loss, [2.0 * (a - b) / n for a, b in zip(r, t)]


def loss_and_grad(params, signal, target, frames=None):
    """The loss of the batched recurrence on a batch, and its gradient by the three parameters:
    frame by frame, every sample at once (numpy, float64: a full run of `train` is 1000 of these).
    ``frames``: the mean over those frames only (a mistake's loss), else over all."""
    import numpy as np  # on first use: only a train task's judging needs it

    b, wf, ws = params
    x, y = np.asarray(signal, dtype=float), np.asarray(target, dtype=float)
    h, dh = np.zeros(x.shape[1:]), [np.zeros(x.shape[1:])] * 3
    loss, grad = 0.0, [0.0, 0.0, 0.0]
    counted = range(len(x)) if frames is None else frames
    with np.errstate(over="ignore", invalid="ignore"):  # a diverging mistake overflows, as floats do: inf
        for t, (frame, wanted) in enumerate(zip(x, y)):
            dh = [1.0 + ws * dh[0], frame + ws * dh[1], h + ws * dh[2]]
            h = b + frame * wf + h * ws
            if t in counted:
                err = h - wanted
                loss += float(err @ err)
                grad = [g + 2.0 * float(err @ d) for g, d in zip(grad, dh)]
    n = x[0].size * len(counted)
    return loss / n, [g / n for g in grad]


def sgd(params, signal, target, epochs, lr):
    """Plain SGD on the batched recurrence: the loss before each step, and the end point."""
    return training.descent(lambda p: loss_and_grad(p, signal, target), params, epochs, lr)
