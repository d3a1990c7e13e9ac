import os
import shutil
import subprocess
import sys

import pytest

from autograder import runner
from autograder.runner import submission as sub
from examples import answers


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


def python_for_all_users():
    """A command prefix under which other users can run and read this venv's Python: on a
    machine whose Python lives in a folder only its owner may pass (here pyenv's, under /root),
    the command runs in a mount namespace of its own where that folder holds only the Python
    installation (bubblewrap as root; nothing else changes).  [] where every user can read it
    already; the test is skipped where neither holds."""
    base = os.path.realpath(sys.base_prefix)
    folder, closed = base, None
    while folder != "/":
        folder = os.path.dirname(folder)
        if not os.stat(folder).st_mode & 0o001:
            closed = folder
    if closed is None:
        return []
    bwrap = shutil.which("bwrap")
    if os.geteuid() != 0 or bwrap is None:
        pytest.skip(f"other users cannot run this Python ({closed} is closed to them), and no root to show it")
    args = [bwrap, "--dev-bind", "/", "/", "--perms", "0755", "--tmpfs", closed]
    parent = closed
    for part in os.path.relpath(os.path.dirname(base), closed).split(os.sep):
        if part != ".":
            parent = os.path.join(parent, part)
            args += ["--perms", "0755", "--dir", parent]
    probe = subprocess.run([*args, "--ro-bind", base, base, "--", "/bin/true"], capture_output=True, text=True)
    if probe.returncode != 0:
        pytest.skip(f"other users cannot run this Python, and bubblewrap cannot show it: {probe.stderr.strip()}")
    return [*args, "--ro-bind", base, base, "--"]
