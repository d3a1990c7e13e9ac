"""Naming the mistake, on saved observations of every example answer (no notebook runs here).

Each example mistake of examples/answers.py is recognised as itself and as nothing else; no
right answer matches any known mistake, even asked without the gate of a lost task; every task
knows at least three mistakes; and no sentence gives the solution away.  The wrong answers of
examples/unforeseen, written apart from the kit, are named with their own mistake four times in
five or more, per task, and never with another.
"""

import importlib

import pytest

from autograder import settings as config
from autograder.grading import diagnosis, graders
from examples import answers, unforeseen
from tests import saved_observations

ASSIGNMENTS = list(answers.EXAMPLES)
SAVED = {assignment: saved_observations.load(assignment) for assignment in ASSIGNMENTS}
UNFORESEEN = {a: saved_observations.load(a, saved_observations.UNFORESEEN)["examples"] for a in ASSIGNMENTS}
RIGHT = ["solution", "master"]


def _mistakes():
    return [
        pytest.param(assignment, edit, marks=getattr(pytest.mark, edit.task), id=f"{assignment}-{edit.name}")
        for assignment in ASSIGNMENTS
        for edit in answers.EXAMPLES[assignment][0]
    ]


def _named(assignment, task, example):
    return [m.name for m in diagnosis.matching(assignment, task, SAVED[assignment]["examples"][example][task])]


@pytest.mark.parametrize("assignment, edit", _mistakes())
def test_each_example_mistake_is_named_as_itself_and_nothing_else(assignment, edit):
    for task in config.graded_tasks(assignment):
        expected = [edit.name] if task == edit.task else []
        assert _named(assignment, task, edit.name) == expected, f"{edit.name}: {edit.what} ({task})"


@pytest.mark.parametrize(
    "assignment, name",
    [(a, n) for a in ASSIGNMENTS for n in RIGHT] + [(a, e.name) for a in ASSIGNMENTS for e in answers.EXAMPLES[a][1]],
)
def test_no_right_answer_matches_a_known_mistake(assignment, name):
    """Asked directly (without the gate of a lost task), a right answer's observations agree with
    no mistake's prediction: every mistake computes something other than the task asks."""
    for task in config.graded_tasks(assignment):
        assert _named(assignment, task, name) == [], f"{name} ({task})"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_task_knows_at_least_three_mistakes_each_made_by_an_example(assignment):
    """A predicted mistake is made by an example answer of its name (examples/answers.py or
    examples/unforeseen); a behaviour is shown by some example answer's observation."""
    examples = {e.name: e.task for e in answers.EXAMPLES[assignment][0]}
    for wrong in saved_observations.wrong_answers(assignment):
        examples.update(dict.fromkeys(unforeseen.own_names(wrong), wrong.task))
    observations = [*SAVED[assignment]["examples"].values(), *UNFORESEEN[assignment].values()]
    settings = config.assignment(assignment)
    for task in config.graded_tasks(assignment):
        known = diagnosis.mistakes(assignment, task)
        assert len(known) >= 3, task
        for mistake in known:
            if not mistake.behaviour:
                assert examples.get(mistake.name) == task, f"{mistake.name} has no example answer in {task}"
                continue
            shows = mistake.predict(graders.cases(assignment, task))
            assert any(
                diagnosis.fits(shows, o[task], settings["diagnosis_rtol"], settings["diagnosis_atol"])
                for o in observations
                if graders.problem(task, o[task]) is None
            ), f"no example answer shows {mistake.name} in {task}"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_the_sentences_are_short_mark_their_code_and_quote_no_solution(assignment):
    """A sentence says what the code seems to do in words a student acts on; it quotes no line of
    the master solution."""
    solution = answers.solutions(assignment)
    secret = {
        line.strip()
        for task in config.graded_tasks(assignment)
        for line in solution[task].splitlines()
        if len(line.strip()) > 12 and not line.strip().startswith(("#", "def ", "return"))
    }
    names = [m.name for task in config.graded_tasks(assignment) for m in diagnosis.mistakes(assignment, task)]
    assert len(names) == len(set(names))
    for task in config.graded_tasks(assignment):
        for mistake in diagnosis.mistakes(assignment, task):
            assert mistake.says.endswith((".", "?")) and len(mistake.says) < 240, mistake.name
            assert not any(line in mistake.says for line in secret), mistake.name
            assert "`" in mistake.says, mistake.name


