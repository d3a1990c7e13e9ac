"""How far the diagnosis reaches: the wrong answers of examples/unforeseen, written apart from
the kit, named right, not named, or named wrong, per task; and what naming costs.

    .venv/bin/python bench/diagnosis.py            # from the saved observations (make observations)
    .venv/bin/python bench/diagnosis.py --list     # and every answer with the names it got
    .venv/bin/python bench/diagnosis.py --share    # and the share of a class run spent naming

A wrong answer is named right when its task names at least one mistake and every name given is
its own (``examples.unforeseen.named_right``).  The cost is the time ``diagnosis.matching`` takes
per notebook: with the predictions of a new seed computed (a notebook's first lost task under
a course secret) and with them cached.  ``--share`` grades the whole set as one class with
``python -m autograder grade`` under a throwaway course secret (every notebook on inputs of its
own) and prints the time its judging process spent naming, beside the run's wall time.
"""

import argparse
import os
import sys
import time
from collections import Counter

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from autograder import settings as config  # noqa: E402
from autograder.grading import diagnosis, graders  # noqa: E402
from examples import unforeseen  # noqa: E402
from tests import saved_observations  # noqa: E402


def outcomes(assignment, seed=None):
    """[(wrong answer, the names its task was given, lost points there)], from saved observations."""
    saved = saved_observations.load(assignment, saved_observations.UNFORESEEN)["examples"]
    out = []
    for wrong in saved_observations.wrong_answers(assignment):
        observed = saved[wrong.student][wrong.task]
        lost = bool(graders.failures(assignment, wrong.task, graders.cases(assignment, wrong.task, seed), observed))
        names = [m.name for m in diagnosis.matching(assignment, wrong.task, observed, seed)] if lost else []
        out.append((wrong, names, lost))
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--list", action="store_true", help="every wrong answer and the names it got")
    parser.add_argument("--share", action="store_true", help="the share of a class run spent naming")
    parser.add_argument("--jobs", type=int, default=None, help="for --share: notebooks graded at once")
    args = parser.parse_args()
    total = Counter()
    for assignment in config.assignments():
        rows = outcomes(assignment)
        print(f"\n{assignment}: {'task':18} {'answers':>8} {'right':>6} {'none':>5} {'wrong':>6}")
        for task in config.graded_tasks(assignment):
            mine = [(w, names) for w, names, _ in rows if w.task == task]
            count = Counter(unforeseen.verdict(w, names) for w, names in mine)
            total.update(count)
            total["answers"] += len(mine)
            figures = f"{len(mine):8} {count['right']:6} {count['none']:5} {count['wrong']:6}"
            print(f"{'':{len(assignment) + 2}}{task:18} {figures}")
        if args.list:
            for w, names, lost in rows:
                print(f"  {unforeseen.verdict(w, names):5} {w.task}/{w.mistake} ({w.coding}): {names or '-'}")
        _cost(assignment, rows)
    print(
        f"\nall: {total['right']} of {total['answers']} named right ({total['right'] / total['answers']:.0%}), "
        f"{total['none']} not named, {total['wrong']} named wrong"
    )
    if args.share:
        share(args.jobs)


def _cost(assignment, rows):
    """Naming every task of each notebook, and naming only the task it lost, as a run does: on a seed
    of its own (its predictions computed, as under a course secret) and on the fixed seed (cached)."""
    saved = saved_observations.load(assignment, saved_observations.UNFORESEEN)["examples"]
    for label, fresh in (("on a seed of its own", True), ("on the fixed seed", False)):
        for what in ("every task", "the lost task"):
            start = time.perf_counter()
            for i, (wrong, _, _) in enumerate(rows):
                seed = f"bench-{i}" if fresh else None
                for task, observed in saved[wrong.student].items():
                    if what == "every task" or task == wrong.task:
                        diagnosis.matching(assignment, task, observed, seed)
            per = (time.perf_counter() - start) / len(rows)
            print(f"  naming {what} of a notebook, {label}: {per * 1000:.1f} ms per notebook")


def share(jobs=None):
    """Grade every unforeseen wrong answer as one class, under a throwaway secret; the seconds
    ``diagnosis.matching`` took in the judging process, and the run's wall time."""
    import tempfile

    from autograder import cli
    from examples import answers

    spent = [0.0, 0]
    matching = diagnosis.matching

    def timed(*args, **kwargs):
        start = time.perf_counter()
        try:
            return matching(*args, **kwargs)
        finally:
            spent[0] += time.perf_counter() - start
            spent[1] += 1

    diagnosis.matching = timed  # the judge calls it through the module
    os.environ["AUTOGRADER_SECRET"] = "bench-diagnosis-share"
    with tempfile.TemporaryDirectory() as folder:
        count = 0
        for assignment in config.assignments():
            for student, nb in saved_observations.unforeseen(assignment).items():
                answers.write(nb, os.path.join(folder, "submitted", student, assignment, f"{assignment}.ipynb"))
                count += 1
        argv = ["grade", os.path.join(folder, "submitted"), "--json", os.path.join(folder, "r.json"), "--quiet"]
        start = time.perf_counter()
        cli.main([*argv, *(["--jobs", str(jobs)] if jobs else [])])
        wall = time.perf_counter() - start
    print(
        f"\n{count} notebooks graded in {wall:.1f} s; naming: {spent[0]:.2f} s over {spent[1]} lost tasks "
        f"({spent[0] / wall:.2%} of the run)"
    )


if __name__ == "__main__":
    main()
