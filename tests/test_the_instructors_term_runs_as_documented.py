"""docs/instructors.md's term, run command block by command block as it is written.

The page's fenced blocks are the test's script, in the page's order: each ```` ```sh ```` block runs
as the instructor (root) with bash, in a fresh copy of the repository's files, each block in the
environment the blocks before it exported; each ```` ```sh student ```` block runs as each of two
students, real Unix users made for the test, in their own homes.  The test adds only what a
person would do between blocks: the students write their answers between fetching and
submitting (one right, one with a typical mistake), the instructor gives one written answer its
point where the page says to grade by hand in formgrader (through nbgrader's API: formgrader is a
page in a browser, which ``tests/test_browser.py`` drives), and Canvas's gradebook export is
put where the page says to download it.  A block the test does not run is named in ``NOT_RUN``,
with the reason; a block that is neither is an error, so a new block of the page is run or
explained.

What differs from a real term, and why: the exchange's folder of the page's ``/etc/jupyter``
configuration is a temporary folder, put where Jupyter reads configuration
(``JUPYTER_CONFIG_PATH``) rather than in ``/etc``; the course secret is made under a temporary
``XDG_CONFIG_HOME`` rather than in root's home; and the copy runs in the venv under test (whose
editable install and nbgrader configuration are the kit's), rather than installing one.
"""

import csv
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

import nbformat
import pytest
from nbgrader.api import Gradebook

import course_config as config
from autograder.outputs import canvas
from autograder.settings import ROOT
from examples import answers
from tests.conftest import kit_copy
from tests.unix_users import as_student, students

pytestmark = [pytest.mark.docs, pytest.mark.nbgrader, pytest.mark.sandbox]

DOC = os.path.join(ROOT, "docs", "instructors.md")
STUDENTS = ("termstu1", "termstu2")
MISTAKE = "missing_zero_grad"  # termstu2's: costs train (3 points) and nothing else
EXCHANGE_IN_THE_DOC = "/srv/nbgrader/exchange"
NOT_RUN = {
    "git clone": "the install: the copy is made from the repository's files, with the venv under test",
    "jupyter lab": "formgrader is a page in a browser: the hand grade is set through nbgrader's API",
    "make gradescope": "Gradescope's route: tests/test_gradescope.py builds the zip and runs it as Gradescope does",
}
# Canvas's gradebook export, as Canvas writes it: identity columns, an assignment, read-only scores
ROSTER = [
    ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "RNN sum", "Current Score", "Final Score"],
    ["    Points Possible", "", "", "", "", "10", "(read only)", "(read only)"],
    ["Stu, One", "2001", "S-2001", STUDENTS[0], "Section A", "", "", ""],
    ["Stu, Two", "2002", "S-2002", STUDENTS[1], "Section A", "", "", ""],
]


def _blocks():
    """[(info, text)] of the page's fenced blocks, in order."""
    with open(DOC) as f:
        return re.findall(r"```([^\n]*)\n(.*?)```", f.read(), flags=re.S)


