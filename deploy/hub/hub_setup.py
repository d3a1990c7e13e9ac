"""What the course hub needs on this machine, each step idempotent (run twice, same result):
the users, the students' venv and their servers' wrapper, the exchange and the course folder.

Runs as root, from the kit's venv (course_hub.py imports it).
"""

import hashlib
import json
import os
import pwd
import secrets
import shutil
import subprocess
import sys

from autograder import settings as config
from autograder.nbgrader import course as kit_course
from autograder.settings import ROOT

MARK = "rnn-sum-kit course hub"  # the accounts' comment (GECOS): only these are ever removed
INSTRUCTOR = "hubteacher"
STUDENTS = ("hubstudent1", "hubstudent2", "hubstudent3")
USERS = (INSTRUCTOR, *STUDENTS)
STUDENT_PYTHON = "/usr/bin/python3.11"  # Debian's: readable by every user, unlike pyenv's under /root
STUDENT_PINS = os.path.join(ROOT, "requirements", "hub-student.txt")
EXCHANGE_MODULE = "rnn_sum_hub_exchange"  # the kit's PrivateSubmit, alone, in the students' venv
SBIN = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin"}


def paths(root):
    root = os.path.abspath(root)
    return {
        "root": root,
        "state": os.path.join(root, "state"),
        "course": os.path.join(root, "course"),
        "exchange": os.path.join(root, "exchange"),
        "student_venv": os.path.join(root, "student-venv"),
        "student_server": os.path.join(root, "bin", "student-server"),
    }


def _user(name):
    try:
        return pwd.getpwnam(name)
    except KeyError:
        return None


def logins(state):
    """{user: password}: made once per hub root (kept in state/logins.json, root only), then the same."""
    path = os.path.join(state, "logins.json")
    if os.path.exists(path):
        with open(path) as f:
            known = json.load(f)
        if set(known) == set(USERS):
            return known
    made = {name: secrets.token_urlsafe(9) for name in USERS}
    with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as f:
        json.dump(made, f, indent=1)
    return made


def ensure_users(passwords, say=print):
    """The instructor and the students as Unix users with private homes and these passwords."""
    for name in USERS:
        existing = _user(name)
        if existing is not None and existing.pw_gecos != MARK:
            raise SystemExit(f"a user {name} exists here that the course hub did not make: not touching it")
        if existing is None:
            command = ["useradd", "--create-home", "--comment", MARK, "--shell", "/bin/bash", name]
            subprocess.run(command, check=True, capture_output=True, env=SBIN)
            say(f"  user {name} created")
        os.chmod(_user(name).pw_dir, 0o700)
    lines = "".join(f"{name}:{passwords[name]}\n" for name in USERS)
    subprocess.run(["chpasswd"], input=lines, text=True, check=True, capture_output=True, env=SBIN)


def remove_users(say=print):
    """Remove the users this command made (their homes too); no other user."""
    for name in USERS:
        existing = _user(name)
        if existing is None:
            continue
        if existing.pw_gecos != MARK:
            say(f"  {name} was not made by the course hub: kept")
            continue
        proc = subprocess.run(["userdel", "--remove", name], capture_output=True, text=True, env=SBIN)
        say(f"  user {name} removed" if proc.returncode == 0 else f"  {name}: {proc.stderr.strip()}")


def _digest(*files):
    h = hashlib.sha256()
    for path in files:
        with open(path, "rb") as f:
            h.update(f.read())
    return h.hexdigest()


