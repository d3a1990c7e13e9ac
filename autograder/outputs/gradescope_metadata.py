"""What a Gradescope run knows of its upload, and the inputs key its zip carries (issue 24).

Gradescope writes ``<root>/submission_metadata.json`` beside every upload (documented at
gradescope-autograders.readthedocs.io, "Submission Metadata"): whose it is (``users``, the first
user's ``id`` becomes the record's student), how many submissions came before it
(``previous_submissions``: this one is attempt N + 1), when it was made (``created_at``) and when
it is due (the user's own ``assignment.due_date``, an extension, else the assignment's
``due_date``).  A run without that file (a local run) grades as before: no student, the fixed seed.

A zip built where a course secret exists carries ``KEY_FILE``: that one assignment's inputs key
(``inputs.assignment_key``) and the secret's digest, never the secret, from which neither the
secret nor another assignment's inputs follow.  ``use_key`` points ``AUTOGRADER_INPUTS_KEY_FILE``
at it before anything reads the secret; the upload is then graded twice on the same warm worker:
on its attempt's inputs (the tests the student sees) and on the ``final`` ones (the score
Gradescope keeps and exports).
"""

import json
import os
from dataclasses import dataclass

from autograder.grading import deadlines, inputs
from autograder.runner import submission as sub

METADATA = "submission_metadata.json"
KEY_FILE = "inputs_key.json"  # at the zip's top, beside course_config.py: /autograder/source/inputs_key.json


@dataclass(frozen=True)
class Upload:
    """What Gradescope's metadata says of one upload."""

    student: str  # the first user's Gradescope id
    attempt: int  # 1 for a student's first submission of the assignment
    created_at: str | None  # when it was submitted (ISO 8601)
    due_at: str | None  # when it was due for this student (an extension), else for the assignment; None: not said


class MetadataError(ValueError):
    """Gradescope's metadata file cannot be read, or names no user."""


def read(root) -> Upload | None:
    """The upload ``<root>/submission_metadata.json`` describes, or None where there is no such file."""
    path = os.path.join(root, METADATA)
    if not os.path.isfile(path):
        return None
    try:
        with open(path, encoding="utf-8") as f:
            return upload(json.load(f))
    except (OSError, ValueError, TypeError, KeyError, AttributeError) as exc:
        raise MetadataError(f"{path} cannot be read: {exc}") from None


def upload(data) -> Upload:
    users = data.get("users") or []
    if not users or users[0].get("id") in (None, ""):
        raise MetadataError("it names no user")
    first = users[0]
    due_at = (first.get("assignment") or {}).get("due_date") or (data.get("assignment") or {}).get("due_date")
    attempt = len(data.get("previous_submissions") or []) + 1
    for when in (data.get("created_at"), due_at):
        if when is not None:
            deadlines.parse_time(when)  # ValueError: no time
    return Upload(str(first["id"]), attempt, data.get("created_at"), due_at)


def key_text(assignment) -> str | None:
    """The text of the zip's ``KEY_FILE`` for ``assignment`` where a course secret is found here
    (``inputs.secret``), else None: the zip grades on the fixed seed."""
    found = inputs.secret()
    if found is None:
        return None
    key = {"assignment": assignment, "key": found.key(assignment).hex(), "secret": found.digest}
    return json.dumps(key, indent=1) + "\n"


def key_path(root):
    return os.path.join(root, "source", KEY_FILE)


def use_key(root):
    """Point ``AUTOGRADER_INPUTS_KEY_FILE`` at the zip's key (``<root>/source/inputs_key.json``) when
    the zip holds one and the environment names no key file already; returns the path or None.
    A secret the environment names itself (``AUTOGRADER_SECRET``, ``AUTOGRADER_SECRET_FILE``) is
    read before any key file: on Gradescope there is none.  The key file is made 0600 first (an
    unpacking may have lost the zip's mode, and ``inputs`` refuses a file anyone may read)."""
    path = key_path(root)
    if not os.path.isfile(path) or os.environ.get(inputs.ENV_KEY_FILE):
        return None
    try:
        os.chmod(path, 0o600)
    except OSError:
        pass  # not its owner: inputs says so if anyone may read it
    os.environ[inputs.ENV_KEY_FILE] = path
    return path


def submissions(notebook, assignment, found):
    """The Submissions to grade the upload's notebook as: [the attempt's] where there is no secret
    or no metadata (the fixed seed), else [the attempt's, the final one's]."""
    if found is None:
        return [sub.Submission(notebook, assignment, None)]
    shown = sub.Submission(notebook, assignment, found.student, timestamp=found.created_at)
    if inputs.secret() is None:
        return [shown]
    final = sub.Submission(notebook, assignment, found.student, timestamp=found.created_at)
    return [sub.with_inputs(shown, found.attempt), sub.with_inputs(final, inputs.FINAL)]


def with_late(record, found):
    """The record with its ``late`` as Gradescope's metadata says (``found`` None: as it is)."""
    if found is None:
        return record
    late = deadlines.late(record["assignment"], found.created_at, record["max_total"], found.due_at)
    record = {key: value for key, value in record.items() if key != "late"}
    return record if late is None else {**record, "late": late}
