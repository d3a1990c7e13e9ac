"""What bench/service_latency.py is made of: real student users (marked, and only those ever
removed), each with a warm submitting process if wanted, a course with an exchange, and the
service as a process of its own."""

import datetime
import os
import pwd
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
from nbgrader.utils import notebook_hash, parse_utc

from autograder.nbgrader import course
from autograder.service import inbox
from bench.service_memory import tree
from examples import answers
from tests.unix_users import BIN, COURSE, _namespace, as_student, student_nbgrader

MARK = "rnn-sum-kit service benchmark"  # the accounts' comment (GECOS): only these are ever removed
SBIN = {**os.environ, "PATH": "/usr/sbin:/usr/bin:/sbin:/bin"}


def make_user(name):
    """A new user ``name`` with a private home, as Debian's adduser makes one; returns the home."""
    try:
        existing = pwd.getpwnam(name)
    except KeyError:
        existing = None
    if existing is not None:
        if existing.pw_gecos != MARK:
            sys.exit(f"a user {name} exists here that this benchmark did not make; stopping")
        remove_user(name)  # left by a killed run
    useradd = ["useradd", "--create-home", "--comment", MARK, "--shell", "/usr/sbin/nologin", name]
    subprocess.run(useradd, check=True, capture_output=True, env=SBIN)
    home = pwd.getpwnam(name).pw_dir
    os.chmod(home, 0o700)
    return home


def remove_user(name):
    try:
        if pwd.getpwnam(name).pw_gecos != MARK:
            return
    except KeyError:
        return
    subprocess.run(["userdel", "--remove", name], capture_output=True, env=SBIN)


