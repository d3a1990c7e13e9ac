"""The course settings are read once, by ``autograder.settings``, which says plainly what in
course_config.py does not fit together."""

import copy
import os
import subprocess
import sys
import types

import course_config
from autograder import settings
from autograder.settings import ROOT


def _course(**changes):
    course = types.SimpleNamespace(**{k: copy.deepcopy(v) for k, v in vars(course_config).items() if k.isupper()})
    for name, value in changes.items():
        setattr(course, name, value)
    return course


def test_the_course_s_settings_fit_together():
    assert settings.problems(course_config) == []


def test_the_engine_reads_the_same_settings_course_config_holds():
    assert settings.ASSIGNMENTS is course_config.ASSIGNMENTS
    assert settings.assignments() == list(course_config.ASSIGNMENTS)
    assert settings.GRADER_SEED == course_config.GRADER_SEED
    for name in settings.assignments():
        assert settings.graded_tasks(name) == course_config.ASSIGNMENTS[name]["graded_tasks"]
        assert set(settings.assignment(name)) >= settings.Assignment.__required_keys__


def test_a_graded_task_without_points_or_time_limit_is_named():
    course = _course()
    del course.ASSIGNMENTS["rnn_sum"]["points"]["model"]
    del course.ASSIGNMENTS["rnn_layers"]["task_timeout"]["train"]
    assert settings.problems(course) == [
        "course_config.ASSIGNMENTS['rnn_sum']['points'] has nothing for the graded task 'model'",
        "course_config.ASSIGNMENTS['rnn_layers']['task_timeout'] has nothing for the graded task 'train'",
    ]


def test_a_missing_setting_and_negative_points_are_named():
    course = _course()
    del course.ASSIGNMENTS["rnn_sum"]["rtol"]
    course.ASSIGNMENTS["rnn_layers"]["points"]["cell"] = -1
    del course.CELL_TIMEOUT
    del course.SANDBOX_GID
    assert settings.problems(course) == [
        "course_config.CELL_TIMEOUT is missing",
        "course_config.SANDBOX_GID is missing",
        "course_config.ASSIGNMENTS['rnn_sum'] has no rtol",
        "course_config.ASSIGNMENTS['rnn_layers']['points']['cell'] is -1: points are a number, 0 or more",
    ]


def test_the_kit_will_not_start_on_settings_that_do_not_fit(tmp_path):
    """An instructor who breaks course_config.py reads what is wrong, not a KeyError mid-run."""
    with open(os.path.join(ROOT, "course_config.py")) as f:
        text = f.read()
    broken = text.replace('"graded_tasks": ["cell", "model",', '"graded_tasks": ["cell", "modle",', 1)
    assert broken != text
    (tmp_path / "course_config.py").write_text(broken)
    proc = subprocess.run(
        [sys.executable, "-c", "import autograder.settings"],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": f"{tmp_path}{os.pathsep}{ROOT}"},
        cwd=tmp_path,
    )
    assert proc.returncode != 0
    assert "SettingsError: course_config.py does not fit together (fix it and run again):" in proc.stderr
    assert "['points'] has nothing for the graded task 'modle'" in proc.stderr


def test_every_value_the_loader_reads_is_checked_first():
    """A value missing from course_config.py is named, never an AttributeError mid-import."""
    read = {name for name in vars(settings) if name.isupper() and not name.startswith("_")} - {"ROOT", "GRADERS"}
    assert read == set(settings._READ)
