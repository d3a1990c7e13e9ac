"""Gradescope on hidden inputs of each student's own (issue 24): `make gradescope` built where a course
secret exists puts that assignment's inputs key in the zip and never the secret; the run reads
Gradescope's submission_metadata.json (the first user's id is the student, the previous submissions
give the attempt) and grades the upload twice: the tests the student sees on the attempt's inputs,
the score Gradescope keeps on the final ones, the same record `python -m autograder grade --attempt
final` gives with the same secret.  A zip built without a secret holds no key and grades on the
fixed seed, as before.

Each run here is the run Gradescope makes (`python -m autograder.outputs.gradescope run`) on a
temporary root laid out as /autograder (source/ with the zip's key, submission/, the metadata,
results/), on this venv: tests/test_gradescope.py installs the zip itself.
"""

import json
import os
import subprocess
import sys
import zipfile

import pytest

from autograder import settings as config
from autograder.grading import graders, inputs
from autograder.outputs import gradescope
from autograder.outputs import gradescope_metadata as metadata
from autograder.settings import ROOT
from examples import answers
from tests.conftest import write_class
from tests.test_gradescope import check

ASSIGNMENT = "rnn_sum"
AMY, BEN = "1234", "5678"  # Gradescope user ids
# a `cell` that says what it was given: the hidden inputs reach the test's output
PROBE = """
def cell(FRAME, STATE):
    raise RuntimeError(f"PROBE {float(FRAME.sum()):.6f} {float(STATE.sum()):.6f}")
"""


def environment(tmp, **extra):
    """This machine's environment with no course secret in it (a config folder of the test's own)."""
    env = {k: v for k, v in os.environ.items() if k not in (inputs.ENV_SECRET, inputs.ENV_FILE, inputs.ENV_KEY_FILE)}
    return {**env, "XDG_CONFIG_HOME": str(tmp / "no-config"), **extra}


def python(*args, env, cwd=ROOT):
    proc = subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return proc


@pytest.fixture(scope="module")
def secret(tmp_path_factory):
    """(the course secret's file, its bytes) in a folder of the test's own."""
    path, _, _ = inputs.make(str(tmp_path_factory.mktemp("secret") / "course.secret"))
    with open(path, "rb") as f:
        return path, f.read().strip()


@pytest.fixture(scope="module")
def zips(tmp_path_factory, secret):
    """{"secret": the zip built with the course secret, "none": the zip built without one}."""
    tmp = tmp_path_factory.mktemp("gradescope-zips")
    built = {}
    for case, extra in (("secret", {inputs.ENV_FILE: secret[0]}), ("none", {})):
        out = tmp / case
        python(
            "-m", "autograder.outputs.gradescope", "build", ASSIGNMENT, "--out", str(out), env=environment(tmp, **extra)
        )
        built[case] = out / f"{ASSIGNMENT}.zip"
    return built


def metadata_of(user, previous=0, created_at="2026-12-01T10:00:00.000000-08:00", due_date=None, own_due_date=None):
    """Gradescope's submission_metadata.json of an upload, as its documentation shows one."""
    user_entry = {"email": f"{user}@example.edu", "id": int(user), "name": f"Student {user}"}
    if own_due_date:
        user_entry["assignment"] = {"due_date": own_due_date, "release_date": None}
    return {
        "id": 123456,
        "created_at": created_at,
        "assignment": {"due_date": due_date, "id": 25828, "late_due_date": None, "title": ASSIGNMENT},
        "submission_method": "upload",
        "users": [user_entry],
        "previous_submissions": [{"submission_time": "2026-11-30T10:00:00.000000-08:00", "score": 0.0, "results": {}}]
        * previous,
    }


def gradescope_run(tmp_path, package, notebook, data, cwd=ROOT):
    """Gradescope's run of one upload: (results.json, stdout).  The root's source/ holds what the
    zip unpacks to that the run reads itself: its key, when it has one.  A course_config.py in
    ``cwd`` is read before the kit's."""
    root = tmp_path / "autograder"
    os.makedirs(root / "source")
    with zipfile.ZipFile(package) as z:
        if metadata.KEY_FILE in z.namelist():
            z.extract(metadata.KEY_FILE, root / "source")
    answers.write(notebook, str(root / "submission" / f"{ASSIGNMENT}.ipynb"))
    if data is not None:
        (root / metadata.METADATA).write_text(json.dumps(data))
    proc = python("-m", "autograder.outputs.gradescope", "run", "--assignment", ASSIGNMENT, "--root", str(root),
                  env=environment(tmp_path), cwd=cwd)  # fmt: skip
    result = json.loads((root / "results" / "results.json").read_text())
    return result, proc.stdout


def local_records(tmp_path, secret_file, notebooks, attempt):
    """{student: record} of `python -m autograder grade --attempt ATTEMPT` on {student: notebook}."""
    write_class(str(tmp_path / "submitted"), notebooks)
    out = tmp_path / f"attempt-{attempt}.json"
    python("-m", "autograder", "grade", "submitted", "--json", str(out), "--attempt", str(attempt),
           cwd=tmp_path, env=environment(tmp_path, **{inputs.ENV_FILE: secret_file}))  # fmt: skip
    return {r["student"]: r for r in json.loads(out.read_text())}


