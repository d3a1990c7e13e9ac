"""The Validate button: stock nbgrader settings against the kit's.

JupyterLab's Validate button runs nbgrader's ``Validator`` in the server, with the
configuration its handler loads (for the kit: .venv/etc/jupyter/nbgrader_config.py, which
loads course_config.py).  This times ``Validator.validate`` on a correct release notebook,
in a fresh process each time as the button does, with stock settings and with the kit's.

    .venv/bin/python bench/validate_speed.py [--runs 3]
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

from examples import answers

VALIDATE = """
import os, sys
from traitlets.config import Config
from nbgrader.validator import Validator
if sys.argv[1] == "kit":
    # what nbgrader's validate handler does to find its configuration
    from jupyter_core.paths import jupyter_config_path
    from nbgrader.apps import NbGrader
    paths = jupyter_config_path()
    paths.insert(0, os.getcwd())
    app = NbGrader()
    app.config_file_paths.append(paths)
    app.load_config_file()
    config = app.config
else:
    config = Config()
result = Validator(config=config).validate(sys.argv[2])
assert result == {}, result
"""


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="rnn-sum-validate-")
    notebook = os.path.join(folder, "rnn_sum.ipynb")
    answers.write(answers.notebook(answers.solutions()), notebook)
    times = {"stock": [], "kit": []}
    for _ in range(args.runs):
        for mode in times:
            start = time.monotonic()
            subprocess.run(
                [sys.executable, "-c", VALIDATE, mode, notebook], cwd=folder, check=True, capture_output=True
            )
            times[mode].append(time.monotonic() - start)
    stock, kit = statistics.median(times["stock"]), statistics.median(times["kit"])
    print(f"Validate on a correct rnn_sum notebook, median of {args.runs}:")
    print(f"  stock nbgrader settings: {stock:5.1f} s  ({', '.join(f'{t:.1f}' for t in times['stock'])})")
    print(f"  the kit's settings:      {kit:5.1f} s  ({', '.join(f'{t:.1f}' for t in times['kit'])})")
    print(f"  the kit's Validate takes {kit / stock:.2f}x the stock time")
    return 0


if __name__ == "__main__":
    sys.exit(main())
