"""rnn_layers: the known mistakes of `model` (the package's docstring says how they work)."""

import math
from itertools import permutations

from autograder.assignments.rnn_layers import reference as ref
from autograder.assignments.rnn_layers.mistakes import unroll as u
from autograder.assignments.rnn_layers.mistakes.layer import right_states
from autograder.grading import diagnosis as d
from autograder.grading.diagnosis import Mistake, behaves


# -- model(SIGNAL): layer 2 on layer 1 -------------------------------------------------------
def _model(states, unused=(), no_gradient=False):
    """Predict model's probes from a mistaken ``states(params, signal)`` over the six parameters."""

    def one(probe):
        params, signal = probe["params"], probe["args"][0]
        grad = None
        if probe["grad"]:
            grad = d.NO_GRADIENT if no_gradient else d.gradient(lambda p: states(p, signal), params, unused)
        return d.returns(states(params, signal), grad)

    return lambda cases: {"probes": d.lazily(cases, one)}


def _unless_right(predict):
    """The prediction, unless on these inputs it is what a right `model` returns: then none."""

    def guarded(cases):
        predicted = predict(cases)
        if d.agrees(predicted, _right(cases), u.RTOL, u.ATOL):
            return {"probes": lambda probes: False}
        return predicted

    return guarded


@u.last_cases
def _right(cases):
    """What a right `model` returns on the task's probes, its gradients exact."""
    probes = []
    for probe in cases["probes"]:
        values, grads = ref.model(probe["params"], probe["args"][0])
        probes.append(d.returns(values, grads if probe["grad"] else None))
    return {"probes": probes}


def _either(*predicts):
    """The codings of one mistake that give different numbers (each one over every probe)."""
    return lambda cases: {"probes": d.Either(p(cases)["probes"] for p in predicts)}


def _layers(first, second):
    """Two layers: ``first`` and ``second`` pick each one's parameters from the six."""
    return lambda p, s: right_states(second(p), right_states(first(p), s))


def _layer1(p):
    return p[:3]


def _layer2(p):
    return p[3:]


LAYER_CHOICES = ((0, 1), (0,), (1,))  # both layers, layer 1 only, layer 2 only


def _two_layers(params, signal):
    return ref.model(params, signal)[0]


def _wired(source):
    """Both layers, run on the parameters at the indexes ``source`` (of the six) in place of their own;
    the gradient of each parameter is the sum of those of the places it takes (none: unused)."""

    def one(probe):
        params, signal = probe["params"], probe["args"][0]
        values, grads = ref.model([params[k] for k in source], signal)
        grad = None
        if probe["grad"]:
            grad = [math.fsum(g for g, k in zip(grads, source) if k == i) if i in source else None for i in range(6)]
        return d.returns(values, grad)

    return lambda cases: {"probes": d.lazily(cases, one)}


def _passed(order, layers):
    """Both layers, each of ``layers`` given its parameters in this order."""
    return _wired([3 * layer + (order[r] if layer in layers else r) for layer in (0, 1) for r in range(3)])


def _model_grad(states, grad):
    """Predict model's probes from ``states(params, signal)`` and their gradient ``grad(params, signal)``."""

    def one(probe):
        params, signal = probe["params"], probe["args"][0]
        return d.returns(states(params, signal), grad(params, signal) if probe["grad"] else None)

    return lambda cases: {"probes": d.lazily(cases, one)}


def _running_totals(rows):
    out, total = [], [0.0] * len(rows[0])
    for row in rows:
        total = [a + b for a, b in zip(total, row)]
        out.append(total)
    return out


def _both_layers(cases):
    """Both layers' activities: a tuple or list of the two, or one tensor of all their values (stacked
    or concatenated, along any dimension, either way round) and the gradient of their sum."""
    two = {"out": {"kind": d.Either(("tuple", "list")), "length": 2, "items": [{"kind": "Tensor"}] * 2}}
    joined = []
    for probe in cases["probes"]:
        params, signal = probe["params"], probe["args"][0]
        first = right_states(_layer1(params), signal)
        values = sorted(ref.flat(first) + ref.flat(right_states(_layer2(params), first)))
        record = {"out": _holding(values)}
        if probe["grad"]:
            record["grad"] = {"params": _both_gradient(params, signal)}
        joined.append(record)
    return {"probes": d.Either([[two] * len(cases["probes"]), joined])}


def _holding(values):
    """Whether a returned tensor holds these values (sorted), in whatever layout."""
    return lambda out: out["kind"] == "tensor" and u.close([sorted(out["values"])], [values])


def _both_gradient(params, signal):
    """The gradient of the sum of both layers' activities."""
    first = ref.layer(_layer1(params), signal)[1]
    return [a + b for a, b in zip(first + [0.0] * 3, ref.model(params, signal)[1])]


