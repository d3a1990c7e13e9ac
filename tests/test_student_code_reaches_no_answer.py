"""Student code sees only what the student was given, on every route that grades.

Four notebooks try, as a student after the points would: one executes any solution it finds
on disk, one reports every file and folder it can see, one looks for the grader seed, the
course secret, the reference and the stand-ins through imports, ``gc`` and its environment,
one tries to carry a file's text out in its messages.  A correct bystander is graded beside
them.  Each class is graded through both routes, ``python -m autograder grade`` and
``nbgrader autograde``, with a course secret; none of the four earns a point, the bystander
keeps full marks.  Both routes are tried again with the fallback that holds where bubblewrap
cannot create namespaces (``AUTOGRADER_SANDBOX=user``: an unprivileged user and the Landlock
allowlist).  Each hostile notebook is also run where the answers *are* in reach (on the host,
or with the stand-ins of every task) to show that it would have found them: the tests cannot
pass because the hostile code is blind.
"""

import json
import os
import subprocess
import sys

import nbformat
import pytest

import course_config as config
from autograder import sandbox
from autograder.inside import landlock
from autograder.nbgrader import course
from autograder.sandbox import bwrap, policy
from autograder.settings import ROOT
from examples import answers
from tests.conftest import grade_command, new_course, python_for_all_users, write_class

pytestmark = [pytest.mark.sandbox]
# every route grades with a course secret (its hidden inputs each student's own): no notebook reaches it
SECRET = "the course secret the snoop looks for, 5e1f"
ROUTES = ["grade", "nbgrader autograde", "grade, fallback", "nbgrader autograde, fallback"]

TASKS = list(config.ASSIGNMENTS["rnn_sum"]["graded_tasks"])
STUB = "def {task}(*args):\n    raise NotImplementedError('nothing found for {task}')\n"

# -- 1. executes the solutions it finds anywhere on disk -------------------------------
HUNT = r'''
import json, os

def hunt(roots, tasks):
    """{task: working code} from every nbgrader notebook this process can read."""
    found = {}
    for root in roots:
        for folder, dirs, files in os.walk(root):
            if folder in ("/proc", "/sys", "/dev") or "site-packages" in folder or ".venv" in folder:
                dirs[:] = []
                continue
            for name in files:
                if not name.endswith(".ipynb"):
                    continue
                try:
                    with open(os.path.join(folder, name)) as f:
                        cells = json.load(f)["cells"]
                except Exception:
                    continue
                for cell in cells:
                    grade_id = ((cell.get("metadata") or {}).get("nbgrader") or {}).get("grade_id")
                    source = "".join(cell.get("source", ""))
                    if grade_id in tasks and grade_id not in found and "def " in source \
                            and "NotImplementedError" not in source:
                        found[grade_id] = source
    return found
'''


def _hunter():
    first = HUNT + f"FOUND = hunt(['/'], {TASKS!r})\n"
    return {
        task: (first if i == 0 else "") + f"exec(FOUND.get({task!r}, {STUB.format(task=task)!r}))\n"
        for i, task in enumerate(TASKS)
    }


# -- 2. reports every file and folder it can see ------------------------------------------
EXPLORE = r'''
import os

def outside_allowlist(roots, hidden, forbidden_names):
    """Every path this process can see that the allowlist does not show it."""
    here = os.getcwd()
    roots = roots + [here]
    ancestors = {os.path.dirname(r) for r in roots}
    for r in list(ancestors):
        while r != "/":
            r = os.path.dirname(r)
            ancestors.add(r)
    seen, bad, walked = 0, [], set()
    tops = ["/"] + [r for r in roots if not r.startswith(("/proc", "/sys"))]  # "/" may not be listable
    for folder, dirs, files in (entry for top in tops for entry in os.walk(top)):
        if folder in ("/proc", "/sys") or folder in walked:
            dirs[:] = []
            continue
        walked.add(folder)
        for name in dirs + files:
            path = os.path.join(folder, name)
            seen += 1
            match = max((p for p in roots + hidden if path == p or path.startswith(p + "/")),
                        key=len, default=None)
            ok = path in ancestors if match is None else (match in roots or path == match)
            if name in forbidden_names and folder != here:
                ok = False
            if not ok:
                bad.append(path)
    return seen, bad
'''


