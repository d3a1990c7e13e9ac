"""Isolation of student code: what it can see, and what it can do.

- **An allowlist file system** (Debian's ``bubblewrap``, ``bwrap``): each worker starts
  from an empty root holding only, read-only, the system's programs and libraries
  (``/usr`` without ``/usr/local``), the Python interpreter and the packages a notebook
  may import (the venv; the base installation's own site-packages hidden), and the
  kit's ``autograder/inside`` package (``/kit``), which knows no assignment, seed,
  reference or answer; then a minimal ``/dev``, its own ``/proc``, an empty read-only
  ``/tmp``, and its own scratch folder, the only place it may write.  Nothing of the
  course (source/, solutions/, release/, submissions, gradebook, course_config.py, the
  graders) and nothing of the machine's users or other projects is there, wherever the
  kit lives.
- **Namespaces**: its own PID, network (none), IPC and UTS namespaces; when the worker
  ends, the kernel ends every process in its PID namespace.  bubblewrap wraps the warm
  worker, not each notebook, so notebooks still start by a fork of a process that has
  already imported torch.
- **An unprivileged user** (when grading runs as root): the worker keeps only the
  capabilities to change user and to signal, and each forked child drops to a user of its
  own (course_config.SANDBOX_UID_BASE + worker) with no capabilities, so student code
  cannot signal the worker, read its memory or write anything but its scratch copy.
- **Where bubblewrap cannot create namespaces** (a container without privileges, as
  Gradescope's often is): the child still drops to its unprivileged user (as root) and puts
  on itself the same allowlist with Landlock (``autograder.inside.landlock``, where the
  kernel has it), tried for real on the course's files before grading (``isolation``).
  Only where neither holds is a record ``"sandboxed": false``, and grading says so loudly
  (``warning()``); without root it goes on as the grading user, and says so.
  ``AUTOGRADER_SANDBOX=user`` forces this fallback (``none``: no sandbox at all).
- **A scratch folder** per notebook, with a disk quota: ``autograder.scratch``.
- **Resource limits** (address space, file size, no core dumps) and a subreaper that ends
  whatever a notebook starts: ``autograder.inside.process``.
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

import course_config as config
from autograder.inside import landlock
from autograder.paths import ROOT

BWRAP = shutil.which("bwrap") or "/usr/bin/bwrap"
KIT = "/kit"  # where the sandbox shows the kit's autograder/inside package
# System folders shown read-only; /usr/local (other tools and projects) is left out.
SYSTEM = ["/usr"]
SYSTEM_HIDDEN = ["/usr/local"]
MERGED = ["/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"]  # symlinks into /usr on Debian
ETC = ["/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/localtime"]


def python_paths():
    """(folders to show, folders to hide inside them): the interpreter and the venv."""
    show = set()
    for path in (sys.base_prefix, sys.prefix, os.path.dirname(sys.executable)):
        show.add(path)
        show.add(os.path.realpath(path))
    hide = set()
    if sys.prefix != sys.base_prefix:  # a venv: the base installation's packages are not its own
        base_site = sysconfig.get_path("purelib", vars={"base": sys.base_prefix})
        if base_site not in sys.path and os.path.isdir(base_site):
            hide.add(os.path.realpath(base_site))
    return sorted(show), sorted(hide)


def kit_shown():
    """(host path, path in the sandbox) of what the worker needs of the kit."""
    return [
        (os.path.join(ROOT, "autograder", "__init__.py"), f"{KIT}/autograder/__init__.py"),
        (os.path.join(ROOT, "autograder", "inside"), f"{KIT}/autograder/inside"),
    ]


class _Args:
    """bwrap arguments, creating each mount point's parents enterable (bwrap would
    otherwise create them private to root, and the student's user could not pass)."""

    def __init__(self):
        self.args = []
        self.made = {"/"}

    def parents(self, path):
        chain = []
        parent = os.path.dirname(path)
        while parent not in self.made and parent != "/":
            chain.append(parent)
            parent = os.path.dirname(parent)
        for folder in reversed(chain):
            self.args += ["--perms", "0755", "--dir", folder]
            self.made.add(folder)

    def add(self, option, source, dest=None):
        dest = dest or source
        self.parents(dest)
        self.args += [option, source, dest] if option.endswith("bind") else [option, dest]
        self.made.add(dest)


