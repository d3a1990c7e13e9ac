"""Warm workers, for a class run (many notebooks, results in input order) and for callers that
grade one notebook at a time from any thread (the grading service, ``nbgrader autograde``)."""

import contextlib
import os
import queue
import threading
import time

from autograder import records as rec
from autograder.runner.judge import grade, not_graded
from autograder.runner.session import observe
from autograder.runner.worker import Worker, WorkerFailed
from autograder.sandbox import scratch


def grade_all(submissions, jobs=None, progress=None, with_details=False, workers=None, on_idle=None):
    """Grade many notebooks on ``jobs`` workers (default: one per core), or on ``workers``
    started earlier; records come back in input order (with ``with_details``, as (record,
    details) pairs).  ``progress(done, total, record, elapsed, details)`` follows each one;
    ``on_idle()`` is called once, when a worker first finds nothing left to grade."""

    def work(submission, worker):
        record, details = pool.grade_on(submission, worker)
        return (record, details) if with_details else record

    def report(done, total, result, elapsed):
        if progress:
            record, details = result if with_details else (result, None)
            progress(done, total, record, elapsed, details)

    own = workers is None
    pool = Workers(jobs_for(len(submissions), jobs)) if own else workers
    try:
        return run_all(submissions, work, jobs, report, pool, on_idle)
    finally:
        if own:
            pool.close()


def observe_all(submissions, jobs=None):
    """The outcome of running each notebook (``observe``), on ``jobs`` workers, in input order."""
    return run_all(submissions, observe, jobs)


def jobs_for(count, jobs=None):
    """How many workers grade ``count`` notebooks: ``jobs``, by default one per core, and
    never more than there are notebooks."""
    return max(1, min(jobs or os.cpu_count() or 1, count or 1))


class Workers:
    """``jobs`` warm workers, all started at once: they import torch while the caller reads
    notebooks and prepares.  ``get(slot)`` waits for one to be ready (a class run keeps a
    thread per slot); ``grade(submission)`` grades one notebook on whichever worker is free, from
    any thread.  A worker that cannot start is started once more: a slot never disappears
    silently.  Close them (or use ``with``) when done."""

    def __init__(self, jobs):
        self.area = scratch.ScratchArea()
        self._workers = []
        self._free = queue.SimpleQueue()
        try:
            for slot in range(jobs):
                self._workers.append(Worker(slot, self.area, wait=False))
                self._free.put(slot)
        except BaseException:
            self.close()
            raise

    def __len__(self):
        return len(self._workers)

    def get(self, slot):
        """Worker ``slot``, ready; WorkerFailed when it could not start twice."""
        try:
            return self._workers[slot].wait_ready()
        except WorkerFailed:  # it closed itself: once more, and the caller hears of a second failure
            self._workers[slot] = Worker(slot, self.area, wait=False)
            return self._workers[slot].wait_ready()

    @contextlib.contextmanager
    def worker(self):
        """A ready worker for the caller alone, back to the others afterwards; waits while all are busy."""
        slot = self._free.get()
        try:
            yield self.get(slot)
        finally:
            self._free.put(slot)

    def grade(self, submission):
        """(record, details) of one notebook, on a free worker (``grade_on``)."""
        with self.worker() as worker:
            return self.grade_on(submission, worker)

    def grade_on(self, submission, worker):
        """(record, details) of one notebook on ``worker``: how the class run, the grading service
        and ``nbgrader autograde`` all grade.  A worker lost while it ran the notebook restarts and
        grades it once more; lost twice, or unable to start, the record is a machine fault
        (``records.machine_fault``), no grade of the student's."""
        try:
            for last in (False, True):
                try:
                    return grade(submission, worker, raise_worker_failure=True)
                except WorkerFailed:
                    if last:
                        raise
        except WorkerFailed as exc:
            return not_graded(submission, rec.machine_fault(f"{exc}; grade this notebook again"))

    def close(self):
        for worker in self._workers:
            worker.close()
        self.area.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def run_all(submissions, work, jobs=None, progress=None, workers=None, on_idle=None):
    """``work(submission, worker)`` for every submission, on ``jobs`` warm workers (default:
    one per core) or on the ``workers`` given; results in input order.
    ``progress(done, total, result, elapsed)``; ``on_idle()`` once, when a worker first finds
    the queue empty (a core is free from then on)."""
    own = workers is None
    if own:
        workers = Workers(jobs_for(len(submissions), jobs))
    started = time.monotonic()
    results = [None] * len(submissions)
    left = list(enumerate(submissions))
    lock = threading.Lock()
    done = 0
    idle = False
    errors = []

    def serve():
        nonlocal done, idle
        try:
            while True:
                with lock:
                    item = left.pop(0) if left else None
                    first_idle = item is None and not idle
                    idle = idle or item is None
                if item is None:  # nothing left: a core is free
                    if first_idle and on_idle:
                        on_idle()
                    return
                index, submission = item
                with workers.worker() as worker:  # the free one (the service takes them so too)
                    result = work(submission, worker)
                with lock:
                    results[index] = result
                    done += 1
                    if progress:
                        progress(done, len(submissions), result, time.monotonic() - started)
        except BaseException as exc:  # noqa: BLE001 - reported below, after the other workers
            errors.append(exc)

    threads = [threading.Thread(target=serve, daemon=True) for _ in range(len(workers))]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        if own:
            workers.close()
    if errors:
        raise errors[0]
    return results
