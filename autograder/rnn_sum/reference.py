"""The graders' own reference, in plain Python float64, and the comparisons.

Nothing here imports torch or touches student code: the grading process computes
what each function should return from the same float32 inputs it sent to the
student's process, and compares the plain data that came back.  Gradients are
computed alongside the values (forward mode), exactly, for the linear recurrence
``h_t = BIAS + x_t * WEIGHTF + h_{t-1} * WEIGHTS``.
"""

import math
import random
import struct

import course_config as config

PARAM_NAMES = ("BIAS", "WEIGHTF", "WEIGHTS")


def f32(x):
    """The float32 value nearest to x, as a Python float."""
    return struct.unpack("f", struct.pack("f", x))[0]


def rng_for(task):
    """The hidden random source of one task, derived from the grader seed."""
    return random.Random(f"{config.GRADER_SEED}:{task}")


def uniform(rng, shape, low=0.0, high=1.0):
    """float32-exact random values of a shape: () → float, (n,) → list, (n, m) → lists."""
    if not shape:
        return f32(rng.uniform(low, high))
    return [uniform(rng, shape[1:], low, high) for _ in range(shape[0])]


def random_params(rng):
    """Parameter values away from the trained ones, so that wrong code shows."""
    return [f32(rng.uniform(-1.0, 1.0)), f32(rng.uniform(0.2, 1.5)), f32(rng.uniform(0.3, 0.95))]


def shape_of(data):
    shape = []
    while isinstance(data, list):
        shape.append(len(data))
        data = data[0] if data else None
    return shape


def flat(data):
    if isinstance(data, list):
        return [v for item in data for v in flat(item)]
    return [data]


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


def partial_sum_loss(result, target):
    """Mean squared error over every element, and its gradient with respect to result."""
    r, t = flat(result), flat(target)
    n = len(r)
    loss = math.fsum((a - b) ** 2 for a, b in zip(r, t)) / n
    return loss, [2.0 * (a - b) / n for a, b in zip(r, t)]


def sgd(params, signal, target, epochs, lr):
    """Plain SGD on the batched recurrence: the loss before each step, and the end point."""
    params = list(params)
    losses = []
    n = len(flat(target))
    for _ in range(epochs):
        grad = [0.0, 0.0, 0.0]
        loss = 0.0
        for column, target_column in zip(zip(*signal), zip(*target)):
            h, dh = 0.0, (0.0, 0.0, 0.0)
            for x, y in zip(column, target_column):
                h, dh = step(params, x, h, dh)
                err = h - y
                loss += err * err
                grad = [g + 2.0 * err * d for g, d in zip(grad, dh)]
        losses.append(loss / n)
        params = [p - lr * g / n for p, g in zip(params, grad)]
    return losses, params


# -- comparisons ---------------------------------------------------------------
def _num(v):
    return f"{v:.6g}"


def _index(i, shape):
    idx = []
    for n in reversed(shape):
        idx.append(i % n)
        i //= n
    return "[" + ", ".join(str(k) for k in reversed(idx)) + "]"


def compare_values(label, got, expected, shape, rtol, atol):
    """A message if ``got`` (a described tensor) differs from the expected values."""
    if "error" in got:
        return f"{label}: raised {got['error']}"
    out = got["out"] if "out" in got else got
    if out["kind"] != "tensor":
        what = f"{out['kind']} {_num(out['value'])}" if "value" in out else f"a {out['kind']}"
        return f"{label}: expected a tensor of shape {tuple(shape)}, got {what}"
    if list(out["shape"]) != list(shape):
        return f"{label}: expected shape {tuple(shape)}, got shape {tuple(out['shape'])}"
    worst = None
    for i, (g, e) in enumerate(zip(out["values"], expected)):
        err = abs(g - e)
        if not (err <= atol + rtol * abs(e)):  # also catches nan
            if worst is None or not (err <= worst[0]):
                worst = (err, i, g, e)
    if worst is None:
        return None
    err, i, g, e = worst
    what = f"element {_index(i, shape)}" if shape else "the result"
    return (
        f"{label}: {what} is {_num(g)}, expected {_num(e)} (off by {_num(err)}, allowed {atol:g} + {rtol:g}·|expected|)"
    )


def compare_param_grads(label, grads, expected, rtol, atol):
    """A message naming each parameter whose gradient is missing or wrong."""
    if grads is None:
        return None
    if "error" in grads:
        return f"{label}: {grads['error']}"
    problems = []
    for name, g, e in zip(PARAM_NAMES, grads["params"], expected):
        if g is None:
            problems.append(f"{name} got no gradient")
        elif not abs(g - e) <= atol + rtol * abs(e):
            problems.append(f"the gradient of {name} is {_num(g)}, expected {_num(e)}")
    if problems:
        return f"{label}: " + "; ".join(problems) + " (is every step connected to the parameters?)"
    return None
