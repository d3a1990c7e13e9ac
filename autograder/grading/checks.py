"""What the graders of every assignment compare with: float32-exact inputs, and messages
that say what was checked, what was expected and what came back.  Plain Python: nothing here
imports torch or touches student code."""

import struct


def f32(x):
    """The float32 value nearest to x, as a Python float."""
    return struct.unpack("f", struct.pack("f", x))[0]


def uniform(rng, shape, low=0.0, high=1.0):
    """float32-exact random values of a shape: () → float, (n,) → list, (n, m) → lists."""
    if not shape:
        return f32(rng.uniform(low, high))
    return [uniform(rng, shape[1:], low, high) for _ in range(shape[0])]


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


# -- comparisons ---------------------------------------------------------------
def close(got, expected, rtol, atol):
    """Whether a number is within ``atol + rtol * |expected|`` of what was expected (nan never is)."""
    return abs(got - expected) <= atol + rtol * abs(expected)


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
        if not close(g, e, rtol, atol):  # also catches nan
            if worst is None or not (err <= worst[0]):
                worst = (err, i, g, e)
    if worst is None:
        return None
    err, i, g, e = worst
    what = f"element {_index(i, shape)}" if shape else "the result"
    return (
        f"{label}: {what} is {_num(g)}, expected {_num(e)} (off by {_num(err)}, allowed {atol:g} + {rtol:g}·|expected|)"
    )


def compare_param_grads(label, grads, expected, rtol, atol, names):
    """A message naming each parameter (of ``names``) whose gradient is missing or wrong."""
    if grads is None:
        return None
    if "error" in grads:
        return f"{label}: {grads['error']}"
    problems = []
    for name, g, e in zip(names, grads["params"], expected):
        if g is None:
            problems.append(f"{name} got no gradient")
        elif not close(g, e, rtol, atol):
            problems.append(f"the gradient of {name} is {_num(g)}, expected {_num(e)}")
    if problems:
        return f"{label}: " + "; ".join(problems) + " (is every step connected to the parameters?)"
    return None


# -- what a typical unroll mistake computes ---------------------------------------------------
def samples_first(step, signal):
    """What an unroll computes that takes a (frames, samples) signal for (samples, frames), under
    torch's broadcasting: it loops over the samples, indexes frames by them, starts from a state
    of one value per frame and writes its states into a (samples, frames) result.  ``step(x, h)``
    is one step on floats.  None where torch would raise."""
    frames, samples = len(signal), len(signal[0])
    state, rows = [0.0] * frames, []
    for t in range(samples):
        if t >= frames:
            return None  # IndexError: SIGNAL has only `frames` rows
        x = signal[t]
        n = max(len(x), len(state))
        if len(x) not in (1, n) or len(state) not in (1, n):
            return None  # the sizes do not broadcast
        state = [step(a, h) for a, h in zip(x * n if len(x) == 1 else x, state * n if len(state) == 1 else state)]
        if len(state) not in (1, frames):
            return None  # the new state does not fit a row of the result
        rows.append(state * frames if len(state) == 1 else list(state))
    return rows
