"""Task `train`: plain SGD on BIAS, WEIGHTF, WEIGHTS, one loss per epoch.

`train` runs with reference versions of `cell`, `batched_model` and
`partial_sum_loss`, so only its own mistakes cost its points.  The graders set
the starting values themselves (train_start in course_config.py): from the tutorial's
random start plain SGD does not always converge.

Checks: it returns one Python float per epoch; a short run follows plain SGD step
by step (the loss before each step, and the parameters after), so a missing
``zero_grad``, a wrong learning rate or a wrong optimizer shows; it calls
`batched_model` and `partial_sum_loss` once per epoch; a full run converges to
BIAS=0, WEIGHTF=1, WEIGHTS=1.

PYTEST_DONT_REWRITE: the assert messages are what the student reads.
"""

import functools

from autograder import graders, training
from autograder.rnn_sum import ASSIGNMENT, SETTINGS
from autograder.rnn_sum import reference as ref

TASK = "train"
USES = ["cell", "batched_model", "partial_sum_loss"]


def _run(rng, samples, epochs, lr):
    signal = ref.uniform(rng, (SETTINGS["train_frames"], samples))
    target = [[ref.f32(sum(column[: i + 1])) for column in zip(*signal)] for i in range(len(signal))]
    return {
        "signal": signal,
        "target": target,
        "epochs": epochs,
        "lr": lr,
        "start": [ref.f32(v) for v in SETTINGS["train_start"]],
    }


def cases():
    rng = ref.rng_for(TASK)
    return {
        "short": _run(rng, 20, SETTINGS["train_check_epochs"], SETTINGS["train_check_lr"]),
        "full": _run(rng, SETTINGS["train_samples"], SETTINGS["train_epochs"], SETTINGS["train_lr"]),
    }


def program(cases):
    """One probe per run: train(SIGNAL, TARGET, epochs, lr) from the graders' start."""
    return dict(graders.probes_program(ASSIGNMENT, TASK, [], uses=USES), probes=training.train_probes(cases.values()))


def _runs(cases, observed):
    """{run: what came back of it}, in the order of ``cases``."""
    return dict(zip(cases, observed["probes"], strict=True))


def _call_text(case):
    return training.train_call(case, ref.params_text)


def _returned(cases, observed, run):
    """(case, what came back, the losses) of a run that returned one float per epoch, else None."""
    case, got = cases[run], _runs(cases, observed)[run]
    losses = training.returned_losses(case, got)
    return None if losses is None else (case, got, losses)


def test_returns_one_float_per_epoch(cases, observed):
    for run, got in _runs(cases, observed).items():
        problem = training.run_problem(_call_text(cases[run]), cases[run], got)
        assert problem is None, problem


def test_calls_batched_model_and_partial_sum_loss_once_per_epoch(cases, observed):
    returned = _returned(cases, observed, "short")
    if returned is None:
        return  # reported above
    case, got, _ = returned
    for name in ("batched_model", "partial_sum_loss"):
        calls = got["calls"].get(name)
        assert calls == case["epochs"], (
            f"{_call_text(case)}: called {name} {calls} times, expected once per epoch ({case['epochs']} times)"
        )


def test_follows_plain_sgd_step_by_step(cases, observed):
    returned = _returned(cases, observed, "short")
    if returned is None:
        return  # reported above
    case, got, losses = returned
    expected = ref.sgd(case["start"], case["signal"], case["target"], case["epochs"], case["lr"])
    message = training.sgd_departure(
        _call_text(case),
        losses,
        got["params"],
        expected,
        ref.PARAM_NAMES,
        SETTINGS["train_check_rtol"],
        SETTINGS["train_check_atol"],
    )
    assert message is None, message


def test_converges_to_the_adding_cell(cases, observed):
    returned = _returned(cases, observed, "full")
    if returned is None:
        return
    case, got, _ = returned
    tolerance, targets = SETTINGS["train_tolerance"], SETTINGS["train_target"]
    far = [
        f"{name} ended at {g:.4g}"
        for name, g, target in zip(ref.PARAM_NAMES, got["params"], targets)
        if not abs(g - target) <= tolerance
    ]
    assert not far, (
        f"{_call_text(case)}: expected every parameter within {tolerance} of {ref.params_text(targets)}, "
        f"but {', '.join(far)}"
    )


@functools.cache
def _reference_losses():
    case = cases()["full"]
    return ref.sgd(case["start"], case["signal"], case["target"], case["epochs"], case["lr"])[0]


def details(cases, observed):
    """For the feedback page: the student's loss of every epoch of the full run (None when
    train did not return one float per epoch)."""
    returned = _returned(cases, observed, "full")
    return {"losses": returned and returned[2]}


def reference(cases):
    """Drawn beside every student's curve: the reference run's loss per epoch (computed once,
    and only for a page)."""
    return {"reference": _reference_losses()}
