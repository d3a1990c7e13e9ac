"""Grades to Canvas: a gradebook import CSV from a run's records and Canvas's own export.

Canvas's gradebook export (Grades > Export > Export Entire Gradebook) and its import
(Grades > Import) share one format, which ``export`` reads as the roster and writes::

    Student,ID,SIS User ID,SIS Login ID,Section,RNN sum (4242),RNN layers
        Points Possible,,,,,9,9
    "Smith, Ann",1001,S-1,asmith,Section A,7,9
    "Jones, Bob",1002,S-2,bjones,Section A,,4

Identity cells are the roster's (Canvas finds the student by ``ID``).  An assignment's column is
the roster's ``<title> (<id>)`` of the id in course_config.py (with no id: of its name), else
``<name> (<id>)``, or ``<name>``, which makes Canvas create the assignment.  Points Possible are
the records' ``max_total`` (the automatically graded points); a grade is the record's total less
its late penalty (``grading.deadlines.grade``), and the lines ``export`` returns name the late.  A
record's student (nbgrader's folder name; in a Canvas download, the user id the file names hold,
the roster's ``ID``) is matched with the roster's SIS Login ID (or SIS User ID, or ID:
``MATCH_COLUMNS``), ignoring case, and a note says when another of those columns would match more
records.  A record with an ``error`` scores 0, unless the machine, not the notebook, kept it from
being graded (``records.by_machine``); a student without one gets an empty cell, which the import
leaves unchanged.  The roster's Points Possible row, rows without a student (Canvas's "Manual
Posting" row) and the Student View row ("Student, Test") are skipped.
"""

import csv
import io
import json
import os
import re
import tempfile

from autograder import records as rec
from autograder import settings as config
from autograder.grading import deadlines
from autograder.outputs import files, gradebook

IDENTITY = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
MATCH_COLUMNS = ("SIS Login ID", "SIS User ID", "ID")
POINTS_POSSIBLE = "    Points Possible"  # as Canvas writes it, four spaces first
_TITLE_ID = re.compile(r"^(.*) \((\d+)\)$")


class ExportError(Exception):
    """Input that cannot be exported; one line that says why."""


def _number(x):
    return f"{float(x):.2f}".rstrip("0").rstrip(".")


def _key(text):
    return text.strip().casefold()


def read_records(path):
    """The records of ``python -m autograder grade --json`` (docs/records.md)."""
    try:
        with open(path, encoding="utf-8") as f:
            records = json.load(f)
    except OSError as exc:
        raise ExportError(f"cannot read {path}: {exc.strerror}") from None
    except ValueError:
        raise ExportError(f"{path} is not JSON: give the file `python -m autograder grade --json` wrote") from None
    if isinstance(records, dict) and "shard" in records:
        raise ExportError(f"{path} is a shard file: join the shards with `python -m autograder merge` first")
    ok = isinstance(records, list) and all(
        isinstance(r, dict)
        and isinstance(r.get("assignment"), str)
        and isinstance(r.get("student"), (str, type(None)))
        and all(isinstance(r.get(k), (int, float)) for k in ("total", "max_total"))
        and "error" in r
        for r in records
    )
    if not ok:
        raise ExportError(f"{path} does not hold the records `python -m autograder grade --json` writes")
    if not records:
        raise ExportError(f"{path} holds no records: nothing to export")
    return records


