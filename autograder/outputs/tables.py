"""A run's records as tables: the per-task grades CSV, the score and pass-rate tables and the
per-notebook report for the terminal."""

import csv
import os

from autograder import records as rec
from autograder import settings as config
from autograder.grading import deadlines


def who(record):
    """How pages and tables name a record: its student, else its notebook's name."""
    return record["student"] or os.path.splitext(os.path.basename(record["notebook"]))[0]


def _by_assignment(records):
    """{assignment: its records}, in the course's order of assignments."""
    groups = {}
    for r in records:
        groups.setdefault(r["assignment"], []).append(r)
    order = list(config.ASSIGNMENTS)
    return dict(sorted(groups.items(), key=lambda item: order.index(item[0]) if item[0] in order else len(order)))


def _tasks(records):
    """Every task of these records, in order."""
    return list(dict.fromkeys(t for r in records for t in r["tasks"]))


def write_csv(records, path):
    """One row per notebook: student, each task's points, total, and why it could not be graded
    (a task of another assignment is left empty); then how late it was (seconds, empty when on
    time), the points that cost, and the grade: the total less them."""
    tasks = _tasks(records)
    with open(path, "w", newline="") as f:
        out = csv.writer(f)
        out.writerow(
            ["student", "assignment", *tasks, "total", "max_total", "error", "late_seconds", "late_penalty", "grade"]
        )
        for r in records:
            out.writerow(
                [
                    who(r),
                    r["assignment"],
                    *(r["tasks"][t]["points"] if t in r["tasks"] else "" for t in tasks),
                    r["total"],
                    r["max_total"],
                    r["error"] or "",
                    r["late"]["seconds"] if r.get("late") else "",
                    r["late"]["penalty"] if r.get("late") else "",
                    deadlines.grade(r),
                ]
            )
    return path


def text_report(record):
    """A per-task report for the terminal, with the same messages as the graders."""
    lines = [f"{record['notebook']}: {record['total']:g} / {record['max_total']:g}"]
    if record.get("late"):
        lines.append(f"handed in {deadlines.describe(record['late'])}: grade {deadlines.grade(record):g}")
    if record["error"]:
        lines.append(f"not graded: {record['error']}")
    for task, result in record["tasks"].items():
        passed = rec.passed(result)
        lines.append(f"{'✓' if passed else '✗'} {task:18s} {result['points']:g} / {result['max_points']:g}")
        lines += [f"    - {m}" for m in result["messages"]]
        if result.get("diagnosis") and not passed:
            lines.append("    what may have gone wrong:")
            lines += [f"    * {d}" for d in result["diagnosis"]]
    return "\n".join(lines)


def score_table(records, extra=None):
    """Plain-text tables, one per assignment: a row per notebook, a column per task (✓ or ✗).

    ``extra`` maps (assignment, student) to {column: text} for more columns."""
    groups = _by_assignment(records)
    return "\n\n".join(
        (f"{a}\n" if len(groups) > 1 else "")
        + _score_table(rs, {who: cols for (assignment, who), cols in (extra or {}).items() if assignment == a})
        for a, rs in groups.items()
    )


def _score_table(records, extra):
    extra_cols = sorted({c for cols in extra.values() for c in cols})
    tasks = _tasks(records)
    head = ["student", "score", *tasks, *extra_cols]
    rows = [head]
    for r in records:
        marks = ["-" if r["error"] else ("✓" if rec.passed(r["tasks"][t]) else "✗") for t in tasks]
        cols = extra.get(who(r), {})
        score = f"{r['total']:g}/{r['max_total']:g}" + (f" ({deadlines.describe(r['late'])})" if r.get("late") else "")
        rows.append([who(r), score, *marks, *(cols.get(c, "") for c in extra_cols)])
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(head))]
    lines = ["  ".join(str(v).ljust(w) for v, w in zip(row, widths)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def pass_rates(records):
    """Plain-text tables, one per assignment: how many notebooks passed each task, hardest
    task marked."""
    groups = _by_assignment(records)
    return "\n\n".join((f"{a}\n" if len(groups) > 1 else "") + _pass_rates(rs) for a, rs in groups.items())


def _pass_rates(records):
    graded = [r for r in records if r["error"] is None]
    lines = [f"{'task':18s} {'passed':>9s} {'rate':>6s}"]
    rates = {}
    for task in _tasks(records):
        passed = sum(rec.passed(r["tasks"][task]) for r in graded)
        rates[task] = passed / len(graded) if graded else 0.0
        lines.append(f"{task:18s} {f'{passed}/{len(graded)}':>9s} {rates[task]:6.0%}")
    if graded and min(rates.values()) < max(rates.values()):
        low = min(rates.values())
        lines.append("hardest: " + ", ".join(t for t, r in rates.items() if r == low))
    ungraded = len(records) - len(graded)
    if ungraded:
        lines.append(f"{ungraded} notebook(s) could not be graded at all (see their `error`)")
    return "\n".join(lines)
