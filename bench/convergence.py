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

import course_config as config

SETTINGS = config.ASSIGNMENTS["rnn_sum"]

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
        for task in SETTINGS["graded_tasks"]:
            exec(compile(code[task], task, "exec"), _NS)
    return _NS


def run(seed):
    from autograder import graders
    from autograder.rnn_sum import test_train

    config.GRADER_SEED = seed
    case = {"full": test_train.cases()["full"]}
    observed = graders.observe_here("rnn_sum", "train", _namespace(), case)
    test_train.test_converges_to_the_adding_cell(case, observed)  # raises AssertionError if not
    params = observed["probes"][0]["params"]
    worst = max(abs(p - t) for p, t in zip(params, SETTINGS["train_target"]))
    return seed, True, worst


def run_or_fail(seed):
    try:
        return run(seed)
    except AssertionError:
        return seed, False, float("nan")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=os.cpu_count())
    args = parser.parse_args()
    seeds = range(config.GRADER_SEED, config.GRADER_SEED + args.seeds)
    start = time.monotonic()
    with Pool(args.jobs) as pool:
        results = pool.map(run_or_fail, seeds, chunksize=10)
    passed = sum(ok for _, ok, _ in results)
    worst = max((w for _, ok, w in results if ok), default=float("nan"))
    print(f"convergence check of `train` on the reference solution: {passed}/{len(results)} seeds pass")
    print(
        f"  start {SETTINGS['train_start']}, {SETTINGS['train_epochs']} epochs, lr {SETTINGS['train_lr']}, "
        f"{SETTINGS['train_frames']}x{SETTINGS['train_samples']} batch, tolerance {SETTINGS['train_tolerance']}"
    )
    print(
        f"  largest distance from a target over the passing seeds: {worst:.4f} "
        f"({worst / SETTINGS['train_tolerance']:.0%} of the tolerance)"
    )
    print(f"  {time.monotonic() - start:.0f} s with {args.jobs} processes")
    failed = [seed for seed, ok, _ in results if not ok]
    if failed:
        print(f"  failing seeds: {failed[:20]}")
    return 0 if not failed else 1


if __name__ == "__main__":
    sys.exit(main())
