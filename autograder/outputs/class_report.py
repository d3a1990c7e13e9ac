"""The class report: one page per assignment that an instructor reads in a minute.

``grade --report DIR`` (and ``merge --report DIR``) writes ``DIR/<assignment>.html`` and
``DIR/<assignment>.checks.csv``.  The page holds the score histogram; each task's and each
check's pass rate; the known mistakes the graders recognised (``autograder.grading.diagnosis``), with
how many students made each and who; the most common failure messages, their numbers masked so
that one check's failures group together; the notebooks that could not be graded, and why; the
notebooks handed in after the deadline, how late and what it cost (``autograder.grading.deadlines``);
and the pairs of notebooks whose own code is unusually alike (``autograder.outputs.similarity``), side
by side.  Everything comes from the run's records and details: nothing is graded again.
"""

import base64
import csv
import html
import os
import re
import statistics

from autograder import records as rec
from autograder import settings as config
from autograder.grading import deadlines
from autograder.outputs import feedback, plots, similarity, tables

_NUMBER = re.compile(r"(?<![A-Za-z_])-?\d+(?:\.\d+)?(?:e[-+]?\d+)?(?!-dim)")
_STYLE = """
body { font-family: system-ui, sans-serif; max-width: 68rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
table { border-collapse: collapse; width: 100%; margin-bottom: 1rem; }
td, th { border-bottom: 1px solid #ddd; padding: .4rem .5rem; text-align: left; vertical-align: top; }
th { background: #f4f4f4; } td.n { text-align: right; white-space: nowrap; } td.rate { white-space: nowrap; }
.bar { display: inline-block; height: .7rem; background: #3a6ea5; vertical-align: middle; margin-right: .4rem; }
.low .bar { background: #c0392b; }
code, pre { background: #f7f7f7; } pre { padding: .5rem; overflow-x: auto; font-size: .8rem; }
mark { background: #ffd27a; } .pair { display: grid; grid-template-columns: 1fr 1fr; gap: .75rem; }
nav a { margin-right: 1rem; } .muted { color: #666; } img { max-width: 100%; }
"""


def write(graded, folder):
    """DIR/<assignment>.html and DIR/<assignment>.checks.csv for every assignment of the run's
    (record, details) pairs; returns {assignment: path of its page}."""
    os.makedirs(folder, exist_ok=True)
    by_assignment = {}
    for record, details in graded:
        by_assignment.setdefault(record["assignment"], []).append((record, details or {}))
    pages = {}
    for assignment, items in by_assignment.items():
        summary = summarise(assignment, items)
        with open(os.path.join(folder, f"{assignment}.checks.csv"), "w", newline="") as f:
            out = csv.writer(f)
            out.writerow(["assignment", "task", "check", "passed", "graded", "rate"])
            for task, check, passed, count in summary["checks"]:
                out.writerow([assignment, task, check, passed, count, f"{passed / count:.3f}" if count else ""])
        pages[assignment] = os.path.join(folder, f"{assignment}.html")
        with open(pages[assignment], "w") as f:
            f.write(page(assignment, items, summary))
    return pages


def summarise(assignment, items):
    """What the page shows, as data: pass rates of tasks and checks, diagnoses, failures,
    notebooks not graded."""
    graded = [(r, d) for r, d in items if r["error"] is None]
    tasks = list(dict.fromkeys(t for r, _ in items for t in r["tasks"]))
    task_rates = []
    for task in tasks:
        passed = sum(rec.passed(r["tasks"][task]) for r, _ in graded if task in r["tasks"])
        task_rates.append((task, passed, len(graded)))
    checks = []
    for task in tasks:
        names = list(dict.fromkeys(c for _, d in graded for c in d.get(task, {}).get("checks", {})))
        for check in names:
            outcomes = [d[task]["checks"][check] for _, d in graded if check in d.get(task, {}).get("checks", {})]
            checks.append((task, check, sum(outcomes), len(outcomes)))
    diagnoses = {}
    failures = {}
    for record, _ in graded:
        for task, result in record["tasks"].items():
            if rec.passed(result):
                continue
            for sentence in result.get("diagnosis") or []:
                diagnoses.setdefault((task, sentence), []).append(tables.who(record))
            for message in result["messages"]:
                if message.startswith("... and "):
                    continue
                group = failures.setdefault((task, _NUMBER.sub("…", message)), {"who": [], "example": message})
                if tables.who(record) not in group["who"]:
                    group["who"].append(tables.who(record))
    return {
        "tasks": task_rates,
        "checks": checks,
        "diagnoses": sorted(diagnoses.items(), key=lambda item: (-len(item[1]), tasks.index(item[0][0]))),
        "failures": sorted(failures.items(), key=lambda item: -len(item[1]["who"])),
        "ungraded": [(tables.who(r), r["error"]) for r, _ in items if r["error"] is not None],
        "graded": len(graded),
    }


