"""rnn_sum: the known mistakes of `model`, `batched_model` (the package's docstring says how they work)."""

from autograder.assignments.rnn_sum import SETTINGS
from autograder.assignments.rnn_sum import reference as ref
from autograder.grading import checks
from autograder.grading import diagnosis as d
from autograder.grading.diagnosis import ANY, Either, Mistake


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


def _sized_by_frames(params, signal):
    """A (frames,) start, written into a (frames, samples) result: right where the sizes agree."""
    return _right(params, signal) if len(signal) in (1, len(signal[0])) else None


def _sized_by_frames_broadcast(params, signal):
    """A (frames,) start, the states stacked: one sample broadcasts to every frame's width."""
    frames, samples = len(signal), len(signal[0])
    if samples == 1 and frames > 1:
        return [[row[0]] * frames for row in _right(params, signal)]
    return _sized_by_frames(params, signal)


def _over_columns(params, signal):
    """The unroll of the transposed signal: its samples taken as frames, (samples, frames)."""
    return _right(params, _transposed(signal))


# -- the same mistakes whatever the coding: predicted values only, and behaviours --------------
def _values(*codings):
    """Predict an unroll's values (whatever its gradient) from each usual coding of a mistake:
    ``coding(params, signal)`` gives the states, None where it raises, or ANY."""

    def predict(cases):
        probes = []
        for probe in cases["probes"]:
            params, signal = probe["params"], probe["args"][0]
            options = []
            for coding in codings:
                states = coding(params, signal)
                options.append(d.RAISES if states is None else ANY if states is ANY else {"out": d.tensor(states)})
            if probe["grad"]:
                options.append(d.RAISES)  # a coding whose backward pass fails (an in-place write, say)
            probes.append(options[0] if len(options) == 1 else Either(options))
        return {"probes": probes}

    return predict


def _close(got, expected):
    rtol, atol = SETTINGS["diagnosis_rtol"], SETTINGS["diagnosis_atol"]
    return len(got) == len(expected) and all(abs(g - e) <= atol + rtol * abs(e) for g, e in zip(got, expected))


def _frames_kept(pick):
    """A behaviour of every probe of more than one frame: ``pick(params, signal)`` gives (the
    states that come out right, whether they lead or trail the result); the result holds them and
    at most one frame more."""

    def shows(cases, observed):
        for probe, got in zip(cases["probes"], observed["probes"], strict=True):
            signal = probe["args"][0]
            if len(signal) < 2:
                continue
            kept, leading = pick(probe["params"], signal)
            values, want = got["out"]["values"], checks.flat(kept)
            if _close(values, checks.flat(_right(probe["params"], signal))):
                return False  # every frame right
            width = len(want) // len(kept)
            if len(values) not in (len(want), len(want) + width):
                return False
            if not _close(values[: len(want)] if leading else values[len(values) - len(want) :], want):
                return False
        return True

    return shows


def _calls_per_frame(times):
    """Every probe called cell ``times(signal)`` times (a number of frames it was not)."""

    def shows(cases, observed):
        counts = [
            (got["calls"]["cell"], times(probe["args"][0]), len(probe["args"][0]))
            for probe, got in zip(cases["probes"], observed["probes"], strict=True)
            if "error" not in got
        ]
        return bool(counts) and all(c == t for c, t, _ in counts) and any(t != n for _, t, n in counts)

    return shows


def _shifted(params, signal):
    return [_zero_like(signal[0]), *_right(params, signal)[:-1]]


def _with_the_start(params, signal):
    return [_zero_like(signal[0]), *_right(params, signal)]


def _from_the_first_frame(params, signal):
    step, states = _step(params), [signal[0]]
    for frame in signal[1:]:
        prev = states[-1]
        states.append([step(x, h) for x, h in zip(frame, prev)] if isinstance(frame, list) else step(frame, prev))
    return states


def _transposed(rows):
    return [list(column) for column in zip(*rows)]


