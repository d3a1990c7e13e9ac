"""rnn_sum: the known mistakes of `partial_sum_loss` (the package's docstring says how they work)."""

from autograder.grading import checks
from autograder.grading import diagnosis as d
from autograder.grading.diagnosis import Mistake


# -- partial_sum_loss ---------------------------------------------------------------------------
def _shaped(values, shape):
    if len(shape) < 2:
        return list(values) if shape else values[0]
    width = len(values) // shape[0]
    return [list(values[i * width : (i + 1) * width]) for i in range(shape[0])]


def _loss(value, kind="tensor"):
    """Predict the loss's probes from a mistaken ``value(result, target)`` on nested lists; the
    gradient with respect to RESULT follows from it."""

    def predict(cases):
        probes = []
        for probe in cases["probes"]:
            result, target = probe["args"]
            got = value(result, target)
            if kind == "float":
                probes.append({"out": {"kind": "float", "value": got}})
                continue
            record = {"out": d.tensor(got)}
            if probe.get("grad"):
                shape = checks.shape_of(result)
                g = d.gradient(lambda r: value(_shaped(r, shape), target), checks.flat(result))
                record["grad"] = {"args": [d.tensor(_shaped(g, shape))]}
            probes.append(record)
        return {"probes": probes}

    return predict


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


PARTIAL_SUM_LOSS = [
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
