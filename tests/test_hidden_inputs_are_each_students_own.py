"""Hidden inputs per student and attempt (``autograder.grading.inputs``): with a course secret each
notebook is graded on inputs derived from its student and attempt, the grade on ``final`` inputs
no feedback showed; the same secret reproduces any record; the secret itself reaches no output."""

import json
import os
import stat
import subprocess
import sys

import pytest

from autograder.grading import graders
from autograder.grading import inputs as hidden
from examples import answers
from tests import hard_coded
from tests.conftest import grade_command, write_class

pytestmark = pytest.mark.sandbox

SECRET = "a course secret of the tests, 1c9e"


def with_secret(value=SECRET, **more):
    env = {k: v for k, v in os.environ.items() if not k.startswith("AUTOGRADER_SECRET")}
    return {**env, hidden.ENV_SECRET: value, **more} if value else {**env, **more}


def grade(folder, out, *args, env):
    done = subprocess.run(
        [sys.executable, "-m", "autograder", "grade", str(folder), "--json", str(out), "--quiet", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr
    with open(out) as f:
        return {r["student"]: r for r in json.load(f)}, done.stderr


def secret_of(value=SECRET):
    return hidden.Secret(hidden.digest(value.encode()), "test", value.encode())


def test_two_students_and_two_attempts_get_different_hidden_inputs():
    secret = secret_of()
    seeds = {
        (student, attempt): hidden.derive("rnn_sum", student, attempt, secret).seed
        for student in ("ada", "bob")
        for attempt in (1, 2, hidden.FINAL)
    }
    assert len(set(seeds.values())) == 6
    signals = {key: graders.cases("rnn_sum", "model", seed)["probes"][0]["args"][0] for key, seed in seeds.items()}
    assert len({tuple(s) for s in signals.values()}) == 6
    # the other assignment's inputs of the same student and attempt are others again
    assert hidden.derive("rnn_layers", "ada", 1, secret).seed != seeds[("ada", 1)]
    # and another secret derives others
    assert hidden.derive("rnn_sum", "ada", 1, secret_of("another")).seed != seeds[("ada", 1)]


def test_a_notebook_hard_coded_for_one_attempts_inputs_loses_the_points_at_the_final_grade(tmp_path):
    """The attack of issue 24: attempt 1's feedback reveals the hidden signals, the next
    submission's `model` is right only on them.  Without a secret it keeps its points (every
    derivation is the fixed seed's); with one it gets them on attempt 1 and loses them at the
    final grade.  A right notebook gets full marks on every derivation."""
    secret = secret_of()
    right = answers.notebook(answers.solutions("rnn_sum"), assignment="rnn_sum")
    cheater = hard_coded.notebook(hard_coded.revealed("cheater", 1, secret))
    write_class(tmp_path / "submitted", {"cheater": cheater, "honest": right})
    on_attempt, said = grade(tmp_path / "submitted", tmp_path / "attempt.json", "--attempt", "1", env=with_secret())
    final, _ = grade(tmp_path / "submitted", tmp_path / "final.json", env=with_secret())
    fixed_secret = hard_coded.notebook(hard_coded.revealed("cheater", 1, None))
    write_class(tmp_path / "fixed", {"cheater": fixed_secret})
    fixed, said_fixed = grade(tmp_path / "fixed", tmp_path / "fixed.json", env=with_secret(None))

    assert on_attempt["cheater"]["tasks"]["model"]["points"] == 2.0
    assert on_attempt["cheater"]["total"] == on_attempt["cheater"]["max_total"] == 9.0
    assert final["cheater"]["tasks"]["model"]["points"] == 0.0, final["cheater"]["tasks"]["model"]
    assert final["cheater"]["total"] == 7.0
    assert fixed["cheater"]["total"] == 9.0  # the hole the fixed seed leaves
    for records in (on_attempt, final):
        assert records["honest"]["total"] == records["honest"]["max_total"]
    assert on_attempt["cheater"]["inputs"] == {
        "student": "cheater",
        "attempt": 1,
        "secret": hidden.digest(SECRET.encode()),
    }
    assert final["honest"]["inputs"]["attempt"] == "final"
    assert "inputs" not in fixed["cheater"]
    assert "derived per student and attempt from the course secret" in said
    assert "the fixed seed of course_config.py, the same for every student" in said_fixed


def test_the_same_secret_reproduces_a_record_exactly_and_the_secret_reaches_no_output(tmp_path):
    """`grade --attempt N` with the secret in the environment, then from a file on "another
    machine" (another configuration folder): the same record; the secret is in no file written."""
    write_class(
        tmp_path / "submitted",
        {"ada": answers.notebook(answers.apply(answers.solutions(), answers.edit("forgotten_bias")))},
    )
    out = tmp_path / "out"
    out.mkdir()
    first, _ = grade(
        tmp_path / "submitted", out / "a.json", "--attempt", "3", "--feedback", str(out), env=with_secret()
    )
    secret_file = tmp_path / "elsewhere" / "course.secret"
    secret_file.parent.mkdir()
    secret_file.write_text(SECRET + "\n")
    secret_file.chmod(0o600)
    again, _ = grade(
        tmp_path / "submitted",
        out / "b.json",
        "--attempt",
        "3",
        env=with_secret(None, AUTOGRADER_SECRET_FILE=str(secret_file), XDG_CONFIG_HOME=str(tmp_path / "cfg")),
    )
    assert first["ada"] == again["ada"]
    assert first["ada"]["total"] < first["ada"]["max_total"]
    written = [os.path.join(d, f) for d, _, files in os.walk(out) for f in files]
    assert any(p.endswith(".html") for p in written)
    for path in written:
        with open(path, "rb") as f:
            assert SECRET.encode() not in f.read(), path


def test_the_secret_command_makes_a_private_file_and_rotation_keeps_the_old_one(tmp_path):
    env = with_secret(None, XDG_CONFIG_HOME=str(tmp_path))

    def secret_command(*args):
        done = subprocess.run(
            [sys.executable, "-m", "autograder", "secret", *args], capture_output=True, text=True, env=env
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    made = secret_command()
    path = tmp_path / "autograder" / "rnn-sum.secret"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    value = path.read_bytes().strip()
    assert hidden.digest(value) in made and value.decode() not in made
    assert "kept" in secret_command() and path.read_bytes().strip() == value
    rotated = secret_command("--rotate")
    old = tmp_path / "autograder" / f"rnn-sum.secret.{hidden.digest(value)}"
    assert old.read_bytes().strip() == value and path.read_bytes().strip() != value
    assert hidden.digest(path.read_bytes().strip()) in rotated


def test_a_secret_anyone_may_read_is_refused_with_the_fix(tmp_path):
    secret_file = tmp_path / "course.secret"
    secret_file.write_text("s3cret\n")
    secret_file.chmod(0o644)
    (tmp_path / "nb").mkdir()
    done = grade_command(
        str(tmp_path / "nb"),
        "--json",
        str(tmp_path / "out.json"),
        cwd=tmp_path,
        prefix=("env", f"AUTOGRADER_SECRET_FILE={secret_file}"),
    )
    assert done.returncode == 2
    assert "may be read by anyone on this machine" in done.stderr and "chmod 600" in done.stderr
