"""Feedback seconds after Submit: the grading service (``python -m autograder serve``) grades
each submission to nbgrader's exchange as it arrives, saves it in the gradebook and releases the
kit's page, which only its student fetches, with nbgrader's own ``fetch_feedback``.

Real Unix users submit with nbgrader's command line; the service runs as its own process on a
course with both assignments.  Also here: a submission made while the service was down is
graded when it comes back, a later attempt supersedes one still queued, and a submission made in
another student's name is refused.
"""

import datetime
import json
import os
import secrets
import time

import nbformat
import pytest
from nbgrader.utils import parse_utc

from autograder.outputs import feedback, gradebook
from autograder.service import deliver
from tests import grading_service as gs
from tests.unix_users import as_student, probe

pytestmark = [pytest.mark.sandbox, pytest.mark.nbgrader]

STUDENTS = ("svcstu1", "svcstu2")


@pytest.fixture(scope="module")
def klass(request, tmp_path_factory):
    return gs.Class(request, tmp_path_factory, STUDENTS)


@pytest.fixture(scope="module")
def served(klass):
    """svcstu1 submits a notebook with a known mistake, fetches its feedback, then a right one;
    svcstu2 then tries to read svcstu1's."""
    service = gs.Service(klass)
    try:
        service.wait_for("^serving:")
        klass.submit("svcstu1", gs.notebook("forgotten_bias"))
        service.wait_for(r"graded svcstu1/rnn_sum attempt 1")
        first = klass.fetch_feedback("svcstu1")
        scores_first = gradebook.scores(klass.root, "rnn_sum", total=True)
        klass.submit("svcstu1", gs.notebook())
        service.wait_for(r"graded svcstu1/rnn_sum attempt 2")
        both = klass.fetch_feedback("svcstu1")
        outbound = os.path.join(klass.exchange, gs.COURSE, "feedback")
        pages = sorted(os.listdir(outbound))
        tries = probe(
            "svcstu2",
            [("list", outbound), ("list", klass.inbound)]
            + [("read", os.path.join(outbound, p)) for p in pages]
            + [("list", klass.homes["svcstu1"])],
        )
        return {
            "first": first,
            "both": both,
            "scores_first": scores_first,
            "scores": gradebook.scores(klass.root, "rnn_sum", total=True),
            "ledger": gs.ledger(klass.state),
            "tries": tries,
            "pages": pages,
            "lines": service.lines,
        }
    finally:
        service.stop()


def test_the_student_fetches_the_kits_page_with_the_mistake_named_and_the_training_curve(served):
    [(stamp, page)] = served["first"].items()
    assert "Score: <strong>8 / 9</strong>" in page
    assert "Attempt 1" in page
    assert "does it add the bias?" in page  # the diagnosis of forgotten_bias
    assert "data:image/png;base64," in page  # the training curve beside the reference's
    assert stamp.endswith("UTC")


def test_a_right_resubmission_gets_full_marks_in_the_gradebook_and_a_page_of_its_own(served):
    assert served["scores_first"]["svcstu1"]["score"] == 8
    assert served["scores"]["svcstu1"]["score"] == 9
    latest = served["both"][max(served["both"])]
    assert "Score: <strong>9 / 9</strong>" in latest and "Attempt 2" in latest
    assert len(served["both"]) == 2  # the first page is still there, under its own time
    assert [r["attempt"] for r in served["ledger"]] == [1, 2]
    assert {r["state"] for r in served["ledger"]} == {"delivered"}


def test_another_student_reads_no_feedback_and_lists_nothing(served):
    assert len(served["pages"]) == 2
    assert all(result != "ok" for result in served["tries"].values()), served["tries"]


