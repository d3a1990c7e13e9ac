"""The kit inside nbgrader: points from the course's settings, and autograding in the sandbox.

``SetPointsFromConfig`` writes each graded cell's points from ``course_config.py`` at
``generate_assignment``.  ``KitAutograde`` takes the place of nbgrader's ``Execute`` in
``nbgrader autograde`` (and formgrader's autograde button): instead of running the notebook in
a kernel of the instructor's, with the hidden checks inside it, it grades the notebook as
``python -m autograder grade`` does (in the sandbox, judged outside student code, on a warm
worker kept for the whole run) and writes each hidden-test cell's outcome into its output,
which nbgrader's ``SaveAutoGrades`` then scores: the same points per task as the kit's own
command.  ``autograder.nbgrader.config.configure`` puts both in place.

nbgrader loads this module with its configuration in every command (``nbgrader_config.py``),
so the kit's grading machinery is imported inside the functions that use it, on first use.
"""

import atexit
import os
import threading

from nbgrader.preprocessors import NbGraderPreprocessor

from autograder import records as rec
from autograder import settings as config


def points_for(assignment, grade_id):
    """Points of a graded cell: hidden tests ``test_<task>`` and answers carry the task's
    points; the visible checks ``check_<task>`` carry none."""
    from autograder.grading import graders  # on first use (the module's docstring says why)

    points = config.ASSIGNMENTS[assignment]["points"]
    if grade_id.startswith("check_"):
        return 0.0
    task = graders.task_of(grade_id) or grade_id
    if task not in points:
        raise ValueError(f"graded cell {grade_id!r} has no points in course_config.ASSIGNMENTS[{assignment!r}]")
    return float(points[task])


class SetPointsFromConfig(NbGraderPreprocessor):
    def preprocess(self, nb, resources):
        assignment = resources["nbgrader"]["assignment"]
        for cell in nb.cells:
            meta = cell.metadata.get("nbgrader", {})
            if meta.get("grade"):
                meta["points"] = points_for(assignment, meta["grade_id"])
        return nb, resources


class _Pool:
    """One warm worker for the whole nbgrader run (nbgrader grades one notebook at a time),
    started at the first notebook and stopped when the process exits: a client of the same
    warm workers as the class run and the grading service (``runner.Workers``)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.workers = None

    def grade(self, submission):
        from autograder import runner  # on first use: it starts the workers

        with self.lock:
            if self.workers is None:
                self.workers = runner.Workers(1)
                atexit.register(self.close)
        return self.workers.grade(submission)

    def close(self):
        with self.lock:
            if self.workers is not None:
                self.workers.close()
                self.workers = None


_POOL = _Pool()


class MachineFault(RuntimeError):
    """The machine, not the notebook, kept it from being graded: nbgrader records no grade."""


class KitAutograde(NbGraderPreprocessor):
    """nbgrader's autograde step, graded by the kit in its sandbox."""

    _warned = False

    def preprocess(self, nb, resources):
        # on first use, not when nbgrader loads its configuration (the module's docstring)
        from autograder import sandbox
        from autograder.outputs import gradebook
        from autograder.runner.submission import Submission, with_inputs

        if sandbox.warning() and not KitAutograde._warned:
            KitAutograde._warned = True
            self.log.warning(sandbox.warning())
        meta = resources["nbgrader"]
        path = os.path.join(resources["metadata"]["path"], f"{meta['notebook']}.ipynb")
        # nbgrader's autograde gives the grade: the student's final inputs
        record, _ = _POOL.grade(with_inputs(Submission(path, meta["assignment"], meta["student"])))
        if rec.by_machine(record):  # no grade of the student's: nbgrader saves none, and says why
            raise MachineFault(f"{meta['student']}/{meta['assignment']}: {record['error']}")
        if record["error"]:
            self.log.warning("%s/%s: %s", meta["student"], meta["assignment"], record["error"])
        self.log.info(
            "%s/%s: %g/%g by the kit's graders (%s)",
            meta["student"],
            meta["assignment"],
            record["total"],
            record["max_total"],
            sandbox.sandboxed(),
        )
        return gradebook.with_results(nb, record), resources
