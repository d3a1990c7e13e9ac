"""The ways of training that typical mistakes amount to, as known mistakes of a `train` task
(``autograder.grading.diagnosis``), computed with ``training.steps``.

Each predicts the short run only (``cases["short"]``): it is enough to tell the mistakes apart,
and a prediction of the full run would cost seconds per class.
"""

import functools
import math
import threading

from autograder.grading.diagnosis import ANY, Either, Lazy, Mistake, behaves
from autograder.grading.training import returned_losses, steps


def _short_run(predict_run):
    """A prediction of a train task's observation from one of its short run."""
    return lambda cases: {"probes": [predict_run(cases["short"]), ANY]}


class _Run:
    """A short run as ``how`` trains (``training.steps``' keywords, and ``epochs`` more or fewer),
    computed only as far as a comparison asks: a way of training that parts from what came back
    at its second epoch costs two of its epochs.  Shared by the threads that judge notebooks."""

    def __init__(self, loss_and_grad, run, epochs=None, **how):
        lg = lambda params: loss_and_grad(params, run["signal"], run["target"])  # noqa: E731
        lr = how.pop("lr", run["lr"])
        self.start, self.epochs = run["start"], run["epochs"] if epochs is None else epochs
        self._taken = steps(lg, run["start"], self.epochs, lr, **how)
        self._seen, self._lock = [], threading.Lock()

    def loss(self, epoch):
        """The loss before the step of this epoch (from 0)."""
        return self._epoch(epoch)[0]

    def params(self, steps_taken):
        """The parameters after that many steps, lazily (a list to compare)."""
        at = lambda k: self.start[k] if steps_taken == 0 else self._epoch(steps_taken - 1)[1][k]  # noqa: E731
        return Lazy(functools.partial(at, k) for k in range(len(self.start)))

    def losses(self, value=None, count=None):
        """The returned list of ``count`` floats (default: one per epoch), lazily: each epoch's loss,
        or ``value(epoch)``."""
        value, count = value or self.loss, self.epochs if count is None else count
        items = Lazy(functools.partial(lambda e: {"kind": "float", "value": value(e)}, e) for e in range(count))
        return {"kind": "list", "length": count, "items": items}

    def _epoch(self, epoch):
        with self._lock:
            while len(self._seen) <= epoch:
                self._seen.append(next(self._taken))
            return self._seen[epoch]


def _trained(loss_and_grad, **how):
    """The short run as ``how`` trains: the losses it returns and the parameters it ends at."""

    def predict(run):
        taken = _Run(loss_and_grad, run, **how)
        return {"out": taken.losses(), "params": taken.params(taken.epochs)}

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
        taken = _Run(loss_and_grad, run, epochs=run["epochs"] + 1)
        calls = {function: 2 * run["epochs"] for function in functions}
        out = taken.losses(lambda epoch: taken.loss(epoch + 1), count=run["epochs"])
        return {"out": out, "params": taken.params(run["epochs"]), "calls": calls}

    return Mistake(name, says, _short_run(predict))


def tensors_not_floats(name, says, loss_and_grad):
    """The list holds the loss tensors themselves; the training itself is right."""

    def predict(run):
        items = [{"kind": "Tensor"}] * run["epochs"]
        params = _Run(loss_and_grad, run).params(run["epochs"])
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
        taken = _Run(loss_and_grad, run)
        return {"out": taken.losses(), "params": taken.params(run["epochs"] - 1)}

    return Mistake(name, says, _short_run(predict))


def running_total(name, says, loss_and_grad):
    """Training is right, but each entry of the list is the sum of the losses so far."""

    def predict(run):
        taken = _Run(loss_and_grad, run)
        total = lambda epoch: math.fsum(taken.loss(e) for e in range(epoch + 1))  # noqa: E731
        return {"out": taken.losses(total), "params": taken.params(run["epochs"])}

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