def _bwrap_args(writable):
    a = _Args()
    for path in SYSTEM:
        a.add("--ro-bind", path)
    for path in SYSTEM_HIDDEN:
        if os.path.isdir(path):
            a.args += ["--perms", "0755", "--tmpfs", path]
    for path in MERGED:
        if os.path.islink(path):
            a.args += ["--symlink", os.readlink(path), path]
        elif os.path.isdir(path):
            a.add("--ro-bind", path)
    # before anything that may live below them (the kit and its venv may be under /tmp)
    a.args += ["--dev", "/dev", "--proc", "/proc", "--perms", "0755", "--tmpfs", "/tmp"]
    a.made |= {"/dev", "/proc", "/tmp"}
    for path in ETC:
        if os.path.exists(path):
            a.add("--ro-bind", path)
    show, hide = python_paths()
    for path in show:
        if os.path.islink(path):
            a.parents(path)
            a.args += ["--symlink", os.readlink(path), path]
        else:
            a.add("--ro-bind", path)
    for path in hide:
        a.args += ["--tmpfs", path]
    for source, dest in kit_shown():
        a.add("--ro-bind", source, dest)
    a.add("--bind", writable)
    a.args += ["--remount-ro", "/tmp", "--remount-ro", "/"]  # nothing to write but the scratch folder
    caps = ["--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID", "--cap-add", "CAP_KILL"]
    return [
        BWRAP,
        *a.args,
        "--cap-drop",
        "ALL",
        *(caps if can_drop_privileges() else []),
        "--unshare-pid",
        "--unshare-net",
        "--unshare-ipc",
        "--unshare-uts",
        "--die-with-parent",
        "--new-session",
        "--chdir",
        writable,
    ]


def can_drop_privileges():
    return os.geteuid() == 0


MODE = "AUTOGRADER_SANDBOX"  # auto (the default); user: as where bubblewrap cannot run; none: no sandbox at all


def _mode():
    mode = os.environ.get(MODE, "auto")
    return mode if mode in ("auto", "user", "none") else "auto"


def worker_ids(slot):
    """(uid, gid) that student code of worker ``slot`` runs as, or None when it cannot."""
    if not can_drop_privileges() or _mode() == "none":
        return None
    return config.SANDBOX_UID_BASE + slot, config.SANDBOX_GID


@functools.cache
def bwrap_problem():
    """None when bubblewrap works here, else why not (one line)."""
    if _mode() != "auto":
        return f"bubblewrap is turned off ({MODE}={_mode()})"
    if not os.path.exists(BWRAP):
        return "bubblewrap (bwrap) is not installed: apt-get install bubblewrap"
    probe = tempfile.mkdtemp(prefix="autograder-bwrap-probe-")
    try:
        proc = subprocess.run([*_bwrap_args(probe), "--", "/bin/true"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"bubblewrap cannot run: {exc}"
    finally:
        shutil.rmtree(probe, ignore_errors=True)
    if proc.returncode != 0:
        return f"bubblewrap cannot create its namespaces here: {proc.stderr.strip()[:200]}"
    return None


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
    paths += [os.path.join(ROOT, "autograder", a) for a in config.ASSIGNMENTS]
    paths.append(os.path.join(ROOT, "autograder", "graders.py"))
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


def wrap(command, writable):
    """``command`` run inside bubblewrap, with only ``writable`` writable; unchanged where
    bubblewrap cannot be used (the child then restricts itself: ``job_allowlist``)."""
    if bwrap_problem() is not None:
        return command
    return [*_bwrap_args(writable), "--", *command]


def kit_path():
    """Where the worker imports ``autograder.inside`` from."""
    return KIT if bwrap_problem() is None else ROOT


# What a worker builds in its home on its first start and can read on every later one
# (matplotlib's font list), kept once per venv: read by the worker, never written after.
HOME_CACHE = os.path.join(sys.prefix, "share", "autograder", "worker-home")
HOME_CACHE_FILES = ("fontlist-*.json",)


def seed_home(home):
    """Copy what earlier workers of this venv built into a new worker's home."""
    try:
        names = os.listdir(HOME_CACHE)
    except OSError:
        return
    for name in names:
        if not os.path.exists(os.path.join(home, name)):
            shutil.copyfile(os.path.join(HOME_CACHE, name), os.path.join(home, name))


def keep_home(home):
    """Keep what a worker built in its home for the next ones (called once it is ready, before any
    notebook ran in it).  Quietly does nothing where the venv is read-only."""
    import fnmatch

    try:
        os.makedirs(HOME_CACHE, exist_ok=True)
        kept = set(os.listdir(HOME_CACHE))
        for name in os.listdir(home):
            path = os.path.join(home, name)
            if name in kept or not os.path.isfile(path) or not any(fnmatch.fnmatch(name, p) for p in HOME_CACHE_FILES):
                continue
            fd, tmp = tempfile.mkstemp(dir=HOME_CACHE, prefix=".part-")
            with os.fdopen(fd, "wb") as out, open(path, "rb") as f:
                shutil.copyfileobj(f, out)
            os.chmod(tmp, 0o644)
            os.replace(tmp, os.path.join(HOME_CACHE, name))
    except OSError:
        pass
