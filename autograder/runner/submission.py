"""Finding submitted notebooks and turning one into the steps the worker runs.

The student's own code cells run as they are, up to the last hidden-test cell.  Cells the student may not change,
the visible checks ``check_<task>`` and the hidden tests ``test_<task>``, come from
the master notebook in source/, as nbgrader's autograde does; a hidden-test cell
the student deleted is put back after the cell that defines its function.
"""

import functools
import json
import os
from dataclasses import dataclass, field

from autograder import settings as config
from autograder.grading import graders
from autograder.runner import boundary
from autograder.runner.boundary import NotGradable
from autograder.settings import ROOT


@dataclass
class Submission:
    notebook: str  # the path as given or found
    assignment: str
    student: str | None


@dataclass
class Step:
    """A step of a notebook's plan, as the judging process holds it; the child is told only
    ``protocol.Step`` of it (a code cell's source, or a task's name)."""

    kind: str  # "code" or "task"
    label: str  # how messages name this step
    source: str = ""
    task: str | None = None
    grade_id: str | None = None
    cases: dict = field(default_factory=dict)


def find(paths):
    """Every notebook under the given paths, as Submissions, in a stable order."""
    found = []
    for path in paths:
        if os.path.isdir(path):
            for folder, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                found += [os.path.join(folder, f) for f in sorted(files) if f.endswith(".ipynb")]
        elif os.path.exists(path):
            found.append(path)
        else:
            raise FileNotFoundError(f"no such file or folder: {path}")
    return [_submission(p) for p in found]


def handed(submission):
    """The files a notebook was handed in with, as [(path, name in its scratch folder)]: what
    its scratch copy holds."""
    folder = os.path.dirname(os.path.abspath(submission.notebook))
    return [(os.path.join(folder, name), name) for name in sorted(os.listdir(folder))]


def _submission(path):
    """nbgrader's layout names the student and the assignment; elsewhere the file's name
    does, or else the assignment whose master notebook shares most graded cells with it."""
    parts = os.path.normpath(os.path.abspath(path)).split(os.sep)
    stem = os.path.splitext(parts[-1])[0]
    if len(parts) >= 3 and parts[-2] in config.ASSIGNMENTS:
        return Submission(path, parts[-2], parts[-3])
    assignment = stem if stem in config.ASSIGNMENTS else _closest_assignment(path)
    return Submission(path, assignment, None)


def _closest_assignment(path):
    try:
        with open(path, "rb") as f:
            cells = json.loads(f.read().decode("utf-8"))["cells"]
        ids = {((c.get("metadata") or {}).get("nbgrader") or {}).get("grade_id") for c in cells}
    except Exception:  # not a notebook: it is graded (and given its error) as the first assignment
        ids = set()
    return max(config.ASSIGNMENTS, key=lambda a: len(ids & set(master_cells(a)) | ids & set(config.graded_tasks(a))))


def master_path(assignment):
    return os.path.join(ROOT, "source", assignment, f"{assignment}.ipynb")


@functools.cache
def master_cells(assignment):
    """{grade_id: source} of the cells students may not change: checks and hidden tests."""
    nb = boundary.read_notebook(master_path(assignment))
    cells = {}
    for cell in nb.cells:
        meta = cell.get("metadata", {}).get("nbgrader") or {}
        if cell.cell_type == "code" and meta.get("grade") and not meta.get("solution"):
            cells[meta["grade_id"]] = _text(cell.source)
    return cells


def load(path):
    """The notebook's cells, or NotGradable with the reason (``boundary.notebook``).  A symbolic
    link is never read: it could point at a file the student may not read (the master notebook,
    a classmate's)."""
    if os.path.islink(path):
        raise NotGradable("the notebook is a symbolic link, not a file: submit the notebook itself")
    return boundary.read_notebook(path)


def _text(source):
    return "".join(source) if isinstance(source, list) else str(source)


def plan(nb, master, tasks, task_cases):
    """The steps to run: code cells in order, and a task step at each hidden-test cell.

    Tasks are always checked in the assignment's order, whatever the order of the hidden-test
    cells: the stand-ins a task is given are working versions of earlier tasks, and they must
    not reach the notebook before those tasks are judged."""
    steps, placed, defined = [], set(), {}
    for n, cell in enumerate(nb.cells, start=1):
        if cell.get("cell_type") != "code":
            continue
        meta = cell.get("metadata", {}).get("nbgrader", {}) or {}
        grade_id = meta.get("grade_id")
        if grade_id in master:
            task = graders.task_of(grade_id)
            if task is not None:
                for earlier in tasks[: tasks.index(task) + 1] if task in tasks else []:
                    if earlier not in placed:
                        placed.add(earlier)
                        steps.append(_task_step(earlier, task_cases))
            else:
                steps.append(
                    Step(
                        "code", f"the check cell of `{grade_id[len('check_') :]}`", master[grade_id], grade_id=grade_id
                    )
                )
            continue
        label = f"the cell that defines `{grade_id}`" if grade_id in tasks else f"code cell {n}"
        steps.append(Step("code", label, _text(cell.get("source", "")), grade_id=grade_id))
        if grade_id in tasks:
            defined[grade_id] = len(steps)
    for task in tasks:
        if task not in placed:
            last_task = max((i for i, s in enumerate(steps) if s.kind == "task"), default=-1)
            at = max(defined.get(task, len(steps)), last_task + 1)
            steps.insert(at, _task_step(task, task_cases))
            defined = {t: i + (i >= at) for t, i in defined.items()}
    # Cells after the last checks cannot change a grade (the closing demo trains and plots):
    # they are not run.
    last = max(i for i, step in enumerate(steps) if step.kind == "task")
    return steps[: last + 1]


def _task_step(task, task_cases):
    return Step("task", f"the checks of `{task}`", task=task, cases=task_cases[task])
