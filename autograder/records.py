"""A run's records, as types: the grading command's output (docs/records.md).

Every part of the kit that makes a record makes it with ``record`` and ``task_result``, and every
part that asks whether a task was passed asks ``passed``.  What the student's process sends back
is described in ``autograder.inside.protocol``.  Beside each record the runner keeps its details
(``TaskDetails`` per task): what the feedback page and the class report read, never written to
OUT.json.
"""

from typing import NotRequired, Required, TypedDict


class TaskResult(TypedDict):
    points: float
    max_points: float
    messages: list[str]  # why points were lost: what was checked, expected and what came back
    diagnosis: NotRequired[list[str]]  # the known mistakes its results match (absent in older records)


class Late(TypedDict):
    seconds: float  # how long after the deadline it was handed in
    penalty: float  # the points it loses for that (``grading.deadlines``), never more than max_total


class Record(TypedDict):
    student: str | None  # the <student> folder of nbgrader's layout, else None
    assignment: str
    notebook: str | None  # the path as given
    tasks: dict[str, TaskResult]
    total: float
    max_total: float
    error: str | None  # why the notebook could not be graded at all (``machine_fault``: not its fault)
    sandboxed: NotRequired[bool]  # whether its student code ran in a sandbox that holds
    inputs: NotRequired[dict]  # how its hidden inputs were derived (``grading.inputs``); absent: the fixed seed
    # handed in after its deadline (``grading.deadlines.late``); absent: on time, or no deadline.  ``total``
    # stays the sum of the tasks: the grade is total less the penalty (``grading.deadlines.grade``)
    late: NotRequired[Late]


class TaskDetails(TypedDict, total=False):
    checks: Required[dict[str, bool]]  # each hidden check of the task: passed
    mistakes: Required[list[str]]  # the names of the known mistakes its results match
    losses: list[float] | None  # a training task's loss per epoch (its test file's ``details``)


def task_details(checks, mistakes, extra=None) -> TaskDetails:
    """A task's details: its checks' outcomes, its known mistakes' names, and what its test file's
    ``details`` adds for the page."""
    return {"checks": checks, "mistakes": list(mistakes), **(extra or {})}


def task_result(max_points, messages, diagnosis=()) -> TaskResult:
    """A task's result: full points without a message, none with one."""
    return {
        "points": 0.0 if messages else max_points,
        "max_points": max_points,
        "messages": list(messages),
        "diagnosis": list(diagnosis),
    }


def record(student, assignment, notebook, tasks, error=None, sandboxed=None, inputs=None, late=None) -> Record:
    """A notebook's record, its totals the sums over its tasks (``sandboxed`` None: not said;
    ``inputs`` None: the fixed seed's; ``late`` None: on time or no deadline)."""
    made = {
        "student": student,
        "assignment": assignment,
        "notebook": notebook,
        "tasks": tasks,
        "total": sum(t["points"] for t in tasks.values()),
        "max_total": sum(t["max_points"] for t in tasks.values()),
        "error": error,
    }
    if sandboxed is not None:
        made["sandboxed"] = sandboxed
    if inputs is not None:
        made["inputs"] = inputs
    if late is not None:
        made["late"] = late
    return made


# How a record's ``error`` begins when the notebook was not graded for a reason of the machine (a
# worker that stopped answering, a failure of the kit itself), not of the notebook: such a record
# is never anyone's grade (no gradebook, export or LMS file takes it), and grading it again is the fix.
MACHINE_FAULT = "not graded, for a reason of the grading machine, not of the notebook: "


def machine_fault(reason) -> str:
    """A record's ``error`` for a notebook the machine could not grade."""
    return MACHINE_FAULT + reason


def by_machine(record: Record) -> bool:
    """Whether the record's notebook went ungraded for a reason of the machine (``machine_fault``):
    it is no grade of the student's."""
    return isinstance(record.get("error"), str) and record["error"].startswith(MACHINE_FAULT)


def passed(result: TaskResult) -> bool:
    """Whether a task got all its points."""
    return result["points"] >= result["max_points"]
