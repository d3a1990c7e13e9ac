"""What the train tasks of every assignment share: training as the graders compute it, in
plain Python float64 (plain SGD, what `train` must do), the checks' helpers (the probes of a
run, its messages, where it departs from plain SGD) and the task itself (``train_task``).  The
ways of training that typical mistakes amount to are in ``train_mistakes``.

Each assignment's reference gives ``loss_and_grad(params, signal, target)``: the loss at the
parameters and its gradient.  A train task's cases hold a short run (``cases["short"]``: start,
signal, target, epochs, lr) and a full one; the student's process answers with one probe
record per run, the short run's first.
"""

import math
from types import SimpleNamespace

from autograder.grading import graders
from autograder.grading.checks import close


def descent(loss_and_grad, start, epochs, lr, **how):
    """The loss before each step and the parameters after the last one (``steps`` says how)."""
    out, params = [], list(start)
    for loss, params in steps(loss_and_grad, start, epochs, lr, **how):
        out.append(loss)
    return out, params


def steps(loss_and_grad, start, epochs, lr, rule="sgd", accumulate=False, update=None, momentum=0.0):
    """Each epoch's (loss before its step, parameters after it), computed as they are asked for.

    ``rule`` is "sgd" or "adam" (torch.optim.Adam's defaults); ``accumulate`` adds each
    epoch's gradient to the earlier ones, as when they are never cleared; ``update`` is the
    indexes of the parameters the optimizer was given (default: all); ``momentum`` is SGD's
    (torch's heavy ball, no dampening)."""
    params = list(start)
    total = [0.0] * len(params)
    moment, second = [0.0] * len(params), [0.0] * len(params)
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    for epoch in range(1, epochs + 1):
        loss, grad = loss_and_grad(params)
        if accumulate:
            total = [a + g for a, g in zip(total, grad)]
            grad = total
        for i, g in enumerate(grad):
            if update is not None and i not in update:
                continue
            if rule == "adam":
                moment[i] = beta1 * moment[i] + (1 - beta1) * g
                second[i] = beta2 * second[i] + (1 - beta2) * g * g
                denominator = math.sqrt(second[i]) / math.sqrt(1 - beta2**epoch) + eps
                params[i] -= lr / (1 - beta1**epoch) * moment[i] / denominator
            elif momentum:
                moment[i] = g if epoch == 1 else momentum * moment[i] + g
                params[i] -= lr * moment[i]
            else:
                params[i] -= lr * g
        yield loss, list(params)


def losses_problem(call, got, epochs):
    """A message if a train function did not return one Python float per epoch."""
    losses = got["out"]
    if losses["kind"] not in ("list", "tuple"):
        return f"{call}: expected a list of {epochs} floats, got a {losses['kind']}"
    if losses["length"] != epochs:
        return f"{call}: expected a list of {epochs} losses (one per epoch), got {losses['length']}"
    for i, item in enumerate(losses["items"]):
        if item["kind"] != "float":
            return f"{call}: item {i} of the list is a {item['kind']}, expected a Python float (LOSS.item() gives one)"
    return None


def train_probes(runs):
    """One probe per run (a dict with start, signal, target, epochs, lr): the graders set the
    parameters to the start, call train, and report the list it returns, the parameters
    afterwards and how often it called each stand-in."""
    return [
        {
            "params": run["start"],
            "args": [
                {"tensor": run["signal"]},
                {"tensor": run["target"]},
                {"value": run["epochs"]},
                {"value": run["lr"]},
            ],
            "after": True,
        }
        for run in runs
    ]


def train_call(run, params_text):
    """How messages name a run: ``train(SIGNAL, TARGET, 5, 0.02) from BIAS=0.3, ...``."""
    return f"train(SIGNAL, TARGET, {run['epochs']}, {run['lr']}) from {params_text(run['start'])}"


def run_problem(call, run, got):
    """A message if a run raised or did not return one Python float per epoch, else None."""
    if "error" in got:
        return f"{call}: raised {got['error']}"
    return losses_problem(call, got, run["epochs"])


def returned_losses(run, got):
    """The losses of a run that returned one float per epoch, else None."""
    if run_problem("", run, got) is not None:
        return None
    return [item["value"] for item in got["out"]["items"]]


def sgd_departure(call, losses, params, expected, names, rtol, atol, hint=""):
    """Where a run departs from plain SGD: the first loss, then the first parameter, that is off
    (a message), else None.  ``expected`` is (losses, parameters after the last epoch)."""
    expected_losses, expected_params = expected
    for epoch, (g, e) in enumerate(zip(losses, expected_losses)):
        if not close(g, e, rtol, atol):
            return (
                f"{call}: the loss of epoch {epoch} is {g:.6g}, expected {e:.6g} for plain SGD "
                "(the first value is the loss before any update)"
            )
    for name, g, e in zip(names, params, expected_params):
        if not close(g, e, rtol, atol):
            return f"{call}: after the last epoch {name} is {g:.6g}, expected {e:.6g} for plain SGD{hint}"
    return None


