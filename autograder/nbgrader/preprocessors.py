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

from nbgrader.plugins import BasePlugin
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


class SetDueDateFromConfig(NbGraderPreprocessor):
    """At ``generate_assignment``: the assignment's due date in the gradebook is course_config.py's
    deadline (``gradebook.set_due_date``)."""

    def preprocess(self, nb, resources):
        _set_due_date(resources["nbgrader"]["db_url"], resources["nbgrader"]["assignment"])
        return nb, resources


_DUE_DATES_SET = set()  # (gradebook, assignment) whose due date this process has set


def _set_due_date(db_url, assignment, once=False):
    """Write course_config.py's deadline of ``assignment`` into the gradebook at ``db_url`` (with
    ``once``: the first time this process is asked)."""
    if once and (db_url, assignment) in _DUE_DATES_SET:
        return
    from nbgrader.api import Gradebook

    from autograder.outputs import gradebook  # on first use (the module's docstring says why)

    with Gradebook(db_url) as gb:
        gradebook.set_due_date(gb, assignment)
    _DUE_DATES_SET.add((db_url, assignment))


class KitLatePenalty(BasePlugin):
    """nbgrader's late penalty (``c.AssignLatePenalties.plugin_class``) by the kit's policy,
    course_config.py's ``late_policy`` (``grading.deadlines.penalty``): for the same lateness
    ``nbgrader autograde`` takes the points the kit's own routes take."""

    def late_submission_penalty(self, student_id, score, total_seconds_late):
        from autograder.grading import deadlines  # on first use (the module's docstring says why)

        assignment = self.parent.assignment_id  # nbgrader's AssignLatePenalties, which made this plugin
        max_total = sum(config.points(assignment, task) for task in config.graded_tasks(assignment))
        return deadlines.penalty(assignment, total_seconds_late, max_total)


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
        from autograder.grading import inputs
        from autograder.outputs import gradebook
        from autograder.runner.submission import Submission, timestamp_beside, with_inputs

        if not KitAutograde._warned:  # once per run: the sandbox's warning, and which hidden inputs
            KitAutograde._warned = True
            if sandbox.warning():
                self.log.warning(sandbox.warning())
            self.log.info(inputs.announce())
        meta = resources["nbgrader"]
        path = os.path.join(resources["metadata"]["path"], f"{meta['notebook']}.ipynb")
        # the due date nbgrader's AssignLatePenalties reads next is course_config.py's; the kit's record
        # reads when it was handed in from the same timestamp.txt as nbgrader (autograde copies it beside)
        _set_due_date(meta["db_url"], meta["assignment"], once=True)
        handed_in = timestamp_beside(path)
        # nbgrader's autograde gives the grade: the student's final inputs
        record, _ = _POOL.grade(with_inputs(Submission(path, meta["assignment"], meta["student"], timestamp=handed_in)))
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
        if record.get("late"):  # nbgrader's AssignLatePenalties takes the same points next (KitLatePenalty)
            from autograder.grading import deadlines

            self.log.warning(
                "%s/%s: handed in %s", meta["student"], meta["assignment"], deadlines.describe(record["late"])
            )
        return gradebook.with_results(nb, record), resources
