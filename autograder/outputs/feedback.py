"""One feedback page per student: each task's points, the failed checks' messages, the known
mistake they look like, and the training curve beside the reference's."""

import html
import os

from autograder import records as rec
from autograder import sandbox
from autograder.grading import deadlines, graders, inputs
from autograder.outputs.plots import loss_plot
from autograder.outputs.tables import who

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


def _drawn(record, details):
    """The page's data: the details with the reference run on the notebook's own hidden inputs,
    or without it where they were derived from a secret this machine does not hold."""
    try:
        seed = inputs.seed_of(record["assignment"], record.get("inputs"))
    except inputs.SecretError:
        return details or {}
    return graders.page_details(record["assignment"], details, seed)


def feedback_html(record, details=None, shows=("score", "messages", "diagnosis"), note=""):
    """A page that explains every lost point, with the training curve when there is one; with
    ``shows`` without "messages" (the grading service's policy, ``on_submit``) only each task's
    points, without "diagnosis" no known mistake; ``note``, a sentence on top."""
    rows = []
    for task, result in record["tasks"].items():
        passed = rec.passed(result)
        found = (
            "all checks passed"
            if passed
            else ("<ul>" + "".join(f"<li>{html.escape(m)}</li>" for m in result["messages"]) + "</ul>")
            if "messages" in shows
            else "some checks failed"
        )
        if result.get("diagnosis") and not passed and "diagnosis" in shows:
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
    if record.get("late"):
        error += (
            f'<p class="error">Handed in {html.escape(deadlines.describe(record["late"]))}: the grade is '
            f"{deadlines.grade(record):g} of {record['max_total']:g} points.</p>"
        )
    plot = "".join(
        _curve(task, data)
        for task, data in _drawn(record, details).items()
        if "losses" in data and "reference" in data and "messages" in shows
    )
    return _PAGE.format(
        title=html.escape(f"{record['assignment']}: feedback for {who(record)}"),
        total=record["total"],
        max_total=record["max_total"],
        error=(f"<p>{html.escape(note)}</p>" if note else "") + error,
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
    if record.get("sandboxed", True):
        return ""
    return (
        f"This run was {sandbox.sandboxed()}: student code ran outside a sandbox that holds, "
        "so this grade cannot be trusted."
    )


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
        try:
            page = feedback_html(record, details)
        except Exception as exc:  # noqa: BLE001 - one record's page must not cost the others theirs
            page = _plain_page(record, exc)
        with open(path, "w") as f:
            f.write(page)
        paths.append(path)
    return paths


def held_page(assignment, student, note):
    """The page of a submission the service graded without feedback: ``note`` says why, and when
    the next feedback is due."""
    title = html.escape(f"{assignment}: feedback for {student}")
    return (
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{title}</title></head>"
        f"<body><h1>{title}</h1><p>{html.escape(note)}</p></body></html>\n"
    )


def _plain_page(record, exc):
    """The record's points and messages, as text, when its full page could not be drawn."""
    lines = [f"{task}: {result['points']:g} / {result['max_points']:g}" for task, result in record["tasks"].items()]
    lines += [f"- {m}" for result in record["tasks"].values() for m in result["messages"]]
    text = html.escape("\n".join(str(line) for line in lines))
    return (
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{html.escape(str(who(record)))}</title>"
        f"</head><body><p>This page could not be drawn in full ({type(exc).__name__}); your results:</p>"
        f"<pre>{text}</pre></body></html>\n"
    )
