"""Task `train`: plain SGD on BIAS, WEIGHTF, WEIGHTS, one loss per epoch.

`train` runs with reference versions of `cell`, `batched_model` and
`partial_sum_loss`, so only its own mistakes cost its points.  The graders set
the starting values themselves (course_config.TRAIN_START): from the tutorial's
random start plain SGD does not always converge.

Checks: it returns one Python float per epoch; a short run follows plain SGD step
by step (the loss before each step, and the parameters after), so a missing
``zero_grad``, a wrong learning rate or a wrong optimizer shows; it calls
`batched_model` and `partial_sum_loss` once per epoch; a full run converges to
BIAS=0, WEIGHTF=1, WEIGHTS=1.
"""

import functools

import course_config as config
from autograder import reference as ref
from autograder import tasks

TASK = "train"
USES = ["cell", "batched_model", "partial_sum_loss"]


def _run(rng, samples, epochs, lr):
    signal = ref.uniform(rng, (config.TRAIN_FRAMES, samples))
    target = [[ref.f32(sum(column[: i + 1])) for column in zip(*signal)] for i in range(len(signal))]
    return {
        "signal": signal, "target": target, "epochs": epochs, "lr": lr,
        "start": [ref.f32(v) for v in config.TRAIN_START],
    }


def cases():
    rng = ref.rng_for(TASK)
    return {
        "short": _run(rng, 20, config.TRAIN_CHECK_EPOCHS, config.TRAIN_CHECK_LR),
        "full": _run(rng, config.TRAIN_SAMPLES, config.TRAIN_EPOCHS, config.TRAIN_LR),
    }


def program(cases):
    """One probe per run: train(SIGNAL, TARGET, epochs, lr) from the graders' start, reporting
    the returned list, the parameters afterwards and the calls of the earlier functions."""
    probes = [
        {
            "params": case["start"],
            "args": [{"tensor": case["signal"]}, {"tensor": case["target"]},
                     {"value": case["epochs"]}, {"value": case["lr"]}],
            "after": True,
        }
        for case in cases.values()
    ]
    return dict(tasks.probes_program(TASK, [], uses=USES), probes=probes)


def _runs(cases, observed):
    """{run: what came back of it}, in the order of ``cases``."""
    return dict(zip(cases, observed["probes"], strict=True))


def _call_text(case):
    return (
        f"train(SIGNAL, TARGET, {case['epochs']}, {case['lr']}) from "
        f"{ref.params_text(case['start'])}"
    )


def _losses_problem(call, got, epochs):
    """A message if train did not return one Python float per epoch."""
    losses = got["out"]
    if losses["kind"] not in ("list", "tuple"):
        return f"{call}: expected a list of {epochs} floats, got a {losses['kind']}"
    items = losses["items"]
    if losses["length"] != epochs:
        return f"{call}: expected a list of {epochs} losses (one per epoch), got {losses['length']}"
    for i, item in enumerate(items):
        if item["kind"] != "float":
            return (
                f"{call}: item {i} of the list is a {item['kind']}, expected a Python float "
                f"(LOSS.item() gives one)"
            )
    return None


def judge(cases, observed):
    messages = []
    runs = _runs(cases, observed)
    for run, case in cases.items():
        got, call = runs[run], _call_text(case)
        if "error" in got:
            messages.append(f"{call}: raised {got['error']}")
            continue
        problem = _losses_problem(call, got, case["epochs"])
        if problem:
            messages.append(problem)
            continue
        losses = [item["value"] for item in got["out"]["items"]]
        if run == "short":
            messages += _judge_steps(call, case, got, losses)
        else:
            messages += _judge_convergence(call, got)
    return messages


def _judge_steps(call, case, got, losses):
    expected_losses, expected_params = ref.sgd(
        case["start"], case["signal"], case["target"], case["epochs"], case["lr"]
    )
    rtol, atol = config.TRAIN_CHECK_RTOL, config.TRAIN_CHECK_ATOL
    for name in ("batched_model", "partial_sum_loss"):
        if got["calls"].get(name) != case["epochs"]:
            return [
                f"{call}: called {name} {got['calls'].get(name)} times, expected once per epoch "
                f"({case['epochs']} times)"
            ]
    for epoch, (g, e) in enumerate(zip(losses, expected_losses)):
        if not abs(g - e) <= atol + rtol * abs(e):
            return [
                f"{call}: the loss of epoch {epoch} is {g:.6g}, expected {e:.6g} for plain SGD "
                f"(the first value is the loss before any update)"
            ]
    for name, g, e in zip(ref.PARAM_NAMES, got["params"], expected_params):
        if not abs(g - e) <= atol + rtol * abs(e):
            return [f"{call}: after the last epoch {name} is {g:.6g}, expected {e:.6g} for plain SGD"]
    return []


def _judge_convergence(call, got):
    far = [
        f"{name} ended at {g:.4g}"
        for name, g, target in zip(ref.PARAM_NAMES, got["params"], config.TRAIN_TARGET)
        if not abs(g - target) <= config.TRAIN_TOLERANCE
    ]
    if far:
        targets = ref.params_text(config.TRAIN_TARGET)
        return [
            f"{call}: expected every parameter within {config.TRAIN_TOLERANCE} of {targets}, "
            f"but {', '.join(far)}"
        ]
    return []


@functools.cache
def _reference_losses():
    case = cases()["full"]
    return ref.sgd(case["start"], case["signal"], case["target"], case["epochs"], case["lr"])[0]


def details(cases, observed):
    """For the feedback page: the loss of every epoch of the full run, the student's
    (None when train did not return one float per epoch) and the reference's."""
    full = _runs(cases, observed)["full"] if isinstance(observed, dict) and "probes" in observed else {}
    losses = None
    if "out" in full and _losses_problem("", full, cases["full"]["epochs"]) is None:
        losses = [item["value"] for item in full["out"]["items"]]
    return {"losses": losses, "reference": _reference_losses()}
