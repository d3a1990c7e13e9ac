"""How often does the reference solution pass the graders' convergence check of `train`?

For N notebooks (default 1000) it draws the hidden training runs as the grader does, runs the
master solution's `train` on them (from the assignment's train_start, with its epochs and
learning rates, course_config.py) and judges it with every check of the task.  The pass rate
must be N/N: otherwise a correct student could fail.

By default the notebooks' inputs are derived as for a course with a secret
(``autograder.grading.inputs``): from a throwaway random secret made here, for the students
student0000, student0001, ... at the attempt ``final``.  ``--fixed`` draws them instead from the
consecutive seeds GRADER_SEED, GRADER_SEED + 1, ... (the first is the course's fixed seed).

For each assignment it prints the most of the convergence check's allowance a passing seed used
(each test_train.py's ``allowance``: 1.0 is the limit) and the worst figure behind each of the
check's tolerances: for rnn_sum each parameter's distance from its target beside
``train_tolerance``; for rnn_layers the trained network's mean squared error on the unseen
signals beside ``train_unseen_mse`` and the distances of WEIGHT1F * WEIGHT2F from 1 and of
WEIGHT1S + WEIGHT2S from 2 beside ``train_invariant_tolerance``.

    .venv/bin/python bench/convergence.py [--seeds 1000] [--jobs 2] [--fixed] [--assignment A]

``--assignment`` (repeatable; else CONVERGENCE_ASSIGNMENT, else every assignment in turn).
"""

import argparse
import os
import sys
import time
from multiprocessing import Pool

from autograder import settings as config

_NS = {}


def _namespace(assignment):
    """The master solution's functions of an assignment, defined once per process."""
    if assignment not in _NS:
        import torch

        from examples import answers

        torch.set_num_threads(1)
        namespace = {"torch": torch}
        code = answers.solutions(assignment)
        for task in config.ASSIGNMENTS[assignment]["graded_tasks"]:
            exec(compile(code[task], task, "exec"), namespace)
        _NS[assignment] = namespace
    return _NS[assignment]


def figures(assignment, test_train, cases, params):
    """{what the convergence check measures: (its value for these parameters, its tolerance)}."""
    settings = config.ASSIGNMENTS[assignment]
    if "train_target" in settings:  # each parameter near its target (rnn_sum)
        from autograder.grading import graders

        names = graders.package(assignment).PARAMS
        return {
            f"|{name} - {target:g}|": (abs(p - target), settings["train_tolerance"])
            for name, p, target in zip(names, params, settings["train_target"])
        }
    error, product, total = test_train._judged(cases, params)  # what the network computes (rnn_layers)
    tolerance = settings["train_invariant_tolerance"]
    return {
        "mse on the unseen signals": (error, settings["train_unseen_mse"]),
        "|WEIGHT1F * WEIGHT2F - 1|": (abs(product - 1), tolerance),
        "|WEIGHT1S + WEIGHT2S - 2|": (abs(total - 2), tolerance),
    }


def run(job):
    """(name, failures, allowance used: 1.0 is the limit, figures) of one notebook's inputs."""
    assignment, name, seed = job
    from autograder.grading import graders

    test_train = graders.module(assignment, "train")
    cases = test_train.cases(seed)
    observed = graders.observe_here(assignment, "train", _namespace(assignment), cases)
    failed = graders.failures(assignment, "train", cases, observed)
    try:
        params = observed["probes"][-1]["params"]
        return name, failed, test_train.allowance(cases, params), figures(assignment, test_train, cases, params)
    except Exception as exc:  # the full run gave no parameters: its failure says why
        return name, failed or [f"no parameters ({type(exc).__name__})"], float("nan"), {}


def notebooks(assignment, count, fixed, secret):
    """[(assignment, name, seed)]: the seeds the grader would draw the N notebooks' inputs from."""
    if fixed:
        return [(assignment, f"seed {seed}", seed) for seed in range(config.GRADER_SEED, config.GRADER_SEED + count)]
    from autograder.grading import inputs

    students = (f"student{i:04d}" for i in range(count))
    return [(assignment, s, inputs.derive(assignment, s, inputs.FINAL, secret).seed) for s in students]


def report(assignment, jobs, results, seconds, processes):
    settings = config.ASSIGNMENTS[assignment]
    passed = [r for r in results if not r[1]]
    print(f"{assignment}: convergence check of `train` on the reference solution: {len(passed)}/{len(results)} pass")
    print(
        f"  start {settings['train_start']}, {settings['train_epochs']} epochs, lr {settings['train_lr']}, "
        f"{settings['train_frames']}x{settings['train_samples']} batch"
    )
    if passed:
        name, _, used, _ = max(passed, key=lambda r: r[2])
        print(f"  the most of its allowance that a passing notebook used: {used:.1%} ({name}; 100% is the limit)")
    print("  worst over all notebooks, beside its tolerance:")
    measured = [r for r in results if r[3]]
    for figure in measured[0][3] if measured else ():
        name, _, _, worst = max(measured, key=lambda r: r[3][figure][0])
        value, tolerance = worst[figure]
        print(f"    {figure:28} {value:.4g}  tolerance {tolerance:g}  ({value / tolerance:.1%}; {name})")
    print(f"  {seconds:.0f} s with {processes} processes")
    seeds = {name: seed for _, name, seed in jobs}
    failed = [r for r in results if r[1]]
    for name, messages, used, _ in failed[:20]:
        print(f"  FAILED {name} (seed {seeds[name]}), allowance {used:.1%}: {messages[0]}")
    if len(failed) > 20:
        print(f"  ... and {len(failed) - 20} more failed")
    return not failed


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=1000, help="notebooks per assignment (default 1000)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count(), help="processes (default: one per core)")
    parser.add_argument("--fixed", action="store_true", help="consecutive seeds from GRADER_SEED, not derived ones")
    parser.add_argument(
        "--assignment",
        action="append",
        choices=list(config.ASSIGNMENTS),
        help="(repeatable) default: $CONVERGENCE_ASSIGNMENT, else every assignment in turn",
    )
    args = parser.parse_args()
    from_env = os.environ.get("CONVERGENCE_ASSIGNMENT")
    assignments = args.assignment or ([from_env] if from_env else list(config.ASSIGNMENTS))
    secret = None
    if not args.fixed:
        from autograder.grading import inputs

        value = os.urandom(32).hex().encode()  # throwaway: nothing graded ever used it
        secret = inputs.Secret(inputs.digest(value), "bench/convergence.py (throwaway)", value)
        print(f"inputs derived from a throwaway secret {secret.digest}, attempt {inputs.FINAL!r}")
    else:
        print(f"inputs drawn from the consecutive seeds {config.GRADER_SEED}, {config.GRADER_SEED + 1}, ...")
    ok = True
    with Pool(args.jobs) as pool:
        for assignment in assignments:
            jobs = notebooks(assignment, args.seeds, args.fixed, secret)
            start = time.monotonic()
            results = pool.map(run, jobs, chunksize=10)
            ok = report(assignment, jobs, results, time.monotonic() - start, args.jobs) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
