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
import socket
import tempfile
import threading
import time

from huey import PriorityRedisHuey, SqliteHuey
from huey.serializer import SignedSerializer

from autograder import runner
from autograder.runner import boundary
from autograder.runner import submission as sub
from autograder.service import inbox

NAME = "autograder-grading"
BEAT = 1.0  # seconds between two heartbeats of a grading process
# a process of the queue: its heartbeat, and the task it holds, are kept under this name in the queue
PROCESS = f"{socket.gethostname()}:{os.getpid()}"
_pool = None
_pool_lock = threading.Lock()
_huey = None


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
        huey = PriorityRedisHuey(NAME, url=url, serializer=serializer)
    elif url == "sqlite":
        huey = SqliteHuey(NAME, filename=os.path.join(state, "queue.db"), serializer=serializer)
    else:
        raise ValueError(f"--queue {url!r}: `sqlite` or a redis:// URL")
    global _huey
    _huey = huey
    return huey, huey.task(name="grade", retries=0, context=True)(grade)


def heartbeat(huey, stop):
    """Say, every ``BEAT`` seconds until ``stop`` is set, that this process is alive (a thread)."""

    def beat():
        count = 0
        while not stop.wait(0 if count == 0 else BEAT):
            count += 1
            huey.put(f"alive:{PROCESS}", count)

    threading.Thread(target=beat, daemon=True, name="heartbeat").start()


class Leases:
    """Which queued tasks are lost: taken from the queue by a process that has since stopped (its
    heartbeat has not changed for ``timeout`` seconds), or by none for as long.  The writer asks;
    it reads the heartbeats each grading process keeps in the queue (``heartbeat``)."""

    def __init__(self, huey, timeout=10.0):
        self.huey, self.timeout = huey, timeout
        self.seen = {}  # {key: (value, when it last changed, by this process's clock)}

    def _unchanged_for(self, key, value):
        last = self.seen.get(key)
        now = time.monotonic()
        if last is None or last[0] != value:
            self.seen[key] = (value, now)
            return 0.0
        return now - last[1]

    def lost(self, tasks):
        """The task ids of ``tasks`` (queued, in the ledger) that no process will finish."""
        waiting = {t.id for t in self.huey.pending()}
        found = []
        for task in tasks:
            if task in waiting or self.huey.storage.has_data_for_key(task):
                self.seen.pop(f"held:{task}", None)
                continue
            holder = self.huey.get(f"running:{task}", peek=True)
            if holder is None:  # taken, by no process that said so: lost after a while
                stale = self._unchanged_for(f"held:{task}", None) >= self.timeout
            elif _gone(holder):
                stale = True
            else:
                stale = (
                    self._unchanged_for(f"alive:{holder}", self.huey.get(f"alive:{holder}", peek=True)) >= self.timeout
                )
            if stale:
                found.append(task)
        return found

    def forget(self, task):
        self.huey.get(f"running:{task}")
        self.seen.pop(f"held:{task}", None)


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


def _gone(holder):
    """Whether ``holder`` (a ``PROCESS``) is a process of this machine that no longer runs."""
    host, _, pid = holder.rpartition(":")
    return host == socket.gethostname() and pid.isdigit() and not os.path.exists(f"/proc/{pid}")


def grade(ref, task=None, jobs=None):
    """A queued submission graded: {"record", "details", "notebook": the graded bytes}.

    ``ref`` names it in the exchange ({"id", "path", "student", "assignment", "timestamp"}),
    gives its ``attempt`` number, and ``inputs``: the attempt whose hidden inputs it is graded on
    (its own number, for its page; or ``final``, for its grade).  The notebook is
    copied first, at most one byte over the boundary's limit, into a folder of the worker's own:
    what is graded, and later written into the gradebook, is that copy, whatever the student does
    to the exchange meanwhile.  A submission of a student who has submitted the assignment again
    since is not graded: {"superseded": the later one's id}."""
    if task is not None and _huey is not None:  # this process holds it (``Leases``)
        _huey.put(f"running:{task.id}", PROCESS)
    everything = inbox.scan(os.path.dirname(ref["path"]))
    newer = inbox.newer(inbox.parse(ref["path"]), [s for s in everything if not inbox.problem(s)])
    if newer:
        return {"superseded": newer.id}
    folder = tempfile.mkdtemp(prefix="autograder-service-")
    try:
        notebook = os.path.join(folder, ref["student"], ref["assignment"], f"{ref['assignment']}.ipynb")
        os.makedirs(os.path.dirname(notebook))
        _copy(os.path.join(ref["path"], f"{ref['assignment']}.ipynb"), notebook)
        submission = sub.Submission(notebook, ref["assignment"], ref["student"], timestamp=ref["timestamp"])
        record, details = workers(jobs).grade(sub.with_inputs(submission, ref.get("inputs", ref["attempt"])))
        with open(notebook, "rb") as f:
            data = f.read()
        record["notebook"] = ref["id"]
        return {"record": record, "details": details, "notebook": data, "by": PROCESS}
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _copy(source, dest):
    """Copy a regular file (never through a symbolic link), at most one byte past the limit."""
    fd = os.open(source, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    with os.fdopen(fd, "rb") as f, open(dest, "wb") as out:
        if not os.path.stat.S_ISREG(os.fstat(f.fileno()).st_mode):
            raise OSError(f"{source} is not a file")
        out.write(f.read(boundary.NOTEBOOK_MAX_BYTES + 1))
