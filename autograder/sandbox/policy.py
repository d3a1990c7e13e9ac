"""What holds here, tried for real: bubblewrap, else an unprivileged user, Landlock and seccomp.

Where bubblewrap cannot create namespaces (a container without privileges, as Gradescope's
often is), the child still drops to its unprivileged user (as root) and puts on itself the
same allowlist with Landlock (``autograder.inside.landlock``, where the kernel has it) and a
seccomp filter that leaves it no socket (``autograder.inside.process.forbid_sockets``), tried
for real on the course's files and on sockets before grading (``isolation``).  Only where they
hold is a record ``"sandboxed": true``; elsewhere grading says so loudly (``warning()``).  Where
that user cannot read the Python student code imports from, nothing is graded
(``environment_problem``).
"""

import dataclasses
import functools
import os

from autograder import settings as config
from autograder.inside import landlock
from autograder.sandbox.bwrap import (
    ETC,
    MERGED,
    SYSTEM,
    SYSTEM_HIDDEN,
    _mode,
    bwrap_problem,
    can_drop_privileges,
    kit_shown,
    python_paths,
)
from autograder.sandbox.reach import reach as _reach
from autograder.settings import ROOT


def worker_ids(slot):
    """(uid, gid) that student code of worker ``slot`` runs as, or None when it cannot.
    EnvironmentProblem where that user cannot import what student code may (no worker starts:
    ``environment_problem``)."""
    if not can_drop_privileges() or _mode() == "none":
        return None
    problem = environment_problem()
    if problem:
        raise EnvironmentProblem(problem)
    return config.SANDBOX_UID_BASE + slot, config.SANDBOX_GID


def _without(roots, hidden):
    """``roots`` with the ``hidden`` paths below them taken out: a folder holding a hidden
    path is replaced by its other entries (Landlock, unlike a mount, cannot subtract)."""
    kept = []
    for root in roots:
        inside = [h for h in hidden if h == root or h.startswith(root.rstrip("/") + "/")]
        if not inside:
            kept.append(root)
        elif root not in inside and os.path.isdir(root) and not os.path.islink(root):
            kept += _without([os.path.join(root, name) for name in sorted(os.listdir(root))], inside)
    return kept


def allowlist(scratch, home):
    """What student code may read where bubblewrap cannot show it a root of its own (the same
    allowlist: the system, Python and its packages, the worker's own code, a few devices,
    its worker's home), and its scratch folder, the only place it may write."""
    show, hide = python_paths()
    roots = [
        *SYSTEM,
        *(p for p in MERGED if os.path.isdir(p) and not os.path.islink(p)),
        *(p for p in ETC if os.path.exists(p)),
        *(os.path.realpath(p) for p in show),
        *(source for source, _ in kit_shown()),
        "/proc/self",  # the child's own, once it opens it
        home,
    ]
    return {"read": _without(sorted(set(roots)), [*SYSTEM_HIDDEN, *hide]), "write": [scratch, *DEVICES]}


DEVICES = ["/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom"]


def secrets():
    """What student code must never read: the kit's course files (its settings and seed, the
    graders, the master notebooks, the solutions, the history)."""
    paths = [os.path.join(ROOT, name) for name in ("course_config.py", "source", "solutions", ".git")]
    paths += [config.graders_folder(), os.path.join(ROOT, "autograder", "grading")]
    return [p for p in paths if os.path.exists(p)]


@dataclasses.dataclass(frozen=True)
class Isolation:
    """How student code is kept apart here."""

    bwrap: bool  # bubblewrap's allowlist root and namespaces
    user: bool  # an unprivileged user of its own (grading runs as root)
    landlock: int  # where bubblewrap cannot run: the Landlock ABI of its allowlist, 0 for none
    exposed: tuple = ()  # course files it could still read (``secrets``)
    unreadable: tuple = ()  # folders of what it may import that it cannot read (``environment_problem``)
    no_network: bool = False  # where bubblewrap cannot run: the seccomp filter held (it opened no socket)
    network_problem: str = ""  # where it did not, why

    @property
    def sandboxed(self):
        return self.bwrap or ((self.user or self.landlock > 0) and self.no_network and not self.exposed)


@functools.cache
def isolation():
    """What holds here: bubblewrap where it can run, else an unprivileged user (as root), the
    Landlock allowlist (where the kernel has it) and the seccomp filter that refuses sockets,
    tried for real on the course's files and on sockets."""
    user = can_drop_privileges() and _mode() != "none"
    if bwrap_problem() is None:
        return Isolation(bwrap=True, user=user, landlock=0)
    if _mode() == "none":
        return Isolation(bwrap=False, user=False, landlock=0, exposed=tuple(secrets()))
    ids = [config.SANDBOX_UID_BASE, config.SANDBOX_GID] if user else None
    version = landlock.abi()
    reach = _reach(ids, allowlist("/nonexistent", "/nonexistent"), secrets()) if version else {"error": "no Landlock"}
    if "error" in reach:
        version = 0
        reach = _reach(ids, None, secrets()) if user else {"error": "neither Landlock nor an unprivileged user"}
    if "error" in reach:
        return Isolation(bwrap=False, user=False, landlock=0, exposed=tuple(secrets()))
    problem = reach.get("seccomp_problem") or (
        f"its seccomp filter did not hold: it opened {' and '.join(reach['sockets'])} sockets"
        if reach["sockets"]
        else ""
    )
    return Isolation(False, user, version, tuple(reach["exposed"]), tuple(reach["unreadable"]), not problem, problem)


