"""rnn_sum: what an unroll (`model`, `batched_model`) does to its frames, whatever its coding: the
values it returns, predicted for each usual coding of a mistake (its gradient left aside), and
behaviours read from what came back (which frames come out right, how often it calls `cell`).
The package's docstring says how mistakes work."""

from autograder.assignments.rnn_sum import SETTINGS
from autograder.assignments.rnn_sum import reference as ref
from autograder.grading import checks
from autograder.grading import diagnosis as d
from autograder.grading.diagnosis import ANY, Either, Mistake


def step(params):
    b, wf, ws = params
    return lambda x, h: b + x * wf + h * ws


def zero_like(frame):
    return [0.0] * len(frame) if isinstance(frame, list) else 0.0


def right(params, signal):
    return ref.unroll(params, signal)[0]


def values(*codings):
    """Predict an unroll's values (whatever its gradient) from each usual coding of a mistake:
    ``coding(params, signal)`` gives the states, None where it raises, or ANY."""

    def one(probe):
        params, signal = probe["params"], probe["args"][0]
        options = []
        for coding in codings:
            states = coding(params, signal)
            options.append(d.RAISES if states is None else ANY if states is ANY else {"out": d.tensor(states)})
        if probe["grad"]:
            options.append(d.RAISES)  # a coding whose backward pass fails (an in-place write, say)
        return options[0] if len(options) == 1 else Either(options)

    return lambda cases: {"probes": d.lazily(cases, one)}


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
            if _close(values, checks.flat(right(probe["params"], signal))):
                return False  # every frame right
            width = len(want) // len(kept)
            if len(values) not in (len(want), len(want) + width):
                return False
            if not _close(values[: len(want)] if leading else values[len(values) - len(want) :], want):
                return False
        return True

    return shows


def calls_per_frame(times):
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
    return [zero_like(signal[0]), *right(params, signal)[:-1]]


def _with_the_start(params, signal):
    return [zero_like(signal[0]), *right(params, signal)]


def _from_the_first_frame(params, signal):
    one, states = step(params), [signal[0]]
    for frame in signal[1:]:
        prev = states[-1]
        states.append([one(x, h) for x, h in zip(frame, prev)] if isinstance(frame, list) else one(frame, prev))
    return states


def transposed(rows):
    return [list(column) for column in zip(*rows)]


def frame_mistakes(function, kinds):
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
        "last_frame_never_fed": _frames_kept(lambda params, signal: (right(params, signal[:-1]), True)),
        "first_frame_skipped": _frames_kept(lambda params, signal: (right(params, signal[1:]), False)),
        "cell_called_twice_per_frame": calls_per_frame(lambda signal: 2 * len(signal)),
    }
    predict = {
        "states_shifted_by_one": values(_shifted),
        "initial_state_included": values(_with_the_start),
        "state_starts_at_first_frame": values(_from_the_first_frame),
    }
    name = {"model": lambda n: n, "batched_model": lambda n: f"batched_{n}"}[function]
    return [Mistake(name(n), says[n], p) for n, p in predict.items() if n in kinds] + [
        d.behaves(name(n), says[n], s) for n, s in shows.items() if n in kinds
    ]
