"""A class split over machines: `grade --shard K/N` (or the scheduler's environment) grades a
stable share, `merge` joins the shards into exactly what one run gives, and names any shard
that is missing."""

import json
import re
import subprocess
import sys

import pytest

from autograder.runner import shards
from autograder.runner.submission import Submission
from examples import answers
from tests.conftest import write_class

STUDENTS = [f"s{i:02d}" for i in range(8)]


def _class(n):
    return [Submission(f"submitted/{s}/rnn_sum/rnn_sum.ipynb", "rnn_sum", s) for s in (f"s{i:03d}" for i in range(n))]


def test_every_submission_is_in_exactly_one_shard():
    submissions = _class(50)
    parts = [shards.select(submissions, k, 4) for k in range(1, 5)]
    assert sorted(i for part in parts for i, _ in part) == list(range(50))
    assert all(part for part in parts)  # 50 students over 4 shards: none empty


def test_a_students_shard_does_not_change_when_the_class_grows():
    before = {s.student: shards.owner(s, 5) for s in _class(40)}
    after = {s.student: shards.owner(s, 5) for s in _class(60)}
    assert all(after[student] == shard for student, shard in before.items())


@pytest.mark.parametrize(
    "spec, environ, expected",
    [
        ("2/8", {}, (2, 8)),
        (None, {"JOB_COMPLETION_INDEX": "0", "JOB_COMPLETIONS": "4"}, (1, 4)),
        (None, {"JOB_COMPLETION_INDEX": "3", "JOB_COMPLETIONS": "4"}, (4, 4)),
        (None, {"SLURM_ARRAY_TASK_ID": "7", "SLURM_ARRAY_TASK_MIN": "5", "SLURM_ARRAY_TASK_COUNT": "3"}, (3, 3)),
        (None, {"SLURM_ARRAY_TASK_ID": "0", "SLURM_ARRAY_TASK_COUNT": "2"}, (1, 2)),
        ("1/2", {"JOB_COMPLETION_INDEX": "1", "JOB_COMPLETIONS": "2"}, (1, 2)),  # the flag wins
        (None, {}, None),
    ],
)
def test_the_shard_comes_from_the_flag_or_the_scheduler(spec, environ, expected):
    assert shards.parse(spec, environ) == expected


@pytest.mark.parametrize(
    "spec, environ, says",
    [
        ("0/3", {}, "between 1 and N"),
        ("two", {}, "takes K/N"),
        (None, {"JOB_COMPLETION_INDEX": "1"}, "JOB_COMPLETIONS"),
    ],
)
def test_a_bad_shard_says_why(spec, environ, says):
    with pytest.raises(shards.ShardError, match=says):
        shards.parse(spec, environ)


def _grade(cwd, *args, env=None):
    import os

    return subprocess.Popen(
        [sys.executable, "-m", "autograder", *args],
        cwd=cwd,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, **(env or {})},
    )


