"""Naming the mistake: which known mistake a student's function makes, recognised from what it
returned on the hidden inputs.

An assignment's ``mistakes`` package lists, per task, the mistakes its graders know
(``MISTAKES = {task: [Mistake, ...]}``), of two kinds:

- a *predicted* mistake is a reference computation of what the mistaken code returns:
  ``predict(cases)`` gives part of the observation that code would send back on the task's
  hidden inputs, in the observation's own format (``autograder.inside.protocol.Observation``),
  with ``ANY`` where anything goes (an error, whatever its text) and a callable where a test
  says more than one value can.  It is recognised whichever way it was coded, as long as the
  numbers are the same; where two usual codings give different numbers, each is predicted.
- a *behaviour* (``behaves``) is a property that every coding of a mistake shares, read from the
  observation: which frames of an unroll come out right, whether training moved the
  parameters at all.  It is named only when no predicted mistake is: it is the wider net.

When a task loses points, its result names every mistake whose prediction its observation
agrees with, within the assignment's ``diagnosis_rtol`` and ``diagnosis_atol`` (two mistakes
that give the same numbers are both named), else every behaviour it shows.  Predictions are
computed once per process and seed, only when a task first needs them, in plain Python: nothing
here runs or imports student code.
"""

import functools
import importlib
import math
import threading
from collections.abc import Callable
from dataclasses import dataclass

from autograder import settings as config
from autograder.grading import checks, graders

ANY = ...  # in a prediction: anything (but something) came back here
FLOAT32_MAX = 3.4028234663852886e38


@dataclass(frozen=True)
class Mistake:
    name: str  # an identifier; the example answer that makes it has the same name (examples/answers.py)
    says: str  # the sentence the student reads: what the code seems to do, and a question to act on
    predict: Callable[[dict], dict]  # the task's cases -> part of the observation the mistake gives
    behaviour: bool = False  # a property of the observation, named only when no prediction agrees


class Either(tuple):
    """In a prediction: the usual codings of one mistake that give different numbers; what came
    back agrees with the prediction when it agrees with any of them."""


class Lazy:
    """In a prediction: a list whose items are computed when first compared, and kept.  A mistake
    that disagrees at its first probe then costs that probe's computation, not every probe's.
    Predictions are shared by the threads that judge notebooks: an item is computed once."""

    def __init__(self, thunks):
        self._thunks, self._done, self._lock = list(thunks), {}, threading.RLock()

    def __len__(self):
        return len(self._thunks)

    def __getitem__(self, i):
        with self._lock:
            if i not in self._done:
                self._done[i] = self._thunks[i]()
            return self._done[i]


def lazily(cases, per_probe):
    """A prediction's probes, each ``per_probe(probe)`` when it is first compared."""
    return Lazy(functools.partial(per_probe, probe) for probe in cases["probes"])


def behaves(name, says, shows):
    """A behaviour: ``shows(cases, observed)`` says whether the task's observation has it."""
    return Mistake(name, says, lambda cases: lambda observed: shows(cases, observed), behaviour=True)


def agrees(predicted, got, rtol, atol):
    """Whether what came back agrees with a prediction (dicts: on the keys predicted)."""
    if predicted is ANY:
        return True
    if isinstance(predicted, Either):
        return any(agrees(p, got, rtol, atol) for p in predicted)
    if callable(predicted):
        return bool(predicted(got))
    if isinstance(predicted, dict):
        return isinstance(got, dict) and all(k in got and agrees(v, got[k], rtol, atol) for k, v in predicted.items())
    if isinstance(predicted, (list, tuple, Lazy)):
        return (
            isinstance(got, list)
            and len(got) == len(predicted)
            and all(agrees(predicted[i], g, rtol, atol) for i, g in enumerate(got))
        )
    if isinstance(predicted, float):
        if isinstance(got, bool) or not isinstance(got, (int, float)):
            return False
        if not math.isfinite(got):  # float32 overflows where float64 goes on
            return not math.isfinite(predicted) or abs(predicted) > FLOAT32_MAX
        return abs(got - predicted) <= atol + rtol * abs(predicted)
    return type(predicted) is type(got) and predicted == got


@functools.cache
def mistakes(assignment, task):
    """The task's known mistakes (none when the assignment has no ``mistakes``)."""
    try:
        module = importlib.import_module(f"{config.GRADERS}.{assignment}.mistakes")
    except ModuleNotFoundError as exc:
        if exc.name != f"{config.GRADERS}.{assignment}.mistakes":
            raise
        return ()
    return tuple(module.MISTAKES.get(task, ()))


@functools.lru_cache(maxsize=64)
def _predictions(assignment, task, seed):
    task_cases = graders.cases(assignment, task, seed)
    known = sorted(mistakes(assignment, task), key=lambda mistake: mistake.behaviour)  # the predicted first
    return tuple((mistake, mistake.predict(task_cases)) for mistake in known)


def matching(assignment, task, observed, seed=None):
    """The known mistakes of the task that the observation agrees with on the hidden inputs of
    ``seed``: the predicted ones, else the behaviours (none when nothing of the task could be
    judged)."""
    if graders.problem(task, observed) is not None:
        return []
    settings = config.assignment(assignment)
    rtol, atol = settings["diagnosis_rtol"], settings["diagnosis_atol"]
    found = []
    for mistake, predicted in _predictions(assignment, task, seed):
        if found and mistake.behaviour and not found[-1].behaviour:
            break  # a predicted mistake agrees: the behaviours would say less
        if fits(predicted, observed, rtol, atol):
            found.append(mistake)
    return found


def fits(predicted, observed, rtol, atol):
    """``agrees``, where a malformed observation (or one a behaviour cannot read) matches nothing."""
    try:
        return agrees(predicted, observed, rtol, atol)
    except (KeyError, TypeError, ValueError, IndexError, ArithmeticError, AttributeError):
        return False


# -- building predictions: what a probe's record holds (inside/protocol.ProbeRecord) ----------
def tensor(data):
    """A described tensor of these values (a float, or nested lists of them)."""
    return {"kind": "tensor", "shape": checks.shape_of(data), "values": [float(v) for v in checks.flat(data)]}


def returns(data, grad=None, **more):
    """A probe's record: a tensor of these values, and where given the parameters' gradients
    (a list, None for a parameter the result does not depend on) or ``NO_GRADIENT``."""
    record = {"out": tensor(data), **more}
    if grad is not None:
        record["grad"] = grad if grad is NO_GRADIENT else {"params": list(grad)}
    return record


NO_GRADIENT = {"error": ANY}  # the result carries no gradient at all
RAISES = {"error": ANY}  # the call raised


def gradient(f, point, unused=(), step=1e-6):
    """d(sum of f(point))/d(point) by central differences in float64, where ``f`` maps a list of
    floats to a float or nested lists of floats; None at the indexes in ``unused`` (autograd
    gives a tensor the result does not depend on no gradient at all)."""
    out = []
    for i, x in enumerate(point):
        if i in unused:
            out.append(None)
            continue
        h = step * max(1.0, abs(x))
        up, down = list(point), list(point)
        up[i], down[i] = x + h, x - h
        out.append((math.fsum(checks.flat(f(up))) - math.fsum(checks.flat(f(down)))) / (2 * h))
    return out


def param_problem(words):
    """A prediction of the parameter report: some parameter is wrong in these words."""
    return lambda problems: isinstance(problems, dict) and any(words in str(p) for p in problems.values())
