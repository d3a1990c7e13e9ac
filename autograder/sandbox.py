"""Isolation of student code.

- **bubblewrap** (Debian's ``bubblewrap``, ``bwrap``): each worker runs in its own mount,
  PID, network and IPC namespaces with every capability dropped.  The whole file system is
  read-only except the worker's own scratch folder, so student code cannot write the
  instructor's files, the results, the gradebook or another student's files; it has no
  network; and when the worker ends, the kernel ends every process in its PID namespace.
  bubblewrap wraps the warm worker, not each notebook, so notebooks still start by a fork
  of a process that has already imported torch.  Where bwrap is missing or cannot create
  namespaces, grading goes on without it and says so.
- **A scratch folder** per notebook: a private copy of the submission's folder, the
  student's working directory, HOME and TMPDIR; deleted after grading.
- **Resource limits**: address space, file size, no core dumps.
- **A subreaper**: the worker is the child subreaper of everything a notebook starts, so
  processes that detach (double fork, ``setsid``) are still below it, and are killed when
  the notebook's grading ends.
"""

import ctypes
import functools
import os
import resource
import shutil
import signal
import subprocess
import tempfile

import course_config as config

PR_SET_CHILD_SUBREAPER = 36
SCRATCH_MAX_BYTES = 50 * 1024 * 1024
BWRAP = shutil.which("bwrap") or "/usr/bin/bwrap"


def _bwrap_args(writable):
    return [
        BWRAP, "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp",
        "--bind", writable, writable, "--unshare-pid", "--unshare-net", "--unshare-ipc",
        "--unshare-uts", "--die-with-parent", "--new-session", "--cap-drop", "ALL",
    ]


@functools.cache
def bwrap_problem():
    """None when bubblewrap works here, else why not (one line)."""
    if not os.path.exists(BWRAP):
        return "bubblewrap (bwrap) is not installed: apt-get install bubblewrap"
    probe = tempfile.mkdtemp(prefix="rnn-sum-bwrap-probe-")
    try:
        proc = subprocess.run([*_bwrap_args(probe), "--", "/bin/true"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"bubblewrap cannot run: {exc}"
    finally:
        shutil.rmtree(probe, ignore_errors=True)
    if proc.returncode != 0:
        return f"bubblewrap cannot create its namespaces here: {proc.stderr.strip()[:200]}"
    return None


def warning():
    """A line for the instructor when student code runs without the sandbox, else None."""
    problem = bwrap_problem()
    if problem is None:
        return None
    return (
        f"warning: {problem}. Student code still runs in a separate process, in a scratch "
        "folder, with time and memory limits and its processes cleaned up, but it could "
        "write to any file your user can write."
    )


def wrap(command, writable):
    """``command`` run inside the sandbox, with only ``writable`` writable; unchanged
    when bubblewrap cannot be used."""
    if bwrap_problem() is not None:
        return command
    return [*_bwrap_args(writable), "--", *command]


class ScratchArea:
    """A private folder per run, with a folder per worker and a scratch folder per notebook."""

    def __init__(self):
        self.root = tempfile.mkdtemp(prefix="rnn-sum-grading-")

    def worker_folder(self, slot):
        path = os.path.join(self.root, f"worker-{slot}")
        os.makedirs(path, exist_ok=True)
        return path

    def copy(self, notebook, slot):
        """A scratch copy of the notebook's folder (its files, up to a size budget)."""
        scratch = tempfile.mkdtemp(dir=self.worker_folder(slot), prefix="submission-")
        folder = os.path.dirname(os.path.abspath(notebook))
        budget = SCRATCH_MAX_BYTES
        for name in sorted(os.listdir(folder)):
            path = os.path.join(folder, name)
            if os.path.isfile(path) and not os.path.islink(path):
                size = os.path.getsize(path)
                if size <= budget:
                    budget -= size
                    shutil.copy(path, os.path.join(scratch, name))
        return scratch

    @staticmethod
    def remove(scratch):
        shutil.rmtree(scratch, ignore_errors=True)

    def close(self):
        shutil.rmtree(self.root, ignore_errors=True)


def enter(scratch):
    """In the forked child, before any student code: a session of its own, the scratch
    folder and the limits."""
    os.setsid()
    os.chdir(scratch)
    os.environ.update(HOME=scratch, TMPDIR=scratch, MPLCONFIGDIR=scratch)
    tempfile.tempdir = scratch
    for kind, value in [
        (resource.RLIMIT_AS, config.MEMORY_LIMIT_MB * 1024 * 1024),
        (resource.RLIMIT_FSIZE, config.FILE_LIMIT_BYTES),
        (resource.RLIMIT_CORE, 0),
    ]:
        resource.setrlimit(kind, (value, value))


def become_subreaper():
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_CHILD_SUBREAPER) failed")


def _children(pid):
    """Process ids whose parent is ``pid``."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        # the command name is in parentheses and may hold spaces: the parent pid follows it
        fields = stat[stat.rindex(b")") + 2:].split()
        if int(fields[1]) == pid:
            found.append(int(entry))
    return found


def kill_descendants(rounds=100):
    """Kill every process left below this one (a subreaper) and reap them all.
    Returns False if some were still there after ``rounds`` rounds (a fork bomb)."""
    me = os.getpid()
    for _ in range(rounds):
        children = _children(me)
        if not children:
            return True
        for pid in children:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        _reap()
    return not _children(me)


def _reap():
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
