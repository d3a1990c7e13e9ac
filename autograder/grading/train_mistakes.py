"""The ways of training that typical mistakes amount to, as known mistakes of a `train` task
(``autograder.grading.diagnosis``), computed with ``training.descent``.

Each predicts the short run only (``cases["short"]``): it is enough to tell the mistakes apart,
and a prediction of the full run would cost seconds per class.
"""

import math

from autograder.grading.diagnosis import ANY, Either, Mistake, behaves, losses
from autograder.grading.training import descent, returned_losses


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


def _either(loss_and_grad, variants):
    """The short run's prediction under each of several ways (``descent``'s keywords) to train."""

    def predict(cases):
        return {"probes": [Either(_trained(loss_and_grad, **how)(cases)["probes"][0] for how in variants), ANY]}

    return predict


def _short(observed):
    return observed["probes"][0]


def _same(a, b):
    return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-7)


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
            return lengths[0] is not None and lengths[0] > 1 and lengths[0] == lengths[1] and lengths != asked

        return agrees

    return Mistake(name, says, predict)


# -- what the train tasks check: train(SIGNAL, TARGET, epochs, lr) -> one loss per epoch -------


def other_learning_rates(name, says, loss_and_grad, rates=(0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1.0)):
    """SGD at a learning rate of its own (torch's default 0.001, a round number), whatever `lr` is."""

    def predict(cases):
        lr = cases["short"]["lr"]
        return _either(loss_and_grad, [{"lr": rate} for rate in rates if not _same(rate, lr)])(cases)

    return Mistake(name, says, predict)


def momentum(name, says, loss_and_grad, values=(0.9, 0.5, 0.8, 0.95, 0.99)):
    """SGD with momentum (torch's heavy ball), at the values students pick."""
    return Mistake(name, says, _either(loss_and_grad, [{"momentum": m} for m in values]))


def ascent(name, says, loss_and_grad):
    """The update adds the gradient: SGD at minus the learning rate."""
    return Mistake(name, says, lambda cases: _trained(loss_and_grad, lr=-cases["short"]["lr"])(cases))


def step_before_backward(name, says, loss_and_grad):
    """Each epoch steps before its backward pass: the first step has no gradient yet and each later
    one uses the previous epoch's, so the losses are plain SGD's and the last gradient is never used."""

    def predict(run):
        values, _ = _descent(loss_and_grad, run)
        _, params = _descent(loss_and_grad, run, epochs=run["epochs"] - 1)
        return {"out": losses(values), "params": params}

    return Mistake(name, says, _short_run(predict))


def running_total(name, says, loss_and_grad):
    """Training is right, but each entry of the list is the sum of the losses so far."""

    def predict(run):
        values, params = _descent(loss_and_grad, run)
        totals = [math.fsum(values[: k + 1]) for k in range(len(values))]
        return {"out": losses(totals), "params": params}

    return Mistake(name, says, _short_run(predict))


def other_loss(name, says, *loss_and_grads):
    """Training minimises another loss (each of ``loss_and_grads``: the usual codings)."""

    def predict(cases):
        return {"probes": [Either(_trained(lg)(cases)["probes"][0] for lg in loss_and_grads), ANY]}

    return Mistake(name, says, predict)


# -- behaviours: what every coding of a mistake shows, read from the short run -----------------
def never_moves(name, says):
    """Every parameter ends where it started, and every epoch's loss is the first one."""

    def shows(cases, observed):
        run, got = cases["short"], _short(observed)
        values = returned_losses(run, got) or []
        return (
            all(_same(p, s) for p, s in zip(got["params"], run["start"], strict=True))
            and len(values) > 1
            and all(_same(v, values[0]) for v in values)
        )

    return behaves(name, says, shows)


def some_never_move(name, says):
    """Some parameters end exactly where they started while the others move."""

    def shows(cases, observed):
        run, got = cases["short"], _short(observed)
        still = [_same(p, s) for p, s in zip(got["params"], run["start"], strict=True)]
        return any(still) and not all(still)

    return behaves(name, says, shows)


def epochs_off_by_one(name, says):
    """Both runs return one loss too few, or both one too many."""

    def shows(cases, observed):
        lengths = [probe["out"].get("length") for probe in observed["probes"]]
        asked = [cases["short"]["epochs"], cases["full"]["epochs"]]
        return any(lengths == [a + k for a in asked] for k in (-1, 1))

    return behaves(name, says, shows)


def one_loss_only(name, says):
    """Each run returns a single loss (a number, or a list of one) where it trained many epochs."""

    def shows(cases, observed):
        outs = [probe["out"] for probe in observed["probes"]]
        return all(out["kind"] in ("float", "int") or out.get("length") == 1 for out in outs)

    return behaves(name, says, shows)


def in_place_on_a_leaf(name, says):
    """The parameters were changed in place where autograd follows them: torch refuses."""

    def shows(cases, observed):
        error = _short(observed).get("error", "")
        return "leaf Variable that requires grad" in error and "in-place" in error

    return behaves(name, says, shows)