def _explorer(solutions, fallback=False):
    show, hide = sandbox.python_paths()
    roots = (
        bwrap.SYSTEM
        + [p for p in bwrap.MERGED if os.path.lexists(p)]
        + bwrap.ETC
        + show
        + [dest for _, dest in sandbox.kit_shown()]
        + ["/dev", "/proc"]
    )
    hidden = bwrap.SYSTEM_HIDDEN + hide
    if fallback:  # what Landlock allows, on the host's own paths
        roots, hidden = sandbox.allowlist("/nonexistent", "/nonexistent")["read"] + policy.DEVICES, []
    forbidden = ["course_config.py", "stand_ins.py", "rnn_sum.ipynb", "rnn_sum"]
    return dict(
        solutions,
        cell=solutions["cell"]
        + EXPLORE
        + (
            # the worker's own home (matplotlib's font cache) sits beside the scratch folder
            "HOME_OF_WORKER = os.path.join(os.path.dirname(os.getcwd()), 'home')\n"
            f"SEEN, OUTSIDE = outside_allowlist({roots!r} + [HOME_OF_WORKER], {hidden!r}, {forbidden!r})\n"
            "def cell(FRAME, STATE):\n"
            "    raise RuntimeError(f'saw {SEEN} paths; outside the allowlist: {len(OUTSIDE)} {OUTSIDE[:4]}')\n"
        ),
    )


# -- 3. looks for the seed, the reference and the stand-ins through imports and gc -------------
SNOOP = r'''
import gc, importlib, os, types

KIT_MODULES = ["course_config", "autograder", "autograder.settings", "autograder.grading.graders",
               "autograder.assignments.rnn_sum", "autograder.assignments.rnn_sum.reference",
               "autograder.assignments.rnn_sum.stand_ins", "autograder.assignments.rnn_sum.test_cell",
               "autograder.kernel", "autograder.runner", "autograder.inside.probe"]

def snoop(name, seed, secret, mine):
    """A working `name` that this notebook did not write, and what else it found (the grader seed
    or the course secret, in memory or in the environment)."""
    modules = []
    for module in KIT_MODULES:
        try:
            importlib.import_module(module)
            modules.append(module)
        except Exception:
            pass
    seed_seen = False
    candidates = []
    for obj in gc.get_objects():
        if isinstance(obj, str) and (seed in obj or "GRADER_SEED" in obj or secret in obj):
            seed_seen = True
        elif isinstance(obj, dict) and callable(obj.get(name)) and obj[name] is not mine:
            candidates.append(obj[name])
        elif isinstance(obj, types.FunctionType) and obj.__name__ == name and obj is not mine:
            candidates.append(obj)
    if any(secret in value or "AUTOGRADER_SECRET" in key for key, value in os.environ.items()):
        seed_seen = True
    parent = []  # the memory and environment of the worker that forked this process
    for path in (f"/proc/{os.getppid()}/mem", f"/proc/{os.getppid()}/environ", "/proc/1/environ"):
        try:
            with open(path, "rb") as f:
                f.read(1)
            parent.append(path)
        except OSError:
            pass
    return candidates, f"modules={modules} seed={seed_seen} parent={parent}"
'''


def _snooping_function(task):
    return (
        f"def {task}(*args):\n"
        f"    candidates, found = snoop({task!r}, {str(config.GRADER_SEED)!r}, {SECRET!r}, {task})\n"
        "    for candidate in candidates:\n"
        "        if getattr(candidate, '__globals__', None) not in (None, globals()) and 'cell' in globals():\n"
        "            candidate.__globals__['cell'] = globals()['cell']  # counted, as the graders want\n"
        "        try:\n"
        "            return candidate(*args)\n"
        "        except Exception:\n"
        "            pass\n"
        f"    raise RuntimeError('snooped nothing for {task}: ' + found)\n"
    )


def _snoop(solutions):
    params = (
        "BIAS = torch.randn((), requires_grad=True)\nWEIGHTF = torch.randn((), requires_grad=True)\n"
        "WEIGHTS = torch.randn((), requires_grad=True)\n"
    )
    code = {task: _snooping_function(task) for task in TASKS}
    code["cell"] = SNOOP + params + code["cell"]
    return code


