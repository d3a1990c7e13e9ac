"""What holds here, tried for real: bubblewrap, else an unprivileged user and Landlock.

Where bubblewrap cannot create namespaces (a container without privileges, as Gradescope's
often is), the child still drops to its unprivileged user (as root) and puts on itself the
same allowlist with Landlock (``autograder.inside.landlock``, where the kernel has it), tried
for real on the course's files before grading (``isolation``).  Only where neither holds is a
record ``"sandboxed": false``, and grading says so loudly (``warning()``).
"""

import dataclasses
import functools
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile

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
from autograder.settings import ROOT


def worker_ids(slot):
    """(uid, gid) that student code of worker ``slot`` runs as, or None when it cannot."""
    if not can_drop_privileges() or _mode() == "none":
        return None
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


_PROBE = """
import json, os, sys, tempfile
sys.path.insert(0, {kit!r})
from autograder.inside import process
scratch = tempfile.mkdtemp(prefix="autograder-reach-probe-")
ids, allow, paths, needed = json.loads(sys.argv[1])
if ids:
    os.chown(scratch, *ids)
if allow:
    allow["write"][0] = scratch
try:
    process.enter(scratch, ids, {{"memory_bytes": 1 << 32, "file_bytes": 1 << 20}}, allow)
except OSError as exc:
    print(json.dumps({{"error": str(exc)}}))
    sys.exit(0)

def readable(path):
    try:
        if os.path.isdir(path):
            os.listdir(path)
        else:
            open(path, "rb").close()
        return True
    except OSError:
        return False

print(json.dumps({{"exposed": [p for p in paths if readable(p)],
                  "unreadable": [p for p in needed if not readable(p)]}}))
"""


def _reach(ids, allow):
    """What a process entered as student code is ({"exposed": secrets it can read,
    "unreadable": Python folders it cannot read}, or {"error": ...}), tried for real."""
    needed = [os.__file__, sysconfig.get_path("purelib")]
    area = tempfile.mkdtemp(prefix="autograder-reach-")
    os.chmod(area, 0o711)
    try:
        proc = subprocess.run(
            [sys.executable, "-I", "-c", _PROBE.format(kit=ROOT), json.dumps([ids, allow, secrets(), needed])],
            capture_output=True,
            text=True,
            timeout=60,
            cwd=area,
            env={"PATH": "/usr/bin:/bin", "TMPDIR": area},
        )
        return json.loads(proc.stdout)
    except (OSError, subprocess.TimeoutExpired, ValueError) as exc:
        return {"error": f"the probe of the fallback failed: {exc}"}
    finally:
        shutil.rmtree(area, ignore_errors=True)


@dataclasses.dataclass(frozen=True)
class Isolation:
    """How student code is kept apart here."""

    bwrap: bool  # bubblewrap's allowlist root and namespaces
    user: bool  # an unprivileged user of its own (grading runs as root)
    landlock: int  # where bubblewrap cannot run: the Landlock ABI of its allowlist, 0 for none
    exposed: tuple = ()  # course files it could still read (``secrets``)
    unreadable: tuple = ()  # Python folders it cannot read (imports the worker did not make fail)

    @property
    def sandboxed(self):
        return self.bwrap or ((self.user or self.landlock > 0) and not self.exposed)


@functools.cache
def isolation():
    """What holds here: bubblewrap where it can run, else an unprivileged user (as root) and
    the Landlock allowlist (where the kernel has it), tried for real on the course's files."""
    user = can_drop_privileges() and _mode() != "none"
    if bwrap_problem() is None:
        return Isolation(bwrap=True, user=user, landlock=0)
    if _mode() == "none":
        return Isolation(bwrap=False, user=False, landlock=0, exposed=tuple(secrets()))
    ids = [config.SANDBOX_UID_BASE, config.SANDBOX_GID] if user else None
    version = landlock.abi()
    reach = _reach(ids, allowlist("/nonexistent", "/nonexistent")) if version else {"error": "no Landlock"}
    if "error" in reach:
        version = 0
        reach = _reach(ids, None) if user else {"exposed": secrets(), "unreadable": []}
    if "error" in reach:
        return Isolation(bwrap=False, user=False, landlock=0, exposed=tuple(secrets()))
    return Isolation(False, user, version, tuple(reach["exposed"]), tuple(reach["unreadable"]))


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
    if how.landlock >= 4:
        parts.append("no TCP")
    return ", ".join(parts)


def _not_sandboxed_reason(how):
    if how.exposed and (how.user or how.landlock):
        return (
            f"student code could read {', '.join(how.exposed[:3])} (make the course readable by root only: chmod 700)"
        )
    return bwrap_problem()


def warning():
    """A loud line for the instructor when student code runs in a weaker sandbox, else None."""
    how = isolation()
    if not how.sandboxed:
        return (
            f"WARNING: NOT SANDBOXED: {_not_sandboxed_reason(how)}. Student code still runs in a separate "
            "process, in a scratch folder, with time, memory and disk limits and its processes cleaned up, "
            "but it can read every file your user can read (the solutions and hidden tests included) "
            "and write every file your user can write. Do not trust these grades."
        )
    if not how.bwrap:
        lines = [
            f"warning: {bwrap_problem()}; student code runs without bubblewrap ({_fallback(how)}): it cannot "
            "read the course, but it shares the machine's process list and network namespace."
        ]
        if how.unreadable:
            lines.append(
                f"Student code cannot read {', '.join(how.unreadable)}: a notebook importing a module the worker "
                "has not loaded fails (install Python where every user can read it)."
            )
        return " ".join(lines)
    if not how.user:
        return (
            "warning: grading is not running as root, so student code runs as your own user "
            "(inside bubblewrap's allowlist, which shows it nothing of the course): it could stop "
            "the worker that grades it, which may cost that notebook more than the task at fault."
        )
    return None
