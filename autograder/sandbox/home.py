"""A worker's home: what earlier workers of this venv built there (matplotlib's font list),
copied in before it starts, so a worker does not rebuild it."""

import fnmatch
import os
import shutil
import sys
import tempfile

# What a worker builds in its home on its first start and can read on every later one
# (matplotlib's font list), kept once per venv: read by the worker, never written after.
HOME_CACHE = os.path.join(sys.prefix, "share", "autograder", "worker-home")
HOME_CACHE_FILES = ("fontlist-*.json",)


def seed_home(home):
    """Copy what earlier workers of this venv built into a new worker's home."""
    try:
        names = os.listdir(HOME_CACHE)
    except OSError:
        return
    for name in names:
        if not os.path.exists(os.path.join(home, name)):
            shutil.copyfile(os.path.join(HOME_CACHE, name), os.path.join(home, name))


def keep_home(home):
    """Keep what a worker built in its home for the next ones (called once it is ready, before any
    notebook ran in it).  Quietly does nothing where the venv is read-only."""
    try:
        os.makedirs(HOME_CACHE, exist_ok=True)
        kept = set(os.listdir(HOME_CACHE))
        for name in os.listdir(home):
            path = os.path.join(home, name)
            if name in kept or not os.path.isfile(path) or not any(fnmatch.fnmatch(name, p) for p in HOME_CACHE_FILES):
                continue
            fd, tmp = tempfile.mkstemp(dir=HOME_CACHE, prefix=".part-")
            with os.fdopen(fd, "wb") as out, open(path, "rb") as f:
                shutil.copyfileobj(f, out)
            os.chmod(tmp, 0o644)
            os.replace(tmp, os.path.join(HOME_CACHE, name))
    except OSError:
        pass
