"""A class run of the grading command: the gradebook, Gradescope, the instructor's summary,
and resuming an interrupted run."""

import csv
import json
import os
import signal
import subprocess
import sys
import time

import pytest

from autograder.nbgrader import course
from examples import answers
from tests.conftest import grade_command, new_course, write_class

pytestmark = [pytest.mark.nbgrader, pytest.mark.sandbox]


@pytest.fixture(scope="module")
def run(tmp_path_factory, solutions):
    """A course with a gradebook, a class of four, graded by the kit into the course."""
    root = tmp_path_factory.mktemp("course")
    new_course(str(root))
    answered = dict(solutions, why_wrong="One number cannot pin down three parameters.")
    solutions = {task: code for task, code in solutions.items() if task != "why_wrong"}  # left unanswered
    class_ = {
        "amy": answers.notebook(answered),
        "bob": answers.notebook(answers.apply(solutions, answers.edit("missing_zero_grad"))),
        "cat": answers.notebook(answers.apply(solutions, answers.edit("detached_state"))),
        "dan": answers.not_json(answers.notebook(solutions)),
    }
    write_class(str(root / "submitted"), class_)
    proc = grade_command("submitted", "--json", "results.json", "--course", ".", "--gradescope", "gs", cwd=root)
    records = {r["student"]: r for r in json.loads((root / "results.json").read_text())}
    return root, proc, records


def test_the_run_succeeds_and_prints_pass_rates_and_a_histogram(run):
    root, proc, _ = run
    assert proc.returncode == 0, proc.stderr
    assert "model                    2/3    67%" in proc.stderr
    assert "1 notebook(s) could not be graded at all" in proc.stderr
    png = root / "results.scores.png"
    assert f"score histogram: {png.name}" in proc.stderr.replace(str(root) + os.sep, "")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_gradebook_holds_the_kits_points_per_task(run):
    """formgrader and nbgrader export see what the kit decided, task by task."""
    from nbgrader.api import Gradebook

    root, _, records = run
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        for student, record in records.items():
            submission = gb.find_submission("rnn_sum", student)
            grades = {g.name: g for nb in submission.notebooks for g in nb.grades}
            for task, result in record["tasks"].items():
                assert grades[f"test_{task}"].score == result["points"], (student, task)
            written = grades["why_wrong"]
            assert written.needs_manual_grade == (student == "amy"), student
    export = course.nbgrader(root, "export", f"--CsvExportPlugin.to={root / 'grades.csv'}")
    assert export.returncode == 0
    with open(root / "grades.csv") as f:
        totals = {row["student_id"]: float(row["score"]) for row in csv.DictReader(f)}
    assert totals == {s: r["total"] for s, r in records.items()}


def test_formgrader_notebooks_show_the_reasons(run):
    """autograded/<student>/ holds the notebook with each failed task's messages as its output."""
    root, _, records = run
    bob = json.loads((root / "autograded" / "bob" / "rnn_sum" / "rnn_sum.ipynb").read_text())
    outputs = {
        c["metadata"]["nbgrader"]["grade_id"]: c["outputs"]
        for c in bob["cells"]
        if c["metadata"].get("nbgrader", {}).get("grade_id", "").startswith("test_")
    }
    assert "the loss of epoch 2 is" in " ".join(outputs["test_train"][0]["evalue"].split())  # wrapped to be read
    assert outputs["test_model"][0]["output_type"] == "stream"
    dan = (root / "autograded" / "dan" / "rnn_sum" / "rnn_sum.ipynb").read_text()
    assert "not valid JSON" in dan


def test_gradescope_results_match_the_records(run):
    root, _, records = run
    for student, record in records.items():
        result = json.loads((root / "gs" / student / "results.json").read_text())
        assert result["score"] == record["total"]
        # a notebook that could not be graded at all also gets a failed test "submission" saying why
        tasks = [t for t in result["tests"] if t["name"] != "submission"]
        assert (len(tasks) < len(result["tests"])) == (record["error"] is not None)
        assert {t["name"]: t["score"] for t in tasks} == {t: v["points"] for t, v in record["tasks"].items()}
        assert all(t["status"] == ("passed" if t["score"] == t["max_score"] else "failed") for t in tasks)


def test_regrading_gives_the_same_records(run):
    root, _, records = run
    proc = grade_command("submitted", "--json", "again.json", cwd=root)
    assert proc.returncode == 0
    again = {r["student"]: r for r in json.loads((root / "again.json").read_text())}
    assert again == records


GATE = """
import os, time
while not os.path.exists("go"):  # waits until its folder holds "go": the run is interrupted here
    time.sleep(0.05)
"""


def test_an_interrupted_run_resumes_without_regrading(tmp_path, solutions):
    """Stopped half way with Ctrl-C, the same command goes on with the rest; the result is
    what an uninterrupted run gives.  The fifth notebook waits for a file that appears only
    before the second run, so the first is interrupted there however fast or slow the machine:
    four records kept (its cells would have to wait CELL_TIMEOUT for anything else)."""
    right = answers.notebook(solutions)
    for i in range(8):
        nb = answers.with_code_cell(right, "cell", GATE) if i == 4 else right
        answers.write(nb, str(tmp_path / "submitted" / f"s{i}" / "rnn_sum" / "rnn_sum.ipynb"))
    partial = tmp_path / "out.json.partial"
    cmd = [sys.executable, "-m", "autograder", "grade", "submitted", "--json", "out.json", "--jobs", "1"]
    # Ctrl-C as in a terminal, even where this test runs in the background (whose SIGINT a shell ignores)
    default_sigint = lambda: signal.signal(signal.SIGINT, signal.SIG_DFL)  # noqa: E731
    proc = subprocess.Popen(cmd, cwd=tmp_path, stderr=subprocess.PIPE, text=True, preexec_fn=default_sigint)
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline and proc.poll() is None:
        if partial.exists() and len(partial.read_text().splitlines()) >= 4:
            break
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert "run the same command again" in err
    kept = len(partial.read_text().splitlines())
    assert kept == 4 and not (tmp_path / "out.json").exists(), err

    (tmp_path / "submitted" / "s4" / "rnn_sum" / "go").write_text("")
    resumed = grade_command("submitted", "--json", "out.json", "--jobs", "1", cwd=tmp_path)
    assert resumed.returncode == 0, resumed.stderr
    assert f"resuming: {kept} of 8 notebooks were graded before" in resumed.stderr
    assert f"[{8 - kept}/{8 - kept}]" in resumed.stderr  # only the rest was graded
    assert not partial.exists()
    records = json.loads((tmp_path / "out.json").read_text())
    assert [r["student"] for r in records] == [f"s{i}" for i in range(8)]
    assert all(r["total"] == r["max_total"] for r in records)
