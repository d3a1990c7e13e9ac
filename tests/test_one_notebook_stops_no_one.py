"""One notebook, however hostile, costs only its own points: it cannot stop a class's run,
break its outputs, or change a classmate's grade, on either route that grades
(``python -m autograder grade`` and ``nbgrader autograde``).

The class: a right notebook and one with a known mistake (the bystanders, whose records must
be what they are when graded alone), and four that attack the run itself: a file nested 100,000
deep; a function that finds the child's event sender in its callers' frames and sends an end
of its task with an observation of its own (``{"stopped": {"forged": [1, 2]}}``), then exits;
a cell that writes garbage, JSON nested too deep and a line of 70 MB straight into the event
pipe; a function that says it is a later step.
"""

import json
import os

import pytest

from autograder import records as rec
from autograder.nbgrader import course
from autograder.outputs import gradebook
from examples import answers
from tests.conftest import grade_command, new_course, write_class

pytestmark = pytest.mark.sandbox

# Finds, in its callers' frames, the child's own ``send`` and the index of the step it runs.
FRAMES = """
import os, sys

def _the_child():
    frame = sys._getframe(1)
    while frame is not None and "event_fd" not in frame.f_locals:
        frame = frame.f_back
    return frame.f_locals
"""

FORGES_ITS_END = (
    FRAMES
    + """
def model(SIGNAL):
    child = _the_child()
    child["send"]({"event": "end", "step": child["i"], "observed": {"stopped": {"forged": [1, 2]}}})
    os._exit(0)
"""
)

WRITES_GARBAGE = (
    FRAMES
    + """
def partial_sum_loss(RESULT, TARGET):
    fd = _the_child()["event_fd"]
    os.write(fd, b"\\xff\\xfe garbage\\n" + b"[" * 100000 + b"]" * 100000 + b"\\n")
    os.write(fd, b'{"event": "end", "step": 0, "observed": ' + b"[" * 100000 + b"]" * 100000 + b"}\\n")
    os.write(fd, b'"' + b"x" * (70 * 1024 * 1024) + b'"\\n')
    return ((RESULT - TARGET) ** 2).mean()
"""
)

CLAIMS_A_LATER_STEP = (
    FRAMES
    + """
def batched_model(SIGNAL):
    child = _the_child()
    child["send"]({"event": "start", "step": child["i"] + 5})
    child["send"]({"event": "finished"})
    return SIGNAL.cumsum(0)
"""
)


def _deep_file(path):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write('{"cells": ' + "[" * 100_000 + "]" * 100_000 + "}")


@pytest.fixture(scope="module")
def hostile_class(solutions):
    mistake = next(e for e in answers.MISTAKES if e.name == "forgotten_bias")
    return {
        "ada": answers.notebook(solutions),
        "ben": answers.notebook(answers.apply(solutions, mistake)),
        "bob": answers.notebook(dict(solutions, model=FORGES_ITS_END)),
        "dan": answers.notebook(dict(solutions, partial_sum_loss=WRITES_GARBAGE)),
        "eve": answers.notebook(dict(solutions, batched_model=CLAIMS_A_LATER_STEP)),
    }


@pytest.fixture(scope="module")
def alone(tmp_path_factory, hostile_class):
    """The bystanders' records when graded without the others."""
    root = tmp_path_factory.mktemp("alone")
    write_class(root, {s: hostile_class[s] for s in ("ada", "ben")})
    proc = grade_command(str(root), "--json", str(root / "out.json"), "--quiet", cwd=str(root))
    assert proc.returncode == 0, proc.stderr
    return {r["student"]: r for r in json.loads((root / "out.json").read_text())}


def _same_grade(a, b):
    return {k: a[k] for k in ("tasks", "total", "error")} == {k: b[k] for k in ("tasks", "total", "error")}


@pytest.fixture(scope="module")
def graded(tmp_path_factory, hostile_class):
    root = tmp_path_factory.mktemp("course")
    new_course(str(root))
    write_class(root / "submitted", hostile_class)
    _deep_file(str(root / "submitted" / "cat" / "rnn_sum" / "rnn_sum.ipynb"))
    out = root / "out"
    out.mkdir()
    proc = grade_command(
        str(root / "submitted"),
        *("--json", str(out / "results.json"), "--course", str(root)),
        *("--feedback", str(out / "feedback"), "--report", str(out / "report")),
        *("--gradescope", str(out / "gradescope")),
        cwd=str(root),
    )
    records = {r["student"]: r for r in json.loads((out / "results.json").read_text())}
    return root, out, proc, records


def test_the_grade_command_finishes_with_every_record_and_every_file(graded):
    root, out, proc, records = graded
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert sorted(records) == ["ada", "ben", "bob", "cat", "dan", "eve"]
    for student, record in records.items():
        assert all(isinstance(m, str) for t in record["tasks"].values() for m in t["messages"]), record
        assert (out / "feedback" / f"{student}.html").stat().st_size > 0
        assert json.loads((out / "gradescope" / student / "results.json").read_text())["tests"]
    assert (out / "report" / "rnn_sum.html").stat().st_size > 0
    assert sorted(gradebook.scores(str(root), "rnn_sum")) == ["ada", "ben", "bob", "cat", "dan", "eve"]


def test_the_bystanders_are_graded_as_if_alone(graded, alone):
    records = graded[3]
    for student in ("ada", "ben"):
        assert _same_grade(records[student], alone[student]), (records[student], alone[student])
    assert records["ada"]["total"] == records["ada"]["max_total"]


@pytest.mark.parametrize(
    "student, task, reason",
    [
        ("bob", "model", "could not be read (the observation has unexpected field stopped)"),
        ("dan", "partial_sum_loss", "could not be read (a line that is not JSON)"),
        ("eve", "batched_model", "sent something unexpected"),
    ],
)
def test_a_notebook_that_writes_on_the_event_pipe_loses_that_task_and_only_it(graded, student, task, reason):
    record = graded[3][student]
    assert record["error"] is None
    assert [t for t, r in record["tasks"].items() if not rec.passed(r)] == [task], record["tasks"]
    assert reason in "\n".join(record["tasks"][task]["messages"])


def test_a_file_nested_a_hundred_thousand_deep_gets_zero_and_a_reason(graded):
    record = graded[3]["cat"]
    assert record["total"] == 0 and "nested more than" in record["error"]
    assert not rec.by_machine(record)


@pytest.mark.nbgrader
def test_nbgrader_autograde_grades_the_class_beside_them(tmp_path, hostile_class, alone):
    """The same class through ``nbgrader autograde`` (the kit's preprocessor): the bystanders get
    their points, the attackers lose only the task they attacked from; the deep file is nbgrader's
    own to refuse, and it refuses only that one."""
    root = tmp_path / "course"
    root.mkdir()
    new_course(str(root))
    write_class(root / "submitted", hostile_class)
    _deep_file(str(root / "submitted" / "cat" / "rnn_sum" / "rnn_sum.ipynb"))
    course.nbgrader(str(root), "autograde", "rnn_sum", "--force", check=False)
    scores = gradebook.scores(str(root), "rnn_sum")
    for student in ("ada", "ben"):
        expected = {t: r["points"] for t, r in alone[student]["tasks"].items()}
        assert {t: scores[student][t] for t in expected} == expected
    for student, task in (("bob", "model"), ("dan", "partial_sum_loss"), ("eve", "batched_model")):
        lost = [t for t, points in scores[student].items() if t in alone["ada"]["tasks"] and not points]
        assert lost == [task], scores[student]
    assert "cat" not in scores or not any(scores["cat"].values())