def test_two_mistakes_that_give_the_same_numbers_are_both_named(monkeypatch):
    """When two known mistakes predict the same numbers, the task names both: here the summed
    loss is known twice over, under a second name."""
    task = "partial_sum_loss"
    summed = next(m for m in diagnosis.mistakes("rnn_sum", task) if m.name == "summed_loss")
    twin = diagnosis.Mistake("summed_twice", "Your `partial_sum_loss` sums.", summed.predict)
    module = importlib.import_module("autograder.assignments.rnn_sum.mistakes")
    monkeypatch.setitem(module.MISTAKES, task, [*module.MISTAKES[task], twin])
    for cached in (diagnosis.mistakes, diagnosis._predictions):
        cached.cache_clear()
    try:
        observed = SAVED["rnn_sum"]["examples"]["summed_loss"][task]
        assert [m.name for m in diagnosis.matching("rnn_sum", task, observed)] == ["summed_loss", "summed_twice"]
    finally:
        diagnosis.mistakes.cache_clear()
        diagnosis._predictions.cache_clear()


def test_agreement_allows_float32_rounding_and_overflow_but_not_a_real_difference():
    agrees = diagnosis.agrees
    assert agrees({"out": {"values": [1.0, 2.0]}}, {"out": {"values": [1.0000001, 2.0], "shape": [2]}}, 1e-3, 1e-5)
    assert not agrees({"out": {"values": [1.0, 2.0]}}, {"out": {"values": [1.1, 2.0]}}, 1e-3, 1e-5)
    assert not agrees({"out": {"values": [1.0, 2.0]}}, {"out": {"values": [1.0]}}, 1e-3, 1e-5)
    assert agrees({"value": 1e50}, {"value": float("inf")}, 1e-3, 1e-5)  # float32 overflowed
    assert not agrees({"value": 1.0}, {"value": float("nan")}, 1e-3, 1e-5)
    assert agrees({"error": diagnosis.ANY}, {"error": "IndexError: ..."}, 1e-3, 1e-5)
    assert not agrees({"error": diagnosis.ANY}, {"out": {}}, 1e-3, 1e-5)
    assert not agrees(True, 1, 1e-3, 1e-5)


def test_a_task_that_could_not_be_judged_names_no_mistake():
    for observed in [{"crash": "NameError: x"}, {"missing": "`cell` is not defined"}, {"stopped": "after 10 s"}]:
        assert diagnosis.matching("rnn_sum", "cell", observed) == []


def _unforeseen(assignment):
    """[(wrong answer, its observations of every task)]."""
    return [(w, UNFORESEEN[assignment][w.student]) for w in saved_observations.wrong_answers(assignment)]


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_each_unforeseen_wrong_answer_loses_points_in_its_own_task_only(assignment):
    """The set measures the diagnosis of one task at a time: each answer is wrong there, right elsewhere."""
    for wrong, observations in _unforeseen(assignment):
        for task, observed in observations.items():
            lost = graders.failures(assignment, task, graders.cases(assignment, task), observed)
            assert bool(lost) == (task == wrong.task), f"{wrong.student}: {task}"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_unforeseen_wrong_answers_are_named_with_their_own_mistake_four_times_in_five(assignment):
    for task in config.graded_tasks(assignment):
        mine = [(w, _named_in(assignment, w, o)) for w, o in _unforeseen(assignment) if w.task == task]
        right = [w.student for w, names in mine if unforeseen.verdict(w, names) == "right"]
        missed = [f"{w.student}: {names}" for w, names in mine if unforeseen.verdict(w, names) != "right"]
        assert mine and len(right) >= 0.8 * len(mine), f"{task}: {len(right)} of {len(mine)}; {missed}"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_no_unforeseen_wrong_answer_is_given_a_name_not_its_own(assignment):
    wrong_names = [
        f"{w.student}: {names}"
        for w, o in _unforeseen(assignment)
        if unforeseen.verdict(w, names := _named_in(assignment, w, o)) == "wrong"
    ]
    assert wrong_names == []


def _named_in(assignment, wrong, observations):
    return [m.name for m in diagnosis.matching(assignment, wrong.task, observations[wrong.task])]


def test_a_prediction_is_computed_only_as_far_as_it_is_compared():
    """A mistake that parts from what came back at the first probe costs that probe alone."""
    computed = []

    def one(probe):
        computed.append(probe["label"])
        return {"out": {"values": [1e9]}}  # no cell returns this

    cases = graders.cases("rnn_sum", "cell")
    predicted = {"probes": diagnosis.lazily(cases, one)}
    observed = SAVED["rnn_sum"]["examples"]["solution"]["cell"]
    assert not diagnosis.fits(predicted, observed, 2e-3, 1e-4)
    assert computed == [cases["probes"][0]["label"]] and len(cases["probes"]) > 1
