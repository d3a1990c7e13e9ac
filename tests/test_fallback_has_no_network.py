"""Where bubblewrap cannot run, student code still reaches nothing over a socket.

The fallback (``AUTOGRADER_SANDBOX=user``, as in a container without privileges) runs each
notebook's child as an unprivileged user under a Landlock allowlist, and a seccomp filter
(``autograder.inside.process``) refuses it every socket but a connected AF_UNIX pair of its
own, and io_uring.  A hostile notebook, graded through both routes, tries UDP and TCP to
listeners this test runs on 127.0.0.1, path-named Unix sockets (stream and datagram) in a
folder every user may write, an abstract Unix socket, a datagram socketpair addressed to the
world, raw, packet and netlink sockets, an io_uring ring, and any socket it inherited; its
`cell` keeps its points only if one of them got through.  The listeners receive nothing and
the notebook loses `cell`, its other tasks graded as usual.  The same code run on the host
reaches every listener: the test cannot pass because the hostile code is broken.
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import uuid

import pytest

import course_config as config
from autograder import sandbox
from autograder.inside import landlock
from autograder.nbgrader import course
from autograder.sandbox import policy
from examples import answers
from tests.conftest import grade_command, new_course, python_for_all_users, write_class

pytestmark = [pytest.mark.sandbox]

# every way out it tries, each a function of reach() below
ATTEMPTS = [
    "udp",
    "tcp",
    "unix",
    "unix_datagram",
    "datagram_pair",
    "abstract",
    "raw",
    "packet",
    "netlink",
    "io_uring",
]

REACH = r'''
import ctypes, errno, os, socket, struct

def reach(targets):
    """([what got out of this process], [what was refused, and how])."""
    def udp():
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.sendto(b"udp", ("127.0.0.1", targets["udp"]))
    def tcp():
        with socket.create_connection(("127.0.0.1", targets["tcp"]), timeout=5) as s:
            s.sendall(b"tcp")
    def unix():
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.connect(targets["unix"])
            s.sendall(b"unix")
    def unix_datagram():
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as s:
            s.sendto(b"unix_datagram", targets["unix_datagram"])
    def datagram_pair():  # a pair of its own, then addressed to the world
        a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)
        with a, b:
            a.sendto(b"datagram_pair", targets["unix_datagram"])
    def abstract():
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.connect("\0" + targets["abstract"])
            s.sendall(b"abstract")
    def raw():  # a UDP datagram built by hand
        with socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_UDP) as s:
            s.sendto(struct.pack("!HHHH", 4242, targets["udp"], 11, 0) + b"raw", ("127.0.0.1", 0))
    def packet():
        socket.socket(socket.AF_PACKET, socket.SOCK_RAW, 0).close()
    def netlink():  # the kernel's routing tables
        with socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0) as s:
            s.bind((0, 0))
    def io_uring():  # a ring can open sockets of its own (IORING_OP_SOCKET)
        libc = ctypes.CDLL(None, use_errno=True)
        fd = libc.syscall(425, 4, ctypes.create_string_buffer(120))  # io_uring_setup
        if fd < 0:
            raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()))
        os.close(fd)
    reached, refused = [], []
    for attempt in (udp, tcp, unix, unix_datagram, datagram_pair, abstract, raw, packet, netlink, io_uring):
        try:
            attempt()
            reached.append(attempt.__name__)
        except Exception as exc:
            refused.append(f"{attempt.__name__} {errno.errorcode.get(getattr(exc, 'errno', None), type(exc).__name__)}")
    return reached, refused

def held_sockets():
    """The sockets among this process's open files (inherited from whoever forked it)."""
    held = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            if os.readlink(f"/proc/self/fd/{fd}").startswith("socket:"):
                held.append(int(fd))
        except OSError:
            pass
    return held
