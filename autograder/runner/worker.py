"""A warm worker and the children it forks: the processes that run student code.

A worker (the zygote) starts once, in the sandbox (``autograder.sandbox.wrap``), and imports
torch; it then forks one child per run of a notebook.  The runner talks to the worker over a
socket (a job, the child's pid, how the child ended) and to each child over two pipes: the
steps and each task's program go in, events come out (``autograder.inside.protocol``).
"""

import json
import os
import queue
import select
import selectors
import socket
import subprocess
import sys
import threading
import time

from autograder import sandbox
from autograder import settings as config
from autograder.runner.boundary import Malformed

STARTUP_TIMEOUT = 120  # seconds for a worker to import torch; not a limit on students
MAX_EVENT_BYTES = 64 * 1024 * 1024

# The cyclic garbage collector is off while the worker imports (a quarter of its start-up
# went to collections that found next to nothing); the worker turns it on before any fork.
_ZYGOTE = (
    "import gc; gc.disable(); import sys; sys.path.insert(0, {kit!r}); "
    "from autograder.inside.worker import serve; serve({fd})"
)


class WorkerFailed(RuntimeError):
    """A worker could not be started or stopped answering: no fault of the notebook."""


class Worker:
    """A warm worker process (the zygote) that forks one sandboxed child per run."""

    def __init__(self, slot, scratch_area, wait=True):
        self.slot = slot
        self.scratch_area = scratch_area
        self.folder = scratch_area.worker_folder(slot)
        self.ids = sandbox.worker_ids(slot)
        self.proc = None
        self._restarted = False
        self._spawn()
        if wait:
            self.wait_ready()

    def _spawn(self):
        """Start the worker process; it imports torch while the runner goes on (``wait_ready``)."""
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        home = os.path.join(self.folder, "home")
        os.makedirs(home, exist_ok=True)
        sandbox.seed_home(home)
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "MPLBACKEND": "Agg",
            "OMP_NUM_THREADS": "1",
            "MKL_NUM_THREADS": "1",
            "PYTHONHASHSEED": "0",
            "HOME": home,
            "MPLCONFIGDIR": home,
            "TMPDIR": home,
        }
        command = [sys.executable, "-I", "-B", "-c", _ZYGOTE.format(kit=sandbox.kit_path(), fd=theirs.fileno())]
        self.proc = subprocess.Popen(
            sandbox.wrap(command, self.folder),
            pass_fds=(theirs.fileno(),),
            env=env,
            cwd=self.folder,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        theirs.close()
        self.control = ours
        self._pending = b""
        self._ready = False

    def wait_ready(self):
        """Wait until the worker has imported everything (WorkerFailed if it cannot start)."""
        if self._ready:
            return self
        try:
            ready = self.receive(STARTUP_TIMEOUT)
        except (OSError, EOFError, TimeoutError, ValueError):
            ready = {}
        if "ready" not in ready:
            self.close()
            raise WorkerFailed("a grading worker failed to start")
        self._ready = True
        if not self._restarted:
            # no notebook has run in this worker's folder yet: what it built in its home can be
            # kept for later starts (after a restart, a notebook may have written there)
            sandbox.keep_home(os.path.join(self.folder, "home"))
        return self

    def receive(self, timeout):
        """The worker's next message; TimeoutError or EOFError when there is none."""
        deadline = time.monotonic() + timeout
        while b"\n" not in self._pending:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([self.control], [], [], remaining)[0]:
                raise TimeoutError
            chunk = self.control.recv(65536)
            if not chunk:
                raise EOFError
            self._pending += chunk
        line, self._pending = self._pending.split(b"\n", 1)
        try:
            return json.loads(line)
        except RecursionError:
            raise ValueError("a message nested too deeply") from None

    def kill_child(self):
        try:
            self.control.sendall(b"kill\n")
        except OSError:
            pass

    def run(self, steps, skip, scratch):
        """Fork a child that runs the steps not in ``skip``; returns a Run to read from."""
        job_r, job_w = os.pipe()
        events_r, events_w = os.pipe()
        limits = {"memory_bytes": config.MEMORY_LIMIT_MB * 1024 * 1024, "file_bytes": config.FILE_LIMIT_BYTES}
        allow = sandbox.job_allowlist(scratch, os.path.join(self.folder, "home"))
        job = {"scratch": scratch, "ids": self.ids, "limits": limits, "allow": allow}
        try:
            socket.send_fds(self.control, [json.dumps(job).encode()], [job_r, events_w])
            pid = self.receive(STARTUP_TIMEOUT)["pid"]
        except (OSError, EOFError, ValueError, KeyError):
            for fd in (job_r, job_w, events_r, events_w):
                os.close(fd)
            self.restart()
            raise WorkerFailed("a grading worker stopped answering") from None
        os.close(job_r)
        os.close(events_w)
        run = Run(self, pid, events_r, job_w)
        run.send({"steps": steps, "skip": sorted(skip)})
        return run

    def restart(self):
        self._restarted = True
        self.close()
        self._spawn()
        self.wait_ready()

    def close(self):
        try:
            self.control.close()
        except OSError:
            pass
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
        if self.proc:
            self.proc.wait()


class _Writer:
    """Lines to the child's job pipe, written by a thread of their own: a child that does
    not read cannot block the runner."""

    def __init__(self, fd):
        self.fd = fd
        self.queue = queue.SimpleQueue()
        threading.Thread(target=self._write, daemon=True).start()

    def send(self, message):
        self.queue.put((json.dumps(message) + "\n").encode())

    def close(self):
        self.queue.put(None)

    def _write(self):
        try:
            while (data := self.queue.get()) is not None:
                while data:
                    data = data[os.write(self.fd, data) :]
        except OSError:
            pass
        finally:
            os.close(self.fd)


class Run:
    """One child running a notebook: its events, read under deadlines."""

    def __init__(self, worker, pid, events_fd, job_fd):
        self.worker, self.pid, self._events = worker, pid, events_fd
        self._job = _Writer(job_fd)
        self._buffer = b""
        self._selector = selectors.DefaultSelector()
        self._selector.register(events_fd, selectors.EVENT_READ)
        self._status = None

    def send(self, message):
        """A line for the child: its steps first, then each task's program when it starts it."""
        self._job.send(message)

    def next_event(self, deadline):
        """The next event line, unread (``boundary.event`` reads it), or None when the deadline
        passed; EOFError when the child is gone, Malformed when its line is longer than MAX_EVENT_BYTES."""
        while b"\n" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not self._selector.select(remaining):
                return None
            chunk = os.read(self._events, 1 << 20)
            if not chunk:
                raise EOFError
            self._buffer += chunk
            if len(self._buffer) > MAX_EVENT_BYTES:
                raise Malformed(f"a line longer than {MAX_EVENT_BYTES // (1024 * 1024)} MB")
        line, self._buffer = self._buffer.split(b"\n", 1)
        return line

    def end(self, grace=0.0):
        """Stop the child if it still runs (after ``grace`` seconds to end by itself); the
        worker then kills what it started.  Returns how the child ended: {"exit": code},
        {"signal": name} or {"lost": True} when the worker itself was lost."""
        if self._status is None:
            try:
                try:
                    self._status = self.worker.receive(grace)["status"]
                except TimeoutError:
                    self.worker.kill_child()
                    self._status = self.worker.receive(STARTUP_TIMEOUT)["status"]
            except (OSError, EOFError, TimeoutError, ValueError, KeyError):
                self._status = {"lost": True}
            if self._status.get("lost"):
                self.worker.restart()
            self._job.close()
            self._selector.close()
            os.close(self._events)
        return self._status

    def death(self):
        """Why the child ended, in words (once its events stopped); WorkerFailed when the worker
        itself was lost and student code could not have stopped it."""
        status = self.end(grace=5.0)
        if "exit" in status:
            return f"the notebook's process exited (exit code {status['exit']})"
        if status.get("lost"):
            if self.worker.ids:  # student code, another user, cannot stop the worker: the machine did
                raise WorkerFailed("the grading worker running the notebook was lost")
            return "the grading process running the notebook was stopped"
        if status["signal"] == "SIGKILL":
            return "the notebook's process was killed (SIGKILL), possibly for using too much memory"
        return f"the notebook's process was killed by {status['signal']}"
