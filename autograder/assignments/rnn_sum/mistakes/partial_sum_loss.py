"""rnn_sum: the known mistakes of `partial_sum_loss` (the package's docstring says how they work)."""

from autograder.grading import checks
from autograder.grading import diagnosis as d
from autograder.grading.diagnosis import Either, Mistake


# -- partial_sum_loss ---------------------------------------------------------------------------
def _loss(*values, kind="tensor"):
    """Predict the loss's probes from a mistaken ``value(result, target)`` on nested lists (each
    of ``values``: the usual codings, where they give different numbers); ``kind`` "cut": the
    result carries no gradient, "float": it is a Python number."""

    def one(probe):
        options = [_probe(value, kind, probe) for value in values]
        return options[0] if len(options) == 1 else Either(options)

    return lambda cases: {"probes": d.lazily(cases, one)}


def _probe(value, kind, probe):
    """What one probe gives: the loss's value, which pins the formula down (its gradient follows),
    and for a loss cut from the graph, no gradient."""
    result, target = probe["args"]
    got = value(result, target)
    if kind == "float":
        return {"out": {"kind": "float", "value": got}}
    record = {"out": d.tensor(got)}
    if kind == "cut" and probe.get("grad"):
        record["grad"] = d.NO_GRADIENT
    return record


def _errors(result, target):
    return [a - b for a, b in zip(checks.flat(result), checks.flat(target))]


def _mean(values):
    return sum(values) / len(values)


def _mean_square(result, target):
    return _mean([e * e for e in _errors(result, target)])


def _mean_over_frames(result, target):
    if not isinstance(result[0], list):
        return _mean_square(result, target)
    columns = zip(zip(*result), zip(*target))
    return [_mean([(a - b) ** 2 for a, b in zip(r, t)]) for r, t in columns]


def _mean_over_samples(result, target):
    if not isinstance(result[0], list):
        return _mean_square(result, target)
    return [_mean([(a - b) ** 2 for a, b in zip(r, t)]) for r, t in zip(result, target)]


def _frames(result):
    return len(result) if isinstance(result, list) else 1


def _cumsum(rows):
    """SIGNAL.cumsum(0): down the first dimension."""
    if not isinstance(rows, list):
        return rows
    out, total = [], None
    for row in rows:
        if total is None:
            total = row
        else:
            total = [a + b for a, b in zip(total, row)] if isinstance(row, list) else total + row
        out.append(total)
    return out


def _variance(result, target, unbiased):
    errors = _errors(result, target)
    mean = _mean(errors)
    return sum((e - mean) ** 2 for e in errors) / (len(errors) - unbiased) if len(errors) > unbiased else float("nan")


def _not_one_number(cases, observed):
    """A behaviour: a tensor of several numbers came back for a batch."""
    outs = [got["out"] for got in observed["probes"] if "out" in got]
    return any(out.get("kind") == "tensor" and len(out["values"]) > 1 for out in outs)


def _some_elements_ignored(cases, observed):
    """A behaviour: the loss does not change with some elements of RESULT (their gradient is zero)
    while it does with others."""
    for got in observed["probes"]:
        for grad in got.get("grad", {}).get("args") or []:
            values = grad["values"] if grad else []
            if any(v == 0 for v in values) and any(v != 0 for v in values):
                return True
    return False


PARTIAL_SUM_LOSS = [
    d.behaves(
        "loss_not_one_number",
        "Your `partial_sum_loss` returns several numbers for a batch: a loss is one number, the mean over "
        "every element. What reduces your errors, and over which dimensions?",
        _not_one_number,
    ),
    d.behaves(
        "loss_ignores_some_elements",
        "Your `partial_sum_loss` does not change with some elements of `RESULT`: every state should count in "
        "the mean. Which elements does your loss leave out?",
        _some_elements_ignored,
    ),
    Mistake(
        "squared_mean_error",
        "Your `partial_sum_loss` squares the mean error, so errors of opposite signs cancel before the square: "
        "should the square come before or after the mean?",
        _loss(lambda r, t: _mean(_errors(r, t)) ** 2),
    ),
    Mistake(
        "halved_squared_error",
        "Your `partial_sum_loss` returns half the mean squared error: the task asks for the mean itself. "
        "Where does a factor of 1/2 come in?",
        _loss(lambda r, t: _mean_square(r, t) / 2),
    ),
    Mistake(
        "loss_mean_over_samples_only",
        "Your `partial_sum_loss` averages over the samples only, so a batch gives one loss per frame: "
        "which elements should the mean run over?",
        _loss(_mean_over_samples),
    ),
    Mistake(
        "divided_by_frames_only",
        "Your `partial_sum_loss` divides the summed squared errors by the number of frames only: a mean "
        "divides by the number of elements. How many are there in a batch?",
        _loss(lambda r, t: sum(e * e for e in _errors(r, t)) / _frames(r)),
    ),
    Mistake(
        "euclidean_norm",
        "Your `partial_sum_loss` returns the length (norm) of the error vector: the task asks for the mean of "
        "the squared errors. What happens to the squares before the end?",
        _loss(lambda r, t: sum(e * e for e in _errors(r, t)) ** 0.5),
    ),
    Mistake(
        "loss_cut_from_the_graph",
        "Your `partial_sum_loss` returns the right value but no gradient flows back through it (computed "
        "outside torch, or under `torch.no_grad()`?): how would training learn from it?",
        _loss(_mean_square, kind="cut"),
    ),
    Mistake(
        "partial_sums_taken_in_the_loss",
        "Your `partial_sum_loss` takes partial sums (`cumsum`) of its arguments itself: it gets the states and "
        "their targets already, and compares them as they are.",
        _loss(lambda r, t: _mean_square(r, _cumsum(t)), lambda r, t: _mean_square(_cumsum(r), t)),
    ),
    Mistake(
        "error_variance",
        "Your `partial_sum_loss` returns the variance of the errors: it takes their mean away first, so a result "
        "off by the same amount everywhere costs nothing. Which mean does the task ask for?",
        _loss(lambda r, t: _variance(r, t, 0), lambda r, t: _variance(r, t, 1)),
    ),
    Mistake(
        "summed_loss",
        "Your `partial_sum_loss` returns the sum of the squared errors: the task asks for their mean, "
        "which does not grow with the number of frames and samples.",
        _loss(lambda r, t: sum(e * e for e in _errors(r, t))),
    ),
    Mistake(
        "loss_mean_over_frames_only",
        "Your `partial_sum_loss` averages over the first dimension only, so a batch gives one loss per "
        "sample: which elements should the mean run over?",
        _loss(_mean_over_frames),
    ),
    Mistake(
        "absolute_loss",
        "Your `partial_sum_loss` averages the absolute errors: the task asks for the squared error.",
        _loss(lambda r, t: _mean([abs(e) for e in _errors(r, t)])),
    ),
    Mistake(
        "loss_not_squared",
        "Your `partial_sum_loss` averages the errors themselves, so errors of opposite signs cancel: "
        "what should happen to each error first?",
        _loss(lambda r, t: _mean(_errors(r, t))),
    ),
    Mistake(
        "root_mean_square",
        "Your `partial_sum_loss` returns the square root of the mean squared error: the task asks for the mean itself.",
        _loss(lambda r, t: _mean_square(r, t) ** 0.5),
    ),
    Mistake(
        "loss_as_float",
        "Your `partial_sum_loss` returns a Python number (`.item()`?): training needs the tensor, "
        "through which the gradient flows back.",
        _loss(_mean_square, kind="float"),
    ),
]
