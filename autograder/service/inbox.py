"""The exchange's inbound folder, as the grading service reads it: whose each submission is,
whether it is complete, and which attempt it is.

``nbgrader submit`` copies a student's assignment folder to
``<exchange>/<course>/inbound/<student>+<assignment>+<timestamp>+<random>/``, then writes
``timestamp.txt`` and, last, ``submission_secret.txt`` (which names the student's feedback page
in the exchange): a submission is complete once that file holds its secret.  The student is the
one the folder's name gives, checked against the folder's owner and its notebooks': a student
can create a folder in the inbound folder under anyone's name, but it is then theirs, and the
service rejects it.
"""

import dataclasses
import os
import pwd
import re

from autograder import settings as config

SECRET_LENGTH = 128  # hex digits of nbgrader's submission secret (secrets.token_hex(64))
_NAME = re.compile(r"^(?P<student>[^+/]+)\+(?P<assignment>[^+/]+)\+(?P<timestamp>[^+/]+)(?:\+(?P<random>[^+/]+))?$")


@dataclasses.dataclass(frozen=True)
class Submitted:
    """One submission in the inbound folder."""

    id: str  # the folder's name: unique in the exchange
    path: str
    student: str
    assignment: str
    timestamp: str  # nbgrader's, as the folder's name and timestamp.txt give it

    @property
    def notebook(self):
        return os.path.join(self.path, f"{self.assignment}.ipynb")

    def secret(self):
        with open(os.path.join(self.path, "submission_secret.txt")) as f:
            return f.read().strip()


def inbound(exchange, course_id=None):
    return os.path.join(exchange, course_id or config.COURSE_ID, "inbound")


def parse(path):
    """The submission at ``path`` (a folder of the inbound folder), or None when its name is not
    nbgrader's."""
    match = _NAME.match(os.path.basename(path))
    if not match:
        return None
    return Submitted(os.path.basename(path), path, match["student"], match["assignment"], match["timestamp"])


def complete(submitted):
    """Whether nbgrader has finished writing the submission (its secret is written last)."""
    try:
        return len(submitted.secret()) == SECRET_LENGTH
    except OSError:
        return False


def problem(submitted):
    """Why the service will not grade ``submitted`` (one line), or None: a submission is graded
    only for the student who made it, of an assignment of the course."""
    if submitted.assignment not in config.ASSIGNMENTS:
        return f"{submitted.assignment!r} is not an assignment of this course"
    try:
        owners = {_owner(submitted.path)}
        notebook = os.lstat(submitted.notebook)
    except (OSError, KeyError):
        return f"it holds no {submitted.assignment}.ipynb"
    if not os.path.isfile(submitted.notebook) or os.path.islink(submitted.notebook):
        return f"its {submitted.assignment}.ipynb is not a file"
    owners.add(_name(notebook.st_uid))
    if owners != {submitted.student}:
        return f"it is named for {submitted.student!r} but was made by {', '.join(sorted(map(str, owners)))}"
    return None


def _owner(path):
    return _name(os.lstat(path).st_uid)


def _name(uid):
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return uid


def scan(folder):
    """Every complete submission in the inbound ``folder``, oldest first (by nbgrader's timestamp)."""
    try:
        names = os.listdir(folder)
    except FileNotFoundError:
        return []
    found = [parse(os.path.join(folder, name)) for name in names]
    return sorted((s for s in found if s and complete(s)), key=lambda s: (s.timestamp, s.id))


def attempt(submitted, everything):
    """The attempt number of ``submitted`` (1 for a student's first submission of the
    assignment), among ``everything`` in the inbound folder."""
    mine = [s for s in everything if (s.student, s.assignment) == (submitted.student, submitted.assignment)]
    return 1 + sum((s.timestamp, s.id) < (submitted.timestamp, submitted.id) for s in mine)


def newer(submitted, everything):
    """A later complete submission of the same student and assignment, or None."""
    later = [
        s
        for s in everything
        if (s.student, s.assignment) == (submitted.student, submitted.assignment)
        and (s.timestamp, s.id) > (submitted.timestamp, submitted.id)
    ]
    return later[-1] if later else None
