"""The course's settings, as the kit reads them: the one module that imports ``course_config``.

``course_config.py`` (at the top of the kit) holds values only.  This module reads them once,
checks that they fit together (``problems``) and gives them types; the rest of the kit reads
them here (``from autograder import settings as config``), never from ``course_config``
(an import-linter contract in pyproject.toml says so).  It also says where the kit lives.
"""

import datetime
import os
from typing import NotRequired, TypedDict

import course_config as _course

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Each assignment's hidden graders are the package GRADERS.<assignment>, in the folder graders_folder().
GRADERS = "autograder.assignments"


class Canvas(TypedDict):
    name: str  # the roster's column for `autograder export --canvas`
    id: int | None  # Canvas's assignment id, or None: the column of that name, or a new one


class Gradescope(TypedDict):
    visibility: str  # Gradescope's "visible", "after_due_date", "after_published" or "hidden"
    test_visibility: str


class OnSubmit(TypedDict):
    feedback: bool  # whether the grading service releases a feedback page at each submission
    shows: list[str]  # of "score", "messages", "diagnosis"
    attempts_per_day: int  # submissions in 24 hours that get feedback


class LatePolicy(TypedDict):
    method: str  # "none" (flagged, no points lost), "zero" (every point) or "per_hour"
    per_hour: NotRequired[float]  # "per_hour": the fraction of the graded points lost per started hour late


class Assignment(TypedDict):
    """One assignment's settings (``course_config.ASSIGNMENTS[name]``)."""

    points: dict[str, float]  # of every task, graded by the kit or by hand
    graded_tasks: list[str]  # the code tasks the kit checks, in notebook order
    canvas: Canvas
    gradescope: Gradescope
    on_submit: OnSubmit
    task_timeout: dict[str, float]  # seconds for each graded task's checks
    # when it is due (ISO 8601 with its UTC offset) or None; what late work loses (absent: None, "none")
    deadline: NotRequired[str | None]
    late_policy: NotRequired[LatePolicy]
    rtol: float
    atol: float
    grad_rtol: float
    grad_atol: float
    diagnosis_rtol: float
    diagnosis_atol: float
    train_check_epochs: int
    train_check_lr: float
    train_check_rtol: float
    train_check_atol: float
    train_start: tuple[float, ...]
    train_epochs: int
    train_lr: float
    train_frames: int
    train_samples: int
    # how convergence is judged: near a target ...
    train_target: NotRequired[tuple[float, ...]]
    train_tolerance: NotRequired[float]
    # ... or on what the trained network computes and pins down
    train_unseen_mse: NotRequired[float]
    train_invariant_tolerance: NotRequired[float]


class Similarity(TypedDict):
    noise: int
    guarantee: int
    threshold: float
    min_tokens: int
    max_pairs: int


# every value this module reads from course_config.py
_READ = (
    "COURSE_ID",
    "GRADER_SEED",
    "ASSIGNMENTS",
    "SIMILARITY",
    "CELL_TIMEOUT",
    "MEMORY_LIMIT_MB",
    "FILE_LIMIT_BYTES",
    "DISK_LIMIT_MB",
    "DISK_LIMIT_FILES",
    "SANDBOX_UID_BASE",
    "SANDBOX_GID",
    "SERVICE_RESCAN_SECONDS",
    "SERVICE_JOBS",
)
_SHOWN = ("score", "messages", "diagnosis")  # what a feedback page of the grading service may show
_LATE_METHODS = ("none", "zero", "per_hour")  # what late work may lose (``LatePolicy``)


def _deadline_problems(where, values):
    """What is wrong with an assignment's deadline and late policy (see course_config.py)."""
    found, deadline = [], values.get("deadline")
    if deadline is not None:
        try:
            zoned = datetime.datetime.fromisoformat(deadline).tzinfo is not None
        except (TypeError, ValueError):
            zoned = False
        if not zoned:
            found.append(f"{where}['deadline'] is {deadline!r}: an ISO 8601 time with its UTC offset, or None")
    policy = values.get("late_policy", {"method": "none"})
    method = policy.get("method") if isinstance(policy, dict) else None
    if method not in _LATE_METHODS:
        found.append(f"{where}['late_policy'] is {policy!r}: its \"method\" is one of {_LATE_METHODS}")
    elif method == "per_hour":
        rate = policy.get("per_hour")
        if isinstance(rate, bool) or not isinstance(rate, int | float) or not 0 < rate <= 1:
            found.append(f"{where}['late_policy']['per_hour'] is {rate!r}: a fraction above 0, at most 1")
    return found


def problems(course):
    """What does not fit together in a settings module (empty when it is fine): each a line
    naming the setting, for an instructor who edited course_config.py."""
    found = []
    for name in _READ:
        if not hasattr(course, name):
            found.append(f"course_config.{name} is missing")
    for assignment, values in getattr(course, "ASSIGNMENTS", {}).items():
        where = f"course_config.ASSIGNMENTS[{assignment!r}]"
        missing = [key for key in Assignment.__required_keys__ if key not in values]
        if missing:
            found.append(f"{where} has no {', '.join(missing)}")
            continue
        for task in values["graded_tasks"]:
            for key in ("points", "task_timeout"):
                if task not in values[key]:
                    found.append(f"{where}[{key!r}] has nothing for the graded task {task!r}")
        shows = values["on_submit"].get("shows", ())
        if "score" not in shows or set(shows) - set(_SHOWN):
            found.append(f"{where}['on_submit']['shows'] is {shows!r}: \"score\" and any of {_SHOWN[1:]}")
        for task, points in values["points"].items():
            if not isinstance(points, int | float) or points < 0:
                found.append(f"{where}['points'][{task!r}] is {points!r}: points are a number, 0 or more")
        found += _deadline_problems(where, values)
    return found


class SettingsError(ValueError):
    """course_config.py does not fit together."""


if _problems := problems(_course):
    raise SettingsError(
        "course_config.py does not fit together (fix it and run again):\n  - " + "\n  - ".join(_problems)
    )

COURSE_ID: str = _course.COURSE_ID
GRADER_SEED: int = _course.GRADER_SEED  # the hidden inputs are drawn from it
ASSIGNMENTS: dict[str, Assignment] = _course.ASSIGNMENTS  # the same dicts: in course order
SIMILARITY: Similarity = _course.SIMILARITY
CELL_TIMEOUT: float = _course.CELL_TIMEOUT
MEMORY_LIMIT_MB: int = _course.MEMORY_LIMIT_MB
FILE_LIMIT_BYTES: int = _course.FILE_LIMIT_BYTES
DISK_LIMIT_MB: int = _course.DISK_LIMIT_MB
DISK_LIMIT_FILES: int = _course.DISK_LIMIT_FILES
SANDBOX_UID_BASE: int = _course.SANDBOX_UID_BASE
SANDBOX_GID: int = _course.SANDBOX_GID
SERVICE_RESCAN_SECONDS: float = _course.SERVICE_RESCAN_SECONDS
SERVICE_JOBS: int | None = _course.SERVICE_JOBS


def assignments():
    """The course's assignments, in course order."""
    return list(ASSIGNMENTS)


def assignment(name) -> Assignment:
    return ASSIGNMENTS[name]


def graded_tasks(name):
    return list(ASSIGNMENTS[name]["graded_tasks"])


def graders_folder(name=None):
    """The folder of an assignment's hidden graders (of every assignment's, without ``name``)."""
    folder = os.path.join(ROOT, *GRADERS.split("."))
    return os.path.join(folder, name) if name else folder


def points(name, task):
    return float(ASSIGNMENTS[name]["points"][task])
