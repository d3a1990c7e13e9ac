"""Judging in milliseconds: the hidden tests on saved observations of every example answer.

No notebook runs here (``tests/saved_observations.py`` says how the observations were made,
and ``tests/test_grades.py`` checks them against a fresh run in the sandbox).  Each check is
marked with its task: ``pytest -m train tests/test_judging.py`` judges only `train`.
"""

import json

import pytest

from autograder import settings as config
from autograder.grading import graders
from examples import answers
from tests import saved_observations

ASSIGNMENTS = list(answers.EXAMPLES)
SAVED = {assignment: saved_observations.load(assignment) for assignment in ASSIGNMENTS}


def lost_by(assignment, name):
    """The tasks an example should lose: its mistake's task, every task for the untouched
    release, none for the solution, the master and the other correct answers."""
    if name == "untouched_release":
        return set(config.graded_tasks(assignment))
    mistakes = {edit.name: edit for edit in answers.EXAMPLES[assignment][0]}
    return {mistakes[name].task} if name in mistakes else set()


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_the_saved_observations_are_those_of_the_current_graders_and_examples(assignment):
    current = saved_observations.fingerprint(assignment, saved_observations.examples(assignment))
    assert SAVED[assignment]["fingerprint"] == current, (
        "the hidden inputs, stand-ins or example answers changed: regenerate with `make observations`"
    )


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_example_answer_and_mistake_is_saved(assignment):
    mistakes, variants = answers.EXAMPLES[assignment]
    assert set(SAVED[assignment]["examples"]) == {
        "solution",
        "master",
        "untouched_release",
        *(e.name for e in mistakes + variants),
    }


@pytest.mark.parametrize(
    "assignment, name, task",
    [
        pytest.param(assignment, name, task, marks=getattr(pytest.mark, task), id=f"{assignment}-{task}-{name}")
        for assignment in ASSIGNMENTS
        for name in sorted(SAVED[assignment]["examples"])
        for task in config.graded_tasks(assignment)
    ],
)
def test_each_example_loses_exactly_the_tasks_it_breaks(assignment, name, task):
    observed = SAVED[assignment]["examples"][name][task]
    messages = graders.judge(assignment, task, graders.cases(assignment, task), observed)
    if task in lost_by(assignment, name):
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


@pytest.mark.parametrize("assignment, name", [(a, n) for a in ASSIGNMENTS for n in sorted(SAVED[a]["examples"])])
def test_pytest_and_the_class_runner_give_the_same_verdicts_and_messages(assignment, name, tmp_path):
    """The class runner's own loop over the test functions (``graders.failures``) and pytest
    itself, on the same observations, fail the same tests with the same messages."""
    saved = tmp_path / "observations.json"
    observations = SAVED[assignment]["examples"][name]
    saved.write_text(json.dumps({"assignment": assignment, "observations": observations}))
    failures = _Failures()
    args = [
        config.graders_folder(assignment),
        "--observations",
        str(saved),
        "-q",
        "-p",
        "no:cacheprovider",
        "--no-header",
        "-o",
        "addopts=",
    ]
    status = pytest.main(args, plugins=[failures])
    assert status in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED)
    for task in config.graded_tasks(assignment):
        ours = graders.failures(assignment, task, graders.cases(assignment, task), observations[task])
        assert failures.messages.get(task, []) == ours, task


def test_pytest_names_the_known_mistake_after_the_failed_tests(tmp_path, capsys):
    """An instructor asking pytest about a notebook reads, at the end, which known mistake its
    failed task looks like."""
    saved = tmp_path / "observations.json"
    observations = SAVED["rnn_sum"]["examples"]["missing_zero_grad"]
    saved.write_text(json.dumps({"assignment": "rnn_sum", "observations": observations}))
    args = [config.graders_folder("rnn_sum"), "--observations", str(saved), "-q", "-p", "no:cacheprovider"]
    assert pytest.main([*args, "-o", "addopts="]) == pytest.ExitCode.TESTS_FAILED
    out = capsys.readouterr().out
    summary = out[out.index("what may have gone wrong (known mistakes)") :]
    assert "train: Your `train` follows what SGD does when the gradients are never cleared" in summary
    assert "(missing_zero_grad)" in summary and "cell:" not in summary


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_pytest_selects_a_task_s_hidden_checks_by_its_mark(assignment, tmp_path):
    """``pytest autograder/assignments/<assignment> -m <task>`` runs the checks of that task and nothing
    else (the assignment's last task: `train` in the kit's two)."""
    task = config.graded_tasks(assignment)[-1]
    saved = tmp_path / "observations.json"
    observations = SAVED[assignment]["examples"]["solution"]
    saved.write_text(json.dumps({"assignment": assignment, "observations": observations}))
    ran = _Ran()
    args = [config.graders_folder(assignment), "--observations", str(saved), "-p", "no:cacheprovider"]
    assert pytest.main([*args, "-q", "-m", task, "-o", "addopts="], plugins=[ran]) == pytest.ExitCode.OK
    assert ran.modules == {f"test_{task}.py"}
    assert len(ran.passed) == len(graders.tests(graders.module(assignment, task)))


class _Ran:
    def __init__(self):
        self.passed, self.modules = [], set()

    def pytest_runtest_logreport(self, report):
        if report.when == "call":
            self.passed.append(report.nodeid)
            self.modules.add(report.nodeid.split("::")[0].rsplit("/", 1)[-1])
