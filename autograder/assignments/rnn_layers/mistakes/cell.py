"""rnn_layers: the known mistakes of `cell` (the package's docstring says how they work)."""

import math

from autograder.grading import diagnosis as d
from autograder.grading.diagnosis import Mistake


def given_gradient(f, given, unused=()):
    """The gradients of the parameters passed to a function, as the probe describes them."""
    return [None if g is None else d.tensor(g) for g in d.gradient(f, given, unused)]


# -- cell(FRAME, STATE, BIAS, WEIGHTF, WEIGHTS) ------------------------------------------------
def _cell(formula, unused=(), notebook=False):
    """Predict cell's probes from a mistaken formula(b, wf, ws, x, s) on floats, over the
    parameters passed to cell (``notebook``: over the notebook's BIAS1, WEIGHT1F, WEIGHT1S)."""

    def predict(cases):
        probes = []
        for probe in cases["probes"]:
            frame, state, *given = probe["args"]
            point = probe["params"][:3] if notebook else given

            def f(params, frame=frame, state=state):
                if isinstance(frame, list):
                    return [formula(*params, x, s) for x, s in zip(frame, state)]
                return formula(*params, frame, state)

            grads = [None] * 3 if notebook else given_gradient(f, given, unused)
            probes.append({"out": d.tensor(f(point)), "grad": {"args": grads}})
        return {"probes": probes}

    return predict


def _linear(b, wf, ws, x, s):
    return b + x * wf + s * ws


CELL = [
    Mistake(
        "cell_reads_layer_1_globals",
        "Your `cell` computes with `BIAS1`, `WEIGHT1F` and `WEIGHT1S` instead of the parameters it is given: "
        "how would layer 2 then get its own?",
        _cell(_linear, notebook=True),
    ),
    Mistake(
        "state_weight_swapped_with_frame_weight",
        "Your `cell` returns what it would with the frame weight and the state weight swapped: "
        "which weight belongs to the frame, and which to the state?",
        _cell(lambda b, wf, ws, x, s: b + x * ws + s * wf),
    ),
    Mistake(
        "tanh_activation_function",
        "Your `cell` squashes its activation (with `tanh`?): this network has no activation function, "
        "so its activity is the activation itself.",
        _cell(lambda b, wf, ws, x, s: math.tanh(b + x * wf + s * ws)),
    ),
    Mistake(
        "layer_cell_without_bias",
        "Your `cell` returns what a cell without its `BIAS` would: does it add the bias it is given?",
        _cell(lambda b, wf, ws, x, s: x * wf + s * ws, unused=(0,)),
    ),
    Mistake(
        "layer_2_parameter_without_grad",
        "A parameter was created without `requires_grad=True`: autograd computes no gradient for it, "
        "so training could never change it.",
        lambda cases: {"params": d.param_problem("does not have requires_grad=True")},
    ),
]
