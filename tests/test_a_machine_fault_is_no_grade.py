"""A notebook the machine could not grade is never the student's grade, on every route.

The fault is real: while a notebook runs, the test kills the warm worker that forked it (as the
kernel's OOM killer or an operator might); student code, another user, could not have done it.
The record's ``error`` says the machine, not the notebook, kept it from being graded
(``records.machine_fault``); the gradebook keeps what it held, no Gradescope result is written
for it, the Canvas export leaves its cell empty and names it, and the classmate beside it is
graded as usual.  Through ``nbgrader autograde`` the kit's preprocessor refuses to give it a
grade, so nbgrader saves none.
"""

import csv
import glob
import json
import os
import signal
import threading
import time

import pytest

from autograder import cli
from autograder import records as rec
from autograder.nbgrader import course
from autograder.outputs import gradebook
from examples import answers
from tests.conftest import grade_command, new_course, write_class

pytestmark = [pytest.mark.sandbox, pytest.mark.nbgrader]

WAITS = """
import pathlib, time
pathlib.Path("waiting-for-the-test").write_text("here")
while True:
    time.sleep(0.05)
"""


def _worker_of(path):
    """The warm worker (the zygote) whose child runs in the folder of ``path``, or None."""
    folder = os.stat(os.path.dirname(path))
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            cwd = os.stat(f"/proc/{entry}/cwd")
            with open(f"/proc/{entry}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        if (cwd.st_dev, cwd.st_ino) == (folder.st_dev, folder.st_ino):
            return int(stat[stat.rindex(b")") + 2 :].split()[1])
    return None


class WorkerKiller:
    """Kills, until stopped, every worker whose notebook reaches the waiting cell."""

    def __init__(self):
        self.killed = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def _run(self):
        while not self._stop.is_set():
            for path in glob.glob("/tmp/autograder-grading-*/worker-*/submission-*/waiting-for-the-test"):
                pid = _worker_of(path)
                if pid:
                    try:
                        os.kill(pid, signal.SIGKILL)
                        self.killed += 1
                    except ProcessLookupError:
                        pass
            time.sleep(0.05)


@pytest.fixture(scope="module")
def notebooks(solutions):
    if os.geteuid() != 0:
        pytest.skip("without root, student code runs as the grading user and could stop its worker itself")
    right = answers.notebook(solutions)
    return {"ada": right, "sam": answers.with_code_cell(right, "check_cell", WAITS)}


def test_the_grade_command_writes_the_fault_in_the_record_and_nowhere_a_grade(tmp_path, notebooks):
    root = tmp_path / "course"
    root.mkdir()
    new_course(str(root))
    out = tmp_path / "out"
    out.mkdir()
    # an earlier run gave sam full marks for a right notebook; then sam handed in another
    write_class(root / "submitted", {"ada": notebooks["ada"], "sam": notebooks["ada"]})
    earlier = grade_command(
        str(root / "submitted"), "--json", str(out / "earlier.json"), "--course", str(root), cwd=str(root)
    )
    assert earlier.returncode == 0, earlier.stderr[-2000:]
    held = _total(root, "sam")
    write_class(root / "submitted", notebooks)
    with WorkerKiller() as killer:
        proc = grade_command(
            str(root / "submitted"),
            *("--json", str(out / "results.json"), "--course", str(root), "--gradescope", str(out / "gs")),
            cwd=str(root),
        )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert killer.killed >= 1
    records = {r["student"]: r for r in json.loads((out / "results.json").read_text())}
    assert rec.by_machine(records["sam"]), records["sam"]
    assert "grade this notebook again" in records["sam"]["error"]
    assert records["ada"]["total"] == records["ada"]["max_total"] and records["ada"]["error"] is None
    # the gradebook keeps what it held for sam, and has ada's grade
    assert held == records["ada"]["max_total"] and _total(root, "sam") == held
    assert _total(root, "ada") == records["ada"]["max_total"]
    assert (out / "gs" / "ada" / "results.json").exists()
    assert not (out / "gs" / "sam").exists()

    roster = tmp_path / "roster.csv"
    with open(roster, "w", newline="") as f:
        csv.writer(f).writerows(
            [
                ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"],
                ["Lovelace, Ada", "1", "S-1", "ada", "A"],
                ["Sam, Sam", "2", "S-2", "sam", "A"],
            ]
        )
    code = cli.main(
        ["export", str(tmp_path / "canvas.csv"), "--canvas", str(roster), "--json", str(out / "results.json")]
    )
    assert code == 0
    with open(tmp_path / "canvas.csv", newline="") as f:
        rows = {row[3]: row[5] for row in csv.reader(f)}
    assert rows["sam"] == "" and rows["ada"] == f"{records['ada']['max_total']:g}", rows


def test_nbgrader_autograde_saves_no_grade_for_it(tmp_path, notebooks):
    root = tmp_path / "course"
    root.mkdir()
    new_course(str(root))
    write_class(root / "submitted", notebooks)
    with WorkerKiller() as killer:
        proc = course.nbgrader(str(root), "autograde", "rnn_sum", "--force", check=False)
    assert killer.killed >= 1
    assert "not graded, for a reason of the grading machine" in proc.stdout + proc.stderr
    scores = gradebook.scores(str(root), "rnn_sum", total=True)
    assert scores["ada"]["score"] == 9.0
    # nbgrader leaves no autograded notebook and no automatic score for sam
    assert not os.path.exists(root / "autograded" / "sam" / "rnn_sum")
    assert not scores.get("sam", {}).get("score")


def _total(root, student):
    return gradebook.scores(str(root), "rnn_sum", total=True)[student]["score"]