'''


def _hostile(solutions, targets, base=answers.RELEASE):
    """A notebook right in everything but `cell`, which stays right only if a socket got out."""
    cell = (
        solutions["cell"]
        + REACH
        + f"REACHED, REFUSED = reach({targets!r})\nHELD = held_sockets()\n"
        + "if not REACHED and not HELD:\n"
        + "    def cell(FRAME, STATE):\n"
        + "        raise RuntimeError(f'reached nothing; sockets held {HELD}; refused {\", \".join(REFUSED)}')\n"
    )
    return answers.notebook(dict(solutions, cell=cell), base=base)


class Listeners:
    """A listener for every way out: UDP and TCP on 127.0.0.1, path-named Unix sockets (stream
    and datagram) in a folder every user may write, and an abstract Unix socket."""

    def __init__(self):
        self.folder = tempfile.mkdtemp(prefix="autograder-world-")  # in /tmp: every user may pass
        os.chmod(self.folder, 0o1777)
        self.udp = self._bound(socket.AF_INET, socket.SOCK_DGRAM, ("127.0.0.1", 0))
        self.tcp = self._bound(socket.AF_INET, socket.SOCK_STREAM, ("127.0.0.1", 0))
        self.unix = self._bound(socket.AF_UNIX, socket.SOCK_STREAM, os.path.join(self.folder, "stream"))
        self.unix_datagram = self._bound(socket.AF_UNIX, socket.SOCK_DGRAM, os.path.join(self.folder, "datagram"))
        self.abstract_name = f"autograder-test-{uuid.uuid4().hex}"
        self.abstract = self._bound(socket.AF_UNIX, socket.SOCK_STREAM, "\0" + self.abstract_name)
        for path in (self.unix.getsockname(), self.unix_datagram.getsockname()):
            os.chmod(path, 0o777)  # any user may connect

    @staticmethod
    def _bound(family, kind, address):
        s = socket.socket(family, kind)
        s.bind(address)
        if kind == socket.SOCK_STREAM:
            s.listen(16)
        s.setblocking(False)
        return s

    def targets(self):
        return {
            "udp": self.udp.getsockname()[1],
            "tcp": self.tcp.getsockname()[1],
            "unix": self.unix.getsockname(),
            "unix_datagram": self.unix_datagram.getsockname(),
            "abstract": self.abstract_name,
        }

    def received(self):
        """What reached the listeners: datagrams, and connections with what they sent."""
        got = []
        for s in (self.udp, self.unix_datagram):
            while True:
                try:
                    got.append(s.recv(4096).decode(errors="replace"))
                except BlockingIOError:
                    break
        for s in (self.tcp, self.unix, self.abstract):
            while True:
                try:
                    conn, _ = s.accept()
                except BlockingIOError:
                    break
                with conn:
                    conn.settimeout(5)
                    try:
                        got.append("connection: " + conn.recv(4096).decode(errors="replace"))
                    except OSError:
                        got.append("connection")
        return sorted(got)

    def close(self):
        for s in (self.udp, self.tcp, self.unix, self.unix_datagram, self.abstract):
            s.close()
        shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture
def listeners():
    ears = Listeners()
    yield ears
    ears.close()


@pytest.fixture(scope="module", params=["grade", "nbgrader autograde", "grade, bubblewrap"])
def graded(request, tmp_path_factory, solutions):
    """(route, {task: {"points", "messages"}} of the hostile notebook, what the listeners got,
    the command's stderr), graded in the fallback; and once in bubblewrap, where the same filter
    is put on student code beside an empty network namespace."""
    prefix = []
    if request.param.endswith("bubblewrap"):
        if sandbox.bwrap_problem() is not None:
            pytest.skip(f"no bubblewrap here: {sandbox.bwrap_problem()}")
    else:
        if not sandbox.can_drop_privileges() or landlock.abi() < 1:
            pytest.skip("the fallback's allowlist needs root and a kernel with Landlock")
        prefix = python_for_all_users()  # student code runs as another user, who must run this Python
    ears = Listeners()
    try:
        root = tmp_path_factory.mktemp("no-network-" + request.param.replace(" ", "-").replace(",", ""))
        with pytest.MonkeyPatch.context() as patch:
            if request.param.endswith("bubblewrap"):
                patch.delenv(sandbox.MODE, raising=False)
            else:
                patch.setenv(sandbox.MODE, "user")
            if request.param.startswith("grade"):
                write_class(str(root / "submitted"), {"hostile": _hostile(solutions, ears.targets())})
                proc = grade_command("submitted", "--json", "results.json", cwd=root, prefix=prefix)
                assert proc.returncode == 0, proc.stderr[-2000:]
                [record] = json.loads((root / "results.json").read_text())
                assert record["sandboxed"] is True, proc.stderr[-2000:]
                results = {
                    t: {"points": v["points"], "messages": "\n".join(v["messages"])} for t, v in record["tasks"].items()
                }
            else:
                release = new_course(str(root))
                write_class(str(root / "submitted"), {"hostile": _hostile(solutions, ears.targets(), release)})
                proc = course.nbgrader(root, "autograde", "rnn_sum", prefix=prefix)
                results = _nbgrader_results(root)
        return request.param, results, ears.received(), proc.stderr
    finally:
        ears.close()


def _nbgrader_results(root):
    import nbformat
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        submission = gb.find_submission("rnn_sum", "hostile")
        grades = {g.name: g.score for nb in submission.notebooks for g in nb.grades}
    nb = nbformat.read(root / "autograded" / "hostile" / "rnn_sum" / "rnn_sum.ipynb", as_version=4)
    results = {}
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id", "")
        if grade_id.startswith("test_"):
            text = "\n".join(o.get("evalue", "") + o.get("text", "") for o in cell.get("outputs", []))
            # the messages, unwrapped (a cell's output is wrapped at a readable width)
            results[grade_id[5:]] = {"points": grades[grade_id], "messages": " ".join(text.split())}
    return results


def test_the_listeners_receive_nothing_from_the_fallback(graded):
    route, _, received, stderr = graded
    assert received == [], (route, received)
    assert "NOT SANDBOXED" not in stderr, stderr[-2000:]
    if not route.endswith("bubblewrap"):  # what the instructor reads
        assert "no network (seccomp)" in stderr, stderr[-2000:]


def test_every_way_out_is_refused_and_earns_nothing(graded):
    """The notebook loses `cell` (it keeps it only if a socket got out), says every attempt
    was refused (seccomp's EPERM) and held no socket; its other tasks are
    right and keep their points: the filter breaks nothing a notebook needs."""
    _, results, _, _ = graded
    points = config.ASSIGNMENTS["rnn_sum"]["points"]
    assert results["cell"]["points"] == 0
    text = results["cell"]["messages"]
    assert "reached nothing" in text and "sockets held []" in text, text
    for attempt in ATTEMPTS:
        assert f"{attempt} EPERM" in text, (attempt, text)
    assert all(v["points"] == points[t] for t, v in results.items() if t != "cell"), results


def test_the_same_code_on_the_host_reaches_every_listener(listeners):
    """Run where nothing stops it (here, as root on the host), the hostile code gets out every
    way it tries: the fallback's test passes because the fallback holds."""
    if os.geteuid() != 0:
        pytest.skip("raw and packet sockets need root on the host")
    program = REACH + "import json, sys\nprint(json.dumps(reach(json.loads(sys.argv[1]))))\n"
    proc = subprocess.run(
        [sys.executable, "-c", program, json.dumps(listeners.targets())], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    reached, refused = json.loads(proc.stdout)
    expected = list(ATTEMPTS)
    if _io_uring_disabled():
        expected.remove("io_uring")
    assert reached == expected, refused
    assert listeners.received() == [
        "connection: abstract",
        "connection: tcp",
        "connection: unix",
        "datagram_pair",
        "raw",
        "udp",
        "unix_datagram",
    ]


def _io_uring_disabled():
    try:
        with open("/proc/sys/kernel/io_uring_disabled") as f:
            return f.read().strip() != "0"
    except OSError:
        return False


def test_without_libseccomp_the_fallback_says_student_code_can_open_sockets(monkeypatch):
    """Where the binding cannot load libseccomp.so.2, a child enters the sandbox without the
    filter and says why; the fallback's probe then finds sockets open, and the records say
    ``"sandboxed": false``, the line and the warning say why and what to install, rather than
    claim no network."""
    blocked = "import sys\nsys.modules['pyseccomp'] = None\nfrom autograder.inside import process\n"
    proc = subprocess.run(
        [sys.executable, "-c", blocked + "print(process.seccomp, process.SECCOMP_PROBLEM)"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("None libseccomp cannot be loaded") and "apt-get install libseccomp2" in proc.stdout
    found = {
        "exposed": [],
        "unreadable": [],
        "sockets": ["UDP", "Unix"],
        "seccomp_problem": proc.stdout.split(" ", 1)[1],
    }
    monkeypatch.setenv(sandbox.MODE, "user")
    monkeypatch.setattr(policy, "_reach", lambda ids, allow, secrets: found)
    monkeypatch.setattr(landlock, "abi", lambda: 6)
    sandbox.bwrap_problem.cache_clear()
    sandbox.isolation.cache_clear()
    try:
        how, line, warning = sandbox.isolation(), sandbox.sandboxed(), sandbox.warning()
    finally:
        sandbox.bwrap_problem.cache_clear()
        sandbox.isolation.cache_clear()
    assert not how.sandboxed and not how.no_network
    assert line.startswith("not sandboxed: student code can open sockets (libseccomp cannot be loaded"), line
    assert warning.startswith("WARNING: NOT SANDBOXED: student code can open sockets"), warning
    assert "apt-get install libseccomp2" in warning and "no network" not in warning, warning
