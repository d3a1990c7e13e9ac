"""The hidden graders of every assignment, and the loop that runs them.

An assignment's graders are the package ``autograder/assignments/<assignment>/``.  Its ``__init__.py``
names the parameters (``PARAMS``) that the graders set in the student's namespace; its
``stand_ins.py`` holds working versions of its functions; each graded task has a pytest file
``test_<task>.py`` that defines

- ``USES``: the earlier functions the task runs with stand-ins of (optional);
- ``cases(seed)``: the hidden inputs, plain data drawn from ``seed`` (``hidden_rng``: the
  notebook's derived seed, ``autograder.grading.inputs``, or None for the course's fixed one);
- ``program(cases)``: what the student's process is asked to do with them (a
  ``autograder.inside.protocol.Program``: which function to call, on which inputs, with
  which parameters); ``probes_program`` builds the usual one;
- test functions ``test_*(cases, observed)`` with plain ``assert``s, whose messages are what
  the student reads: what was checked, what was expected, what came back;
- optionally ``details(cases, observed)``: the student's data for the feedback page, and
  ``reference(cases)``: what the page draws beside it for every student (``page_details``).

The test files say ``PYTEST_DONT_REWRITE`` so that pytest leaves their asserts alone: a
failure's message is the same under pytest (``autograder.runner.pytest_plugin``) and in ``judge``
below, the class runner's faster loop over the same functions.
"""

import ast
import functools
import importlib
import inspect
import os
import random

from autograder import settings as config
from autograder.inside.protocol import Observation, Program

MAX_MESSAGES = 3  # per task: the first failures say enough, a wall of them says less


def hidden_rng(task, salt="", seed=None):
    """The hidden random source of one task, drawn from a notebook's seed (None: the course's
    fixed ``GRADER_SEED``): ``salt`` keeps two assignments' tasks of one name apart (each
    assignment's reference says its own)."""
    return random.Random(f"{config.GRADER_SEED if seed is None else seed}:{salt}{task}")


def task_of(grade_id):
    """The task of a hidden-test cell (``test_<task>``), or None for any other cell."""
    return grade_id[len("test_") :] if grade_id and grade_id.startswith("test_") else None


@functools.cache
def package(assignment):
    return importlib.import_module(f"{config.GRADERS}.{assignment}")


@functools.cache
def module(assignment, task):
    return importlib.import_module(f"{config.GRADERS}.{assignment}.test_{task}")


def tests(mod):
    """The module's test functions (its own, or imported), in pytest's order: the module's."""
    return [fn for name, fn in vars(mod).items() if name.startswith("test_") and inspect.isfunction(fn)]


@functools.lru_cache(maxsize=64)  # a notebook's, while it is graded and judged
def cases(assignment, task, seed=None):
    """A task's hidden inputs for a notebook's seed (None: the course's fixed seed)."""
    return module(assignment, task).cases(seed)


def program(assignment, task, task_cases):
    """The task's program for the student's process (plain data)."""
    return module(assignment, task).program(task_cases)


@functools.cache
def stand_ins(assignment, uses):
    """The source of the stand-ins of ``uses`` and of the private helpers they call, and
    nothing else: a task receives working versions of the functions it uses, never of
    another task's function."""
    with open(os.path.join(config.graders_folder(assignment), "stand_ins.py")) as f:
        tree = ast.parse(f.read())
    defs = {node.name: node for node in tree.body if isinstance(node, ast.FunctionDef)}
    wanted, todo = set(), list(uses)
    while todo:
        name = todo.pop()
        if name in wanted:
            continue
        wanted.add(name)
        todo += [
            n.id for n in ast.walk(defs[name]) if isinstance(n, ast.Name) and n.id.startswith("_") and n.id in defs
        ]
    return "\n\n".join(ast.unparse(node) for name, node in defs.items() if name in wanted) + "\n"


def probes_program(assignment, function, probes, uses=(), check_params=False, trace=False) -> Program:
    """A program that calls ``function`` once per probe ({"args", "params", "grad",
    "grad_args"}), with the stand-ins of ``uses`` in place of the student's own."""
    return {
        "function": function,
        "params": list(package(assignment).PARAMS),
        "check_params": check_params,
        "trace": trace,
        "uses": list(uses),
        "stand_ins": stand_ins(assignment, tuple(uses)) if uses else "",
        "probes": [
            {
                "args": [{"tensor": a, "grad": i in probe.get("grad_args", [])} for i, a in enumerate(probe["args"])],
                **{k: probe[k] for k in ("params", "grad", "after") if k in probe},
            }
            for probe in probes
        ],
    }


