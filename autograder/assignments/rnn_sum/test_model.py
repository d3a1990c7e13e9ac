"""Task `model`: unroll `cell` over a signal of any length and return every state.

Checks: shapes for signals of 1 to 13 frames; agreement with ``SIGNAL.cumsum(0)`` at BIAS=0,
WEIGHTF=WEIGHTS=1; agreement with the linear recurrence at other values (an unroll that
bypasses `cell`, for example through cumsum, fails); gradients reach all three parameters.
`model` runs with a working `cell` in place of the student's, so a broken `cell` costs only
the task `cell`, and one check counts that `model` calls `cell` once per frame.

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

TASK = "model"
SHAPES = [(1,), (2,), (5,), (13,)]


def cases(seed=None):
    return unroll_cases(TASK, SHAPES, lambda shape: f"a signal of {shape[0]} frame{'s' * (shape[0] > 1)}", seed)


def program(cases):
    return unroll_program(cases)
