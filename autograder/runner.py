"""Grading notebooks: run each in a sandboxed child of a warm worker, time every step,
judge what it reports.

One mechanism covers every way a notebook can go wrong.  The child reports the step it
starts and the result of each step.  If a step runs past its time limit, or the child
dies in it (``os._exit``, a signal, the memory limit, a crash), the child is killed with
everything it started, that step is recorded with the reason, and a fresh child runs the
notebook again without it, skipping the tasks already judged.

The runner itself never runs student code: it reads the notebook as JSON, sends the
steps, and judges what comes back with the assignment's hidden tests
(``autograder.graders.judge``).
"""

import json
import os
import queue
import select
import selectors
import socket
import subprocess
import sys
import threading
import time

import course_config as config
from autograder import diagnosis, graders, sandbox, scratch
from autograder import records as rec
from autograder import submission as sub
from autograder.inside import protocol

STARTUP_TIMEOUT = 120  # seconds for a worker to import torch; not a limit on students
MAX_EVENT_BYTES = 64 * 1024 * 1024
DISK_POLL = 0.1  # seconds between two measures of what a running step has written

# The cyclic garbage collector is off while the worker imports (a quarter of its start-up
# went to collections that found next to nothing); the worker turns it on before any fork.
_ZYGOTE = (
    "import gc; gc.disable(); import sys; sys.path.insert(0, {kit!r}); "
    "from autograder.inside.worker import serve; serve({fd})"
)


class Stopped(Exception):
    """The child stopped in a step: it ran out of time or died."""

    def __init__(self, step, reason):
        super().__init__(reason)
        self.step, self.reason = step, reason


class WorkerFailed(RuntimeError):
    """A worker could not be started or stopped answering: no fault of the notebook."""


