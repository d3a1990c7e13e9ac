"""Grading as root (the sandbox's users need it) in an instructor's folder leaves every file it
wrote to that folder's owner: the records, the histogram, the feedback pages, the class report,
Gradescope's results, the gradebook and the autograded notebooks, the dated copies of what it
replaced, and the Canvas file.  No real user is needed: the folders belong to a number."""

import os
import subprocess
import sys

import pytest

from examples import answers
from tests.conftest import new_course, write_class

pytestmark = [
    pytest.mark.sandbox,
    pytest.mark.nbgrader,
    pytest.mark.skipif(os.geteuid() != 0, reason="only a run as root writes files of root's"),
]

OWNER = (54321, 54322)  # an instructor's uid and gid, of no user of this machine


def _grade(course):
    argv = ["grade", "submitted", "--json", "results.json", "--feedback", "pages", "--report", "reports"]
    argv += ["--gradescope", "gs", "--course", ".", "--quiet"]
    proc = subprocess.run([sys.executable, "-m", "autograder", *argv], cwd=course, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-2000:]


def test_a_run_as_root_gives_what_it_wrote_to_the_folder_s_owner(tmp_path, solutions):
    course = tmp_path / "course"
    course.mkdir()
    new_course(str(course))
    write_class(str(course / "submitted"), {"ada": answers.notebook(solutions)})
    for folder, dirs, names in os.walk(course):
        for name in [".", *dirs, *names]:
            os.lchown(os.path.join(folder, name), *OWNER)
    _grade(course)
    _grade(course)  # again: the dated copies of what it replaced too
    roster = course / "roster.csv"
    roster.write_text("Student,ID,SIS User ID,SIS Login ID,Section\n    Points Possible,,,,\nAda,1,ada,ada,A\n")
    os.lchown(roster, *OWNER)
    export = [sys.executable, "-m", "autograder", "export", "canvas_import.csv", "--canvas", "roster.csv"]
    proc = subprocess.run([*export, "--json", "results.json"], cwd=course, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-2000:]
    root_owned = []
    for folder, dirs, names in os.walk(course):
        for name in dirs + names:
            path = os.path.join(folder, name)
            if os.lstat(path).st_uid == 0:
                root_owned.append(os.path.relpath(path, course))
    written = {p.name for p in course.iterdir()}
    assert {"results.json", "results.scores.png", "pages", "reports", "gs", "autograded", "canvas_import.csv"} <= (
        written
    )
    assert any(name.startswith("results.json.") for name in written)  # the first run's records, kept
    assert root_owned == []
