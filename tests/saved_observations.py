"""What the example notebooks' functions return on the hidden inputs, saved for the quick tier.

The judging tests (``tests/test_judging.py``) judge these observations in milliseconds instead
of running every example notebook in the sandbox; ``tests/test_grades.py`` checks, through the
sandbox, that a fresh run still gives the same verdicts.  The file records a fingerprint of
everything the observations depend on (the programs sent, which hold the hidden inputs, and the
example answers); when that changes, regenerate it:

    make observations        (or: .venv/bin/python -m tests.saved_observations)

The wrong answers of ``examples/unforeseen`` (``unforeseen(assignment)``) are saved the same
way, compressed, in ``unforeseen-<assignment>.json.gz``: the diagnosis's tests and its measure
(``python -m examples.unforeseen``) read them.
"""

import gzip
import hashlib
import importlib
import json
import os
import sys

from autograder import settings as config
from autograder.grading import graders
from autograder.settings import ROOT
from examples import answers

PATH = os.path.join(ROOT, "tests", "observations", "{assignment}.json")
UNFORESEEN = os.path.join(ROOT, "tests", "observations", "unforeseen-{assignment}.json.gz")


def examples(assignment):
    """{name: notebook}: the solution, the master, the untouched release, every mistake and
    every other correct answer of the assignment."""
    solutions = answers.solutions(assignment)
    notebooks = {
        "solution": answers.notebook(solutions, assignment=assignment),
        "master": answers.notebook({}, base=answers.source(assignment)),
        "untouched_release": answers.notebook({}, assignment=assignment),
    }
    mistakes, variants = answers.EXAMPLES[assignment]
    for edit in mistakes + variants:
        notebooks[edit.name] = answers.notebook(answers.apply(solutions, edit), assignment=assignment)
    return notebooks


def wrong_answers(assignment):
    """The independent wrong answers of the assignment (``examples.unforeseen``)."""
    return importlib.import_module(f"examples.unforeseen.{assignment}").WRONG


def unforeseen(assignment):
    """{student: notebook}: each wrong answer of ``examples.unforeseen``, every other task right."""
    solutions = answers.solutions(assignment)
    return {
        w.student: answers.notebook({**solutions, w.task: w.source}, assignment=assignment)
        for w in wrong_answers(assignment)
    }


def fingerprint(assignment, notebooks):
    digest = hashlib.sha256()
    for task in config.graded_tasks(assignment):
        program = graders.program(assignment, task, graders.cases(assignment, task))
        digest.update(json.dumps(program, sort_keys=True).encode())
    for name, nb in sorted(notebooks.items()):
        digest.update(name.encode())
        digest.update(json.dumps(nb, sort_keys=True).encode())
    return digest.hexdigest()


def _rounded(data):
    """Floats to 9 significant digits, which tell every float32 apart (the students' tensors
    are float32): half the size, the same verdicts."""
    if isinstance(data, float):
        return float(f"{data:.9g}")
    if isinstance(data, list):
        return [_rounded(v) for v in data]
    if isinstance(data, dict):
        return {k: _rounded(v) for k, v in data.items()}
    return data


def load(assignment, which=PATH):
    path = which.format(assignment=assignment)
    with (gzip.open if path.endswith(".gz") else open)(path, "rt") as f:
        return json.load(f)


def main(*assignments):
    for assignment in assignments or answers.EXAMPLES:
        save(assignment)
        save(assignment, UNFORESEEN)


def save(assignment, which=PATH):
    import tempfile

    from autograder import runner
    from autograder.runner import submission as sub

    notebooks = (examples if which == PATH else unforeseen)(assignment)
    with tempfile.TemporaryDirectory() as folder:
        for name, nb in notebooks.items():
            answers.write(nb, os.path.join(folder, name, assignment, f"{assignment}.ipynb"))
        submissions = sub.find([folder])
        outcomes = runner.observe_all(submissions)
    saved = {
        "fingerprint": fingerprint(assignment, notebooks),
        "assignment": assignment,
        "examples": {s.student: _rounded(o.observations) for s, o in zip(submissions, outcomes)},
    }
    path = which.format(assignment=assignment)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    text = json.dumps(saved, separators=(",", ":"), sort_keys=True) + "\n"
    if path.endswith(".gz"):
        with open(path, "wb") as f, gzip.GzipFile(fileobj=f, mode="wb", mtime=0) as z:
            z.write(text.encode())  # the same bytes for the same observations
    else:
        with open(path, "w") as f:
            f.write(text)
    print(f"saved the observations of {len(outcomes)} example notebooks in {os.path.relpath(path, ROOT)}")


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
