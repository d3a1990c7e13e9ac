"""Feedback pages and the self-study report: every lost point explained, the training curve
shown, and nothing of the hidden tests or the solutions given away."""

import base64
import glob
import html
import os
import re
import subprocess
import sys

import nbformat
import pytest

import course_config as config
from autograder.settings import ROOT
from examples import answers
from tests.test_generated_files import MASTER, _secret_lines

pytestmark = pytest.mark.sandbox


@pytest.fixture(scope="module")
def pages(tmp_path_factory, solutions):
    root = tmp_path_factory.mktemp("feedback")
    class_ = {
        "amy": answers.notebook(solutions),
        "bob": answers.notebook(answers.apply(solutions, answers.edit("missing_zero_grad"))),
        "cat": answers.notebook(
            answers.apply(answers.apply(solutions, answers.edit("losses_as_tensors")), answers.edit("forgotten_bias"))
        ),
        "dan": answers.not_json(answers.notebook(solutions)),
    }
    for student, nb in class_.items():
        answers.write(nb, str(root / "submitted" / student / "rnn_sum" / "rnn_sum.ipynb"))
    proc = subprocess.run(
        [sys.executable, "-m", "autograder", "grade", "submitted", "--json", "out.json", "--feedback", "feedback"],
        cwd=root,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    import json

    records = {r["student"]: r for r in json.loads((root / "out.json").read_text())}
    return {s: (root / "feedback" / f"{s}.html").read_text() for s in class_}, records


def _text(page):
    """What a reader sees: the page without tags and without the embedded image."""
    page = re.sub(r'src="data:image/png;base64,[^"]*"', "", page)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def test_every_lost_point_is_explained(pages):
    texts, records = pages
    for student, record in records.items():
        text = _text(texts[student])
        assert f"{record['total']:g} / {record['max_total']:g}" in text
        for task, result in record["tasks"].items():
            for message in result["messages"]:
                assert message in text, (student, task)
    assert "could not be graded: the file is not valid JSON" in _text(texts["dan"])


def test_a_known_mistake_is_named_under_the_failed_checks(pages):
    """bob never clears the gradients and cat leaves out the bias: each page names that mistake
    beneath the failed checks of its task, and amy's page names none."""
    texts, records = pages
    for student, task, words in [("bob", "train", "never cleared"), ("cat", "cell", "without `BIAS`")]:
        [sentence] = records[student]["tasks"][task]["diagnosis"]
        assert words in sentence
        text = " ".join(_text(texts[student]).split())
        failed = text.index(records[student]["tasks"][task]["messages"][-1])
        named = text.index("What may have gone wrong: " + sentence.replace("`", ""))
        assert failed < named
    assert all(not r["diagnosis"] for r in records["amy"]["tasks"].values())
    assert "What may have gone wrong" not in texts["amy"]


def test_feedback_holds_no_hidden_test_or_solution_or_grader_code(pages):
    """No line that exists only in solutions or hidden tests, and no line of the graders."""
    texts, _ = pages
    secret = _secret_lines(nbformat.read(MASTER, as_version=4))
    modules = glob.glob(os.path.join(ROOT, "autograder", "**", "*.py"), recursive=True)
    graders = [p for p in modules if not p.endswith(os.path.join("outputs", "feedback.py"))]
    grader_lines = {  # outputs/feedback.py is left out: it holds the page's own words
        line.strip()
        for path in graders
        for line in open(path)
        if len(line.strip()) > 30 and not line.strip().startswith(("#", '"""'))
    }
    assert secret and grader_lines
    for student, page in texts.items():
        text = _text(page)
        leaked = [line for line in secret | grader_lines if line in text]
        assert leaked == [], (student, leaked[:3])
        assert "HIDDEN TESTS" not in text and "autograder" not in text


def _image(page):
    match = re.search(r'src="data:image/png;base64,([^"]+)"', page)
    return base64.b64decode(match.group(1)) if match else None


def test_the_training_curve_is_plotted_beside_the_reference(pages):
    texts, _ = pages
    for student in ("amy", "bob"):
        png = _image(texts[student])
        assert png and png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 5000
        assert "yours beside the reference" in _text(texts[student])
    # cat's train returns tensors: only the reference run can be drawn, and the page says why
    assert _image(texts["cat"]) is not None
    assert "did not return one loss per epoch" in _text(texts["cat"])
    assert _image(texts["dan"]) is None


def test_self_study_check_reports_each_task(tmp_path, solutions):
    """A learner's one command: a report per task with the graders' messages, and a page."""
    notebook = tmp_path / "rnn_sum.ipynb"
    answers.write(answers.notebook(answers.apply(solutions, answers.edit("summed_loss"))), str(notebook))
    proc = subprocess.run(
        [sys.executable, "-m", "autograder", "check", str(notebook)], capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    total = sum(config.ASSIGNMENTS["rnn_sum"]["points"][t] for t in config.ASSIGNMENTS["rnn_sum"]["graded_tasks"])
    assert f": {total - config.ASSIGNMENTS['rnn_sum']['points']['partial_sum_loss']:g} / {total:g}" in out
    assert "✗ partial_sum_loss" in out and "✓ train" in out
    assert "partial_sum_loss(RESULT, TARGET) for shape (5,): the result is" in out
    page = tmp_path / "rnn_sum.feedback.html"
    assert f"feedback page with your training curve: {page}" in out
    assert "partial_sum_loss" in page.read_text()
