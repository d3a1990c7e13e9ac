"""No command of the kit deletes or overwrites a class it did not make: ``make demo`` grades its
example class in build/demo/ beside a real class at the course's root and leaves that class, its
gradebook and its hand grades as they were; ``make clean`` removes build/ and nothing else."""

import hashlib
import os
import shutil
import subprocess
import sys

import pytest

from autograder.nbgrader import course
from examples import answers
from tests.conftest import kit_copy

ROOT = course.ROOT
CLASS = ("submitted", "autograded", "feedback", "gradebook.db")  # what a class holds at the root
HAND_GRADE = 0.5
HAND_COMMENT = "Right idea; say which equations pin the parameters down."


def _fingerprint(root):
    """{path: sha256} of every file of the class at ``root``."""
    out = {}
    for name in CLASS:
        path = os.path.join(root, name)
        paths = [path] if os.path.isfile(path) else []
        for folder, _, files in os.walk(path):
            paths += [os.path.join(folder, f) for f in files]
        for p in paths:
            with open(p, "rb") as f:
                out[os.path.relpath(p, root)] = hashlib.sha256(f.read()).hexdigest()
    return out


def _hand_grade(root):
    """(manual score, manual comment) of zoe's written answer in the gradebook at ``root``."""
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{os.path.join(root, 'gradebook.db')}") as gb:
        grade = gb.find_grade("why_wrong", "rnn_sum", "rnn_sum", "zoe")
        comment = gb.find_comment("why_wrong", "rnn_sum", "rnn_sum", "zoe")
        return grade.manual_score, comment.manual_comment


def _a_graded_class(root, solutions):
    """A real class at ``root``: rnn_sum generated, zoe's notebook submitted, autograded, her
    feedback generated, and her written answer graded and commented on by hand."""
    from nbgrader.api import Gradebook

    course.nbgrader(root, "generate_assignment", "rnn_sum", "--force", cwd=root)  # release/ is there already
    release = os.path.join(root, "release", "rnn_sum", "rnn_sum.ipynb")
    nb = answers.notebook(dict(solutions, why_wrong="Too few equations."), base=release)
    answers.write(nb, os.path.join(root, "submitted", "zoe", "rnn_sum", "rnn_sum.ipynb"))
    course.nbgrader(root, "autograde", "rnn_sum", cwd=root)
    course.nbgrader(root, "generate_feedback", "rnn_sum", cwd=root)
    with Gradebook(f"sqlite:///{os.path.join(root, 'gradebook.db')}") as gb:
        gb.find_grade("why_wrong", "rnn_sum", "rnn_sum", "zoe").manual_score = HAND_GRADE
        gb.find_comment("why_wrong", "rnn_sum", "rnn_sum", "zoe").manual_comment = HAND_COMMENT
        gb.db.commit()
    assert _hand_grade(root) == (HAND_GRADE, HAND_COMMENT)


@pytest.mark.nbgrader
@pytest.mark.sandbox
def test_the_demo_leaves_a_class_and_its_hand_grades_at_the_root_as_they_were(tmp_path, solutions):
    kit = kit_copy(str(tmp_path / "kit"))
    _a_graded_class(kit, solutions)
    before = _fingerprint(kit)
    assert {"submitted/zoe/rnn_sum/rnn_sum.ipynb", "autograded/zoe/rnn_sum/rnn_sum.ipynb", "gradebook.db"} <= set(
        before
    )
    assert any(p.startswith("feedback" + os.sep) for p in before)
    entries = set(os.listdir(kit))
    generated = [
        os.path.join(kit, folder, a, f"{a}.ipynb")
        for folder in ("release", "solutions")
        for a in ("rnn_sum", "rnn_layers")
    ]
    for path in generated:
        os.utime(path, (0, 0))

    env = dict(os.environ, PYTHONPATH=kit)  # the copy's kit, not the one installed (editable) from ROOT
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")
    demo = subprocess.run(
        [sys.executable, "-m", "examples.demo", "--small"], cwd=kit, env=env, capture_output=True, text=True
    )
    assert demo.returncode == 0, demo.stdout[-3000:] + demo.stderr[-3000:]
    out = os.path.join(kit, "build", "demo")
    assert f"results (the grading command's JSON): {os.path.join(out, 'results.json')}" in demo.stdout

    assert _fingerprint(kit) == before
    assert _hand_grade(kit) == (HAND_GRADE, HAND_COMMENT)
    assert set(os.listdir(kit)) == entries | {"build"}
    # what the demo writes is all there, in its own folder
    for name in ("results.json", "tasks.csv", "grades.csv", "course/gradebook.db", "report/rnn_sum.html"):
        assert os.path.isfile(os.path.join(out, name)), name
    for name in ("feedback/rnn_sum/ada.html", "gradescope/rnn_layers/ben/results.json"):
        assert os.path.isfile(os.path.join(out, name)), name
    # and it still regenerates the kit's release/ and solutions/ from source/
    for path in generated:
        assert os.path.getmtime(path) > 0, path
        assert course.normalized(path)


def test_make_clean_removes_build_and_leaves_a_class(tmp_path):
    if shutil.which("make") is None:
        pytest.skip("no make")
    shutil.copy(os.path.join(ROOT, "Makefile"), tmp_path / "Makefile")
    for path in (
        "build/demo/results.json",
        "submitted/zoe/rnn_sum/rnn_sum.ipynb",
        "autograded/zoe/x",
        "feedback/zoe/x",
    ):
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text("x")
    (tmp_path / "gradebook.db").write_text("the instructor's hand grades")
    proc = subprocess.run(["make", "clean"], cwd=tmp_path, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert not (tmp_path / "build").exists()
    assert sorted(os.listdir(tmp_path)) == ["Makefile", "autograded", "feedback", "gradebook.db", "submitted"]
    assert (tmp_path / "submitted/zoe/rnn_sum/rnn_sum.ipynb").read_text() == "x"
    assert (tmp_path / "gradebook.db").read_text() == "the instructor's hand grades"
