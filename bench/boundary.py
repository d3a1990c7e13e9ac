"""What the boundary for untrusted bytes costs per notebook (``autograder.runner.boundary``).

For every example notebook of both assignments (the solution, the other right answers and the
mistakes of examples/answers.py), times, in this process, what grading it passes through the
boundary: reading and checking the notebook file (``read_notebook``), and checking every line
its child sent (``event`` on each line, ``observation`` on each task's results, the
observations those example answers gave, saved in tests/observations), and, beside it, parsing
the same file and lines as JSON alone, as the runner did before the boundary.  Prints the median
and the largest cost per notebook, in milliseconds, what the checks add to parsing, and both as
a share of the seconds a notebook takes to grade (``--per-notebook``, from
``bench/class_speed.py``; about 0.5 s here).

    .venv/bin/python bench/boundary.py [--repeat 20] [--per-notebook 0.5]
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
import time

from autograder.runner import boundary
from autograder.settings import ROOT
from examples import answers

sys.path.insert(0, ROOT)  # the saved observations are the tests' (tests/saved_observations.py)
from tests import saved_observations  # noqa: E402


def lines_of(observations):
    """The event lines a child writes for a notebook whose tasks gave ``observations``."""
    lines, step = [], 0
    for observed in observations.values():
        lines.append(json.dumps({"event": "start", "step": step}).encode())
        lines.append(json.dumps({"event": "end", "step": step, "observed": observed}).encode())
        step += 1
    lines.append(b'{"event": "finished"}')
    return lines


def through_boundary(path, lines):
    boundary.read_notebook(path)
    for line in lines:
        event = boundary.event(line)
        if "observed" in event:
            boundary.observation(event["observed"])


def parsed_only(path, lines):
    """What reading them cost before the boundary: the file and each line parsed as JSON."""
    with open(path, "rb") as f:
        json.loads(f.read().decode("utf-8"), object_hook=boundary.Node)
    for line in lines:
        json.loads(line)


def cost(read, path, lines, repeat):
    """The median seconds of ``read`` on one notebook's file and lines."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        read(path, lines)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--per-notebook", type=float, default=0.5, help="seconds a notebook takes to grade")
    args = parser.parse_args(argv)
    costs, before = {}, {}
    with tempfile.TemporaryDirectory() as folder:
        for assignment in ("rnn_sum", "rnn_layers"):
            saved = saved_observations.load(assignment)["examples"]
            for name, nb in saved_observations.examples(assignment).items():
                if name not in saved:
                    continue
                path = os.path.join(folder, f"{assignment}-{name}.ipynb")
                answers.write(nb, path)
                observations = {t: o for t, o in saved[name].items() if "stopped" not in o}
                lines = lines_of(observations)
                # alternating, so that the machine's load moves both alike
                costs[f"{assignment}/{name}"] = cost(through_boundary, path, lines, args.repeat)
                before[f"{assignment}/{name}"] = cost(parsed_only, path, lines, args.repeat)
    values = sorted(costs.values())
    worst = max(costs, key=costs.get)
    median = statistics.median(values)
    added = statistics.median(costs[k] - before[k] for k in costs)
    print(f"{len(costs)} example notebooks, {args.repeat} times each")
    print(f"parsing alone (as before the boundary): median {statistics.median(before.values()) * 1000:.2f} ms")
    print(f"boundary cost per notebook: median {median * 1000:.2f} ms, largest {costs[worst] * 1000:.2f} ms ({worst})")
    print(
        f"as a share of {args.per_notebook:g} s to grade a notebook: median {median / args.per_notebook:.2%}, "
        f"largest {costs[worst] / args.per_notebook:.2%}"
    )
    print(f"added by the checks: median {added * 1000:.2f} ms per notebook ({added / args.per_notebook:.2%})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
