"""release/ and solutions/ are what nbgrader generates from source/, and release/ gives
nothing away."""

import os
import re
import shutil

import nbformat
import pytest

import course_config as config
from autograder.nbgrader import course

ROOT = course.ROOT
MASTER = os.path.join(ROOT, "source", "rnn_sum", "rnn_sum.ipynb")
RELEASE = os.path.join(ROOT, "release", "rnn_sum", "rnn_sum.ipynb")
SOLUTION = os.path.join(ROOT, "solutions", "rnn_sum", "rnn_sum.ipynb")


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory):
    root = tmp_path_factory.mktemp("regenerated")
    shutil.copytree(os.path.join(ROOT, "source"), root / "source")
    course.build(str(root))
    return root


@pytest.mark.nbgrader
@pytest.mark.parametrize("folder", ["release", "solutions"])
def test_committed_files_match_a_fresh_build(regenerated, folder):
    """release/ and solutions/ are up to date with source/ (refresh them with `make goldens`)."""
    fresh = regenerated / folder / "rnn_sum" / "rnn_sum.ipynb"
    committed = os.path.join(ROOT, folder, "rnn_sum", "rnn_sum.ipynb")
    assert course.normalized(str(fresh)) == course.normalized(committed), (
        f"{folder}/ is out of date with source/: run `make goldens` and commit the result"
    )


def _secret_lines(nb):
    """Lines that appear in source/ only inside solutions and hidden tests."""
    secret, public = set(), set()
    for cell in nb.cells:
        inside = False
        for line in cell.source.splitlines():
            if "### BEGIN SOLUTION" in line or "### BEGIN HIDDEN TESTS" in line:
                inside = True
            elif "### END SOLUTION" in line or "### END HIDDEN TESTS" in line:
                inside = False
            elif line.strip():
                (secret if inside else public).add(line.strip())
    return secret - public


def test_release_holds_no_solution_and_no_hidden_tests():
    """No line of a solution or of a hidden test from source/ is in release/."""
    master = nbformat.read(MASTER, as_version=4)
    release_text = "\n".join(c.source for c in nbformat.read(RELEASE, as_version=4).cells)
    secret = _secret_lines(master)
    assert len(secret) > 15
    leaked = [line for line in secret if line in release_text]
    assert leaked == []
    assert "HIDDEN TESTS" not in release_text and "autograder" not in release_text


def test_master_notebook_is_committed_without_outputs():
    for cell in nbformat.read(MASTER, as_version=4).cells:
        assert not cell.get("outputs") and not cell.get("execution_count")


def test_graded_cells_carry_the_points_of_course_config():
    """Hidden tests and the written answer carry POINTS; visible checks carry none."""
    points = config.ASSIGNMENTS["rnn_sum"]["points"]
    found = {}
    for cell in nbformat.read(RELEASE, as_version=4).cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade"):
            found[meta["grade_id"]] = meta["points"]
    assert {g: p for g, p in found.items() if not g.startswith("check_")} == {
        **{f"test_{t}": points[t] for t in config.ASSIGNMENTS["rnn_sum"]["graded_tasks"]},
        **{t: points[t] for t in points if t not in config.ASSIGNMENTS["rnn_sum"]["graded_tasks"]},
    }
    assert all(found[f"check_{t}"] == 0 for t in config.ASSIGNMENTS["rnn_sum"]["graded_tasks"])


def test_every_graded_task_has_its_cells_in_order():
    """Each task: a solution cell named after the function, then its checks, then hidden tests."""
    ids = [c.metadata.get("nbgrader", {}).get("grade_id") for c in nbformat.read(MASTER, as_version=4).cells]
    for task in config.ASSIGNMENTS["rnn_sum"]["graded_tasks"]:
        at = ids.index(task)
        assert ids[at + 1 : at + 3] == [f"check_{task}", f"test_{task}"]
    assert [t for t in ids if t in config.ASSIGNMENTS["rnn_sum"]["graded_tasks"]] == config.ASSIGNMENTS["rnn_sum"][
        "graded_tasks"
    ]


def test_solutions_have_outputs_and_the_loss_plot():
    nb = nbformat.read(SOLUTION, as_version=4)
    outputs = [o for c in nb.cells for o in c.get("outputs", [])]
    assert any("image/png" in o.get("data", {}) for o in outputs)
    assert not any(o.output_type == "error" for o in outputs)
    text = "".join(o.get("text", "") for o in outputs)
    assert re.search(r"WEIGHTS = 1\.0\d\d\d|WEIGHTS = 0\.99\d\d", text)
