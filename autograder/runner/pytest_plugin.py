"""The hidden graders as pytest runs them, for an instructor looking at one notebook.

    pytest autograder/assignments/<assignment> --notebook NOTEBOOK [-k TEST] [-x] [-v] [--pdb]

The assignments' one ``conftest.py`` takes the option and fixtures from here.  The notebook
runs once, in the sandbox, as ``python -m autograder grade`` runs it; then every test
function judges what came back for its task, outside the sandbox: ``cases`` is the task's
hidden inputs, ``observed`` what the student's functions returned on them.  Where a task
has nothing to judge (its function is missing, its cell crashed, it ran out of time), each
of its tests fails with that reason, which is also the one message the class runner gives.
The summary at the end names the known mistakes the failed tasks look like.
"""

import json
import os

import pytest

from autograder import runner, sandbox, settings
from autograder.grading import diagnosis, graders, inputs
from autograder.runner import submission as sub

# what autograder/assignments/conftest.py takes from here (``from autograder.runner.pytest_plugin import *``)
__all__ = [
    "cases",
    "graded",
    "observed",
    "pytest_addoption",
    "pytest_collection_modifyitems",
    "pytest_configure",
    "pytest_terminal_summary",
]

_GRADED = pytest.StashKey()  # (assignment, {task: observation}, seed) of the notebook judged


def pytest_addoption(parser):
    parser.addoption(
        "--notebook",
        metavar="NOTEBOOK",
        help="the notebook whose functions the hidden tests judge (it runs in the sandbox)",
    )
    parser.addoption(
        "--observations",
        metavar="FILE.json",
        help='judge observations saved before ({"assignment": ..., "observations": '
        "{task: ...}}) instead of running a notebook",
    )


def pytest_collection_modifyitems(items):
    """Each hidden test is marked with its task: ``pytest autograder/assignments/rnn_sum -m train`` runs
    the checks of `train` alone."""
    for item in items:
        task = getattr(getattr(item, "module", None), "TASK", None)
        if task:
            item.add_marker(getattr(pytest.mark, task))


def pytest_configure(config):
    for assignment in settings.assignments():
        for task in settings.graded_tasks(assignment):
            config.addinivalue_line("markers", f"{task}: the hidden checks of the task `{task}`")


def _assignment(request):
    return request.module.__name__.split(".")[-2]


@pytest.fixture(scope="session")
def graded(request):
    """{task: observation} of the notebook given with --notebook, run once in the sandbox."""
    saved = request.config.getoption("--observations")
    if saved:
        with open(saved) as f:
            data = json.load(f)
        request.config.stash[_GRADED] = data["assignment"], data["observations"], None
        return data["assignment"], data["observations"]
    path = request.config.getoption("--notebook")
    if not path:
        raise pytest.UsageError(
            "give the notebook to judge: pytest autograder/assignments/<assignment> --notebook NOTEBOOK"
        )
    if not os.path.isfile(path):
        raise pytest.UsageError(f"no such notebook: {path}")
    if sandbox.warning():
        print(sandbox.warning())
    print(inputs.announce())
    [submission] = sub.find([path])
    with runner.Workers(1) as workers:
        outcome = runner.observe(submission, workers.get(0))
    request.config.stash[_GRADED] = submission.assignment, outcome.observations, submission.seed
    return submission.assignment, outcome.observations


def pytest_terminal_summary(terminalreporter, config):
    """After the tests: the known mistakes that the failed tasks' results look like."""
    if _GRADED not in config.stash:
        return
    assignment, observations, seed = config.stash[_GRADED]
    lines = []
    for task, observed in observations.items():
        if graders.failures(assignment, task, graders.cases(assignment, task, seed), observed):
            lines += [f"{task}: {m.says} ({m.name})" for m in diagnosis.matching(assignment, task, observed, seed)]
    if lines:
        terminalreporter.section("what may have gone wrong (known mistakes)")
        for line in lines:
            terminalreporter.write_line(line)


@pytest.fixture
def cases(request):
    """The task's hidden inputs (those of the notebook's student: ``autograder.grading.inputs``)."""
    request.getfixturevalue("graded")
    seed = request.config.stash[_GRADED][2]
    return graders.cases(_assignment(request), request.module.TASK, seed)


@pytest.fixture
def observed(request, graded):
    """What the notebook's functions returned on the task's hidden inputs."""
    assignment, observations = graded
    if assignment != _assignment(request):
        pytest.skip(f"the notebook is of assignment {assignment}")
    task = request.module.TASK
    reason = graders.problem(task, observations[task])
    if reason is not None:
        pytest.fail(reason, pytrace=False)
    return observations[task]
