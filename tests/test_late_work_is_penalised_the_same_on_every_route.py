"""Late work, with a deadline and a per-hour policy set in course_config.py: a class whose
timestamp.txt says one student handed in exactly at the deadline and one 90 minutes after it,
graded by the kit's command (records, nbgrader's gradebook, the class report, the Canvas file) and
by ``nbgrader autograde`` through the kit; the late one loses the same points on each, the one on
time none.  The commands run as an instructor runs them, on a copy of course_config.py that sets
the deadline (first on PYTHONPATH, as tests/test_settings_loader.py swaps it)."""

import csv
import json
import os
import shutil
import subprocess
import sys

import pytest

from autograder.nbgrader import course
from autograder.settings import ROOT
from examples import answers
from tests.conftest import write_class

pytestmark = [pytest.mark.nbgrader, pytest.mark.sandbox]

DEADLINE = "2026-12-19T00:59:00+01:00"  # 23:59 UTC
HANDED_IN = {
    "ontime": "2026-12-18 23:59:00.000000 UTC",  # exactly at the deadline: on time
    "late": "2026-12-19 01:29:00.250000 UTC",  # 90 min late: two started hours
}
PER_HOUR = 0.25  # of the 9 graded points: 2.25 an hour, 4.5 for two
PENALTY = {"ontime": 0.0, "late": 4.5}
TOTAL = {"ontime": 9.0, "late": 6.0}  # "late" misses zero_grad: train's 3 points lost
GRADE = {"ontime": 9.0, "late": 1.5}


def _settings(folder):
    """A course_config.py in ``folder``: the kit's, rnn_sum due at DEADLINE with the per-hour policy."""
    with open(os.path.join(ROOT, "course_config.py")) as f:
        text = f.read()
    changed = text.replace('"deadline": None', f'"deadline": "{DEADLINE}"', 1).replace(
        '"late_policy": {"method": "none"}', f'"late_policy": {{"method": "per_hour", "per_hour": {PER_HOUR}}}', 1
    )
    assert changed.count(DEADLINE) == 1 and changed.count('"per_hour": 0.25') == 1
    os.makedirs(folder)
    with open(os.path.join(folder, "course_config.py"), "w") as f:
        f.write(changed)
    # nbgrader reads the nbgrader_config.py of the folder it runs in, which imports course_config
    shutil.copy(os.path.join(ROOT, "nbgrader_config.py"), folder)
    return folder


def _prefix(conf):
    """The command prefix under which the kit reads the course_config.py in ``conf``."""
    return ["env", f"PYTHONPATH={conf}{os.pathsep}{ROOT}"]


def _nbgrader(root, *args, conf):
    """``nbgrader ARGS`` on the course at ``root``, run from ``conf`` with its settings."""
    return course.nbgrader(root, *args, prefix=_prefix(conf), cwd=conf)


def _course(root, conf, solutions):
    """A course at ``root`` with the class in submitted/, each with its timestamp.txt."""
    shutil.copytree(os.path.join(ROOT, "source"), os.path.join(root, "source"))
    _nbgrader(root, "generate_assignment", "rnn_sum", conf=conf)
    release = os.path.join(root, "release", "rnn_sum", "rnn_sum.ipynb")
    wrong = answers.apply(solutions, answers.edit("missing_zero_grad"))
    class_ = {"ontime": answers.notebook(solutions, base=release), "late": answers.notebook(wrong, base=release)}
    write_class(os.path.join(root, "submitted"), class_)
    for student, when in HANDED_IN.items():
        with open(os.path.join(root, "submitted", student, "rnn_sum", "timestamp.txt"), "w") as f:
            f.write(when)


def _export(root, conf):
    """nbgrader's own export of the gradebook: {student: row}."""
    out = os.path.join(root, "grades.csv")
    _nbgrader(root, "export", f"--CsvExportPlugin.to={out}", conf=conf)
    with open(out) as f:
        return {row["student_id"]: row for row in csv.DictReader(f)}


