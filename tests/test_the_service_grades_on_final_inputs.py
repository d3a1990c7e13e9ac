"""With a course secret the grading service shows each attempt's page on that attempt's hidden
inputs and writes the grade on the student's ``final`` inputs, which no page showed: a notebook
hard-coded for the signals its first attempt was graded on gets full marks on its page and loses
them in the gradebook (real users, nbgrader's command line, the service as a process)."""

import json
import os

import pytest

from autograder.grading import inputs as hidden
from autograder.outputs import gradebook
from tests import grading_service as gs
from tests import hard_coded

pytestmark = [pytest.mark.sandbox, pytest.mark.nbgrader]

SECRET = "the service test's course secret"


@pytest.fixture(scope="module")
def served(request, tmp_path_factory):
    klass = gs.Class(request, tmp_path_factory, ("svcstu1",))
    secret = hidden.Secret(hidden.digest(SECRET.encode()), "test", SECRET.encode())
    env = {k: v for k, v in os.environ.items() if not k.startswith("AUTOGRADER_SECRET")}
    service = gs.Service(klass, env={**env, hidden.ENV_SECRET: SECRET})
    try:
        service.wait_for("^serving:")
        klass.submit("svcstu1", hard_coded.notebook(hard_coded.revealed("svcstu1", 1, secret)))
        service.wait_for(r"^final grade svcstu1/rnn_sum attempt 1")
        return {
            "pages": klass.fetch_feedback("svcstu1"),
            "scores": gradebook.scores(klass.root, "rnn_sum"),
            "ledger": gs.ledger(klass.state),
            "lines": service.lines,
        }
    finally:
        service.stop()


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
