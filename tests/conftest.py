import os
import shutil
import subprocess
import sys

import pytest

from autograder import runner
from autograder import submission as sub
from examples import answers


@pytest.fixture(scope="session")
def solutions():
    """{task: the master solution's code}."""
    return answers.solutions()


def new_course(root, assignments=("rnn_sum",)):
    """An nbgrader course at ``root`` built from source/: the assignments generated and in
    its gradebook; returns the path of the (first) assignment's release notebook."""
    from autograder import course

    shutil.copytree(os.path.join(course.ROOT, "source"), os.path.join(root, "source"))
    for assignment in assignments:
        course.nbgrader(root, "generate_assignment", assignment)
    return os.path.join(root, "release", assignments[0], f"{assignments[0]}.ipynb")


def write_class(folder, notebooks, assignment="rnn_sum"):
    """Write {student: notebook or text} as nbgrader's <student>/<assignment>/<assignment>.ipynb."""
    for student, nb in notebooks.items():
        answers.write(nb, os.path.join(folder, student, assignment, f"{assignment}.ipynb"))


def grade_class(folder, notebooks):
    """Write a class under ``folder`` and grade it in one parallel run; returns {student: record}."""
    write_class(folder, notebooks)
    records = runner.grade_all(sub.find([str(folder)]))
    return {r["student"]: r for r in records}


def lost(record):
    """The tasks a record did not give full points for."""
    return sorted(t for t, v in record["tasks"].items() if v["points"] < v["max_points"])


def messages(record, task):
    return "\n".join(record["tasks"][task]["messages"])


def grade_command(*args, cwd):
    """``python -m autograder grade ARGS`` run in ``cwd``, as an instructor would."""
    return subprocess.run(
        [sys.executable, "-m", "autograder", "grade", *args], cwd=cwd, capture_output=True, text=True, timeout=900
    )