def read_roster(path, match):
    """(header, students, the Points Possible row) of a Canvas gradebook export; each row is {column: cell}."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as f:
            text = f.read()
    except OSError as exc:
        raise ExportError(f"cannot read {path}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise ExportError(f"{path} is not UTF-8 text: give Canvas's gradebook export as it was downloaded") from None
    first = text.split("\n", 1)[0]
    rows = list(csv.reader(io.StringIO(text), delimiter=";" if first.count(";") > first.count(",") else ","))
    header = [h.strip() for h in rows[0]] if rows else []
    missing = [c for c in dict.fromkeys(["Student", "ID", match]) if c not in header]
    if missing:
        raise ExportError(
            f"{path} is not a Canvas gradebook export: it has no {' or '.join(map(repr, missing))} column "
            "(download it from Canvas: Grades > Export > Export Entire Gradebook)"
        )
    students, possible = [], {}
    for row in rows[1:]:
        cells = dict(zip(header, (c.strip() for c in row)))
        name = cells.get("Student", "")
        if name == POINTS_POSSIBLE.strip():
            possible = cells
        elif name and name != "Student, Test":
            students.append(cells)
    return header, students, possible


def column(assignment, header):
    """The assignment's column: the roster's, or ``<name> (<id>)`` (``<name>`` without an id) from course_config.py."""
    canvas = config.ASSIGNMENTS.get(assignment, {}).get("canvas") or {}
    name, canvas_id = canvas.get("name") or assignment, canvas.get("id")
    titled = [(h, *m.groups()) for h in header if (m := _TITLE_ID.match(h))]
    if canvas_id is not None:
        found = [h for h, _, i in titled if i == str(canvas_id)]
    else:
        found = [h for h, title, _ in titled if title == name]
        if len(found) > 1:
            raise ExportError(
                f"the roster has several columns named {name!r} ({', '.join(found)}): "
                f'set the id of {assignment!r}\'s "canvas" entry in course_config.py'
            )
    if found:
        return found[0]
    return f"{name} ({canvas_id})" if canvas_id is not None else name


def _points_possible(assignment, records):
    """What Canvas grades the assignment out of: all its points, those graded by hand included
    (course_config.py), else the most any of its records could get."""
    if assignment in config.ASSIGNMENTS:
        return sum(config.assignment(assignment)["points"].values())
    return max(r["max_total"] for r in records if r["assignment"] == assignment)


def _by_hand(assignment):
    """The assignment's tasks graded by hand (in formgrader), not by the kit."""
    if assignment not in config.ASSIGNMENTS:
        return []
    return [t for t in config.assignment(assignment)["points"] if t not in config.graded_tasks(assignment)]


def _grade(record, by_hand):
    """The grade in Canvas: 0 for a notebook that could not be graded, else the kit's grade (its
    late penalty taken) and the points given by hand."""
    if record["error"]:
        return 0
    return deadlines.grade(record) + by_hand.get(record["student"], (0.0, []))[0]


def _better_match(records, students, match):
    """The column of MATCH_COLUMNS that matches more of the records' students than ``match``, or None."""
    graded = {_key(r["student"]) for r in records if r["student"]}

    def matched(column):
        return len(graded & {_key(s[column]) for s in students if s.get(column)})

    best = max(MATCH_COLUMNS, key=matched)
    return best if matched(best) > matched(match) else None