@pytest.mark.sandbox
def test_shards_run_apart_merge_into_the_records_of_one_run(tmp_path, solutions):
    edits = [None, "forgotten_bias", "summed_loss", None, "missing_zero_grad", None, "only_final_state", None]
    write_class(
        str(tmp_path / "submitted"),
        {
            s: answers.notebook(answers.apply(solutions, answers.edit(e)) if e else solutions)
            for s, e in zip(STUDENTS, edits)
        },
    )
    # three machines at once: two told by flag, one by a Slurm array's environment
    procs = [
        _grade(tmp_path, "grade", "submitted", "--json", "shard1.json", "--shard", "1/3"),
        _grade(
            tmp_path,
            "grade",
            "submitted",
            "--json",
            "shard2.json",
            env={"SLURM_ARRAY_TASK_ID": "2", "SLURM_ARRAY_TASK_MIN": "1", "SLURM_ARRAY_TASK_COUNT": "3"},
        ),
        _grade(tmp_path, "grade", "submitted", "--json", "shard3.json", "--shard", "3/3"),
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=900)
        assert proc.returncode == 0, err
    assert json.loads((tmp_path / "shard2.json").read_text())["shard"] == 2

    lost = _grade(tmp_path, "merge", "shard1.json", "shard3.json", "--json", "out.json")
    _, err = lost.communicate(timeout=300)
    assert lost.returncode != 0 and "missing shard 2/3" in err and not (tmp_path / "out.json").exists()

    (tmp_path / "shard2.json").unlink()  # lost with its machine: graded again, alone
    again = _grade(tmp_path, "grade", "submitted", "--json", "shard2.json", "--shard", "2/3")
    assert again.wait(timeout=900) == 0
    shards_ = ["shard1.json", "shard2.json", "shard3.json"]
    merged = _grade(tmp_path, "merge", *shards_, "--json", "out.json", "--gradescope", "gs", "--report", "merged")
    _, err = merged.communicate(timeout=300)
    assert merged.returncode == 0, err

    single = _grade(tmp_path, "grade", "submitted", "--json", "single.json", "--report", "single")
    assert single.wait(timeout=900) == 0
    assert json.loads((tmp_path / "out.json").read_text()) == json.loads((tmp_path / "single.json").read_text())
    for name in ("rnn_sum.html", "rnn_sum.checks.csv"):  # the class report of the merge is that of one run
        assert (tmp_path / "merged" / name).read_text() == (tmp_path / "single" / name).read_text()
    assert sorted(p.name for p in (tmp_path / "gs").iterdir()) == STUDENTS


def test_a_shard_leaves_the_gradebook_to_the_merge(tmp_path):
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "autograder",
            "grade",
            str(tmp_path),
            "--json",
            "x.json",
            "--shard",
            "1/2",
            "--gradescope",
            "gs",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2 and "give --course, --gradescope, --feedback and --report to `merge`" in proc.stderr


def test_the_kubernetes_job_tells_each_pod_its_share():
    import os

    import yaml

    from autograder.settings import ROOT

    with open(os.path.join(ROOT, "deploy", "kubernetes-indexed-job.yaml")) as f:
        job = yaml.safe_load(f)
    spec = job["spec"]
    assert job["kind"] == "Job" and spec["completionMode"] == "Indexed"
    [container] = spec["template"]["spec"]["containers"]
    env = {e["name"]: e["value"] for e in container["env"]}
    assert env["JOB_COMPLETIONS"] == str(spec["completions"])
    assert container["args"][0] == "grade" and "$(JOB_COMPLETION_INDEX)" in " ".join(container["args"])
    assert shards.parse(None, {"JOB_COMPLETION_INDEX": "0", **env}) == (1, spec["completions"])


@pytest.mark.sandbox
def test_the_slurm_script_grades_its_array_tasks_share(tmp_path, solutions):
    """The script itself, run as Slurm runs an array task (without sbatch), then the merge."""
    import os

    from autograder.settings import ROOT

    write_class(str(tmp_path / "submitted"), {s: answers.notebook(solutions) for s in STUDENTS[:3]})
    os.symlink(os.path.join(ROOT, ".venv"), tmp_path / ".venv")
    script = os.path.join(ROOT, "deploy", "slurm-array.sh")
    # Slurm opens each task's log before the script runs: its folder must be there already
    [log] = re.findall(r"(?m)^#SBATCH --output=(\S+)$", open(script).read())
    assert os.path.isdir(os.path.join(tmp_path, os.path.dirname(log))), log
    for task in ("1", "2"):
        env = {**os.environ, "SLURM_ARRAY_TASK_ID": task, "SLURM_ARRAY_TASK_MIN": "1", "SLURM_ARRAY_TASK_COUNT": "2"}
        proc = subprocess.run(["bash", script], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=900)
        assert proc.returncode == 0, proc.stderr
    merged = subprocess.run(
        [
            str(tmp_path / ".venv" / "bin" / "autograder"),
            "merge",
            "shards/shard-1.json",
            "shards/shard-2.json",
            "--json",
            "results.json",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert merged.returncode == 0, merged.stderr
    records = json.loads((tmp_path / "results.json").read_text())
    assert [r["student"] for r in records] == STUDENTS[:3] and all(r["total"] == 9 for r in records)
