import atexit
import os
import shutil
import subprocess
import sys
import tempfile

import pytest

from autograder import runner
from autograder.runner import submission as sub
from autograder.settings import ROOT
from examples import answers

# This machine's course secret (autograder.grading.inputs) never reaches a test: without one, every
# notebook is graded on the fixed seed, and a test that wants a secret gives its own.
for _name in ("AUTOGRADER_SECRET", "AUTOGRADER_SECRET_FILE", "AUTOGRADER_INPUTS_KEY_FILE"):
    os.environ.pop(_name, None)
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="kit-tests-config-")
atexit.register(shutil.rmtree, os.environ["XDG_CONFIG_HOME"], True)


@pytest.fixture(scope="session")
def solutions():
    """{task: the master solution's code}."""
    return answers.solutions()


def new_course(root, assignments=("rnn_sum",)):
    """An nbgrader course at ``root`` built from source/: the assignments generated and in
    its gradebook; returns the path of the (first) assignment's release notebook."""
    from autograder.nbgrader import course

    shutil.copytree(os.path.join(course.ROOT, "source"), os.path.join(root, "source"))
    for assignment in assignments:
        course.nbgrader(root, "generate_assignment", assignment)
    return os.path.join(root, "release", assignments[0], f"{assignments[0]}.ipynb")


def write_class(folder, notebooks, assignment="rnn_sum"):
    """Write {student: notebook or text} as nbgrader's <student>/<assignment>/<assignment>.ipynb."""
    for student, nb in notebooks.items():
        answers.write(nb, os.path.join(folder, student, assignment, f"{assignment}.ipynb"))


def gradebook_scores(root, assignment="rnn_sum"):
    """{student: {task: points}} of an assignment in the nbgrader gradebook at ``root``."""
    from autograder.outputs import gradebook

    return gradebook.scores(root, assignment)


def grade_class(folder, notebooks):
    """Write a class under ``folder`` and grade it in one parallel run; returns {student: record}."""
    write_class(folder, notebooks)
    records = runner.grade_all(sub.find([str(folder)]))
    return {r["student"]: r for r in records}


def lost(record):
    """The tasks a record did not give full points for."""
    return sorted(t for t, v in record["tasks"].items() if v["points"] < v["max_points"])


def messages(record, task):
    return "\n".join(record["tasks"][task]["messages"])


def grade_command(*args, cwd, prefix=()):
    """``python -m autograder grade ARGS`` run in ``cwd`` (under the command ``prefix``), as an
    instructor would."""
    return subprocess.run(
        [*prefix, sys.executable, "-m", "autograder", "grade", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=900,
    )


def python_for_all_users(checkout=ROOT):
    """A command prefix under which other users can run and read this venv's Python and the
    ``checkout`` (the kit, whose worker code student code imports, and its .venv): on a machine
    where either lives in a folder only its owner may pass (here pyenv's Python, under /root; or a
    checkout in a private home or a ``mktemp -d`` folder), the command runs in a mount namespace
    of its own where each such folder holds only those (bubblewrap as root; nothing else
    changes).  [] where every user can read them already; the test is skipped where neither holds."""
    shown = {os.path.realpath(p): ro for p, ro in ((sys.base_prefix, True), (sys.prefix, True), (checkout, False))}
    closed = {}  # the outermost folder closed to other users above a shown path: the paths below it
    for path in sorted(shown):
        if any(path.startswith(other + os.sep) for other in shown):
            continue  # shown with a folder above it
        folder, top = path, None
        while folder != "/":
            folder = os.path.dirname(folder)
            if not os.stat(folder).st_mode & 0o001:
                top = folder
        if top is not None:
            closed.setdefault(top, []).append(path)
    if not closed:
        return []
    bwrap = shutil.which("bwrap")
    names = ", ".join(sorted(closed))
    if os.geteuid() != 0 or bwrap is None:
        pytest.skip(
            f"other users cannot run this Python or read the kit ({names} closed to them), and no root to show it"
        )
    args, made = [bwrap, "--dev-bind", "/", "/"], set()
    for top in sorted(closed, key=len):
        args += ["--perms", "0755", "--tmpfs", top]
        made.add(top)
        for path in closed[top]:
            parent = top
            for part in os.path.relpath(os.path.dirname(path), top).split(os.sep):
                parent = os.path.normpath(os.path.join(parent, part))
                if parent not in made:
                    args += ["--perms", "0755", "--dir", parent]
                    made.add(parent)
            args += ["--ro-bind" if shown[path] else "--bind", path, path]
    probe = subprocess.run([*args, "--", "/bin/true"], capture_output=True, text=True)
    if probe.returncode != 0:
        pytest.skip(f"other users cannot run this Python, and bubblewrap cannot show it: {probe.stderr.strip()}")
    return [*args, "--"]


def kit_copy(folder):
    """The repository's files as they stand (tracked, and new ones git does not ignore) copied to
    ``folder``: a fresh clone of the working tree, without its venv or what the tests wrote."""
    proc = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        pytest.skip(f"not a git checkout: {proc.stderr.strip()}")
    for name in filter(None, proc.stdout.split("\0")):
        source = os.path.join(ROOT, name)
        if os.path.isfile(source):  # a file deleted but not yet committed is listed too
            os.makedirs(os.path.dirname(os.path.join(folder, name)), exist_ok=True)
            shutil.copy2(source, os.path.join(folder, name), follow_symlinks=False)
    return folder