class Worker:
    """A warm worker process (the zygote) that forks one sandboxed child per run."""

    def __init__(self, slot, scratch_area, wait=True):
        self.slot = slot
        self.scratch_area = scratch_area
        self.folder = scratch_area.worker_folder(slot)
        self.ids = sandbox.worker_ids(slot)
        self.proc = None
        self._restarted = False
        self._spawn()
        if wait:
            self.wait_ready()

    def _spawn(self):
        """Start the worker process; it imports torch while the runner goes on (``wait_ready``)."""
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        home = os.path.join(self.folder, "home")
        os.makedirs(home, exist_ok=True)
        sandbox.seed_home(home)
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "MPLBACKEND": "Agg",
            "OMP_NUM_THREADS": "1",
            "MKL_NUM_THREADS": "1",
            "PYTHONHASHSEED": "0",
            "HOME": home,
            "MPLCONFIGDIR": home,
            "TMPDIR": home,
        }
        command = [sys.executable, "-I", "-B", "-c", _ZYGOTE.format(kit=sandbox.kit_path(), fd=theirs.fileno())]
        self.proc = subprocess.Popen(
            sandbox.wrap(command, self.folder),
            pass_fds=(theirs.fileno(),),
            env=env,
            cwd=self.folder,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        theirs.close()
        self.control = ours
        self._pending = b""
        self._ready = False

    def wait_ready(self):
        """Wait until the worker has imported everything (WorkerFailed if it cannot start)."""
        if self._ready:
            return self
        try:
            ready = self.receive(STARTUP_TIMEOUT)
        except (OSError, EOFError, TimeoutError, ValueError):
            ready = {}
        if "ready" not in ready:
            self.close()
            raise WorkerFailed("a grading worker failed to start")
        self._ready = True
        if not self._restarted:
            # no notebook has run in this worker's folder yet: what it built in its home can be
            # kept for later starts (after a restart, a notebook may have written there)
            sandbox.keep_home(os.path.join(self.folder, "home"))
        return self

    def receive(self, timeout):
        """The worker's next message; TimeoutError or EOFError when there is none."""
        deadline = time.monotonic() + timeout
        while b"\n" not in self._pending:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([self.control], [], [], remaining)[0]:
                raise TimeoutError
            chunk = self.control.recv(65536)
            if not chunk:
                raise EOFError
            self._pending += chunk
        line, self._pending = self._pending.split(b"\n", 1)
        return json.loads(line)

    def kill_child(self):
        try:
            self.control.sendall(b"kill\n")
        except OSError:
            pass

    def run(self, steps, skip, scratch):
        """Fork a child that runs the steps not in ``skip``; returns a Run to read from."""
        job_r, job_w = os.pipe()
        events_r, events_w = os.pipe()
        limits = {"memory_bytes": config.MEMORY_LIMIT_MB * 1024 * 1024, "file_bytes": config.FILE_LIMIT_BYTES}
        allow = sandbox.job_allowlist(scratch, os.path.join(self.folder, "home"))
        job = {"scratch": scratch, "ids": self.ids, "limits": limits, "allow": allow}
        try:
            socket.send_fds(self.control, [json.dumps(job).encode()], [job_r, events_w])
            pid = self.receive(STARTUP_TIMEOUT)["pid"]
        except (OSError, EOFError, ValueError, KeyError):
            for fd in (job_r, job_w, events_r, events_w):
                os.close(fd)
            self.restart()
            raise WorkerFailed("a grading worker stopped answering") from None
        os.close(job_r)
        os.close(events_w)
        run = Run(self, pid, events_r, job_w)
        run.send({"steps": steps, "skip": sorted(skip)})
        return run

    def restart(self):
        self._restarted = True
        self.close()
        self._spawn()
        self.wait_ready()

    def close(self):
        try:
            self.control.close()
        except OSError:
            pass
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
        if self.proc:
            self.proc.wait()


class _Writer:
    """Lines to the child's job pipe, written by a thread of their own: a child that does
    not read cannot block the runner."""

    def __init__(self, fd):
        self.fd = fd
        self.queue = queue.SimpleQueue()
        threading.Thread(target=self._write, daemon=True).start()

    def send(self, message):
        self.queue.put((json.dumps(message) + "\n").encode())

    def close(self):
        self.queue.put(None)

    def _write(self):
        try:
            while (data := self.queue.get()) is not None:
                while data:
                    data = data[os.write(self.fd, data) :]
        except OSError:
            pass
        finally:
            os.close(self.fd)


class Run:
    """One child running a notebook: its events, read under deadlines."""

    def __init__(self, worker, pid, events_fd, job_fd):
        self.worker, self.pid, self._events = worker, pid, events_fd
        self._job = _Writer(job_fd)
        self._buffer = b""
        self._selector = selectors.DefaultSelector()
        self._selector.register(events_fd, selectors.EVENT_READ)
        self._status = None

    def send(self, message):
        """A line for the child: its steps first, then each task's program when it starts it."""
        self._job.send(message)

    def next_event(self, deadline):
        """The next event, or None when the deadline passed; EOFError when the child is gone."""
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

    def end(self, grace=0.0):
        """Stop the child if it still runs (after ``grace`` seconds to end by itself); the
        worker then kills what it started.  Returns how the child ended: {"exit": code},
        {"signal": name} or {"lost": True} when the worker itself was lost."""
        if self._status is None:
            try:
                try:
                    self._status = self.worker.receive(grace)["status"]
                except TimeoutError:
                    self.worker.kill_child()
                    self._status = self.worker.receive(STARTUP_TIMEOUT)["status"]
            except (OSError, EOFError, TimeoutError, ValueError, KeyError):
                self._status = {"lost": True}
            if self._status.get("lost"):
                self.worker.restart()
            self._job.close()
            self._selector.close()
            os.close(self._events)
        return self._status

    def death(self):
        """Why the child ended, in words (once its events stopped)."""
        status = self.end(grace=5.0)
        if "exit" in status:
            return f"the notebook's process exited (exit code {status['exit']})"
        if status.get("lost"):
            return "the grading process running the notebook was stopped"
        if status["signal"] == "SIGKILL":
            return "the notebook's process was killed (SIGKILL), possibly for using too much memory"
        return f"the notebook's process was killed by {status['signal']}"


def _limit(assignment, step):
    if step.kind == "task":
        return graders.settings(assignment)["task_timeout"][step.task]
    return config.CELL_TIMEOUT


def _run(worker, assignment, steps, skip, scratch, on_end):
    """Run the steps not in ``skip``; call on_end(i, event) for each finished step.

    The child must report its steps in order, one at a time: a task's program (its hidden
    inputs and stand-ins) is sent only once the child has started that task, and a notebook
    that reports anything else out of turn is stopped there.  Returns normally when the
    notebook ran to its end; raises Stopped otherwise."""
    order = [i for i in range(len(steps)) if i not in skip]
    run = worker.run([_step_dict(s) for s in steps], skip, scratch)
    area = worker.scratch_area
    current = None
    position = 0  # in ``order``: the step the child must start next
    finished = False
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while True:
            try:
                # a step's writes are measured as it runs, and once more when it ends
                event = run.next_event(min(deadline, time.monotonic() + DISK_POLL) if current is not None else deadline)
            except (EOFError, ValueError):
                raise Stopped(current, run.death()) from None
            over = area.over_quota(scratch) if current is not None else None
            if over:
                raise Stopped(current, over)
            if event is None and time.monotonic() < deadline:
                continue
            if event is None:
                limit = _limit(assignment, steps[current]) if current is not None else STARTUP_TIMEOUT
                raise Stopped(current, f"stopped after {limit} s")
            kind = event.get("event") if isinstance(event, dict) else None
            step = event.get("step") if isinstance(event, dict) else None
            expected = order[position] if position < len(order) else None
            if kind == "start" and current is None and step == expected is not None:
                current = step
                position += 1
                deadline = time.monotonic() + _limit(assignment, steps[current])
                if steps[current].kind == "task":
                    run.send(graders.program(assignment, steps[current].task, steps[current].cases))
            elif kind == "end" and step == current and current is not None:
                on_end(current, event)
                current = None
                deadline = time.monotonic() + STARTUP_TIMEOUT
            elif kind == "crash":
                raise Stopped(current, f"the notebook's process failed ({event.get('error')})")
            elif kind == "finished" and current is None and expected is None:
                finished = True
                return
            else:
                raise Stopped(current, "the notebook's process sent something unexpected")
    finally:
        run.end(grace=1.0 if finished else 0.0)


def _step_dict(step) -> protocol.Step:
    """What the child is told of a step: a code cell's source, or only a task's name."""
    if step.kind == "task":
        return {"kind": "task", "task": step.task}
    return {"kind": "code", "source": step.source}


class Outcome:
    """What running one notebook gave: an observation per task ({"stopped": reason} where
    none came back), the errors of its cells, and why it could not be run at all."""

    def __init__(self, tasks):
        self.observations = dict.fromkeys(tasks)
        self.cell_errors = {}
        self.steps = []
        self.nb = None
        self.error = None


def observe(submission, worker, raise_worker_failure=False):
    """Run one notebook in the sandbox and collect what its functions returned, task by
    task, whatever the notebook does.  When the grading machinery itself fails (no fault of
    the notebook), the outcome says so, or, with ``raise_worker_failure``, WorkerFailed is
    raised."""
    assignment = submission.assignment
    outcome = Outcome(graders.graded_tasks(assignment))
    observations = outcome.observations
    try:
        outcome.nb = nb = sub.load(submission.notebook)
        task_cases = {task: graders.cases(assignment, task) for task in observations}
        outcome.steps = steps = sub.plan(nb, sub.master_cells(assignment), list(observations), task_cases)

        def on_end(i, event):
            step = steps[i]
            if step.kind == "task":
                observations[step.task] = event.get("observed")
            elif event.get("error"):
                outcome.cell_errors[i] = f"{step.label} raised {event['error']}"

        try:
            _run_to_end(worker, assignment, steps, submission.notebook, on_end, observations, outcome.cell_errors)
        except WorkerFailed as exc:  # the grading machinery, not the notebook: say so
            if raise_worker_failure:
                raise
            for task, observed in observations.items():
                if observed is None:
                    observations[task] = {"stopped": f"not graded: {exc} (grade this notebook again)"}
    except sub.NotGradable as exc:
        outcome.error = str(exc)
        for task in observations:
            observations[task] = {"stopped": f"not graded: {exc}"}
    for task, observed in observations.items():
        if observed is None:
            observations[task] = {"stopped": f"{task} was not checked: the notebook stopped before its checks ran"}
    return outcome


def grade(submission, worker, raise_worker_failure=False):
    """The record of one notebook (the contract's format), whatever the notebook does, and its
    details ({task: {"checks": {check: passed}, "mistakes": [known mistake], ...}}: what its
    feedback page shows, and what the class report counts)."""
    return judged(submission, observe(submission, worker, raise_worker_failure))


def judged(submission, outcome):
    """The record and details of a notebook from what running it gave (``observe``)."""
    assignment = submission.assignment
    results, details, diagnoses = {}, {}, {}
    for task, observed in outcome.observations.items():
        task_cases = graders.cases(assignment, task)
        results[task], checks = graders.verdict(assignment, task, task_cases, observed)
        # which known mistake the task's observation shows: only when it lost points
        found = diagnosis.matching(assignment, task, observed) if results[task] else []
        diagnoses[task] = [mistake.says for mistake in found]
        extra = graders.details(assignment, task, task_cases, observed)
        details[task] = {"checks": checks, "mistakes": [mistake.name for mistake in found], **(extra or {})}
    if outcome.nb is not None:
        _explain(outcome.steps, outcome.nb, results, outcome.cell_errors)
    tasks = {
        task: rec.task_result(graders.points(assignment, task), messages, diagnoses[task])
        for task, messages in results.items()
    }
    record = rec.record(
        submission.student,
        assignment,
        submission.notebook,
        tasks,
        error=outcome.error,
        sandboxed=sandbox.isolation().sandboxed,
    )
    return record, details


def _run_to_end(worker, assignment, steps, notebook, on_end, observations, cell_errors):
    """Run the notebook until it gets to its end, each time in a fresh scratch copy of its
    folder, without the steps that stopped it before."""
    skip = set()
    while True:
        skip |= {i for i, s in enumerate(steps) if s.kind == "task" and observations[s.task] is not None}
        scratch = worker.scratch_area.copy(notebook, worker.slot, worker.ids)
        try:
            _run(worker, assignment, steps, skip, scratch, on_end)
            return
        except Stopped as stop:
            if stop.step is None:  # the child never got to a step
                for task, observed in observations.items():
                    if observed is None:
                        observations[task] = {"stopped": f"not graded: {stop.reason} before the notebook started"}
                return
            step = steps[stop.step]
            skip.add(stop.step)
            if step.kind == "task":
                observations[step.task] = {"stopped": f"{stop.reason} in {step.task}: {_hint(stop.reason)}"}
            else:
                cell_errors[stop.step] = f"{step.label} {stop.reason}: {_hint(stop.reason)}"
        finally:
            worker.scratch_area.remove(scratch)


def _hint(reason):
    if reason.startswith("stopped after"):
        return "does it loop forever, or take far too long?"
    if reason.startswith(("wrote more than", "made more than")):
        return "a notebook may keep only that much in its folder; the rest of the notebook was run again without it"
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


def grade_all(submissions, jobs=None, progress=None, with_details=False, workers=None, on_idle=None):
    """Grade many notebooks on ``jobs`` workers (default: one per core), or on ``workers``
    started earlier; records come back in input order (with ``with_details``, as (record,
    details) pairs).  ``progress(done, total, record, elapsed, details)`` follows each one;
    ``on_idle()`` is called once, when a worker first finds nothing left to grade."""

    def work(submission, worker):
        record, details = grade(submission, worker)
        return (record, details) if with_details else record

    def report(done, total, result, elapsed):
        if progress:
            record, details = result if with_details else (result, None)
            progress(done, total, record, elapsed, details)

    return run_all(submissions, work, jobs, report, workers, on_idle)


def observe_all(submissions, jobs=None):
    """The outcome of running each notebook (``observe``), on ``jobs`` workers, in input order."""
    return run_all(submissions, observe, jobs)


def jobs_for(count, jobs=None):
    """How many workers grade ``count`` notebooks: ``jobs``, by default one per core, and
    never more than there are notebooks."""
    return max(1, min(jobs or os.cpu_count() or 1, count or 1))


class Workers:
    """``jobs`` warm workers, all started at once: they import torch while the caller reads
    notebooks and prepares; ``get(slot)`` waits for one to be ready.  Close them (or use
    ``with``) when done."""

    def __init__(self, jobs):
        self.area = scratch.ScratchArea()
        self._workers = []
        try:
            for slot in range(jobs):
                self._workers.append(Worker(slot, self.area, wait=False))
        except BaseException:
            self.close()
            raise

    def __len__(self):
        return len(self._workers)

    def get(self, slot):
        return self._workers[slot].wait_ready()

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
    queue = list(enumerate(submissions))
    lock = threading.Lock()
    done = 0
    idle = False
    errors = []

    def serve(slot):
        nonlocal done, idle
        try:
            worker = workers.get(slot)
            while True:
                with lock:
                    item = queue.pop(0) if queue else None
                    first_idle = item is None and not idle
                    idle = idle or item is None
                if item is None:  # nothing left: this worker's core is free
                    if first_idle and on_idle:
                        on_idle()
                    return
                index, submission = item
                result = work(submission, worker)
                with lock:
                    results[index] = result
                    done += 1
                    if progress:
                        progress(done, len(submissions), result, time.monotonic() - started)
        except BaseException as exc:  # noqa: BLE001 - reported below, after the other workers
            errors.append(exc)

    threads = [threading.Thread(target=serve, args=(slot,), daemon=True) for slot in range(len(workers))]
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