def _instructor(block, course, env, log):
    """Run ``block`` with bash in ``course``; returns the environment it leaves."""
    dump = os.path.join(os.path.dirname(course), "env.bin")
    proc = subprocess.run(
        ["bash", "-e", "-c", f'{block}\nenv -0 > "{dump}"'], cwd=course, env=env, capture_output=True, text=True
    )
    log.append((block, proc))
    if proc.returncode != 0:
        raise AssertionError(f"the block\n{block}\nfailed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    with open(dump, "rb") as f:
        return dict(item.split("=", 1) for item in f.read().decode().split("\0") if "=" in item)


def _student(name, block, config_path, log):
    proc = as_student(name, "env", f"JUPYTER_CONFIG_PATH={config_path}", "bash", "-e", "-c", block)
    log.append((f"{name}: {block}", proc))
    if proc.returncode != 0:
        raise AssertionError(f"{name}'s block\n{block}\nfailed ({proc.returncode}):\n{proc.stderr[-3000:]}")


def _write_answers(name, home):
    """What the student does between fetching and submitting: fill in the fetched notebook."""
    solutions = answers.solutions()
    work = solutions if name == STUDENTS[0] else answers.apply(solutions, answers.edit(MISTAKE))
    fetched = os.path.join(home, "rnn_sum", "rnn_sum.ipynb")
    text = nbformat.writes(answers.notebook(dict(work, why_wrong=f"The written answer of {name}."), base=fetched))
    wrote = as_student(name, "sh", "-c", 'cat > "$1"', "sh", fetched, stdin=text)
    assert wrote.returncode == 0, wrote.stderr


def _grade_by_hand(course):
    """Formgrader's Manual Grading: the first student's written answer gets its point."""
    with Gradebook(f"sqlite:///{os.path.join(course, 'gradebook.db')}") as gb:
        gb.find_grade("why_wrong", "rnn_sum", "rnn_sum", STUDENTS[0]).manual_score = 1.0
        gb.db.commit()


@pytest.fixture(scope="module")
def term(request, tmp_path_factory):
    homes = students(STUDENTS, request)

    top = tmp_path_factory.mktemp("term")
    course = str(top / "rnn-sum-course")
    kit_copy(course)
    os.symlink(sys.prefix, os.path.join(course, ".venv"))  # the venv under test
    shared = tempfile.mkdtemp(prefix="rnn-sum-term-")  # the exchange and its configuration, for everyone
    request.addfinalizer(lambda: shutil.rmtree(shared, ignore_errors=True))
    os.chmod(shared, 0o755)
    config_path = os.path.join(shared, "etc-jupyter")
    os.makedirs(config_path, mode=0o755)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AUTOGRADER_", "JUPYTER_", "VIRTUAL_ENV"))}
    env.update(JUPYTER_CONFIG_PATH=config_path, XDG_CONFIG_HOME=str(top / "xdg"))
    env["PATH"] = os.pathsep.join(p for p in env["PATH"].split(os.pathsep) if p != os.path.dirname(sys.executable))

    log, ran, skipped = [], [], []
    for info, block in _blocks():
        first = block.strip().splitlines()[0]
        if info == "python" and "c.Exchange.root" in block:
            with open(os.path.join(config_path, "nbgrader_config.py"), "w") as f:
                f.write(block.replace(EXCHANGE_IN_THE_DOC, os.path.join(shared, "exchange")))
            os.chmod(os.path.join(config_path, "nbgrader_config.py"), 0o644)
        elif info == "sh":
            if "autograder export --canvas" in block:
                with open(os.path.join(course, "gradebook_export.csv"), "w", newline="") as f:
                    csv.writer(f).writerows(ROSTER)
            env = _instructor(block, course, env, log)
        elif info == "sh student":
            for name in STUDENTS:
                _student(name, block, config_path, log)
                if "fetch_assignment" in block:
                    _write_answers(name, homes[name])
        else:
            reason = [why for start, why in NOT_RUN.items() if first.startswith(start)]
            assert reason, f"docs/instructors.md: a block this test neither runs nor explains: {first!r}"
            if first.startswith("jupyter lab"):
                _grade_by_hand(course)
            skipped.append(first)
            continue
        ran.append(block)
    return {"course": course, "top": str(top), "homes": homes, "log": log, "ran": ran, "skipped": skipped}


def _output(term, start):
    found = [proc for block, proc in term["log"] if block.startswith(start)]
    assert found, start
    return found[-1]


def test_the_page_is_a_whole_term_and_every_block_of_it_ran(term):
    """The page's blocks hold each step of a term, and each ran to its end (a failed block fails
    the fixture with its error)."""
    script = "\n".join(term["ran"])
    for step in ("export PATH", "autograder secret", "generate_assignment", "release_assignment", "collect",
                 "autograder grade", "generate_feedback", "release_feedback", "nbgrader export",
                 "autograder export --canvas", "secret --rotate"):  # fmt: skip
        assert step in script, step
    assert [first.split()[:2] for first in term["skipped"]] == [
        ["git", "clone"],
        ["jupyter", "lab"],
        ["make", "gradescope"],
    ]


def test_the_class_is_graded_on_each_students_own_inputs(term):
    """The secret of step 2 was used: every record's inputs are its student's final ones."""
    with open(os.path.join(term["top"], "last-term", "results.json")) as f:
        records = {r["student"]: r for r in json.load(f)}
    assert set(records) == set(STUDENTS)
    points = config.ASSIGNMENTS["rnn_sum"]["points"]
    assert records[STUDENTS[0]]["total"] == records[STUDENTS[0]]["max_total"]
    assert records[STUDENTS[1]]["tasks"]["train"]["points"] == 0.0
    assert records[STUDENTS[1]]["total"] == records[STUDENTS[1]]["max_total"] - points["train"]
    for name, record in records.items():
        assert record["inputs"]["student"] == name and record["inputs"]["attempt"] == "final"
        assert record["sandboxed"] is True


def test_each_student_fetches_feedback_with_the_hand_grade_in_it(term):
    """termstu1's page counts the written answer's point given by hand; termstu2's says what its
    mistake got wrong."""
    total = sum(config.ASSIGNMENTS["rnn_sum"]["points"].values())
    pages = {}
    for name, home in term["homes"].items():
        found = glob.glob(os.path.join(home, "rnn_sum", "feedback", "*", "rnn_sum.html"))
        assert len(found) == 1, found
        read = as_student(name, "cat", found[0])
        assert read.returncode == 0, read.stderr
        pages[name] = " ".join(read.stdout.split())
    assert f"rnn_sum (Score: {total:.1f} / {total:.1f})" in pages[STUDENTS[0]]
    assert f"rnn_sum (Score: {total - 4:.1f} / {total:.1f})" in pages[STUDENTS[1]]
    # train's message: where the run departs from plain SGD (which epoch depends on the student's inputs)
    assert "expected" in pages[STUDENTS[1]] and "for plain SGD" in pages[STUDENTS[1]]
    assert "for plain SGD" not in pages[STUDENTS[0]]


def test_nbgraders_export_holds_both_students_with_the_hand_grade(term):
    with open(os.path.join(term["top"], "last-term", "grades.csv"), newline="") as f:
        rows = {r["student_id"]: r for r in csv.DictReader(f) if r["assignment"] == "rnn_sum"}
    total = sum(config.ASSIGNMENTS["rnn_sum"]["points"].values())
    assert float(rows[STUDENTS[0]]["score"]) == total
    assert float(rows[STUDENTS[1]]["score"]) == total - 4


def test_the_canvas_file_has_canvas_import_columns_and_the_whole_grades(term):
    """Canvas's gradebook import reads the identity columns Student, ID, SIS User ID, SIS Login ID and
    Section, then one column per assignment; a Points Possible row first.  The file holds exactly
    those, the read-only scores of the export left out, each grade with its hand-graded points,
    out of the assignment's whole points."""
    with open(os.path.join(term["top"], "last-term", "canvas_import.csv"), newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == canvas.IDENTITY + ["RNN sum"]
    total = sum(config.ASSIGNMENTS["rnn_sum"]["points"].values())
    assert rows[1][0] == canvas.POINTS_POSSIBLE and float(rows[1][5]) == total
    grades = {row[3]: float(row[5]) for row in rows[2:]}
    assert grades == {STUDENTS[0]: total, STUDENTS[1]: total - 4}
    proc = _output(term, "python -m autograder export --canvas")
    said = proc.stdout + proc.stderr
    assert f"{STUDENTS[1]} (why_wrong)" in said and f"{STUDENTS[0]} (why_wrong)" not in said


def test_next_term_leaves_the_course_folder_without_last_terms_class_and_a_new_secret(term):
    course, last = term["course"], os.path.join(term["top"], "last-term")
    for name in ("submitted", "autograded", "feedback", "pages", "report", "gradebook.db", "results.json"):
        assert not os.path.exists(os.path.join(course, name)) and os.path.exists(os.path.join(last, name)), name
    assert os.path.exists(os.path.join(last, "report", "rnn_sum.html"))
    assert {os.path.basename(p) for p in glob.glob(os.path.join(last, "pages", "*.html"))} == {
        f"{n}.html" for n in STUDENTS
    }
    secrets = glob.glob(os.path.join(term["top"], "xdg", "autograder", f"{config.COURSE_ID}.secret*"))
    assert len(secrets) == 2, secrets  # the new one, and the old one kept beside it
