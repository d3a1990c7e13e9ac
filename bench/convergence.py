"""How often does the reference solution pass the graders' convergence check of `train`?

For each of N grader seeds (default 1000) it draws the hidden training batch as the
grader does, runs the master solution's `train` from course_config.TRAIN_START with
TRAIN_EPOCHS and TRAIN_LR, and applies the grader's check (every parameter within
TRAIN_TOLERANCE of its target).  The pass rate must be N/N: otherwise a correct
student could fail.

    .venv/bin/python bench/convergence.py [--seeds 1000] [--jobs 2]
"""

import argparse
import os
import sys
import time
from multiprocessing import Pool

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import course_config as config  # noqa: E402

_NS = None


def _namespace():
    """The master solution's functions, defined once per process."""
    global _NS
    if _NS is None:
        import torch

        from examples import answers

        torch.set_num_threads(1)
        _NS = {"torch": torch}
        code = answers.solutions()
        for task in config.GRADED_TASKS:
            exec(compile(code[task], task, "exec"), _NS)
    return _NS


def run(seed):
    from autograder import tasks
    from autograder import train as train_task

    config.GRADER_SEED = seed
    case = {"full": train_task.cases()["full"]}
    observed = tasks.observe_here("train", _namespace(), case)
    messages = tasks.judge("train", case, observed)
    params = observed["probes"][0]["params"]
    worst = max(abs(p - t) for p, t in zip(params, config.TRAIN_TARGET))
    return seed, not messages, worst


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
    worst = max(w for _, _, w in results)
    print(f"convergence check of `train` on the reference solution: {passed}/{len(results)} seeds pass")
    print(f"  start {config.TRAIN_START}, {config.TRAIN_EPOCHS} epochs, lr {config.TRAIN_LR}, "
          f"{config.TRAIN_FRAMES}x{config.TRAIN_SAMPLES} batch, tolerance {config.TRAIN_TOLERANCE}")
    print(f"  largest distance from a target over all seeds: {worst:.4f} "
          f"({worst / config.TRAIN_TOLERANCE:.0%} of the tolerance)")
    print(f"  {time.monotonic() - start:.0f} s with {args.jobs} processes")
    failed = [seed for seed, ok, _ in results if not ok]
    if failed:
        print(f"  failing seeds: {failed[:20]}")
    return 0 if not failed else 1


if __name__ == "__main__":
    sys.exit(main())
