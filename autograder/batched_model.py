"""Task `batched_model`: the unroll for a batch, frames first and samples second.

Checks: a (frames, samples) signal gives a (frames, samples) result, for 1 frame,
1 sample and shapes that are not square (so swapped dimensions show); agreement
with ``SIGNAL.cumsum(0)`` at BIAS=0, WEIGHTF=WEIGHTS=1 and with the recurrence
at other values; gradients reach all three parameters.  It runs with a reference
`cell`, and one check counts that it calls `cell` once per frame.
"""

from autograder.model import judge_unroll, unroll_cases, unroll_program

TASK = "batched_model"
SHAPES = [(1, 1), (1, 4), (3, 1), (5, 3), (4, 7)]


def cases():
    return unroll_cases(TASK, SHAPES, lambda shape: f"SIGNAL of shape {shape} (frames, samples)")


def program(cases):
    return unroll_program(cases, TASK)


def judge(cases, observed):
    return judge_unroll(cases, observed, TASK)
