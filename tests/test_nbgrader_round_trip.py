"""nbgrader's real command line on a course built from source/: generate_assignment →
autograde → generate_feedback → export, and the same points from both graders."""

import csv

import nbformat
import pytest

from autograder import runner
from autograder.nbgrader import course
from autograder.runner import submission as sub
from examples import answers
from tests.conftest import gradebook_scores, new_course, write_class

pytestmark = [pytest.mark.nbgrader, pytest.mark.sandbox]


@pytest.fixture(scope="module")
def graded(tmp_path_factory, solutions):
    root = tmp_path_factory.mktemp("nbgrader-course")
    release = new_course(str(root))
    class_ = {
        "amy": answers.notebook(solutions, base=release),
        "bob": answers.notebook(answers.apply(solutions, answers.edit("missing_zero_grad")), base=release),
        "cat": answers.notebook(
            answers.apply(answers.apply(solutions, answers.edit("summed_loss")), answers.edit("forgotten_bias")),
            base=release,
        ),
        "dan": answers.notebook(answers.apply(solutions, answers.edit("stacked_states")), base=release),
        "eve": answers.notebook({}, base=release),
    }
    write_class(str(root / "submitted"), class_)
    autograde = course.nbgrader(root, "autograde", "rnn_sum")
    feedback = course.nbgrader(root, "generate_feedback", "rnn_sum")
    export = course.nbgrader(root, "export", f"--CsvExportPlugin.to={root / 'grades.csv'}")
    records = runner.grade_all(sub.find([str(root / "submitted")]))
    return root, class_, (autograde, feedback, export), {r["student"]: r for r in records}


def test_every_command_succeeds(graded):
    root, class_, procs, _ = graded
    assert all(p.returncode == 0 for p in procs), [p.stderr[-2000:] for p in procs]
    for student in class_:
        assert (root / "autograded" / student / "rnn_sum" / "rnn_sum.ipynb").exists()
        assert (root / "feedback" / student / "rnn_sum" / "rnn_sum.html").exists()


def test_both_graders_give_the_same_points_per_task(graded):
    """nbgrader autograde (through the kit's preprocessor) and python -m autograder agree on
    every task of every submission."""
    root, class_, _, records = graded
    stock = gradebook_scores(root)
    for student in class_:
        ours = {task: v["points"] for task, v in records[student]["tasks"].items()}
        assert stock[student] == ours, student


def test_export_holds_the_autograded_totals(graded):
    root, class_, _, records = graded
    with open(root / "grades.csv") as f:
        rows = {row["student_id"]: row for row in csv.DictReader(f)}
    assert set(rows) == set(class_)
    for student, row in rows.items():
        assert float(row["score"]) == records[student]["total"]
        # the written answer is out of the auto-graded total until an instructor grades it
        assert float(row["max_score"]) == records[student]["max_total"] + 1.0
    assert float(rows["amy"]["score"]) > float(rows["bob"]["score"]) > float(rows["eve"]["score"]) == 0


def test_feedback_shows_the_failure_message_and_no_hidden_tests(graded):
    """nbgrader's feedback page carries the kit's message, without the hidden tests."""
    root = graded[0]
    page = (root / "feedback" / "bob" / "rnn_sum" / "rnn_sum.html").read_text()
    assert "the loss of epoch 2 is" in " ".join(page.split())  # the output is wrapped to be read
    assert "HIDDEN TESTS" not in page and "autograder.kernel" not in page
    assert "def judge" not in page and "raise TaskFailed" not in page and "kernel.py" not in page


STOCK_CONFIG = """c = get_config()
from autograder.nbgrader.config import configure
configure(c)
from nbgrader.converters.autograde import Autograde
c.Autograde.autograde_preprocessors = Autograde.class_traits()["autograde_preprocessors"].default()
"""


def test_in_kernel_grading_refuses_and_says_why(tmp_path, solutions):
    """A configuration that lost the kit's preprocessor runs the hidden-test cells in the
    student's own kernel: each of them then fails with the reason, and gives no points."""
    new_course(str(tmp_path))
    write_class(str(tmp_path / "submitted"), {"amy": answers.notebook(solutions)})
    (tmp_path / "nbgrader_config.py").write_text(STOCK_CONFIG)
    proc = course.nbgrader(tmp_path, "autograde", "rnn_sum", cwd=tmp_path)
    assert "by the kit's graders" not in proc.stderr
    assert set(gradebook_scores(tmp_path)["amy"].values()) == {0.0}
    nb = nbformat.read(tmp_path / "autograded" / "amy" / "rnn_sum" / "rnn_sum.ipynb", as_version=4)
    outputs = [o for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "test_model" for o in c.outputs]
    assert outputs[0]["ename"] == "NotGradedHere"
    assert "do not run inside the student's kernel" in outputs[0]["evalue"]
