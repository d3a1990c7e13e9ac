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


def test_a_folder_of_another_user_under_that_name_is_left_alone(tmp_path, monkeypatch):
    """Anyone may make /tmp/autograder-grading-<x> with an owner file naming a dead process:
    the sweep (root's, on a server) neither unmounts what it points at nor deletes it."""
    if os.geteuid() != 0:
        pytest.skip("needs root to make a folder of another user")
    monkeypatch.setattr(scratch.tempfile, "tempdir", str(tmp_path))
    planted = tmp_path / f"{scratch.PREFIX}planted"
    planted.mkdir()
    (planted / scratch.OWNER).write_text("999999 1")
    os.symlink(str(tmp_path / "elsewhere"), planted / "worker-0")
    os.chown(planted, 65534, 65534)
    scratch.sweep()
    assert (planted / scratch.OWNER).exists()


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
