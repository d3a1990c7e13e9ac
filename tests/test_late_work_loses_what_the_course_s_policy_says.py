"""Late work, by the course's deadline and late policy (``autograder.grading.deadlines``): flagged
after the deadline and not at it, penalised as course_config.py's ``late_policy`` says, its grade
the total less the penalty; every route's way of writing a time reads the same."""

import copy
import types

import pytest

import course_config
from autograder import records as rec
from autograder import settings
from autograder.grading import deadlines

DEADLINE = "2026-12-18T23:59:00+00:00"


@pytest.fixture
def due(monkeypatch):
    """rnn_sum due at DEADLINE; returns a setter of its late policy."""
    monkeypatch.setitem(settings.ASSIGNMENTS["rnn_sum"], "deadline", DEADLINE)

    def set_policy(method, **more):
        monkeypatch.setitem(settings.ASSIGNMENTS["rnn_sum"], "late_policy", {"method": method, **more})

    return set_policy


def test_every_route_s_way_of_writing_a_time_reads_the_same():
    expected = deadlines.parse_time("2026-12-04T22:46:27.123456+00:00")
    assert expected.tzinfo is not None and expected.utcoffset().total_seconds() == 0
    for text in (
        "2026-12-04 22:46:27.123456 UTC",  # nbgrader's timestamp.txt
        "2026-12-04 14:46:27.123456 -0800",  # nbgrader's, with a numeric offset
        "2026-12-04 17:46:27.123456 America/New_York",  # nbgrader's, with a zone's name
        "2026-12-04T14:46:27.123456-08:00",  # Gradescope's created_at
        "2026-12-04 22:46:27.123456",  # no zone: UTC, as nbgrader's parse_utc
    ):
        assert deadlines.parse_time(text) == expected, text
    with pytest.raises(ValueError):
        deadlines.parse_time("yesterday")


def test_no_deadline_or_no_time_is_never_late(due):
    assert deadlines.late("rnn_layers", "2099-01-01 00:00:00 UTC", 8.0) is None  # rnn_layers has none
    assert deadlines.late("rnn_sum", None, 9.0) is None


def test_exactly_at_the_deadline_is_on_time_and_a_second_after_is_late(due):
    due("zero")
    assert deadlines.late("rnn_sum", "2026-12-18 23:59:00.000000 UTC", 9.0) is None
    assert deadlines.late("rnn_sum", "2026-12-18 23:59:01 UTC", 9.0) == {"seconds": 1.0, "penalty": 9.0}


def test_policy_none_flags_late_work_and_takes_nothing(due):
    due("none")
    late = deadlines.late("rnn_sum", "2026-12-19 02:00:00 UTC", 9.0)
    assert late == {"seconds": 7260.0, "penalty": 0.0}


def test_policy_per_hour_takes_its_fraction_for_each_started_hour_up_to_every_point(due):
    due("per_hour", per_hour=0.1)
    assert deadlines.late("rnn_sum", "2026-12-19 00:00:00 UTC", 9.0)["penalty"] == 0.9  # 1 minute: 1 hour
    assert deadlines.late("rnn_sum", "2026-12-19 01:59:00 UTC", 9.0)["penalty"] == 1.8  # exactly 2 hours
    assert deadlines.late("rnn_sum", "2026-12-19 01:59:01 UTC", 10.0)["penalty"] == 3.0  # a third, started
    assert deadlines.late("rnn_sum", "2026-12-25 00:00:00 UTC", 9.0)["penalty"] == 9.0  # never more than all


def test_a_due_date_of_the_student_s_own_overrides_the_course_s(due):
    due("zero")
    assert deadlines.late("rnn_sum", "2026-12-19T10:00:00Z", 9.0, due_at="2026-12-20T00:00:00+00:00") is None
    # rnn_layers has no deadline of the course's, and its policy "none": flagged, nothing lost
    late = deadlines.late("rnn_layers", "2026-12-19T10:00:00+01:00", 8.0, due_at="2026-12-19T08:00:00+00:00")
    assert late == {"seconds": 3600.0, "penalty": 0.0}


def test_the_grade_is_the_total_less_the_penalty_never_below_zero(due):
    due("per_hour", per_hour=0.25)
    tasks = {"cell": rec.task_result(1.0, []), "train": rec.task_result(3.0, ["wrong"])}
    late = deadlines.late("rnn_sum", "2026-12-19 00:30:00 UTC", 4.0)
    record = rec.record("ada", "rnn_sum", "nb.ipynb", tasks, late=late)
    assert record["total"] == 1.0 and record["late"] == {"seconds": 1860.0, "penalty": 1.0}
    assert deadlines.grade(record) == 0.0
    assert deadlines.grade(rec.record("ada", "rnn_sum", "nb.ipynb", tasks)) == 1.0
    assert "late" not in rec.record("ada", "rnn_sum", "nb.ipynb", tasks)


def test_a_deadline_without_offset_or_an_unknown_policy_is_named():
    course = types.SimpleNamespace(**{k: copy.deepcopy(v) for k, v in vars(course_config).items() if k.isupper()})
    course.ASSIGNMENTS["rnn_sum"]["deadline"] = "2026-12-18T23:59:00"
    course.ASSIGNMENTS["rnn_sum"]["late_policy"] = {"method": "per_hour", "per_hour": 2}
    course.ASSIGNMENTS["rnn_layers"]["late_policy"] = {"method": "half"}
    assert settings.problems(course) == [
        "course_config.ASSIGNMENTS['rnn_sum']['deadline'] is '2026-12-18T23:59:00': "
        "an ISO 8601 time with its UTC offset, or None",
        "course_config.ASSIGNMENTS['rnn_sum']['late_policy']['per_hour'] is 2: a fraction above 0, at most 1",
        "course_config.ASSIGNMENTS['rnn_layers']['late_policy'] is {'method': 'half'}: "
        "its \"method\" is one of ('none', 'zero', 'per_hour')",
    ]


def test_the_bundled_assignments_have_no_deadline():
    """Nothing changes by default: no deadline, so nothing is ever late."""
    for assignment in settings.assignments():
        assert deadlines.due(assignment) is None
