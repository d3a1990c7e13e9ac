"""Task `model`: layer 2 on top of layer 1.

Checks: a (frames, samples) signal gives (frames, samples) activities of layer 2, for 1 frame,
1 sample and shapes that are not square; with both biases 0 and all weights 1 they are the
sums of the partial sums, ``SIGNAL.cumsum(0).cumsum(0)``, elsewhere the two stacked
recurrences; the gradient reaches all six parameters; `model` calls `layer` twice, layer 1's
parameters on SIGNAL, then layer 2's on layer 1's activities.  It runs with a working `cell`
and `layer`, so their mistakes cost only their own tasks.

PYTEST_DONT_REWRITE: the assert messages are what the student reads.
"""

from autograder.assignments.rnn_layers import ASSIGNMENT, SETTINGS
from autograder.assignments.rnn_layers import reference as ref
from autograder.grading import graders

TASK = "model"
USES = ["cell", "layer"]
SHAPES = [(1, 1), (1, 4), (3, 1), (5, 3), (4, 7)]
EXPECTED_CALLS = [
    {"function": "layer", "args": [{"input": 0}, {"param": "BIAS1"}, {"param": "WEIGHT1F"}, {"param": "WEIGHT1S"}]},
    {"function": "layer", "args": [{"result_of": 0}, {"param": "BIAS2"}, {"param": "WEIGHT2F"}, {"param": "WEIGHT2S"}]},
]


def cases(seed=None):
    rng = ref.rng_for(TASK, seed)

    def label(shape, params, trained):
        what = "the sums of the partial sums, SIGNAL.cumsum(0).cumsum(0)" if trained else "the two recurrences"
        return f"model(SIGNAL) for SIGNAL of shape {shape}, {ref.params_text(params)} ({what})"

    param_sets = [ref.TRAINED, *(ref.random_layer(rng) + ref.random_layer(rng) for _ in range(2))]
    return {"probes": graders.unroll_probes(rng, param_sets, SHAPES, label, ref.uniform)}


def program(cases):
    return graders.probes_program(ASSIGNMENT, TASK, cases["probes"], uses=USES, trace=True)


def test_activities_are_layer_2_on_layer_1(cases, observed):
    for probe, got in zip(cases["probes"], observed["probes"], strict=True):
        values, _ = ref.model(probe["params"], probe["args"][0])
        message = ref.compare_values(
            probe["label"], got, ref.flat(values), ref.shape_of(values), SETTINGS["rtol"], SETTINGS["atol"]
        )
        assert message is None, message


def test_gradients_reach_all_six_parameters(cases, observed):
    for probe, got in zip(cases["probes"], observed["probes"], strict=True):
        if "error" in got or not probe["grad"]:
            continue
        _, grads = ref.model(probe["params"], probe["args"][0])
        message = ref.compare_param_grads(
            probe["label"], got.get("grad"), grads, SETTINGS["grad_rtol"], SETTINGS["grad_atol"], ref.PARAM_NAMES
        )
        assert message is None, message


def test_calls_layer_1_on_the_signal_then_layer_2_on_its_activities(cases, observed):
    for probe, got in zip(cases["probes"], observed["probes"], strict=True):
        if "error" in got:
            continue
        layers = [call for call in got["trace"] if call["function"] == "layer"]
        assert len(layers) == 2, (
            f"{probe['label']}: model called layer {len(layers)} times, expected twice (layer 1, then layer 2): "
            "model must use your layer"
        )
        first, second = layers
        assert first == EXPECTED_CALLS[0], (
            f"{probe['label']}: the first layer should get SIGNAL with BIAS1, WEIGHT1F, WEIGHT1S, "
            f"got {ref.args_text(first['args'], ['SIGNAL'])}"
        )
        assert second["args"][1:] == EXPECTED_CALLS[1]["args"][1:], (
            f"{probe['label']}: the second layer should get BIAS2, WEIGHT2F, WEIGHT2S, "
            f"got {ref.args_text(second['args'][1:], ['SIGNAL'])}"
        )
        assert second["args"][0] == {"result_of": got["trace"].index(first)}, (
            f"{probe['label']}: the second layer should get the first layer's activities, got "
            f"{ref.args_text(second['args'][:1], ['SIGNAL'])}"
        )
