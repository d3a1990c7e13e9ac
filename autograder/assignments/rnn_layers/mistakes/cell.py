"""rnn_layers: the known mistakes of `cell` (the package's docstring says how they work)."""

import math

from autograder import settings as config
from autograder.grading import diagnosis as d
from autograder.grading.diagnosis import Mistake


def given_gradient(f, given, unused=()):
    """The gradients of the parameters passed to a function, as the probe describes them."""
    return [None if g is None else d.tensor(g) for g in d.gradient(f, given, unused)]


# -- cell(FRAME, STATE, BIAS, WEIGHTF, WEIGHTS) ------------------------------------------------
def _cell(formula, unused=(), notebook=False):
    """Predict cell's probes from a mistaken formula(b, wf, ws, x, s) on floats, over the
    parameters passed to cell (``notebook``: over the notebook's BIAS1, WEIGHT1F, WEIGHT1S)."""

    def one(probe):
        frame, state, *given = probe["args"]
        point = probe["params"][:3] if notebook else given

        def f(params, frame=frame, state=state):
            if isinstance(frame, list):
                return [formula(*params, x, s) for x, s in zip(frame, state)]
            return formula(*params, frame, state)

        grads = [None] * 3 if notebook else given_gradient(f, given, unused)
        return {"out": d.tensor(f(point)), "grad": {"args": grads}}

    return lambda cases: {"probes": d.lazily(cases, one)}


def _linear(b, wf, ws, x, s):
    return b + x * wf + s * ws


def _unless_right(predict):
    """A prediction that never agrees where the mistake gives what the task asks on these inputs
    (a ReLU whose activations all came out positive): a right answer is never named."""

    def guarded(cases):
        predicted, right = predict(cases), _cell(_linear)(cases)
        settings = config.assignment("rnn_layers")
        if d.agrees(predicted, right, settings["diagnosis_rtol"], settings["diagnosis_atol"]):
            return {"probes": lambda probes: False}
        return predicted

    return guarded


def _either(*predicts):
    """The codings of one mistake that give different numbers (each one over every probe)."""
    return lambda cases: {"probes": d.Either(p(cases)["probes"] for p in predicts)}


def _returns_two(cases):
    """Each probe returns a tuple or list of two tensors."""
    two = {"kind": d.Either(("tuple", "list")), "length": 2, "items": [{"kind": "Tensor"}] * 2}
    return {"probes": [{"out": two} for _ in cases["probes"]]}


def _same_values_no_gradient(cases):
    """The right values, computed where autograd does not follow them."""
    return {"probes": [{"out": p["out"], "grad": d.NO_GRADIENT} for p in _cell(_linear)(cases)["probes"]]}


def _given_without_effect(cases, observed):
    """A behaviour: a parameter ``cell`` is given never changes what it returns (no gradient, or
    always zero)."""
    grads = [got["grad"]["args"] for got in observed["probes"] if "args" in got.get("grad", {})]
    unmoved = lambda g: g is None or not any(g["values"])  # noqa: E731
    return bool(grads) and any(all(unmoved(g[i]) for g in grads) for i in range(len(grads[0])))


CELL = [
    d.behaves(
        "a_given_parameter_has_no_effect",
        "One of the `BIAS`, `WEIGHTF` and `WEIGHTS` your `cell` is given never changes what it returns: "
        "does each of them have its place in your formula?",
        _given_without_effect,
    ),
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
    Mistake(
        "parameters_not_leaf_tensors",
        "A parameter is the result of a computation (scaled, or unpacked from one tensor), not a tensor you created: "
        "the optimizer can only update a leaf. Where does each of `BIAS1` ... `WEIGHT2S` come from?",
        lambda cases: {"params": d.param_problem("not a leaf tensor you created")},
    ),
    Mistake(
        "parameters_of_shape_one",
        "Your parameters hold one number in a dimension of size 1, shape `(1,)`: the task asks for 0-dim tensors, "
        "shape `()`. What shape did you ask `torch` for?",
        lambda cases: {"params": d.param_problem("has shape (1,) instead of ()")},
    ),
    Mistake(
        "state_weight_left_out",
        "Your `cell` adds STATE as it is, without weighting it: what is `WEIGHTS` for?",
        _unless_right(_cell(lambda b, wf, ws, x, s: b + x * wf + s, unused=(2,))),
    ),
    Mistake(
        "relu_activation_function",
        "Your `cell` clips negative activations to 0 (a ReLU?): this network has no activation function, "
        "so its activity is the activation itself.",
        _unless_right(_cell(lambda b, wf, ws, x, s: max(0.0, b + x * wf + s * ws))),
    ),
    Mistake(
        "sigmoid_activation_function",
        "Your `cell` squashes its activation between 0 and 1 (a sigmoid?): this network has no activation "
        "function, so its activity is the activation itself.",
        _cell(lambda b, wf, ws, x, s: 1.0 / (1.0 + math.exp(-(b + x * wf + s * ws)))),
    ),
    Mistake(
        "one_weight_for_frame_and_state",
        "Your `cell` weights FRAME and STATE with the same weight: `WEIGHTF` belongs to the frame and "
        "`WEIGHTS` to the state. Which weight multiplies each?",
        _unless_right(
            _either(
                _cell(lambda b, wf, ws, x, s: b + (x + s) * wf, unused=(2,)),
                _cell(lambda b, wf, ws, x, s: b + (x + s) * ws, unused=(1,)),
            )
        ),
    ),
    Mistake(
        "activity_cut_from_graph",
        "Your `cell` returns the right values, but autograd cannot follow them back to the parameters "
        "(`detach()` or `torch.no_grad()`?): how would training then get a gradient?",
        _same_values_no_gradient,
    ),
    Mistake(
        "cell_returns_activation_and_activity",
        "Your `cell` returns two tensors, a tuple or list, where the task asks for one: the activity, "
        "which here is the activation itself. What does `layer` expect back from `cell`?",
        _returns_two,
    ),
    Mistake(
        "bias_inside_the_frame_product",
        "Your `cell` multiplies the bias by `WEIGHTF` along with the frame: the bias is added on its own. "
        "Where do your brackets go?",
        _cell(lambda b, wf, ws, x, s: (b + x) * wf + s * ws),
    ),
]