# -- 4. carries a file's text out in its messages ------------------------------------------
def _leak_targets(course_root):
    return [
        os.path.join(ROOT, "course_config.py"),
        os.path.join(ROOT, "autograder", "assignments", "rnn_sum", "stand_ins.py"),
        os.path.join(ROOT, "source", "rnn_sum", "rnn_sum.ipynb"),
        os.path.join(ROOT, "solutions", "rnn_sum", "rnn_sum.ipynb"),
        os.path.join(course_root, "source", "rnn_sum", "rnn_sum.ipynb"),
        "/etc/shadow",
        "/etc/passwd",
    ]


LEAK = r'''
def leak(paths):
    """The secret part of the first file it can read, else why it could read none."""
    reasons = []
    for path in paths:
        try:
            with open(path) as f:
                text = f.read()
        except OSError as exc:
            reasons.append(type(exc).__name__)
            continue
        for secret in ("GRADER_SEED =", "### BEGIN SOLUTION", "return BIAS", "root:"):
            if secret in text:
                at = text.index(secret)
                return "LEAKED " + text[at:at + 200].replace("\n", " | ")
    return "nothing to leak: " + ", ".join(sorted(set(reasons)))
'''


def _leaker(solutions, course_root):
    return dict(
        solutions,
        cell=solutions["cell"]
        + LEAK
        + (f"TEXT = leak({_leak_targets(course_root)!r})\ndef cell(FRAME, STATE):\n    raise RuntimeError(TEXT)\n"),
    )


# -- the class, through both routes --------------------------------------------------------------
HOSTILE = ["hunter", "explorer", "snoop", "leaker"]


def _class(solutions, course_root, release, fallback):
    return {
        "bystander": answers.notebook(solutions, base=release),
        "hunter": answers.notebook(_hunter(), base=release),
        "explorer": answers.notebook(_explorer(solutions, fallback), base=release),
        "snoop": answers.notebook(_snoop(solutions), base=release),
        "leaker": answers.notebook(_leaker(solutions, course_root), base=release),
    }


def _nbgrader_results(root, students):
    """{student: {task: {"points", "messages"}}} from the gradebook and autograded notebooks."""
    from nbgrader.api import Gradebook

    results = {}
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        for student in students:
            submission = gb.find_submission("rnn_sum", student)
            grades = {g.name: g.score for nb in submission.notebooks for g in nb.grades}
            nb = nbformat.read(root / "autograded" / student / "rnn_sum" / "rnn_sum.ipynb", as_version=4)
            text = {}
            for cell in nb.cells:
                grade_id = cell.metadata.get("nbgrader", {}).get("grade_id", "")
                if grade_id.startswith("test_"):
                    said = "\n".join(o.get("evalue", "") + o.get("text", "") for o in cell.get("outputs", []))
                    text[grade_id[5:]] = " ".join(said.split())  # unwrapped: the output is wrapped to be read
            results[student] = {t: {"points": grades[f"test_{t}"], "messages": text[t]} for t in TASKS}
    return results


@pytest.fixture(scope="module", params=ROUTES)
def route(request, tmp_path_factory, solutions):
    """(route, course root, {student: {task: {"points", "messages"}}}, command output)."""
    fallback = request.param.endswith("fallback")
    prefix = []
    if fallback:  # as in a container where bubblewrap cannot create namespaces
        if not sandbox.can_drop_privileges() or landlock.abi() < 1:
            pytest.skip("the fallback's allowlist needs root and a kernel with Landlock")
        prefix = python_for_all_users()  # student code runs as another user, who must run this Python
    elif sandbox.bwrap_problem() is not None:
        pytest.skip(f"no sandbox here: {sandbox.bwrap_problem()}")
    prefix = [*prefix, "env", f"AUTOGRADER_SECRET={SECRET}"]
    root = tmp_path_factory.mktemp("reach-" + request.param.replace(" ", "-").replace(",", ""))
    release = new_course(str(root))
    class_ = _class(solutions, str(root), release, fallback)
    write_class(str(root / "submitted"), class_)
    with pytest.MonkeyPatch.context() as patch:
        if fallback:
            patch.setenv(sandbox.MODE, "user")
        if request.param.startswith("grade"):
            proc = grade_command("submitted", "--json", "results.json", cwd=root, prefix=prefix)
            records = {r["student"]: r for r in json.loads((root / "results.json").read_text())}
            assert all(r["sandboxed"] for r in records.values()), proc.stderr[-2000:]
            results = {
                s: {t: {"points": v["points"], "messages": "\n".join(v["messages"])} for t, v in r["tasks"].items()}
                for s, r in records.items()
            }
        else:
            proc = course.nbgrader(root, "autograde", "rnn_sum", prefix=prefix)
            results = _nbgrader_results(root, list(class_))
    return request.param, root, results, proc.stderr


