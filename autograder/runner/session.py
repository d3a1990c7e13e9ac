"""Running one notebook: its steps, in order, each under its time limit, whatever it does.

One mechanism covers every way a notebook can go wrong.  The child reports the step it
starts and the result of each step.  If a step runs past its time limit, or the child
dies in it (``os._exit``, a signal, the memory limit, a crash), the child is killed with
everything it started, that step is recorded with the reason, and a fresh child runs the
notebook again without it, skipping the tasks already judged.

The runner itself never runs student code: it reads the notebook as JSON (``submission``),
sends the steps, and collects what comes back; ``judge`` then judges it.
"""

import time

from autograder import records as rec
from autograder import settings as config
from autograder.grading import graders
from autograder.inside import protocol
from autograder.runner import boundary
from autograder.runner import submission as sub
from autograder.runner.worker import STARTUP_TIMEOUT, WorkerFailed

DISK_POLL = 0.1  # seconds between two measures of what a running step has written


class Stopped(Exception):
    """The child stopped in a step: it ran out of time or died."""

    def __init__(self, step, reason):
        super().__init__(reason)
        self.step, self.reason = step, reason


def _limit(assignment, step):
    if step.kind == "task":
        return config.assignment(assignment)["task_timeout"][step.task]
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
                line = run.next_event(min(deadline, time.monotonic() + DISK_POLL) if current is not None else deadline)
                event = None if line is None else boundary.event(line)
            except EOFError:
                raise Stopped(current, run.death()) from None
            except boundary.Malformed as exc:
                raise Stopped(current, f"what the notebook's process sent could not be read ({exc})") from None
            over = area.over_quota(scratch) if current is not None else None
            if over:
                raise Stopped(current, over)
            if event is None and time.monotonic() < deadline:
                continue
            if event is None:
                limit = _limit(assignment, steps[current]) if current is not None else STARTUP_TIMEOUT
                raise Stopped(current, f"stopped after {limit} s")
            kind, step = event["event"], event.get("step")
            expected = order[position] if position < len(order) else None
            if kind == "start" and current is None and step == expected is not None:
                current = step
                position += 1
                deadline = time.monotonic() + _limit(assignment, steps[current])
                if steps[current].kind == "task":
                    run.send(graders.program(assignment, steps[current].task, steps[current].cases))
            elif kind == "end" and step == current and current is not None:
                on_end(current, _ending(current, steps[current], event))
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


def _ending(i, step, event):
    """A step's end event as the runner reads it: a code cell's error, or a task's observation
    rebuilt by ``boundary.observation``; Stopped when it is not what that step ends with."""
    try:
        if step.kind == "task":
            if "observed" not in event or "error" in event:
                raise boundary.Malformed(f"an end of {step.task} without its results")
            return {"observed": boundary.observation(event["observed"])}
        if "observed" in event:
            raise boundary.Malformed("results for a code cell")
        return {"error": event.get("error")}
    except boundary.Malformed as exc:
        raise Stopped(i, f"what the notebook's process sent could not be read ({exc})") from None


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
    outcome = Outcome(config.graded_tasks(assignment))
    observations = outcome.observations
    try:
        outcome.nb = nb = sub.load(submission.notebook)
        task_cases = {task: graders.cases(assignment, task, submission.seed) for task in observations}
        outcome.steps = steps = sub.plan(nb, sub.master_cells(assignment), list(observations), task_cases)

        def on_end(i, event):
            step = steps[i]
            if step.kind == "task":
                observations[step.task] = event.get("observed")
            elif event.get("error"):
                outcome.cell_errors[i] = f"{step.label} raised {event['error']}"

        try:
            _run_to_end(worker, assignment, steps, sub.handed(submission), on_end, observations, outcome.cell_errors)
        except WorkerFailed as exc:  # the grading machinery, not the notebook: say so
            if raise_worker_failure:
                raise
            outcome.error = rec.machine_fault(f"{exc}; grade this notebook again")
            for task in observations:
                observations[task] = {"stopped": f"not graded: {exc} (grade this notebook again)"}
    except sub.NotGradable as exc:
        outcome.error = str(exc)
        for task in observations:
            observations[task] = {"stopped": f"not graded: {exc}"}
    for task, observed in observations.items():
        if observed is None:
            observations[task] = {"stopped": f"{task} was not checked: the notebook stopped before its checks ran"}
    return outcome


def _run_to_end(worker, assignment, steps, handed, on_end, observations, cell_errors):
    """Run the notebook until it gets to its end, each time in a fresh scratch copy of the
    files it was handed with (``submission.handed``), without the steps that stopped it before."""
    skip = set()
    while True:
        skip |= {i for i, s in enumerate(steps) if s.kind == "task" and observations[s.task] is not None}
        scratch = worker.scratch_area.copy(handed, worker.slot, worker.ids)
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
