"""The worker's side of the sandbox: entering it in a forked child, and cleaning up."""

import ctypes
import os
import resource
import signal
import tempfile

from autograder.inside import landlock

PR_SET_CHILD_SUBREAPER = 36
PR_SET_PDEATHSIG = 1


def enter(scratch, ids, limits, allow=None):
    """In the forked child, before any student code: a session of its own, the limits
    ({"memory_bytes", "file_bytes"}), the unprivileged user ``ids`` if given, the Landlock
    allowlist ``allow`` ({"read": [...], "write": [...]}) if given, and the scratch folder
    as working directory, HOME and TMPDIR."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)  # end with the worker
    os.setsid()
    for kind, value in [
        (resource.RLIMIT_AS, limits["memory_bytes"]),
        (resource.RLIMIT_FSIZE, limits["file_bytes"]),
        (resource.RLIMIT_CORE, 0),
    ]:
        resource.setrlimit(kind, (value, value))
    # the allowlist's paths are opened while the process may still pass every folder
    ruleset = landlock.prepare(allow["read"], allow["write"]) if allow else None
    if ids:
        uid, gid = ids
        os.setgroups([])
        os.setresgid(gid, gid, gid)
        os.setresuid(uid, uid, uid)  # from root to a user: every capability is gone too
    if ruleset is not None:
        landlock.restrict(ruleset)
    os.chdir(scratch)
    os.environ.update(HOME=scratch, TMPDIR=scratch)
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
        fields = stat[stat.rindex(b")") + 2 :].split()
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