def _earned(results, student):
    return {t: v["points"] for t, v in results[student].items() if v["points"] > 0}


def test_the_route_grades_in_the_sandbox(route):
    """nbgrader autograde runs the kit's graders (not the hidden tests in a kernel), sandboxed."""
    name, _, results, stderr = route
    assert set(results) == {"bystander", *HOSTILE}
    assert "NOT SANDBOXED" not in stderr, stderr[-2000:]
    assert "hidden inputs: derived per student and attempt from the course secret" in stderr, stderr[-2000:]
    if name == "nbgrader autograde":
        assert "by the kit's graders (sandboxed (bubblewrap allowlist" in stderr, stderr[-2000:]
    if name == "nbgrader autograde, fallback":
        held = "by the kit's graders (sandboxed without bubblewrap (an unprivileged user per worker, Landlock allowlist"
        assert held in stderr, stderr[-2000:]


def test_a_correct_bystander_keeps_full_marks(route):
    results = route[2]
    assert all(v["points"] == config.ASSIGNMENTS["rnn_sum"]["points"][t] for t, v in results["bystander"].items()), (
        results["bystander"]
    )


def test_solutions_on_disk_are_out_of_reach(route):
    """The hunter, which executes any solution cell it can read, earns nothing."""
    assert _earned(route[2], "hunter") == {}
    assert "nothing found for model" in route[2]["hunter"]["model"]["messages"]


def test_the_hunter_finds_the_solutions_where_they_are_in_reach():
    namespace = {}
    exec(HUNT, namespace)
    found = namespace["hunt"]([ROOT], TASKS)
    assert sorted(found) == sorted(TASKS)


def test_student_code_sees_only_the_allowlist(route):
    """The explorer walks the whole file system: everything it sees is on the allowlist (the
    system's programs, Python and its packages, the worker's own code, /dev, /proc and its
    scratch folder), and it saw a real file system, not nothing."""
    messages = route[2]["explorer"]["cell"]["messages"]
    assert "outside the allowlist: 0 []" in messages, messages
    seen = int(messages.split("saw ")[1].split(" paths")[0])
    assert seen > 1000, messages
    assert _earned(route[2], "explorer") == {
        t: config.ASSIGNMENTS["rnn_sum"]["points"][t] for t in TASKS if t != "cell"
    }


def test_the_explorer_sees_the_course_where_it_is_in_reach():
    namespace = {}
    exec(EXPLORE, namespace)
    cwd = os.getcwd()
    try:
        os.chdir(os.path.join(ROOT, "release", "rnn_sum"))
        _, outside = namespace["outside_allowlist"](["/usr"], [], ["course_config.py"])
    finally:
        os.chdir(cwd)
    assert os.path.join(ROOT, "course_config.py") in outside


def test_no_seed_reference_or_stand_in_is_reachable_from_imports_or_gc(route):
    """The snoop finds no kit module but the worker's own, no seed, no working function it did
    not write, and cannot read its parent worker's memory or environment: it earns nothing."""
    results = route[2]["snoop"]
    assert _earned(route[2], "snoop") == {}
    text = results["cell"]["messages"]
    assert "modules=['autograder', 'autograder.inside.probe'] seed=False parent=[]" in text, text


SNOOP_CONTROL = r"""
import json, sys, torch
from autograder.grading import graders
from autograder.inside import probe
namespace = {"torch": torch}
for code in json.loads(sys.argv[1]).values():
    exec(code, namespace)
cases = graders.cases("rnn_sum", "model")
sent = graders.program("rnn_sum", "model", cases)
if sys.argv[2] == "whole":
    with open(sys.argv[3]) as f:
        sent = dict(sent, stand_ins=f.read())
messages = graders.judge("rnn_sum", "model", cases, probe.observe(namespace, sent))
print(json.dumps({"stand_ins": sent["stand_ins"], "messages": messages}))
"""


