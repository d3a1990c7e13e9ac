"""Hostile notebooks: none earns a point it did not earn, none breaks another notebook's
grade or the instructor's files, and each gets a record."""

import json
import os
import shutil
import time
from pathlib import Path

import pytest

from autograder import runner, sandbox
from autograder.runner import submission as sub
from autograder.settings import ROOT
from examples import answers
from tests.conftest import lost, messages

pytestmark = pytest.mark.sandbox

needs_bwrap = pytest.mark.skipif(
    sandbox.bwrap_problem() is not None, reason=f"no sandbox here: {sandbox.bwrap_problem()}"
)

SLEEPERS = """
import os, subprocess, time
try:
    subprocess.Popen(["sleep", "4242"])
    subprocess.Popen(["sleep", "4243"], start_new_session=True)
    if os.fork() == 0:  # a daemon: double fork, new session
        os.setsid()
        if os.fork() == 0:
            os.execvp("sleep", ["sleep", "4244"])
        os._exit(0)
    time.sleep(0.2)
    running = sum(open(f"/proc/{p}/cmdline").read().startswith("sleep") for p in os.listdir("/proc") if p.isdigit())
except OSError:
    running = 0
if running < 3:  # the sleepers did not start: make `cell` wrong so that the test sees it
    def cell(FRAME, STATE):
        return FRAME
"""

VANDAL = """
import os, shutil
for path in {targets!r}:
    try:
        with open(path, "w") as f:
            f.write("[]")
    except OSError:
        pass
for path in {deletions!r}:
    try:
        if os.path.isdir(path):
            shutil.rmtree(path)
        else:
            os.remove(path)
    except OSError:
        pass
"""

FLOOD = """
import sys
line = "x" * 10_000
for _ in range(5_000):  # 50 MB
    print(line)
    print(line, file=sys.stderr)
"""

MEMORY_BOMB = """
hoard = []
while True:
    hoard.append(bytearray(100_000_000))
"""

HUGE_TENSOR_MODEL = """
def model(SIGNAL):
    return torch.empty(2**40)
"""

SEGFAULT_MODEL = """
import ctypes

def model(SIGNAL):
    return ctypes.string_at(0)  # reads address 0: a segmentation fault
"""

ENDLESS_RECURSION_MODEL = """
def model(SIGNAL):
    return model(SIGNAL)
"""

SNOOP = """

try:  # another student's notebook: readable, this cell would be wrong
    with open({neighbour!r}) as f:
        f.read()
    def cell(FRAME, STATE):
        return FRAME
except OSError:
    pass
"""

KILL_WORKER = "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)"
KILL_ALL = "import os, signal\nos.kill(-1, signal.SIGKILL)"
CLOSE_PIPES = "import os\nos.closerange(3, 4096)"
FORGE = """
import json, os
for fd in range(3, 64):
    try:
        os.write(fd, (json.dumps({"event": "end", "step": 999, "observed": {}}) + "\\n").encode())
    except OSError:
        pass
"""


def _sleep_processes():
    found = []
    for pid in os.listdir("/proc"):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                if f.read().split(b"\0")[:2] in ([b"sleep", b"4242"], [b"sleep", b"4243"], [b"sleep", b"4244"]):
                    found.append(pid)
        except OSError:
            pass
    return found


