"""rnn_layers: what the mistakes of `layer` compute, and how their behaviours read an observation.

A prediction here is numbers only: the activities a mistaken unroll returns on each probe and
their gradient by the three parameters passed (``unrolled``), never agreeing where the mistake
gives what the task asks on these inputs (``unless_right``).  A behaviour reads the returned
activities frame by frame (``activities``) and compares them with the reference on the
signal shifted or trimmed.
"""

import functools
import math

from autograder import settings as config
from autograder.assignments.rnn_layers import reference as ref
from autograder.grading import diagnosis as d

SETTINGS = config.assignment("rnn_layers")
RTOL, ATOL = SETTINGS["diagnosis_rtol"], SETTINGS["diagnosis_atol"]
UNREADABLE = (KeyError, TypeError, ValueError, IndexError, ZeroDivisionError, AttributeError)


def right_states(params, signal):
    return ref.layer(params, signal)[0]


def rewired(order):
    """(states, gradient) of a right unroll on the parameters at the indexes ``order`` (of the
    three) in place of their own: each parameter's gradient sums those of the places it takes."""

    def states(params, signal):
        return right_states([params[i] for i in order], signal)

    def gradient(params, signal):
        grads = ref.layer([params[i] for i in order], signal)[1]
        return [math.fsum(g for g, k in zip(grads, order) if k == i) for i in range(3)]

    return states, gradient


def transposed(rows):
    return [list(column) for column in zip(*rows)]


def unrolled(states, gradient=None):
    """Predict layer's probes from a mistaken ``states(params, signal)`` (None where it raises)
    over the parameters passed to layer, and the gradient of their sum (``gradient(params,
    signal)`` where known exactly, else by differences); a result that does not depend on them
    may come back without a gradient at all, or with a zero one."""

    def one(probe):
        signal, *given = probe["args"]
        values = states(given, signal)
        if values is None:
            return d.RAISES
        record = {"out": d.tensor(values)}
        if probe["grad"]:
            if gradient:
                grads = gradient(given, signal)
            else:
                grads = d.gradient(lambda p, signal=signal: states(p, signal), given)
            record["grad"] = {"args": [d.tensor(g) for g in grads]}
            if all(g == 0.0 for g in grads):
                record["grad"] = d.Either((d.NO_GRADIENT, record["grad"]))
        return record

    return lambda cases: {"probes": d.lazily(cases, one)}


def either(*predicts):
    """The codings of one mistake that give different numbers (each one over every probe)."""

    def predict(cases):
        return {"probes": d.Either(p(cases)["probes"] for p in predicts)}

    return predict


def unless_right(predict):
    """The prediction, unless on these inputs it is what a right `layer` returns: then none."""

    def guarded(cases):
        predicted = predict(cases)
        if d.agrees(predicted, _right(cases), RTOL, ATOL):
            return {"probes": lambda probes: False}
        return predicted

    return guarded


def last_cases(compute):
    """``compute(cases)``, kept for the last cases it was asked about (the same dict: the
    predictions of one seed are computed together)."""
    kept = []

    def computed(cases):
        if not kept or kept[0] is not cases:
            kept[:] = [cases, compute(cases)]
        return kept[1]

    return computed


@last_cases
def _right(cases):
    """What a right `layer` returns on the task's probes, its gradients exact."""
    probes = []
    for probe in cases["probes"]:
        signal, *given = probe["args"]
        values, grads = ref.layer(given, signal)
        record = {"out": d.tensor(values)}
        if probe["grad"]:
            record["grad"] = {"args": [d.tensor(g) for g in grads]}
        probes.append(record)
    return {"probes": probes}


def _traced(records, i, trace):
    record = records[i]
    return record if record is d.RAISES else {**record, "trace": trace}


