"""Judging in milliseconds: the hidden tests on saved observations of every example answer.

No notebook runs here (``tests/saved_observations.py`` says how the observations were made,
and ``tests/test_grades.py`` checks them against a fresh run in the sandbox).  Each check is
marked with its task: ``pytest -m train tests/test_judging.py`` judges only `train`.
"""

import os

import pytest

from autograder import graders
from autograder.paths import ROOT
from examples import answers
from tests import saved_observations

SAVED = saved_observations.load()
ASSIGNMENT = SAVED["assignment"]
TASKS = graders.graded_tasks(ASSIGNMENT)
MISTAKES = {edit.name: edit for edit in answers.MISTAKES}


def lost_by(name):
    """The tasks an example should lose: its mistake's task, every task for the untouched
    release, none for the solution, the master and the other correct answers."""
    if name == "untouched_release":
        return set(TASKS)
    return {MISTAKES[name].task} if name in MISTAKES else set()


def test_the_saved_observations_are_those_of_the_current_graders_and_examples():
    current = saved_observations.fingerprint(ASSIGNMENT, saved_observations.examples(ASSIGNMENT))
    assert SAVED["fingerprint"] == current, (
        "the hidden inputs, stand-ins or example answers changed: regenerate with `make observations`"
    )


def test_every_example_answer_and_mistake_is_saved():
    assert set(SAVED["examples"]) == {
        "solution",
        "master",
        "untouched_release",
        *MISTAKES,
        *(edit.name for edit in answers.VARIANTS),
    }


@pytest.mark.parametrize(
    "name, task",
    [
        pytest.param(name, task, marks=getattr(pytest.mark, task), id=f"{task}-{name}")
        for name in sorted(SAVED["examples"])
        for task in TASKS
    ],
)
def test_each_example_loses_exactly_the_tasks_it_breaks(name, task):
    observed = SAVED["examples"][name][task]
    messages = graders.judge(ASSIGNMENT, task, graders.cases(ASSIGNMENT, task), observed)
    if task in lost_by(name):
        assert messages, f"{name} should lose {task}"
        assert all(m.strip() for m in messages)
    else:
        assert messages == [], f"{name} should keep {task}: {messages}"


class _Failures:
    """A pytest plugin that keeps each failed test's message, by task."""

    def __init__(self):
        self.messages = {}

    def pytest_runtest_logreport(self, report):
        if report.failed:
            crash = getattr(report.longrepr, "reprcrash", None)
            text = crash.message if crash else str(report.longrepr)
            for prefix in ("AssertionError: ", "Failed: "):
                text = text.removeprefix(prefix)
            task = report.nodeid.split("::")[0].rsplit("test_", 1)[-1].removesuffix(".py")
            found = self.messages.setdefault(task, [])
            if text not in found:
                found.append(text)


@pytest.mark.parametrize("name", sorted(SAVED["examples"]))
def test_pytest_and_the_class_runner_give_the_same_verdicts_and_messages(name, tmp_path):
    """The class runner's own loop over the test functions (``graders.failures``) and pytest
    itself, on the same observations, fail the same tests with the same messages."""
    saved = tmp_path / "observations.json"
    saved.write_text(__import__("json").dumps({"assignment": ASSIGNMENT, "observations": SAVED["examples"][name]}))
    failures = _Failures()
    status = pytest.main(
        [
            os.path.join(ROOT, "autograder", ASSIGNMENT),
            "--observations",
            str(saved),
            "-q",
            "-p",
            "no:cacheprovider",
            "--no-header",
            "-o",
            "addopts=",
        ],
        plugins=[failures],
    )
    assert status in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED)
    for task in TASKS:
        ours = graders.failures(ASSIGNMENT, task, graders.cases(ASSIGNMENT, task), SAVED["examples"][name][task])
        assert failures.messages.get(task, []) == ours, task