def unroll_probes(rng, param_sets, shapes, label, draw):
    """The probes of an unroll-like task: a signal of each of ``shapes`` (drawn with ``draw(rng,
    shape)``) at each of ``param_sets``, the first of which is the trained values, where the
    result is known in closed form; gradients are checked at the others.  ``label(shape, params,
    trained)`` is what the probe's messages call it."""
    return [
        {"label": label(shape, params, i == 0), "params": params, "args": [draw(rng, shape)], "grad": i > 0}
        for i, params in enumerate(param_sets)
        for shape in shapes
    ]


def problem(task, observed: Observation) -> str | None:
    """Why nothing of a task can be judged (the observation is not one), else None."""
    if not isinstance(observed, dict):
        return f"{task}: no usable result came back from the notebook"
    if "stopped" in observed:
        return observed["stopped"]
    if "missing" in observed:
        return observed["missing"]
    if "crash" in observed:
        return f"{task}: your code raised {observed['crash']}"
    return None


def check_outcomes(assignment, task, task_cases, observed):
    """{check: its failure's message, or None when it passed} for each of the task's tests, in
    order: what pytest reports.  When nothing of the task can be judged, every check fails for
    that one reason."""
    reason = problem(task, observed)
    fixtures = {"cases": task_cases, "observed": observed}
    outcomes = {}
    for test in tests(module(assignment, task)):
        message = reason
        if reason is None:
            try:
                test(**{name: fixtures[name] for name in inspect.signature(test).parameters})
            except AssertionError as exc:
                message = str(exc)
            except Exception as exc:  # malformed observations: nothing to give points for
                message = f"{task}: the results that came back could not be read ({type(exc).__name__})"
        outcomes[test.__name__] = message
    return outcomes


def _failures(task, observed, outcomes):
    reason = problem(task, observed)
    return [reason] if reason is not None else [m for m in outcomes.values() if m is not None]


def failures(assignment, task, task_cases, observed):
    """Every failed test's message, in order (none: full points): what pytest reports."""
    return _failures(task, observed, check_outcomes(assignment, task, task_cases, observed))


def verdict(assignment, task, task_cases, observed):
    """(the messages of one task's record: its failures, the first few of them; {check: passed})."""
    outcomes = check_outcomes(assignment, task, task_cases, observed)
    messages = _failures(task, observed, outcomes)
    if len(messages) > MAX_MESSAGES:
        more = len(messages) - MAX_MESSAGES
        messages = messages[:MAX_MESSAGES] + [f"... and {more} more failed check{'s' * (more > 1)}"]
    return messages, {check: message is None for check, message in outcomes.items()}


def judge(assignment, task, task_cases, observed):
    """The messages of one task's record (``verdict``)."""
    return verdict(assignment, task, task_cases, observed)[0]


def details(assignment, task, task_cases, observed):
    """Extra data for the feedback page (the training curve of `train`), or None."""
    mod = module(assignment, task)
    if not hasattr(mod, "details") or problem(task, observed) is not None:
        return None
    try:
        return mod.details(task_cases, observed)
    except Exception:  # malformed observations: no plot, the messages say enough
        return None


def page_details(assignment, details, seed=None):
    """A notebook's details with what its feedback page draws beside them: each task module's
    ``reference(cases)`` on the notebook's own inputs, computed only when a page is drawn."""
    return {task: {**data, **_reference(assignment, task, seed)} for task, data in (details or {}).items()}


@functools.lru_cache(maxsize=16)
def _reference(assignment, task, seed):
    mod = module(assignment, task)
    return mod.reference(cases(assignment, task, seed)) if hasattr(mod, "reference") else {}


def observe_here(assignment, task, namespace, task_cases):
    """Run a task's program in this process (benchmarks and tests of the graders only:
    grading runs it in the sandbox)."""
    from autograder.inside import probe  # it imports torch: only benchmarks and tests run a program here

    return probe.observe(namespace, program(assignment, task, task_cases))
