"""Notebooks that are broken or hostile: each still gets a record, loses only what it
broke, gains nothing it did not earn, and does not stop the rest of the class."""

import json

import pytest

import course_config as config
from examples import answers
from tests.conftest import grade_class, lost, messages

pytestmark = pytest.mark.sandbox

CHEATS = """
import sys, types, torch
torch.allclose = lambda *args, **kwargs: True
torch.Tensor.__eq__ = lambda self, other: True
torch.cumsum = lambda *args, **kwargs: args[0]
fake = types.ModuleType("autograder")
fake.kernel = types.SimpleNamespace(check=lambda *args: None)
sys.modules["autograder"] = fake
sys.modules["autograder.kernel"] = fake.kernel
"""

ALWAYS_EQUAL = """
class AlwaysEqual(torch.Tensor):
    def __eq__(self, other):
        return True
    def allclose(self, *args, **kwargs):
        return True


def model(SIGNAL):
    return AlwaysEqual(torch.zeros(SIGNAL.size(0)))
"""

NEVER_ENDS = """
def train(SIGNAL, TARGET, epochs, lr):
    optimizer = torch.optim.SGD([BIAS, WEIGHTF, WEIGHTS], lr=lr)
    LOSSES = []
    epoch = 0
    while epoch < epochs:  # forgot epoch += 1
        LOSS = partial_sum_loss(batched_model(SIGNAL), TARGET)
        optimizer.zero_grad()
        LOSS.backward()
        optimizer.step()
        LOSSES.append(LOSS.item())
    return LOSSES
"""

SWALLOWS_INTERRUPT = """
import time
while True:
    try:
        time.sleep(0.1)
    except KeyboardInterrupt:
        pass
"""


def _quick(nb):
    """Without the two given cells that call train again (the visible check and the demo),
    so a train that never ends costs one time limit, not three."""
    nb = answers.without_cell(nb, "check_train")
    nb.cells = [c for c in nb.cells if "LOSSES = train(SIGNAL, TARGET, 1000, 0.01)" not in c.source]
    return nb


@pytest.fixture(scope="module")
def records(tmp_path_factory, solutions):
    right = answers.notebook(solutions)
    wrong_model = answers.apply(solutions, next(e for e in answers.MISTAKES if e.name == "cumsum_bypasses_cell"))
    syntax = dict(solutions, model=solutions["model"].replace("range(frames):", "range(frames)"))
    notebooks = {
        "correct": right,
        "not_json": answers.not_json(right),
        "json_not_notebook": json.dumps({"hello": "world"}),
        "empty_file": "",
        "syntax_error": answers.notebook(syntax),
        "raises_at_top_level": answers.with_code_cell(right, "test_cell", "raise RuntimeError('oops')"),
        "model_cell_deleted": answers.without_cell(right, "model"),
        "test_cell_deleted": answers.without_cell(right, "test_train"),
        "train_never_ends": _quick(answers.notebook(dict(solutions, train=NEVER_ENDS))),
        "swallows_keyboard_interrupt": answers.with_code_cell(right, "test_batched_model", SWALLOWS_INTERRUPT),
        "exits_in_model": answers.notebook(dict(solutions, model="import os\n\ndef model(SIGNAL):\n    os._exit(3)\n")),
        "sys_exit_at_top_level": answers.with_code_cell(right, "test_model", "import sys\nsys.exit(0)"),
        "cheats_with_patches": answers.with_code_cell(answers.notebook(wrong_model), "model", CHEATS),
        "always_equal_result": answers.notebook(dict(solutions, model=ALWAYS_EQUAL)),
    }
    return grade_class(tmp_path_factory.mktemp("broken"), notebooks)


def test_every_notebook_gets_a_record(records):
    """Nothing stops the class: every notebook found has a record with every task."""
    assert len(records) == 14
    for record in records.values():
        assert set(record["tasks"]) == set(config.ASSIGNMENTS["rnn_sum"]["graded_tasks"])


@pytest.mark.parametrize(
    "name, reason",
    [
        ("not_json", "not valid JSON"),
        ("json_not_notebook", "not a Jupyter notebook"),
        ("empty_file", "not valid JSON"),
    ],
)
def test_unreadable_notebook_gets_zero_and_a_reason(records, name, reason):
    """A file that is not a notebook gets an error line, zero points, and a reason per task."""
    record = records[name]
    assert reason in record["error"]
    assert record["total"] == 0
    assert all(reason in messages(record, t) for t in config.ASSIGNMENTS["rnn_sum"]["graded_tasks"])


@pytest.mark.parametrize(
    "name, task, reason",
    [
        ("syntax_error", "model", "the cell that defines `model` raised SyntaxError"),
        ("model_cell_deleted", "model", "the notebook has no cell with grade_id `model`"),
        (
            "train_never_ends",
            "train",
            f"stopped after {config.ASSIGNMENTS['rnn_sum']['task_timeout']['train']} s in train",
        ),
        ("exits_in_model", "model", "the notebook's process exited (exit code 3)"),
        ("cheats_with_patches", "model", "(the recurrence)"),
        ("always_equal_result", "model", "is 0, expected"),
    ],
)
def test_a_broken_task_costs_only_that_task(records, name, task, reason):
    """The broken task gets zero and says why; every other task keeps its points."""
    record = records[name]
    assert record["error"] is None
    assert lost(record) == [task], record["tasks"]
    assert reason in messages(record, task)


@pytest.mark.parametrize(
    "name",
    [
        "raises_at_top_level",
        "test_cell_deleted",
        "swallows_keyboard_interrupt",
        "sys_exit_at_top_level",
    ],
)
def test_trouble_outside_the_graded_functions_costs_nothing(records, name):
    """An extra cell that raises, exits or never ends, or a deleted test cell, loses no points."""
    assert lost(records[name]) == [], records[name]["tasks"]


def test_a_notebook_that_is_a_link_to_the_master_earns_nothing(tmp_path, solutions):
    """A submission that is a symbolic link (here to the master notebook, which holds every
    solution) is not read: its record says why, with zero points, beside a right answer."""
    import os

    from autograder import runner
    from autograder.runner import submission as sub

    folder = tmp_path / "submitted"
    answers.write(answers.notebook(solutions), str(folder / "right" / "rnn_sum" / "rnn_sum.ipynb"))
    (folder / "linked" / "rnn_sum").mkdir(parents=True)
    os.symlink(sub.master_path("rnn_sum"), folder / "linked" / "rnn_sum" / "rnn_sum.ipynb")
    records = {r["student"]: r for r in runner.grade_all(sub.find([str(folder)]))}
    assert records["linked"]["total"] == 0 and "symbolic link" in records["linked"]["error"]
    assert records["right"]["total"] == records["right"]["max_total"]
