"""Gradescope, as Gradescope runs it: the package `make gradescope` builds is unpacked into a
temporary root laid out as /autograder (source/ from the zip, submission/, results/), its setup.sh
installs it for real (bubblewrap, a venv, pip: a minute or two, once for the module), and its
run_autograder grades uploads: right, wrong, broken and hostile notebooks, and uploads that hold
no notebook, several or one under another name.  Each results.json must follow Gradescope's
published format (a JSON Schema written from gradescope-autograders.readthedocs.io, "Autograder
Specifications"), give the expected points per task and show nothing of the graders or the seed.
"""

import functools
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile

import jsonschema
import pytest

import course_config as config
from autograder import sandbox
from autograder.outputs import gradescope
from autograder.settings import ROOT
from examples import answers
from tests.conftest import grade_command, python_for_all_users, write_class

ASSIGNMENT = "rnn_sum"
SETTINGS = config.ASSIGNMENTS[ASSIGNMENT]
TASKS = list(SETTINGS["graded_tasks"])
FULL = {t: SETTINGS["points"][t] for t in TASKS}


def gradescope_run(test):
    """Marks of a test that installs the package and runs it (minutes for the module)."""
    for mark in (
        pytest.mark.sandbox,
        pytest.mark.gradescope,
        pytest.mark.skipif(sandbox.bwrap_problem() is not None, reason=f"no sandbox here: {sandbox.bwrap_problem()}"),
    ):
        test = mark(test)
    return test


# Gradescope's results.json, as its specification describes it (the "Output format" section,
# "Controlling Test Case Visibility", "Test case status" and "Output String Formatting").
VISIBILITY = {"enum": ["hidden", "after_due_date", "after_published", "visible"]}
FORMAT = {"enum": ["text", "html", "simple_format", "md", "ansi"]}
NUMBER = {"type": "number"}
TEST = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "score": NUMBER,
        "max_score": NUMBER,
        "status": {"enum": ["passed", "failed"]},
        "name": {"type": "string"},
        "name_format": FORMAT,
        "number": {"type": "string"},
        "output": {"type": "string"},
        "output_format": FORMAT,
        "tags": {"type": "array", "items": {"type": "string"}},
        "visibility": VISIBILITY,
        "extra_data": {"type": "object"},
    },
}
GRADESCOPE_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "score": NUMBER,
        "execution_time": NUMBER,
        "output": {"type": "string"},
        "output_format": FORMAT,
        "test_output_format": FORMAT,
        "test_name_format": FORMAT,
        "visibility": VISIBILITY,
        "stdout_visibility": VISIBILITY,
        "extra_data": {"type": "object"},
        "tests": {"type": "array", "items": TEST},
        "leaderboard": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["name", "value"],
                "properties": {"name": {"type": "string"}, "value": {}, "order": {"enum": ["asc", "desc"]}},
            },
        },
    },
    # a score at the top, or on every test
    "anyOf": [
        {"required": ["score"]},
        {"required": ["tests"], "properties": {"tests": {"items": {"required": ["score"]}}}},
    ],
}
# ... and what the kit always writes within it
KIT_SCHEMA = {
    "type": "object",
    "required": ["score", "execution_time", "output", "visibility", "tests"],
    "properties": {
        "tests": {
            "type": "array",
            "items": {"type": "object", "required": ["name", "score", "max_score", "status", "output", "visibility"]},
        }
    },
}


def secrets():
    """Text of the graders and the settings that no output may hold: the seed, and every line of
    code (no message text) of the reference and the stand-ins."""
    texts = {str(config.GRADER_SEED)}
    for name in ("reference.py", "stand_ins.py"):
        with open(os.path.join(ROOT, "autograder", "assignments", ASSIGNMENT, name)) as f:
            texts |= {line.strip() for line in f if len(line.strip()) > 30 and not {'"', "'", "#"} & set(line)}
    return texts


def check(result):
    """Gradescope's format, the kit's keys, and nothing of the graders in it."""
    jsonschema.validate(result, GRADESCOPE_SCHEMA)
    jsonschema.validate(result, KIT_SCHEMA)
    text = json.dumps(result)
    leaked = [s for s in secrets() if s in text or json.dumps(s)[1:-1] in text]
    assert not leaked, leaked
    assert result["score"] == sum(t["score"] for t in result["tests"])
    for t in result["tests"]:
        assert t["status"] == ("passed" if t["score"] >= t["max_score"] and t["name"] != "submission" else "failed")


def points(result):
    return {t["name"]: t["score"] for t in result["tests"] if t["name"] != "submission"}


