"""Gradescope: an assignment's autograder package, and its results.json.

    python -m autograder.outputs.gradescope build [ASSIGNMENT ...] [--out build/gradescope]
    python -m autograder.outputs.gradescope run --assignment ASSIGNMENT [--root /autograder]

``build`` (``make gradescope``) writes ``<out>/<assignment>.zip`` for each assignment (by default
every one of course_config.ASSIGNMENTS): what the instructor uploads as the assignment's
autograder (``gradescope_package``: what grading needs and nothing else; where a course secret
exists here, that assignment's inputs key, never the secret).  Its ``setup.sh`` builds the image,
its ``run_autograder`` grades a submission by calling ``run``.

``run`` grades the notebook of ``<root>/submission`` (``AUTOGRADER_ROOT``, default /autograder)
into ``<root>/results/results.json``, whatever the upload holds: no notebook, several, one under
another name, or a file that is not a notebook each give a failed test "submission" saying why.
With Gradescope's metadata and the zip's key, the tests shown come from the hidden inputs of the
student's attempt and the score from the final ones (``gradescope_metadata``).

``gradescope_result`` turns a record (docs/records.md) into Gradescope's results.json;
``grade --gradescope DIR`` writes the same for a class (``write_gradescope``).
"""

import argparse
import json
import os
import sys
import tempfile
import time

from autograder import records as rec
from autograder import runner, sandbox
from autograder import settings as config
from autograder.grading import deadlines, inputs
from autograder.outputs import feedback, tables
from autograder.outputs import gradescope_metadata as metadata
from autograder.outputs.gradescope_package import build, package_files  # noqa: F401 - named here too
from autograder.runner import submission as sub
from autograder.settings import ROOT

SKIPPED = ("__MACOSX", ".ipynb_checkpoints")  # folders of an upload that hold no submission
LISTED = 10  # file names an output lists at most


def gradescope_result(record, notes=(), execution_time=None, graded=None):
    """The record as Gradescope's results.json: a test per task (with its messages and
    diagnosis), a failed test "submission" when the notebook could not be graded at all,
    and ``notes`` (about the upload) in the top-level output.  ``graded``, the record of the
    same notebook on the final inputs, gives the score instead: the output says only that the
    score differs from the tests, never what those inputs are."""
    settings = config.ASSIGNMENTS.get(record["assignment"], {}).get("gradescope", {})
    tests = []
    if record["error"]:
        # always visible: the student must learn that the upload itself was wrong, to upload again
        tests.append(_test("submission", 0.0, 0.0, False, f"Not graded: {record['error']}", "visible"))
    for task, result in record["tasks"].items():
        lines = list(result["messages"]) or ["all checks passed"]
        if result.get("diagnosis"):
            lines += ["", "What may have gone wrong:", *(f"- {d}" for d in result["diagnosis"])]
        passed = rec.passed(result)
        visibility = settings.get("test_visibility", "visible")
        tests.append(_test(task, result["points"], result["max_points"], passed, "\n".join(lines), visibility))
    graded = graded or record
    result = {
        "score": deadlines.grade(graded),
        "output": "\n".join([*_summary(record), *_final(record, graded), *_late(graded), *notes]),
        "output_format": "text",  # messages hold "<" and ">", which the default (HTML) would eat
        "visibility": settings.get("visibility", "visible"),
        "tests": tests,
    }
    if execution_time is not None:
        result["execution_time"] = round(execution_time)
    extra = {}
    if "inputs" in graded:  # how each was derived: student, attempt and a digest, nothing of the inputs
        extra["inputs"] = {"tests": record.get("inputs"), "score": graded["inputs"]}
    if graded.get("late"):
        extra["late"] = graded["late"]
    if extra:  # stored with the result, for the instructor; nothing from which the inputs follow
        result["extra_data"] = extra
    return result


