"""The graded tasks, one module each, named after the function the student writes.

Each task module defines
- ``cases()``: the hidden inputs, plain data drawn from the grader seed;
- ``observe(student, cases)``: runs in the student's process and records what the
  student's function returns, as plain data;
- ``judge(cases, observed)``: runs in the grading process and returns one message
  per failed check (an empty list means full points).
"""

import importlib

import course_config as config

MAX_MESSAGES = 3  # per task: the first failures say enough, a wall of them says less

MODULES = {name: importlib.import_module(f"autograder.{name}") for name in config.GRADED_TASKS}


def points(assignment, task):
    return float(config.POINTS[assignment][task])


def cases(task):
    return MODULES[task].cases()


def observe(task, namespace, task_cases):
    """Run one task's probes on a notebook namespace (in the student's process)."""
    from autograder import harness

    try:
        with harness.Student(namespace) as student:
            return MODULES[task].observe(student, task_cases)
    except harness.Missing as exc:
        return {"missing": str(exc)}
    except Exception as exc:  # student code failed outside a single probe
        return {"crash": harness.error_text(exc)}


def judge(task, task_cases, observed):
    """The failure messages of one task (in the grading process)."""
    if not isinstance(observed, dict):
        return [f"{task}: no usable result came back from the notebook"]
    if "missing" in observed:
        return [observed["missing"]]
    if "crash" in observed:
        return [f"{task}: your code raised {observed['crash']}"]
    try:
        messages = MODULES[task].judge(task_cases, observed)
    except Exception as exc:  # malformed observations: nothing to give points for
        return [f"{task}: the results that came back could not be read ({type(exc).__name__})"]
    if len(messages) > MAX_MESSAGES:
        more = len(messages) - MAX_MESSAGES
        messages = messages[:MAX_MESSAGES] + [f"... and {more} more failed check{'s' * (more > 1)}"]
    return messages


def details(task, task_cases, observed):
    """Extra data for the feedback page (the training curve of `train`), or None."""
    module = MODULES[task]
    if not hasattr(module, "details"):
        return None
    try:
        return module.details(task_cases, observed)
    except Exception:  # malformed observations: no plot, the messages say enough
        return None
