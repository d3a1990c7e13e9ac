"""Working versions of rnn_sum's functions, run in place of the student's earlier ones.

A later task runs with these instead of the student's own, so a mistake in `cell` costs
only `cell`.  This file is never imported: the judging process sends its text to the
student's process only when a task that needs a stand-in is observed (``graders.probes_program``),
and there it runs over that task's parameters ``BIAS``, ``WEIGHTF``, ``WEIGHTS`` with
``zeros``, ``stack``, ``square`` and ``float32`` taken from torch before any student code.
"""

# ruff: noqa: F821  (the names above are given when the text runs)


def cell(FRAME, STATE):
    return BIAS + FRAME * WEIGHTF + STATE * WEIGHTS


def _unroll(SIGNAL, STATE):
    states = []
    for frame in range(len(SIGNAL)):
        STATE = cell(SIGNAL[frame], STATE)
        states.append(STATE)
    return stack(states)


def model(SIGNAL):
    return _unroll(SIGNAL, zeros((), dtype=float32))


def batched_model(SIGNAL):
    return _unroll(SIGNAL, zeros((SIGNAL.size(1),), dtype=float32))


def partial_sum_loss(RESULT, TARGET):
    return square(RESULT - TARGET).mean()
