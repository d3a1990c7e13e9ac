"""``kill -9`` of the grading service, of one of its warm workers, or of a grading process on
another machine, in the middle of grading, loses no submission and writes none out twice: on
restart every submission is delivered exactly once (the ledger's ``deliveries``), with the
grade it deserves.

The Redis mode runs a real ``redis-server`` (Debian's package, started by the test on a Unix
socket only root can reach, with a password) and two grading processes standing in for two
machines; the writer grades nothing itself (``--jobs 0``).
"""

import os
import shutil
import signal
import subprocess
import time

import pytest

from autograder.outputs import gradebook
from tests import grading_service as gs

pytestmark = [pytest.mark.sandbox, pytest.mark.nbgrader]

STUDENTS = ("svcstu1", "svcstu2", "svcstu3")
# (student, assignment, mistake or None, the score it deserves)
WORK = [
    ("svcstu1", "rnn_sum", "forgotten_bias", 8),
    ("svcstu2", "rnn_sum", None, 9),
    ("svcstu3", "rnn_sum", "missing_zero_grad", 6),
    ("svcstu1", "rnn_layers", None, 8),
]


@pytest.fixture(scope="module")
def klass(request, tmp_path_factory):
    return gs.Class(request, tmp_path_factory, STUDENTS)


def _submit_all(klass, work):
    for student, assignment, mistake, _ in work:
        klass.submit(student, gs.notebook(mistake, assignment), assignment)


def _all_settled(state, work):
    """Whether the latest submission of each of ``work`` has been written out, and none waits."""
    rows = gs.ledger(state) if os.path.exists(os.path.join(state, "ledger.db")) else []
    latest = {(r["student"], r["assignment"]): r["state"] for r in rows}
    pending = [r for r in rows if r["state"] == "queued"]
    return not pending and all(latest.get((s, a)) == "delivered" for s, a, *_ in work)


def _delivered_once(klass, state, work):
    """Every submission of ``work`` delivered exactly once, each with the score it deserves."""
    rows = gs.ledger(state)
    for student, assignment, _, score in work:
        mine = [r for r in rows if (r["student"], r["assignment"]) == (student, assignment)]
        latest = mine[-1]
        assert (latest["state"], latest["deliveries"]) == ("delivered", 1), latest
        assert gradebook.scores(klass.root, assignment, total=True)[student]["score"] == score
    assert all(r["deliveries"] <= 1 for r in rows), rows


def _descendants(pid):
    children = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
    return [int(c) for c in children] + [d for c in children for d in _descendants(int(c))]


def test_kill_9_of_the_service_mid_grading_loses_nothing_and_doubles_nothing(klass):
    service = gs.Service(klass)
    try:
        service.wait_for("^serving:")
        _submit_all(klass, WORK[:3])
        service.wait_for("^graded ")  # the first is written out; the next is being graded
        service.kill9()
    finally:
        service.stop()
    again = gs.Service(klass)
    try:
        gs.wait_until(lambda: _all_settled(klass.state, WORK[:3]), "all three delivered")
        lost = [line for line in again.lines if line.startswith("queued again")]
    finally:
        again.stop()
    _delivered_once(klass, klass.state, WORK[:3])
    assert lost, "the test meant to kill the service while it graded a submission:\n" + "\n".join(again.lines)


def test_kill_9_of_a_warm_worker_mid_grading_grades_the_notebook_again(klass):
    service = gs.Service(klass)
    try:
        service.wait_for("^serving:")
        _submit_all(klass, WORK[3:])
        time.sleep(1.0)
        for pid in _descendants(service.proc.pid):  # the warm worker and the child running the notebook
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        service.wait_for(r"^graded svcstu1/rnn_layers")
    finally:
        service.stop()
    _delivered_once(klass, klass.state, WORK[3:])


def _redis(tmp_path):
    """A real redis-server on a Unix socket in a folder only root enters, with a password: its URL."""
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed (Debian's package redis-server)")
    folder = tmp_path / "redis"
    folder.mkdir(mode=0o700)
    sock = folder / "redis.sock"
    password = "test-" + os.urandom(8).hex()
    proc = subprocess.Popen(
        ["redis-server", "--port", "0", "--unixsocket", str(sock), "--unixsocketperm", "700"]
        + ["--requirepass", password, "--dir", str(folder), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    gs.wait_until(sock.exists, "redis-server listens", timeout=30)
    return proc, f"unix://{sock}?password={password}"


def test_a_redis_queue_with_two_grading_machines_grades_each_submission_once(klass, tmp_path):
    """The writer grades nothing; two grading processes (two machines) share the work; one is
    killed while it holds a submission, and the other grades it."""
    server, url = _redis(tmp_path)
    state = str(tmp_path / "state")
    writer = gs.Service(klass, "--queue", url, state=state, jobs=0)
    workers = [gs.Service(klass, "--worker", "--queue", url, state=state, jobs=1) for _ in range(2)]
    try:
        writer.wait_for("^serving:")
        for w in workers:
            w.wait_for("^serving:")
        _submit_all(klass, WORK)
        first = writer.wait_for("^graded ")[0]
        victim = next(w for w in workers if f":{w.proc.pid})" not in first)  # the one still grading
        victim.kill9()
        gs.wait_until(lambda: _all_settled(state, WORK), "every submission delivered")
        graded = writer.wait_for("^graded ", count=len(WORK))
    finally:
        for proc in [writer, *workers]:
            proc.stop()
        server.kill()
        server.wait()
    _delivered_once(klass, state, WORK)
    grading = {line.rsplit("(by ", 1)[1].rstrip(")") for line in graded}
    assert all(name.endswith(tuple(f":{w.proc.pid}" for w in workers)) for name in grading), grading
