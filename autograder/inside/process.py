"""The worker's side of the sandbox: entering it in a forked child, and cleaning up."""

import ctypes
import errno
import os
import resource
import signal
import socket
import tempfile

from autograder.inside import landlock

try:  # a binding to the system's libseccomp.so.2; the zygote imports this module before it forks
    import pyseccomp as seccomp
except (ImportError, RuntimeError, OSError) as exc:  # RuntimeError: "Unable to find libseccomp"
    seccomp = None
    SECCOMP_PROBLEM = f"libseccomp cannot be loaded ({exc}): apt-get install libseccomp2, pip install pyseccomp"
else:
    SECCOMP_PROBLEM = None

PR_SET_CHILD_SUBREAPER = 36
PR_SET_PDEATHSIG = 1


def enter(scratch, ids, limits, allow=None):
    """In the forked child, before any student code: a session of its own, the limits
    ({"memory_bytes", "file_bytes"}), the unprivileged user ``ids`` if given, the Landlock
    allowlist ``allow`` ({"read": [...], "write": [...]}) if given, no socket (``forbid_sockets``,
    where libseccomp is installed), and the scratch folder as working directory, HOME and TMPDIR."""
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
    if seccomp is not None:
        forbid_sockets()
    os.chdir(scratch)
    os.environ.update(HOME=scratch, TMPDIR=scratch)
    tempfile.tempdir = scratch


# socketpair(AF_UNIX) types that stay allowed: a connected pair of the process's own, which no
# address can reach and which cannot be given one (connect says EISCONN, sendto with an address
# EOPNOTSUPP or EISCONN).  A SOCK_DGRAM (or SOCK_RAW) pair could be addressed to any named
# socket with sendto, so it is refused like any socket.
_PAIR_TYPES = (socket.SOCK_STREAM, socket.SOCK_SEQPACKET)
_SOCK_TYPE_MASK = 0xF  # the type's bits; the rest are SOCK_CLOEXEC and SOCK_NONBLOCK


def forbid_sockets():
    """Put a seccomp filter on this process (and all it will start), for good: ``socket`` fails
    with EPERM for every family (IP, Unix path-named and abstract, raw, packet, netlink, ...),
    and so do ``socketpair`` but for a connected AF_UNIX stream or seqpacket pair, io_uring
    (whose rings open sockets of their own) and ``pidfd_getfd`` (taking another process's
    socket); a system call of another ABI (32-bit) fails too.  Everything else is allowed."""
    deny = seccomp.ERRNO(errno.EPERM)
    rules = seccomp.SyscallFilter(defaction=seccomp.ALLOW)
    rules.set_attr(seccomp.Attr.ACT_BADARCH, deny)
    try:  # kernels before 5.16 would otherwise force their Speculative Store Bypass mitigation on a
        # filtered process, slowing its every tensor operation: it guards secrets within the process,
        # and the child holds none (the seed and the references never enter it)
        rules.set_attr(seccomp.Attr.CTL_SSB, 1)
    except OSError:  # a libseccomp or kernel without it: nothing to turn off
        pass
    rules.add_rule(deny, "socket")
    rules.add_rule(deny, "socketpair", seccomp.Arg(0, seccomp.NE, socket.AF_UNIX))
    for kind in range(_SOCK_TYPE_MASK + 1):
        if kind not in _PAIR_TYPES:
            rules.add_rule(deny, "socketpair", seccomp.Arg(1, seccomp.MASKED_EQ, _SOCK_TYPE_MASK, kind))
    for call in ("io_uring_setup", "io_uring_enter", "io_uring_register", "pidfd_getfd"):
        rules.add_rule(deny, call)
    rules.load()  # with no_new_privs, as Landlock's restrict_self sets it too


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
