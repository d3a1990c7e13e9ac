"""Where the fallback's user cannot read the kit's Python, nothing is graded, and the fix is named.

In the fallback (``AUTOGRADER_SANDBOX=user``, as where bubblewrap cannot run) each notebook's
child runs as the sandbox's user (course_config.SANDBOX_UID_BASE + worker).  With the Python
installation, the venv or the checkout in a folder other users cannot pass (pyenv's under
/root, a private home, a ``mktemp -d`` folder), every import of student code would fail and
right notebooks would be graded 0.  Before grading, the kit tries it for real
(``sandbox.environment_problem``): ``grade`` and ``check`` then stop with exit code 2 and the
exact command that fixes it, writing no grade; ``nbgrader autograde`` raises the same message
instead of grading.  Where the folders are shown to every user (``python_for_all_users``, or the
fix applied) a right notebook gets full marks in the fallback.
"""

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

import pytest

import course_config as config
from autograder import sandbox
from autograder.nbgrader import course
from autograder.settings import ROOT
from examples import answers
from tests.conftest import grade_command, new_course, python_for_all_users, write_class

pytestmark = [pytest.mark.sandbox]


@pytest.fixture(autouse=True)
def fallback(monkeypatch):
    if not sandbox.can_drop_privileges():
        pytest.skip("the fallback's user needs root")
    monkeypatch.setenv(sandbox.MODE, "user")


def _closed_above(path):
    """The folders on the way to ``path`` that other users cannot pass."""
    closed, folder = [], os.path.dirname(os.path.realpath(path))
    while True:
        if not os.stat(folder).st_mode & 0o001:
            closed.append(folder)
        if folder == "/":
            return sorted(closed)
        folder = os.path.dirname(folder)


def _named_fix(stderr):
    """The folders of the `chmod o+x ...` the refusal names."""
    found = re.search(r"`chmod o\+x ([^`]+)`", stderr)
    assert found, stderr[-2000:]
    return found.group(1).split()


def _python_closed():
    closed = _closed_above(os.__file__)
    if not closed:
        pytest.skip("every user can read this Python here (the copied checkout below is refused all the same)")
    return closed


def _right(folder, solutions):
    answers.write(answers.notebook(solutions), os.path.join(folder, "rnn_sum.ipynb"))