@pytest.fixture(scope="module")
def routes(tmp_path_factory, solutions):
    top = str(tmp_path_factory.mktemp("late-work"))
    conf = os.path.join(top, "settings")
    _settings(conf)
    kit, stock = os.path.join(top, "kit"), os.path.join(top, "stock")
    _course(kit, conf, solutions)
    _course(stock, conf, solutions)
    run = subprocess.run(
        [*_prefix(conf), sys.executable, "-m", "autograder", "grade", os.path.join(kit, "submitted"), "--quiet"]
        + ["--json", os.path.join(top, "out.json"), "--course", kit, "--report", os.path.join(top, "report")],
        cwd=conf,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    with open(os.path.join(top, "out.json")) as f:
        records = {r["student"]: r for r in json.load(f)}
    autograde = _nbgrader(stock, "autograde", "rnn_sum", conf=conf)
    return {"top": top, "autograde": autograde, "conf": conf, "records": records, "kit": kit, "stock": stock}


def test_the_class_route_s_record_flags_and_penalises_only_the_late(routes):
    records = routes["records"]
    assert "late" not in records["ontime"]
    assert records["late"]["late"] == {"seconds": 5400.25, "penalty": PENALTY["late"]}
    for student, record in records.items():
        assert record["total"] == TOTAL[student]  # the tasks' sum: the penalty is apart from it


@pytest.mark.parametrize("route", ["kit", "stock"])
def test_nbgrader_s_gradebook_holds_the_same_penalty_from_either_grader(routes, route):
    """``grade --course`` and ``nbgrader autograde`` leave the same due date, timestamps,
    penalties and scores in nbgrader's gradebook, as its own export reads them."""
    rows = _export(routes[route], routes["conf"])
    for student in HANDED_IN:
        row = rows[student]
        assert row["duedate"] == "2026-12-18 23:59:00", row
        assert row["timestamp"].startswith(HANDED_IN[student][:19]), row
        assert float(row["raw_score"]) == TOTAL[student], row
        assert float(row["late_submission_penalty"]) == PENALTY[student], row
        assert float(row["score"]) == GRADE[student], row


def test_nbgrader_autograde_says_which_notebook_was_late_and_what_it_cost(routes):
    """The kit's record on nbgrader's route reads the same timestamp.txt: its log line says it."""
    said = routes["autograde"].stderr
    assert "late/rnn_sum: 6/9 by the kit's graders" in said and "handed in 1 h 31 min late, -4.5" in said
    assert "ontime/rnn_sum: 9/9 by the kit's graders" in said and "ontime/rnn_sum: handed in" not in said


def test_the_class_report_shows_who_was_late_and_what_it_cost(routes):
    page = open(os.path.join(routes["top"], "report", "rnn_sum.html")).read()
    late = page[page.index('<h2 id="late">') : page.index("</table>", page.index('<h2 id="late">'))]
    assert "1 handed in late." in page
    assert "<td>late</td><td>1 h 31 min late, -4.5</td>" in late
    assert "ontime" not in late


def test_the_canvas_file_takes_the_penalty_and_names_the_late(routes):
    top = routes["top"]
    roster = os.path.join(top, "roster.csv")
    with open(roster, "w", newline="") as f:
        csv.writer(f).writerows(
            [
                ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"],
                ["On, Time", "1", "", "ontime", "A"],
                ["Lay, Te", "2", "", "late", "A"],
            ]
        )
    out = os.path.join(top, "canvas.csv")
    run = subprocess.run(
        [*_prefix(routes["conf"]), sys.executable, "-m", "autograder", "export", "--canvas", roster]
        + ["--json", os.path.join(top, "out.json"), out],
        cwd=routes["conf"],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    with open(out) as f:
        rows = {row["SIS Login ID"]: row for row in csv.DictReader(f)}
    assert rows["ontime"]["RNN sum"] == "9" and rows["late"]["RNN sum"] == "1.5"
    assert "handed in late (the penalty taken): late (rnn_sum, 1 h 31 min late, -4.5)" in run.stdout + run.stderr