def most_common_diagnosis(summary):
    """(task, sentence, how many students) of the mistake most students made, or None."""
    if not summary["diagnoses"]:
        return None
    (task, sentence), who = summary["diagnoses"][0]
    return task, sentence, len(who)


def _readable(check):
    return check.removeprefix("test_").replace("_", " ")


def _bar(passed, count):
    rate = passed / count if count else 0.0
    cls = ' class="rate low"' if rate < 0.5 else ' class="rate"'
    return (
        f'<td class="n">{passed}/{count}</td><td{cls}><span class="bar" style="width:{rate * 8:.2f}rem"></span>'
        f"{rate:.0%}</td>"
    )


def _names(who, limit=12):
    shown = ", ".join(html.escape(w) for w in who[:limit])
    return shown + (f" and {len(who) - limit} more" if len(who) > limit else "")


def _table(head, rows):
    return (
        "<table><tr>"
        + "".join(f"<th>{h}</th>" for h in head)
        + "</tr>"
        + "".join(f"<tr>{row}</tr>" for row in rows)
        + "</table>"
    )


def page(assignment, items, summary):
    records = [r for r, _ in items]
    totals = [r["total"] for r in records if r["error"] is None]
    top = max((r["max_total"] for r in records), default=0.0)
    late = [r for r in records if r.get("late")]
    histogram = base64.b64encode(plots.histogram_png(records)).decode()
    parts = [
        f"<h1>{html.escape(assignment)}: the class</h1>",
        f"<p>{len(records)} notebooks, {summary['graded']} graded"
        + (f", {len(summary['ungraded'])} could not be" if summary["ungraded"] else "")
        + (
            f". Mean score {statistics.mean(totals):.2f} of {top:g}, median {statistics.median(totals):g}."
            if totals
            else "."
        )
        + (f" {len(late)} handed in late." if late else "")
        + " Points are those of the automatically graded tasks; written answers are graded by hand.</p>",
        '<nav><a href="#tasks">tasks</a><a href="#checks">checks</a><a href="#mistakes">known mistakes</a>'
        '<a href="#failures">failures</a><a href="#ungraded">not graded</a><a href="#late">late</a>'
        '<a href="#similar">similar</a></nav>',
        f'<h2 id="scores">Scores</h2><img alt="histogram of the scores" src="data:image/png;base64,{histogram}">',
    ]
    common = {}
    for (task, sentence), who in summary["diagnoses"]:
        common.setdefault(task, (sentence, len(who)))
    rows = []
    for task, passed, count in summary["tasks"]:
        note = f"{feedback.code_text(common[task][0])} ({common[task][1]})" if task in common else ""
        rows.append(f"<td><code>{task}</code></td>{_bar(passed, count)}<td>{note}</td>")
    parts += [
        '<h2 id="tasks">Tasks</h2>',
        _table(["task", "passed", "rate", "the most common known mistake (students)"], rows),
    ]
    rows = [
        f"<td><code>{task}</code></td><td>{html.escape(_readable(check))}</td>{_bar(passed, count)}"
        for task, check, passed, count in summary["checks"]
    ]
    parts += [
        '<h2 id="checks">Checks</h2>',
        f'<p class="muted">Also in <a href="{html.escape(assignment)}.checks.csv">{html.escape(assignment)}'
        ".checks.csv</a>.</p>",
        _table(["task", "check", "passed", "rate"], rows) if rows else "<p>No check results in this run.</p>",
    ]
    rows = [
        f"<td><code>{task}</code></td><td>{feedback.code_text(sentence)}</td>"
        f"<td class='n'>{len(who)}</td><td>{_names(who)}</td>"
        for (task, sentence), who in summary["diagnoses"]
    ]
    parts += [
        '<h2 id="mistakes">Known mistakes</h2>',
        "<p class='muted'>What the graders recognised in the returned values of the tasks that lost points.</p>",
        _table(["task", "what the students read", "students", "who"], rows) if rows else "<p>None recognised.</p>",
    ]
    rows = [
        f"<td><code>{task}</code></td><td>{html.escape(template)}<br><span class='muted'>for example: "
        f"{html.escape(group['example'])}</span></td>"
        f"<td class='n'>{len(group['who'])}</td><td>{_names(group['who'])}</td>"
        for (task, template), group in summary["failures"][:15]
    ]
    parts += [
        '<h2 id="failures">Most common failures</h2>',
        "<p class='muted'>The failure messages, with their numbers masked (…) so that one check's failures "
        "group together.</p>",
        _table(["task", "message", "students", "who"], rows) if rows else "<p>No failures.</p>",
    ]
    rows = [f"<td>{html.escape(who)}</td><td>{html.escape(why)}</td>" for who, why in summary["ungraded"]]
    parts += [
        '<h2 id="ungraded">Notebooks that could not be graded</h2>',
        _table(["student", "why"], rows) if rows else "<p>None: every notebook was graded.</p>",
    ]
    rows = [
        f"<td>{html.escape(tables.who(r))}</td><td>{html.escape(deadlines.describe(r['late']))}</td>"
        f"<td class='n'>{r['total']:g}</td><td class='n'>{r['late']['penalty']:g}</td>"
        f"<td class='n'>{deadlines.grade(r):g}</td>"
        for r in late
    ]
    parts += [
        '<h2 id="late">Handed in late</h2>',
        _table(["student", "late", "points", "late penalty", "grade"], rows) if rows else "<p>None.</p>",
    ]
    parts.append(_similar(assignment, records))
    title = html.escape(f"{assignment}: class report")
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        f"<style>{_STYLE}</style></head><body>\n" + "\n".join(parts) + "\n</body></html>\n"
    )


