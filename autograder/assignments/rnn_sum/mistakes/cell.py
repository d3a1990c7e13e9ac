"""rnn_sum: the known mistakes of `cell` (the package's docstring says how they work)."""

import math

from autograder.grading import diagnosis as d
from autograder.grading.diagnosis import Mistake


# -- cell: one step, over 0-dim or (samples,) FRAME and STATE ---------------------------------
def _cell(formula):
    """Predict cell's values from a mistaken formula(b, wf, ws, x, s) on floats: every coding of
    the formula gives them (its gradients follow from them, and a term times zero would give a
    gradient where the formula has none)."""

    def one(probe):
        frame, state = probe["args"]
        if isinstance(frame, list):
            return {"out": d.tensor([formula(*probe["params"], x, s) for x, s in zip(frame, state)])}
        return {"out": d.tensor(formula(*probe["params"], frame, state))}

    return lambda cases: {"probes": d.lazily(cases, one)}


def _activated(f):
    return _cell(lambda b, wf, ws, x, s: f(b + x * wf + s * ws))


def _parameter_without_effect(cases, observed):
    """A behaviour: some parameter never changes the result (no gradient, or always zero)."""
    grads = [got["grad"]["params"] for got in observed["probes"] if "params" in got.get("grad", {})]
    return bool(grads) and any(all(not g[i] for g in grads) for i in range(len(grads[0])))


def _parameters(words):
    return lambda cases: {"params": d.param_problem(words)}


CELL = [
    d.behaves(
        "a_parameter_has_no_effect",
        "One of `BIAS`, `WEIGHTF` and `WEIGHTS` never changes what your `cell` returns (its gradient is zero): "
        "does each of them have its place in your formula?",
        _parameter_without_effect,
    ),
    Mistake(
        "forgotten_bias",
        "Your `cell` returns what a cell without `BIAS` would: does it add the bias?",
        _cell(lambda b, wf, ws, x, s: x * wf + s * ws),
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
        _cell(lambda b, wf, ws, x, s: b + x * ws + s * ws),
    ),
    Mistake(
        "cell_ignores_the_state",
        "Your `cell` returns what a cell that leaves out `STATE` would: "
        "where does the state carried from the previous frame come in?",
        _cell(lambda b, wf, ws, x, s: b + x * wf),
    ),
    Mistake(
        "frame_weight_for_the_state",
        "Your `cell` multiplies the state by `WEIGHTF`, the frame's weight: which weight belongs to the state?",
        _cell(lambda b, wf, ws, x, s: b + x * wf + s * wf),
    ),
    Mistake(
        "frame_not_weighted",
        "Your `cell` adds the frame as it is, without weighing it: which parameter should the frame be multiplied by?",
        _cell(lambda b, wf, ws, x, s: b + x + s * ws),
    ),
    Mistake(
        "state_not_weighted",
        "Your `cell` adds the state as it is, without weighing it: which parameter should the state be multiplied by?",
        _cell(lambda b, wf, ws, x, s: b + x * wf + s),
    ),
    Mistake(
        "bias_subtracted",
        "Your `cell` subtracts `BIAS` where the formula adds it: check the sign of each term.",
        _cell(lambda b, wf, ws, x, s: -b + x * wf + s * ws),
    ),
    Mistake(
        "bias_inside_the_frame_product",
        "Your `cell` multiplies `BIAS` by `WEIGHTF` along with the frame: what should the bias be added to, "
        "and outside of which product?",
        _cell(lambda b, wf, ws, x, s: (b + x) * wf + s * ws),
    ),
    Mistake(
        "tanh_activation",
        "Your `cell` squashes its result with tanh: this cell must stay linear, or no choice of weights can add "
        "numbers up. What does your `cell` do after the weighted sum?",
        _activated(math.tanh),
    ),
    Mistake(
        "relu_activation",
        "Your `cell` cuts negative results to zero (a ReLU): this cell must stay linear, or it cannot add up "
        "negative frames. What does your `cell` do after the weighted sum?",
        _activated(lambda v: max(v, 0.0)),
    ),
    Mistake(
        "parameters_not_leaf",
        "A parameter is the result of a computation (such as `torch.randn(...) * 0.1` or a `squeeze`), not a "
        "tensor you created: the optimizer needs the tensors autograd starts from. Where does each get made?",
        _parameters("not a leaf tensor"),
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
        "numbers, 0-dim tensors. Which shape did you create it with?",
        _parameters("instead of ()"),
    ),
]
