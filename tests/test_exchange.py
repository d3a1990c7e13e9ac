"""nbgrader's exchange between real Unix users, end to end with nbgrader's real command line.

The instructor (root) releases ``rnn_sum`` into an exchange folder; two students, real Unix
users made for the test, fetch it into their own homes, fill it in (one right, one with a
typical mistake) and submit it; the instructor collects, autogrades (through the kit's
sandbox), generates and releases the feedback; each student fetches their own page.  Then
one student tries the other's work: the submission in the exchange, by its exact path (with
nbgrader's own submit they could read it, add to it and delete it; the kit's submit,
``autograder/nbgrader/exchange.py``, closes it to them), and the other's home.

Each student command runs as that user (``setpriv``), with a clean environment.  Where the
venv's interpreter lives in a folder other users cannot enter (pyenv under ``/root``), the
command runs in a private mount namespace (bubblewrap, started as root) in which that folder
is an empty tmpfs holding only the interpreter's installation, read-only: nothing else of it.
"""

import glob
import os
import pwd
import shutil
import tempfile

import nbformat
import pytest

import course_config as config
from autograder.nbgrader import course
from examples import answers
from tests.conftest import gradebook_scores, new_course
from tests.unix_users import COURSE, as_student, probe, student_nbgrader, students

pytestmark = pytest.mark.nbgrader

STUDENTS = ("kitstu1", "kitstu2")
MISTAKE = "missing_zero_grad"  # kitstu2's: costs train (3 points) and nothing else


@pytest.fixture(scope="module")
def exchanged(request, tmp_path_factory):
    """Every step of the exchange, in order; returns what each step left."""
    homes = students(STUDENTS, request)

    # the exchange: a folder every user can reach (nbgrader creates Exchange.root itself)
    top = tempfile.mkdtemp(prefix="rnn-sum-exchange-")
    request.addfinalizer(lambda: shutil.rmtree(top, ignore_errors=True))
    os.chmod(top, 0o755)
    exchange = os.path.join(top, "exchange")

    # 1. the instructor builds the course and releases the assignment
    root = tmp_path_factory.mktemp("exchange-course")
    new_course(str(root))
    logs = {"release": course.nbgrader(root, "release_assignment", "rnn_sum", f"--Exchange.root={exchange}")}

    # 2. each student fetches, fills in and submits, as themselves
    solutions = answers.solutions()
    work = {
        "kitstu1": solutions,
        "kitstu2": answers.apply(solutions, answers.edit(MISTAKE)),
    }
    for name in STUDENTS:
        logs[f"fetch {name}"] = student_nbgrader(name, "fetch_assignment", "rnn_sum", exchange=exchange)
        fetched = os.path.join(homes[name], "rnn_sum", "rnn_sum.ipynb")
        written = dict(work[name], why_wrong=f"The written answer of {name}.")
        text = nbformat.writes(answers.notebook(written, base=fetched))
        wrote = as_student(name, "sh", "-c", 'cat > "$1"', "sh", fetched, stdin=text)
        assert wrote.returncode == 0, wrote.stderr
        logs[f"submit {name}"] = student_nbgrader(name, "submit", "rnn_sum", exchange=exchange)

    # 3. the instructor collects, grades and hands the feedback back
    logs["collect"] = course.nbgrader(root, "collect", "rnn_sum", f"--Exchange.root={exchange}")
    logs["autograde"] = course.nbgrader(root, "autograde", "rnn_sum")
    logs["generate_feedback"] = course.nbgrader(root, "generate_feedback", "rnn_sum")
    logs["release_feedback"] = course.nbgrader(root, "release_feedback", "rnn_sum", f"--Exchange.root={exchange}")

    # 4. each student fetches their feedback and reads it, as themselves
    pages, page_paths = {}, {}
    for name in STUDENTS:
        logs[f"fetch_feedback {name}"] = student_nbgrader(name, "fetch_feedback", "rnn_sum", exchange=exchange)
        found = glob.glob(os.path.join(homes[name], "rnn_sum", "feedback", "*", "rnn_sum.html"))
        assert len(found) == 1, found
        page_paths[name] = found[0]
        read = as_student(name, "cat", found[0])
        assert read.returncode == 0, read.stderr
        pages[name] = read.stdout

    # 5. kitstu2 tries kitstu1's work
    inbound = os.path.join(exchange, COURSE, "inbound")
    submission = glob.glob(os.path.join(inbound, "kitstu1+rnn_sum+*"))
    assert len(submission) == 1, submission
    submission = submission[0]
    mine = glob.glob(os.path.join(inbound, "kitstu2+rnn_sum+*"))[0]
    theirs = [
        ("list", inbound),
        ("read", os.path.join(submission, "rnn_sum.ipynb")),
        ("read", os.path.join(submission, "submission_secret.txt")),
        ("write", submission),
        ("delete", os.path.join(submission, "rnn_sum.ipynb")),
        ("list", homes["kitstu1"]),
        ("read", os.path.join(homes["kitstu1"], "rnn_sum", "rnn_sum.ipynb")),
        ("read", page_paths["kitstu1"]),
    ]
    own = [
        ("read", os.path.join(exchange, COURSE, "outbound", "rnn_sum", "rnn_sum.ipynb")),
        ("read", os.path.join(mine, "rnn_sum.ipynb")),
    ]
    tries = probe("kitstu2", theirs + own)
    return {
        "root": root,
        "exchange": exchange,
        "homes": homes,
        "logs": logs,
        "pages": pages,
        "submission": submission,
        "theirs": {f"{a} {p}": tries[f"{a} {p}"] for a, p in theirs},
        "own": {f"{a} {p}": tries[f"{a} {p}"] for a, p in own},
    }