def _similar(assignment, records):
    release = similarity.release_cells(assignment)
    codes = {tables.who(r): similarity.own_code(r["notebook"], release) for r in records}
    missing = sorted(who for who, code in codes.items() if code is None)
    pairs, every = similarity.similar_pairs(codes, release)
    settings = config.SIMILARITY
    usual = f"{statistics.median(every.values()):.0%}" if every else "n/a"
    parts = [
        '<h2 id="similar">Similar submissions</h2>',
        f"<p class='muted'>Pairs of notebooks that each share at least {settings['threshold']:.0%} of their own "
        f"code with the other (the release's code left out, names and layout ignored: copydetect's "
        f"fingerprints). In this class the usual pair shares {usual}. A pair here is worth a look, not a "
        "verdict: on a small assignment two students who follow the tutorial closely can write alike.</p>",
    ]
    if missing:
        parts.append(f"<p class='muted'>Not compared (not a readable notebook): {_names(missing)}.</p>")
    if not pairs:
        parts.append("<p>No pair above the threshold.</p>")
    more = sum(s >= settings["threshold"] for s in every.values()) - len(pairs)
    if more:
        parts.append(f"<p>{len(pairs) + more} pairs are above the threshold; the {len(pairs)} most alike are here.</p>")
    for pair in pairs:
        parts.append(
            f"<details><summary><strong>{html.escape(pair.a)}</strong> and <strong>{html.escape(pair.b)}</strong>: "
            f"{pair.similarity[0]:.0%} of {html.escape(pair.a)}'s code is in {html.escape(pair.b)}'s, "
            f"{pair.similarity[1]:.0%} of {html.escape(pair.b)}'s in {html.escape(pair.a)}'s</summary>"
            f'<div class="pair"><div><h4>{html.escape(pair.a)}</h4><pre>{pair.code[0]}</pre></div>'
            f"<div><h4>{html.escape(pair.b)}</h4><pre>{pair.code[1]}</pre></div></div></details>"
        )
    return "\n".join(parts)