class EnvironmentProblem(RuntimeError):
    """Student code could not run here as it must (``environment_problem``): nothing is graded."""


def environment_problem():
    """None where student code can import everything it may, else why not and the fix, one
    paragraph: grading stops there rather than grade every notebook 0.  Where bubblewrap cannot
    run, student code runs as the sandbox's user (course_config.SANDBOX_UID_BASE + worker), who
    must read the Python installation, the venv and the worker's code (``isolation`` tries it
    for real on the worker's import path); a folder on the way that other users cannot pass (a
    private home, pyenv's under /root, a ``mktemp -d`` folder) stops every import."""
    unreadable = isolation().unreadable
    if not unreadable:
        return None
    closed, private = set(), set()
    for path in unreadable:  # files (or folders) tried for real
        for name in {path, os.path.realpath(path)}:
            folder = name if os.path.isdir(name) else os.path.dirname(name)
            while True:
                if not _others_may(folder, 0o001):
                    closed.add(folder)
                if folder == "/":
                    break
                folder = os.path.dirname(folder)
        if not os.path.isdir(path) and not _others_may(path, 0o004):
            private.add(os.path.dirname(path))
    shown = ", ".join(unreadable[:3]) + (f" and {len(unreadable) - 3} more" if len(unreadable) > 3 else "")
    text = (
        f"student code runs as user {config.SANDBOX_UID_BASE} (group {config.SANDBOX_GID}) where bubblewrap "
        f"cannot run ({bwrap_problem()}), and that user cannot read {shown}: every notebook would fail on its "
        "first import and be graded 0, so nothing is graded."
    )
    fixes = []
    if closed:
        folders = " ".join(sorted(closed))
        fixes.append(
            f"{folders} {'is' if len(closed) == 1 else 'are'} closed to other users: run `chmod o+x {folders}` "
            f"(every user may then pass, not list, {'it' if len(closed) == 1 else 'them'}) or "
            f"`setfacl -m g:{config.SANDBOX_GID}:x {folders}` (the sandbox's group alone)"
        )
    if private:
        folders = " ".join(sorted(private))
        fixes.append(f"other users cannot read {folders}: run `chmod -R o+rX {folders}`")
    if not fixes:
        fixes.append(f"check what keeps user {config.SANDBOX_UID_BASE} from reading them (an ACL, a mount option)")
    return f"{text} {'; '.join(fixes)}; or install Python and the kit where every user can read them."


def _others_may(path, bits):
    try:
        return os.stat(path).st_mode & bits == bits
    except OSError:
        return False


def job_allowlist(scratch, home):
    """The allowlist a notebook's job carries (None where bubblewrap shows the allowlist)."""
    return allowlist(scratch, home) if isolation().landlock else None


def sandboxed():
    """One line for logs and pages: how student code was isolated."""
    how = isolation()
    if how.bwrap:
        if not how.user:
            return "sandboxed (bubblewrap allowlist), as the grading user"
        return "sandboxed (bubblewrap allowlist, an unprivileged user per worker)"
    if not how.sandboxed:
        return "not sandboxed: " + _not_sandboxed_reason(how)
    return f"sandboxed without bubblewrap ({_fallback(how)})"


def _fallback(how):
    parts = ["an unprivileged user per worker" if how.user else "as the grading user"]
    parts.append(f"Landlock allowlist, ABI {how.landlock}" if how.landlock else "the course is out of its reach")
    if how.no_network:
        parts.append("no network (seccomp)")
    elif how.landlock >= 4:
        parts.append("no TCP")
    return ", ".join(parts)


def _not_sandboxed_reason(how):
    if how.exposed and (how.user or how.landlock):
        return (
            f"student code could read {', '.join(how.exposed[:3])} (make the course readable by root only: chmod 700)"
        )
    if (how.user or how.landlock) and not how.no_network:
        return f"student code can open sockets ({how.network_problem})"
    return bwrap_problem()


def warning():
    """A loud line for the instructor when student code runs in a weaker sandbox, else None."""
    how = isolation()
    if not how.sandboxed and not how.exposed and (how.user or how.landlock):
        return (
            f"WARNING: NOT SANDBOXED: {_not_sandboxed_reason(how)}. Student code runs without bubblewrap "
            f"({_fallback(how)}): it cannot read the course, but it can send what it is given (the hidden "
            "inputs) to any program listening on this machine or beyond, and take answers back. "
            "Do not trust these grades."
        )
    if not how.sandboxed:
        return (
            f"WARNING: NOT SANDBOXED: {_not_sandboxed_reason(how)}. Student code still runs in a separate "
            "process, in a scratch folder, with time, memory and disk limits and its processes cleaned up, "
            "but it can read every file your user can read (the solutions and hidden tests included) "
            "and write every file your user can write. Do not trust these grades."
        )
    if not how.bwrap:
        return (
            f"warning: {bwrap_problem()}; student code runs without bubblewrap ({_fallback(how)}): it cannot "
            "read the course or open a socket, but it shares the machine's process list."
        )
    if not how.user:
        return (
            "warning: grading is not running as root, so student code runs as your own user "
            "(inside bubblewrap's allowlist, which shows it nothing of the course): it could stop "
            "the worker that grades it, which may cost that notebook more than the task at fault."
        )
    return None
