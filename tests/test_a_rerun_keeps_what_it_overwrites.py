"""A command that would write over results, feedback pages, class reports, Gradescope's results,
a gradebook that holds grades or a page of ``check --html`` keeps what was there as a dated copy
beside it (``<path>.<YYYYmmdd-HHMMSS>``) and says so; hand grades in the gradebook survive a
regrade."""

import glob
import json
import os
import re
import sqlite3
import subprocess
import sys

import pytest

from autograder.outputs import files, keep
from examples import answers
from tests.conftest import grade_command, new_course, write_class

STAMP = r"\.\d{8}-\d{6}(-\d+)?$"


def _copies(path):
    return [p for p in glob.glob(glob.escape(str(path)) + ".*") if re.search(STAMP, p)]


def test_a_file_that_holds_something_is_copied_beside_itself_and_named(tmp_path):
    said = []
    path = tmp_path / "results.json"
    path.write_text("[1]")
    copy = keep.keep(str(path), said.append, "records")
    assert re.search(STAMP, copy) and os.path.dirname(copy) == str(tmp_path)
    assert open(copy).read() == "[1]" and path.read_text() == "[1]"
    assert said == [f"kept the previous records as {copy}"]
    again = keep.keep(str(path), said.append)
    assert again != copy and len(_copies(path)) == 2


def test_nothing_is_kept_of_what_is_missing_or_empty(tmp_path):
    said = []
    (tmp_path / "empty.json").write_text("")
    (tmp_path / "pages").mkdir()
    for name in ("missing.json", "empty.json", "pages"):
        assert keep.keep(str(tmp_path / name), said.append) is None
    assert said == [] and sorted(os.listdir(tmp_path)) == ["empty.json", "pages"]


def test_a_folder_is_copied_whole(tmp_path):
    pages = tmp_path / "feedback"
    (pages / "rnn_sum").mkdir(parents=True)
    (pages / "rnn_sum" / "ada.html").write_text("<p>9/9</p>")
    copy = keep.keep(str(pages) + os.sep, print)
    assert open(os.path.join(copy, "rnn_sum", "ada.html")).read() == "<p>9/9</p>"
    assert (pages / "rnn_sum" / "ada.html").exists()


def test_a_gradebook_is_kept_only_once_it_holds_grades_and_its_copy_is_a_database(tmp_path):
    db = str(tmp_path / "gradebook.db")
    with sqlite3.connect(db) as c:
        c.execute("CREATE TABLE submitted_assignment (id TEXT)")
    assert not files.holds_grades(db)
    with sqlite3.connect(db) as c:
        c.execute("INSERT INTO submitted_assignment VALUES ('zoe')")
    assert files.holds_grades(db)
    copy = keep.keep(db, print)
    with sqlite3.connect(copy) as c:
        assert c.execute("SELECT id FROM submitted_assignment").fetchall() == [("zoe",)]


def _hand_grade(root, score=None, comment=None):
    """Set (when given) and return zoe's hand grade and comment of the written answer."""
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        grade = gb.find_grade("why_wrong", "rnn_sum", "rnn_sum", "zoe")
        remark = gb.find_comment("why_wrong", "rnn_sum", "rnn_sum", "zoe")
        if score is not None:
            grade.manual_score, remark.manual_comment = score, comment
            gb.db.commit()
        return grade.manual_score, remark.manual_comment


@pytest.mark.nbgrader
@pytest.mark.sandbox
def test_grading_again_keeps_the_first_runs_files_and_the_hand_grades(tmp_path, solutions):
    root = tmp_path
    new_course(str(root))
    write_class(str(root / "submitted"), {"zoe": answers.notebook(dict(solutions, why_wrong="Too few equations."))})
    args = ("submitted", "--json", "results.json", "--course", ".")
    args += ("--feedback", "feedback", "--report", "report", "--gradescope", "gradescope")
    first = grade_command(*args, cwd=root)
    assert first.returncode == 0, first.stderr
    assert "kept the previous" not in first.stderr  # nothing was there, and the gradebook held no grades
    records = (root / "results.json").read_text()
    _hand_grade(root, 0.5, "Say which equations.")

    second = grade_command(*args, "--fresh", cwd=root)
    assert second.returncode == 0, second.stderr
    said = second.stderr.replace(str(root) + os.sep, "")
    for path, what in [
        ("results.json", "records"),
        ("feedback", "feedback pages"),
        ("report", "class reports"),
        ("gradescope", "Gradescope results"),
        ("gradebook.db", "gradebook"),
    ]:
        [copy] = _copies(root / path)
        assert f"kept the previous {what} as {os.path.relpath(copy, root)}" in said, (what, said[-2000:])
    [records_copy] = _copies(root / "results.json")
    assert open(records_copy).read() == records
    assert os.path.isfile(os.path.join(_copies(root / "feedback")[0], "zoe.html"))
    assert os.path.isfile(os.path.join(_copies(root / "report")[0], "rnn_sum.html"))
    assert _hand_grade(root) == (0.5, "Say which equations.")  # the regrade left the hand grade as it was
    assert json.loads((root / "results.json").read_text())[0]["total"] == 9


@pytest.mark.sandbox
def test_check_keeps_the_page_it_was_told_to_write_over(tmp_path, solutions):
    notebook = tmp_path / "rnn_sum.ipynb"
    answers.write(answers.notebook(solutions), str(notebook))
    page = tmp_path / "mine.html"
    page.write_text("my notes")
    proc = subprocess.run(
        [sys.executable, "-m", "autograder", "check", str(notebook), "--html", str(page)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    [copy] = _copies(page)
    assert open(copy).read() == "my notes"
    assert f"kept the previous page as {copy}" in proc.stdout
    assert "<html" in page.read_text().lower()