def outputs(result):
    return {t["name"]: t["output"] for t in result["tests"]}


# -- the package ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def packages(tmp_path_factory):
    """build/gradescope/<assignment>.zip of every assignment, as `make gradescope` writes them."""
    out = tmp_path_factory.mktemp("gradescope-build")
    proc = subprocess.run(
        [sys.executable, "-m", "autograder.outputs.gradescope", "build", "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    return {a: out / f"{a}.zip" for a in config.ASSIGNMENTS}


def engine():
    """The engine's files here: every module of autograder/ but the assignments' graders."""
    graders = os.path.join(ROOT, "autograder", "assignments")
    modules = glob.glob(os.path.join(ROOT, "autograder", "**", "*.py"), recursive=True)
    folder = {p: os.path.dirname(os.path.relpath(p, graders)) for p in modules}  # "" or "../..": not a grader's
    return {os.path.relpath(p, ROOT) for p in modules if folder[p] == "" or folder[p].startswith("..")}


GRADERS = {
    "rnn_sum": [
        "__init__.py", "mistakes/__init__.py", "mistakes/cell.py", "mistakes/frames.py", "mistakes/partial_sum_loss.py",
        "mistakes/train.py", "mistakes/unroll.py", "reference.py", "stand_ins.py", "test_batched_model.py",
        "test_cell.py", "test_model.py", "test_partial_sum_loss.py", "test_train.py", "unroll.py",
    ],
}  # fmt: skip


def test_the_zip_holds_what_grading_needs_and_nothing_else(packages):
    """rnn_sum.zip: Gradescope's two scripts, the settings, the pins, the master notebook, the engine
    and rnn_sum's graders, about 90 KiB; no tests, examples, solutions, release or other assignment."""
    path = packages[ASSIGNMENT]
    with zipfile.ZipFile(path) as z:
        names = set(z.namelist())
        modes = {i.filename: (i.external_attr >> 16) & 0o777 for i in z.infolist()}
        run_autograder = z.read("run_autograder").decode()
    kit = engine()
    assert {
        "autograder/runner/session.py",
        "autograder/sandbox/bwrap.py",
        "autograder/assignments/conftest.py",
        "autograder/outputs/gradescope.py",
        "autograder/inside/worker.py",
    } <= kit
    assert names == {
        "setup.sh",
        "run_autograder",
        "course_config.py",
        "pyproject.toml",
        "requirements/runtime.txt",
        f"source/{ASSIGNMENT}/{ASSIGNMENT}.ipynb",
        *(f"autograder/assignments/{ASSIGNMENT}/{n}" for n in GRADERS[ASSIGNMENT]),
        *kit,
    }
    assert modes["setup.sh"] == modes["run_autograder"] == 0o755
    assert f"--assignment {ASSIGNMENT}" in run_autograder
    assert 40_000 < os.path.getsize(path) < 200_000
    others = [a for a in config.ASSIGNMENTS if a != ASSIGNMENT]
    with zipfile.ZipFile(packages[others[0]]) as z:
        assert not [n for n in z.namelist() if f"/{ASSIGNMENT}/" in n or n.startswith(("tests/", "examples/"))]


def test_the_same_files_give_the_same_zip(packages, tmp_path):
    again = gradescope.build(ASSIGNMENT, str(tmp_path))
    assert open(again, "rb").read() == packages[ASSIGNMENT].read_bytes()


# -- installed and run as on Gradescope ----------------------------------------------------------
def environment(root, **extra):
    """This machine's environment without this venv (the package installs its own)."""
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME")}
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if not p.startswith(sys.prefix))
    env["AUTOGRADER_ROOT"] = str(root)
    return {**env, **extra}


@pytest.fixture(scope="module")
def installed(packages):
    """A root laid out as /autograder, with the package set up by its own setup.sh.  Not under
    pytest's folder, which only root may enter: student code runs as another user."""
    root = tempfile.mkdtemp(prefix="gradescope-root-")
    os.chmod(root, 0o755)
    source = os.path.join(root, "source")
    with zipfile.ZipFile(packages[ASSIGNMENT]) as z:
        z.extractall(source)
        for info in z.infolist():
            os.chmod(os.path.join(source, info.filename), (info.external_attr >> 16) & 0o777)
    # the Python this kit's venv runs on: here the system's is older than the pins need
    python = os.path.join(sys.base_prefix, "bin", f"python{sys.version_info[0]}.{sys.version_info[1]}")
    proc = subprocess.run(
        ["bash", "setup.sh"],
        cwd=source,
        env=environment(root, AUTOGRADER_PYTHON=python),
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
    shutil.copy(os.path.join(source, "run_autograder"), os.path.join(root, "run_autograder"))  # as Gradescope does
    yield root
    shutil.rmtree(root, ignore_errors=True)


class Link(str):
    """A symbolic link of an upload (as a repository or a zip may hold), to this path."""


def upload(root, files, **env):
    """Gradescope's run of one upload ({path: notebook, text or Link}): (results.json, stdout)."""
    for folder in ("submission", "results"):
        shutil.rmtree(os.path.join(root, folder), ignore_errors=True)
        os.makedirs(os.path.join(root, folder))
    for name, content in files.items():
        path = os.path.join(root, "submission", name)
        if isinstance(content, Link):
            os.symlink(content, path)
        else:
            answers.write(content, path)
    # the fallback's user must run this Python: shown to it where it lives in a closed folder
    prefix = python_for_all_users() if env.get("AUTOGRADER_SANDBOX") == "user" else []
    proc = subprocess.run(
        [*prefix, os.path.join(root, "run_autograder")],
        cwd=root,
        env=environment(root, **env),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    with open(os.path.join(root, "results", "results.json")) as f:
        result = json.load(f)
    check(result)
    return result, proc.stdout


HOSTILE = r'''
import os

def _reach(path):
    """What this process gets of a path: its text or listing (a leak), or the error's name."""
    try:
        if os.path.isdir(path):
            return "LEAK " + path + ": " + ",".join(sorted(os.listdir(path)))[:60]
        with open(path, errors="replace") as f:
            text = f.read()
        seed = [line for line in text.splitlines() if "GRADER_SEED" in line]
        return "LEAK " + path + ": " + (seed or [text])[0][:80]
    except OSError as exc:
        return os.path.basename(path) + "=" + type(exc).__name__

WALKED = sum(len(files) for top in TARGETS[-2:] for _, _, files in os.walk(top))
FOUND = sorted((_reach(p) for p in TARGETS), key=lambda s: not s.startswith("LEAK"))

def cell(FRAME, STATE):
    raise RuntimeError("REPORT " + "; ".join(FOUND[:1] + [f"walked={WALKED}"] + FOUND[1:]))
'''


def hostile(root, solutions):
    """Reads the settings, the graders, the master notebook and the results where Gradescope keeps
    them, walks the graders' folders, and raises what it found in `cell`'s message."""
    targets = [
        f"{root}/source/course_config.py",
        f"{root}/source/autograder/assignments/{ASSIGNMENT}/stand_ins.py",
        f"{root}/source/source/{ASSIGNMENT}/{ASSIGNMENT}.ipynb",
        f"{root}/results",
        "/autograder/source/course_config.py",
        "/autograder/source",
        f"{root}/source",
    ]
    return answers.notebook(dict(solutions, cell=solutions["cell"] + f"TARGETS = {targets!r}\n" + HOSTILE))


@pytest.fixture(scope="module")
def graded(installed, solutions):
    """{case: (results.json, stdout)}, each upload graded once, when a test first asks."""
    right = answers.notebook(solutions)
    wrong = answers.notebook(answers.apply(solutions, answers.edit("missing_zero_grad")))
    uploads = {
        # beside the notebook: a draft notebook, Jupyter's checkpoint, a data file
        "right": {
            f"{ASSIGNMENT}.ipynb": right,
            "drafts/try.ipynb": wrong,
            f".ipynb_checkpoints/{ASSIGNMENT}-checkpoint.ipynb": right,
            "data.csv": "1,2\n",
        },
        "wrong": {f"{ASSIGNMENT}.ipynb": wrong},
        "broken": {f"{ASSIGNMENT}.ipynb": answers.not_json(right)},
        "hostile": {f"{ASSIGNMENT}.ipynb": hostile(installed, solutions)},
        "no notebook": {f"{ASSIGNMENT}.py": "def cell(FRAME, STATE):\n    pass\n", "README.txt": "my work\n"},
        "empty": {},
        "several": {"a.ipynb": right, "b.ipynb": right},
        "two named": {f"a/{ASSIGNMENT}.ipynb": right, f"b/{ASSIGNMENT}.ipynb": right},
        "another name": {"Untitled.ipynb": right},
        # a link to the master notebook, which the grader would read as root
        "link": {f"{ASSIGNMENT}.ipynb": Link(f"{installed}/source/source/{ASSIGNMENT}/{ASSIGNMENT}.ipynb")},
    }

    @functools.cache
    def grade(case, **env):
        return upload(installed, uploads[case], **env)

    return grade


@gradescope_run
def test_setup_installs_the_kit_editable_and_no_grader_in_the_venv(installed):
    site = glob.glob(os.path.join(installed, "venv", "lib", "python*", "site-packages"))[0]
    assert not os.path.exists(os.path.join(site, "autograder")) and not os.path.exists(
        os.path.join(site, "course_config.py")
    )
    for path in glob.glob(os.path.join(site, "*")):
        if os.path.isfile(path):
            with open(path, errors="replace") as f:
                assert str(config.GRADER_SEED) not in f.read(), path
    probe = "import autograder, course_config, torch; print(autograder.__file__, torch.__version__)"
    proc = subprocess.run(
        [os.path.join(installed, "venv", "bin", "python"), "-c", probe], cwd=installed, capture_output=True, text=True
    )
    where, torch = proc.stdout.split()
    assert where == os.path.join(installed, "source", "autograder", "__init__.py")
    assert torch.startswith("2.13.0"), torch  # the pinned CPU build


@gradescope_run
def test_a_right_notebook_gets_every_point_and_the_others_are_named_as_ignored(graded):
    result, stdout = graded("right")
    assert points(result) == FULL and result["score"] == sum(FULL.values())
    assert all(t["status"] == "passed" and t["output"] == "all checks passed" for t in result["tests"])
    assert "ignored the other notebooks: drafts/try.ipynb." in result["output"]
    assert "checkpoint" not in result["output"]
    assert "NOT SANDBOXED" not in result["output"]
    assert result["visibility"] == SETTINGS["gradescope"]["visibility"]
    assert {t["visibility"] for t in result["tests"]} == {SETTINGS["gradescope"]["test_visibility"]}
    assert isinstance(result["execution_time"], int)
    assert "sandboxed (bubblewrap allowlist" in stdout  # what the instructor reads


@gradescope_run
def test_a_typical_mistake_costs_its_task_with_the_graders_message_and_its_name(graded):
    result, _ = graded("wrong")
    assert points(result) == dict(FULL, train=0.0)
    assert "the loss of epoch 2 is" in outputs(result)["train"]
    named = outputs(result)["train"].split("What may have gone wrong:", 1)[1]
    assert "the gradients are never cleared" in named
    assert [t["name"] for t in result["tests"] if t["status"] == "failed"] == ["train"]


@gradescope_run
def test_a_file_that_is_not_a_notebook_gets_a_failed_submission_test(graded):
    result, _ = graded("broken")
    assert result["tests"][0]["name"] == "submission" and result["tests"][0]["visibility"] == "visible"
    assert "not valid JSON" in result["tests"][0]["output"]
    assert points(result) == dict.fromkeys(TASKS, 0.0)
    assert all(outputs(result)[t].startswith("not graded: the file is not valid JSON") for t in TASKS)
    assert result["output"].startswith("Not graded: the file is not valid JSON")


@pytest.mark.parametrize(
    "case, reason",
    [
        ("no notebook", f"the upload holds no notebook (it holds README.txt, {ASSIGNMENT}.py)"),
        ("empty", "the upload holds no notebook (it is empty)"),
        ("several", f"the upload holds 2 notebooks, none named {ASSIGNMENT}.ipynb (a.ipynb, b.ipynb)"),
        ("two named", f"the upload holds 2 notebooks named {ASSIGNMENT}.ipynb (a/{ASSIGNMENT}.ipynb, b/{ASSIGNMENT}"),
        ("another name", f"the notebook must be named {ASSIGNMENT}.ipynb, and the upload's is Untitled.ipynb"),
        ("link", f"the upload holds no notebook (it holds {ASSIGNMENT}.ipynb (a symbolic link))"),
    ],
)
@gradescope_run
def test_an_upload_without_its_one_notebook_says_what_to_upload(graded, case, reason):
    result, _ = graded(case)
    submission = result["tests"][0]
    assert submission["name"] == "submission" and submission["status"] == "failed" and submission["score"] == 0
    assert reason in submission["output"] and f"{ASSIGNMENT}.ipynb" in submission["output"]
    assert points(result) == dict.fromkeys(TASKS, 0.0) and result["score"] == 0
    assert all(outputs(result)[t] == f"not graded: {submission['output'][len('Not graded: ') :]}" for t in TASKS)


@gradescope_run
def test_a_hostile_notebook_finds_nothing_of_the_graders(graded):
    """It reports what it reached in `cell`'s message (so that message reaches results.json), and
    reached nothing: the sandbox shows it no /autograder at all."""
    result, _ = graded("hostile")
    assert points(result) == dict(FULL, cell=0.0)
    report = outputs(result)["cell"]
    assert "REPORT" in report and "LEAK" not in report and "walked=0" in report
    assert "course_config.py=FileNotFoundError" in report


@gradescope_run
def test_where_bubblewrap_cannot_run_the_unprivileged_user_finds_nothing_either(graded):
    """AUTOGRADER_SANDBOX=user, the fallback where bubblewrap cannot create namespaces (as in some
    Gradescope images): student code runs as a user of its own, which may not enter the folders
    run_autograder made root's only."""
    right, _ = graded("right", AUTOGRADER_SANDBOX="user")
    assert points(right) == FULL and "NOT SANDBOXED" not in right["output"]
    result, stdout = graded("hostile", AUTOGRADER_SANDBOX="user")
    assert "sandboxed without bubblewrap" in stdout.splitlines()[0], stdout
    assert points(result) == dict(FULL, cell=0.0) and "NOT SANDBOXED" not in result["output"]
    report = outputs(result)["cell"]
    assert "REPORT" in report and "LEAK" not in report and "walked=0" in report
    assert "course_config.py=PermissionError" in report


@gradescope_run
def test_the_class_route_writes_the_same_results(graded, tmp_path, solutions):
    """`grade --gradescope` gives the same tests and score for the same notebooks; the Gradescope
    run's output adds only what it says of the upload."""
    notebooks = {
        "right": answers.notebook(solutions),
        "wrong": answers.notebook(answers.apply(solutions, answers.edit("missing_zero_grad"))),
        "broken": answers.not_json(answers.notebook(solutions)),
    }
    write_class(str(tmp_path / "submitted"), notebooks)
    proc = grade_command("submitted", "--json", "out.json", "--gradescope", "gs", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    for case in notebooks:
        with open(tmp_path / "gs" / case / "results.json") as f:
            route = json.load(f)
        check({**route, "execution_time": 0})
        run, _ = graded(case)
        assert route["tests"] == run["tests"] and route["score"] == run["score"], case
        assert route["visibility"] == run["visibility"]
        assert run["output"].startswith(route["output"]), case


def test_a_diagnosis_and_an_unsandboxed_run_are_said():
    record = {
        "student": "amy",
        "assignment": ASSIGNMENT,
        "notebook": "amy.ipynb",
        "tasks": {
            "cell": {"points": 0.0, "max_points": 1.0, "messages": ["cell: wrong"], "diagnosis": ["BIAS is missing."]},
            "model": {"points": 2.0, "max_points": 2.0, "messages": []},
        },
        "total": 2.0,
        "max_total": 3.0,
        "error": None,
        "sandboxed": False,
    }
    result = gradescope.gradescope_result(record)
    check({**result, "execution_time": 0})
    assert outputs(result)["cell"] == "cell: wrong\n\nWhat may have gone wrong:\n- BIAS is missing."
    assert "NOT SANDBOXED" in result["output"]
    assert "sandbox" not in gradescope.gradescope_result({**record, "sandboxed": True})["output"]


@gradescope_run
def test_the_installed_run_grades_on_the_zips_inputs_key_and_gradescopes_metadata(installed, solutions, tmp_path):
    """The installed run_autograder with the key a zip built with a secret carries (put into source/
    here, 0644 as an unpacking may leave it: the run makes it 0600) and Gradescope's metadata: the tests on
    attempt 2's inputs, the score on the final ones."""
    from autograder.grading import inputs
    from autograder.outputs import gradescope_metadata as metadata

    value = b"a course secret of the test's own"
    key = os.path.join(installed, "source", metadata.KEY_FILE)
    data = {"created_at": "2026-12-01T10:00:00-08:00", "users": [{"id": 4321}], "previous_submissions": [{}]}
    with open(key, "w") as f:
        f.write(json.dumps({"assignment": ASSIGNMENT, "key": inputs.assignment_key(value, ASSIGNMENT).hex(),
                            "secret": inputs.digest(value)}))  # fmt: skip
    with open(os.path.join(installed, metadata.METADATA), "w") as f:
        json.dump(data, f)
    try:
        result, stdout = upload(installed, {f"{ASSIGNMENT}.ipynb": answers.notebook(solutions)})
    finally:
        os.remove(key)
        os.remove(os.path.join(installed, metadata.METADATA))
    assert points(result) == FULL and result["score"] == sum(FULL.values())
    assert result["extra_data"]["inputs"] == {
        "tests": {"student": "4321", "attempt": 2, "secret": inputs.digest(value)},
        "score": {"student": "4321", "attempt": "final", "secret": inputs.digest(value)},
    }
    assert f"from the course secret {inputs.digest(value)} ({key})" in stdout
