"""A course of two assignments: one run of the grading command grades a folder holding both,
each notebook by its own assignment's graders, and nbgrader autograde agrees for rnn_layers."""

import json

import pytest

from autograder import settings as config
from autograder.grading import graders
from autograder.nbgrader import course
from examples import answers
from tests.conftest import grade_command, lost, new_course, write_class

pytestmark = [pytest.mark.sandbox, pytest.mark.nbgrader]


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    root = tmp_path_factory.mktemp("two-assignments")
    new_course(str(root), ("rnn_sum", "rnn_layers"))
    sums, layers = answers.solutions("rnn_sum"), answers.solutions("rnn_layers")
    write_class(
        str(root / "submitted"),
        {
            "amy": answers.notebook(sums),
            "cat": answers.notebook(answers.apply(sums, answers.edit("summed_loss"))),
        },
    )
    write_class(
        str(root / "submitted"),
        {
            "amy": answers.notebook(layers, assignment="rnn_layers"),
            "bob": answers.notebook(
                answers.apply(layers, answers.edit("layer_2_fed_the_signal")), assignment="rnn_layers"
            ),
            "dan": answers.notebook({}, assignment="rnn_layers"),
        },
        assignment="rnn_layers",
    )
    proc = grade_command(
        "submitted", "--json", "out.json", "--feedback", "fb", "--gradescope", "gs", "--course", ".", cwd=root
    )
    records = {(r["assignment"], r["student"]): r for r in json.loads((root / "out.json").read_text())}
    return root, proc, records


def test_one_run_grades_each_notebook_by_its_assignments_graders(run):
    _, proc, records = run
    assert proc.returncode == 0, proc.stderr
    assert set(records) == {
        ("rnn_sum", "amy"),
        ("rnn_sum", "cat"),
        ("rnn_layers", "amy"),
        ("rnn_layers", "bob"),
        ("rnn_layers", "dan"),
    }
    assert list(records["rnn_layers", "amy"]["tasks"]) == config.graded_tasks("rnn_layers")
    assert records["rnn_sum", "amy"]["total"] == records["rnn_sum", "amy"]["max_total"] == 9
    assert records["rnn_layers", "amy"]["total"] == records["rnn_layers", "amy"]["max_total"] == 8
    assert lost(records["rnn_sum", "cat"]) == ["partial_sum_loss"]
    assert lost(records["rnn_layers", "bob"]) == ["model"]
    assert records["rnn_layers", "dan"]["total"] == 0


def test_the_summary_pages_and_results_are_per_assignment(run):
    root, proc, _ = run
    assert "rnn_sum\ntask" in proc.stderr and "rnn_layers\ntask" in proc.stderr
    assert (root / "fb" / "rnn_sum" / "amy.html").exists() and (root / "fb" / "rnn_layers" / "amy.html").exists()
    page = (root / "fb" / "rnn_layers" / "bob.html").read_text()
    assert "the second layer should get the first layer&#x27;s activities" in page
    result = json.loads((root / "gs" / "rnn_layers" / "bob" / "results.json").read_text())
    assert result["score"] == 6


def test_nbgrader_autograde_gives_rnn_layers_the_same_points(run):
    from nbgrader.api import Gradebook

    root, _, records = run
    proc = course.nbgrader(root, "autograde", "rnn_layers", "--force")
    assert proc.returncode == 0, proc.stderr[-2000:]
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        for student in ("amy", "bob", "dan"):
            submission = gb.find_submission("rnn_layers", student)
            points = {
                graders.task_of(g.name): g.score
                for nb in submission.notebooks
                for g in nb.grades
                if graders.task_of(g.name)
            }
            assert points == {t: v["points"] for t, v in records["rnn_layers", student]["tasks"].items()}, student


def test_self_study_check_of_an_rnn_layers_notebook(tmp_path):
    """`autograder check` knows the assignment from the notebook and reports its tasks."""
    import subprocess
    import sys

    layers = answers.solutions("rnn_layers")
    notebook = tmp_path / "my_layers.ipynb"  # a name of the student's choosing
    answers.write(
        answers.notebook(answers.apply(layers, answers.edit("layer_1_parameters_twice")), assignment="rnn_layers"),
        str(notebook),
    )
    proc = subprocess.run(
        [sys.executable, "-m", "autograder", "check", str(notebook)], capture_output=True, text=True, timeout=600
    )
    assert proc.returncode == 0, proc.stderr
    assert ": 6 / 8" in proc.stdout and "✗ model" in proc.stdout and "✓ layer" in proc.stdout
    assert "the second layer should get BIAS2, WEIGHT2F, WEIGHT2S, got BIAS1, WEIGHT1F, WEIGHT1S" in proc.stdout
    assert (tmp_path / "my_layers.feedback.html").exists()
