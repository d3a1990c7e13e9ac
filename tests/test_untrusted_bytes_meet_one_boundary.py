"""Whatever a submission's file holds and whatever the student's process sends, the one boundary
(``autograder.runner.boundary``) answers with a notebook, an event, an observation, or one line
saying why not; and what passes it judges into a record whose every message is a string.

Quick: no sandbox.  Part of the fuzz tier (``-m fuzz``): Hypothesis, seeded (``derandomize``) and
bounded, mutates real notebooks and real observations (those the example answers' functions
returned, ``tests/observations``) and throws arbitrary JSON and bytes at the event reader.
"""

import json
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograder import records as rec
from autograder import settings as course
from autograder.outputs import feedback, tables
from autograder.runner import Outcome, boundary, judged
from autograder.runner import submission as sub
from tests import fuzzing, saved_observations

pytestmark = pytest.mark.fuzz

# -- notebooks -----------------------------------------------------------------------------


def test_a_file_nested_a_hundred_thousand_deep_is_not_gradable_with_a_reason():
    deep = b'{"cells": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    with pytest.raises(boundary.NotGradable, match="nested more than"):
        boundary.notebook(deep)


def test_a_file_nested_just_past_the_limit_is_refused_and_one_within_it_is_read():
    def nested(depth):  # a cell's metadata holding lists ``depth`` deep in all
        cell = {"cell_type": "code", "source": "", "metadata": {"x": "LIST"}}
        text = json.dumps({"cells": [cell], "nbformat": 4})
        inner = depth - 4  # the notebook, its cells, the cell, its metadata
        return text.replace('"LIST"', "[" * inner + "]" * inner).encode()

    boundary.notebook(nested(boundary.MAX_DEPTH))
    with pytest.raises(boundary.NotGradable, match="nested more than"):
        boundary.notebook(nested(boundary.MAX_DEPTH + 1))


def test_a_file_over_the_size_limit_is_refused_before_it_is_parsed(tmp_path):
    path = tmp_path / "rnn_sum.ipynb"
    with open(path, "wb") as f:
        f.write(b'{"cells": [], "x": "')
        f.seek(boundary.NOTEBOOK_MAX_BYTES)
        f.write(b'"}')
    with pytest.raises(boundary.NotGradable, match="larger than"):
        boundary.read_notebook(str(path))


def test_a_number_too_long_to_convert_is_not_gradable():
    with pytest.raises(boundary.NotGradable, match="cannot be read"):
        boundary.notebook(b'{"cells": [], "nbformat": ' + b"9" * 10_000 + b"}")


@fuzzing.FUZZ
@given(data=st.data())
def test_a_mutated_notebook_is_read_or_refused_with_one_line(data):
    raw = fuzzing.mutated_notebook(data)
    try:
        nb = boundary.notebook(raw)
    except boundary.NotGradable as exc:
        assert isinstance(str(exc), str) and "\n" not in str(exc)
        return
    # what passed the boundary plans without failing: every cell's parts have their types
    assignment = "rnn_sum"
    tasks = list(course.graded_tasks(assignment))
    sub.plan(nb, sub.master_cells(assignment), tasks, dict.fromkeys(tasks, {}))


# -- what the student's process sends -----------------------------------------------------------


def _saved_observations():
    for assignment in ("rnn_sum", "rnn_layers"):
        for name, observations in saved_observations.load(assignment)["examples"].items():
            for task, observed in observations.items():
                if "stopped" not in observed:  # the runner's, not the child's
                    yield assignment, name, task, observed


SAVED = list(_saved_observations())


def test_every_observation_the_example_answers_gave_passes_the_boundary_unchanged():
    assert len(SAVED) > 100
    for assignment, name, task, observed in SAVED:
        assert boundary.observation(observed) == observed, (assignment, name, task)


def test_an_observation_that_speaks_for_the_runner_is_malformed():
    with pytest.raises(boundary.Malformed, match="stopped"):
        boundary.observation({"stopped": {"forged": [1, 2]}})
    with pytest.raises(boundary.Malformed, match="stopped"):
        boundary.observation({"probes": [], "stopped": "stopped after 10 s"})