def test_students_fetch_and_submit_as_themselves(exchanged):
    """Each student's fetched copy is in their own home and owned by them, and their submission
    reached the instructor's submitted/ folder under their user name."""
    for name in STUDENTS:
        fetched = os.path.join(exchanged["homes"][name], "rnn_sum", "rnn_sum.ipynb")
        assert pwd.getpwuid(os.stat(fetched).st_uid).pw_name == name
        submitted = exchanged["root"] / "submitted" / name / "rnn_sum" / "rnn_sum.ipynb"
        assert f"The written answer of {name}." in submitted.read_text()
    assert "cheating attempt" not in exchanged["logs"]["collect"].stderr


def test_autograde_runs_in_the_kit_sandbox(exchanged):
    """nbgrader autograde grades the collected submissions through the kit's sandboxed graders."""
    stderr = exchanged["logs"]["autograde"].stderr
    assert "by the kit's graders (sandboxed" in stderr, stderr[-2000:]
    assert "NOT SANDBOXED" not in stderr, stderr[-2000:]


def test_the_right_answer_gets_full_marks_and_the_mistake_loses_its_task(exchanged):
    """The gradebook holds full points for kitstu1 and all but train's for kitstu2."""
    assignment = config.ASSIGNMENTS["rnn_sum"]
    points = {task: assignment["points"][task] for task in assignment["graded_tasks"]}
    scores = gradebook_scores(exchanged["root"])
    assert scores["kitstu1"] == points
    assert scores["kitstu2"] == {**points, "train": 0.0}


def test_each_student_fetches_their_own_feedback(exchanged):
    """Each student's feedback page, fetched into their home, is theirs: their written answer,
    their score, and for the mistake the failed check's message; nothing of the other's."""
    pages = exchanged["pages"]
    total = sum(config.ASSIGNMENTS["rnn_sum"]["points"].values())
    for name, other in (("kitstu1", "kitstu2"), ("kitstu2", "kitstu1")):
        assert f"The written answer of {name}." in pages[name]
        assert f"The written answer of {other}." not in pages[name]
    # nbgrader's heading; the written answer's point waits for the instructor
    assert f"rnn_sum (Score: {total - 1:.1f} / {total:.1f})" in pages["kitstu1"]
    assert f"rnn_sum (Score: {total - 4:.1f} / {total:.1f})" in pages["kitstu2"]
    # the messages, unwrapped (the cell's output is wrapped at a readable width)
    assert "the loss of epoch 2 is" in " ".join(pages["kitstu2"].split())
    assert "the loss of epoch 2 is" not in " ".join(pages["kitstu1"].split())


def test_a_student_cannot_read_or_change_another_students_work(exchanged):
    """kitstu2 can neither list the inbound folder nor read, add to or delete kitstu1's
    submission by its exact path, nor look into kitstu1's home, fetched copy or feedback page."""
    assert exchanged["theirs"] == dict.fromkeys(exchanged["theirs"], "PermissionError")
    assert os.path.exists(os.path.join(exchanged["submission"], "rnn_sum.ipynb"))


def test_a_student_can_read_the_release_and_their_own_submission(exchanged):
    """The probe of the previous test is no blanket failure: kitstu2 reads what is theirs to read."""
    assert exchanged["own"] == dict.fromkeys(exchanged["own"], "ok")


def test_the_instructors_group_keeps_the_submission(exchanged):
    """The submission's folder is open to its student and to the inbound folder's (the
    instructor's) group only, and that group reads every file in it: an instructor who is not
    root still collects it."""
    submission = exchanged["submission"]
    group = os.stat(os.path.dirname(submission)).st_gid
    assert os.stat(submission).st_gid == group
    assert os.stat(submission).st_mode & 0o777 == 0o770
    for folder, _, files in os.walk(submission):
        for path in [folder] + [os.path.join(folder, name) for name in files]:
            st = os.stat(path)
            need = 0o5 if os.path.isdir(path) else 0o4  # to enter a folder, to read a file
            assert (st.st_gid == group and st.st_mode >> 3 & need == need) or st.st_mode & need == need, path
