"""Hostile and broken submissions leave the grading service serving, and every other student
graded: an endless notebook, one that is not JSON, one over 50 MB, one that fills its disk and
one that kills what it can reach (its kernel, its worker, every process of its user), submitted
together with a right one by real users, each through ``nbgrader submit``.  Each gets its own
zero and reason; the right one its full marks; and the service grades the next submission."""

import json

import nbformat
import pytest

from autograder.outputs import gradebook
from examples import answers
from tests import grading_service as gs

pytestmark = [pytest.mark.sandbox, pytest.mark.nbgrader]

STUDENTS = ("svcstu1", "svcstu2", "svcstu3")
# each in a function the graders call: it costs that task's points, and nothing else
ENDLESS = "def model(SIGNAL):\n    while True:\n        pass\n"
FILLS_ITS_DISK = """
def layer(SIGNAL, BIAS, WEIGHTF, WEIGHTS):
    block = b"x" * 8_000_000
    for i in range(1000):
        with open(f"fill-{i}.bin", "wb") as f:
            f.write(block)
"""
KILLS = """
import os, signal

def cell(FRAME, STATE):
    for target in (os.getppid(), -1, 1, os.getpid()):
        try:
            os.kill(target, signal.SIGKILL)
        except OSError:
            pass
"""


def _with(assignment, task, code):
    """The right answer of ``assignment`` with ``code`` for ``task``."""
    return answers.notebook(dict(answers.solutions(assignment), **{task: code}), assignment=assignment)


def _over_50_mb():
    nb = answers.notebook(answers.solutions("rnn_sum"), assignment="rnn_sum")
    nb.cells[0].source += "\n" + "x" * (51 * 1024 * 1024)
    return nbformat.writes(nb)


@pytest.fixture(scope="module")
def served(request, tmp_path_factory):
    klass = gs.Class(request, tmp_path_factory, STUDENTS)
    hostile = {
        ("svcstu1", "rnn_sum"): _with("rnn_sum", "model", ENDLESS),
        ("svcstu1", "rnn_layers"): answers.not_json(gs.notebook(assignment="rnn_layers")),
        ("svcstu2", "rnn_sum"): _over_50_mb(),
        ("svcstu2", "rnn_layers"): _with("rnn_layers", "layer", FILLS_ITS_DISK),
        ("svcstu3", "rnn_sum"): _with("rnn_sum", "cell", KILLS),
    }
    service = gs.Service(klass, jobs=2)
    try:
        service.wait_for("^serving:")
        for (student, assignment), nb in hostile.items():
            klass.submit(student, nb, assignment)
        klass.submit("svcstu3", gs.notebook(assignment="rnn_layers"), "rnn_layers")
        service.wait_for("^graded ", count=len(hostile) + 1)
        klass.submit("svcstu1", gs.notebook(), "rnn_sum")  # after all that, the next one
        service.wait_for(r"^graded svcstu1/rnn_sum attempt 2")
        return {"ledger": gs.ledger(klass.state), "klass": klass, "running": service.proc.poll() is None}
    finally:
        service.stop()


def _record(served, student, assignment, attempt=1):
    [row] = [
        r for r in served["ledger"] if (r["student"], r["assignment"], r["attempt"]) == (student, assignment, attempt)
    ]
    assert row["state"] == "delivered" and row["deliveries"] == 1, row
    return json.loads(row["record"])


def test_the_service_still_serves_and_grades_the_next_submission(served):
    assert served["running"]
    assert _record(served, "svcstu1", "rnn_sum", attempt=2)["total"] == 9
    assert gradebook.scores(served["klass"].root, "rnn_sum", total=True)["svcstu1"]["score"] == 9


def test_the_right_notebook_among_them_gets_full_marks(served):
    record = _record(served, "svcstu3", "rnn_layers")
    assert (record["total"], record["error"]) == (record["max_total"], None)


def _lost(record):
    return sorted(t for t, r in record["tasks"].items() if r["points"] < r["max_points"])


def test_the_endless_notebook_loses_the_task_it_stopped_in(served):
    record = _record(served, "svcstu1", "rnn_sum")
    assert _lost(record) == ["model"], record
    assert "loop forever" in " ".join(record["tasks"]["model"]["messages"])


def test_a_file_that_is_not_json_or_too_large_gets_zero_and_says_why(served):
    broken = _record(served, "svcstu1", "rnn_layers")
    large = _record(served, "svcstu2", "rnn_sum")
    assert broken["total"] == 0 and "JSON" in broken["error"]
    assert large["total"] == 0 and "larger than" in large["error"]


def test_the_disk_filler_and_the_killer_lose_only_their_own_task(served):
    # The release's train cell trains at once, through the filling layer.  Whether the quota stops
    # that cell too (train then undefined) or its writes fail first (train defined, judged with a
    # working layer) depends on timing: cell and model are never touched.
    assert _lost(_record(served, "svcstu2", "rnn_layers")) in (["layer"], ["layer", "train"])
    assert _lost(_record(served, "svcstu3", "rnn_sum")) == ["cell"]
