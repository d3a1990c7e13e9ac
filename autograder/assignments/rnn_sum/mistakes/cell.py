"""rnn_sum: the known mistakes of `cell` (the package's docstring says how they work)."""

from autograder.grading import diagnosis as d
from autograder.grading.diagnosis import Mistake


# -- cell: one step, over 0-dim or (samples,) FRAME and STATE ---------------------------------
def _cell(formula, unused=()):
    """Predict cell's probes from a mistaken formula(b, wf, ws, x, s) on floats; ``unused``:
    the parameters (by index) it does not use, which get no gradient."""

    def predict(cases):
        probes = []
        for probe in cases["probes"]:
            frame, state = probe["args"]

            def f(params, frame=frame, state=state):
                if isinstance(frame, list):
                    return [formula(*params, x, s) for x, s in zip(frame, state)]
                return formula(*params, frame, state)

            probes.append(d.returns(f(probe["params"]), d.gradient(f, probe["params"], unused)))
        return {"probes": probes}

    return predict


def _parameters(words):
    return lambda cases: {"params": d.param_problem(words)}


CELL = [
    Mistake(
        "forgotten_bias",
        "Your `cell` returns what a cell without `BIAS` would: does it add the bias?",
        _cell(lambda b, wf, ws, x, s: x * wf + s * ws, unused=(0,)),
    ),
    Mistake(
        "swapped_weights",
        "Your `cell` returns what it would with `WEIGHTF` and `WEIGHTS` swapped: "
        "which weight belongs to the frame, and which to the state?",
        _cell(lambda b, wf, ws, x, s: b + x * ws + s * wf),
    ),
    Mistake(
        "state_weight_for_the_frame",
        "Your `cell` multiplies the frame by `WEIGHTS`, the state's weight: which weight belongs to the frame?",
        _cell(lambda b, wf, ws, x, s: b + x * ws + s * ws, unused=(1,)),
    ),
    Mistake(
        "cell_ignores_the_state",
        "Your `cell` returns what a cell that leaves out `STATE` would: "
        "where does the state carried from the previous frame come in?",
        _cell(lambda b, wf, ws, x, s: b + x * wf, unused=(2,)),
    ),
    Mistake(
        "parameters_without_grad",
        "A parameter was created without `requires_grad=True`: autograd computes no gradient for it, "
        "so training could never change it.",
        _parameters("does not have requires_grad=True"),
    ),
    Mistake(
        "parameters_as_floats",
        "A parameter is a plain Python number: `BIAS`, `WEIGHTF` and `WEIGHTS` must be tensors, "
        "so that autograd can follow them.",
        _parameters("not a tensor"),
    ),
    Mistake(
        "parameters_with_a_shape",
        "A parameter has a shape of its own, such as (1,): `BIAS`, `WEIGHTF` and `WEIGHTS` are single "
        "numbers, 0-dim tensors. Which shape did you give `torch.randn`?",
        _parameters("instead of ()"),
    ),
]
