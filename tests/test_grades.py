"""The grades of honest work: full marks, zero, and each typical mistake."""

import pytest

import course_config as config
from autograder.grading import diagnosis, graders
from examples import answers
from tests import saved_observations
from tests.conftest import grade_class, lost, messages

pytestmark = pytest.mark.sandbox


@pytest.fixture(scope="module")
def records(tmp_path_factory):
    """The whole set graded in one run: the solution, the release, every mistake and variant."""
    return grade_class(tmp_path_factory.mktemp("class"), saved_observations.examples("rnn_sum"))


def test_the_saved_observations_give_the_verdicts_of_a_fresh_run(records):
    """What the quick tier judges (tests/observations/) is what the sandbox observes today."""
    saved = saved_observations.load("rnn_sum")
    for name, record in records.items():
        observations = saved["examples"][name]
        from_saved = sorted(
            t
            for t in observations
            if graders.judge(saved["assignment"], t, graders.cases(saved["assignment"], t), observations[t])
        )
        assert lost(record) == from_saved, name


def test_solution_scores_full_marks(records):
    """A release notebook filled in with the master solutions gets every point."""
    record = records["solution"]
    assert lost(record) == [], record
    assert (
        record["total"]
        == record["max_total"]
        == sum(config.ASSIGNMENTS["rnn_sum"]["points"][t] for t in config.ASSIGNMENTS["rnn_sum"]["graded_tasks"])
    )
    assert all(v["messages"] == [] for v in record["tasks"].values())


def test_master_notebook_scores_full_marks(records):
    """The master notebook itself, hidden tests and all, gets every point."""
    assert lost(records["master"]) == []


def test_untouched_release_scores_zero_on_every_task(records):
    """The release as students get it scores zero everywhere, with a reason for each task."""
    record = records["untouched_release"]
    assert record["error"] is None
    assert record["total"] == 0
    for task, result in record["tasks"].items():
        assert result["points"] == 0
        assert "NotImplementedError" in messages(record, task), task


@pytest.mark.parametrize("edit", answers.MISTAKES, ids=lambda e: e.name)
def test_each_mistake_costs_only_its_own_task(records, edit):
    """A typical mistake loses the points of the task it is in and keeps every other point."""
    record = records[edit.name]
    assert lost(record) == [edit.task], f"{edit.what}: {record['tasks']}"
    assert record["tasks"][edit.task]["messages"], "a lost point needs a reason"
    # ... and its record names the mistake, in its task only
    [mistake] = [m for m in diagnosis.mistakes("rnn_sum", edit.task) if m.name == edit.name]
    assert {t: r["diagnosis"] for t, r in record["tasks"].items()} == {
        t: [mistake.says] if t == edit.task else [] for t in record["tasks"]
    }


@pytest.mark.parametrize("edit", answers.VARIANTS, ids=lambda e: e.name)
def test_other_correct_answers_get_full_marks(records, edit):
    """Correct code written differently from the master solution loses nothing, and is told of no mistake."""
    assert lost(records[edit.name]) == [], records[edit.name]["tasks"]
    assert all(r["diagnosis"] == [] for r in records[edit.name]["tasks"].values())


@pytest.mark.parametrize(
    "mistake, expected",
    [
        ("only_final_state", "expected shape (1,), got shape ()"),
        ("detached_state", "the gradient of BIAS is"),
        ("cumsum_bypasses_cell", "(the recurrence): element [0] is"),
        ("summed_loss", "expected"),
        ("loss_as_float", "expected a tensor of shape (), got float"),
        ("swapped_batch_dimensions", "(frames, samples)"),
        ("missing_zero_grad", "the loss of epoch 2 is"),
        ("losses_as_tensors", "is a Tensor, expected a Python float"),
        ("own_loss_not_partial_sum_loss", "called partial_sum_loss 0 times, expected once per epoch"),
        ("parameters_without_grad", "WEIGHTS does not have requires_grad=True"),
        ("parameters_as_floats", "BIAS a float, not a tensor"),
    ],
)
def test_messages_say_what_was_checked_and_what_came_back(records, mistake, expected):
    """Failure messages name the check, the expectation and what the function returned."""
    edit = next(e for e in answers.MISTAKES if e.name == mistake)
    assert expected in messages(records[mistake], edit.task)


def test_messages_do_not_show_the_solution(records, solutions):
    """No message quotes a line of the master solution or of the graders' code."""
    secret_lines = {
        line.strip()
        for task in config.ASSIGNMENTS["rnn_sum"]["graded_tasks"]
        for line in solutions[task].splitlines()
        if len(line.strip()) > 12 and not line.strip().startswith(("#", "def ", "return"))
    }
    for record in records.values():
        for result in record["tasks"].values():
            for message in result["messages"] + result["diagnosis"]:
                assert not any(line in message for line in secret_lines), message
                assert "autograder" not in message and "Traceback" not in message, message
