"""The grading command.

    python -m autograder grade PATH [PATH ...] --json OUT.json
        [--jobs N] [--course ROOT] [--gradescope DIR] [--feedback DIR] [--fresh]
    python -m autograder check NOTEBOOK

``grade`` is for a class.
Writes one record per notebook to OUT.json (../shared/CONTRACT.md), prints the pass rate
of each task and saves a histogram of the scores beside OUT.json.  With ``--course`` it
also fills that nbgrader course's gradebook and autograded/ notebooks (formgrader and
``nbgrader export`` read them); with ``--gradescope`` it writes a Gradescope
``results.json`` per notebook.  With ``--feedback`` it writes one page per student
that explains every lost point, with the student's training curve beside the reference's.
An interrupted run resumes where it stopped when the same command runs again (``--fresh``
starts over).

``check`` is for a student or a self-learner: it grades one notebook as ``grade`` would,
prints a report per task and writes the feedback page beside the notebook.
"""

import argparse
import json
import os
import sys
import tempfile

from autograder import gradebook, journal, report, runner, sandbox
from autograder import submission as sub


def _parser():
    command = os.path.basename(sys.argv[0])
    parser = argparse.ArgumentParser(prog="autograder" if command == "autograder" else "python -m autograder")
    commands = parser.add_subparsers(dest="command", required=True)
    grade = commands.add_parser("grade", help="grade notebooks and write one JSON record per notebook")
    grade.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="a notebook, or a folder of submissions (submitted/<student>/<assignment>/*.ipynb)",
    )
    grade.add_argument("--json", required=True, metavar="OUT.json", help="where to write the records")
    grade.add_argument("--jobs", type=int, default=None, help="notebooks graded at once (default: one per core)")
    grade.add_argument(
        "--course",
        metavar="ROOT",
        help="an nbgrader course folder whose gradebook.db and autograded/ receive the grades",
    )
    grade.add_argument("--gradescope", metavar="DIR", help="write DIR/<student>/results.json for Gradescope")
    grade.add_argument("--feedback", metavar="DIR", help="write DIR/<student>.html, a feedback page per notebook")
    grade.add_argument("--fresh", action="store_true", help="regrade everything, even after an interrupted run")
    grade.add_argument("--quiet", action="store_true", help="no progress lines")
    check = commands.add_parser("check", help="grade one notebook and print a report per task")
    check.add_argument("notebook", metavar="NOTEBOOK")
    check.add_argument(
        "--html", metavar="OUT.html", help="where to write the feedback page (default: beside the notebook)"
    )
    return parser


def main(argv=None):
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command == "check":
        return check(parser, args)
    out_dir = os.path.dirname(os.path.abspath(args.json))
    if not os.path.isdir(out_dir) or not os.access(out_dir, os.W_OK):
        parser.error(f"cannot write {args.json}: {out_dir} is not a writable folder")
    if args.course and not os.path.isfile(os.path.join(args.course, "gradebook.db")):
        parser.error(f"{args.course} has no gradebook.db: run `nbgrader generate_assignment` there first")
    try:
        submissions = sub.find(args.paths)
    except FileNotFoundError as exc:
        parser.error(str(exc))

    def say(text):
        print(text, file=sys.stderr, flush=True)

    if sandbox.warning():
        say(sandbox.warning())
    graders = journal.fingerprint({s.assignment for s in submissions})
    keys = {s.notebook: journal.key(s, graders) for s in submissions}
    log = journal.Journal(args.json, fresh=args.fresh)
    todo = [s for s in submissions if keys[s.notebook] not in log.done]
    if len(todo) < len(submissions):
        say(
            f"resuming: {len(submissions) - len(todo)} of {len(submissions)} notebooks were graded "
            f"before (delete {log.path} or pass --fresh to regrade them)"
        )

    def progress(done, total, record, elapsed, details):
        log.add(keys[record["notebook"]], record, details)
        if not args.quiet:
            who = record["student"] or record["notebook"]
            score = "not graded" if record["error"] else f"{record['total']:g}/{record['max_total']:g}"
            eta = elapsed / done * (total - done)
            say(f"[{done}/{total}] {who}: {score}  ({elapsed:.0f} s, about {eta:.0f} s to go)")

    try:
        fresh = runner.grade_all(todo, jobs=args.jobs, progress=progress, with_details=True)
    except KeyboardInterrupt:
        log.close()
        say(
            f"interrupted: the records graded so far are kept in {log.path}; "
            "run the same command again to go on from there"
        )
        return 130
    except runner.WorkerFailed as exc:
        log.close()
        say(f"error: {exc}; the records graded so far are kept in {log.path}")
        return 2
    by_notebook = {r["notebook"]: (r, d) for r, d in fresh}
    graded = [by_notebook.get(s.notebook) or log.done[keys[s.notebook]] for s in submissions]
    records = [record for record, _ in graded]

    fd, tmp = tempfile.mkstemp(dir=out_dir, prefix=".grading-", suffix=".json")
    with os.fdopen(fd, "w") as f:
        json.dump(records, f, indent=1)
    os.replace(tmp, args.json)
    log.finish()
    say(f"wrote {len(records)} record(s) to {args.json}")

    if records:
        say("")
        say(report.pass_rates(records))
        png = os.path.splitext(args.json)[0] + ".scores.png"
        say(f"score histogram: {report.histogram(records, png)}")
    if args.feedback:
        report.write_feedback(graded, args.feedback)
        several = len({r["assignment"] for r in records}) > 1
        say(f"feedback pages: {args.feedback}/{'<assignment>/' if several else ''}<student>.html")
    if args.gradescope:
        report.write_gradescope(records, args.gradescope)
        several = len({r["assignment"] for r in records}) > 1
        say(f"Gradescope results: {args.gradescope}/{'<assignment>/' if several else ''}<student>/results.json")
    if args.course:
        written = gradebook.write(os.path.abspath(args.course), records)
        say(
            f"gradebook: {written} submission(s) saved in {os.path.join(args.course, 'gradebook.db')} "
            f"(formgrader and `nbgrader export` read it)"
        )
    if sandbox.warning():
        say(sandbox.warning())
    return 0


def check(parser, args):
    """One notebook, graded as the class is, reported per task."""
    if not os.path.isfile(args.notebook):
        parser.error(f"no such notebook: {args.notebook}")
    if sandbox.warning():
        print(sandbox.warning(), file=sys.stderr)
    [(record, details)] = runner.grade_all(sub.find([args.notebook]), jobs=1, with_details=True)
    print(report.text_report(record))
    html = args.html or os.path.splitext(args.notebook)[0] + ".feedback.html"
    with open(html, "w") as f:
        f.write(report.feedback_html(record, details))
    print(f"\nfeedback page with your training curve: {html}")
    return 0