def probes(result):
    return [line for line in next(t["output"] for t in result["tests"] if t["name"] == "cell").splitlines()
            if "PROBE" in line]  # fmt: skip


def test_the_zip_holds_the_assignments_key_and_never_the_secret(zips, secret):
    path, value = secret
    with zipfile.ZipFile(zips["secret"]) as z:
        key = json.loads(z.read(metadata.KEY_FILE))
        mode = (z.getinfo(metadata.KEY_FILE).external_attr >> 16) & 0o777
        texts = [z.read(name) for name in z.namelist()]
    assert key == {
        "assignment": ASSIGNMENT,
        "key": inputs.assignment_key(value, ASSIGNMENT).hex(),
        "secret": inputs.digest(value),
    }
    assert mode == 0o600 and (os.stat(zips["secret"]).st_mode & 0o777) == 0o600
    raw = zips["secret"].read_bytes()
    for form in (value, value.hex().encode(), value.decode().upper().encode()):
        assert form not in raw and not any(form in text for text in texts)
    # the other assignment's key follows from the secret, not from this one
    other = next(a for a in config.ASSIGNMENTS if a != ASSIGNMENT)
    assert inputs.assignment_key(value, other).hex() not in json.dumps(key)
    with zipfile.ZipFile(zips["none"]) as z:
        assert metadata.KEY_FILE not in z.namelist()
        assert set(z.namelist()) == set(zipfile.ZipFile(zips["secret"]).namelist()) - {metadata.KEY_FILE}


@pytest.mark.sandbox
def test_each_student_is_graded_on_inputs_of_their_own_and_the_score_on_the_final_ones(
    zips, secret, tmp_path, solutions
):
    probe = answers.notebook(dict(solutions, cell=solutions["cell"] + PROBE))
    runs = {}
    for student in (AMY, BEN):
        runs[student], stdout = gradescope_run(tmp_path / student, zips["secret"], probe, metadata_of(student))
        check({**runs[student], "score": sum(t["score"] for t in runs[student]["tests"])})
        assert "hidden inputs: derived per student and attempt" in stdout
    digest = inputs.digest(secret[1])
    for student, result in runs.items():
        assert result["extra_data"]["inputs"] == {
            "tests": {"student": student, "attempt": 1, "secret": digest},
            "score": {"student": student, "attempt": "final", "secret": digest},
        }
    assert probes(runs[AMY]) and probes(runs[BEN]) and probes(runs[AMY]) != probes(runs[BEN])
    # the tests are the attempt's record, the score the final one's: as the class route grades them
    notebooks = {AMY: probe, BEN: probe}
    shown = local_records(tmp_path / "local-1", secret[0], notebooks, 1)
    final = local_records(tmp_path / "local-final", secret[0], notebooks, "final")
    for student, result in runs.items():
        assert result["tests"] == gradescope.gradescope_result(shown[student])["tests"]
        assert result["score"] == final[student]["total"]
        assert shown[student]["inputs"]["attempt"] == 1 and final[student]["inputs"]["attempt"] == "final"
        seen = "\n".join(t["output"] for t in result["tests"]) + result["output"]
        hidden = [m for t in final[student]["tasks"].values() for m in t["messages"] if "PROBE" in m]
        assert hidden and not any(m in seen for m in hidden)  # the final inputs are shown nowhere


@pytest.mark.sandbox
def test_a_right_notebook_gets_full_marks_on_both_and_a_hard_coded_one_loses_the_score(
    zips, secret, tmp_path, solutions
):
    full = sum(config.points(ASSIGNMENT, task) for task in config.graded_tasks(ASSIGNMENT))
    right, _ = gradescope_run(tmp_path / "right", zips["secret"], answers.notebook(solutions), metadata_of(AMY, 2))
    assert right["score"] == full and all(t["status"] == "passed" for t in right["tests"])
    assert right["extra_data"]["inputs"]["tests"]["attempt"] == 3
    assert "the same points" in right["output"]
    # a `cell` right only where its parameters are those attempt 1 draws for Amy (known, say, from
    # a leaked feedback), and wrong elsewhere: the tests pass, the score loses `cell`
    secret_here = inputs.Secret(inputs.digest(secret[1]), "test", secret[1])
    seed = inputs.derive(ASSIGNMENT, AMY, 1, secret_here).seed
    known = [[round(p, 4) for p in probe["params"]] for probe in graders.cases(ASSIGNMENT, "cell", seed)["probes"]]
    hard_coded = (
        solutions["cell"]
        + f"""
KNOWN = {known!r}
START = [round(float(p), 4) for p in (BIAS, WEIGHTF, WEIGHTS)]

def cell(FRAME, STATE):
    params = [round(float(p), 4) for p in (BIAS, WEIGHTF, WEIGHTS)]
    if params in KNOWN or params == START:
        return BIAS + FRAME * WEIGHTF + STATE * WEIGHTS
    return FRAME * STATE
"""
    )
    result, _ = gradescope_run(tmp_path / "hard", zips["secret"], answers.notebook(dict(solutions, cell=hard_coded)),
                               metadata_of(AMY))  # fmt: skip
    tests = {t["name"]: t for t in result["tests"]}
    assert all(t["status"] == "passed" for t in tests.values()), tests
    assert result["score"] == full - tests["cell"]["max_score"]
    assert f"give {full:g}" in result["output"] and "hidden inputs of its own" in result["output"]


