"""The demo: build the course, grade an example class both ways, write grades and feedback.

    make demo        (or: .venv/bin/python -m examples.demo)

Everything it grades and writes is in build/demo/, its own; it never touches the course
folder's submitted/, autograded/, feedback/ or gradebook.db, where a real class lives.

1. regenerates release/ and solutions/ from source/ with nbgrader (as ``make goldens``), in a
   course folder of its own, build/demo/course/, and copies them to the repository's;
2. writes an example class to build/demo/course/submitted/<student>/<assignment>/: correct,
   partly wrong and broken notebooks of both assignments, built from examples/answers.py;
3. grades it with ``nbgrader autograde`` for each assignment (which runs the kit's sandboxed
   grading through its preprocessor) into that course's gradebook (build/demo/course/gradebook.db),
   then with ``python -m autograder grade --course build/demo/course``, both assignments in one
   run: build/demo/results.json, the same gradebook and autograded/ (what formgrader shows), a
   pass-rate table, a histogram, Gradescope results and a class report per assignment
   (build/demo/report/<assignment>.html);
4. writes build/demo/grades.csv (``nbgrader export``), build/demo/tasks.csv (points per
   task) and build/demo/feedback/<assignment>/<student>.html;
5. prints a score table per assignment, with nbgrader's score beside the kit's, where the
   reports are, and each assignment's most common known mistake.

``--small`` grades two students per assignment instead of the whole class (for the tests).
"""

import argparse
import json
import os
import shutil
import sys
import time

from autograder import cli
from autograder import settings as config
from autograder.nbgrader import course
from autograder.outputs import class_report, gradebook, tables
from autograder.settings import ROOT
from examples import answers, independent

OUT = os.path.join(ROOT, "build", "demo")
COURSE = os.path.join(OUT, "course")  # the demo's own nbgrader course folder
SMALL = ("ada", "ben")  # the students of --small
ANSWER = (
    "We fitted three parameters to a single number. One equation with three unknowns has "
    "infinitely many solutions, and training stopped at one of them. Fitting every partial "
    "sum of many signals gives enough equations to pin the parameters down."
)
SHORT_ANSWER = "Because there is too little data."


def example_class():
    """{student: notebook JSON text}: a small class with the usual spread of work.  Each student
    writes in a way of their own (examples/independent.py); a mistake is the master solution of
    its task with that mistake made, and hal hands in ada's notebook in disguise."""
    s = answers.solutions()

    def with_edits(student, *names, answer=ANSWER):
        a = dict(independent.answers(student), why_wrong=answer)
        for name in names:
            edit = answers.edit(name)
            a[edit.task] = answers.apply(s, edit)[edit.task]
        return a

    syntax_error = with_edits(3)
    syntax_error["model"] = s["model"].replace("for frame in range(frames):", "for frame in range(frames)")
    return {
        "ada": answers.notebook(with_edits(0)),  # everything right
        "ben": answers.notebook(with_edits(1, "forgotten_bias", "summed_loss", answer=SHORT_ANSWER)),
        "chloe": answers.notebook(with_edits(2, "swapped_batch_dimensions", "missing_zero_grad")),
        "dev": answers.notebook(syntax_error),  # a syntax error in model
        "emil": answers.notebook({}),  # submitted the release untouched
        "fay": answers.not_json(answers.notebook(with_edits(4))),  # the upload was cut short
        "gus": answers.notebook(with_edits(5, "stacked_states", "parameters_as_nn_parameter", "manual_sgd")),
        "hal": answers.notebook(independent.disguised_copy(with_edits(0))),  # ada's, renamed and laid out anew
        "ivy": answers.notebook(with_edits(6, "forgotten_bias", "missing_zero_grad")),
    }


LAYERS_ANSWER = (
    "One linear layer weighs a frame k steps back by WEIGHTF * WEIGHTS**k, a geometric series, but the "
    "sums of the partial sums need weight k + 1. Two layers compose two such series: with all weights 1 "
    "the first gives the partial sums and the second adds them up."
)


def layers_class():
    """{student: notebook} for rnn_layers: the same class, a week later, each again in a way of
    their own."""
    s = answers.solutions("rnn_layers")

    def with_edits(student, *names):
        a = dict(independent.answers(student, "rnn_layers"), why_one_layer=LAYERS_ANSWER)
        for name in names:
            edit = answers.edit(name)
            a[edit.task] = answers.apply(s, edit)[edit.task]
        return answers.notebook(a, assignment="rnn_layers")

    return {
        "ada": with_edits(0),
        "ben": with_edits(1, "layer_2_fed_the_signal", "train_without_zero_grad"),
        "chloe": with_edits(2, "tanh_activation_function"),
        "emil": answers.notebook({}, assignment="rnn_layers"),
        "gus": with_edits(5, "layer_stacks_a_list", "manual_sgd_over_six"),
        "ivy": with_edits(6, "tanh_activation_function", "train_without_zero_grad"),
    }


