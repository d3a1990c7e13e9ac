"""How far the diagnosis reaches: the wrong answers of examples/unforeseen, written apart from
the kit, named right, not named, or named wrong, per task; and what naming costs.

    .venv/bin/python bench/diagnosis.py            # from the saved observations (make observations)
    .venv/bin/python bench/diagnosis.py --list     # and every answer with the names it got

A wrong answer is named right when its task names at least one mistake and every name given is
its own (``examples.unforeseen.named_right``).  The cost is the time ``diagnosis.matching`` takes
per notebook: with the predictions of a new seed computed (a notebook's first lost task under
a course secret) and with them cached.
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


if __name__ == "__main__":
    main()
