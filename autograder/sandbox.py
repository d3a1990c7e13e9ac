"""Isolation of student code.

- **bubblewrap** (Debian's ``bubblewrap``, ``bwrap``): each worker runs in its own mount,
  PID, network and IPC namespaces.  The whole file system is read-only except the worker's
  own folder, so student code cannot write the instructor's files, the results, the
  gradebook or another student's files; it has no network; and when the worker ends, the
  kernel ends every process in its PID namespace.  bubblewrap wraps the warm worker, not
  each notebook, so notebooks still start by a fork of a process that has already
  imported torch.
- **An unprivileged user** (when grading runs as root): the worker keeps only the
  capabilities to change user and to signal, and each forked child drops to a user of its
  own (course_config.SANDBOX_UID_BASE + worker) with no capabilities, so student code
  cannot signal the worker that judges its steps' timing or anything else outside it.
- Where bwrap is missing or cannot create namespaces, or without root, grading goes on
  with what is left, and says so.
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
PR_SET_PDEATHSIG = 1
SCRATCH_MAX_BYTES = 50 * 1024 * 1024
BWRAP = shutil.which("bwrap") or "/usr/bin/bwrap"


def _needed_paths():
    """What the worker's unprivileged children must be able to read: Python and the kit."""
    import sys

    from autograder.submission import ROOT

    return sorted({os.path.realpath(p) for p in (sys.base_prefix, sys.prefix, ROOT)})


def _hidden_ancestors(paths):
    """Folders on the way to ``paths`` that other users cannot enter (such as /root)."""
    found = set()
    for path in paths:
        parts = path.split(os.sep)
        for i in range(2, len(parts)):
            folder = os.sep.join(parts[:i])
            if not os.stat(folder).st_mode & 0o001:
                found.add(folder)
                break
    return sorted(found)


def _folders_to(path, start="/"):
    """bwrap arguments that make every folder between ``start`` and ``path`` enterable
    (bwrap would otherwise create them private to root)."""
    args = []
    parent = os.path.dirname(path)
    chain = []
    while parent != start and parent.startswith(start):
        chain.append(parent)
        parent = os.path.dirname(parent)
    for folder in reversed(chain):
        args += ["--perms", "0755", "--dir", folder]
    return args


def _bwrap_args(writable, hidden=()):
    """The file system: everything read-only, /tmp and (as root) folders such as /root
    replaced by empty ones that hold, read-only, only what the worker needs (Python and
    the kit, which may well live in /tmp or /root), the ``hidden`` folders (the
    submissions) replaced by empty ones, and ``writable``."""
    paths = _needed_paths()
    args = [BWRAP, "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc"]
    emptied = ["/tmp"] + (_hidden_ancestors(paths) if can_drop_privileges() else [])
    for folder in emptied:
        args += ["--perms", "0755", "--tmpfs", folder]
        for path in paths:
            if path.startswith(folder + os.sep):
                args += _folders_to(path, folder) + ["--ro-bind", path, path]
    from autograder.submission import ROOT

    essential = [p for p in paths if p != ROOT] + [os.path.join(ROOT, "autograder"),
                                                    os.path.join(ROOT, "course_config.py")]
    for folder in sorted(set(hidden)):
        folder = os.path.realpath(folder)
        needed = any(p == folder or p.startswith(folder + os.sep) or folder.startswith(p + os.sep)
                     for p in essential)
        if os.path.isdir(folder) and folder not in ("/", "/tmp") and not needed:
            args += ["--tmpfs", folder]
    if can_drop_privileges():
        args += ["--cap-drop", "ALL", "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID",
                 "--cap-add", "CAP_KILL"]
    else:
        args += ["--cap-drop", "ALL"]
    return args + [
        *_folders_to(writable, "/tmp"),
        "--bind", writable, writable, "--unshare-pid", "--unshare-net", "--unshare-ipc",
        "--unshare-uts", "--die-with-parent", "--new-session",
    ]


def can_drop_privileges():
    return os.geteuid() == 0


def worker_ids(slot):
    """(uid, gid) that student code of worker ``slot`` runs as, or None when it cannot."""
    if not can_drop_privileges() or bwrap_problem() is not None:
        return None
    return config.SANDBOX_UID_BASE + slot, config.SANDBOX_GID


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
    """A line for the instructor when student code runs in a weaker sandbox, else None."""
    problem = bwrap_problem()
    if problem is not None:
        return (
            f"warning: {problem}. Student code still runs in a separate process, in a scratch "
            "folder, with time and memory limits and its processes cleaned up, but it could "
            "write to any file your user can write."
        )
    if not can_drop_privileges():
        return (
            "warning: grading is not running as root, so student code runs as your own user "
            "(inside bubblewrap, with a read-only file system): it could stop the worker that "
            "grades it, which may cost that notebook more than the task at fault."
        )
    return None


def wrap(command, writable, hidden=()):
    """``command`` run inside the sandbox, with only ``writable`` writable and the
    ``hidden`` folders out of sight; unchanged when bubblewrap cannot be used."""
    if bwrap_problem() is not None:
        return command
    return [*_bwrap_args(writable, hidden), "--", *command]


def submission_folders(submissions):
    """The folders holding the notebooks being graded (for a class, its submitted/):
    student code should not read other students' work."""
    folders = set()
    for s in submissions:
        folder = os.path.dirname(os.path.abspath(s.notebook))
        if s.student:  # .../submitted/<student>/<assignment>/<notebook>
            folder = os.path.dirname(os.path.dirname(folder))
        folders.add(folder)
    return sorted(folders)


class ScratchArea:
    """A private folder per run, with a folder per worker and a scratch folder per notebook."""

    def __init__(self):
        self.root = tempfile.mkdtemp(prefix="rnn-sum-grading-")
        os.chmod(self.root, 0o711)  # workers' users pass through to their own folders

    def worker_folder(self, slot):
        path = os.path.join(self.root, f"worker-{slot}")
        os.makedirs(path, exist_ok=True)
        return path

    def copy(self, notebook, slot, ids=None):
        """A scratch copy of the notebook's folder (its files, up to a size budget), owned
        by the user ``ids`` that student code will run as."""
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
        if ids:
            for folder_, _, files in os.walk(scratch):
                os.chown(folder_, *ids)
                for f in files:
                    os.chown(os.path.join(folder_, f), *ids)
        os.chmod(scratch, 0o700)
        return scratch

    @staticmethod
    def remove(scratch):
        shutil.rmtree(scratch, ignore_errors=True)

    def close(self):
        shutil.rmtree(self.root, ignore_errors=True)


def enter(scratch, ids):
    """In the forked child, before any student code: a session of its own, the limits,
    the unprivileged user ``ids`` if given, and the scratch folder."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)  # end with the worker
    os.setsid()
    for kind, value in [
        (resource.RLIMIT_AS, config.MEMORY_LIMIT_MB * 1024 * 1024),
        (resource.RLIMIT_FSIZE, config.FILE_LIMIT_BYTES),
        (resource.RLIMIT_CORE, 0),
    ]:
        resource.setrlimit(kind, (value, value))
    if ids:
        uid, gid = ids
        os.setgroups([])
        os.setresgid(gid, gid, gid)
        os.setresuid(uid, uid, uid)  # from root to a user: every capability is gone too
    os.chdir(scratch)
    os.environ.update(HOME=scratch, TMPDIR=scratch, MPLCONFIGDIR=scratch)
    tempfile.tempdir = scratch


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
