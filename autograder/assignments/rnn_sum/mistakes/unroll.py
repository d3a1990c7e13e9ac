"""rnn_sum: the known mistakes of `model`, `batched_model` (the package's docstring says how they work)."""

from autograder.assignments.rnn_sum import reference as ref
from autograder.assignments.rnn_sum.mistakes.frames import (
    calls_per_frame,
    frame_mistakes,
    right,
    step,
    transposed,
    values,
    zero_like,
)
from autograder.grading import checks
from autograder.grading import diagnosis as d
from autograder.grading.diagnosis import Mistake


# -- model and batched_model: the unroll of cell ---------------------------------------------
def _unroll(states, gradient=None):
    """Predict an unroll's probes from a mistaken ``states(params, signal)`` (None where the code
    raises); ``gradient(params, signal)`` when the gradient is not that of those states."""

    def one(probe):
        params, signal = probe["params"], probe["args"][0]
        values = states(params, signal)
        if values is None:
            return d.RAISES
        grad = None
        if probe["grad"]:
            grad = gradient(params, signal) if gradient else d.gradient(lambda p: states(p, signal), params)
        return d.returns(values, grad)

    return lambda cases: {"probes": d.lazily(cases, one)}


def _final(params, signal):
    return right(params, signal)[-1]


def _first_five(params, signal):
    return None if len(signal) < 5 else right(params, signal[:5])


def _partial_sums(params, signal):
    out, total = [], zero_like(signal[0])
    for frame in signal:
        total = [a + b for a, b in zip(total, frame)] if isinstance(frame, list) else total + frame
        out.append(total)
    return out


def _from_zero_every_frame(params, signal):
    return [ref.cell(params, frame, zero_like(frame))[0] for frame in signal]


def _detached_gradient(params, signal):
    """The gradient when each step takes the previous state as a constant: no path back in time."""
    states = right(params, signal)
    previous = [zero_like(signal[0]), *states[:-1]]
    return d.gradient(lambda p: [ref.cell(p, x, h)[0] for x, h in zip(signal, previous)], params)


def _no_gradient(params, signal):
    return d.NO_GRADIENT


def _samples_first(params, signal):
    return checks.samples_first(step(params), signal)


def _sized_by_frames(params, signal):
    """A (frames,) start, written into a (frames, samples) result: right where the sizes agree."""
    return right(params, signal) if len(signal) in (1, len(signal[0])) else None


def _sized_by_frames_broadcast(params, signal):
    """A (frames,) start, the states stacked: one sample broadcasts to every frame's width."""
    frames, samples = len(signal), len(signal[0])
    if samples == 1 and frames > 1:
        return [[row[0]] * frames for row in right(params, signal)]
    return _sized_by_frames(params, signal)


def _over_columns(params, signal):
    """The unroll of the transposed signal: its samples taken as frames, (samples, frames)."""
    return right(params, transposed(signal))


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
        "detached": _unroll(right, _detached_gradient),
        "cut": _unroll(right, _no_gradient),
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
    Mistake(
        "length_from_number_of_dimensions",
        "Your `model` returns the state of the first frame only, whatever the signal's length: a 1-D signal has "
        "one dimension but many frames. Where does your loop get the number of frames?",
        values(lambda params, signal: right(params, signal[:1])),
    ),
    *frame_mistakes(
        "model",
        [
            "last_frame_never_fed",
            "first_frame_skipped",
            "states_shifted_by_one",
            "initial_state_included",
            "state_starts_at_first_frame",
            "cell_called_twice_per_frame",
        ],
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
        values(_samples_first, _over_columns, lambda p, signal: transposed(_over_columns(p, signal))),
    ),
    Mistake(
        "result_samples_first",
        "Your `batched_model` computes the right states but returns them samples first, (samples, frames): "
        "how should the states of one frame be laid out in the result?",
        values(lambda params, signal: transposed(right(params, signal))),
    ),
    Mistake(
        "result_concatenated_not_stacked",
        "Your `batched_model` computes the right states but joins them end to end into one long vector: "
        "the result should have a row per frame. Which torch function adds a dimension as it joins?",
        values(lambda params, signal: checks.flat(right(params, signal))),
    ),
    Mistake(
        "initial_state_sized_by_frames",
        "Your `batched_model` starts from a state of one value per frame, so it works only where the sizes "
        "happen to fit: how many values should the starting state hold, one per frame or one per sample?",
        values(_sized_by_frames, _sized_by_frames_broadcast),
    ),
    Mistake(
        "result_shaped_like_a_single_signal",
        "Your `batched_model` works only when there is one sample: its result has room for one value per "
        "frame. What shape should hold a state of every sample for every frame?",
        values(lambda p, signal: checks.flat(right(p, signal)) if len(signal[0]) == 1 else None),
    ),
    d.behaves(
        "batch_unrolled_sample_by_sample",
        "Your `batched_model` gives the right states but calls `cell` once per frame for every sample: one call "
        "can step all the samples of a frame at once. What shape can FRAME and STATE have in `cell`?",
        calls_per_frame(lambda signal: len(signal) * len(signal[0])),
    ),
    *frame_mistakes("batched_model", ["states_shifted_by_one"]),
]
