"""rnn_sum: the known mistakes of `model`, `batched_model` (the package's docstring says how they work)."""

from autograder.assignments.rnn_sum import reference as ref
from autograder.grading import checks
from autograder.grading import diagnosis as d
from autograder.grading.diagnosis import Mistake


# -- model and batched_model: the unroll of cell ---------------------------------------------
def _step(params):
    b, wf, ws = params
    return lambda x, h: b + x * wf + h * ws


def _zero_like(frame):
    return [0.0] * len(frame) if isinstance(frame, list) else 0.0


def _unroll(states, gradient=None):
    """Predict an unroll's probes from a mistaken ``states(params, signal)`` (None where the code
    raises); ``gradient(params, signal)`` when the gradient is not that of those states."""

    def predict(cases):
        probes = []
        for probe in cases["probes"]:
            params, signal = probe["params"], probe["args"][0]
            values = states(params, signal)
            if values is None:
                probes.append(d.RAISES)
                continue
            grad = None
            if probe["grad"]:
                grad = gradient(params, signal) if gradient else d.gradient(lambda p: states(p, signal), params)
            probes.append(d.returns(values, grad))
        return {"probes": probes}

    return predict


def _right(params, signal):
    return ref.unroll(params, signal)[0]


def _final(params, signal):
    return _right(params, signal)[-1]


def _first_five(params, signal):
    return None if len(signal) < 5 else _right(params, signal[:5])


def _partial_sums(params, signal):
    out, total = [], _zero_like(signal[0])
    for frame in signal:
        total = [a + b for a, b in zip(total, frame)] if isinstance(frame, list) else total + frame
        out.append(total)
    return out


def _from_zero_every_frame(params, signal):
    return [ref.cell(params, frame, _zero_like(frame))[0] for frame in signal]


def _detached_gradient(params, signal):
    """The gradient when each step takes the previous state as a constant: no path back in time."""
    states = _right(params, signal)
    previous = [_zero_like(signal[0]), *states[:-1]]
    return d.gradient(lambda p: [ref.cell(p, x, h)[0] for x, h in zip(signal, previous)], params)


def _no_gradient(params, signal):
    return d.NO_GRADIENT


def _samples_first(params, signal):
    return checks.samples_first(_step(params), signal)


def _unroll_mistakes(function, names):
    """The mistakes both unrolls can make, named ``names[kind]``, in sentences about ``function``."""
    says = {
        "final": f"Your `{function}` returns only the state after the last frame: "
        "the task asks for the state after every frame.",
        "bypass": f"Your `{function}` returns the partial sums of the signal whatever the parameters: "
        "they are what the network gives only once trained. Does every state come from your `cell`?",
        "detached": f"Your `{function}` returns the right states, but its gradients are those of a state "
        "cut from the graph between frames (`detach()`?): how can the gradient flow back through time?",
        "cut": f"Your `{function}` returns the right states, but the result carries no gradient: "
        "is it built under `torch.no_grad()`, or from detached states?",
        "reset": f"Your `{function}` returns what it would if the state started again from zero at "
        "every frame: where is the state set to zero?",
    }
    predict = {
        "final": _unroll(_final),
        "bypass": _unroll(_partial_sums, _no_gradient),
        "detached": _unroll(_right, _detached_gradient),
        "cut": _unroll(_right, _no_gradient),
        "reset": _unroll(_from_zero_every_frame),
    }
    return [Mistake(names[kind], says[kind], predict[kind]) for kind in names]


MODEL = [
    *_unroll_mistakes(
        "model",
        {
            "final": "only_final_state",
            "bypass": "cumsum_bypasses_cell",
            "detached": "detached_state",
            "cut": "no_gradient_result",
            "reset": "state_reset_every_frame",
        },
    ),
    Mistake(
        "fixed_length",
        "Your `model` works only for signals of 5 frames: does its loop take its length from the signal?",
        _unroll(_first_five),
    ),
]

BATCHED_MODEL = [
    *_unroll_mistakes(
        "batched_model",
        {
            "final": "batched_only_final_state",
            "bypass": "batched_cumsum_bypasses_cell",
            "detached": "batched_detached_state",
            "cut": "batched_state_detached",
            "reset": "batched_state_reset_every_frame",
        },
    ),
    Mistake(
        "swapped_batch_dimensions",
        "Your `batched_model` reads the signal samples first: SIGNAL's first dimension is the frames, "
        "its second the samples. Which size does your loop run over?",
        _unroll(_samples_first),
    ),
]
