"""Task `train`: plain SGD on the six parameters, one loss per epoch.

`train` runs with working `cell`, `layer` and `model`, so only its own mistakes cost its
points.  The graders set the starting values themselves (``train_start`` in course_config.py).

Checks: it returns one Python float per epoch; a short run follows plain SGD step by step
(the loss before each step, and the six parameters after), so a missing ``zero_grad``, a
wrong learning rate or an optimizer over some of the parameters shows; it calls `model` once
per epoch; a full run converges.  Convergence is judged on what the trained network computes
on signals it has not seen (the sums of their partial sums) and on what training pins down,
``WEIGHT1F * WEIGHT2F`` near 1 and ``WEIGHT1S + WEIGHT2S`` near 2, never on one weight alone:
swapping the state weights changes nothing, and the loss is nearly flat along their sum.

PYTEST_DONT_REWRITE: the assert messages are what the student reads.
"""

import functools

from autograder import graders, training
from autograder.rnn_layers import ASSIGNMENT, SETTINGS
from autograder.rnn_layers import reference as ref

TASK = "train"
USES = ["cell", "layer", "model"]


def _run(rng, samples, epochs, lr):
    signal = ref.uniform(rng, (SETTINGS["train_frames"], samples))
    return {
        "signal": signal,
        "target": [[ref.f32(v) for v in row] for row in ref.sums_of_partial_sums(signal)],
        "epochs": epochs,
        "lr": lr,
        "start": [ref.f32(v) for v in SETTINGS["train_start"]],
    }


def cases():
    rng = ref.rng_for(TASK)
    return {
        "short": _run(rng, 20, SETTINGS["train_check_epochs"], SETTINGS["train_check_lr"]),
        "full": _run(rng, SETTINGS["train_samples"], SETTINGS["train_epochs"], SETTINGS["train_lr"]),
        "unseen": ref.uniform(rng, (SETTINGS["train_frames"], 50)),  # judged, never sent
    }


def _runs(cases, observed):
    return dict(zip(("short", "full"), observed["probes"], strict=True))


def program(cases):
    """One probe per run: train(SIGNAL, TARGET, epochs, lr) from the graders' start."""
    runs = (cases["short"], cases["full"])
    return dict(graders.probes_program(ASSIGNMENT, TASK, [], uses=USES), probes=training.train_probes(runs))


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


def test_calls_model_once_per_epoch(cases, observed):
    returned = _returned(cases, observed, "short")
    if returned is None:
        return  # reported above
    case, got, _ = returned
    calls = got["calls"].get("model")
    assert calls == case["epochs"], (
        f"{_call_text(case)}: called model {calls} times, expected once per epoch ({case['epochs']} times)"
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
        hint=" (does the optimizer update all six parameters?)",
    )
    assert message is None, message


def test_the_trained_network_adds_up_the_partial_sums(cases, observed):
    returned = _returned(cases, observed, "full")
    if returned is None:
        return
    case, got, _ = returned
    call = _call_text(case)
    params = got["params"]
    unseen = cases["unseen"]
    error = ref.mse(ref.model(params, unseen)[0], ref.sums_of_partial_sums(unseen))
    assert error <= SETTINGS["train_unseen_mse"], (
        f"{call}: on signals it was not trained on, the trained network's mean squared error is {error:.3g}, "
        f"expected at most {SETTINGS['train_unseen_mse']:g} (it ended at {ref.params_text(params)})"
    )
    tolerance = SETTINGS["train_invariant_tolerance"]
    product, total = params[1] * params[4], params[2] + params[5]
    assert abs(product - 1) <= tolerance and abs(total - 2) <= tolerance, (
        f"{call}: expected WEIGHT1F * WEIGHT2F within {tolerance:g} of 1 and WEIGHT1S + WEIGHT2S within "
        f"{tolerance:g} of 2, got {product:.4g} and {total:.4g}"
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
