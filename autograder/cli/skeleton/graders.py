"""The skeleton's hidden graders: {path under autograder/assignments/<assignment>/: its text}."""

GRADERS = {
    "__init__.py": '''\
"""The hidden graders of `$assignment` (written by `python -m autograder new`).

One pytest file per graded task (``test_<task>.py``); ``reference.py`` computes, in plain Python
float64, what every function should return; ``mistakes/`` holds the known mistakes.  Run them on a
notebook with ``pytest autograder/assignments/$assignment --notebook NOTEBOOK``.
"""

from autograder import settings as config

ASSIGNMENT = "$assignment"
PARAMS = ("WEIGHT",)  # set in place by the graders before each probe
SETTINGS = config.ASSIGNMENTS[ASSIGNMENT]
''',
    "reference.py": '''\
"""The graders' own reference for $assignment, in plain Python float64: nothing here imports torch
or touches student code."""

import math

from autograder.assignments.$assignment import ASSIGNMENT, PARAMS
from autograder.grading import graders
from autograder.grading.checks import compare_param_grads, compare_values, f32, flat, shape_of, uniform  # noqa: F401

PARAM_NAMES = PARAMS  # the parameters, as messages name them


def rng_for(task, seed=None):
    """The hidden random source of one task, salted with the assignment's name."""
    return graders.hidden_rng(task, salt=f"{ASSIGNMENT}:", seed=seed)


def random_params(rng):
    """A value of WEIGHT away from 0 and 1, where wrong code shows."""
    return [f32(rng.choice([-1, 1]) * rng.uniform(0.3, 0.8))]


def params_text(params):
    return ", ".join(f"{n}={v:g}" for n, v in zip(PARAM_NAMES, params))


def elementwise(f, data):
    """f of every float of a float or of nested lists of them, in the same shape."""
    return [elementwise(f, v) for v in data] if isinstance(data, list) else f(data)


def $task(params, signal):
    """Values, and d(sum of values)/d(WEIGHT)."""
    (weight,) = params
    return elementwise(lambda x: weight * x, signal), [math.fsum(flat(signal))]
''',
    "test_$task.py": '''\
"""Task `$task`: every value of SIGNAL times the parameter WEIGHT.

Checks: WEIGHT is a 0-dim float leaf tensor with requires_grad; the values follow the formula for
signals of three shapes at two values of WEIGHT; the gradient reaches WEIGHT.

PYTEST_DONT_REWRITE: the assert messages are what the student reads.
"""

from autograder.assignments.$assignment import ASSIGNMENT, SETTINGS
from autograder.assignments.$assignment import reference as ref
from autograder.grading import graders

TASK = "$task"


def cases(seed=None):
    rng = ref.rng_for(TASK, seed)
    probes = []
    for params in [ref.random_params(rng), ref.random_params(rng)]:
        for shape in [(), (rng.randint(2, 9),), (rng.randint(2, 5), rng.randint(2, 5))]:
            probes.append(
                {
                    "label": f"$task(SIGNAL) with SIGNAL of shape {shape}, {ref.params_text(params)}",
                    "params": params,
                    "args": [ref.uniform(rng, shape, -2, 2)],
                    "grad": True,
                }
            )
    return {"probes": probes}


def program(cases):
    return graders.probes_program(ASSIGNMENT, TASK, cases["probes"], check_params=True)


def test_weight_is_a_float_leaf_tensor_with_grad(observed):
    problems = [f"{name} {problem}" for name, problem in observed["params"].items()]
    assert not problems, "; ".join(problems)


def test_values_follow_the_formula(cases, observed):
    for probe, got in zip(cases["probes"], observed["probes"], strict=True):
        values, _ = ref.$task(probe["params"], *probe["args"])
        message = ref.compare_values(
            probe["label"], got, ref.flat(values), ref.shape_of(values), SETTINGS["rtol"], SETTINGS["atol"]
        )
        assert message is None, message


def test_the_gradient_reaches_weight(cases, observed):
    for probe, got in zip(cases["probes"], observed["probes"], strict=True):
        if "error" in got:
            continue  # reported by the values
        _, grads = ref.$task(probe["params"], *probe["args"])
        message = ref.compare_param_grads(
            probe["label"], got.get("grad"), grads, SETTINGS["grad_rtol"], SETTINGS["grad_atol"], ref.PARAM_NAMES
        )
        assert message is None, message
''',
    "mistakes/__init__.py": '''\
"""The known mistakes of $assignment, each as what it returns on the graders' hidden inputs
(``autograder.grading.diagnosis``); a mistake is named after the example answer that makes it."""

from autograder.assignments.$assignment.mistakes.$task import MISTAKES as _$task

MISTAKES = {"$task": _$task}
''',
    "mistakes/$task.py": '''\
"""$assignment: the known mistakes of `$task`, each a prediction of what it returns."""

from autograder.assignments.$assignment import reference as ref
from autograder.grading import diagnosis as d
from autograder.grading.diagnosis import Mistake


def _$task(formula):
    """Predict the values from a mistaken formula(weight, x) on floats: every coding gives them."""

    def one(probe):
        (weight,) = probe["params"]
        return {"out": d.tensor(ref.elementwise(lambda x: formula(weight, x), probe["args"][0]))}

    return lambda cases: {"probes": d.lazily(cases, one)}


MISTAKES = [
    Mistake(
        "weight_left_out",
        "Your `$task` returns the signal as it came: where does `WEIGHT` come in?",
        _$task(lambda w, x: x),
    ),
    Mistake(
        "weight_added",
        "Your `$task` adds `WEIGHT` to every value: should the weight be added, or multiply?",
        _$task(lambda w, x: x + w),
    ),
    Mistake(
        "weight_squared",
        "Your `$task` multiplies by `WEIGHT` twice: how many times should the weight come in?",
        _$task(lambda w, x: w * w * x),
    ),
]
''',
}
