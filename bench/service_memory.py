"""The memory of a process and all its descendants: PSS (each shared page counted once, split
among its sharers) and RSS from /proc/<pid>/smaps_rollup, summed over the tree."""

import os
import threading
import time


def tree(pid):
    """``pid`` and all its descendants (by /proc/<pid>/stat's parent)."""
    children = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat") as f:
                parent = int(f.read().rpartition(")")[2].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(parent, []).append(int(name))
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        todo += children.get(p, [])
    return found


def memory(pid):
    """(PSS, RSS) in MiB summed over ``pid``'s tree, and how many processes it has."""
    pss = rss = count = 0
    for p in tree(pid):
        try:
            with open(f"/proc/{p}/smaps_rollup") as f:
                fields = dict(line.split(":", 1) for line in f if ":" in line and not line[0].isdigit())
        except OSError:
            continue
        pss += int(fields["Pss"].split()[0])
        rss += int(fields["Rss"].split()[0])
        count += 1
    return pss / 1024, rss / 1024, count


class Sampler:
    """The tree's memory every ``every`` seconds in a thread, the peak kept, until stopped."""

    def __init__(self, pid, every=0.2):
        self.pid, self.every, self.peak = pid, every, (0.0, 0.0, 0)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        while not self._stop.wait(self.every):
            now = memory(self.pid)
            if now[0] > self.peak[0]:
                self.peak = now

    def stop(self):
        self._stop.set()
        self._thread.join()
        return self.peak


def settle(pid, timeout=120):
    """The tree's memory once it has stopped growing (two looks a second apart within 1%)."""
    before = memory(pid)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        time.sleep(1.0)
        now = memory(pid)
        if before[0] and abs(now[0] - before[0]) < 0.01 * before[0] and now[2] == before[2]:
            return now
        before = now
    return before
