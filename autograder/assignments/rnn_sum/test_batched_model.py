"""Task `batched_model`: the unroll for a batch, frames first and samples second.

Checks: a (frames, samples) signal gives a (frames, samples) result, for 1 frame, 1 sample
and shapes that are not square (so swapped dimensions show); agreement with
``SIGNAL.cumsum(0)`` at BIAS=0, WEIGHTF=WEIGHTS=1 and with the recurrence at other values;
gradients reach all three parameters.  It runs with a working `cell`, and one check counts
that it calls `cell` once per frame.

PYTEST_DONT_REWRITE: the assert messages are what the student reads.
"""

from autograder.assignments.rnn_sum import unroll
from autograder.assignments.rnn_sum.unroll import (  # noqa: F401  (USES: for the graders)
    USES,
    unroll_cases,
    unroll_program,
)

# The unroll's checks, in this order; pytest collects them here, for this task.
test_gives_the_partial_sums_at_the_trained_values = unroll.test_gives_the_partial_sums_at_the_trained_values
test_follows_the_recurrence_at_other_values = unroll.test_follows_the_recurrence_at_other_values
test_gradients_reach_every_parameter = unroll.test_gradients_reach_every_parameter
test_calls_cell_once_per_frame = unroll.test_calls_cell_once_per_frame

TASK = "batched_model"
SHAPES = [(1, 1), (1, 4), (3, 1), (5, 3), (4, 7)]


def cases(seed=None):
    return unroll_cases(TASK, SHAPES, lambda shape: f"SIGNAL of shape {shape} (frames, samples)", seed)


def program(cases):
    return unroll_program(cases)
