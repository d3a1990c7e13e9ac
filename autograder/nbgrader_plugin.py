"""The kit inside nbgrader: points from course_config, and autograding in the sandbox.

``SetPointsFromConfig`` writes each graded cell's points from ``course_config.py`` at
``generate_assignment``.  ``KitAutograde`` takes the place of nbgrader's ``Execute`` in
``nbgrader autograde`` (and formgrader's autograde button), as course_config.py configures:
instead of running the notebook in a kernel of the instructor's, with the hidden checks
inside it, it grades the notebook as ``python -m autograder grade`` does (in the sandbox,
judged outside student code, on a warm worker kept for the whole run) and writes each
hidden-test cell's outcome into its output, which nbgrader's ``SaveAutoGrades`` then
scores: the same points per task as the kit's own command.  ``configure`` puts both in place,
with the rest of nbgrader's configuration: nbgrader_config.py calls it.
"""

import atexit
import os
import threading

from nbgrader.preprocessors import NbGraderPreprocessor

import course_config as config


def points_for(assignment, grade_id):
    """Points of a graded cell: hidden tests ``test_<task>`` and answers carry the task's
    points; the visible checks ``check_<task>`` carry none."""
    from autograder import graders

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
    started at the first notebook and stopped when the process exits."""

    def __init__(self):
        self.lock = threading.Lock()
        self.workers = None

    def grade(self, submission):
        from autograder import runner

        with self.lock:
            if self.workers is None:
                self.workers = runner.Workers(1)
                atexit.register(self.close)
            try:
                worker = self.workers.get(0)
            except runner.WorkerFailed:  # it could not start: the next notebook starts another
                self.workers.close()
                self.workers = None
                raise
            try:
                return runner.grade(submission, worker, raise_worker_failure=True)
            except runner.WorkerFailed:  # the worker was restarted: once more, then give up
                return runner.grade(submission, worker, raise_worker_failure=True)

    def close(self):
        with self.lock:
            if self.workers is not None:
                self.workers.close()
                self.workers = None


_POOL = _Pool()


class KitAutograde(NbGraderPreprocessor):
    """nbgrader's autograde step, graded by the kit in its sandbox."""

    _warned = False

    def preprocess(self, nb, resources):
        from autograder import gradebook, sandbox
        from autograder.submission import Submission

        if sandbox.warning() and not KitAutograde._warned:
            KitAutograde._warned = True
            self.log.warning(sandbox.warning())
        meta = resources["nbgrader"]
        path = os.path.join(resources["metadata"]["path"], f"{meta['notebook']}.ipynb")
        record, _ = _POOL.grade(Submission(path, meta["assignment"], meta["student"]))
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


def configure(c):
    """nbgrader's configuration object ``c``, set from the course's settings (course_config.py):
    what nbgrader_config.py calls."""
    from nbgrader.converters.autograde import Autograde
    from nbgrader.converters.generate_assignment import GenerateAssignment
    from nbgrader.converters.generate_feedback import GenerateFeedback
    from nbgrader.preprocessors import (
        ClearHiddenTests,
        ClearMarkScheme,
        ClearOutput,
        Execute,
        IncludeHeaderFooter,
        LockCells,
    )

    c.CourseDirectory.course_id = config.COURSE_ID
    c.CourseDirectory.solution_directory = "solutions"
    # Points come from POINTS, not from the notebook's metadata.
    stock = GenerateAssignment.class_traits()["preprocessors"].default()
    c.GenerateAssignment.preprocessors = [SetPointsFromConfig] + stock
    # Solutions for self-study: the visible checks stay, the hidden ones go.
    c.GenerateSolution.preprocessors = [
        IncludeHeaderFooter,
        LockCells,
        ClearOutput,
        ClearMarkScheme,
        ClearHiddenTests,
        Execute,
    ]
    # Torch's warnings on stderr would cost a test cell its points.
    c.IgnorePattern.enabled = True
    c.IgnorePattern.pattern = r"Warning"
    # nbgrader's own feedback pages leave out the hidden tests (nbgrader issue #917); the
    # kit's pages (python -m autograder grade --feedback) never had them.
    feedback_stock = GenerateFeedback.class_traits()["preprocessors"].default()
    c.GenerateFeedback.preprocessors = [ClearHiddenTests] + feedback_stock
    # nbgrader autograde (and formgrader's button) grade through the kit: student code runs in
    # the sandbox and is judged outside it, never with the hidden checks in its own kernel.
    autograde_stock = Autograde.class_traits()["autograde_preprocessors"].default()
    c.Autograde.autograde_preprocessors = [KitAutograde if p is Execute else p for p in autograde_stock]
    # A student who deleted a test cell gets it back, as the kit's grader does.
    c.OverwriteCells.add_missing_cells = True
    # nbgrader submit leaves a submission open (to read and to write) to anyone who learns its
    # name; the kit's closes its folder to all but its student and the instructors' group.
    c.ExchangeFactory.submit = "autograder.exchange.PrivateSubmit"
    c.Execute.timeout = config.CELL_TIMEOUT
    # Closing the kernel at once saves 1-3 s per notebook and changes no score.
    c.Execute.shutdown_kernel = "immediate"
    c.Execute.extra_arguments = ["--HistoryManager.hist_file=:memory:"]
