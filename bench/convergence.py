"""How often does the reference solution pass the graders' convergence check of `train`?

For each of N grader seeds (default 1000) it draws the hidden training runs as the grader
does, runs the master solution's `train` on them (from the assignment's train_start, with its
epochs and learning rates, course_config.py) and judges it with every check of the task.  The
pass rate must be N/N: otherwise a correct student could fail.  It also prints the most of the
convergence check's allowance a passing seed used (each test_train.py's ``allowance``).

    .venv/bin/python bench/convergence.py [--seeds 1000] [--jobs 2]
    CONVERGENCE_ASSIGNMENT=<assignment> .venv/bin/python bench/convergence.py   (default: the first)
"""

import argparse
import os
import sys
import time
from multiprocessing import Pool

from autograder import settings as config

ASSIGNMENT = os.environ.get("CONVERGENCE_ASSIGNMENT") or next(iter(config.ASSIGNMENTS))
SETTINGS = config.ASSIGNMENTS[ASSIGNMENT]

_NS = None


def _namespace():
    """The master solution's functions, defined once per process."""
    global _NS
    if _NS is None:
        import torch

        from examples import answers

        torch.set_num_threads(1)
        _NS = {"torch": torch}
        code = answers.solutions(ASSIGNMENT)
        for task in SETTINGS["graded_tasks"]:
            exec(compile(code[task], task, "exec"), _NS)
    return _NS


def run(seed):
    """(seed, passed, how much of the allowance the reference used: 1.0 is the limit)."""

    from autograder.grading import graders

    test_train = graders.module(ASSIGNMENT, "train")
    config.GRADER_SEED = seed
    cases = test_train.cases()
    observed = graders.observe_here(ASSIGNMENT, "train", _namespace(), cases)
    passed = not graders.failures(ASSIGNMENT, "train", cases, observed)
    return seed, passed, test_train.allowance(cases, observed["probes"][-1]["params"])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=os.cpu_count())
    args = parser.parse_args()
    seeds = range(config.GRADER_SEED, config.GRADER_SEED + args.seeds)
    start = time.monotonic()
    with Pool(args.jobs) as pool:
        results = pool.map(run, seeds, chunksize=10)
    passed = sum(ok for _, ok, _ in results)
    worst = max((w for _, ok, w in results if ok), default=float("nan"))
    print(f"{ASSIGNMENT}: convergence check of `train` on the reference solution: {passed}/{len(results)} seeds pass")
    print(
        f"  start {SETTINGS['train_start']}, {SETTINGS['train_epochs']} epochs, lr {SETTINGS['train_lr']}, "
        f"{SETTINGS['train_frames']}x{SETTINGS['train_samples']} batch"
    )
    print(f"  the most of its allowance that a passing seed used: {worst:.0%} (100% is the limit)")
    print(f"  {time.monotonic() - start:.0f} s with {args.jobs} processes")
    failed = [seed for seed, ok, _ in results if not ok]
    if failed:
        print(f"  failing seeds: {failed[:20]}")
    return 0 if not failed else 1


if __name__ == "__main__":
    sys.exit(main())
