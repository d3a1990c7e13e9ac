"""Grading notebooks: run each in a worker process, time it, judge what it reports.

One mechanism covers every way a notebook can go wrong.  The worker reports the
step it starts and the result of each step.  If a step runs past its time limit,
or the process dies in it (``os._exit``, a signal, the memory limit), the whole
process group is killed, that step is recorded with the reason, and a fresh worker
runs the notebook again without it, skipping the tasks already judged.
"""

import dataclasses
import json
import os
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

import course_config as config
from autograder import submission as sub
from autograder import tasks

STARTUP_TIMEOUT = 120  # seconds for a fresh worker to import torch; not a limit on students
MAX_EVENT_BYTES = 64 * 1024 * 1024
SCRATCH_MAX_BYTES = 50 * 1024 * 1024

_WORKER = (
    "import sys; sys.path.insert(0, {root!r}); "
    "from autograder.worker import main; main({job}, {events})"
)


class Stopped(Exception):
    """The worker stopped in a step: ran out of time or died."""

    def __init__(self, step, reason):
        super().__init__(reason)
        self.step, self.reason = step, reason


def _signal_name(number):
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


class WorkerRun:
    """One worker process running a job, read event by event under time limits."""

    def __init__(self, job, cwd):
        job_r, job_w = os.pipe()
        self._events, events_w = os.pipe()
        code = _WORKER.format(root=sub.ROOT, job=job_r, events=events_w)
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": cwd,
            "MPLBACKEND": "Agg",
            "OMP_NUM_THREADS": "1",
            "MKL_NUM_THREADS": "1",
            "PYTHONHASHSEED": "0",
            "TMPDIR": cwd,
        }
        self.proc = subprocess.Popen(
            [sys.executable, "-I", "-c", code],
            pass_fds=(job_r, events_w), cwd=cwd, env=env, start_new_session=True,
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        os.close(job_r)
        os.close(events_w)
        data = json.dumps(job).encode()
        threading.Thread(target=self._send_job, args=(job_w, data), daemon=True).start()
        self._buffer = b""
        self._selector = selectors.DefaultSelector()
        self._selector.register(self._events, selectors.EVENT_READ)

    @staticmethod
    def _send_job(fd, data):
        try:
            while data:
                data = data[os.write(fd, data):]
        except OSError:
            pass
        finally:
            os.close(fd)

    def next_event(self, deadline):
        """The next event, or None when the deadline passed; EOFError when the worker is gone."""
        while b"\n" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not self._selector.select(remaining):
                return None
            chunk = os.read(self._events, 1 << 20)
            if not chunk:
                raise EOFError
            self._buffer += chunk
            if len(self._buffer) > MAX_EVENT_BYTES:
                raise EOFError
        line, self._buffer = self._buffer.split(b"\n", 1)
        return json.loads(line)

    def death(self):
        """Why the worker ended, in words."""
        try:
            code = self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            return "the notebook's process stopped answering"
        if code < 0:
            name = _signal_name(-code)
            if name == "SIGKILL":
                return "the notebook's process was killed (SIGKILL), possibly for using too much memory"
            return f"the notebook's process was killed by {name}"
        return f"the notebook's process exited (exit code {code})"

    def close(self):
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait()
        self._selector.close()
        os.close(self._events)


def _limit(step):
    if step.kind == "task":
        return config.TASK_TIMEOUT[step.task]
    return config.CELL_TIMEOUT


def _run(steps, skip, cwd, on_end):
    """Run the steps not in ``skip``; call on_end(i, event) for each finished step.

    Returns normally when the notebook ran to its end; raises Stopped otherwise."""
    job = {
        "steps": [dataclasses.asdict(s) for s in steps],
        "skip": sorted(skip),
        "memory_mb": config.MEMORY_LIMIT_MB,
        "output_bytes": config.OUTPUT_LIMIT_BYTES,
    }
    worker = WorkerRun(job, cwd)
    current = None
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while True:
            try:
                event = worker.next_event(deadline)
            except (EOFError, ValueError):
                raise Stopped(current, worker.death()) from None
            if event is None:
                limit = _limit(steps[current]) if current is not None else STARTUP_TIMEOUT
                raise Stopped(current, f"stopped after {limit} s")
            kind = event.get("event") if isinstance(event, dict) else None
            if kind == "start" and event.get("step") not in skip and isinstance(event.get("step"), int):
                current = event["step"]
                deadline = time.monotonic() + _limit(steps[current])
            elif kind == "end" and event.get("step") == current and current is not None:
                on_end(current, event)
                current = None
                deadline = time.monotonic() + STARTUP_TIMEOUT
            elif kind == "finished" and current is None:
                return
            elif kind != "ready":
                raise Stopped(current, "the notebook's process sent something unexpected")
    finally:
        worker.close()


def grade(submission):
    """The record of one notebook (the contract's format), whatever the notebook does."""
    record = {
        "student": submission.student,
        "assignment": submission.assignment,
        "notebook": submission.notebook,
        "tasks": {},
        "total": 0.0,
        "max_total": 0.0,
        "error": None,
    }
    results = {task: None for task in config.GRADED_TASKS}
    try:
        nb = sub.load(submission.notebook)
        task_cases = {task: tasks.cases(task) for task in results}
        steps = sub.plan(nb, submission.assignment, sub.master_cells(submission.assignment), task_cases)
        cell_errors = {}

        def on_end(i, event):
            step = steps[i]
            if step.kind == "task":
                results[step.task] = tasks.judge(step.task, step.cases, event.get("observed"))
            elif event.get("error"):
                cell_errors[i] = f"{step.label} raised {event['error']}"

        scratch = _scratch_copy(submission.notebook)
        try:
            _run_to_end(steps, scratch, on_end, results, cell_errors)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        _explain(steps, nb, results, cell_errors)
    except sub.NotGradable as exc:
        record["error"] = str(exc)
        results = {task: [f"not graded: {exc}"] for task in results}
    for task, messages in results.items():
        max_points = tasks.points(submission.assignment, task)
        if messages is None:
            messages = [f"{task} was not checked: the notebook stopped before its checks ran"]
        record["tasks"][task] = {
            "points": 0.0 if messages else max_points,
            "max_points": max_points,
            "messages": messages,
        }
    record["total"] = sum(t["points"] for t in record["tasks"].values())
    record["max_total"] = sum(t["max_points"] for t in record["tasks"].values())
    return record


def _run_to_end(steps, scratch, on_end, results, cell_errors):
    skip = set()
    while True:
        skip |= {i for i, s in enumerate(steps) if s.kind == "task" and results[s.task] is not None}
        try:
            _run(steps, skip, scratch, on_end)
            return
        except Stopped as stop:
            if stop.step is None:  # the worker never got to the notebook
                for task, messages in results.items():
                    if messages is None:
                        results[task] = [f"not graded: {stop.reason} before the notebook started"]
                return
            step = steps[stop.step]
            skip.add(stop.step)
            if step.kind == "task":
                results[step.task] = [f"{stop.reason} in {step.task}: {_hint(stop.reason)}"]
            else:
                cell_errors[stop.step] = f"{step.label} {stop.reason}: {_hint(stop.reason)}"


def _hint(reason):
    if reason.startswith("stopped after"):
        return "does it loop forever, or take far too long?"
    return "the rest of the notebook was run again without it"


def _explain(steps, nb, results, cell_errors):
    """Add to a failed task why its own cell failed, or that the cell is missing."""
    ids = {(c.get("metadata", {}).get("nbgrader") or {}).get("grade_id") for c in nb.cells}
    for task, messages in results.items():
        if not messages:
            continue
        reasons = [e for i, e in cell_errors.items() if steps[i].grade_id == task]
        if task not in ids:
            reasons.append(
                f"the notebook has no cell with grade_id `{task}`: was the cell for `{task}` "
                "deleted or replaced? Write your code in the cell provided"
            )
        results[task] = reasons + messages


def _scratch_copy(notebook):
    """A private copy of the notebook's folder for the student's code to run in."""
    scratch = tempfile.mkdtemp(prefix="rnn-sum-grade-")
    folder = os.path.dirname(os.path.abspath(notebook))
    budget = SCRATCH_MAX_BYTES
    for name in sorted(os.listdir(folder)):
        path = os.path.join(folder, name)
        if os.path.isfile(path) and not os.path.islink(path):
            size = os.path.getsize(path)
            if size <= budget:
                budget -= size
                shutil.copy(path, os.path.join(scratch, name))
    return scratch


def grade_all(submissions, jobs=None, progress=None):
    """Grade many notebooks, ``jobs`` at a time; records come back in input order."""
    from concurrent.futures import ThreadPoolExecutor

    jobs = jobs or os.cpu_count() or 1
    started = time.monotonic()
    done = 0
    lock = threading.Lock()

    def one(s):
        nonlocal done
        record = grade(s)
        with lock:
            done += 1
            if progress:
                progress(done, len(submissions), record, time.monotonic() - started)
        return record

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(one, submissions))
