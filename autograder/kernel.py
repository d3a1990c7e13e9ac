"""What a hidden-test cell does when it runs in a notebook's own kernel: no grading.

The hidden checks never run in the student's kernel, where student code could reach them.
Both routes that grade, ``python -m autograder grade`` and ``nbgrader autograde`` (through
``autograder.nbgrader.preprocessors.KitAutograde``, configured in course_config.py), run the
notebook in the sandbox and judge outside it, and write each hidden-test cell's outcome
into its output.  Run in a kernel (an instructor running the master notebook, say), the
cell only says so; run by nbgrader's stock in-kernel execution during autograde, it fails,
so that route gives no points rather than points it cannot vouch for.
"""

import os


class NotGradedHere(RuntimeError):
    def _render_traceback_(self):
        return [f"{type(self).__name__}: {self}"]


def graded_outside(task):
    if os.environ.get("NBGRADER_EXECUTION") == "autograde":
        raise NotGradedHere(
            f"the hidden checks of `{task}` do not run inside the student's kernel: grade with "
            "`nbgrader autograde` using the kit's configuration (course_config.py), or with "
            "`python -m autograder grade`"
        )
    print(f"{task}: the hidden checks run when the notebook is graded (try `python -m autograder check NOTEBOOK`)")
