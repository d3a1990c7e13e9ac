"""With a course secret the grading service shows each attempt's page on that attempt's hidden
inputs and writes the grade on the student's ``final`` inputs, which no page showed: a notebook
hard-coded for the signals its first attempt was graded on gets full marks on its page and loses
them in the gradebook.  Its deadline (past, in a copy of course_config.py the service reads) makes
the submission late by the exchange's timestamp: penalised as the class route penalises it.  Real
users, nbgrader's command line, the service as a process."""

import json
import os
import shutil

import pytest

from autograder.grading import inputs as hidden
from autograder.outputs import gradebook
from autograder.settings import ROOT
from tests import grading_service as gs
from tests import hard_coded

pytestmark = [pytest.mark.sandbox, pytest.mark.nbgrader]

SECRET = "the service test's course secret"
DEADLINE = "2026-12-01T00:00:00+00:00"  # past: every submission of the test is days late
PER_HOUR = 0.25  # of the 9 points an hour: all of them after 4 hours


def late_settings(folder):
    """A copy of course_config.py in ``folder`` with rnn_sum due at DEADLINE, PER_HOUR per started hour late."""
    with open(os.path.join(ROOT, "course_config.py")) as f:
        text = f.read()
    changed = text.replace('"deadline": None', f'"deadline": "{DEADLINE}"', 1).replace(
        '"late_policy": {"method": "none"}', f'"late_policy": {{"method": "per_hour", "per_hour": {PER_HOUR}}}', 1
    )
    assert DEADLINE in changed and f'"per_hour": {PER_HOUR}' in changed
    os.makedirs(folder)
    with open(os.path.join(folder, "course_config.py"), "w") as f:
        f.write(changed)
    shutil.copy(os.path.join(ROOT, "nbgrader_config.py"), folder)
    return str(folder)


@pytest.fixture(scope="module")
def served(request, tmp_path_factory):
    klass = gs.Class(request, tmp_path_factory, ("svcstu1",))
    secret = hidden.Secret(hidden.digest(SECRET.encode()), "test", SECRET.encode())
    env = {k: v for k, v in os.environ.items() if not k.startswith("AUTOGRADER_SECRET")}
    conf = late_settings(tmp_path_factory.mktemp("late") / "settings")
    env.update({hidden.ENV_SECRET: SECRET, "PYTHONPATH": f"{conf}{os.pathsep}{ROOT}"})
    service = gs.Service(klass, env=env, cwd=conf)
    try:
        service.wait_for("^serving:")
        klass.submit("svcstu1", hard_coded.notebook(hard_coded.revealed("svcstu1", 1, secret)))
        service.wait_for(r"^final grade svcstu1/rnn_sum attempt 1")
        return {
            "pages": klass.fetch_feedback("svcstu1"),
            "scores": gradebook.scores(klass.root, "rnn_sum"),
            "export": export(klass.root, conf),
            "ledger": gs.ledger(klass.state),
            "lines": service.lines,
        }
    finally:
        service.stop()


def export(root, conf):
    """nbgrader's own export of the course's gradebook, with the late settings: {student: row}."""
    import csv

    from autograder.nbgrader import course

    out = os.path.join(root, "grades.csv")
    env_prefix = ["env", f"PYTHONPATH={conf}{os.pathsep}{ROOT}"]
    course.nbgrader(root, "export", f"--CsvExportPlugin.to={out}", prefix=env_prefix, cwd=conf)
    with open(out) as f:
        return {row["student_id"]: row for row in csv.DictReader(f)}


def test_the_page_shows_the_attempts_inputs_and_the_gradebook_holds_the_final_ones(served):
    [(_, page)] = served["pages"].items()
    assert "Score: <strong>9 / 9</strong>" in page, page
    assert served["scores"]["svcstu1"]["model"] == 0.0
    assert served["scores"]["svcstu1"]["cell"] == 1.0
    [row] = served["ledger"]
    assert (row["state"], row["deliveries"], row["feedback"]) == ("delivered", 1, 1)
    record = json.loads(row["record"])
    assert record["inputs"] == {"student": "svcstu1", "attempt": "final", "secret": hidden.digest(SECRET.encode())}
    assert record["tasks"]["model"]["points"] == 0.0
    said = "\n".join(served["lines"])
    assert "graded svcstu1/rnn_sum attempt 1: 9/9" in said
    assert "final grade svcstu1/rnn_sum attempt 1: 7/9" in said
    assert SECRET not in said


def test_late_work_on_the_service_is_penalised_as_on_the_class_route(served):
    """The exchange's timestamp is days after the deadline: the record says so, and nbgrader's
    gradebook holds the due date, the penalty (every point, capped at what the notebook scored)
    and a score of 0."""
    [row] = served["ledger"]
    record = json.loads(row["record"])
    assert record["late"]["seconds"] > 3 * 24 * 3600
    assert record["late"]["penalty"] == 9.0
    exported = served["export"]["svcstu1"]
    assert exported["duedate"] == "2026-12-01 00:00:00", exported
    assert float(exported["raw_score"]) == 7.0 and float(exported["late_submission_penalty"]) == 7.0
    assert float(exported["score"]) == 0.0
    [(_, page)] = served["pages"].items()
    assert "late, -9: the grade is 0 of 9 points." in page, page
