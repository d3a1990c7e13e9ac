"""Finding submitted notebooks and turning one into the steps the worker runs.

The student's own code cells run as they are, up to the last hidden-test cell.  Cells the student may not change,
the visible checks ``check_<task>`` and the hidden tests ``test_<task>``, come from
the master notebook in source/, as nbgrader's autograde does; a hidden-test cell
the student deleted is put back after the cell that defines its function.
"""

import functools
import json
import os
import re
import stat
from dataclasses import dataclass, field
from typing import NamedTuple

from autograder import settings as config
from autograder.grading import graders
from autograder.grading import inputs as hidden
from autograder.runner import boundary
from autograder.runner.boundary import NotGradable
from autograder.settings import ROOT

# Where the files a notebook was handed in with are (``handed``): a folder that is the student's own
# (nbgrader's layout; the default, for a Submission made by Gradescope's upload or nbgrader's
# autograde); a flat folder of an LMS download, whose file names say whose each file is
# (``download_name``); or a folder nothing says anything of.
OWN_FOLDER, DOWNLOAD, LOOSE = "own folder", "download", "loose"


@dataclass
class Submission:
    notebook: str  # the path as given or found
    assignment: str
    student: str | None
    folder: str = OWN_FOLDER
    inputs: hidden.Inputs | None = None  # how its hidden inputs are derived (None: the fixed seed)
    # when it was handed in, as its route says (nbgrader's timestamp.txt, the exchange's folder name,
    # Gradescope's metadata), or None where nothing says
    timestamp: str | None = None

    @property
    def seed(self):
        return self.inputs.seed if self.inputs else None


def with_inputs(submission, attempt=hidden.FINAL):
    """The submission with the hidden inputs of its student at ``attempt`` (the fixed seed's without a secret)."""
    submission.inputs = hidden.derive(submission.assignment, submission.student, attempt)
    return submission


class DownloadName(NamedTuple):
    """What a download's file name says: the LMS, the student, and the name the student gave the file."""

    lms: str
    student: str
    prefix: str  # what the download put before the name the student gave the file
    file: str  # the name the student gave the file


# How LMS bulk downloads name a student's files, tried in order: (lms, pattern of the whole name).
# ``student`` becomes the record's student; the file's own name follows ``prefix``, without
# ``again`` (Canvas's "-1", "-2" on a file submitted again).  docs/instructors.md lists them.
DOWNLOAD_NAMES = (
    # Moodle: "Full Name_<participant id>_assignsubmission_file_<file>" (or _onlinetext_); the id: names repeat
    ("moodle", r"(?P<prefix>[^_]+_(?P<student>\d+)_assignsubmission_[a-z]+_).+"),
    # Canvas: "<name>[_LATE]_<user id>_<submission id>_<file>": the user id is the gradebook's "ID"
    ("canvas", r"(?P<prefix>.+?(?:_LATE)?_(?P<student>\d+)_\d+_).+?(?P<again>-\d+)?(?:\.[^.]+)?"),
    # named by hand: "<student>_<assignment>.ipynb"
    ("student_assignment", r"(?P<prefix>(?P<student>.+)_)(?:{assignments})\.ipynb"),
)


def download_name(name):
    """How an LMS download names the file ``name`` (a DownloadName), or None where it names no student."""
    assignments = "|".join(re.escape(a) for a in config.ASSIGNMENTS)
    for lms, pattern in DOWNLOAD_NAMES:
        m = re.fullmatch(pattern.replace("{assignments}", assignments), name)
        if m:
            start, end = m.span("again") if m.groupdict().get("again") else (len(name), len(name))
            file = name[m.end("prefix") : start] + name[end:]
            return DownloadName(lms, m.group("student"), m.group("prefix"), file)
    return None


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


def find(paths, attempt=hidden.FINAL):
    """Every notebook under the given paths, as Submissions on their students' inputs at
    ``attempt``, in a stable order."""
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
    return [with_inputs(_submission(p), attempt) for p in found]


