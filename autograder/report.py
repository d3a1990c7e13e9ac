"""What the instructor and the students get from a run's records: a per-task grades
CSV, one feedback page per student, and a score table for the terminal."""

import csv
import html
import os

import course_config as config
from autograder import records as rec


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
    (a task of another assignment is left empty)."""
    tasks = _tasks(records)
    with open(path, "w", newline="") as f:
        out = csv.writer(f)
        out.writerow(["student", "assignment", *tasks, "total", "max_total", "error"])
        for r in records:
            out.writerow(
                [
                    who(r),
                    r["assignment"],
                    *(r["tasks"][t]["points"] if t in r["tasks"] else "" for t in tasks),
                    r["total"],
                    r["max_total"],
                    r["error"] or "",
                ]
            )
    return path


_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 54rem; margin: 2rem auto; padding: 0 1rem; color: #222; }}
table {{ border-collapse: collapse; width: 100%; }}
td, th {{ border-bottom: 1px solid #ddd; padding: .5rem; text-align: left; vertical-align: top; }}
.pass {{ color: #17692b; }} .fail {{ color: #a11; }} .error {{ background: #fee; padding: .75rem; }}
.diagnosis {{ color: #5a3b00; margin: .5rem 0 .2rem; }} ul.diagnosis {{ background: #fff6e0; padding: .4rem 1.6rem; }}
ul {{ margin: 0; padding-left: 1.1rem; }} li {{ margin-bottom: .35rem; }}
code {{ background: #f4f4f4; padding: 0 .2rem; }} img {{ max-width: 100%; }}
</style></head><body>
<h1>{title}</h1>
<p>Score: <strong>{total:g} / {max_total:g}</strong> for the automatically graded tasks.
The written answer is graded by hand.</p>
{error}{sandbox}
<table><tr><th>task</th><th>points</th><th>what the checks found</th></tr>
{rows}
</table>
<p>Each check calls your function on inputs you have not seen and compares what it
returns with the right answer; a message names the check, what was expected and what your
function returned. A later task is checked with working versions of the earlier functions,
so a mistake costs only the points of the task it is in.</p>
{plot}
</body></html>
"""


def feedback_html(record, details=None):
    """A page that explains every lost point, with the training curve when there is one."""
    rows = []
    for task, result in record["tasks"].items():
        passed = rec.passed(result)
        found = (
            "all checks passed"
            if passed
            else ("<ul>" + "".join(f"<li>{html.escape(m)}</li>" for m in result["messages"]) + "</ul>")
        )
        if result.get("diagnosis") and not passed:
            found += '<p class="diagnosis"><strong>What may have gone wrong:</strong></p><ul class="diagnosis">'
            found += "".join(f"<li>{code_text(d)}</li>" for d in result["diagnosis"]) + "</ul>"
        rows.append(
            f'<tr class="{"pass" if passed else "fail"}"><td><code>{task}</code></td>'
            f"<td>{result['points']:g} / {result['max_points']:g}</td><td>{found}</td></tr>"
        )
    error = (
        f'<p class="error">This notebook could not be graded: {html.escape(record["error"])}</p>'
        if record["error"]
        else ""
    )
    from autograder import graders

    plot = "".join(
        _curve(task, data)
        for task, data in graders.page_details(record["assignment"], details).items()
        if "losses" in data and "reference" in data
    )
    return _PAGE.format(
        title=html.escape(f"{record['assignment']}: feedback for {who(record)}"),
        total=record["total"],
        max_total=record["max_total"],
        error=error,
        rows="\n".join(rows),
        plot=plot,
        sandbox=f'<p class="error">{html.escape(unsandboxed(record))}</p>' if unsandboxed(record) else "",
    )