def test_a_submission_made_while_the_service_was_down_is_graded_when_it_comes_back(klass, served):
    """svcstu2 submits twice while no service runs: the service, started, grades the later
    attempt only (the earlier is superseded)."""
    klass.submit("svcstu2", gs.notebook("forgotten_bias"))
    klass.submit("svcstu2", gs.notebook())
    service = gs.Service(klass)
    try:
        mine = gs.wait_until(lambda: gs.settled(klass.state, "svcstu2", 2), "both submissions settled")
    finally:
        service.stop()
    assert [(r["attempt"], r["state"]) for r in mine] == [(1, "superseded"), (2, "delivered")]
    assert gradebook.scores(klass.root, "rnn_sum", total=True)["svcstu2"]["score"] == 9


def test_a_submission_in_another_students_name_is_refused(klass, served):
    """svcstu2 makes a folder in the inbound folder named as svcstu1's submission: the service
    refuses it, and svcstu1's grade stays."""
    before = gradebook.scores(klass.root, "rnn_sum", total=True)["svcstu1"]
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f %Z")
    fake = os.path.join(klass.inbound, f"svcstu1+rnn_sum+{stamp}+forged")
    script = (
        'mkdir "$1" && cat > "$1/rnn_sum.ipynb" && printf %s "$2" > "$1/timestamp.txt" '
        '&& printf %s "$3" > "$1/submission_secret.txt"'
    )
    made = as_student(
        "svcstu2",
        "sh",
        "-c",
        script,
        "sh",
        fake,
        stamp,
        secrets.token_hex(64),
        stdin=nbformat.writes(gs.notebook()),
    )
    assert made.returncode == 0, made.stderr
    service = gs.Service(klass)
    try:
        line = service.wait_for(r"^rejected ")[0]
    finally:
        service.stop()
    assert "svcstu1+rnn_sum" in line and "made by svcstu2" in line
    [row] = [r for r in gs.ledger(klass.state) if r["id"] == os.path.basename(fake)]
    assert row["state"] == "rejected" and row["deliveries"] == 0
    assert gradebook.scores(klass.root, "rnn_sum", total=True)["svcstu1"] == before


def test_feedback_is_rationed_per_day_and_the_page_says_when_the_next_is_due():
    stamps = ["2026-12-01 09:00:00.000000 UTC", "2026-12-01 10:00:00.000000 UTC"]
    assert deliver.next_feedback("2026-12-01 11:00:00.000000 UTC", stamps, 3) is None
    due = deliver.next_feedback("2026-12-01 11:00:00.000000 UTC", stamps, 2)
    assert due == datetime.datetime(2026, 12, 2, 9, 0)
    assert deliver.next_feedback("2026-12-02 09:30:00.000000 UTC", stamps, 2) is None


def test_a_page_shows_only_what_the_policy_lets_it():
    record = {
        "student": "s",
        "assignment": "rnn_sum",
        "notebook": "n",
        "error": None,
        "total": 8.0,
        "max_total": 9.0,
        "tasks": {
            "cell": {"points": 0.0, "max_points": 1.0, "messages": ["the result is 1, expected 2"], "diagnosis": ["D?"]}
        },
    }
    full = feedback.feedback_html(record)
    scored = feedback.feedback_html(record, shows=["score"])
    assert "expected 2" in full and "D?" in full
    assert "expected 2" not in scored and "D?" not in scored and "8 / 9" in scored


def test_a_hand_grade_stays_when_the_service_grades_a_later_attempt(klass, served):
    """The instructor grades svcstu1's written answer in the gradebook (as formgrader does); the
    service then grades a later attempt: the hand grade stays, beside the new scores."""
    from nbgrader.api import Gradebook

    db = f"sqlite:///{os.path.join(klass.root, 'gradebook.db')}"
    with Gradebook(db) as gb:
        gb.find_grade("why_wrong", "rnn_sum", "rnn_sum", "svcstu1").manual_score = 1.0
        gb.db.commit()
    service = gs.Service(klass)
    try:
        service.wait_for("^serving:")
        klass.submit("svcstu1", gs.notebook("forgotten_bias"))
        service.wait_for(r"graded svcstu1/rnn_sum attempt 3")
    finally:
        service.stop()
    with Gradebook(db) as gb:
        assert gb.find_grade("why_wrong", "rnn_sum", "rnn_sum", "svcstu1").score == 1.0
        assert gb.find_submission("rnn_sum", "svcstu1").score == 8 + 1


