"""Trying the fallback for real, before grading: a process entered as student code is
(``autograder.inside.process.enter``, with the job's user and Landlock allowlist) tries to read
the course's secret files and the Python it may import, and to open sockets; ``reach`` says what
it could do.  ``autograder.sandbox.policy`` turns that into what holds here."""

import json
import os
import shutil
import subprocess
import sys
import tempfile

from autograder.sandbox.bwrap import python_paths
from autograder.settings import ROOT

_PROBE = """
import json, os, socket, sys, tempfile
shown, ids, allow, paths = json.loads(sys.argv[1])

def sample(folder):
    # a file of the folder to read once entered (a folder's listing may be off its allowlist:
    # the worker's imports fill the folder caches before it forks)
    names = sorted(os.listdir(folder), key=lambda name: (not name.endswith((".py", ".so")), name))
    return next((f for f in (os.path.join(folder, n) for n in names) if os.path.isfile(f)), folder)

# what student code may import from: the worker's own path (this interpreter's, -I), within
# what the sandbox shows it (the kit's own code is imported by the worker before it forks)
needed = [sample(p) for p in sys.path if os.path.isdir(p) and os.path.realpath(p).startswith(tuple(shown))]
needed.append(os.__file__)
sys.path.insert(0, {kit!r})
from autograder.inside import process
scratch = tempfile.mkdtemp(prefix="autograder-reach-probe-")
if ids:
    os.chown(scratch, *ids)
if allow:
    allow["write"][0] = scratch
try:
    process.enter(scratch, ids, {{"memory_bytes": 1 << 32, "file_bytes": 1 << 20}}, allow)
except OSError as exc:
    print(json.dumps({{"error": str(exc)}}))
    sys.exit(0)

def readable(path):
    try:
        if os.path.isdir(path):
            os.listdir(path)
        else:
            open(path, "rb").close()
        return True
    except OSError:
        return False

def opened(family, kind):
    try:
        socket.socket(family, kind).close()
        return True
    except OSError:
        return False

sockets = [name for name, family in (("UDP", socket.AF_INET), ("Unix", socket.AF_UNIX))
           if opened(family, socket.SOCK_DGRAM)]
print(json.dumps({{"exposed": [p for p in paths if readable(p)],
                  "unreadable": [p for p in needed if not readable(p)],
                  "sockets": sockets, "seccomp_problem": process.SECCOMP_PROBLEM}}))
"""


def reach(ids, allow, secrets):
    """What a process entered as student code is ({"exposed": secrets it can read,
    "unreadable": Python folders it cannot read, "sockets": the kinds of socket it could
    open, "seccomp_problem": why its socket filter is missing, or None}, or {"error": ...}),
    tried for real."""
    shown = sorted({os.path.realpath(p) for p in python_paths()[0]})
    area = tempfile.mkdtemp(prefix="autograder-reach-")
    os.chmod(area, 0o711)
    try:
        proc = subprocess.run(
            [sys.executable, "-I", "-c", _PROBE.format(kit=ROOT), json.dumps([shown, ids, allow, secrets])],
            capture_output=True,
            text=True,
            timeout=60,
            cwd=area,
            env={"PATH": "/usr/bin:/bin", "TMPDIR": area},
        )
        return json.loads(proc.stdout)
    except (OSError, subprocess.TimeoutExpired, ValueError) as exc:
        return {"error": f"the probe of the fallback failed: {exc}"}
    finally:
        shutil.rmtree(area, ignore_errors=True)
