"""One notebook: the kit's ``check`` against nbgrader's Validate, side by side in one run.

On a copy of a correct notebook, in turn, ``--runs`` times each:

- ``python -m autograder check NOTEBOOK``: the student's command, a fresh process; it runs the
  notebook in the sandbox, grades it with the hidden checks and writes the feedback page;
- ``nbgrader validate NOTEBOOK``: nbgrader's command, a fresh process, with the configuration
  the Validate button loads (the kit's: .venv/etc/jupyter/nbgrader_config.py);
- the Validate button's own work: what nbgrader's validate handler does inside the running
  Jupyter server (load the configuration, ``Validator.validate``), timed in a process that,
  like the server, has nbgrader imported already; with the kit's settings and with stock
  nbgrader's.

Prints the median of each and the ratios of ``check`` to them.  The machine's load moves
every figure; the runs alternate so that it moves them alike: read the ratios.

    .venv/bin/python bench/check_speed.py [--runs 5] [--assignment rnn_sum]
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

from examples import answers

# The validate handler of nbgrader's server extension, as a process that serves one request
# per line of stdin ("kit" or "stock", a notebook) and answers with the seconds it took.
BUTTON = """
import json, os, sys, time
from jupyter_core.paths import jupyter_config_path
from nbgrader.apps import NbGrader
from nbgrader.validator import Validator
from traitlets.config import Config

def load_config():  # ValidateAssignmentHandler.load_config
    paths = jupyter_config_path()
    paths.insert(0, os.getcwd())
    app = NbGrader()
    app.config_file_paths.append(paths)
    app.load_config_file()
    return app.config

print("ready", flush=True)
for line in sys.stdin:
    mode, path = json.loads(line)
    start = time.monotonic()
    config = load_config() if mode == "kit" else Config()
    result = Validator(config=config).validate(path)
    assert result == {}, result
    print(time.monotonic() - start, flush=True)
"""


def timed(command, cwd):
    start = time.monotonic()
    proc = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    seconds = time.monotonic() - start
    if proc.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{proc.stdout[-2000:]}{proc.stderr[-2000:]}")
    return seconds, proc.stdout


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--assignment", default="rnn_sum")
    args = parser.parse_args()
    bin_dir = os.path.dirname(sys.executable)
    folder = tempfile.mkdtemp(prefix="rnn-sum-check-speed-")
    notebook = os.path.join(folder, f"{args.assignment}.ipynb")
    answers.write(answers.notebook(answers.solutions(args.assignment), assignment=args.assignment), notebook)

    button = subprocess.Popen(
        [sys.executable, "-c", BUTTON],
        cwd=folder,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert button.stdout.readline().strip() == "ready"

    def press(mode):
        button.stdin.write(json.dumps([mode, notebook]) + "\n")
        button.stdin.flush()
        return float(button.stdout.readline())

    def check():
        seconds, out = timed([sys.executable, "-m", "autograder", "check", notebook], folder)
        assert "✗" not in out and os.path.exists(notebook.replace(".ipynb", ".feedback.html")), out
        return seconds

    ways = {
        "python -m autograder check": check,
        "nbgrader validate": lambda: timed([os.path.join(bin_dir, "nbgrader"), "validate", notebook], folder)[0],
        "Validate button (in the server)": lambda: press("kit"),
        "Validate button, stock settings": lambda: press("stock"),
    }
    press("kit")  # the server has validated once before: its imports are warm
    times = {name: [] for name in ways}
    for run in range(args.runs):
        names = list(ways) if run % 2 == 0 else list(reversed(ways))
        for name in names:
            times[name].append(ways[name]())
    button.stdin.close()
    button.wait()

    medians = {name: statistics.median(t) for name, t in times.items()}
    print(f"one correct {args.assignment} notebook, median of {args.runs} runs each, {os.cpu_count()} cores:")
    for name, t in times.items():
        print(f"  {name:34s} {medians[name]:5.2f} s  ({', '.join(f'{x:.2f}' for x in t)})")
    check_median = medians["python -m autograder check"]
    for name in list(ways)[1:]:
        print(f"  check / {name}: {check_median / medians[name]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