def test_past_its_ration_a_submission_is_graded_and_its_page_says_when_feedback_comes_again(klass, served, monkeypatch):
    """With one attempt a day, a second one that day is collected and graded into the gradebook,
    and its page holds no result, only when the next feedback is due."""
    from autograder import settings
    from autograder.service import inbox

    policy = dict(settings.assignment("rnn_sum")["on_submit"], attempts_per_day=1)
    monkeypatch.setitem(settings.assignment("rnn_sum"), "on_submit", policy)
    submitted = [s for s in inbox.scan(klass.inbound) if s.student == "svcstu1" and s.assignment == "rnn_sum"][-1]
    with open(submitted.notebook, "rb") as f:
        data = f.read()
    mine = [r for r in gs.ledger(klass.state) if r["id"] == submitted.id][0]
    record = json.loads(mine["record"])
    an_hour_before = parse_utc(submitted.timestamp) - datetime.timedelta(hours=1)
    earlier = [an_hour_before.strftime("%Y-%m-%d %H:%M:%S.%f UTC")]  # a page then
    shown = deliver.deliver(
        klass.root, klass.exchange, submitted, 4, {"record": record, "details": {}, "notebook": data}, earlier
    )
    assert shown is False
    page = os.path.join(klass.root, "feedback", "svcstu1", "rnn_sum", "rnn_sum.html")
    with open(page) as f:
        text = f.read()
    assert "gets feedback again" in text and "Score" not in text
    assert gradebook.scores(klass.root, "rnn_sum", total=True)["svcstu1"]["score"] == 8 + 1


def test_an_idle_service_does_not_rescan_on_its_own_reads(tmp_path, monkeypatch):
    """The service's scans read the submissions' files; those reads must not wake it again (it
    once spun a core so). Idle for 3 s with a submission it has seen: one scan, not hundreds."""
    import threading

    from autograder.service import inbox as inbox_module
    from autograder.service import serve

    inbound = tmp_path / "exchange" / gs.COURSE / "inbound"
    folder = inbound / "root+rnn_sum+2026-12-01 09:00:00.000000 UTC+x"
    folder.mkdir(parents=True)
    (folder / "rnn_sum.ipynb").write_text("{}")
    (folder / "submission_secret.txt").write_text("0" * inbox_module.SECRET_LENGTH)
    (tmp_path / "course").mkdir()
    scans = []
    real_scan = inbox_module.scan
    monkeypatch.setattr(inbox_module, "scan", lambda folder: scans.append(1) or real_scan(folder))
    stop = threading.Event()
    thread = threading.Thread(
        target=serve,
        args=(str(tmp_path / "exchange"), str(tmp_path / "course")),
        kwargs={"state": str(tmp_path / "state"), "jobs": 0, "say": lambda line: None, "stop": stop},
    )
    thread.start()
    try:
        gs.wait_until(lambda: scans, "the first scan", timeout=60)
        time.sleep(3)
    finally:
        stop.set()
        thread.join(timeout=60)
    assert 1 <= len(scans) <= 3, f"{len(scans)} scans in 3 s of idling"


def test_nbgrader_release_feedback_by_hand_releases_the_kits_page(klass, served):
    """The service leaves the course's feedback folder as generate_feedback would: an instructor's
    own ``nbgrader release_feedback`` hands the same page back."""
    from autograder.nbgrader import course

    course.nbgrader(klass.root, "release_feedback", "rnn_sum", f"--Exchange.root={klass.exchange}")
    with open(os.path.join(klass.root, "feedback", "svcstu1", "rnn_sum", "rnn_sum.html")) as f:
        kits = f.read()  # the service's page of svcstu1's latest submission
    assert kits in klass.fetch_feedback("svcstu1").values()