def test_a_long_string_from_the_child_is_cut_and_a_huge_number_is_a_number():
    observed = boundary.observation({"crash": "x" * 10**6, "probes": [{"params": [10**400], "error": "e" * 5000}]})
    assert len(observed["crash"]) == boundary.MAX_TEXT
    assert len(observed["probes"][0]["error"]) == boundary.MAX_TEXT
    assert observed["probes"][0]["params"] == [math.inf]


@pytest.mark.parametrize(
    "line",
    [
        b"[" * 100_000 + b"]" * 100_000,
        b'{"event": "end", "step": 1, "observed": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
        b"\xff\xfe not text",
        b'{"event": "start", "step": true}',
        b'{"event": "start", "step": -1}',
        b'{"event": "start", "step": 1, "by": "the runner"}',
        b'{"event": "crash", "error": {"not": "text"}}',
        b'{"event": "stopped", "step": 1}',
        b'{"event": "start", "step": ' + b"9" * 10_000 + b"}",
    ],
)
def test_an_event_line_that_is_not_an_event_is_malformed(line):
    with pytest.raises(boundary.Malformed):
        boundary.event(line)


def _judged_everywhere(assignment, task, observed):
    """The record and the page of a notebook whose one task sent ``observed`` through the boundary."""
    try:
        observed = boundary.observation(observed)
    except boundary.Malformed as exc:  # what the runner then records
        observed = {"stopped": f"what the notebook's process sent could not be read ({exc})"}
    outcome = Outcome(course.graded_tasks(assignment))
    for t in outcome.observations:
        outcome.observations[t] = {"missing": f"`{t}` is not defined"}
    outcome.observations[task] = observed
    record, details = judged(sub.Submission("fuzz.ipynb", assignment, "fuzz"), outcome)
    for result in record["tasks"].values():
        assert all(isinstance(m, str) for m in result["messages"])
        assert all(isinstance(d, str) for d in result.get("diagnosis", []))
    assert all(isinstance(s, str) for s in fuzzing.strings(record))
    json.dumps(record)  # what OUT.json and the journal hold
    feedback.feedback_html(record, details)
    tables.text_report(record)
    return record


@fuzzing.FUZZ
@given(data=st.data())
def test_a_real_observation_with_one_field_changed_judges_into_a_record_of_strings(data):
    assignment, _, task, observed = data.draw(st.sampled_from(SAVED))
    path = data.draw(st.sampled_from(list(fuzzing.paths(observed))))
    record = _judged_everywhere(assignment, task, fuzzing.replaced(observed, path, data.draw(fuzzing.JSON)))
    assert record["total"] <= record["max_total"]


@fuzzing.FUZZ
@given(assignment=st.sampled_from(["rnn_sum", "rnn_layers"]), data=st.data())
def test_any_protocol_like_observation_judges_into_a_record_of_strings(assignment, data):
    task = data.draw(st.sampled_from(course.graded_tasks(assignment)))
    _judged_everywhere(assignment, task, data.draw(fuzzing.protocol_like()))


@fuzzing.FUZZ
@given(line=fuzzing.event_line())
def test_any_line_is_an_event_or_malformed(line):
    try:
        event = boundary.event(line)
    except boundary.Malformed as exc:
        assert "\n" not in str(exc)
        return
    assert event["event"] in boundary.EVENTS


def test_a_record_of_a_machine_fault_says_so_and_is_no_grade():
    record = rec.record("ada", "rnn_sum", "x.ipynb", {}, error=rec.machine_fault("a grading worker stopped answering"))
    assert rec.by_machine(record)
    assert not rec.by_machine(rec.record("ada", "rnn_sum", "x.ipynb", {}, error="the file is not valid JSON"))


def test_a_machine_fault_is_not_kept_for_the_next_run_to_reuse(tmp_path):
    from autograder.runner import journal

    out = str(tmp_path / "out.json")
    log = journal.Journal(out)
    graded = rec.record("ada", "rnn_sum", "a.ipynb", {}, error=None)
    lost = rec.record("sam", "rnn_sum", "s.ipynb", {}, error=rec.machine_fault("a grading worker stopped answering"))
    log.add("ada-key", graded, {})
    log.add("sam-key", lost, {})
    log.close()
    assert set(journal.Journal(out).done) == {"ada-key"}
