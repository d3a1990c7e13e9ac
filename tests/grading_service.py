"""What the grading service's tests share: a course with an exchange and real student users, the
service run as its own process (``python -m autograder serve``, so that ``kill -9`` is real), and
students who submit with nbgrader's command line, as themselves."""

import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

import nbformat
import pytest

from autograder.nbgrader import course
from examples import answers
from tests.conftest import new_course
from tests.unix_users import COURSE, as_student, make_user, problem, student_nbgrader

WAIT = 600  # seconds a test waits for what it expects; a verdict never depends on the time taken


class Class:
    """A course at ``root`` with both assignments released into ``exchange``, and ``students``
    (real users) who have fetched them."""

    def __init__(self, request, tmp_path_factory, students):
        why = problem()
        if why:
            pytest.skip(why)
        self.homes = {name: make_user(name, request) for name in students}
        top = tempfile.mkdtemp(prefix="rnn-sum-service-")
        request.addfinalizer(lambda: shutil.rmtree(top, ignore_errors=True))
        os.chmod(top, 0o755)
        self.exchange = os.path.join(top, "exchange")
        self.root = str(tmp_path_factory.mktemp("service-course"))
        new_course(self.root, ("rnn_sum", "rnn_layers"))
        for assignment in ("rnn_sum", "rnn_layers"):
            course.nbgrader(self.root, "release_assignment", assignment, f"--Exchange.root={self.exchange}")
            for name in students:
                student_nbgrader(name, "fetch_assignment", assignment, exchange=self.exchange)
        self.inbound = os.path.join(self.exchange, COURSE, "inbound")
        self.state = str(tmp_path_factory.mktemp("service-state"))  # the service's ledger and queue

    def submit(self, student, nb, assignment="rnn_sum"):
        """``nb`` (a notebook, or text) submitted by ``student`` with ``nbgrader submit``."""
        fetched = os.path.join(self.homes[student], assignment, f"{assignment}.ipynb")
        text = nb if isinstance(nb, str) else nbformat.writes(nb)
        wrote = as_student(student, "sh", "-c", 'cat > "$1"', "sh", fetched, stdin=text)
        assert wrote.returncode == 0, wrote.stderr
        student_nbgrader(student, "submit", assignment, exchange=self.exchange)

    def fetch_feedback(self, student, assignment="rnn_sum"):
        """{nbgrader timestamp: the page} of every feedback page ``student`` fetched, as themselves."""
        student_nbgrader(student, "fetch_feedback", assignment, exchange=self.exchange)
        folder = os.path.join(self.homes[student], assignment, "feedback")
        read = as_student(student, "python", "-c", PAGES, folder, assignment)  # their own home: only they can read it
        assert read.returncode == 0, read.stderr
        return json.loads(read.stdout)


PAGES = r"""
import json, os, sys
folder, assignment = sys.argv[1:]
out = {}
for stamp in sorted(os.listdir(folder)) if os.path.isdir(folder) else []:
    with open(os.path.join(folder, stamp, assignment + ".html")) as f:
        out[stamp] = f.read()
print(json.dumps(out))
"""


def notebook(mistake=None, assignment="rnn_sum"):
    """The right answer of ``assignment``, or with the known ``mistake``."""
    code = answers.solutions(assignment)
    if mistake:
        code = answers.apply(code, answers.edit(mistake))
    return answers.notebook(code, assignment=assignment)


class Service:
    """``python -m autograder serve`` as a process of its own; what it says is kept in ``lines``."""

    def __init__(self, klass, *extra, state=None, jobs=1, queue="sqlite", env=None, cwd=None):
        self.state = state = state or klass.state
        command = [sys.executable, "-m", "autograder", "serve", "--exchange", klass.exchange, "--course", klass.root]
        command += ["--state", state, "--jobs", str(jobs), "--queue", queue, *extra]
        self.proc = subprocess.Popen(
            command,
            stderr=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            text=True,
            start_new_session=True,
            env=env,
            cwd=cwd,
        )
        self.lines = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self):
        for line in self.proc.stderr:
            self.lines.append(line.rstrip("\n"))

    def wait_for(self, pattern, count=1, timeout=WAIT):
        """The first ``count`` lines that match ``pattern``, once the service has said them."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = [line for line in self.lines if re.search(pattern, line)]
            if len(found) >= count:
                return found[:count]
            if self.proc.poll() is not None:
                break
            time.sleep(0.1)
        raise AssertionError(f"the service never said {pattern!r} ({count}); it said:\n" + "\n".join(self.lines))

    def kill9(self):
        """``kill -9`` of the service's own process, nothing else."""
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()
        self._reader.join(timeout=10)

    def stop(self):
        """SIGTERM, then whatever the service started is killed too."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                pass
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait()


def ledger(state):
    """Every row of the service's ledger, as dicts."""
    connection = sqlite3.connect(f"file:{os.path.join(state, 'ledger.db')}?mode=ro", uri=True)
    try:
        cursor = connection.execute("SELECT * FROM submission ORDER BY timestamp")
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row)) for row in cursor]
    finally:
        connection.close()


def wait_until(condition, what, timeout=WAIT):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"never: {what}")


def settled(state, student, count):
    """The ledger's rows of ``student``, once ``count`` of them have reached a final state."""
    rows = ledger(state) if os.path.exists(os.path.join(state, "ledger.db")) else []
    mine = [r for r in rows if r["student"] == student]
    done = [r for r in mine if r["state"] in ("delivered", "superseded", "rejected")]
    return mine if len(done) >= count else None
