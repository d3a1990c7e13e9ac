"""Grades to Canvas: `python -m autograder export --canvas ROSTER.csv --json results.json OUT.csv`
writes Canvas's gradebook import format from a run's records and Canvas's own export."""

import csv
import json
import os
import subprocess
import sys

import pytest

import course_config as config
from autograder import cli

IDENTITY = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
ROSTER = [
    IDENTITY + ["Quiz 1 (111)", "Current Score"],
    ["    Points Possible", "", "", "", "", "10", "(read only)"],
    ["", "", "", "", "", "Manual Posting", ""],  # Canvas's row when an assignment's grades are posted by hand
    ["Smith, Ann", "1001", "S-1", "ASmith", "Section A", "9", "90"],
    ["Jones, Bob", "1002", "S-2", "bjones", "Section A", "8", "80"],
    ["Lee, Emma", "1003", "S-3", "elee", "Section B", "", ""],
    ["Student, Test", "9999", "", "5f1e0c2a", "Section A", "", ""],  # Canvas's Student View account
]


def record(student, total, assignment="rnn_sum", max_total=9.0, error=None):
    """A record as `grade --json` writes it (docs/records.md)."""
    return {
        "student": student,
        "assignment": assignment,
        "notebook": f"submitted/{student}/{assignment}/{assignment}.ipynb",
        "tasks": {"cell": {"points": total, "max_points": max_total, "messages": [], "diagnosis": []}},
        "total": total,
        "max_total": max_total,
        "error": error,
        "sandboxed": True,
    }


def write_csv(path, rows, **options):
    with open(path, "w", newline="", encoding=options.pop("encoding", "utf-8")) as f:
        csv.writer(f, **options).writerows(rows)
    return str(path)


def write_json(path, data):
    path.write_text(json.dumps(data))
    return str(path)


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


@pytest.fixture(autouse=True)
def canvas_names(monkeypatch):
    """The assignments' Canvas names, without ids, whatever course_config.py says."""
    monkeypatch.setitem(config.ASSIGNMENTS["rnn_sum"], "canvas", {"name": "RNN sum", "id": None})
    monkeypatch.setitem(config.ASSIGNMENTS["rnn_layers"], "canvas", {"name": "RNN layers", "id": None})


def export(tmp_path, capsys, records, roster=ROSTER, *extra):
    """cli.main's exit code, the rows it wrote (None when it wrote nothing) and its stderr."""
    out = tmp_path / "canvas.csv"
    argv = ["export", "--canvas", write_csv(tmp_path / "roster.csv", roster)]
    code = cli.main([*argv, "--json", write_json(tmp_path / "results.json", records), str(out), *extra])
    return code, (read_csv(out) if out.exists() else None), capsys.readouterr().err


def scores(rows):
    """{SIS Login ID: the assignment cells} of the student rows."""
    return {row[3]: row[5:] for row in rows[2:]}


