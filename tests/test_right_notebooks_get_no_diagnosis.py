"""No right notebook is told what may have gone wrong: the right answers of students who each
write in a way of their own (examples/independent.py: every way of every task), a classmate's
copy in disguise, and the demo class's right notebooks, run through the sandbox on their hidden
inputs, match no known mistake of either assignment, asked even without the gate of a lost task.
"""

import os

import pytest

from autograder import runner
from autograder import settings as config
from autograder.grading import diagnosis, graders
from autograder.runner import submission as sub
from examples import answers, demo, independent

pytestmark = pytest.mark.sandbox

# students 0, 5, 10, 15 and 20 write each task in each of its five ways (independent.ways)
EVERY_WAY = (0, 5, 10, 15, 20)


def _right_notebooks(assignment):
    notebooks = {
        f"way{i}": answers.notebook(independent.answers(i, assignment), assignment=assignment) for i in EVERY_WAY
    }
    notebooks["copy"] = answers.notebook(
        independent.disguised_copy(independent.answers(3, assignment), assignment), assignment=assignment
    )
    demo_class = {"rnn_sum": demo.example_class, "rnn_layers": demo.layers_class}.get(assignment, dict)()
    for student in ("ada", "gus", "hal"):  # the demo's right notebooks (gus: the other right answers)
        if student in demo_class:
            notebooks[f"demo-{student}"] = demo_class[student]
    return notebooks


@pytest.mark.parametrize("assignment", config.assignments())
def test_right_notebooks_match_no_known_mistake(assignment, tmp_path):
    notebooks = _right_notebooks(assignment)
    for student, nb in notebooks.items():
        answers.write(nb, os.path.join(tmp_path, student, assignment, f"{assignment}.ipynb"))
    submissions = sub.find([str(tmp_path)])
    named = {}
    for submission, outcome in zip(submissions, runner.observe_all(submissions)):
        for task, observed in outcome.observations.items():
            lost = graders.failures(assignment, task, graders.cases(assignment, task), observed)
            assert not lost, f"{submission.student} is not right in {task}: {lost}"
            found = [m.name for m in diagnosis.matching(assignment, task, observed)]
            if found:
                named[f"{submission.student}/{task}"] = found
    assert len(submissions) == len(notebooks) >= len(EVERY_WAY) + 1 and named == {}
    if assignment in ("rnn_sum", "rnn_layers"):  # the demo class has right notebooks of the kit's own two
        assert any(student.startswith("demo-") for student in notebooks)
