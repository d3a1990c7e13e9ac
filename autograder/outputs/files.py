"""Every file one run writes: the records (OUT.json, replaced at once), the pass rates and the
histogram, and, when asked, the feedback pages, the class reports, Gradescope's results and the
nbgrader gradebook; each says where it went.  What a run would write over (records, pages,
results, a gradebook that holds grades) is first kept beside itself as a dated copy
(``keep``), and the run says so.  A run as root (the sandbox's users need it) hands what it
wrote to whoever owns the folder it wrote into (``hand_back``): an instructor's course folder
holds no file its owner cannot change or remove."""

import json
import os
import sqlite3
import tempfile
import time

from autograder.outputs import class_report, feedback, gradebook, gradescope, keep, plots, tables


def write_all(graded, json_path, pages=None, reports=None, results=None, course=None, say=print, on_written=None):
    """Write the (record, details) of a run to ``json_path``, and the feedback ``pages``, class
    ``reports`` and Gradescope ``results`` to the folders given, and into the gradebook of the
    nbgrader ``course``; ``on_written()`` once the records are in place (a resumable run's
    journal ends then).  Each of them that already holds something is kept first (``keep``)."""
    records = [record for record, _ in graded]
    written = [keep.keep(json_path, say, "records"), json_path]
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
        written.append(png)
    if pages:
        written += [keep.keep(pages, say, "feedback pages"), pages]
        feedback.write_feedback(graded, pages)
        say(f"feedback pages: {pages}/{'<assignment>/' if several else ''}<student>.html")
    if reports:
        written += [keep.keep(reports, say, "class reports"), reports]
        started = time.monotonic()
        made = class_report.write(graded, reports)
        for assignment, path in made.items():
            say(f"class report of {assignment}: {path}")
        say(f"class report{'s' * (len(made) > 1)} written in {time.monotonic() - started:.1f} s")
    if results:
        written += [keep.keep(results, say, "Gradescope results"), results]
        gradescope.write_gradescope(records, results)
        say(f"Gradescope results: {results}/{'<assignment>/' if several else ''}<student>/results.json")
    if course:
        db = os.path.join(course, "gradebook.db")
        if holds_grades(db):  # nbgrader keeps hand grades and comments beside the scores this run saves
            written.append(keep.keep(db, say, "gradebook"))
        saved = gradebook.write(os.path.abspath(course), records)
        written += [db, os.path.join(course, "autograded")]
        say(
            f"gradebook: {saved} submission(s) saved in {os.path.join(course, 'gradebook.db')} "
            f"(formgrader and `nbgrader export` read it)"
        )
    hand_back(written)


def hand_back(paths):
    """Run as root, give each of ``paths`` (a folder: all it holds) to the owner of the folder
    that holds it, where that owner is not root; links are changed, never followed."""
    if os.geteuid() != 0:
        return
    for path in filter(None, paths):
        if not os.path.lexists(path):
            continue
        holder = os.stat(os.path.dirname(os.path.abspath(path)))
        if holder.st_uid == 0:
            continue
        os.lchown(path, holder.st_uid, holder.st_gid)
        if os.path.isdir(path) and not os.path.islink(path):
            for folder, dirs, names in os.walk(path):
                for name in dirs + names:
                    os.lchown(os.path.join(folder, name), holder.st_uid, holder.st_gid)


def holds_grades(db):
    """Whether nbgrader's gradebook ``db`` holds a submission (so grades, perhaps by hand), not
    just the assignments ``nbgrader generate_assignment`` put there."""
    if not keep.holds_something(db):
        return False
    connection = sqlite3.connect(db)
    try:
        return connection.execute("SELECT 1 FROM submitted_assignment LIMIT 1").fetchone() is not None
    except sqlite3.DatabaseError:  # not a gradebook of nbgrader's: keep it anyway
        return True
    finally:
        connection.close()


def write_page(path, html, say):
    """Write the page ``html`` to ``path``, keeping what a page there held as a dated copy."""
    keep.keep(path, say, "page")
    with open(path, "w") as f:
        f.write(html)
