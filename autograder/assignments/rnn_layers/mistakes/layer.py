"""rnn_layers: the known mistakes of `layer` (the package's docstring says how they work)."""

from autograder.assignments.rnn_layers import reference as ref
from autograder.assignments.rnn_layers.mistakes.cell import given_gradient
from autograder.grading import checks
from autograder.grading import diagnosis as d
from autograder.grading.diagnosis import Mistake


# -- layer(SIGNAL, BIAS, WEIGHTF, WEIGHTS) -----------------------------------------------------
def _layer(states, gradient=None, notebook=False):
    """Predict layer's probes from a mistaken ``states(params, signal)`` (None where it raises),
    over the parameters passed to layer (``notebook``: the notebook's layer 1 parameters, and
    the passed ones get no gradient); ``gradient(given, signal)`` where the gradient is not
    that of those states."""

    def one(probe):
        signal, *given = probe["args"]
        values = states(probe["params"][:3] if notebook else given, signal)
        if values is None:
            return d.RAISES
        record = {"out": d.tensor(values)}
        if probe["grad"]:
            if notebook:
                record["grad"] = {"args": [None] * 3}
            elif gradient:
                record["grad"] = gradient(given, signal)
            else:
                record["grad"] = {"args": given_gradient(lambda p: states(p, signal), given)}
        return record

    return lambda cases: {"probes": d.lazily(cases, one)}


def right_states(params, signal):
    return ref.layer(params, signal)[0]


def _detached_gradient(params, signal):
    """The gradient when each step takes the previous state as a constant: no path back in time."""
    states = right_states(params, signal)
    previous = [[0.0] * len(signal[0]), *states[:-1]]
    f = lambda p: [ref.cell(p, x, h)[0] for x, h in zip(signal, previous)]  # noqa: E731
    return {"args": given_gradient(f, params)}


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
        _layer(lambda p, s: right_states(p, s)[-1]),
    ),
    Mistake(
        "layer_ignores_its_parameters",
        "Your `layer` computes with layer 1's parameters whatever parameters it is given: "
        "what does it pass on to `cell`?",
        _layer(right_states, notebook=True),
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
        _layer(right_states, _detached_gradient),
    ),
    Mistake(
        "layer_cumsum_bypasses_cell",
        "Your `layer` returns the partial sums of the signal whatever its parameters: they are what a "
        "trained layer gives. Does every activity come from your `cell`?",
        _layer(lambda p, s: _partial_sums(s), lambda given, signal: d.NO_GRADIENT),
    ),
]
