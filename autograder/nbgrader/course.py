"""nbgrader's real command line, run on a course folder with the kit's configuration.

``python -m autograder.nbgrader.course build`` regenerates release/ and solutions/ from source/
(``make goldens``).  The demo and the tests use the same functions on other folders.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys

import nbformat

from autograder import settings as config
from autograder.settings import ROOT  # noqa: F401  (the demo and the tests read it here)


def nbgrader(root, *args, check=True, cwd=ROOT, prefix=()):
    """Run ``nbgrader ARGS`` on the course at ``root`` (from ``cwd``, whose nbgrader_config.py
    nbgrader reads last), under the command ``prefix`` if given; returns the completed process."""
    bin_dir = os.path.dirname(sys.executable)
    env = dict(os.environ)
    # nbgrader runs alembic from the venv's bin/ when it creates a gradebook
    env["PATH"] = bin_dir + os.pathsep + env.get("PATH", "")
    env["PYTHONPATH"] = ROOT + os.pathsep + env.get("PYTHONPATH", "")
    cmd = [os.path.join(bin_dir, "nbgrader"), *args, f"--CourseDirectory.root={root}"]
    proc = subprocess.run([*prefix, *cmd], cwd=cwd, env=env, capture_output=True, text=True)
    if "Exception while loading config file" in proc.stderr:
        raise RuntimeError(f"nbgrader could not load the kit's configuration:\n{proc.stderr[-3000:]}")
    if check and proc.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    return proc


def build(root=ROOT):
    """Generate release/ and the executed solutions/ of every assignment under ``root``."""
    for assignment in config.ASSIGNMENTS:
        nbgrader(root, "generate_assignment", assignment, "--force")
        nbgrader(root, "generate_solution", assignment, "--force")
        for folder in ("release", "solutions"):
            path = os.path.join(root, folder, assignment)
            shutil.rmtree(os.path.join(path, "__pycache__"), ignore_errors=True)
            for name in os.listdir(path):
                if name.endswith(".ipynb"):
                    tidy(os.path.join(path, name))


def tidy(path):
    """Drop volatile metadata (execution times) so regenerated files diff cleanly."""
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
    nbformat.write(nb, path)


def normalized(path):
    """A notebook reduced to what a reader sees: cell types, sources, nbgrader
    metadata and text outputs (images as a placeholder); ids and timings dropped."""
    nb = nbformat.read(path, as_version=4)
    cells = []
    for cell in nb.cells:
        entry = {"type": cell.cell_type, "source": cell.source, "nbgrader": cell.metadata.get("nbgrader")}
        outputs = []
        for out in cell.get("outputs", []):
            data = dict(out.get("data", {}))
            for key in list(data):
                if key.startswith("image/"):
                    data[key] = "<image>"
            outputs.append({"type": out.output_type, "text": out.get("text"), "data": data or None})
        entry["outputs"] = outputs
        cells.append(entry)
    return json.dumps(cells, indent=1, sort_keys=True)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m autograder.nbgrader.course")
    parser.add_argument("command", choices=["build"])
    parser.add_argument("--root", default=ROOT, help="the course folder (default: this repository)")
    args = parser.parse_args(argv)
    build(os.path.abspath(args.root))
    print(f"regenerated release/ and solutions/ under {args.root}")


if __name__ == "__main__":
    main()
