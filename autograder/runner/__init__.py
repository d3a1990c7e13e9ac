"""Running notebooks: warm workers, the steps of a notebook, its record, a class.

- ``worker``: a warm worker in the sandbox and the child it forks per run;
- ``submission``: finding notebooks and turning one into steps;
- ``session``: running one notebook's steps under their time limits, whatever it does;
- ``judge``: the record and details of a notebook from what came back;
- ``pool``: many notebooks on warm workers, in input order;
- ``journal`` and ``shards``: resuming a class run, and splitting it over machines;
- ``pytest_plugin``: the same graders as pytest runs them on one notebook.

What the rest of the kit calls is named here.
"""

from autograder.runner.judge import grade, judged, not_graded
from autograder.runner.pool import Workers, grade_all, jobs_for, observe_all, run_all
from autograder.runner.session import Outcome, observe
from autograder.runner.worker import Worker, WorkerFailed

__all__ = [
    "Outcome",
    "Worker",
    "WorkerFailed",
    "Workers",
    "grade",
    "grade_all",
    "jobs_for",
    "judged",
    "not_graded",
    "observe",
    "observe_all",
    "run_all",
]
