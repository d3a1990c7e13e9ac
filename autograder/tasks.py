"""The graded tasks, one module each, named after the function the student writes.

Each task module defines
- ``cases()``: the hidden inputs, plain data drawn from the grader seed;
- ``program(cases)``: what the student's process is sent when the task is observed: which
  function to call, with which inputs and parameters, and the stand-ins of the earlier
  functions it uses (``autograder.inside.probe`` runs it beside student code);
- ``judge(cases, observed)``: runs in the grading process and returns one message per
  failed check (an empty list means full points).
"""

import ast
import functools
import importlib
import os

import course_config as config
from autograder.paths import ROOT

MAX_MESSAGES = 3  # per task: the first failures say enough, a wall of them says less
PARAMS = ["BIAS", "WEIGHTF", "WEIGHTS"]

MODULES = {name: importlib.import_module(f"autograder.{name}") for name in config.GRADED_TASKS}


def points(assignment, task):
    return float(config.POINTS[assignment][task])


def cases(task):
    return MODULES[task].cases()


@functools.cache
def stand_ins(uses):
    """The source of the stand-ins of ``uses`` and of the private helpers they call, and
    nothing else: a task receives working versions of the functions it uses, never of
    another task's function."""
    with open(os.path.join(ROOT, "autograder", "stand_ins.py")) as f:
        module = ast.parse(f.read())
    defs = {node.name: node for node in module.body if isinstance(node, ast.FunctionDef)}
    wanted, todo = set(), list(uses)
    while todo:
        name = todo.pop()
        if name in wanted:
            continue
        wanted.add(name)
        todo += [n.id for n in ast.walk(defs[name]) if isinstance(n, ast.Name)
                 and n.id.startswith("_") and n.id in defs]
    return "\n\n".join(ast.unparse(node) for name, node in defs.items() if name in wanted) + "\n"


def program(task, task_cases):
    """The task's program for the student's process (plain data)."""
    return MODULES[task].program(task_cases)


def probes_program(function, probes, uses=(), check_params=False):
    """A program that calls ``function`` once per probe ({"args", "params", "grad", ...}),
    with the stand-ins of ``uses`` in place of the student's own."""
    return {
        "function": function,
        "params": PARAMS,
        "check_params": check_params,
        "uses": list(uses),
        "stand_ins": stand_ins(tuple(uses)) if uses else "",
        "probes": [
            {
                "args": [{"tensor": a, "grad": i in probe.get("grad_args", [])} for i, a in enumerate(probe["args"])],
                **{k: probe[k] for k in ("params", "grad") if k in probe},
            }
            for probe in probes
        ],
    }


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


def observe_here(task, namespace, task_cases):
    """Run a task's program in this process (benchmarks and tests of the graders only:
    grading runs it in the sandbox)."""
    from autograder.inside import probe

    return probe.observe(namespace, program(task, task_cases))