def _curve(task, curve):
    """The section that draws a training task's loss per epoch, the student's beside the reference's."""
    note = (
        ""
        if curve["losses"]
        else (f"<p>Your <code>{task}</code> did not return one loss per epoch, so only the reference run is shown.</p>")
    )
    return (
        f"<h2>Your training run</h2>{note}<p>The loss of every epoch of the graders' full run "
        f"of <code>{task}</code>, yours beside the reference's (same start, data, epochs and "
        f'learning rate).</p><img alt="training loss per epoch, yours and the reference\'s" '
        f'src="data:image/png;base64,{loss_plot(curve["losses"], curve["reference"], task)}">'
    )


def code_text(text):
    """Escaped text whose `backquoted` words read as code."""
    parts = html.escape(text).split("`")
    return "".join(f"<code>{p}</code>" if i % 2 else p for i, p in enumerate(parts))


def unsandboxed(record):
    """A sentence for pages and results when the record's student code ran without the
    sandbox, else "" (a record without the key, from before it existed, says nothing)."""
    from autograder import sandbox

    if record.get("sandboxed", True):
        return ""
    return f"This run was {sandbox.sandboxed()}: student code could read and write the grader's files."


def prepare_drawing(assignments=()):
    """Import matplotlib, and compute what the feedback pages of ``assignments`` draw beside
    each student's data, in a thread: called where a core is free (while a single worker
    starts, or once the last notebooks are being graded), so drawing later costs only the
    drawing.  The judging process imports matplotlib only when it draws."""
    import threading

    def prepare():
        from autograder import graders

        try:
            import matplotlib

            matplotlib.use("Agg")
            import matplotlib.pyplot  # noqa: F401
        except ImportError:
            pass
        for assignment in assignments:
            for task in graders.graded_tasks(assignment):
                graders.page_details(assignment, {task: {}})

    thread = threading.Thread(target=prepare, name="prepare-drawing")
    thread.start()
    return thread


def loss_plot(losses, reference, task):
    """A PNG (base64) of the training loss per epoch, the student's beside the reference's."""
    import base64
    import io

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.5, 3.6))
    ax.semilogy(reference, color="#888", linewidth=2.5, label="reference")
    if losses:
        finite = [v if v == v and 0 < v < float("inf") else float("nan") for v in losses]
        ax.semilogy(finite, color="#c0392b", linewidth=1.2, label=f"your {task}")
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss (log scale)")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=90)
    plt.close(fig)
    return base64.b64encode(buffer.getvalue()).decode()


def _place(folder, record, records):
    """<folder>, or <folder>/<assignment> when the run holds several assignments."""
    if len({r["assignment"] for r in records}) > 1:
        return os.path.join(folder, record["assignment"])
    return folder


def write_feedback(graded, folder):
    """<folder>/<student>.html for every (record, details) (<folder>/<assignment>/<student>.html
    when the run holds several assignments); returns the paths."""
    records = [record for record, _ in graded]
    paths = []
    for record, details in graded:
        path = os.path.join(_place(folder, record, records), f"{who(record)}.html")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(feedback_html(record, details))
        paths.append(path)
    return paths


def text_report(record):
    """A per-task report for the terminal, with the same messages as the graders."""
    lines = [f"{record['notebook']}: {record['total']:g} / {record['max_total']:g}"]
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
        rows.append([who(r), f"{r['total']:g}/{r['max_total']:g}", *marks, *(cols.get(c, "") for c in extra_cols)])
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


def histogram(records, path):
    """A PNG of the distribution of total scores, written to ``path``."""
    with open(path, "wb") as f:
        f.write(histogram_png(records))
    return path


def histogram_png(records):
    """The distribution of total scores, as PNG bytes."""
    import io

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    totals = [r["total"] for r in records]
    top = max((r["max_total"] for r in records), default=1.0)
    fig, ax = plt.subplots(figsize=(6, 3.5))
    bins = [b - 0.5 for b in range(int(top) + 2)]
    ax.hist(totals, bins=bins, color="#3a6ea5", edgecolor="white")
    ax.set_xlabel(f"total score (out of {top:g})")
    ax.set_ylabel("notebooks")
    ax.set_title(f"Scores of {len(records)} notebooks")
    ax.yaxis.get_major_locator().set_params(integer=True)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100)
    plt.close(fig)
    return buffer.getvalue()
