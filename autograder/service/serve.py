"""``autograder serve``: feedback seconds after a student's Submit.

One process (``role="all"``, the default) watches the exchange's inbound folder, queues each
new submission, grades it on warm sandboxed workers and writes it out (``deliver``), alone.
Grading workers on other machines (``role="worker"``, with a Redis queue and the exchange on
a shared volume) take tasks from the same queue; the writer stays one.

- **Noticed within a second**: file-system events (watchdog, inotify on Linux) wake the
  service when anything changes in the inbound folder; a full scan every
  ``SERVICE_RESCAN_SECONDS`` finds what an event missed, and the first scan finds what came while
  the service was down.
- **Exactly once**: the ledger says what happened to each submission.  A submission is queued
  once; its result is written out once (a ``delivered`` one never again); one left ``queued``
  by a service or worker that was killed is queued again when its task is neither waiting in
  the queue nor done.
- **Two gradings, with a course secret**: a submission's page comes from its attempt's hidden
  inputs; its grade (gradebook, ``submitted/``) from its ``final`` inputs, which no page shows,
  graded by a second task queued behind every page still to grade (``grading.inputs``).
- **The latest attempt**: a submission whose student has submitted the assignment again since is
  ``superseded``, not graded (checked when a worker takes it, and again before writing).
- **The student's own**: a submission whose folder or notebook belongs to another user than the
  one its name gives is ``rejected``, ungraded (``inbox.problem``).
"""

import logging
import os
import signal
import threading
import time

from huey.exceptions import TaskException

from autograder import records as rec
from autograder import settings as config
from autograder.grading import inputs
from autograder.outputs import plots
from autograder.service import deliver, inbox, ledger, queue

log = logging.getLogger("autograder.service")
POLL = 0.05  # seconds between two looks for finished grades while any is queued


def serve(exchange, course, queue_url="sqlite", state=None, jobs=None, role="all", say=print, stop=None):
    """Run the service until ``stop`` (an Event) is set or SIGTERM/SIGINT arrives."""
    state = os.path.abspath(state or os.path.join(course, ".service"))
    os.makedirs(state, mode=0o700, exist_ok=True)
    jobs = (config.SERVICE_JOBS or os.cpu_count() or 1) if jobs is None else jobs
    huey, grade = queue.connect(queue_url, state)
    stop = stop or threading.Event()
    wake = threading.Event()  # the writer's: a file-system event, or the end

    def end(*_):
        stop.set()
        wake.set()

    consumer = None
    if jobs > 0:  # a writer of --jobs 0 leaves the grading to workers elsewhere
        queue.workers(jobs)  # warm before the first submission
        queue.heartbeat(huey, stop)
        consumer = huey.create_consumer(workers=jobs, worker_type="thread", initial_delay=0.05, max_delay=0.2)
        consumer.start()
    if role != "worker":  # what the pages draw with, before the first submission
        plots.prepare_drawing(config.assignments()).join()
    if threading.current_thread() is threading.main_thread():  # after huey's consumer, which sets its own
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, end)
    try:
        if role == "worker":
            say(f"serving: grading worker of {jobs} on {queue_url}")
            stop.wait()
        else:
            Writer(huey, grade, exchange, course, state, say, wake).run(stop)
    finally:
        if consumer:  # at once: a notebook being graded is lost, and graded again at the next start
            consumer.stop(graceful=False)
        queue.close()


