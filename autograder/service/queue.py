"""The grading service's queue: huey's, on SQLite (one machine, no server) or on Redis (grading
workers on several machines), with one task, ``grade``, that every worker runs.

The queue carries only what the service's own processes put on it, signed with a key of the
course (huey's ``SignedSerializer``): a task someone else wrote into the queue's file or into
Redis is refused, never unpickled.  The key is ``AUTOGRADER_QUEUE_KEY``, or the file ``queue.key``
in the service's state folder, made on first use (0600); workers on other machines need the
same key (docs/hub.md).
"""

import os
import secrets
import shutil
import tempfile
import threading

from huey import RedisHuey, SqliteHuey
from huey.serializer import SignedSerializer

from autograder import runner
from autograder.runner import boundary
from autograder.runner import submission as sub
from autograder.service import inbox

NAME = "autograder-grading"
_pool = None
_pool_lock = threading.Lock()


def key(state):
    """The queue's signing key: ``AUTOGRADER_QUEUE_KEY``, or the state folder's ``queue.key``."""
    if os.environ.get("AUTOGRADER_QUEUE_KEY"):
        return os.environ["AUTOGRADER_QUEUE_KEY"]
    path = os.path.join(state, "queue.key")
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        with open(path) as f:
            return f.read().strip()
    with os.fdopen(fd, "w") as f:
        f.write(secrets.token_hex(32))
    return key(state)


def connect(url, state):
    """huey on ``url`` (``sqlite`` for a file in the folder ``state``, or ``redis://...``), and its
    task ``grade``."""
    serializer = SignedSerializer(secret=key(state), salt=NAME)
    if url.startswith(("redis://", "rediss://", "unix://")):
        huey = RedisHuey(NAME, url=url, serializer=serializer)
    elif url == "sqlite":
        huey = SqliteHuey(NAME, filename=os.path.join(state, "queue.db"), serializer=serializer)
    else:
        raise ValueError(f"--queue {url!r}: `sqlite` or a redis:// URL")
    return huey, huey.task(name="grade", retries=0)(grade)


def workers(jobs):
    """This process's warm workers (started at the first notebook, kept until it ends)."""
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = runner.Workers(runner.jobs_for(jobs, jobs))
        return _pool


def close():
    global _pool
    with _pool_lock:
        if _pool is not None:
            _pool.close()
            _pool = None


def grade(ref, jobs=None):
    """A queued submission graded: {"record", "details", "notebook": the graded bytes}.

    ``ref`` names it in the exchange ({"id", "path", "student", "assignment"}).  The notebook is
    copied first, at most one byte over the boundary's limit, into a folder of the worker's own:
    what is graded, and later written into the gradebook, is that copy, whatever the student does
    to the exchange meanwhile.  A submission of a student who has submitted the assignment again
    since is not graded: {"superseded": the later one's id}."""
    everything = inbox.scan(os.path.dirname(ref["path"]))
    newer = inbox.newer(inbox.parse(ref["path"]), [s for s in everything if not inbox.problem(s)])
    if newer:
        return {"superseded": newer.id}
    folder = tempfile.mkdtemp(prefix="autograder-service-")
    try:
        notebook = os.path.join(folder, ref["student"], ref["assignment"], f"{ref['assignment']}.ipynb")
        os.makedirs(os.path.dirname(notebook))
        _copy(os.path.join(ref["path"], f"{ref['assignment']}.ipynb"), notebook)
        record, details = workers(jobs).grade(sub.Submission(notebook, ref["assignment"], ref["student"]))
        with open(notebook, "rb") as f:
            data = f.read()
        record["notebook"] = ref["id"]
        return {"record": record, "details": details, "notebook": data}
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _copy(source, dest):
    """Copy a regular file (never through a symbolic link), at most one byte past the limit."""
    fd = os.open(source, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    with os.fdopen(fd, "rb") as f, open(dest, "wb") as out:
        if not os.path.stat.S_ISREG(os.fstat(f.fileno()).st_mode):
            raise OSError(f"{source} is not a file")
        out.write(f.read(boundary.NOTEBOOK_MAX_BYTES + 1))
