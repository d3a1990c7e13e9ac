"""The grading command's arguments (``autograder.cli`` says what each command does)."""

import argparse
import os
import sys

from autograder.grading import inputs
from autograder.outputs import canvas


def parser():
    command = os.path.basename(sys.argv[0])
    parser = argparse.ArgumentParser(prog="autograder" if command == "autograder" else "python -m autograder")
    commands = parser.add_subparsers(dest="command", required=True)
    grade = commands.add_parser(
        "grade", help="grade notebooks and write one JSON record (its points and messages) per notebook"
    )
    grade.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="a notebook, or a folder of submissions (submitted/<student>/<assignment>/*.ipynb)",
    )
    grade.add_argument(
        "--json", required=True, metavar="OUT.json", help="where to write the records (their format: docs/records.md)"
    )
    grade.add_argument(
        "--assignment", metavar="NAME", help="grade only the notebooks of this assignment (default: all found)"
    )
    grade.add_argument("--jobs", type=int, default=None, help="notebooks graded at once (default: one per core)")
    grade.add_argument(
        "--course",
        metavar="ROOT",
        help="an nbgrader course folder whose gradebook.db and autograded/ receive the grades",
    )
    grade.add_argument("--gradescope", metavar="DIR", help="write DIR/<student>/results.json for Gradescope")
    grade.add_argument("--feedback", metavar="DIR", help="write DIR/<student>.html, a feedback page per notebook")
    grade.add_argument(
        "--report", metavar="DIR", help="write DIR/<assignment>.html, a class report per assignment (and a CSV)"
    )
    grade.add_argument("--fresh", action="store_true", help="regrade everything, even after an interrupted run")
    grade.add_argument("--quiet", action="store_true", help="no progress lines")
    grade.add_argument(
        "--shard",
        metavar="K/N",
        help="grade only part K of N of the class (split by student) into a file for `merge` to join; "
        "without it, Kubernetes Indexed Jobs and Slurm job arrays say which part",
    )
    grade.add_argument(
        "--attempt",
        type=_attempt,
        default=inputs.FINAL,
        metavar="N",
        help="grade on the hidden inputs of the student's submission N (as its feedback showed them) instead of "
        "the ones of the grade, which no feedback shows",
    )
    merge = commands.add_parser(
        "merge", help="join the files of a class graded in parts on several machines (`grade --shard`)"
    )
    merge.add_argument("shards", nargs="+", metavar="SHARD.json", help="the files `grade --shard K/N --json` wrote")
    merge.add_argument("--json", required=True, metavar="OUT.json", help="where to write the records")
    merge.add_argument("--course", metavar="ROOT", help="as for grade")
    merge.add_argument("--gradescope", metavar="DIR", help="as for grade")
    merge.add_argument("--feedback", metavar="DIR", help="as for grade")
    merge.add_argument("--report", metavar="DIR", help="as for grade")
    check = commands.add_parser("check", help="grade one notebook and print a report per task")
    check.add_argument("notebook", metavar="NOTEBOOK")
    check.add_argument(
        "--html", metavar="OUT.html", help="where to write the feedback page (default: beside the notebook)"
    )
    export = commands.add_parser("export", help="write the grades of a run for Canvas's gradebook import")
    export.add_argument("out", metavar="CANVAS.csv", help="where to write the import file")
    export.add_argument(
        "--canvas", required=True, metavar="ROSTER.csv", help="Canvas's gradebook export (Grades > Export)"
    )
    export.add_argument("--json", required=True, metavar="OUT.json", help="the records `grade` or `merge` wrote")
    export.add_argument(
        "--course",
        metavar="ROOT",
        help="the nbgrader course folder: its gradebook's grades given by hand (formgrader) are added",
    )
    export.add_argument(
        "--match",
        choices=canvas.MATCH_COLUMNS,
        default="SIS Login ID",
        help="the roster's column that holds the records' students: nbgrader's folder names, or the user ids of a "
        "Canvas download (--match ID) (default: SIS Login ID; case ignored)",
    )
    serve = commands.add_parser("serve", help="grade each submission to nbgrader's exchange as it arrives")
    serve.add_argument("--exchange", required=True, metavar="ROOT", help="nbgrader's exchange (Exchange.root)")
    serve.add_argument("--course", required=True, metavar="ROOT", help="the nbgrader course folder (its gradebook.db)")
    serve.add_argument("--queue", default="sqlite", help="sqlite (default: in --state) or a redis:// URL")
    serve.add_argument(
        "--state",
        metavar="DIR",
        help="the service's state: what it did with each submission, and its queue (default: ROOT/.service)",
    )
    serve.add_argument("--jobs", type=int, default=None, help="notebooks graded at once (default: one per core)")
    serve.add_argument("--worker", action="store_true", help="grade only, for a Redis queue another machine serves")
    secret = commands.add_parser(
        "secret", help="make the course secret from which each student's hidden inputs are derived"
    )
    secret.add_argument(
        "--rotate", action="store_true", help="a new secret for a new term (the old file is kept beside it)"
    )
    new = commands.add_parser(
        "new", help="write a new assignment from the skeleton: one code task and one written answer"
    )
    new.add_argument("name", metavar="NAME", help="the assignment's name, a Python identifier not taken yet")
    return parser


def _attempt(text):
    if text == inputs.FINAL:
        return text
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"an attempt is a number from 1, or {inputs.FINAL}: not {text!r}")
    return int(text)
