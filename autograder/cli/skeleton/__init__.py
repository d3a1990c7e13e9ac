"""What ``python -m autograder new NAME`` writes: a working assignment with one code task and one
written answer, as ``string.Template`` texts with ``$assignment``, ``$task`` and ``$written``: the
notebook's here, the graders' in ``graders``, the example answers' in ``examples``.

The code task is the smallest one the engine's machinery grades as it grades every task: one
parameter ``WEIGHT`` the graders set before each probe, and a function of a tensor that uses it
(``probes_program``, no stand-ins).  Its name is that of the function the solution defines
(``SOLUTION``), so that this text is the one place that says it.
"""

import re

from autograder.cli.skeleton.examples import EXAMPLES, UNFORESEEN  # noqa: F401  (the texts, here in one place)
from autograder.cli.skeleton.graders import GRADERS  # noqa: F401

# -- the master notebook: its cells, (cell type, id, nbgrader's metadata or None, source) ------------
IMPORTS = """\
import torch

torch.manual_seed(0)  # the same random numbers every time you run the notebook


class CheckFailed(AssertionError):
    # The cells of checks below report a failure as one plain sentence.
    def _render_traceback_(self):
        return [f"CheckFailed: {self}"]


def check_that(passed, message):
    if not passed:
        raise CheckFailed(message)
"""

SOLUTION = """\
# WEIGHT: a 0-dim float tensor, random start, requires_grad=True
### BEGIN SOLUTION
WEIGHT = torch.randn((), requires_grad=True)
### END SOLUTION


def scale(SIGNAL):
    # SIGNAL: any shape  ->  RESULT: the same shape, every value times WEIGHT
    ### BEGIN SOLUTION
    RESULT = WEIGHT * SIGNAL
    return RESULT
    ### END SOLUTION
"""
TASK = re.search(r"^def (\w+)\(", SOLUTION, re.M).group(1)
WRITTEN = "why_a_parameter"  # the written answer's grade_id

CELLS = [
    (
        "markdown",
        "intro",
        None,
        """\
# $assignment

A new assignment: one code task, `$task`, and one question answered in words. Replace this text with
the assignment's introduction.

**How to work.** Fill in the cells that say `# YOUR CODE HERE` (delete the `raise NotImplementedError()`
line). Each task is followed by a cell of checks: run it, and it tells you whether your function behaves as
it should. When your work is graded, more checks run on inputs you have not seen.""",
    ),
    ("code", "imports", None, IMPORTS),
    (
        "markdown",
        "task-intro",
        None,
        """\
## 1. A signal times a weight

**Task `$task`.** Create the parameter `WEIGHT`, a 0-dimensional float tensor with a random start
(`torch.randn`) and `requires_grad=True`. Then write `$task(SIGNAL)`, which returns every value of
`SIGNAL` times `WEIGHT`: a tensor of the same shape, connected to `WEIGHT` so that gradients reach it.""",
    ),
    ("code", "$task", "solution", SOLUTION),
    (
        "code",
        "check-$task",
        "check",
        """\
# Checks for `$task`: run this cell after yours.
signal = torch.tensor([1.0, -2.0, 3.0])
out = $task(signal)
check_that(isinstance(out, torch.Tensor) and out.shape == (3,),
           f"$task: for a SIGNAL of shape (3,), $task should return shape (3,), got {out!r}")
check_that(torch.allclose(out, signal * WEIGHT), "$task: every value should be multiplied by WEIGHT")
check_that(out.requires_grad, "$task: the result should depend on WEIGHT (requires_grad=True)")
print("$task: the visible checks pass")
""",
    ),
    (
        "code",
        "test-$task",
        "test",
        """\
# The hidden checks of `$task` run here when your notebook is graded.
### BEGIN HIDDEN TESTS
from autograder.kernel import graded_outside
graded_outside("$task")
### END HIDDEN TESTS
""",
    ),
    (
        "markdown",
        "question",
        None,
        """\
**Question.** Why is `WEIGHT` created with `requires_grad=True`? Answer in a sentence or two in the next
cell.""",
    ),
    (
        "markdown",
        "$written",
        "written",
        """\
### BEGIN SOLUTION
So that autograd records every computation that uses it: after a backward pass, `WEIGHT.grad` holds the
gradient of the loss, and an optimizer can change `WEIGHT` to make the loss smaller.
### END SOLUTION
""",
    ),
]