# -- the train task of every assignment -------------------------------------------------------
def train_task(assignment, task, ref, settings, uses, once_per_epoch, target, hint=""):
    """What every assignment's training task (``task``, `train`) shares: its hidden runs (``cases``: a short run
    that must follow plain SGD step by step, a full one that must converge, and signals the
    network was not trained on), the program, the feedback page's data and three checks.  Each
    assignment's test_train.py says what differs: ``ref`` (its reference: ``rng_for``,
    ``uniform``, ``f32``, ``sgd``, ``params_text``, ``PARAM_NAMES``), the functions ``uses``
    that run as stand-ins, those called ``once_per_epoch``, ``target(signal)`` (what training
    fits), a ``hint`` for a departure from SGD, and how convergence is judged (its own test,
    on ``full_run(cases, observed)``)."""

    def run(rng, samples, epochs, lr):
        signal = ref.uniform(rng, (settings["train_frames"], samples))
        return {
            "signal": signal,
            "target": [[ref.f32(v) for v in row] for row in target(signal)],
            "epochs": epochs,
            "lr": lr,
            "start": [ref.f32(v) for v in settings["train_start"]],
        }

    def cases(seed=None):
        rng = ref.rng_for(task, seed)
        return {
            "short": run(rng, 20, settings["train_check_epochs"], settings["train_check_lr"]),
            "full": run(rng, settings["train_samples"], settings["train_epochs"], settings["train_lr"]),
            "unseen": ref.uniform(rng, (settings["train_frames"], 50)),  # judged, never sent
        }

    def program(cases):
        """One probe per run, the short one first: train(SIGNAL, TARGET, epochs, lr) from the graders' start."""
        probes = train_probes([cases["short"], cases["full"]])
        return dict(graders.probes_program(assignment, task, [], uses=uses), probes=probes)

    def call_text(case):
        return train_call(case, ref.params_text)

    def runs(cases, observed):
        return dict(zip(("short", "full"), observed["probes"], strict=True))

    def returned(cases, observed, name):
        """(case, what came back, the losses) of a run that returned one float per epoch, else None."""
        case, got = cases[name], runs(cases, observed)[name]
        losses = returned_losses(case, got)
        return None if losses is None else (case, got, losses)

    def test_returns_one_float_per_epoch(cases, observed):
        for name, got in runs(cases, observed).items():
            problem = run_problem(call_text(cases[name]), cases[name], got)
            assert problem is None, problem

    def test_calls_once_per_epoch(cases, observed):
        short = returned(cases, observed, "short")
        if short is None:
            return  # reported above
        case, got, _ = short
        for function in once_per_epoch:
            calls = got["calls"].get(function)
            assert calls == case["epochs"], (
                f"{call_text(case)}: called {function} {calls} times, expected once per epoch ({case['epochs']} times)"
            )

    test_calls_once_per_epoch.__name__ = f"test_calls_{'_and_'.join(once_per_epoch)}_once_per_epoch"

    def test_follows_plain_sgd_step_by_step(cases, observed):
        short = returned(cases, observed, "short")
        if short is None:
            return  # reported above
        case, got, losses = short
        expected = ref.sgd(case["start"], case["signal"], case["target"], case["epochs"], case["lr"])
        rtol, atol = settings["train_check_rtol"], settings["train_check_atol"]
        message = sgd_departure(call_text(case), losses, got["params"], expected, ref.PARAM_NAMES, rtol, atol, hint)
        assert message is None, message

    def details(cases, observed):
        """For the feedback page: the student's loss of every epoch of the full run (None when
        train did not return one float per epoch)."""
        full = returned(cases, observed, "full")
        return {"losses": full and full[2]}

    def reference(cases):
        """Drawn beside the student's curve: the reference run's loss per epoch on the same inputs
        (only for a page: ``graders.page_details``)."""
        case = cases["full"]
        return {"reference": ref.sgd(case["start"], case["signal"], case["target"], case["epochs"], case["lr"])[0]}

    def full_run(cases, observed):
        """(the words that name the full run, the parameters it ended at), or None when it did not
        return one float per epoch (reported by the first check)."""
        full = returned(cases, observed, "full")
        return None if full is None else (call_text(full[0]), full[1]["params"])

    return SimpleNamespace(
        cases=cases,
        program=program,
        details=details,
        reference=reference,
        full_run=full_run,
        test_returns_one_float_per_epoch=test_returns_one_float_per_epoch,
        test_calls_once_per_epoch=test_calls_once_per_epoch,
        test_follows_plain_sgd_step_by_step=test_follows_plain_sgd_step_by_step,
    )
