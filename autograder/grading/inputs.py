"""Whose hidden inputs: each task's hidden inputs derived per student and attempt from a course secret.

Without a secret every notebook is graded on inputs drawn from ``GRADER_SEED`` (course_config.py),
the same for every student and every run.  With one, the inputs of a notebook are drawn from

    seed = HMAC(HMAC(secret, "inputs" NUL assignment), student NUL attempt)

where ``attempt`` is a submission's number (the feedback it gets on Submit) or ``final`` (the
grade that reaches the gradebook and the LMS, on inputs no feedback showed).  A record says how
its inputs were derived (``Inputs.record``: the student, the attempt and a digest naming the
secret, never the secret), and the same secret derives them again anywhere (``seed_of``).

The secret is read from the environment variable ``AUTOGRADER_SECRET``, else from the file that
``AUTOGRADER_SECRET_FILE`` names, else from ``default_file()``.  ``python -m autograder secret``
makes that file (0600, random) and, with ``--rotate``, a new one for a new term, keeping the old.
A zip built for another machine (Gradescope) carries only its assignment's key (``assignment_key``),
from which neither the secret nor another assignment's inputs follow: the file ``KEY_FILE`` named
by ``AUTOGRADER_INPUTS_KEY_FILE``.
"""

import functools
import hashlib
import hmac
import json
import os
import secrets as _random
from dataclasses import dataclass

from autograder import settings as config

ENV_SECRET = "AUTOGRADER_SECRET"
ENV_FILE = "AUTOGRADER_SECRET_FILE"
ENV_KEY_FILE = "AUTOGRADER_INPUTS_KEY_FILE"  # a zip's one assignment key (Gradescope)
FINAL = "final"  # the attempt whose inputs give the grade: no feedback ever showed them


class SecretError(ValueError):
    """The course secret cannot be read, or is not the one a record was graded with."""


def default_file():
    """Where the course secret lives when nothing else names it: in the instructor's own
    configuration folder, never in the repository."""
    home = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return os.path.join(home, "autograder", f"{config.COURSE_ID}.secret")


def digest(secret: bytes) -> str:
    """The first 12 hex digits of a hash of the secret: names it in records and lines, reveals nothing."""
    return hmac.new(secret, b"autograder secret digest", hashlib.sha256).hexdigest()[:12]


def assignment_key(secret: bytes, assignment: str) -> bytes:
    return hmac.new(secret, b"inputs\0" + assignment.encode(), hashlib.sha256).digest()


@dataclass(frozen=True)
class Secret:
    """The course secret as read (``keys`` alone: a zip's assignment key), and where from."""

    digest: str
    where: str
    value: bytes | None = None
    keys: tuple[tuple[str, bytes], ...] = ()

    def key(self, assignment):
        if self.value is not None:
            return assignment_key(self.value, assignment)
        for name, key in self.keys:
            if name == assignment:
                return key
        held = ", ".join(name for name, _ in self.keys)
        raise SecretError(f"{self.where} holds the inputs key of {held}, not of {assignment}")


def _read_file(path, what):
    try:
        mode = os.stat(path).st_mode
        with open(path, "rb") as f:
            text = f.read().strip()
    except OSError as exc:
        raise SecretError(f"{what} {path} cannot be read ({exc.strerror})") from None
    if mode & 0o004:
        raise SecretError(f"{what} {path} may be read by anyone on this machine: `chmod 600 {path}`, then a new one")
    if not text:
        raise SecretError(f"{what} {path} is empty")
    return text


def _from_environment(environ) -> Secret | None:
    if environ.get(ENV_SECRET):
        value = environ[ENV_SECRET].encode()
        return Secret(digest(value), f"${ENV_SECRET}", value)
    if environ.get(ENV_FILE):
        path = environ[ENV_FILE]
        value = _read_file(path, f"${ENV_FILE} names {path}, but the secret file")
        return Secret(digest(value), path, value)
    if environ.get(ENV_KEY_FILE):
        path = environ[ENV_KEY_FILE]
        data = json.loads(_read_file(path, "the inputs key file"))
        return Secret(data["secret"], path, None, ((data["assignment"], bytes.fromhex(data["key"])),))
    path = default_file()
    if not os.path.exists(path):
        return None
    value = _read_file(path, "the secret file")
    return Secret(digest(value), path, value)


@functools.cache
def _cached(items):
    return _from_environment(dict(items))


def secret() -> Secret | None:
    """The course secret, or None (every student gets the fixed seed's inputs); SecretError when one is
    named but cannot be read.  Read once per process and environment."""
    names = (ENV_SECRET, ENV_FILE, ENV_KEY_FILE, "XDG_CONFIG_HOME", "HOME")
    return _cached(tuple((n, os.environ.get(n)) for n in names))


def make(path=None, rotate=False):
    """Make the secret file (0600, in a 0700 folder) if it does not exist; with ``rotate``, the
    existing one is kept as ``<path>.<its digest>`` first.  Returns (path, digest, what was done)."""
    path = path or os.environ.get(ENV_FILE) or default_file()
    os.makedirs(os.path.dirname(os.path.abspath(path)), mode=0o700, exist_ok=True)
    done = []
    if os.path.exists(path):
        old = _read_file(path, "the secret file")
        if not rotate:
            return path, digest(old), "kept"
        os.replace(path, f"{path}.{digest(old)}")
        done.append(f"the old one kept as {path}.{digest(old)}")
    value = _random.token_hex(32).encode()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(value + b"\n")
    _cached.cache_clear()
    return path, digest(value), "made" + (f" ({done[0]})" if done else "")


@dataclass(frozen=True)
class Inputs:
    """How one notebook's hidden inputs are derived."""

    student: str | None
    attempt: int | str  # a submission's number, or FINAL
    secret: str  # the secret's digest
    seed: str  # what the tasks' random sources are drawn from (never written anywhere)

    def record(self):
        """The record's ``inputs`` (docs/records.md)."""
        return {"student": self.student, "attempt": self.attempt, "secret": self.secret}


def derive(assignment, student, attempt=FINAL, course_secret=None) -> Inputs | None:
    """The inputs of a student's notebook at an attempt, or None without a secret."""
    course_secret = course_secret or secret()
    if course_secret is None:
        return None
    message = f"{student or ''}\0{attempt}".encode()
    seed = hmac.new(course_secret.key(assignment), message, hashlib.sha256).hexdigest()
    return Inputs(student, attempt, course_secret.digest, seed)


def seed_of(assignment, record_inputs) -> str | None:
    """The seed of a record's ``inputs`` (None: the fixed seed), derived again with the secret
    here; SecretError when that is not the secret the record was graded with."""
    if not record_inputs:
        return None
    here = secret()
    if here is None or here.digest != record_inputs["secret"]:
        found = f"the secret here is {here.digest}" if here else "there is no secret here"
        raise SecretError(f"the record's inputs were derived from the secret {record_inputs['secret']}, {found}")
    return derive(assignment, record_inputs["student"], record_inputs["attempt"], here).seed


def announce():
    """The line a run says once: which inputs it grades on."""
    found = secret()
    if found is None:
        return (
            f"hidden inputs: the fixed seed of course_config.py, the same for every student "
            f"(no course secret: `python -m autograder secret` makes one in {default_file()})"
        )
    return f"hidden inputs: derived per student and attempt from the course secret {found.digest} ({found.where})"
