"""The grading command: ``python -m autograder grade PATH [PATH ...] --json OUT.json``."""

import argparse
import json
import os
import sys

from autograder import runner
from autograder import submission as sub


def _progress(done, total, record, elapsed):
    who = record["student"] or record["notebook"]
    eta = elapsed / done * (total - done)
    score = "error" if record["error"] else f"{record['total']:g}/{record['max_total']:g}"
    print(f"[{done}/{total}] {who}: {score}  ({elapsed:.0f} s, about {eta:.0f} s to go)",
          file=sys.stderr, flush=True)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m autograder")
    commands = parser.add_subparsers(dest="command", required=True)
    grade = commands.add_parser("grade", help="grade notebooks and write one JSON record per notebook")
    grade.add_argument("paths", nargs="+", metavar="PATH",
                       help="a notebook, or a folder of submissions (submitted/<student>/<assignment>/*.ipynb)")
    grade.add_argument("--json", required=True, metavar="OUT.json", help="where to write the records")
    grade.add_argument("--jobs", type=int, default=None, help="notebooks graded at once (default: one per core)")
    args = parser.parse_args(argv)

    out_dir = os.path.dirname(os.path.abspath(args.json))
    if not os.path.isdir(out_dir) or not os.access(out_dir, os.W_OK):
        parser.error(f"cannot write {args.json}: {out_dir} is not a writable folder")
    try:
        submissions = sub.find(args.paths)
    except FileNotFoundError as exc:
        parser.error(str(exc))
    if not submissions:
        print("no notebooks found", file=sys.stderr)
    records = runner.grade_all(submissions, jobs=args.jobs, progress=_progress)
    tmp = args.json + ".tmp"
    with open(tmp, "w") as f:
        json.dump(records, f, indent=1)
    os.replace(tmp, args.json)
    print(f"wrote {len(records)} record(s) to {args.json}", file=sys.stderr)
    return 0