def export(roster_path, results_path, out_path, match="SIS Login ID", course=None):
    """Write the import CSV to ``out_path`` (nothing when the input is bad: ExportError);
    returns the lines to show: what was written, and who is on one side only.  With ``course``
    (an nbgrader course folder), each grade adds the points of the tasks graded by hand in its
    gradebook (formgrader's), and says who still waits for them."""
    records = read_records(results_path)
    header, students, possible = read_roster(roster_path, match)
    if course is not None and not os.path.isfile(os.path.join(course, "gradebook.db")):
        raise ExportError(f"{course} holds no gradebook.db: give the nbgrader course folder")
    out_dir = os.path.dirname(os.path.abspath(out_path))
    if not os.path.isdir(out_dir) or not os.access(out_dir, os.W_OK):
        raise ExportError(f"cannot write {out_path}: {out_dir} is not a writable folder")
    order = list(config.ASSIGNMENTS) + sorted({r["assignment"] for r in records} - set(config.ASSIGNMENTS))
    assignments = [a for a in order if any(r["assignment"] == a for r in records)]
    columns = {a: column(a, header) for a in assignments}
    for a, b in ((a, b) for a in columns for b in columns if a < b and columns[a] == columns[b]):
        raise ExportError(f"{a} and {b} would share the column {columns[a]!r}: give them their own Canvas names")
    most = {a: _points_possible(a, records) for a in assignments}
    hand = {a: _by_hand(a) for a in assignments}  # the tasks graded in formgrader, not by the kit
    written = {a: gradebook.hand_grades(course, a, hand[a]) if course and hand[a] else {} for a in assignments}
    roster = {}  # matching key: roster row
    for i, s in enumerate(students):
        key = _key(s[match]) if s.get(match) else ("no id", i)
        if key in roster:
            raise ExportError(f"the roster has several students with {match} {s[match]!r}")
        roster[key] = s
    graded = {}  # (assignment, matching key): record
    for r in records:
        key = (r["assignment"], _key(r["student"]) if r["student"] else ("notebook", r.get("notebook")))
        if key in graded:
            raise ExportError(
                f"{r['student']} has several records for {r['assignment']}: "
                f"{graded[key].get('notebook')} and {r.get('notebook')}"
            )
        graded[key] = r
    # a notebook the machine could not grade is no grade: its cell stays empty, and it is named
    unfinished = [r for r in graded.values() if rec.by_machine(r)]
    graded = {key: r for key, r in graded.items() if not rec.by_machine(r)}

    lines = [f"wrote {out_path}: {len(roster)} student(s); column(s): {'; '.join(columns.values())}"]
    better = _better_match(records, students, match)
    if better:
        lines.append(
            f"note: the records' students match the roster's {better} better than its {match}: try --match \"{better}\""
        )
    for a in assignments:
        theirs = possible.get(columns[a], "").replace(",", ".")
        if re.fullmatch(r"\d+(\.\d*)?", theirs) and round(float(theirs), 2) != round(most[a], 2):
            lines.append(
                f"note: Canvas has {columns[a]} out of {_number(theirs)}, the kit grades it out of {_number(most[a])}"
            )
        absent = [f"{s.get(match) or '?'} ({s['Student']})" for k, s in roster.items() if (a, k) not in graded]
        if absent:
            lines.append(f"in the roster but not graded ({a}): {'; '.join(absent)}")
        strangers = [r["student"] or r.get("notebook") for (b, k), r in graded.items() if b == a and k not in roster]
        if strangers:
            lines.append(f"graded but not in the roster ({a}): {'; '.join(strangers)}")

    for a in (a for a in assignments if hand[a]):
        if course is None:
            points = _number(sum(config.points(a, t) for t in hand[a]))
            lines.append(
                f"note: {a}'s {', '.join(hand[a])} ({points} point(s)) are graded by hand in formgrader: give "
                "--course ROOT to add them from its gradebook (without, these grades hold the kit's points only)"
            )
            continue
        ours = [r for (b, k), r in graded.items() if b == a and k in roster and not r["error"]]
        waiting = [(r["student"], written[a].get(r["student"], (0.0, hand[a]))[1]) for r in ours]
        waiting = [f"{student} ({', '.join(tasks)})" for student, tasks in waiting if tasks]
        if waiting:
            lines.append(f"not graded by hand yet ({a}), counted as 0 for now: {'; '.join(waiting)}")

    late = [r for r in graded.values() if r.get("late") and not r["error"]]
    if late:
        lines.append(
            "handed in late (the penalty taken): "
            + "; ".join(f"{r['student']} ({r['assignment']}, {deadlines.describe(r['late'])})" for r in late)
        )
    if unfinished:
        lines.append(
            "not graded for a reason of the machine, left empty (grade them again): "
            + "; ".join(f"{r['student'] or r.get('notebook')} ({r['assignment']})" for r in unfinished)
        )

    fd, tmp = tempfile.mkstemp(dir=out_dir, prefix=".canvas-", suffix=".csv")
    with os.fdopen(fd, "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(IDENTITY + [columns[a] for a in assignments])
        out.writerow([POINTS_POSSIBLE, "", "", "", ""] + [_number(most[a]) for a in assignments])
        for k, s in roster.items():
            scores = [graded.get((a, k)) for a in assignments]
            cells = ["" if r is None else _number(_grade(r, written[r["assignment"]])) for r in scores]
            out.writerow([s.get(c, "") for c in IDENTITY] + cells)
    os.replace(tmp, out_path)
    files.hand_back([out_path])
    return lines
