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
from autograder.settings import ROOT


class NotGradable(Exception):
    """The notebook cannot be graded at all; the message is one line for the record."""


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
    nb = _read(master_path(assignment))
    cells = {}
    for cell in nb.cells:
        meta = cell.get("metadata", {}).get("nbgrader") or {}
        if cell.cell_type == "code" and meta.get("grade") and not meta.get("solution"):
            cells[meta["grade_id"]] = _text(cell.source)
    return cells


def load(path):
    """The notebook's cells, or NotGradable with the reason.  A symbolic link is never read: it
    could point at a file the student may not read (the master notebook, a classmate's)."""
    if os.path.islink(path):
        raise NotGradable("the notebook is a symbolic link, not a file: submit the notebook itself")
    try:
        return _read(path)
    except OSError as exc:
        raise NotGradable(f"cannot read the file: {exc.strerror}") from None


class Node(dict):
    """A JSON object whose keys also read as attributes (``nb.cells``, ``cell.source``), as
    nbformat's NotebookNode, without importing nbformat (and its JSON-schema validator, most
    of a second) in the judging process."""

    def __getattr__(self, key):
        try:
            return self[key]
        except KeyError:
            raise AttributeError(key) from None

    def __setattr__(self, key, value):
        self[key] = value


def _read(path):
    """A notebook read as plain JSON, with the parts the kit uses checked; older formats
    (before version 4) are converted by nbformat."""
    with open(path, "rb") as f:
        raw = f.read()
    try:
        data = json.loads(raw.decode("utf-8"), object_hook=Node)
    except UnicodeDecodeError:
        raise NotGradable("the file is not text (UTF-8): is it really a notebook?") from None
    except json.JSONDecodeError as exc:
        raise NotGradable(
            f"the file is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}); "
            "it may have been damaged or edited outside Jupyter"
        ) from None
    if isinstance(data, dict) and data.get("nbformat") in (1, 2, 3):
        data = _converted(data)
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list):
        raise NotGradable("the file is JSON but not a Jupyter notebook (it has no list of cells)")
    for n, cell in enumerate(data.cells, start=1):
        problem = _cell_problem(cell)
        if problem:
            raise NotGradable(
                f"cell {n} of the notebook is damaged ({problem}); it may have been edited outside Jupyter"
            )
    return data


def _converted(data):
    import nbformat  # only for a notebook of an old format: the usual one is read as JSON

    try:
        nb = nbformat.reads(json.dumps(data), as_version=4)
    except Exception as exc:
        raise NotGradable(f"the notebook's format cannot be read ({type(exc).__name__})") from None
    return json.loads(json.dumps(nb), object_hook=Node)


def _cell_problem(cell):
    """What is wrong with a cell, in the parts the kit reads, or None."""
    if not isinstance(cell, dict):
        return "it is not a JSON object"
    if not isinstance(cell.get("cell_type"), str):
        return "it has no cell_type"
    source = cell.get("source", "")
    if not isinstance(source, str) and not (isinstance(source, list) and all(isinstance(s, str) for s in source)):
        return "its source is not text"
    metadata = cell.get("metadata", {})
    if not isinstance(metadata, dict):
        return "its metadata is not a JSON object"
    nbgrader = metadata.get("nbgrader")
    if nbgrader is not None and not (
        isinstance(nbgrader, dict) and isinstance(nbgrader.get("grade_id", ""), (str, type(None)))
    ):
        return "its nbgrader metadata is damaged"
    return None


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
