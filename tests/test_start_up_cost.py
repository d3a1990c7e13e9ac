"""What a run pays before and after its notebooks: the judging process reads notebooks as
plain JSON and imports neither torch, matplotlib nor nbformat unless it draws; workers start
all at once and the drawing is prepared on the first core that frees up; what a worker
builds in its home on its first start (matplotlib's font list) is kept once per venv."""

import contextlib
import json
import os
import subprocess
import sys
import threading

import pytest

from autograder import runner, sandbox
from autograder.runner import submission as sub
from autograder.sandbox import home, scratch
from examples import answers

HEAVY = ("torch", "matplotlib", "nbformat", "jsonschema")


def _loaded_after(code):
    """The heavy top-level packages a fresh interpreter has imported after ``code``."""
    probe = code + "\nimport sys, json\nprint(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    return sorted(set(json.loads(out.splitlines()[-1])) & set(HEAVY))


def test_reading_and_planning_a_notebook_imports_nothing_heavy(tmp_path):
    path = tmp_path / "rnn_sum.ipynb"
    answers.write(answers.notebook(answers.solutions()), str(path))
    code = (
        "from autograder import cli\nfrom autograder import settings as config\n"
        "from autograder.grading import graders\n"
        "from autograder.runner import submission as sub\n"
        f"s = sub.find([{str(path)!r}])[0]\n"
        "tasks = config.graded_tasks(s.assignment)\n"
        "steps = sub.plan(sub.load(s.notebook), sub.master_cells(s.assignment), tasks,\n"
        "                 {t: graders.cases(s.assignment, t) for t in tasks})\n"
        "assert any(step.kind == 'task' for step in steps)\n"
    )
    assert _loaded_after(code) == []


def _write(tmp_path, nb):
    path = tmp_path / "rnn_sum.ipynb"
    path.write_text(json.dumps(nb))
    return str(path)