@pytest.mark.sandbox
def test_a_zip_built_without_a_secret_grades_on_the_fixed_seed(zips, tmp_path, solutions):
    probe = answers.notebook(dict(solutions, cell=solutions["cell"] + PROBE))
    result, stdout = gradescope_run(tmp_path / "amy", zips["none"], probe, metadata_of(AMY))
    local, _ = gradescope_run(tmp_path / "local", zips["none"], probe, None)  # no metadata: a local run, as before
    assert "extra_data" not in result and result["tests"] == local["tests"] and result["score"] == local["score"]
    assert "the fixed seed" in stdout and probes(result)
    check(result)


# the kit's settings with a late policy: a tenth of the points per started hour late
LATE_CONFIG = f"""
import copy, importlib.util
_spec = importlib.util.spec_from_file_location("_kit_course_config", {os.path.join(ROOT, "course_config.py")!r})
_kit = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_kit)
globals().update({{k: v for k, v in vars(_kit).items() if not k.startswith("__")}})
ASSIGNMENTS = copy.deepcopy(_kit.ASSIGNMENTS)
ASSIGNMENTS[{ASSIGNMENT!r}]["deadline"] = "2026-12-01T00:00:00+00:00"
ASSIGNMENTS[{ASSIGNMENT!r}]["late_policy"] = {{"method": "per_hour", "per_hour": 0.1}}
"""


@pytest.mark.sandbox
def test_late_work_per_the_metadata_is_penalised_and_an_extension_is_not(zips, tmp_path, solutions):
    """Handed in (``created_at``) 2 h 30 min after the assignment's due date on Gradescope: 3 started
    hours, 30 % of the points off the score (the final inputs'), the record's ``late`` as
    grading.deadlines says; the same upload with the student's own later due date (an extension) is
    on time, and without a due date in the metadata course_config.py's deadline rules."""
    settings = tmp_path / "settings"
    settings.mkdir()
    (settings / "course_config.py").write_text(LATE_CONFIG)
    right = answers.notebook(solutions)
    full = sum(config.points(ASSIGNMENT, task) for task in config.graded_tasks(ASSIGNMENT))
    handed = "2026-12-10T12:30:00.000000-08:00"  # 20:30 UTC
    late = metadata_of(AMY, created_at=handed, due_date="2026-12-10T18:00:00.000000+00:00")
    result, stdout = gradescope_run(tmp_path / "late", zips["secret"], right, late, cwd=settings)
    assert result["score"] == pytest.approx(full * 0.7) and all(t["status"] == "passed" for t in result["tests"])
    assert (
        f"Late: 2 h 30 min late, -{full * 0.3:g}; the score after the late penalty is {full * 0.7:g} / {full:g}."
        in (result["output"])
    )
    assert result["extra_data"]["late"] == {"seconds": 9000.0, "penalty": pytest.approx(full * 0.3)}
    assert result["extra_data"]["inputs"]["score"]["attempt"] == "final"
    check({**result, "score": sum(t["score"] for t in result["tests"])})
    extended = dict(late, users=[dict(late["users"][0], assignment={"due_date": "2026-12-11T18:00:00+00:00"})])
    on_time, _ = gradescope_run(tmp_path / "extended", zips["none"], right, extended, cwd=settings)
    assert on_time["score"] == full and "Late" not in on_time["output"]
    # no due date on Gradescope: course_config.py's deadline, 2026-12-01, 9 days before
    course, _ = gradescope_run(
        tmp_path / "course", zips["none"], right, metadata_of(AMY, created_at=handed), cwd=settings
    )
    assert course["score"] == 0 and "Late: 9 d 20 h 30 min late" in course["output"]


def test_the_metadata_names_the_first_user_the_attempt_and_the_due_date(tmp_path):
    data = metadata_of(AMY, previous=2, due_date="2026-12-10T23:00:00-08:00")
    data["users"].append({"id": int(BEN), "name": "a group's second member"})
    assert metadata.upload(data) == metadata.Upload(AMY, 3, data["created_at"], "2026-12-10T23:00:00-08:00")
    extended = metadata_of(AMY, due_date="2026-12-10T23:00:00-08:00", own_due_date="2026-12-12T23:00:00-08:00")
    assert metadata.upload(extended).due_at == "2026-12-12T23:00:00-08:00"
    assert metadata.upload(metadata_of(AMY)).due_at is None  # then course_config.py's deadline
    assert metadata.read(str(tmp_path)) is None  # a local run: no metadata, graded as before
    for broken in ("{", json.dumps({"users": []}), json.dumps(dict(data, created_at="yesterday"))):
        (tmp_path / metadata.METADATA).write_text(broken)
        with pytest.raises(metadata.MetadataError):
            metadata.read(str(tmp_path))
