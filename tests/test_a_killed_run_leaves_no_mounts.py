"""A class run or grading service killed with ``kill -9`` cannot unmount its workers' tmpfs
folders: the next run's scratch area finds the areas whose process is gone and removes them,
mounts included, and leaves alone those of processes still running."""

import os
import subprocess
import sys

import pytest

from autograder.sandbox import scratch

KILLED = """
import os, sys
from autograder.sandbox import scratch
area = scratch.ScratchArea()
area.worker_folder(0)
print(area.root, flush=True)
os.kill(os.getpid(), 9)
"""


def _mounted(path):
    with open("/proc/self/mountinfo") as f:
        return any(line.split()[4] == path for line in f)


def test_the_next_run_removes_what_a_killed_run_left_and_nothing_else():
    killed = subprocess.run([sys.executable, "-c", KILLED], capture_output=True, text=True)
    left = killed.stdout.strip()
    assert killed.returncode == -9 and os.path.isdir(left), killed.stderr
    if os.geteuid() == 0 and not _mounted(os.path.join(left, "worker-0")):
        pytest.fail("as root the worker's folder should have been a tmpfs mount")
    alive = scratch.ScratchArea()  # this process's own: it runs, so it stays
    try:
        assert not os.path.exists(left)
        assert not _mounted(os.path.join(left, "worker-0"))
        again = scratch.ScratchArea()
        assert os.path.isdir(alive.root)
        again.close()
    finally:
        alive.close()
