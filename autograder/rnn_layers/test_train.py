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

from autograder import checks, graders
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
    probes = [
        {
            "params": case["start"],
            "args": [
                {"tensor": case["signal"]},
                {"tensor": case["target"]},
                {"value": case["epochs"]},
                {"value": case["lr"]},
            ],
            "after": True,
        }
        for case in (cases["short"], cases["full"])
    ]
    return dict(graders.probes_program(ASSIGNMENT, TASK, [], uses=USES), probes=probes)


def _call_text(case):
    return f"train(SIGNAL, TARGET, {case['epochs']}, {case['lr']}) from {ref.params_text(case['start'])}"


def _returned(cases, observed, run):
    case, got = cases[run], _runs(cases, observed)[run]
    if "error" in got or checks.losses_problem("", got, case["epochs"]):
        return None
    return case, got, [item["value"] for item in got["out"]["items"]]


def test_returns_one_float_per_epoch(cases, observed):
    for run, got in _runs(cases, observed).items():
        call = _call_text(cases[run])
        assert "error" not in got, f"{call}: raised {got.get('error')}"
        problem = checks.losses_problem(call, got, cases[run]["epochs"])
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
        return
    case, got, losses = returned
    call = _call_text(case)
    expected_losses, expected_params = ref.sgd(
        case["start"], case["signal"], case["target"], case["epochs"], case["lr"]
    )
    rtol, atol = SETTINGS["train_check_rtol"], SETTINGS["train_check_atol"]
    for epoch, (g, e) in enumerate(zip(losses, expected_losses)):
        assert abs(g - e) <= atol + rtol * abs(e), (
            f"{call}: the loss of epoch {epoch} is {g:.6g}, expected {e:.6g} for plain SGD "
            "(the first value is the loss before any update)"
        )
    for name, g, e in zip(ref.PARAM_NAMES, got["params"], expected_params):
        assert abs(g - e) <= atol + rtol * abs(e), (
            f"{call}: after the last epoch {name} is {g:.6g}, expected {e:.6g} for plain SGD "
            "(does the optimizer update all six parameters?)"
        )


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
    """For the feedback page: the loss of every epoch of the full run, the student's
    (None when train did not return one float per epoch) and the reference's."""
    returned = _returned(cases, observed, "full")
    return {"losses": returned and returned[2], "reference": _reference_losses()}