@pytest.fixture(scope="module")
def graded(solutions):
    # outside /tmp (which the sandbox empties anyway), as an instructor's course would be
    root = Path(ROOT) / "build" / "isolation-class"
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    right = answers.notebook(solutions)
    folder = lambda student: root / "submitted" / student / "rnn_sum"  # noqa: E731
    out = root / "results.json"
    out.write_text("genuine")
    bystander = folder("bystander") / "rnn_sum.ipynb"
    neighbour = folder("vandal") / "data.csv"
    targets = [str(out), str(bystander), str(root / "gradebook.db"), str(folder("vandal") / "rnn_sum.ipynb")]
    deletions = [str(neighbour), str(folder("bystander"))]
    notebooks = {
        "bystander": right,
        "sleepers": answers.with_code_cell(right, "cell", SLEEPERS),
        "vandal": answers.with_code_cell(right, "test_cell", VANDAL.format(targets=targets, deletions=deletions)),
        "snoop": answers.notebook(dict(solutions, cell=solutions["cell"] + SNOOP.format(neighbour=str(bystander)))),
        "flood": answers.with_code_cell(right, "test_cell", FLOOD),
        "memory_bomb": answers.with_code_cell(right, "test_cell", MEMORY_BOMB),
        "huge_tensor": answers.notebook(dict(solutions, model=HUGE_TENSOR_MODEL)),
        "segfault": answers.notebook(dict(solutions, model=SEGFAULT_MODEL)),
        "recursion": answers.notebook(dict(solutions, model=ENDLESS_RECURSION_MODEL)),
        "kills_worker": answers.with_code_cell(right, "test_model", KILL_WORKER),
        "kills_all": answers.with_code_cell(right, "test_model", KILL_ALL),
        "closes_pipes": answers.with_code_cell(right, "test_model", CLOSE_PIPES),
        "forges_events": answers.with_code_cell(right, "test_model", FORGE),
    }
    for student, nb in notebooks.items():
        answers.write(nb, str(folder(student) / "rnn_sum.ipynb"))
    neighbour.write_text("1,2,3\n")
    (root / "gradebook.db").write_text("the instructor's")
    started = time.monotonic()
    records = runner.grade_all(sub.find([str(root / "submitted")]))
    seconds = time.monotonic() - started
    return root, {r["student"]: r for r in records}, seconds


def test_every_hostile_notebook_gets_a_record(graded):
    _, records, _ = graded
    assert len(records) == 13
    assert all(r["error"] is None for r in records.values())


def test_a_bystander_keeps_full_marks(graded):
    """Nothing the others do changes the grade of a correct notebook graded beside them."""
    assert lost(graded[1]["bystander"]) == []


@pytest.mark.parametrize(
    "name", ["sleepers", "flood", "memory_bomb", "kills_worker", "kills_all", "closes_pipes", "forges_events"]
)
def test_mischief_outside_the_graded_functions_earns_and_costs_nothing(graded, name):
    """Correct functions keep their points whatever an extra cell does; nothing is gained."""
    record = graded[1][name]
    assert lost(record) == [], record["tasks"]
    assert record["total"] == graded[1]["bystander"]["total"]


@pytest.mark.parametrize(
    "name, reason",
    [
        ("huge_tensor", "raised RuntimeError"),
        ("segfault", "killed by SIGSEGV"),
        ("recursion", "raised RecursionError"),
    ],
)
def test_a_crash_costs_only_its_task_and_says_why(graded, name, reason):
    record = graded[1][name]
    assert lost(record) == ["model"]
    assert reason in messages(record, "model")


def test_no_process_a_notebook_started_survives_grading(graded):
    """Sleepers, detached or not, are gone when grading ends."""
    assert _sleep_processes() == []


@needs_bwrap
def test_student_code_cannot_touch_the_instructors_files(graded):
    """Results, gradebook, other students' notebooks and files beside the submission survive."""
    root, records, _ = graded
    assert (root / "results.json").read_text() == "genuine"
    assert (root / "gradebook.db").read_text() == "the instructor's"
    assert (root / "submitted" / "vandal" / "rnn_sum" / "data.csv").read_text() == "1,2,3\n"
    bystander = root / "submitted" / "bystander" / "rnn_sum" / "rnn_sum.ipynb"
    assert json.loads(bystander.read_text())["cells"]


@needs_bwrap
def test_student_code_cannot_read_another_students_notebook(graded):
    """The submissions are out of sight in the sandbox: the snoop's `cell` would be wrong
    had it been able to read its neighbour's notebook."""
    assert lost(graded[1]["snoop"]) == [], graded[1]["snoop"]["tasks"]["cell"]
