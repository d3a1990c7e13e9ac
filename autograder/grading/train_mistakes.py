"""The ways of training that typical mistakes amount to, as known mistakes of a `train` task
(``autograder.grading.diagnosis``), computed with ``training.descent``.

Each predicts the short run only (``cases["short"]``): it is enough to tell the mistakes apart,
and a prediction of the full run would cost seconds per class.
"""

from autograder.grading.diagnosis import ANY, Mistake, losses
from autograder.grading.training import descent


def _short_run(predict_run):
    """A prediction of a train task's observation from one of its short run."""
    return lambda cases: {"probes": [predict_run(cases["short"]), ANY]}


def _descent(loss_and_grad, run, epochs=None, **how):
    lg = lambda params: loss_and_grad(params, run["signal"], run["target"])  # noqa: E731
    return descent(lg, run["start"], run["epochs"] if epochs is None else epochs, how.pop("lr", run["lr"]), **how)


def _trained(loss_and_grad, **how):
    def predict(run):
        values, params = _descent(loss_and_grad, run, **how)
        return {"out": losses(values), "params": params}

    return _short_run(predict)


def never_cleared(name, says, loss_and_grad):
    """The gradients pile up: each step uses the sum of every gradient so far."""
    return Mistake(name, says, _trained(loss_and_grad, accumulate=True))


def fixed_learning_rate(name, says, loss_and_grad, lr):
    return Mistake(name, says, _trained(loss_and_grad, lr=lr))


def adam(name, says, loss_and_grad):
    return Mistake(name, says, _trained(loss_and_grad, rule="adam"))


def some_parameters(name, says, loss_and_grad, update):
    """The optimizer was given only the parameters at the indexes ``update``."""
    return Mistake(name, says, _trained(loss_and_grad, update=update))


def summed_loss(name, says, loss_and_grad):
    """The loss is summed over the elements: n times the mean, and n times its gradient."""

    def summed(params, signal, target):
        n = sum(len(row) for row in target)
        loss, grad = loss_and_grad(params, signal, target)
        return loss * n, [g * n for g in grad]

    return Mistake(name, says, _trained(summed))


def loss_after_the_update(name, says, loss_and_grad, functions):
    """Each epoch's loss is computed again after the step, calling ``functions`` twice an epoch."""

    def predict(run):
        values, params = _descent(loss_and_grad, run, epochs=run["epochs"] + 1)
        _, params = _descent(loss_and_grad, run)
        calls = {function: 2 * run["epochs"] for function in functions}
        return {"out": losses(values[1:]), "params": params, "calls": calls}

    return Mistake(name, says, _short_run(predict))


def tensors_not_floats(name, says, loss_and_grad):
    """The list holds the loss tensors themselves; the training itself is right."""

    def predict(run):
        _, params = _descent(loss_and_grad, run)
        items = [{"kind": "Tensor"}] * run["epochs"]
        return {"out": {"kind": "list", "length": run["epochs"], "items": items}, "params": params}

    return Mistake(name, says, _short_run(predict))


def ignores_epochs(name, says):
    """Both runs train for the same number of epochs, not the number they were asked for."""

    def predict(cases):
        asked = [cases["short"]["epochs"], cases["full"]["epochs"]]

        def agrees(observed):
            lengths = [probe.get("out", {}).get("length") for probe in observed["probes"]]
            return lengths[0] is not None and lengths[0] == lengths[1] and lengths != asked

        return agrees

    return Mistake(name, says, predict)


# -- what the train tasks check: train(SIGNAL, TARGET, epochs, lr) -> one loss per epoch -------
