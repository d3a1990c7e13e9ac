"""Working versions of rnn_layers' functions, run in place of the student's earlier ones.

This file is never imported: the judging process sends the text of the functions a task uses
to the student's process only when that task is observed, and there it runs over that task's
parameters (``BIAS1`` ... ``WEIGHT2S``) with ``zeros``, ``stack`` and ``float32`` taken from
torch before any student code.
"""

# ruff: noqa: F821  (the names above are given when the text runs)


def cell(FRAME, STATE, BIAS, WEIGHTF, WEIGHTS):
    return BIAS + FRAME * WEIGHTF + STATE * WEIGHTS


def layer(SIGNAL, BIAS, WEIGHTF, WEIGHTS):
    STATE = zeros((SIGNAL.size(1),), dtype=float32)
    states = []
    for frame in range(len(SIGNAL)):
        STATE = cell(SIGNAL[frame], STATE, BIAS, WEIGHTF, WEIGHTS)
        states.append(STATE)
    return stack(states)


def model(SIGNAL):
    return layer(layer(SIGNAL, BIAS1, WEIGHT1F, WEIGHT1S), BIAS2, WEIGHT2F, WEIGHT2S)
