"""rnn_layers: the known mistakes of `model` (the package's docstring says how they work)."""

from autograder.assignments.rnn_layers import reference as ref
from autograder.assignments.rnn_layers.mistakes.layer import right_states
from autograder.grading import diagnosis as d
from autograder.grading.diagnosis import Mistake


# -- model(SIGNAL): layer 2 on layer 1 -------------------------------------------------------
def _model(states, unused=(), no_gradient=False):
    """Predict model's probes from a mistaken ``states(params, signal)`` over the six parameters."""

    def predict(cases):
        probes = []
        for probe in cases["probes"]:
            params, signal = probe["params"], probe["args"][0]
            grad = None
            if probe["grad"]:
                grad = d.NO_GRADIENT if no_gradient else d.gradient(lambda p: states(p, signal), params, unused)
            probes.append(d.returns(states(params, signal), grad))
        return {"probes": probes}

    return predict


def _layers(first, second):
    """Two layers: ``first`` and ``second`` pick each one's parameters from the six."""
    return lambda p, s: right_states(second(p), right_states(first(p), s))


def _layer1(p):
    return p[:3]


def _layer2(p):
    return p[3:]


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
]