def test_the_command_writes_canvas_import_format(tmp_path):
    """`python -m autograder export` writes the header, the Points Possible row and a row per student."""
    out = tmp_path / "canvas.csv"
    roster = write_csv(tmp_path / "roster.csv", ROSTER)
    results = write_json(tmp_path / "results.json", [record("asmith", 7.0), record("bjones", 4.5)])
    run = subprocess.run(
        [sys.executable, "-m", "autograder", "export", "--canvas", roster, "--json", results, str(out)],
        cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    name = config.ASSIGNMENTS["rnn_sum"]["canvas"]["name"]  # the subprocess reads the real course_config.py
    canvas_id = config.ASSIGNMENTS["rnn_sum"]["canvas"]["id"]
    rows = read_csv(out)
    assert rows[0] == IDENTITY + [name if canvas_id is None else f"{name} ({canvas_id})"]
    assert rows[1] == ["    Points Possible", "", "", "", "", "10"]  # the written answer's point included
    assert rows[2:] == [
        ["Smith, Ann", "1001", "S-1", "ASmith", "Section A", "7"],
        ["Jones, Bob", "1002", "S-2", "bjones", "Section A", "4.5"],
        ["Lee, Emma", "1003", "S-3", "elee", "Section B", ""],
    ]
    assert "in the roster but not graded (rnn_sum): elee (Lee, Emma)" in run.stderr


def test_students_are_matched_on_sis_login_id_ignoring_case(tmp_path, capsys):
    """A record's student `asmith` is the roster's SIS Login ID `ASmith`."""
    code, rows, err = export(tmp_path, capsys, [record("asmith", 7.0), record(" BJones ", 5.0), record("elee", 9.0)])
    assert code == 0
    assert scores(rows) == {"ASmith": ["7"], "bjones": ["5"], "elee": ["9"]}
    assert "not graded" not in err and "not in the roster" not in err


def test_students_can_be_matched_on_sis_user_id(tmp_path, capsys):
    """With --match "SIS User ID" the record's student is the roster's SIS User ID."""
    code, rows, _ = export(tmp_path, capsys, [record("s-2", 6.0)], ROSTER, "--match", "SIS User ID")
    assert code == 0
    assert scores(rows) == {"ASmith": [""], "bjones": ["6"], "elee": [""]}


def test_a_record_with_an_error_scores_zero(tmp_path, capsys):
    """A notebook that could not be graded is graded zero, whatever its total says."""
    code, rows, _ = export(tmp_path, capsys, [record("asmith", 3.0, error="not a notebook"), record("elee", 9.0)])
    assert code == 0
    assert scores(rows) == {"ASmith": ["0"], "bjones": [""], "elee": ["9"]}


def test_students_on_one_side_only_are_listed_on_stderr(tmp_path, capsys):
    """Roster students without a record get an empty cell, records without a roster student are named; exit 0."""
    code, rows, err = export(tmp_path, capsys, [record("asmith", 7.0), record("zed", 9.0), record("yan", 2.0)])
    assert code == 0
    assert scores(rows) == {"ASmith": ["7"], "bjones": [""], "elee": [""]}
    assert "in the roster but not graded (rnn_sum): bjones (Jones, Bob); elee (Lee, Emma)" in err.splitlines()
    assert "graded but not in the roster (rnn_sum): zed; yan" in err.splitlines()


def test_canvas_rows_that_are_not_students_are_skipped(tmp_path, capsys):
    """The roster's Points Possible, Manual Posting and Student View rows are not students."""
    code, rows, err = export(tmp_path, capsys, [record("asmith", 7.0), record("bjones", 1.0), record("elee", 2.0)])
    assert code == 0
    assert [row[0] for row in rows] == ["Student", "    Points Possible", "Smith, Ann", "Jones, Bob", "Lee, Emma"]
    assert "Student, Test" not in err and "5f1e0c2a" not in err


def test_one_column_per_assignment_with_its_points_possible(tmp_path, capsys):
    """Each assignment of the records gets a column, in course order, out of all its points (those
    graded by hand included)."""
    records = [record("asmith", 8.0, "rnn_layers", max_total=8.0), record("asmith", 7.0), record("elee", 9.0)]
    code, rows, err = export(tmp_path, capsys, records)
    assert code == 0
    assert rows[0][5:] == ["RNN sum", "RNN layers"]
    assert rows[1][5:] == ["10", "10"]
    assert scores(rows) == {"ASmith": ["7", "8"], "bjones": ["", ""], "elee": ["9", ""]}
    assert "in the roster but not graded (rnn_layers): bjones (Jones, Bob); elee (Lee, Emma)" in err.splitlines()


def test_the_rosters_column_of_the_assignment_is_reused(tmp_path, capsys, monkeypatch):
    """A roster column `<name> (<id>)` is the assignment's: found by id from course_config.py, else by name."""
    roster = [row + [cell] for row, cell in zip(ROSTER, ["RNN summation (4242)", "9", "", "", "", "", ""])]
    roster[0] += ["RNN layers (4243)"]
    monkeypatch.setitem(config.ASSIGNMENTS["rnn_sum"], "canvas", {"name": "RNN sum", "id": 4242})
    records = [record("asmith", 7.0), record("asmith", 8.0, "rnn_layers", max_total=8.0)]
    code, rows, err = export(tmp_path, capsys, records, roster)
    assert code == 0
    assert rows[0][5:] == ["RNN summation (4242)", "RNN layers (4243)"]  # by id, then by name
    assert "note: Canvas has RNN summation (4242) out of 9, the kit grades it out of 10" in err.splitlines()


def test_an_assignment_new_to_canvas_gets_its_configured_name_and_id(tmp_path, capsys, monkeypatch):
    """Without a roster column the column is `<name> (<id>)` from course_config.py, or `<name>` with no id."""
    monkeypatch.setitem(config.ASSIGNMENTS["rnn_layers"], "canvas", {"name": "Two layers", "id": 77})
    code, rows, _ = export(tmp_path, capsys, [record("asmith", 7.0), record("elee", 8.0, "rnn_layers")])
    assert code == 0
    assert rows[0][5:] == ["RNN sum", "Two layers (77)"]


def test_a_roster_with_a_byte_order_mark_and_semicolons_is_read(tmp_path, capsys):
    """Canvas's export in a locale with decimal commas (`;` between cells, a UTF-8 BOM) is a roster too."""
    roster = write_csv(tmp_path / "roster.csv", ROSTER, delimiter=";", encoding="utf-8-sig")
    results = write_json(tmp_path / "results.json", [record("asmith", 7.5)])
    assert cli.main(["export", "--canvas", roster, "--json", results, str(tmp_path / "out.csv")]) == 0
    assert scores(read_csv(tmp_path / "out.csv")) == {"ASmith": ["7.5"], "bjones": [""], "elee": [""]}


def test_several_records_of_a_student_for_an_assignment_are_an_error(tmp_path, capsys):
    """Two records of one student for one assignment: an error naming the student and both notebooks."""
    twice = record("asmith", 7.0)
    twice["notebook"] = "submitted/asmith/rnn_sum/copy.ipynb"
    code, rows, err = export(tmp_path, capsys, [record("asmith", 7.0), record("ASmith", 9.0), twice])
    assert (code, rows) == (2, None)
    assert err.startswith("error: ASmith has several records for rnn_sum: submitted/asmith/rnn_sum/rnn_sum.ipynb")


@pytest.mark.parametrize(
    "roster, results, says",
    [
        (None, [record("asmith", 7.0)], "cannot read"),
        (ROSTER, None, "cannot read"),
        ([row[:3] + row[4:] for row in ROSTER], [record("asmith", 7.0)], "has no 'SIS Login ID' column"),
        ([["name", "score"], ["Ann", "3"]], [record("asmith", 7.0)], "is not a Canvas gradebook export"),
        ([], [record("asmith", 7.0)], "is not a Canvas gradebook export"),
        (ROSTER, "not json {", "is not JSON"),
        (ROSTER, {"shard": 1, "of": 2, "class_size": 3, "records": []}, "is a shard file"),
        (ROSTER, [{"student": "asmith", "score": 7}], "does not hold the records"),
        (ROSTER, {"asmith": 7}, "does not hold the records"),
        (ROSTER, [], "holds no records"),
    ],
)
def test_bad_input_is_one_line_of_error_and_writes_nothing(tmp_path, capsys, roster, results, says):
    """Missing files, a roster without the needed columns, results that are not records: exit 2, no file."""
    argv = ["export", "--canvas", str(tmp_path / "roster.csv"), "--json", str(tmp_path / "results.json")]
    if roster is not None:
        write_csv(tmp_path / "roster.csv", roster)
    if isinstance(results, str):
        (tmp_path / "results.json").write_text(results)
    elif results is not None:
        write_json(tmp_path / "results.json", results)
    assert cli.main([*argv, str(tmp_path / "canvas.csv")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and says in err and err.count("\n") == 1
    assert set(os.listdir(tmp_path)) <= {"roster.csv", "results.json"}  # no canvas.csv, no temporary file


def test_an_output_folder_that_does_not_exist_is_an_error(tmp_path, capsys):
    """OUT.csv in a missing folder: exit 2 before anything is written."""
    roster = write_csv(tmp_path / "roster.csv", ROSTER)
    results = write_json(tmp_path / "results.json", [record("asmith", 7.0)])
    assert cli.main(["export", "--canvas", roster, "--json", results, str(tmp_path / "no" / "canvas.csv")]) == 2
    assert capsys.readouterr().err.startswith("error: cannot write")
    assert not (tmp_path / "no").exists()


def test_without_the_course_the_grades_say_they_lack_the_points_given_by_hand(tmp_path, capsys):
    code, rows, err = export(tmp_path, capsys, [record("asmith", 7.0)])
    assert code == 0 and scores(rows)["ASmith"] == ["7"]
    assert "note: rnn_sum's why_wrong (1 point(s)) are graded by hand in formgrader: give --course ROOT" in err


@pytest.mark.sandbox
@pytest.mark.nbgrader
def test_with_the_course_each_grade_adds_the_points_given_by_hand_in_formgrader(tmp_path, solutions):
    """Graded by the kit into a course's gradebook, ada's written answer then given its point in
    formgrader (through nbgrader's API, as formgrader saves it), ben's not yet: the Canvas file
    holds ada's 10 of 10 and ben's 9 for now, and says ben still waits."""
    from nbgrader.api import Gradebook

    from examples import answers
    from tests.conftest import new_course, write_class

    course = tmp_path / "course"
    course.mkdir()
    new_course(str(course))
    write_class(str(course / "submitted"), {"ada": answers.notebook(solutions), "bjones": answers.notebook(solutions)})
    argv = [sys.executable, "-m", "autograder", "grade", "submitted", "--json", "results.json", "--course", "."]
    graded = subprocess.run(argv, cwd=course, capture_output=True, text=True)
    assert graded.returncode == 0, graded.stderr[-2000:]
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        gb.find_grade("why_wrong", "rnn_sum", "rnn_sum", "ada").manual_score = 1.0
        gb.db.commit()
    roster = [IDENTITY, ["Ada, A", "1", "S-1", "ada", "A"], ["Jones, Bob", "1002", "S-2", "bjones", "A"]]
    argv = ["export", "canvas.csv", "--canvas", write_csv(tmp_path / "roster.csv", roster)]
    run = subprocess.run(
        [sys.executable, "-m", "autograder", *argv, "--json", "results.json", "--course", "."],
        cwd=course,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    rows = read_csv(course / "canvas.csv")
    assert rows[1][5:] == ["10"] and scores(rows) == {"ada": ["10"], "bjones": ["9"]}
    assert "not graded by hand yet (rnn_sum), counted as 0 for now: bjones (why_wrong)" in run.stderr