def ensure_student_venv(venv, say=print):
    """The students' venv: Debian's Python with requirements/hub-student.txt, rebuilt only when
    the pins change."""
    stamp = os.path.join(venv, ".rnn-sum-hub-pins")
    want = _digest(STUDENT_PINS)
    if os.path.exists(stamp) and open(stamp).read() == want:
        return
    if not os.path.exists(STUDENT_PYTHON):
        raise SystemExit(f"{STUDENT_PYTHON} is missing: apt-get install python3.11 python3.11-venv")
    say(f"  building the students' venv {venv} (a minute: torch is the CPU wheel)")
    shutil.rmtree(venv, ignore_errors=True)
    made = subprocess.run([STUDENT_PYTHON, "-m", "venv", venv], capture_output=True, text=True)
    if made.returncode != 0:
        raise SystemExit(f"python3.11 -m venv failed (apt-get install python3.11-venv):\n{made.stderr[-1500:]}")
    pip = [os.path.join(venv, "bin", "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    proc = subprocess.run([*pip, "-r", STUDENT_PINS], capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"pip install -r {STUDENT_PINS} failed:\n{proc.stderr[-3000:]}")
    torch = subprocess.run(
        [os.path.join(venv, "bin", "python"), "-c", "import torch; print(torch.__version__, torch.version.cuda)"],
        capture_output=True,
        text=True,
    )
    if torch.returncode != 0 or torch.stdout.split()[1:] != ["None"]:
        raise SystemExit(f"the students' torch is not the CPU build: {torch.stdout or torch.stderr[-500:]}")
    with open(stamp, "w") as f:
        f.write(want)


def configure_student_venv(venv, exchange):
    """What the students' nbgrader and JupyterLab read: the course, the exchange, the kit's
    PrivateSubmit (its one module), and the Assignments tab only (no formgrader, no course list,
    no create-assignment toolbar)."""
    purelib = subprocess.run(
        [os.path.join(venv, "bin", "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    shutil.copyfile(os.path.join(ROOT, "autograder", "nbgrader", "exchange.py"), f"{purelib}/{EXCHANGE_MODULE}.py")
    etc = os.path.join(venv, "etc", "jupyter")
    os.makedirs(os.path.join(etc, "labconfig"), exist_ok=True)
    with open(os.path.join(etc, "nbgrader_config.py"), "w") as f:
        f.write(
            "# The course hub's students (written by deploy/hub/course_hub.py): the course and its exchange.\n"
            "c = get_config()  # noqa: F821\n"
            f"c.CourseDirectory.course_id = {config.COURSE_ID!r}\n"
            f"c.Exchange.root = {exchange!r}\n"
            "# nbgrader submit, each submission closed to other students (autograder/nbgrader/exchange.py)\n"
            f'c.ExchangeFactory.submit = "{EXCHANGE_MODULE}.PrivateSubmit"\n'
        )
    server_extensions = {
        "nbgrader.server_extensions.formgrader": False,
        "nbgrader.server_extensions.validate_assignment": True,
        "nbgrader.server_extensions.assignment_list": True,
        "nbgrader.server_extensions.course_list": False,
    }
    with open(os.path.join(etc, "jupyter_server_config.d", "nbgrader.json"), "w") as f:
        json.dump({"ServerApp": {"jpserver_extensions": server_extensions}}, f, indent=2)
    plugins = ["formgrader", "course-list", "create-assignment"]
    disabled = {f"@jupyter/nbgrader:{p}": True for p in plugins}
    disabled["@jupyterlab/apputils-extension:announcements"] = True
    with open(os.path.join(etc, "labconfig", "page_config.json"), "w") as f:
        json.dump({"disabledExtensions": disabled}, f, indent=2)
    subprocess.run(["chmod", "-R", "a+rX", venv], check=True)


def student_server(p):
    """The wrapper of every user's server: bubblewrap, run as the user (the spawner has dropped
    to their uid), hides root's home, the kit, the hub root, other homes and /tmp behind empty
    folders, then shows the user's own home, the exchange and the students' venv again."""
    hidden = sorted({"/root", "/home", "/tmp", os.path.realpath(ROOT), p["root"]}, key=len)
    lines = [
        "#!/bin/sh",
        "# A course hub user's server (deploy/hub/hub_setup.py wrote this; docs/hub.md says why).",
        "exec /usr/bin/bwrap --dev-bind / / --unshare-user --disable-userns --unshare-pid --proc /proc \\",
        "  --die-with-parent --new-session \\",
        *[f"  --tmpfs {path} \\" for path in hidden],
        f"  --ro-bind {p['student_venv']} {p['student_venv']} \\",
        f"  --bind {p['exchange']} {p['exchange']} \\",
        '  --bind "$HOME" "$HOME" --chdir "$HOME" \\',
        '  -- "$@"',
    ]
    os.makedirs(os.path.dirname(p["student_server"]), exist_ok=True)
    with open(p["student_server"], "w") as f:
        f.write("\n".join(lines) + "\n")
    os.chmod(p["student_server"], 0o755)
    os.chmod(os.path.dirname(p["student_server"]), 0o755)


def ensure_exchange(exchange):
    os.makedirs(exchange, exist_ok=True)
    os.chmod(exchange, 0o777)  # as nbgrader's docs say; release_assignment makes the course's folders in it


def ensure_course(p, say=print):
    """The course folder (root's alone): the kit's configuration and the exchange, source/ and
    release/ from the repository, both assignments generated and released, the students in its
    gradebook."""
    course = p["course"]
    os.makedirs(course, exist_ok=True)
    os.chmod(course, 0o700)
    with open(os.path.join(course, "nbgrader_config.py"), "w") as f:
        f.write(
            "# The course hub's course folder (written by deploy/hub/course_hub.py): the kit's configuration\n"
            "from autograder.nbgrader.config import configure\n\n"
            "c = get_config()  # noqa: F821\n"
            "configure(c)\n"
            f"c.CourseDirectory.root = {course!r}\n"
            f"c.Exchange.root = {p['exchange']!r}\n"
        )
    for folder in ("source", "release"):
        shutil.copytree(os.path.join(ROOT, folder), os.path.join(course, folder), dirs_exist_ok=True)
    for assignment in config.ASSIGNMENTS:
        for step in ("generate_assignment", "release_assignment"):
            kit_course.nbgrader(course, step, assignment, "--force", cwd=course)
        say(f"  {assignment}: generated and released into {p['exchange']}/{config.COURSE_ID}")
    for student in STUDENTS:
        kit_course.nbgrader(course, "db", "student", "add", student, cwd=course)


def setup(root, say=print):
    """Everything but the hub itself; returns the paths and the logins."""
    os.umask(0o022)
    if sys.platform != "linux" or os.geteuid() != 0:
        raise SystemExit("the course hub needs root on Linux (PAM, users, spawning as them)")
    p = paths(root)
    os.makedirs(p["root"], exist_ok=True)
    os.chmod(p["root"], 0o755)
    os.makedirs(p["state"], exist_ok=True)
    os.chmod(p["state"], 0o700)
    passwords = logins(p["state"])
    ensure_users(passwords, say)
    ensure_exchange(p["exchange"])
    ensure_student_venv(p["student_venv"], say)
    configure_student_venv(p["student_venv"], p["exchange"])
    student_server(p)
    ensure_course(p, say)
    return p, passwords
