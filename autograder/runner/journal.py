"""Resuming a class run: every finished record is appended to ``OUT.json.partial`` at once,
so a run that is interrupted loses nothing, and running the same command again grades only
the notebooks that are not there yet.  A record is reused only for the same notebook bytes
graded by the same graders, settings and master notebook; a notebook the machine could not grade
(``records.by_machine``) is not kept, so the next run grades it again."""

import glob
import hashlib
import json
import os

from autograder import records as rec
from autograder.runner.submission import ROOT


def fingerprint(assignments):
    """A hash of everything that decides a grade besides the notebook itself."""
    digest = hashlib.sha256()
    files = sorted(glob.glob(os.path.join(ROOT, "autograder", "**", "*.py"), recursive=True))
    files.append(os.path.join(ROOT, "course_config.py"))
    files += [os.path.join(ROOT, "source", a, f"{a}.ipynb") for a in sorted(assignments)]
    for path in files:
        digest.update(path.encode())
        with open(path, "rb") as f:
            digest.update(f.read())
    return digest.hexdigest()


def key(submission, graders):
    """What a record depends on: the notebook's path and bytes, its hidden inputs, and the graders."""
    digest = hashlib.sha256(graders.encode())
    digest.update(submission.notebook.encode())
    digest.update(repr(submission.inputs.record() if submission.inputs else None).encode())
    try:
        with open(submission.notebook, "rb") as f:
            digest.update(f.read())
    except OSError:
        digest.update(b"<unreadable>")
    return digest.hexdigest()


class Journal:
    def __init__(self, out_path, fresh=False):
        self.path = out_path + ".partial"
        self.done = {}
        if fresh and os.path.exists(self.path):
            os.remove(self.path)
        if os.path.exists(self.path):
            with open(self.path) as f:
                for line in f:
                    try:
                        entry = json.loads(line)
                        self.done[entry["key"]] = (entry["record"], entry.get("details", {}))
                    except (ValueError, KeyError, TypeError):
                        continue  # a line cut short by the interruption
        self._file = open(self.path, "a")

    def add(self, key_, record, details):
        if rec.by_machine(record):  # no grade: running the command again grades it again
            return
        self._file.write(json.dumps({"key": key_, "record": record, "details": details}) + "\n")
        self._file.flush()
        os.fsync(self._file.fileno())

    def finish(self):
        self._file.close()
        os.remove(self.path)

    def close(self):
        self._file.close()