def _frame_mistakes(function, kinds):
    """What either unroll can do to its frames (those of ``kinds``), each named as the unforeseen
    answers name it."""
    says = {
        "last_frame_never_fed": f"Your `{function}` gives the right states for every frame but the last, "
        "which it never feeds to `cell`: where does its loop stop?",
        "first_frame_skipped": f"Your `{function}` starts at the second frame: its states are those of the "
        "signal without its first frame. Where does its loop start?",
        "states_shifted_by_one": f"Your `{function}` returns each state one frame late: the first is the zero "
        "start, and the last state is missing. Does it store the state before or after calling `cell`?",
        "initial_state_included": f"Your `{function}` returns the zero start before the states, one more than "
        "there are frames: which states does the task ask for?",
        "state_starts_at_first_frame": f"Your `{function}` takes the first frame itself as the first state, "
        "without calling `cell` on it: what state should the first step start from?",
        "cell_called_twice_per_frame": f"Your `{function}` gives the right states but calls `cell` twice per "
        "frame: can one call give both the state to keep and the one to carry on?",
    }
    shows = {
        "last_frame_never_fed": _frames_kept(lambda params, signal: (_right(params, signal[:-1]), True)),
        "first_frame_skipped": _frames_kept(lambda params, signal: (_right(params, signal[1:]), False)),
        "cell_called_twice_per_frame": _calls_per_frame(lambda signal: 2 * len(signal)),
    }
    predict = {
        "states_shifted_by_one": _values(_shifted),
        "initial_state_included": _values(_with_the_start),
        "state_starts_at_first_frame": _values(_from_the_first_frame),
    }
    name = {"model": lambda n: n, "batched_model": lambda n: f"batched_{n}"}[function]
    return [Mistake(name(n), says[n], p) for n, p in predict.items() if n in kinds] + [
        d.behaves(name(n), says[n], s) for n, s in shows.items() if n in kinds
    ]


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
    Mistake(
        "length_from_number_of_dimensions",
        "Your `model` returns the state of the first frame only, whatever the signal's length: a 1-D signal has "
        "one dimension but many frames. Where does your loop get the number of frames?",
        _values(lambda params, signal: _right(params, signal[:1])),
    ),
    *_frame_mistakes(
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
        _values(_samples_first, _over_columns, lambda p, signal: _transposed(_over_columns(p, signal))),
    ),
    Mistake(
        "result_samples_first",
        "Your `batched_model` computes the right states but returns them samples first, (samples, frames): "
        "how should the states of one frame be laid out in the result?",
        _values(lambda params, signal: _transposed(_right(params, signal))),
    ),
    Mistake(
        "result_concatenated_not_stacked",
        "Your `batched_model` computes the right states but joins them end to end into one long vector: "
        "the result should have a row per frame. Which torch function adds a dimension as it joins?",
        _values(lambda params, signal: checks.flat(_right(params, signal))),
    ),
    Mistake(
        "initial_state_sized_by_frames",
        "Your `batched_model` raises whenever the number of frames differs from the number of samples: "
        "how many values should the starting state hold, one per frame or one per sample?",
        _values(_sized_by_frames, _sized_by_frames_broadcast),
    ),
    Mistake(
        "result_shaped_like_a_single_signal",
        "Your `batched_model` works only when there is one sample: its result has room for one value per "
        "frame. What shape should hold a state of every sample for every frame?",
        _values(lambda p, signal: checks.flat(_right(p, signal)) if len(signal[0]) == 1 else None),
    ),
    d.behaves(
        "batch_unrolled_sample_by_sample",
        "Your `batched_model` gives the right states but calls `cell` once per frame for every sample: one call "
        "can step all the samples of a frame at once. What shape can FRAME and STATE have in `cell`?",
        _calls_per_frame(lambda signal: len(signal) * len(signal[0])),
    ),
    *_frame_mistakes("batched_model", ["states_shifted_by_one"]),
]