def _borrowed(layer, role):
    """Both layers, where ``layer`` (0 or 1) has the other layer's parameter in the place ``role``."""
    source = list(range(6))
    source[3 * layer + role] = 3 * (1 - layer) + role
    return _wired(source)


def _ignores_its_argument(cases, observed):
    """Every probe of one set of parameters returns the same tensor, though their signals differ."""
    outs = {}
    for probe, got in zip(cases["probes"], observed["probes"], strict=True):
        if got["out"]["kind"] != "tensor":
            return False
        outs.setdefault(tuple(probe["params"]), []).append(got["out"])
    return all(
        len(group) > 1
        and all(o["shape"] == group[0]["shape"] and u.close([o["values"]], [group[0]["values"]]) for o in group)
        for group in outs.values()
    )


MODEL = [
    Mistake(
        "layer_2_fed_the_signal",
        "Your `model` gives layer 2 the signal itself: what should layer 2 add up?",
        _model(lambda p, s: right_states(_layer2(p), s), unused=(0, 1, 2)),
    ),
    Mistake(
        "layer_1_parameters_twice",
        "Your `model` runs both layers with layer 1's parameters: which parameters belong to layer 2?",
        _model(_layers(_layer1, _layer1), unused=(3, 4, 5)),
    ),
    Mistake(
        "model_is_one_layer",
        "Your `model` returns layer 1's activities: the network's result is what layer 2 makes of them.",
        _model(lambda p, s: right_states(_layer1(p), s), unused=(3, 4, 5)),
    ),
    Mistake(
        "model_bypasses_the_layers",
        "Your `model` returns the sums of the partial sums whatever the parameters: they are what the "
        "network gives only once trained. Does its result come from your `layer`?",
        _model(lambda p, s: ref.sums_of_partial_sums(s), no_gradient=True),
    ),
    Mistake(
        "layers_in_the_wrong_order",
        "Your `model` runs layer 2's parameters on the signal and layer 1's on the result: "
        "which layer sees the signal first?",
        _model(_layers(_layer2, _layer1)),
    ),
    Mistake(
        "frame_and_state_weights_passed_swapped",
        "Your `model` passes a layer its state weight where `layer` takes the frame weight, and its frame weight "
        "where it takes the state weight: in which order does `layer` take them?",
        _either(*(_unless_right(_passed((0, 2, 1), layers)) for layers in LAYER_CHOICES)),
    ),
    Mistake(
        "bias_passed_as_a_weight",
        "Your `model` passes a layer's parameters to `layer` in another order than it takes them, the bias in "
        "a weight's place: which parameter goes first?",
        _either(
            *(
                _unless_right(_passed(order, layers))
                for order in permutations(range(3))
                if order[0] != 0
                for layers in LAYER_CHOICES
            )
        ),
    ),
    Mistake(
        "layer_1_cut_from_graph",
        "Your `model` returns the right activities, but layer 2 gets layer 1's activities cut from the graph "
        "(`detach()` or `.data`?): how would layer 1's parameters then get a gradient?",
        _model_grad(lambda p, s: ref.model(p, s)[0], lambda p, s: [None] * 3 + ref.model(p, s)[1][3:]),
    ),
    Mistake(
        "second_layer_replaced_by_cumsum",
        "Your `model` adds up layer 1's activities over the frames instead of running layer 2 on them: "
        "a trained layer 2 would do that, but where do `BIAS2`, `WEIGHT2F` and `WEIGHT2S` come in?",
        _unless_right(_model(lambda p, s: _running_totals(right_states(_layer1(p), s)), unused=(3, 4, 5))),
    ),
    Mistake(
        "signal_transposed_for_the_layers",
        "Your `model` transposes SIGNAL before the layers: `layer` takes it frames first, as it comes. "
        "Which dimension of SIGNAL are the frames?",
        _either(
            *(
                _unless_right(
                    _model_grad(
                        lambda p, s, turn=turn: turn(_two_layers(p, u.transposed(s))),
                        lambda p, s: ref.model(p, u.transposed(s))[1],
                    )
                )
                for turn in (u.transposed, lambda rows: rows)
            )
        ),
    ),
    Mistake(
        "model_returns_both_layers",
        "Your `model` returns the activities of both layers: the network's result is layer 2's alone. "
        "Which of them does the task ask for?",
        _both_layers,
    ),
    Mistake(
        "one_parameter_from_the_other_layer",
        "Your `model` gives one layer a parameter of the other layer (a 1 typed for a 2, or a 2 for a 1?): "
        "which parameters does each call of `layer` get?",
        _either(*(_unless_right(_borrowed(layer, role)) for layer in (0, 1) for role in range(3))),
    ),
    behaves(
        "model_ignores_its_argument",
        "Your `model` returns the same whatever signal it is given: it computes on another tensor than its "
        "argument (a `SIGNAL` of the notebook?). What does it pass to layer 1?",
        _ignores_its_argument,
    ),
]