def test_grade_refuses_with_the_fix_and_writes_no_grade(tmp_path, solutions):
    """Without a way for the sandbox's user to read Python (here pyenv's, under /root), `grade`
    exits 2 before any notebook runs: the message names the folder and `chmod o+x` it; no
    record, journal or zero grade is written."""
    closed = _python_closed()
    _right(tmp_path, solutions)
    proc = grade_command("rnn_sum.ipynb", "--json", "out.json", "--feedback", "pages", cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr[-2000:]
    assert proc.stderr.startswith("error: student code runs as user"), proc.stderr[-2000:]
    assert "nothing is graded" in proc.stderr
    assert set(closed) <= set(_named_fix(proc.stderr)), proc.stderr
    assert f"setfacl -m g:{config.SANDBOX_GID}:x" in proc.stderr
    assert sorted(os.listdir(tmp_path)) == ["rnn_sum.ipynb"]


@pytest.mark.nbgrader
def test_nbgrader_autograde_raises_the_same_message_instead_of_grading(tmp_path, solutions):
    closed = _python_closed()
    release = new_course(str(tmp_path))
    write_class(str(tmp_path / "submitted"), {"ada": answers.notebook(solutions, base=release)})
    proc = course.nbgrader(tmp_path, "autograde", "rnn_sum", check=False)
    assert proc.returncode != 0
    assert "EnvironmentProblem: student code runs as user" in proc.stderr, proc.stderr[-3000:]
    assert set(closed) <= set(_named_fix(proc.stderr))
    assert not (tmp_path / "autograded" / "ada" / "rnn_sum").exists()  # nbgrader removed what it began
    assert "ada" not in json.dumps(_scores(tmp_path))


def _scores(root):
    """{student: {grade id: score}} of every automatic score in the gradebook (a submission
    nbgrader could not autograde is there, its scores None: "needs grading")."""
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        scores = {
            s.student.id: {g.name: g.auto_score for nb in s.notebooks for g in nb.grades if g.auto_score is not None}
            for s in gb.assignment_submissions("rnn_sum")
        }
    return {student: grades for student, grades in scores.items() if grades}


def _full_marks(tmp_path, cwd=None, prefix=()):
    proc = grade_command(
        str(tmp_path / "rnn_sum.ipynb"), "--json", str(tmp_path / "out.json"), cwd=cwd or tmp_path, prefix=prefix
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    [record] = json.loads((tmp_path / "out.json").read_text())
    assert record["sandboxed"] is True and record["total"] == record["max_total"], proc.stderr[-2000:]
    assert "no network (seccomp)" in proc.stderr, proc.stderr[-2000:]


def test_a_right_notebook_gets_full_marks_where_python_is_shown(tmp_path, solutions):
    """With Python shown to every user (a mount namespace of the test's own where the closed
    folder holds only the Python installation), the same right notebook gets full marks."""
    _right(tmp_path, solutions)
    _full_marks(tmp_path, prefix=python_for_all_users())


@pytest.fixture
def private_checkout():
    """A copy of the kit (its code, settings and course) in a ``mktemp -d`` folder, which only
    its owner may pass, and a command prefix under which this checkout's .venv is the copy's
    own (a bind mount at <copy>/.venv: the copy then holds its venv, as a checkout does)."""
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        pytest.skip("bubblewrap shows this venv inside the copy")
    folder = tempfile.mkdtemp(prefix="autograder-private-")
    kit = os.path.join(folder, "kit")
    skip = shutil.ignore_patterns(".venv", ".git", "build", "tests", ".*cache", ".hypothesis", "__pycache__")
    shutil.copytree(ROOT, kit, ignore=skip)
    os.mkdir(os.path.join(kit, ".venv"))

    def with_venv(prefix):
        outer = prefix[:-1] if prefix else [bwrap, "--dev-bind", "/", "/"]
        return [
            *outer,
            "--bind",
            sys.prefix,
            os.path.join(kit, ".venv"),
            "--",
            os.path.join(kit, ".venv", "bin", "python"),
        ]

    yield folder, kit, with_venv
    shutil.rmtree(folder, ignore_errors=True)


def _grade_copy(prefix, kit, tmp_path):
    """``python -m autograder grade`` of the copy, run from it (its venv's Python under ``prefix``)."""
    notebook, out = str(tmp_path / "rnn_sum.ipynb"), str(tmp_path / "out.json")
    return subprocess.run(
        [*prefix, "-m", "autograder", "grade", notebook, "--json", out],
        cwd=kit,
        capture_output=True,
        text=True,
        timeout=900,
    )


def test_a_checkout_in_a_private_folder_is_refused_and_the_named_fix_works(tmp_path, solutions, private_checkout):
    """The kit and its .venv in a `mktemp -d` folder (0700), with Python shown to every user:
    `grade` refuses and names that folder; with the checkout shown too (the tests' prefix), a
    right notebook gets full marks; and once the command the refusal named has run, without it."""
    folder, kit, with_venv = private_checkout
    assert os.stat(folder).st_mode & 0o777 == 0o700
    _right(tmp_path, solutions)
    python_only = python_for_all_users()  # this checkout's Python (and this checkout, if need be)
    proc = _grade_copy(with_venv(python_only), kit, tmp_path)
    assert proc.returncode == 2, proc.stderr[-2000:]
    assert os.path.join(kit, ".venv", "lib") in proc.stderr, proc.stderr
    assert _named_fix(proc.stderr) == [folder], proc.stderr
    assert not (tmp_path / "out.json").exists()

    def full_marks(prefix):
        proc = _grade_copy(prefix, kit, tmp_path)
        assert proc.returncode == 0, proc.stderr[-2000:]
        [record] = json.loads((tmp_path / "out.json").read_text())
        assert record["sandboxed"] is True and record["total"] == record["max_total"], proc.stderr[-2000:]
        assert "no network (seccomp)" in proc.stderr, proc.stderr[-2000:]
        os.remove(tmp_path / "out.json")

    full_marks(with_venv(python_for_all_users(kit)))
    fix = re.search(r"`(chmod o\+x [^`]+)`", proc.stderr).group(1)
    subprocess.run(shlex.split(fix), check=True)
    full_marks(with_venv(python_only))