def _final(record, graded):
    """What the output says of the score's own grading: nothing where there is none."""
    if graded is record:
        return []
    score = f"{graded['total']:g} / {graded['max_total']:g}"
    if graded["error"] and not record["error"]:
        return [f"The score, {score}, is graded on hidden inputs of its own, and there: {graded['error']}"]
    if graded["total"] == record["total"]:
        return [f"The score, {score}, is graded on hidden inputs of its own, which no feedback shows: the same points."]
    return [
        f"The score, {score}, is graded on hidden inputs of its own, which no feedback shows; "
        f"the tests above ran on this attempt's inputs and give {record['total']:g}."
    ]


def _late(graded):
    """What the output says of the score's lateness (``grading.deadlines``)."""
    if not graded.get("late"):
        return []
    if not graded["late"]["penalty"]:
        return [f"Late: {deadlines.describe(graded['late'])}; it loses no points."]
    after = f"{deadlines.grade(graded):g} / {graded['max_total']:g}"
    return [f"Late: {deadlines.describe(graded['late'])}; the score after the late penalty is {after}."]


def _test(name, score, max_score, passed, output, visibility):
    status = "passed" if passed else "failed"
    keys = ("name", "score", "max_score", "status", "output", "visibility")
    return dict(zip(keys, (name, score, max_score, status, output, visibility)))


def _summary(record):
    if record["error"]:
        return [f"Not graded: {record['error']}"]
    lines = [f"{record['total']:g} / {record['max_total']:g} points for the automatically graded tasks."]
    settings = config.ASSIGNMENTS.get(record["assignment"])
    by_hand = [t for t in settings["points"] if t not in settings["graded_tasks"]] if settings else []
    if by_hand:
        lines.append(f"Graded by hand, not here: {', '.join(by_hand)}.")
    if feedback.unsandboxed(record):
        lines.append(f"WARNING: NOT SANDBOXED. {feedback.unsandboxed(record)} This grade cannot be trusted.")
    return lines


def write_gradescope(records, folder):
    """<folder>/<student>/results.json for every record (<folder>/<assignment>/<student>/... when
    the run holds several assignments) but those the machine could not grade; returns the paths."""
    paths = []
    for r in records:
        if rec.by_machine(r):  # no grade: nothing to upload for it
            continue
        path = os.path.join(feedback._place(folder, r, records), tables.who(r), "results.json")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            json.dump(gradescope_result(r), f, indent=1)
        paths.append(path)
    return paths


def choose(folder, assignment):
    """(the notebook to grade or None, why none, notes): the upload's one ``<assignment>.ipynb``."""
    files, links = [], []  # a link is never read: it could point at the master notebook
    for here, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in SKIPPED)
        for name in sorted(n for n in names if not n.startswith(".")):
            path = os.path.relpath(os.path.join(here, name), folder)
            (links if os.path.islink(os.path.join(here, name)) else files).append(path)
    files += [f"{link} (a symbolic link)" for link in links]
    expected = f"{assignment}.ipynb"
    notebooks = [f for f in files if f.lower().endswith(".ipynb")]
    named = [f for f in notebooks if os.path.basename(f) == expected]
    if len(named) == 1:
        others = [f for f in notebooks if f != named[0]]
        notes = [f"Graded {named[0]}; ignored the other notebooks: {_names(others)}."] if others else []
        return os.path.join(folder, named[0]), None, notes
    if named:
        return None, f"the upload holds {len(named)} notebooks named {expected} ({_names(named)}): upload only one", []
    if len(notebooks) == 1:
        why = (
            f"the notebook must be named {expected}, and the upload's is {notebooks[0]}: rename it and upload it again"
        )
    elif notebooks:
        why = f"the upload holds {len(notebooks)} notebooks, none named {expected} ({_names(notebooks)}): upload yours"
    else:
        found = f"it holds {_names(files)}" if files else "it is empty"
        why = f"the upload holds no notebook ({found}): upload your notebook, {expected}"
    return None, why, []


def _names(paths):
    return ", ".join(paths[:LISTED]) + (f" and {len(paths) - LISTED} more" if len(paths) > LISTED else "")


