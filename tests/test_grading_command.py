"""``python -m autograder grade``: the command line, and the records docs/records.md describes."""

import json
import os
import subprocess
import sys

import pytest

from autograder import sandbox
from autograder import settings as config
from autograder.settings import ROOT
from examples import answers
from tests.conftest import grade_command

pytestmark = pytest.mark.sandbox


@pytest.fixture(scope="module")
def course(tmp_path_factory, solutions):
    root = tmp_path_factory.mktemp("course")
    answers.write(answers.notebook(solutions), str(root / "submitted" / "amy" / "rnn_sum" / "rnn_sum.ipynb"))
    answers.write("{broken", str(root / "submitted" / "bob" / "rnn_sum" / "rnn_sum.ipynb"))
    answers.write(answers.notebook({}), str(root / "loose" / "work.ipynb"))
    return root


def test_grades_a_folder_and_a_notebook_into_the_contract_format(course):
    """One record per notebook found, with the contract's keys; students from the layout."""
    proc = grade_command("submitted", "loose/work.ipynb", "--json", "out.json", cwd=course)
    assert proc.returncode == 0, proc.stderr
    records = json.loads((course / "out.json").read_text())
    assert [r["student"] for r in records] == ["amy", "bob", None]
    assert [r["notebook"] for r in records] == [
        os.path.join("submitted", "amy", "rnn_sum", "rnn_sum.ipynb"),
        os.path.join("submitted", "bob", "rnn_sum", "rnn_sum.ipynb"),
        "loose/work.ipynb",
    ]
    for r in records:
        assert set(r) == {"student", "assignment", "notebook", "tasks", "total", "max_total", "error", "sandboxed"}
        assert r["sandboxed"] is sandbox.isolation().sandboxed
        assert r["assignment"] == "rnn_sum"
        assert r["total"] == sum(t["points"] for t in r["tasks"].values())
        assert r["max_total"] == sum(t["max_points"] for t in r["tasks"].values())
        for task in r["tasks"].values():
            assert set(task) == {"points", "max_points", "messages", "diagnosis"}
            assert task["diagnosis"] == []  # a right answer, a broken file and the release name no known mistake
    amy, bob, loose = records
    assert amy["total"] == amy["max_total"] and amy["error"] is None
    assert bob["total"] == 0 and "not valid JSON" in bob["error"]
    assert loose["total"] == 0 and loose["error"] is None
    assert "[3/3]" in proc.stderr, "progress is shown while grading"


def test_exits_non_zero_only_when_it_cannot_do_its_job(course):
    """A missing path or an unwritable output is an error; bad student work is not."""
    assert grade_command("nowhere", "--json", "out2.json", cwd=course).returncode != 0
    assert grade_command("submitted", "--json", "no/such/folder/out.json", cwd=course).returncode != 0
    assert grade_command("--json", "out3.json", cwd=course).returncode != 0


def test_assignment_grades_one_assignment_of_a_course_folder(tmp_path, solutions):
    """`--assignment` grades the notebooks of one assignment, not every earlier one under submitted/."""
    answers.write(answers.notebook(solutions), str(tmp_path / "submitted" / "amy" / "rnn_sum" / "rnn_sum.ipynb"))
    layers = answers.notebook(answers.solutions("rnn_layers"), assignment="rnn_layers")
    answers.write(layers, str(tmp_path / "submitted" / "amy" / "rnn_layers" / "rnn_layers.ipynb"))
    proc = grade_command("submitted", "--assignment", "rnn_layers", "--json", "one.json", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    records = json.loads((tmp_path / "one.json").read_text())
    assert [(r["student"], r["assignment"], r["total"]) for r in records] == [("amy", "rnn_layers", 8.0)]
    none = grade_command("submitted", "--assignment", "rnn_nothing", "--json", "none.json", cwd=tmp_path)
    assert none.returncode != 0 and "no notebook of rnn_nothing under submitted" in none.stderr


def test_runs_from_any_folder():
    """The kit is importable from .venv wherever the instructor stands (the .pth make writes)."""
    proc = subprocess.run(
        [sys.executable, "-c", "import autograder, course_config"], cwd="/", capture_output=True, text=True
    )
    assert proc.returncode == 0, f"run `make venv` in {ROOT}: {proc.stderr}"


def test_pytest_judges_one_notebook_one_task_and_names_the_mistake(tmp_path, solutions):
    """An instructor asks pytest why a notebook lost `train`: only train's checks run (its mark),
    on the notebook run once in the sandbox; they fail with the graders' message, and the summary
    names the mistake."""
    notebook = tmp_path / "ben.ipynb"
    answers.write(answers.notebook(answers.apply(solutions, answers.edit("missing_zero_grad"))), str(notebook))
    command = [sys.executable, "-m", "pytest", config.graders_folder("rnn_sum"), "--notebook", str(notebook)]
    proc = subprocess.run(
        [*command, "-m", "train", "-p", "no:cacheprovider", "-o", "addopts=", "-rf"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 1, proc.stdout[-3000:]
    assert "2 failed, 2 passed" in proc.stdout and "deselected" in proc.stdout
    assert "the loss of epoch 2 is" in proc.stdout
    summary = proc.stdout[proc.stdout.index("what may have gone wrong") :]
    assert "train: Your `train` follows what SGD does when the gradients are never cleared" in summary