def handed(submission):
    """The files a notebook was handed in with, as [(path, name in its scratch folder)]: what
    its scratch copy holds.  Never another student's: in a student's own folder every file; in
    a download the notebook and its student's other files, under the names the student gave
    them, never another notebook; in any other folder every file where the notebook is the only
    one there, else the notebook alone."""
    folder = os.path.dirname(os.path.abspath(submission.notebook))
    own = os.path.basename(submission.notebook)
    names = sorted(os.listdir(folder))
    if submission.folder == OWN_FOLDER:
        return [(os.path.join(folder, name), name) for name in names]
    if submission.folder == LOOSE:
        alone = not any(_is_notebook(name) and name != own for name in names)
        return [(os.path.join(folder, name), name) for name in (names if alone else [own])]
    mine = download_name(own)
    if mine is None:
        return [(os.path.join(folder, own), own)]
    students = [n for n in map(download_name, filter(_is_notebook, names)) if n is not None]
    files = {mine.file: own}
    for name in names:
        whose = None if _is_notebook(name) else _whose(name, students)
        if whose is not None and (whose.lms, whose.student) == (mine.lms, mine.student):
            files.setdefault(whose.file, name)
    return [(os.path.join(folder, name), file) for file, name in files.items()]


def _is_notebook(name):
    return name.lower().endswith(".ipynb")


def _whose(name, students):
    """The DownloadName of a file of a download: as its name reads, else that of the student's
    notebook whose prefix it starts with (``<student>_data.csv`` beside ``<student>_<assignment>.ipynb``;
    the longest, when several students' prefixes fit), or None."""
    found = download_name(name)
    if found is not None:
        return found
    fits = [n for n in students if name.startswith(n.prefix) and len(name) > len(n.prefix)]
    if not fits:
        return None
    best = max(fits, key=lambda n: len(n.prefix))
    return best._replace(file=name[len(best.prefix) :])


def _submission(path):
    """A download's file name names the student (``download_name``) and, where it holds one,
    the assignment; nbgrader's layout names both; elsewhere the file's name names the assignment;
    else it is the assignment whose master notebook shares most graded cells with the notebook."""
    parts = os.path.normpath(os.path.abspath(path)).split(os.sep)
    named = download_name(parts[-1])
    if named is not None:
        stem = os.path.splitext(named.file)[0]
        assignment = stem if stem in config.ASSIGNMENTS else _closest_assignment(path)
        return Submission(path, assignment, named.student, DOWNLOAD)
    if len(parts) >= 3 and parts[-2] in config.ASSIGNMENTS:
        return Submission(path, parts[-2], parts[-3], timestamp=timestamp_beside(path))
    stem = os.path.splitext(parts[-1])[0]
    assignment = stem if stem in config.ASSIGNMENTS else _closest_assignment(path)
    return Submission(path, assignment, None, LOOSE)


def file_beside(path, name, limit=200):
    """The first ``limit`` bytes of the file ``name`` beside the notebook at ``path`` (nbgrader's
    ``timestamp.txt`` or ``submission_secret.txt``), or None where there is none.  Only a plain file
    is read: never a symbolic link (it could point at a file the student may not read), nor a pipe
    (it could keep the run waiting)."""
    where = os.path.join(os.path.dirname(os.path.abspath(path)), name)
    try:
        with os.fdopen(os.open(where, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK), "rb") as f:
            return f.read(limit) if stat.S_ISREG(os.fstat(f.fileno()).st_mode) else None
    except OSError:
        return None


def timestamp_beside(path):
    """When the notebook at ``path`` was handed in, as the ``timestamp.txt`` beside it says (what
    ``nbgrader collect`` and the exchange write in nbgrader's layout), or None where there is none."""
    try:
        return (file_beside(path, "timestamp.txt") or b"").decode("utf-8").strip() or None
    except UnicodeDecodeError:
        return None


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
