"""What the grading service has done with each submission: the one source of truth that makes
every submission graded exactly once, whatever stops the service or a worker.

A row per submission of the exchange (its folder's name), with its attempt number and its state:
``queued`` (a grading task was put on the queue), ``finalising`` (with a course secret: its page,
graded on its attempt's hidden inputs, is in the exchange, and the task that grades it on its
final inputs is queued), ``delivered`` (its grade is in the gradebook and its page in the
exchange), ``superseded`` (a later submission of the same student came first), ``rejected``
(not the student's, or not of the course) or ``held`` (the service will grade it after its
earlier attempts).  Only the service's writer changes it, one row at a time,
after the gradebook and the page are written: a submission found ``queued`` when the service
starts was lost in flight and is queued again; one ``delivered`` never is.  ``deliveries``
counts the times a submission was written out (the exactly-once tests read it).
"""

import json
import os
import sqlite3
import time

_SCHEMA = """
CREATE TABLE IF NOT EXISTS submission (
    id TEXT PRIMARY KEY,
    student TEXT NOT NULL,
    assignment TEXT NOT NULL,
    timestamp TEXT NOT NULL,
    attempt INTEGER NOT NULL,
    state TEXT NOT NULL,
    task TEXT,
    reason TEXT,
    feedback INTEGER NOT NULL DEFAULT 0,
    record TEXT,
    deliveries INTEGER NOT NULL DEFAULT 0,
    seen REAL NOT NULL,
    done REAL
)
"""
FINAL = ("delivered", "superseded", "rejected")


class Ledger:
    def __init__(self, path):
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        self.db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=FULL")
        self.db.execute(_SCHEMA)

    def state(self, sid):
        row = self.db.execute("SELECT state FROM submission WHERE id = ?", (sid,)).fetchone()
        return row[0] if row else None

    def queued(self):
        """{submission id: huey task id} of every submission waiting for a grade: its page's or its final one."""
        return dict(self.db.execute("SELECT id, task FROM submission WHERE state IN ('queued', 'finalising')"))

    def finalising(self, sid, task, feedback):
        """Its page is out (``feedback``: with results); ``task`` grades it on its final inputs."""
        self.db.execute(
            "UPDATE submission SET state = 'finalising', task = ?, feedback = ? WHERE id = ?",
            (task, int(feedback), sid),
        )

    def queue(self, submitted, attempt, task):
        self.db.execute(
            "INSERT INTO submission (id, student, assignment, timestamp, attempt, state, task, seen) "
            "VALUES (?, ?, ?, ?, ?, 'queued', ?, ?) "
            "ON CONFLICT(id) DO UPDATE SET task = excluded.task",
            (submitted.id, submitted.student, submitted.assignment, submitted.timestamp, attempt, task, time.time()),
        )

    def close_out(self, submitted, attempt, state, reason=None, record=None, feedback=None):
        """The submission's final state (``FINAL``); a delivery counts once more (``feedback`` None:
        as its page's stage left it)."""
        self.db.execute(
            "INSERT INTO submission (id, student, assignment, timestamp, attempt, state, seen) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO NOTHING",
            (submitted.id, submitted.student, submitted.assignment, submitted.timestamp, attempt, state, time.time()),
        )
        self.db.execute(
            "UPDATE submission SET state = ?, reason = ?, record = ?, feedback = COALESCE(?, feedback), done = ?, "
            "deliveries = deliveries + ? WHERE id = ?",
            (
                state,
                reason,
                json.dumps(record) if record is not None else None,
                None if feedback is None else int(feedback),
                time.time(),
                int(state == "delivered"),
                submitted.id,
            ),
        )

    def feedback_times(self, student, assignment):
        """Nbgrader timestamps of the student's submissions of ``assignment`` that got feedback."""
        rows = self.db.execute(
            "SELECT timestamp FROM submission WHERE student = ? AND assignment = ? AND feedback = 1",
            (student, assignment),
        )
        return [r[0] for r in rows]

    def row(self, sid):
        cursor = self.db.execute("SELECT * FROM submission WHERE id = ?", (sid,))
        names = [d[0] for d in cursor.description]
        found = cursor.fetchone()
        return dict(zip(names, found)) if found else None

    def rows(self):
        """Every row, as dicts (oldest first): what tests and the status line read."""
        cursor = self.db.execute("SELECT * FROM submission ORDER BY seen")
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row)) for row in cursor]

    def close(self):
        self.db.close()