class Writer:
    """The one process that queues submissions and writes their grades out."""

    def __init__(self, huey, grade, exchange, course, state, say, wake):
        self.huey, self.grade, self.exchange, self.say = huey, grade, exchange, say
        self.course = os.path.abspath(course)
        self.ledger = ledger.Ledger(os.path.join(state, "ledger.db"))
        self.inbound = inbox.inbound(exchange)
        self.wake = wake
        self.leases = queue.Leases(huey)

    def run(self, stop):
        observer = self._watch()
        self._requeue_lost()
        self.say(f"serving: watching {self.inbound} (rescan every {config.SERVICE_RESCAN_SECONDS:g} s)")
        next_scan = 0.0
        try:
            while not stop.is_set():
                if self.wake.is_set() or time.monotonic() >= next_scan:
                    self.wake.clear()
                    self.scan()
                    self._requeue_lost()
                    next_scan = time.monotonic() + config.SERVICE_RESCAN_SECONDS
                self.collect()
                self.wake.wait(POLL if self.ledger.queued() else max(0.0, next_scan - time.monotonic()))
        finally:
            if observer:
                observer.stop()
            self.ledger.close()

    def _watch(self):
        from watchdog.events import FileSystemEventHandler
        from watchdog.observers import Observer

        wake = self.wake

        class Wake(FileSystemEventHandler):
            # what changes the folder; not a file opened or read (the service's own scans read them)
            def on_any_event(self, event):
                if event.event_type in ("created", "moved", "closed", "deleted"):
                    wake.set()

        os.makedirs(self.inbound, exist_ok=True)  # nbgrader release_assignment makes it; the watch needs it now
        observer = Observer()
        observer.schedule(Wake(), self.inbound, recursive=True)
        observer.start()
        return observer

    def scan(self):
        """Queue every complete submission the ledger has not seen."""
        found = inbox.scan(self.inbound)
        new = [s for s in found if self.ledger.state(s.id) is None]
        for submitted in new:
            problem = inbox.problem(submitted)
            if problem:  # no attempt of anyone's
                self.ledger.close_out(submitted, 0, "rejected", reason=problem)
                self.say(f"rejected {submitted.id}: {problem}")
        valid = [s for s in found if self.ledger.state(s.id) != "rejected"]
        for submitted in new:
            if self.ledger.state(submitted.id) is None:
                self._enqueue(submitted, inbox.attempt(submitted, valid))

    def _enqueue(self, submitted, attempt, final=False):
        """Queue its grading: on its attempt's hidden inputs, for its page (first, and before any
        final grading); or, ``final``, on the inputs of its grade."""
        ref = {"id": submitted.id, "path": submitted.path, "student": submitted.student, "attempt": attempt}
        ref.update(assignment=submitted.assignment, timestamp=submitted.timestamp)
        task = self.grade.s(dict(ref, inputs=inputs.FINAL if final else attempt), priority=0 if final else 1)
        self.huey.enqueue(task)
        self.ledger.queue(submitted, attempt, task.id)
        return task.id

    def _requeue_lost(self):
        """Queue again what a killed service or worker left queued: neither waiting, nor done,
        nor held by a grading process that is alive (``queue.Leases``)."""
        queued = self.ledger.queued()
        by_task = {task: sid for sid, task in queued.items()}
        for task in self.leases.lost(list(by_task)):
            sid = by_task[task]
            self.leases.forget(task)
            self.say(f"queued again (lost in flight): {sid}")
            self._requeue(sid)

    def _requeue(self, sid):
        submitted = inbox.parse(os.path.join(self.inbound, sid))
        row = self._row(sid)
        if submitted and inbox.complete(submitted):
            self._enqueue(submitted, row["attempt"], final=row["state"] == "finalising")
        else:
            self.ledger.close_out(_Gone(row), row["attempt"], "rejected", reason="removed before it was graded")

    def _row(self, sid):
        return self.ledger.row(sid)

    def collect(self):
        """Write out every grade that has come back."""
        for sid, task in self.ledger.queued().items():
            try:
                result = self.huey.result(task)
            except TaskException as exc:
                result = {"failed": str(exc)[:300]}
            if result is None:
                continue
            try:
                self._write(sid, result)
            except Exception:  # noqa: BLE001 - the service goes on; the submission is graded again
                log.exception("writing %s out failed", sid)
                self.say(f"writing {sid} out failed (the log says why): it is queued again")
                self._requeue(sid)

    def _write(self, sid, result):
        row = self._row(sid)
        submitted = inbox.parse(os.path.join(self.inbound, sid))
        attempt = row["attempt"]
        if submitted is None or not inbox.complete(submitted):
            self.ledger.close_out(_Gone(row), attempt, "rejected", reason="removed before it was graded")
            return
        newer = self._newer(submitted)
        if newer or result.get("superseded"):
            later = newer or result["superseded"]
            self.ledger.close_out(submitted, attempt, "superseded", reason=f"{later} came after")
            self.say(f"superseded {sid}")
            return
        if "failed" in result or rec.by_machine(result["record"]):
            why = result.get("failed") or result["record"]["error"]
            self.say(f"not graded, for a reason of the grading machine ({why}): {sid} is queued again")
            self._enqueue(submitted, attempt, final=row["state"] == "finalising")
            return
        r = result["record"]
        score = "not graded" if r["error"] else f"{r['total']:g}/{r['max_total']:g}"
        who = f"{submitted.student}/{submitted.assignment} attempt {attempt}: {score}"
        if row["state"] == "queued":  # its page
            earlier = self.ledger.feedback_times(submitted.student, submitted.assignment)
            if (r.get("inputs") or {}).get("attempt", inputs.FINAL) != inputs.FINAL:
                # its page on the attempt's inputs; its grade on the final ones, by the next task
                shown = deliver.page(self.course, self.exchange, submitted, attempt, result, earlier)
                self.ledger.finalising(sid, self._enqueue(submitted, attempt, final=True), shown)
            else:
                shown = deliver.deliver(self.course, self.exchange, submitted, attempt, result, earlier)
                self.ledger.close_out(submitted, attempt, "delivered", record=r, feedback=shown)
            self.leases.forget(row["task"])
            self.say(f"graded {who} (by {result['by']})")  # once written out: what a reader then finds
            return
        deliver.collect(self.course, submitted, result)
        self.ledger.close_out(submitted, attempt, "delivered", record=r)
        self.leases.forget(row["task"])
        self.say(f"final grade {who}")

    def _newer(self, submitted):
        valid = [s for s in inbox.scan(self.inbound) if s.id == submitted.id or not inbox.problem(s)]
        newer = inbox.newer(submitted, valid)
        return newer.id if newer else None


class _Gone:
    """A ledger row standing in for a submission no longer in the exchange."""

    def __init__(self, row):
        self.id, self.student, self.assignment = row["id"], row["student"], row["assignment"]
        self.timestamp = row["timestamp"]