def _notebook(*cells):
    return {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": list(cells)}


GOOD = {"cell_type": "code", "metadata": {}, "source": ["x = 1\n", "y = 2"], "outputs": [], "execution_count": None}


@pytest.mark.parametrize(
    "cell, reason",
    [
        (3, "cell 2 of the notebook is damaged (it is not a JSON object)"),
        ({"metadata": {}, "source": ""}, "cell 2 of the notebook is damaged (it has no cell_type)"),
        (dict(GOOD, source=42), "cell 2 of the notebook is damaged (its source is not text)"),
        (dict(GOOD, source=["a", 1]), "cell 2 of the notebook is damaged (its source is not text)"),
        (dict(GOOD, metadata=[]), "cell 2 of the notebook is damaged (its metadata is not a JSON object)"),
        (dict(GOOD, metadata={"nbgrader": "x"}), "cell 2 of the notebook is damaged (its nbgrader metadata"),
        (dict(GOOD, metadata={"nbgrader": {"grade_id": 7}}), "cell 2 of the notebook is damaged (its nbgrader"),
    ],
)
def test_a_damaged_cell_is_named_with_what_is_wrong(tmp_path, cell, reason):
    with pytest.raises(sub.NotGradable) as raised:
        sub.load(_write(tmp_path, _notebook(GOOD, cell)))
    assert str(raised.value).startswith(reason)


def test_a_notebook_reads_as_nbformat_reads_it(tmp_path):
    """Cells keep their attributes (nb.cells, cell.source) as nbformat's nodes do."""
    path = tmp_path / "rnn_sum.ipynb"
    answers.write(answers.notebook(answers.solutions()), str(path))
    import nbformat

    ours, theirs = sub.load(str(path)), nbformat.read(str(path), as_version=4)
    assert [sub._text(c.source) for c in ours.cells] == [c.source for c in theirs.cells]
    assert [c.get("metadata", {}).get("nbgrader") for c in ours.cells] == [
        c.metadata.get("nbgrader") for c in theirs.cells
    ]


def test_an_older_format_is_converted(tmp_path):
    v3 = {
        "nbformat": 3,
        "nbformat_minor": 0,
        "metadata": {},
        "worksheets": [{"cells": [{"cell_type": "code", "input": "x = 1", "language": "python", "outputs": []}]}],
    }
    path = _write(tmp_path, v3)
    nb = sub.load(path)
    assert [c.source for c in nb.cells] == ["x = 1"]


class _FakeWorkers:
    def __init__(self, jobs):
        self.jobs = jobs

    def __len__(self):
        return self.jobs

    @contextlib.contextmanager
    def worker(self):
        yield None


def test_the_drawing_is_prepared_once_when_a_worker_first_runs_out_of_notebooks():
    calls, lock = [], threading.Lock()
    seen_when_idle = []

    def work(item, worker):
        with lock:
            calls.append(item)
        return item * 10

    def on_idle():
        seen_when_idle.append(len(calls))

    results = runner.run_all(list(range(7)), work, workers=_FakeWorkers(3), on_idle=on_idle)
    assert results == [i * 10 for i in range(7)]
    assert len(seen_when_idle) == 1  # once, though three workers ran out
    assert seen_when_idle[0] >= 7 - 2  # the queue was empty: at most the other two were still at work


def test_workers_are_started_without_waiting_for_them(monkeypatch, tmp_path):
    """``Workers`` spawns every worker and returns: they import torch while the caller goes on."""
    spawned, waited = [], []
    monkeypatch.setattr(runner.Worker, "_spawn", lambda self: spawned.append(self.slot))
    monkeypatch.setattr(runner.Worker, "wait_ready", lambda self: waited.append(self.slot) or self)
    monkeypatch.setattr(runner.Worker, "close", lambda self: None)
    with runner.Workers(3) as workers:
        assert spawned == [0, 1, 2] and waited == []
        workers.get(1)
        assert waited == [1]


def test_a_home_is_kept_only_before_any_notebook_ran_in_it(monkeypatch, tmp_path):
    """After a restart, a notebook may have written into the worker's home: nothing is kept then."""
    kept = []
    monkeypatch.setattr(sandbox, "keep_home", kept.append)
    monkeypatch.setattr(runner.Worker, "_spawn", lambda self: setattr(self, "_ready", False))
    monkeypatch.setattr(runner.Worker, "receive", lambda self, timeout: {"ready": 1})
    monkeypatch.setattr(runner.Worker, "close", lambda self: None)
    area = scratch.ScratchArea()
    try:
        worker = runner.Worker(0, area)
        assert kept == [os.path.join(worker.folder, "home")]
        worker.restart()
        assert len(kept) == 1
    finally:
        area.close()


def test_what_a_worker_built_at_its_first_start_is_kept_once_per_venv(monkeypatch, tmp_path):
    cache = tmp_path / "venv-share"
    monkeypatch.setattr(home, "HOME_CACHE", str(cache))
    first = tmp_path / "first-home"
    first.mkdir()
    (first / "fontlist-v3.11.0.json").write_text('{"fonts": 1}')
    (first / "notes.txt").write_text("not kept")
    (first / ".ipython").mkdir()
    home.keep_home(str(first))
    assert sorted(os.listdir(cache)) == ["fontlist-v3.11.0.json"]

    second = tmp_path / "second-home"
    second.mkdir()
    home.seed_home(str(second))
    assert (second / "fontlist-v3.11.0.json").read_text() == '{"fonts": 1}'

    (first / "fontlist-v3.11.0.json").write_text('{"fonts": "changed later"}')
    home.keep_home(str(first))  # kept once: never written again
    assert (cache / "fontlist-v3.11.0.json").read_text() == '{"fonts": 1}'


def test_a_read_only_venv_only_costs_the_cache(monkeypatch, tmp_path):
    monkeypatch.setattr(home, "HOME_CACHE", "/proc/no-such-venv/share")
    folder = tmp_path / "home"
    folder.mkdir()
    (folder / "fontlist-v3.11.0.json").write_text("{}")
    home.keep_home(str(folder))
    home.seed_home(str(folder))
    assert os.listdir(folder) == ["fontlist-v3.11.0.json"]


@pytest.mark.sandbox
def test_a_shard_is_graded_without_importing_torch_or_matplotlib_in_the_judging_process(tmp_path):
    """A shard draws nothing, so its judging process never imports what drawing needs; the
    workers (other processes) import torch."""
    answers.write(answers.notebook(answers.solutions()), str(tmp_path / "submitted/amy/rnn_sum/rnn_sum.ipynb"))
    code = (
        "import os\n"
        f"os.chdir({str(tmp_path)!r})\n"
        "from autograder import cli\n"
        "assert cli.main(['grade', 'submitted', '--json', 'shard.json', '--shard', '1/1', '--quiet']) == 0\n"
    )
    assert _loaded_after(code) == []
    [entry] = json.loads((tmp_path / "shard.json").read_text())["records"]
    assert entry["record"]["total"] == entry["record"]["max_total"]


@pytest.mark.sandbox
def test_a_worker_reads_the_kept_font_list_instead_of_building_it(tmp_path):
    if sandbox.bwrap_problem() is not None:
        pytest.skip(sandbox.bwrap_problem())
    with runner.Workers(1):  # the first start in this venv builds and keeps it
        pass
    [kept] = [n for n in os.listdir(home.HOME_CACHE) if n.startswith("fontlist-")]
    area = scratch.ScratchArea()
    try:
        worker = runner.Worker(0, area, wait=False)
        folder = os.path.join(worker.folder, "home")
        before = os.stat(os.path.join(folder, kept)).st_mtime_ns
        worker.wait_ready()
        worker.close()
        assert os.stat(os.path.join(folder, kept)).st_mtime_ns == before  # matplotlib did not rewrite it
    finally:
        area.close()
