"""bubblewrap: an allowlist root and namespaces of its own for each warm worker.

Each worker starts from an empty root holding only, read-only, the system's programs and
libraries (``/usr`` without ``/usr/local``), the Python interpreter and the packages a notebook
may import (the venv; the base installation's own site-packages hidden), and the kit's
``autograder/inside`` package (``/kit``), which knows no assignment, seed, reference or answer;
then a minimal ``/dev``, its own ``/proc``, an empty read-only ``/tmp``, and its own scratch
folder, the only place it may write.  It has its own PID, network (none), IPC and UTS
namespaces: when the worker ends, the kernel ends every process in its PID namespace.
"""

import functools
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile

from autograder.settings import ROOT

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
    links = [p for p in show if os.path.islink(p)]  # a venv that is a link (.venv -> /opt/venvs/course)
    for path in sorted(show, key=lambda p: (p in links, p)):  # the links' targets first, then the links
        if path in links:
            a.parents(path)
            a.args += ["--symlink", os.readlink(path), path]
            a.made.add(path)
        elif not any(path.startswith(link + os.sep) for link in links):  # else reached through that link
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


def wrap(command, writable):
    """``command`` run inside bubblewrap, with only ``writable`` writable; unchanged where
    bubblewrap cannot be used (the child then restricts itself: ``job_allowlist``)."""
    if bwrap_problem() is not None:
        return command
    return [*_bwrap_args(writable), "--", *command]


def kit_path():
    """Where the worker imports ``autograder.inside`` from."""
    return KIT if bwrap_problem() is None else ROOT
