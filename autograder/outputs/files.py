"""Every file one run writes: the records (OUT.json, replaced at once), the pass rates and the
histogram, and, when asked, the feedback pages, the class reports, Gradescope's results and the
nbgrader gradebook; each says where it went."""

import json
import os
import tempfile
import time

from autograder.outputs import class_report, feedback, gradebook, gradescope, plots, tables


def write_all(graded, json_path, pages=None, reports=None, results=None, course=None, say=print, on_written=None):
    """Write the (record, details) of a run to ``json_path``, and the feedback ``pages``, class
    ``reports`` and Gradescope ``results`` to the folders given, and into the gradebook of the
    nbgrader ``course``; ``on_written()`` once the records are in place (a resumable run's
    journal ends then)."""
    records = [record for record, _ in graded]
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(os.path.abspath(json_path)), prefix=".grading-", suffix=".json")
    with os.fdopen(fd, "w") as f:
        json.dump(records, f, indent=1)
    os.replace(tmp, json_path)
    if on_written:
        on_written()
    say(f"wrote {len(records)} record(s) to {json_path}")
    several = len({r["assignment"] for r in records}) > 1
    if records:
        say("")
        say(tables.pass_rates(records))
        png = os.path.splitext(json_path)[0] + ".scores.png"
        say(f"score histogram: {plots.histogram(records, png)}")
    if pages:
        feedback.write_feedback(graded, pages)
        say(f"feedback pages: {pages}/{'<assignment>/' if several else ''}<student>.html")
    if reports:
        started = time.monotonic()
        written = class_report.write(graded, reports)
        for assignment, path in written.items():
            say(f"class report of {assignment}: {path}")
        say(f"class report{'s' * (len(written) > 1)} written in {time.monotonic() - started:.1f} s")
    if results:
        gradescope.write_gradescope(records, results)
        say(f"Gradescope results: {results}/{'<assignment>/' if several else ''}<student>/results.json")
    if course:
        written = gradebook.write(os.path.abspath(course), records)
        say(
            f"gradebook: {written} submission(s) saved in {os.path.join(course, 'gradebook.db')} "
            f"(formgrader and `nbgrader export` read it)"
        )
