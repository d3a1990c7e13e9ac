"""From what running a notebook gave to its record: each task judged by its hidden tests
(``autograder.grading.graders.verdict``), the known mistake it shows named, the details its
feedback page and the class report read."""

import logging

from autograder import records as rec
from autograder import sandbox
from autograder import settings as config
from autograder.grading import deadlines, diagnosis, graders
from autograder.runner.session import observe
from autograder.runner.worker import WorkerFailed


def grade(submission, worker, raise_worker_failure=False):
    """The record of one notebook (the contract's format), whatever the notebook does, and its
    details ({task: ``records.TaskDetails``}: what its feedback page shows, and what the class
    report counts).  Whatever fails while handling it becomes its record, never the run's end:
    the kit's own failure is a machine fault (``records.machine_fault``), no grade of the student's."""
    try:
        return judged(submission, observe(submission, worker, raise_worker_failure))
    except WorkerFailed:
        if raise_worker_failure:
            raise
        reason = "a grading worker stopped answering"
    except Exception as exc:  # noqa: BLE001 - the kit's own failure on this notebook: its record says so
        logging.getLogger("autograder").exception("grading %s failed", submission.notebook)
        reason = f"the kit failed while grading it ({type(exc).__name__}: {str(exc)[:200]})"
    return not_graded(submission, rec.machine_fault(f"{reason}; grade this notebook again"))


def not_graded(submission, error):
    """The record (and empty details) of a notebook that could not be graded at all: zero points
    for every task, each saying why (its student code did not run to its end: the record does not
    say whether it was sandboxed)."""
    assignment = submission.assignment
    tasks = {
        task: rec.task_result(config.points(assignment, task), [f"not graded: {error}"])
        for task in config.graded_tasks(assignment)
    }
    inputs = submission.inputs.record() if submission.inputs else None
    late = _late(submission, tasks)
    record = rec.record(
        submission.student, assignment, submission.notebook, tasks, error=error, inputs=inputs, late=late
    )
    return record, {task: rec.task_details({}, []) for task in tasks}


def judged(submission, outcome):
    """The record and details of a notebook from what running it gave (``observe``)."""
    assignment = submission.assignment
    results, details, diagnoses = {}, {}, {}
    for task, observed in outcome.observations.items():
        task_cases = graders.cases(assignment, task, submission.seed)
        results[task], checks = graders.verdict(assignment, task, task_cases, observed)
        # which known mistake the task's observation shows: only when it lost points
        found = diagnosis.matching(assignment, task, observed, submission.seed) if results[task] else []
        diagnoses[task] = [mistake.says for mistake in found]
        extra = graders.details(assignment, task, task_cases, observed)
        details[task] = rec.task_details(checks, [mistake.name for mistake in found], extra)
    if outcome.nb is not None:
        _explain(outcome.steps, outcome.nb, results, outcome.cell_errors)
    tasks = {
        task: rec.task_result(config.points(assignment, task), messages, diagnoses[task])
        for task, messages in results.items()
    }
    record = rec.record(
        submission.student,
        assignment,
        submission.notebook,
        tasks,
        error=outcome.error,
        sandboxed=sandbox.isolation().sandboxed,
        inputs=submission.inputs.record() if submission.inputs else None,
        late=_late(submission, tasks),
    )
    return record, details


def _late(submission, tasks):
    """The record's ``late`` (``grading.deadlines.late``): by when its route says it was handed in."""
    max_total = sum(t["max_points"] for t in tasks.values())
    try:
        return deadlines.late(submission.assignment, submission.timestamp, max_total)
    except ValueError:  # a timestamp that is no time says nothing of when: as nbgrader's absent one
        logging.getLogger("autograder").warning(
            "%s: no time in its timestamp %r", submission.notebook, submission.timestamp
        )
        return None


def _explain(steps, nb, results, cell_errors):
    """Add to a failed task why its own cell failed, or that the cell is missing."""
    ids = {(c.get("metadata", {}).get("nbgrader") or {}).get("grade_id") for c in nb.cells}
    for task, messages in results.items():
        if not messages:
            continue
        reasons = [e for i, e in cell_errors.items() if steps[i].grade_id == task]
        if task not in ids:
            reasons.append(
                f"the notebook has no cell with grade_id `{task}`: was the cell for `{task}` "
                "deleted or replaced? Write your code in the cell provided"
            )
        results[task] = reasons + messages