def notebooks(assignment, n):
    """n notebooks of ``assignment``, in turn: the right answer, a known mistake, another right
    answer, another mistake...  [(what, text)]"""
    solutions = answers.solutions(assignment)
    mistakes, others = answers.EXAMPLES[assignment]
    right = [("right", solutions)] + [(e.name, answers.apply(solutions, e)) for e in others]
    wrong = [(e.name, answers.apply(solutions, e)) for e in mistakes]
    out = []
    for i in range(n):
        what, code = (right if i % 2 == 0 else wrong)[(i // 2) % len(right if i % 2 == 0 else wrong)]
        out.append((what, nbformat.writes(answers.notebook(code, assignment=assignment))))
    return out


# A student's server as the Assignments tab's Submit uses it: nbgrader loaded once, its
# configuration read and ExchangeSubmit run in the process at each press (a line on stdin).
SUBMITTER = r"""
import sys
from nbgrader.apps import NbGrader
from nbgrader.auth import Authenticator
from nbgrader.coursedir import CourseDirectory
from nbgrader.exchange import ExchangeFactory
course, assignment, exchange = sys.argv[1:]

def config():
    app = NbGrader()
    app.load_config_file()
    c = app.config
    c.CourseDirectory.course_id, c.CourseDirectory.assignment_id, c.Exchange.root = course, assignment, exchange
    return c

config()
print("ready", flush=True)
for _ in sys.stdin:
    c = config()
    factory = ExchangeFactory(config=c)
    submit = factory.Submit(coursedir=CourseDirectory(config=c), authenticator=Authenticator(config=c), config=c)
    submit.start()
    print(submit.timestamp, flush=True)
"""


class Submitters:
    """A warm process per student, as the student (see SUBMITTER); ``submit`` as ``Course.submit``."""

    def __init__(self, klass, users):
        self.procs, self.log = {}, tempfile.TemporaryFile(mode="w+")
        for user in users:
            home = pwd.getpwnam(user).pw_dir
            env = [f"HOME={home}", f"USER={user}", f"LOGNAME={user}", f"PATH={BIN}:/usr/bin:/bin", "LANG=C.UTF-8"]
            as_user = ["setpriv", f"--reuid={user}", f"--regid={user}", "--init-groups", "--", "env", "-i", *env]
            command = [*_namespace(home), *as_user, "python", "-c", SUBMITTER, COURSE, klass.assignment, klass.exchange]
            self.procs[user] = subprocess.Popen(
                command, cwd=home, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.log, text=True
            )
        for user in self.procs:
            self._line(user)

    def _line(self, user):
        line = self.procs[user].stdout.readline()
        if not line:
            self.log.seek(0)
            raise RuntimeError(f"{user}'s submitting process ended:\n{self.log.read()[-3000:]}")
        return line

    def submit(self, student):
        started = time.time()
        self.procs[student].stdin.write("submit\n")
        self.procs[student].stdin.flush()
        self._line(student)
        return started, time.time()

    def close(self):
        for proc in self.procs.values():
            try:
                proc.stdin.close()
                proc.wait(timeout=30)
            except (OSError, subprocess.TimeoutExpired):
                proc.kill()
                proc.wait()


def epoch(nbgrader_timestamp):
    """Seconds since the epoch of an nbgrader timestamp (UTC)."""
    return parse_utc(nbgrader_timestamp).replace(tzinfo=datetime.timezone.utc).timestamp()


class Course:
    """A course folder with ``assignment`` generated and released into an exchange, in a
    temporary folder of its own (``top``)."""

    def __init__(self, assignment, exchange=None):
        self.assignment = assignment
        self.top = tempfile.mkdtemp(prefix="course-")
        os.chmod(self.top, 0o755)
        self.exchange = exchange or os.path.join(self.top, "exchange")
        self.root = os.path.join(self.top, "course")
        shutil.copytree(os.path.join(course.ROOT, "source"), os.path.join(self.root, "source"))
        course.nbgrader(self.root, "generate_assignment", assignment)
        course.nbgrader(self.root, "release_assignment", assignment, f"--Exchange.root={self.exchange}")
        self.inbound = os.path.join(self.exchange, COURSE, "inbound")
        self.state = os.path.join(self.top, "state")

    def place(self, student, text):
        """``text`` as the student's fetched notebook, written by the student."""
        fetched = os.path.join(pwd.getpwnam(student).pw_dir, self.assignment, f"{self.assignment}.ipynb")
        script = 'mkdir -p "$(dirname "$1")" && cat > "$1"'
        wrote = as_student(student, "sh", "-c", script, "sh", fetched, stdin=text)
        if wrote.returncode != 0:
            raise RuntimeError(f"{student}: {wrote.stderr}")

    def submit(self, student):
        """``nbgrader submit`` as the student: (time.time() when it started, when it returned)."""
        started = time.time()
        student_nbgrader(student, "submit", self.assignment, exchange=self.exchange)
        return started, time.time()

    def submissions(self, student):
        return [s for s in inbox.scan(self.inbound) if s.student == student]

    def page(self, submitted):
        """Where the service releases the feedback page of ``submitted``."""
        name = notebook_hash(secret=submitted.secret(), notebook_id=submitted.assignment)
        return os.path.join(self.exchange, COURSE, "feedback", f"{name}.html")

    def ledger(self):
        """{submission id: row} of the service's ledger."""
        path = os.path.join(self.state, "ledger.db")
        if not os.path.exists(path):
            return {}
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
        try:
            cursor = connection.execute("SELECT * FROM submission")
            names = [d[0] for d in cursor.description]
            return {row[0]: dict(zip(names, row)) for row in cursor}
        finally:
            connection.close()


class Service:
    """``python -m autograder serve`` as its own process (its own session); what it says on
    stderr is kept in ``lines``."""

    def __init__(self, klass, jobs):
        command = [sys.executable, "-m", "autograder", "serve", "--exchange", klass.exchange, "--course", klass.root]
        command += ["--state", klass.state, "--jobs", str(jobs)]
        self.proc = subprocess.Popen(
            command, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, start_new_session=True
        )
        self.lines = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stderr:
            self.lines.append(line.rstrip("\n"))

    def wait_for(self, pattern, timeout=300):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(re.search(pattern, line) for line in self.lines):
                return
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        raise RuntimeError(f"the service never said {pattern!r}; it said:\n" + "\n".join(self.lines[-30:]))

    def stop(self):
        """SIGTERM; then whatever of its tree is left, killed by pid."""
        left = tree(self.proc.pid)
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                pass
        for pid in [self.proc.pid, *left]:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.proc.wait()


def private_tmp():
    """A folder of this run's own (0755: students reach the exchange inside it) that becomes
    TMPDIR for this process and whatever it starts (the service's workers' scratch folders
    included): removing it at the end removes what a killed service leaves behind."""
    base = tempfile.mkdtemp(prefix="rnn-sum-service-bench-")
    os.chmod(base, 0o755)
    os.environ["TMPDIR"] = tempfile.tempdir = base
    return base


def remove(base):
    """``base`` removed, after unmounting what is mounted inside it: as root each warm worker's
    folder is a tmpfs, which a service that did not end by itself leaves mounted."""
    with open("/proc/self/mounts") as f:
        inside = [line.split()[1] for line in f if line.split()[1].startswith(base + os.sep)]
    for mount in sorted(inside, reverse=True):
        subprocess.run(["umount", mount], capture_output=True, env=SBIN)
    shutil.rmtree(base, ignore_errors=True)


def copy_submissions(ids, source, dest):
    """The inbound folders ``ids`` from ``source`` into ``dest``, owners kept (nbgrader collect
    checks that each folder belongs to its student)."""
    os.makedirs(dest, exist_ok=True)
    for sid in ids:
        subprocess.run(["cp", "-a", os.path.join(source, sid), dest], check=True)
