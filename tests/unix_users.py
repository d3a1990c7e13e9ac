"""Real Unix users for the tests that need them (the exchange, the grading service, the hub):
made for the test with a mark in their comment (GECOS), so that only they are ever removed, and
commands run as them with a clean environment, where the venv's Python may live in a folder
they cannot enter."""

import json
import os
import pwd
import shutil
import stat
import subprocess
import sys

import pytest

import course_config as config
from autograder import sandbox
from autograder.settings import ROOT

MARK = "rnn-sum-kit exchange test"  # the accounts' comment (GECOS): only these are ever removed
BIN = os.path.dirname(sys.executable)  # the venv's bin/, not resolved: its python is the venv's
COURSE = config.COURSE_ID


def problem():
    """None when real users can be made and run the venv here, else why not (one line)."""
    if sys.platform != "linux":
        return "needs Linux users"
    if os.geteuid() != 0:
        return "needs root to create Unix users (useradd) and run commands as them"
    for tool in ("useradd", "userdel", "setpriv"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed"
    if sandbox.bwrap_problem():
        return f"no sandbox for autograde: {sandbox.bwrap_problem()}"
    return None


def _hidden_ancestor(path):
    """The top-most folder above ``path`` that other users cannot enter, or None."""
    parts = os.path.abspath(path).split(os.sep)[1:]
    for i in range(1, len(parts) + 1):
        folder = os.sep + os.path.join(*parts[:i])
        if not os.stat(folder).st_mode & stat.S_IXOTH:
            return folder
    return None


def _namespace(home):
    """bwrap's arguments that make the interpreter's installation (and the kit) reachable for
    other users, showing nothing else of the folders that hide them; [] when none hide them."""
    needed = sorted({os.path.realpath(sys.base_prefix), os.path.realpath(ROOT)})
    hidden = {p: _hidden_ancestor(p) for p in needed}
    if not any(hidden.values()):
        return []
    args = ["bwrap", "--dev-bind", "/", "/", "--die-with-parent", "--chdir", home]
    for top in sorted({h for h in hidden.values() if h}):
        args += ["--tmpfs", top]
    for path, top in hidden.items():
        if top:
            parents = os.path.relpath(os.path.dirname(path), top).split(os.sep)
            for i in range(len(parents)):
                if parents[i] != ".":
                    args += ["--perms", "0755", "--dir", os.path.join(top, *parents[: i + 1])]
            args += ["--ro-bind", path, path]
    return [*args, "--"]


def as_student(user, *cmd, stdin=None, timeout=300):
    """``cmd`` run as ``user``, in their home, with a clean environment: HOME, USER, and PATH
    with the venv's bin/ first."""
    home = pwd.getpwnam(user).pw_dir
    env = [f"HOME={home}", f"USER={user}", f"LOGNAME={user}", f"PATH={BIN}:/usr/bin:/bin", "LANG=C.UTF-8"]
    user_cmd = ["setpriv", f"--reuid={user}", f"--regid={user}", "--init-groups", "--", "env", "-i", *env, *cmd]
    return subprocess.run(
        [*_namespace(home), *user_cmd], cwd=home, input=stdin, capture_output=True, text=True, timeout=timeout
    )


def student_nbgrader(user, *args, exchange):
    proc = as_student(user, "nbgrader", *args, "--course", COURSE, f"--Exchange.root={exchange}")
    if proc.returncode != 0:
        raise RuntimeError(f"{user}: nbgrader {' '.join(args)} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    return proc


# Run as a student: what each path gives that student (to read or list, or to write into).
PROBE = r"""
import json, os, sys

def attempt(action, path):
    try:
        if action == "list":
            os.listdir(path)
        elif action == "read":
            with open(path, "rb") as f:
                f.read(1)
        elif action == "write":
            with open(os.path.join(path, "planted.txt"), "w") as f:
                f.write("x")
        elif action == "delete":
            os.unlink(path)
        return "ok"
    except OSError as exc:
        return type(exc).__name__

print(json.dumps({action + " " + path: attempt(action, path) for action, path in json.loads(sys.argv[1])}))
"""


def probe(user, attempts):
    """{"<action> <path>": "ok" or the error's name} for each (action, path), tried as ``user``."""
    proc = as_student(user, "python", "-c", PROBE, json.dumps(attempts))
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout)


def make_user(name, request):
    try:
        existing = pwd.getpwnam(name)
    except KeyError:
        existing = None
    if existing is not None:
        if existing.pw_gecos != MARK:
            pytest.skip(f"a user {name} exists here that this test did not make")
        subprocess.run(["userdel", "--remove", name], capture_output=True)  # left by a killed run
    subprocess.run(
        ["useradd", "--create-home", "--comment", MARK, "--shell", "/usr/sbin/nologin", name],
        check=True,
        capture_output=True,
        env={**os.environ, "PATH": "/usr/sbin:/usr/bin:/sbin:/bin"},
    )
    request.addfinalizer(lambda: subprocess.run(["userdel", "--remove", name], capture_output=True))
    # a private home, as Debian's adduser (which JupyterHub's LocalAuthenticator runs) makes it
    subprocess.run(["chmod", "0700", pwd.getpwnam(name).pw_dir], check=True)
    return pwd.getpwnam(name).pw_dir


def students(names, request):
    """{name: home} of real users made for the test, who can run the venv's nbgrader; skips the
    test, saying why, where users cannot be made or cannot run it."""
    why = problem()
    if why:
        pytest.skip(why)
    homes = {name: make_user(name, request) for name in names}
    reach = as_student(names[0], "python", "-c", "import nbgrader")
    if reach.returncode != 0:
        pytest.skip(f"other users cannot run the venv's interpreter here: {reach.stderr.strip()[-200:]}")
    return homes
