"""The hidden test cells' entry point when nbgrader grades inside the student's kernel.

``check("cell", globals())`` runs the same probes and the same judgement as
``python -m autograder grade``, and raises ``TaskFailed`` with the messages if
any check fails, so nbgrader gives the same points.  Inside the student's kernel
student code could interfere; ``python -m autograder grade`` judges in a separate
process and is the path to trust with hostile submissions.
"""

import contextlib
import io
import warnings

from autograder import tasks


class TaskFailed(AssertionError):
    def _render_traceback_(self):
        # IPython shows these lines instead of a traceback, so the feedback page
        # carries the messages and no line of the graders' code.
        return [f"{type(self).__name__}: {self}"]


def check(task, namespace):
    with warnings.catch_warnings(), contextlib.redirect_stderr(io.StringIO()):
        # nbgrader gives zero to a test cell that writes to stderr, torch warnings included
        warnings.simplefilter("ignore")
        task_cases = tasks.cases(task)
        observed = tasks.observe(task, namespace, task_cases)
        messages = tasks.judge(task, task_cases, observed)
    if messages:
        raise TaskFailed(f"hidden checks of `{task}` failed:\n" + "\n".join(f"- {m}" for m in messages))
    print(f"{task}: all hidden checks passed")