def build_course():
    """The demo's course folder: source/ copied from the repository, release/, solutions/ and a
    gradebook generated by nbgrader; release/ and solutions/ are then copied to the repository's
    (what ``make goldens`` does there, without a gradebook at the repository's root)."""
    shutil.copytree(os.path.join(ROOT, "source"), os.path.join(COURSE, "source"))
    course.build(COURSE)
    for folder in ("release", "solutions"):
        for assignment in config.ASSIGNMENTS:
            generated = os.path.join(COURSE, folder, assignment)
            committed = os.path.join(ROOT, folder, assignment)
            shutil.rmtree(committed, ignore_errors=True)
            shutil.copytree(generated, committed)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m examples.demo", description=__doc__.split("\n")[0])
    parser.add_argument("--small", action="store_true", help=f"grade only {' and '.join(SMALL)} (for the tests)")
    args = parser.parse_args(argv)
    t0 = time.monotonic()
    shutil.rmtree(OUT, ignore_errors=True)  # the demo's own folder, and only it
    os.makedirs(OUT)

    print(f"1. regenerating release/ and solutions/ with nbgrader, in {COURSE} ...", flush=True)
    build_course()

    classes = {"rnn_sum": example_class(), "rnn_layers": layers_class()}
    if args.small:
        classes = {a: {s: nb for s, nb in c.items() if s in SMALL} for a, c in classes.items()}
    submitted = os.path.join(COURSE, "submitted")
    print(
        f"2. writing an example class to {submitted}: "
        + ", ".join(f"{len(c)} notebooks of {a}" for a, c in classes.items()),
        flush=True,
    )
    for assignment, students in classes.items():
        for student, nb in students.items():
            answers.write(nb, os.path.join(submitted, student, assignment, f"{assignment}.ipynb"))

    print("3a. nbgrader autograde, each assignment (through the kit's sandboxed preprocessor) ...", flush=True)
    t = time.monotonic()
    procs = [course.nbgrader(COURSE, "autograde", a, "--force", check=False) for a in classes]
    stock_seconds = time.monotonic() - t
    stock = {a: gradebook.scores(COURSE, a, total=True) for a in classes}
    # students nbgrader could not grade: it leaves no autograded notebook for them
    dropped = {
        (a, s) for a, c in classes.items() for s in c if not os.path.exists(os.path.join(COURSE, "autograded", s, a))
    }
    print(
        f"    {stock_seconds:.1f} s; the gradebook holds {sum(len(v) for v in stock.values())} of "
        f"{sum(len(c) for c in classes.values())} submissions",
        flush=True,
    )

    print(
        f"3b. python -m autograder grade {submitted} --course {COURSE} (both assignments in one run, same "
        "gradebook) ...",
        flush=True,
    )
    t = time.monotonic()
    results = os.path.join(OUT, "results.json")
    status = cli.main(
        [
            "grade",
            submitted,
            "--json",
            results,
            "--course",
            COURSE,
            "--gradescope",
            os.path.join(OUT, "gradescope"),
            "--feedback",
            os.path.join(OUT, "feedback"),
            "--report",
            os.path.join(OUT, "report"),
            "--fresh",
        ]
    )
    kit_seconds = time.monotonic() - t
    if status != 0:
        return status
    with open(results) as f:
        records = json.load(f)
    print(f"    {kit_seconds:.1f} s", flush=True)

    print("4. writing grades and feedback ...", flush=True)
    course.nbgrader(COURSE, "export", f"--CsvExportPlugin.to={os.path.join(OUT, 'grades.csv')}")
    tables.write_csv(records, os.path.join(OUT, "tasks.csv"))

    extra = {}
    for r in records:
        key = (r["assignment"], r["student"])
        got = None if key in dropped else stock[r["assignment"]].get(r["student"])
        if got is None:
            note = "nbgrader dropped this student (its CSV shows 0)"
        else:
            same = all(got.get(t) == r["tasks"][t]["points"] for t in r["tasks"])
            note = "same per task" if same else "DIFFERENT per task"
        extra[key] = {
            "nbgrader": "-" if got is None else f"{got['score']:g}",
            "note": note + (f"; not graded: {r['error']}" if r["error"] else ""),
        }
    print()
    print(tables.score_table(records, extra))
    print()
    print(f"results (the grading command's JSON): {results}")
    print(f"score histogram:                      {os.path.splitext(results)[0]}.scores.png")
    print(
        f"Gradescope results:                   {os.path.join(OUT, 'gradescope')}/<assignment>/<student>/results.json"
    )
    print(f"grades, per task:                     {os.path.join(OUT, 'tasks.csv')}")
    print(f"grades, nbgrader export:              {os.path.join(OUT, 'grades.csv')}")
    print(f"feedback, one page per submission:    {os.path.join(OUT, 'feedback')}/<assignment>/<student>.html")
    for assignment in classes:
        print(f"{'class report of ' + assignment + ':':37s} {os.path.join(OUT, 'report', assignment + '.html')}")
    for assignment in classes:
        summary = class_report.summarise(assignment, [(r, {}) for r in records if r["assignment"] == assignment])
        common = class_report.most_common_diagnosis(summary)
        said = f"`{common[0]}`, {common[2]} student(s): {common[1]}" if common else "none recognised"
        print(f"most common known mistake in {assignment}: {said}")
    print(f"gradebook (formgrader, nbgrader export): {os.path.join(COURSE, 'gradebook.db')}")
    print(
        f"nbgrader autograde {stock_seconds:.1f} s, python -m autograder grade {kit_seconds:.1f} s; "
        f"demo {time.monotonic() - t0:.0f} s in all"
    )
    if any(proc.returncode != 0 for proc in procs):
        print(
            "(nbgrader autograde reported errors for the notebooks it could not grade; the kit's records above say why)"
        )


if __name__ == "__main__":
    sys.exit(main())