def with_trace(predict, check):
    """The prediction, where also each probe's calls to `cell` pass ``check(calls)``."""

    def predict_with_trace(cases):
        predicted = predict(cases)
        trace = lambda calls: check([c for c in calls if c["function"] == "cell"])  # noqa: E731
        records = predicted["probes"]
        alternatives = records if isinstance(records, d.Either) else [records]
        with_calls = [d.Lazy(functools.partial(_traced, rs, i, trace) for i in range(len(rs))) for rs in alternatives]
        return {"probes": d.Either(with_calls) if isinstance(records, d.Either) else with_calls[0]}

    return predict_with_trace


def passes(order):
    """A check of a probe's calls to `cell`: each passes layer's BIAS, WEIGHTF, WEIGHTS (its inputs
    1, 2, 3) in this order, and there is at least one."""
    wanted = [{"input": 1 + i} for i in order]
    return lambda calls: bool(calls) and all(call["args"][2:] == wanted for call in calls)


# -- reading an observation -------------------------------------------------------------------
def activities(out):
    """The rows (frames) of a returned 2-D tensor, or None."""
    if out.get("kind") != "tensor" or len(out["shape"]) != 2:
        return None
    frames, samples = out["shape"]
    values = out["values"]
    return [values[t * samples : (t + 1) * samples] for t in range(frames)]


def close(got, want):
    """Whether rows of floats agree with rows expected, within the diagnosis's tolerance."""
    return len(got) == len(want) and all(
        len(g) == len(w) and all(abs(a - b) <= ATOL + RTOL * abs(b) for a, b in zip(g, w)) for g, w in zip(got, want)
    )


def answered(cases, observed):
    """[(signal, parameters given, returned rows or None)] of every probe that did not raise."""
    out = []
    for probe, got in zip(cases["probes"], observed["probes"], strict=True):
        if "error" not in got:
            signal, *given = probe["args"]
            out.append((signal, given, activities(got["out"])))
    return out


def frame_behaviour(fits, least_frames=2, somewhere=None):
    """A behaviour: every probe of at least ``least_frames`` frames returned rows that
    ``fits(signal, given, rows)``, and some of them are not what the task asks (or, where given, pass
    ``somewhere``)."""
    somewhere = somewhere or (lambda signal, given, rows: not close(rows, right_states(given, signal)))

    def shows(cases, observed):
        try:
            judged = answered(cases, observed)
            if sum(1 for s, _, _ in judged if len(s) >= least_frames) < len(
                [p for p in cases["probes"] if len(p["args"][0]) >= least_frames]
            ):
                return False  # a probe that raised where the mistake would not
            long = [(s, g, rows) for s, g, rows in judged if len(s) >= least_frames]
            if not long or any(rows is None or not fits(s, g, rows) for s, g, rows in long):
                return False
            return any(somewhere(s, g, rows) for s, g, rows in long)
        except UNREADABLE:
            return False

    return shows


def first_never_fed(signal, given, rows):
    """The rows are the unroll of the signal without its first frame, after a first row or before
    a last one that is never written."""
    want = right_states(given, signal[1:])
    if len(rows) == len(signal) - 1:
        return close(rows, want)
    return len(rows) == len(signal) and (close(rows[1:], want) or close(rows[:-1], want))


def last_never_fed(signal, given, rows):
    """The rows but the last are right, and the last is missing or wrong."""
    want = right_states(given, signal)
    return len(rows) in (len(signal), len(signal) - 1) and close(rows[: len(signal) - 1], want[:-1])


def one_frame_late(signal, given, rows):
    """Each row after the first holds the activities of the frame before."""
    return len(rows) == len(signal) and close(rows[1:], right_states(given, signal)[:-1])


def recurrent(signal, given, rows):
    """Each row follows from the row before by the recurrence (whatever the first)."""
    b, wf, ws = given
    want = [[b + x * wf + h * ws for x, h in zip(frame, before)] for frame, before in zip(signal[1:], rows)]
    return len(rows) == len(signal) and close(rows[1:], want)


def first_state_elsewhere(signal, given, rows):
    """The first row is neither what a zero state gives nor zero itself."""
    return not close(rows[:1], right_states(given, signal[:1])) and not all(
        math.isclose(v, 0.0, abs_tol=ATOL) for v in rows[0]
    )
