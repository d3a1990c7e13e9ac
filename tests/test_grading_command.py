"""``python -m autograder grade``: the command line of ../shared/CONTRACT.md."""

import json
import os
import subprocess
import sys

import pytest

from autograder import sandbox
from autograder.paths import ROOT
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


def test_runs_from_any_folder():
    """The kit is importable from .venv wherever the instructor stands (the .pth make writes)."""
    proc = subprocess.run(
        [sys.executable, "-c", "import autograder, course_config"], cwd="/", capture_output=True, text=True
    )
    assert proc.returncode == 0, f"run `make venv` in {ROOT}: {proc.stderr}"