def not_graded(assignment, reason, submission=None):
    """The record of an upload that holds nothing to grade: every task at 0, saying why."""
    return runner.not_graded(submission or sub.Submission(None, assignment, None), reason)[0]


def run(assignment, root):
    """Grade the upload in <root>/submission into <root>/results/results.json (Gradescope's
    layout); the records' reports go to stdout, which only the instructor sees.  With Gradescope's
    metadata and an inputs key (``gradescope_metadata``) the tests come from the attempt's inputs
    and the score from the final ones."""
    started = time.monotonic()
    out = os.path.join(root, "results", "results.json")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    try:
        metadata.use_key(root)  # before anything reads the secret
        found = metadata.read(root)
        notebook, why, notes = choose(os.path.join(root, "submission"), assignment)
        todo = metadata.submissions(notebook, assignment, found)
        if notebook is None:
            records = [not_graded(assignment, why, todo[0])]
        else:
            print(f"grading {notebook}: {sandbox.sandboxed()}", flush=True)
            if sandbox.warning():
                print(sandbox.warning(), flush=True)
            print(inputs.announce(), flush=True)
            # the assignment is known here: the Submissions are built, not guessed from the file;
            # both gradings on one warm worker (the second pays no start-up)
            with runner.Workers(1) as workers:
                records = runner.grade_all(todo, workers=workers)
        records = [metadata.with_late(r, found) for r in records]
        # the machine, not the upload, kept it from being graded: the run fails, as Gradescope shows it
        faults = [r["error"] for r in records if rec.by_machine(r)]
        failed = RuntimeError(faults[0]) if faults else None
    except Exception as exc:  # noqa: BLE001 - Gradescope must get a results.json whatever happens
        failed = exc
        why = rec.machine_fault(f"the autograder itself failed ({type(exc).__name__}): ask for a regrade")
        records, notes = [not_graded(assignment, why)], []
    _write_json(out, gradescope_result(records[0], notes, time.monotonic() - started, graded=records[-1]))
    for record in records:
        print(tables.text_report({**record, "notebook": record["notebook"] or "(no notebook)"}))
        if "inputs" in record:
            print("hidden inputs: student {student}, attempt {attempt}, secret {secret}".format(**record["inputs"]))
    if failed is not None:
        raise failed
    return 0


def _write_json(path, data):
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".results-", suffix=".json")
    with os.fdopen(fd, "w") as f:
        json.dump(data, f, indent=1)
    os.replace(tmp, path)


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m autograder.outputs.gradescope", description=__doc__.split("\n\n")[0]
    )
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("build", help="write <out>/<assignment>.zip, the autograder to upload to Gradescope")
    make.add_argument("assignments", nargs="*", metavar="ASSIGNMENT", help="default: every assignment")
    make.add_argument("--out", default=os.path.join(ROOT, "build", "gradescope"), help="default: build/gradescope")
    grade = commands.add_parser("run", help="grade <root>/submission into <root>/results/results.json")
    grade.add_argument("--assignment", required=True, choices=list(config.ASSIGNMENTS))
    grade.add_argument("--root", default=os.environ.get("AUTOGRADER_ROOT", "/autograder"))
    args = parser.parse_args(argv)
    if args.command == "run":
        return run(args.assignment, os.path.abspath(args.root))
    unknown = [a for a in args.assignments if a not in config.ASSIGNMENTS]
    if unknown:
        parser.error(
            f"no such assignment: {', '.join(unknown)} (course_config.ASSIGNMENTS has {', '.join(config.ASSIGNMENTS)})"
        )
    for assignment in args.assignments or config.ASSIGNMENTS:
        path = build(assignment, args.out)
        print(f"{path}: {os.path.getsize(path) / 1024:.0f} KiB, to upload as the autograder of {assignment}")
    print(inputs.announce())
    return 0


if __name__ == "__main__":
    sys.exit(main())
