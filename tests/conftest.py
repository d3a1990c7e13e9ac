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


def new_course(root):
    """An nbgrader course at ``root`` built from source/: the assignment generated and in
    its gradebook; returns the path of its release notebook."""
    from autograder import course

    shutil.copytree(os.path.join(course.ROOT, "source"), os.path.join(root, "source"))
    course.nbgrader(root, "generate_assignment", "rnn_sum")
    return os.path.join(root, "release", "rnn_sum", "rnn_sum.ipynb")


def write_class(folder, notebooks):
    """Write {student: notebook or text} as nbgrader's <student>/rnn_sum/rnn_sum.ipynb."""
    for student, nb in notebooks.items():
        answers.write(nb, os.path.join(folder, student, "rnn_sum", "rnn_sum.ipynb"))


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
