"""Grading a class: stock ``nbgrader autograde`` against ``python -m autograder grade``.

"Stock" is nbgrader's own in-kernel grading (``Execute``, the hidden checks in each student's
kernel), as a course without the kit's ``KitAutograde`` preprocessor would run it.

Generates a class of N honest submissions (the solution, other correct answers and the
typical mistakes of examples/answers.py, in turn), grades it both ways in one run, and
prints both wall times, seconds per submission and the ratio, for a section (12) and a
lecture (100) by default; then the kit's fixed cost per run (its wall time extrapolated to
no notebooks).  It checks that every submission gets the same points per task both ways.
It also measures the floor: the graders' own compute per submission (running the notebook's cells and the checks, and
judging) in one warm process, with no process start, fork, sandbox or pipes; the kit's
wall time is compared with that floor spread over the machine's cores.

With ``--report`` it also grades each class once more with ``--report`` and prints what the
class report itself cost, against the run without it.

    .venv/bin/python bench/class_speed.py [--students 12,100] [--jobs 2] [--skip-stock] [--report]
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

from autograder.nbgrader import course
from autograder.outputs import gradebook
from autograder.settings import ROOT
from examples import answers


def make_class(root, n, assignments):
    """n submissions, the assignments in turn: [(student, assignment)]."""
    variants = {}
    for assignment in assignments:
        solutions = answers.solutions(assignment)
        mistakes, others = answers.EXAMPLES[assignment]
        variants[assignment] = [answers.notebook(solutions, assignment=assignment)] + [
            answers.notebook(answers.apply(solutions, e), assignment=assignment) for e in others + mistakes
        ]
    students = []
    for i in range(n):
        student, assignment = f"student{i:03d}", assignments[i % len(assignments)]
        pool = variants[assignment]
        nb = pool[(i // len(assignments)) % len(pool)]
        answers.write(nb, os.path.join(root, "submitted", student, assignment, f"{assignment}.ipynb"))
        students.append((student, assignment))
    return students


IN_KERNEL = """# the baseline only: stock nbgrader's way, the hidden checks in the student's kernel
from autograder.grading import graders
_cases = graders.cases({assignment!r}, {task!r})
_observed = graders.observe_here({assignment!r}, {task!r}, globals(), _cases)
_messages = graders.judge({assignment!r}, {task!r}, _cases, _observed)
assert not _messages, _messages
"""

STOCK_CONFIG = """c = get_config()
from autograder.nbgrader.config import configure
configure(c)
from nbgrader.converters.autograde import Autograde
c.Autograde.autograde_preprocessors = Autograde.class_traits()["autograde_preprocessors"].default()
"""


def stock_course(root, assignment):
    """The course as stock nbgrader grades one: the hidden checks run in each student's kernel
    (nbgrader's Execute), as in a course without the kit's preprocessor.  The kit's settings
    (timeouts, immediate kernel shutdown) stay, so the comparison is of the grading itself."""
    path = os.path.join(root, "source", assignment, f"{assignment}.ipynb")
    with open(path) as f:
        nb = json.load(f)
    for cell in nb["cells"]:
        grade_id = cell["metadata"].get("nbgrader", {}).get("grade_id", "")
        if grade_id.startswith("test_"):
            cell["source"] = (
                "### BEGIN HIDDEN TESTS\n"
                + IN_KERNEL.format(assignment=assignment, task=grade_id[5:])
                + "### END HIDDEN TESTS\n"
            )
    with open(path, "w") as f:
        json.dump(nb, f)
    with open(os.path.join(root, "nbgrader_config.py"), "w") as f:
        f.write(STOCK_CONFIG)


def floor_seconds(root, students, sample):
    """Mean seconds of the graders' own work per submission, in one warm process."""
    code = (
        "import sys, time, json\n"
        "import matplotlib; matplotlib.use('Agg'); import matplotlib.pyplot\n"
        "import torch; torch.set_num_threads(1)\n"
        "torch.optim.SGD([torch.zeros((), requires_grad=True)], lr=0.1)\n"
        "from traitlets.config import Config\n"
        "from IPython.core.interactiveshell import InteractiveShell\n"
        "from autograder import settings as config\n"
        "from autograder.grading import graders\n"
        "from autograder.runner import submission as sub\n"
        "c = Config(); c.HistoryManager.enabled = False\n"
        "masters = {}\n"
        "import gc; gc.freeze()  # as the workers do before they fork\n"
        "total = 0.0\n"
        "paths = json.loads(sys.argv[1])\n"
        "for path, a in paths:\n"
        "    master = masters.setdefault(a, sub.master_cells(a))\n"
        "    start = time.perf_counter()\n"
        "    InteractiveShell.clear_instance()\n"
        "    shell = InteractiveShell.instance(config=c)\n"
        "    tasks = config.graded_tasks(a)\n"
        "    cases = {t: graders.cases(a, t) for t in tasks}\n"
        "    steps = sub.plan(sub.load(path), master, tasks, cases)\n"
        "    for step in steps:\n"
        "        if step.kind == 'code':\n"
        "            shell.run_cell(step.source, store_history=False, silent=True)\n"
        "        else:\n"
        "            graders.judge(a, step.task, step.cases,\n"
        "                          graders.observe_here(a, step.task, shell.user_ns, step.cases))\n"
        "    total += time.perf_counter() - start\n"
        "print(total / len(paths))\n"
    )
    paths = [(os.path.join(root, "submitted", s, a, f"{a}.ipynb"), a) for s, a in students[:sample]]
    out = subprocess.run(
        [sys.executable, "-c", code, json.dumps(paths)],
        capture_output=True,
        text=True,
        cwd=tempfile.gettempdir(),
        env={**os.environ, "MPLBACKEND": "Agg"},
    )
    return float(out.stdout.strip().splitlines()[-1])


def grade_with_kit(root, jobs, *more):
    """The wall time of ``python -m autograder grade`` on the class, its records, and what it printed."""
    start = time.monotonic()
    command = [sys.executable, "-m", "autograder", "grade", "submitted", "--json", "kit.json", "--jobs", str(jobs)]
    proc = subprocess.run([*command, "--quiet", "--fresh", *more], cwd=root, capture_output=True, text=True)
    seconds = time.monotonic() - start
    if proc.returncode != 0:
        sys.exit(proc.stderr)
    with open(os.path.join(root, "kit.json")) as f:
        return seconds, {(r["student"], r["assignment"]): r for r in json.load(f)}, proc.stderr


def report_seconds(root, jobs, kit):
    """The class report's own cost: the run once more with --report, which says how long the
    report took (the two runs' difference would drown it in the noise of grading)."""
    seconds, _, said = grade_with_kit(root, jobs, "--report", "report")
    match = re.search(r"class reports? written in ([0-9.]+) s", said)
    report = float(match.group(1))
    print(
        f"with --report:              {seconds:7.1f} s; the report itself {report:.1f} s, "
        f"{report / kit:.1%} of the run without it",
        flush=True,
    )
    return report


def one_class(n, assignments, args):
    """Grade a class of n both ways; returns {"kit": s, "stock": s or None, "floor": s per notebook}."""
    root = tempfile.mkdtemp(prefix="rnn-sum-bench-")
    try:
        shutil.copytree(os.path.join(ROOT, "source"), os.path.join(root, "source"))
        for assignment in assignments:
            stock_course(root, assignment)
            course.nbgrader(root, "generate_assignment", assignment, cwd=root)
        students = make_class(root, n, assignments)
        print(f"\nclass of {n} honest submissions of {', '.join(assignments)}, {os.cpu_count()} cores", flush=True)

        kit, records, _ = grade_with_kit(root, args.jobs)
        print(
            f"python -m autograder grade: {kit:7.1f} s  {kit / n:6.2f} s per submission ({args.jobs} workers)",
            flush=True,
        )
        floor = floor_seconds(root, students, sample=min(n, 20))
        floor_wall = floor * n / args.jobs
        print(
            f"floor (graders' own compute): {floor:.2f} s per submission, {floor_wall:.1f} s for the class "
            f"on {args.jobs} cores; the kit takes {kit / floor_wall:.2f}x the floor, "
            f"{kit - floor_wall:.1f} s more",
            flush=True,
        )
        result = {"kit": kit, "stock": None, "floor": floor, "same": None, "report": None}
        if args.report:
            result["report"] = report_seconds(root, args.jobs, kit)
        if args.skip_stock:
            return result
        start = time.monotonic()
        stock_procs = [course.nbgrader(root, "autograde", a, check=False, cwd=root) for a in assignments]
        stock = time.monotonic() - start
        print(f"nbgrader autograde:         {stock:7.1f} s  {stock / n:6.2f} s per submission", flush=True)
        print(f"ratio: the kit is {stock / kit:.1f}x faster than nbgrader autograde", flush=True)

        scores = {(s, a): points for a in assignments for s, points in gradebook.scores(root, a).items()}
        differ = [k for k in students if scores.get(k) != {t: v["points"] for t, v in records[k]["tasks"].items()}]
        print(f"same points per task both ways: {n - len(differ)}/{n}" + (f"; differ: {differ[:10]}" if differ else ""))
        for proc in stock_procs:
            if proc.returncode != 0:
                print("nbgrader autograde reported errors:", proc.stderr[-1000:])
        return dict(result, stock=stock, same=not differ)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--students", default="12,100", help="class sizes, comma-separated: a section and a lecture (12,100)"
    )
    parser.add_argument("--jobs", type=int, default=os.cpu_count())
    parser.add_argument("--skip-stock", action="store_true", help="only the kit and the floor")
    parser.add_argument("--report", action="store_true", help="also the cost of the class report (--report)")
    parser.add_argument(
        "--assignments",
        default="rnn_sum",
        help="comma-separated: a class of several assignments in turn (rnn_sum,rnn_layers)",
    )
    args = parser.parse_args()
    sizes = [int(n) for n in args.students.split(",")]
    assignments = args.assignments.split(",")
    results = {n: one_class(n, assignments, args) for n in sizes}

    print("\nsummary")
    for n, r in results.items():
        line = f"  {n:4d} notebooks: kit {r['kit']:6.1f} s"
        if r["report"] is not None:
            line += f" (+ {r['report']:.1f} s for --report, {r['report'] / r['kit']:.1%})"
        if r["stock"] is not None:
            same = "same points per task" if r["same"] else "POINTS DIFFER"
            line += f", nbgrader autograde {r['stock']:6.1f} s, {r['stock'] / r['kit']:5.1f}x faster, {same}"
        print(line)
    if len(sizes) >= 2:
        # the kit's wall time is a fixed cost plus a share per notebook: the line through the two
        # sizes farthest apart gives both (the fixed cost: start, first workers, reports, exit)
        small, large = min(sizes), max(sizes)
        per = (results[large]["kit"] - results[small]["kit"]) / (large - small)
        fixed = results[small]["kit"] - per * small
        print(
            f"  fixed cost of a run (the kit's wall time at 0 notebooks, from {small} and {large}): {fixed:.1f} s; "
            f"then {per:.2f} s per notebook on {args.jobs} workers"
        )
    return 0 if all(r["same"] is not False for r in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