def test_a_task_gets_only_the_stand_ins_of_the_functions_it_uses(solutions):
    """Where another task's working function is in the process (stand-ins sent whole, as a
    first version of this kit did), the snoop finds it and passes `model` without writing an
    unroll; with the programs the kit sends, `model` gets a working `cell` and nothing more."""

    def control(how):
        proc = subprocess.run(
            [
                sys.executable,
                "-c",
                SNOOP_CONTROL,
                json.dumps(_snoop(solutions)),
                how,
                os.path.join(ROOT, "autograder", "assignments", "rnn_sum", "stand_ins.py"),
            ],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=300,
        )
        assert proc.returncode == 0, proc.stderr
        return json.loads(proc.stdout)

    sent, whole = control("sent"), control("whole")
    assert sent["stand_ins"].count("def ") == 1 and "def cell(" in sent["stand_ins"]
    assert sent["messages"] and "snooped nothing for model" in sent["messages"][0]
    assert whole["messages"] == []


def test_no_file_text_leaks_through_messages(route):
    """The leaker raises with the text of the first secret file it can read: it reads none."""
    text = route[2]["leaker"]["cell"]["messages"]
    # bubblewrap shows none of the files; Landlock refuses them where they are
    refused = "PermissionError" if route[0].endswith("fallback") else "FileNotFoundError"
    assert "nothing to leak: " in text and refused in text, text
    everything = json.dumps(route[2])
    assert "LEAKED" not in everything and str(config.GRADER_SEED) not in everything
    assert _earned(route[2], "leaker") == {t: config.ASSIGNMENTS["rnn_sum"]["points"][t] for t in TASKS if t != "cell"}


def test_the_leaker_leaks_where_files_are_in_reach(tmp_path):
    namespace = {}
    exec(LEAK, namespace)
    assert namespace["leak"](_leak_targets(str(tmp_path))).startswith("LEAKED GRADER_SEED =")


def test_grading_without_any_sandbox_says_so_loudly(tmp_path, solutions):
    """Where no sandbox holds (forced here: AUTOGRADER_SANDBOX=none), the command still grades,
    warns before and after, the record says ``"sandboxed": false`` and the feedback page says so."""
    answers.write(answers.notebook(solutions), str(tmp_path / "rnn_sum.ipynb"))
    proc = subprocess.run(
        [sys.executable, "-m", "autograder", "grade", "rnn_sum.ipynb", "--json", "out.json", "--feedback", "fb"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
        env=dict(os.environ, AUTOGRADER_SANDBOX="none"),
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.count("WARNING: NOT SANDBOXED: bubblewrap is turned off (AUTOGRADER_SANDBOX=none)") == 2
    [record] = json.loads((tmp_path / "out.json").read_text())
    assert record["total"] == record["max_total"] and record["sandboxed"] is False
    page = next((tmp_path / "fb").iterdir()).read_text()
    assert "not sandboxed" in page


def test_the_fallback_without_landlock_names_what_student_code_could_read(monkeypatch):
    """Where neither bubblewrap nor Landlock holds, the unprivileged user alone is tried for real
    on the course's files: here the course is readable by every user, so the records would say
    ``"sandboxed": false`` and the warning names the files and what to do."""
    if not sandbox.can_drop_privileges():
        pytest.skip("the unprivileged user needs root")
    monkeypatch.setenv(sandbox.MODE, "user")
    monkeypatch.setattr(landlock, "abi", lambda: 0)
    sandbox.bwrap_problem.cache_clear()
    sandbox.isolation.cache_clear()
    try:
        how = sandbox.isolation()
        warning = sandbox.warning()
    finally:
        sandbox.bwrap_problem.cache_clear()
        sandbox.isolation.cache_clear()
    settings = os.path.join(ROOT, "course_config.py")
    folders = [os.path.dirname(settings)]
    while folders[-1] != "/":
        folders.append(os.path.dirname(folders[-1]))
    open_to_all = os.stat(settings).st_mode & 0o004 and all(os.stat(f).st_mode & 0o001 for f in folders)
    assert how.user and not how.landlock
    if not open_to_all:  # a course readable by root only: the user alone holds
        assert how.sandboxed and settings not in how.exposed
        return
    assert not how.sandboxed and settings in how.exposed
    assert "WARNING: NOT SANDBOXED: student code could read" in warning and "chmod 700" in warning
