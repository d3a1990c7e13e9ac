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
- Where bwrap is missing or cannot create namespaces, grading goes on without it and says
  so loudly (``warning()``); without root it goes on as the grading user, and says so.
- **A scratch folder** per notebook: a private copy of the submission's folder, the
  student's working directory, HOME and TMPDIR; deleted after grading.
- **Resource limits** (address space, file size, no core dumps) and a subreaper that ends
  whatever a notebook starts: ``autograder.inside.process``.
"""

import functools
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile

import course_config as config
from autograder.paths import ROOT

BWRAP = shutil.which("bwrap") or "/usr/bin/bwrap"
KIT = "/kit"  # where the sandbox shows the kit's autograder/inside package
SCRATCH_MAX_BYTES = 50 * 1024 * 1024
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


def sandboxed():
    """One line for records and pages: how student code was isolated."""
    if bwrap_problem() is not None:
        return "not sandboxed: " + bwrap_problem()
    if not can_drop_privileges():
        return "sandboxed (bubblewrap allowlist), as the grading user"
    return "sandboxed (bubblewrap allowlist, an unprivileged user per worker)"


def warning():
    """A loud line for the instructor when student code runs in a weaker sandbox, else None."""
    problem = bwrap_problem()
    if problem is not None:
        return (
            f"WARNING: NOT SANDBOXED: {problem}. Student code still runs in a separate process, "
            "in a scratch folder, with time and memory limits and its processes cleaned up, but "
            "it can read every file your user can read (the solutions and hidden tests included) "
            "and write every file your user can write. Do not trust these grades."
        )
    if not can_drop_privileges():
        return (
            "warning: grading is not running as root, so student code runs as your own user "
            "(inside bubblewrap's allowlist, which shows it nothing of the course): it could stop "
            "the worker that grades it, which may cost that notebook more than the task at fault."
        )
    return None


def wrap(command, writable):
    """``command`` run inside the sandbox, with only ``writable`` writable; unchanged when
    bubblewrap cannot be used."""
    if bwrap_problem() is not None:
        return command
    return [*_bwrap_args(writable), "--", *command]


def kit_path():
    """Where the worker imports ``autograder.inside`` from."""
    return KIT if bwrap_problem() is None else ROOT


# What a worker builds in its home on its first start and can read on every later one
# (matplotlib's font list), kept once per venv: read by the worker, never written after.
HOME_CACHE = os.path.join(sys.prefix, "share", "rnn-sum-kit", "worker-home")
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

    def remove(self, scratch):
        """Delete a notebook's scratch folder, and anything else it left in its worker's
        folder (without root, student code runs as the grading user and could write there)."""
        shutil.rmtree(scratch, ignore_errors=True)
        folder = os.path.dirname(scratch)
        for name in os.listdir(folder):
            if name != "home":
                path = os.path.join(folder, name)
                if os.path.isdir(path) and not os.path.islink(path):
                    shutil.rmtree(path, ignore_errors=True)
                else:
                    try:
                        os.remove(path)
                    except OSError:
                        pass

    def close(self):
        shutil.rmtree(self.root, ignore_errors=True)
