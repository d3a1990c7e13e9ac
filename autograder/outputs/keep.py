"""What a run is about to overwrite is kept first: a results file, a gradebook or a folder of
pages that already holds something is copied beside itself as ``<path>.<YYYYmmdd-HHMMSS>``, and
the command says so in one line.  Nothing is moved or deleted: the run then writes over the
original as before, and the copy is what it held."""

import os
import shutil
import sqlite3
import time

SQLITE = b"SQLite format 3\x00"


def holds_something(path):
    """A file that is not empty, or a folder with anything in it."""
    if os.path.isdir(path) and not os.path.islink(path):
        return any(True for _ in os.scandir(path))
    return os.path.isfile(path) and os.path.getsize(path) > 0


def dated(path, now=None):
    """``<path>.<YYYYmmdd-HHMMSS>``, with ``-2``, ``-3``, ... when that name is taken."""
    base = f"{os.path.normpath(path)}.{time.strftime('%Y%m%d-%H%M%S', time.localtime(now))}"
    name, n = base, 1
    while os.path.lexists(name):
        n += 1
        name = f"{base}-{n}"
    return name


def keep(path, say, what=None):
    """If ``path`` holds something, copy it to ``dated(path)`` and say one line naming the copy
    (``what`` it is, for that line); returns the copy's path, or None when there was nothing to
    keep.  A folder is copied whole (links as links); an SQLite database (nbgrader's gradebook)
    through SQLite's backup, so the copy is consistent even while formgrader has it open."""
    if not holds_something(path):
        return None
    copy = dated(path)
    if os.path.isdir(path):
        shutil.copytree(path, copy, symlinks=True)
    elif _is_sqlite(path):
        _backup(path, copy)
    else:
        shutil.copy2(path, copy)
    say(f"kept the previous {what or os.path.basename(os.path.normpath(path))} as {copy}")
    return copy


def _is_sqlite(path):
    with open(path, "rb") as f:
        return f.read(len(SQLITE)) == SQLITE


def _backup(path, copy):
    source = sqlite3.connect(path)
    try:
        target = sqlite3.connect(copy)
        try:
            source.backup(target)
        finally:
            target.close()
    finally:
        source.close()
    shutil.copystat(path, copy)
