"""Task `layer`: unroll `cell` over a batch, frames first, with the parameters it is given.

Checks: a (frames, samples) signal gives (frames, samples) activities, for 1 frame, 1 sample
and shapes that are not square; at (0, 1, 1) they are ``SIGNAL.cumsum(0)``, elsewhere the
recurrence, so a layer that bypasses `cell` fails; the gradient reaches the three parameters
passed; `layer` calls `cell` once per frame, with the parameters it was given.  It runs with
a working `cell`, so a broken `cell` costs only `cell`.

PYTEST_DONT_REWRITE: the assert messages are what the student reads.
"""

from autograder.assignments.rnn_layers import ASSIGNMENT, SETTINGS
from autograder.assignments.rnn_layers import reference as ref
from autograder.grading import graders

TASK = "layer"
USES = ["cell"]
INPUTS = ["SIGNAL", "layer's BIAS", "layer's WEIGHTF", "layer's WEIGHTS"]  # how messages name layer's arguments
SHAPES = [(1, 1), (1, 4), (3, 1), (5, 3), (4, 7)]


def cases(seed=None):
    rng = ref.rng_for(TASK, seed)
    probes = []
    for given in [[0.0, 1.0, 1.0], ref.random_layer(rng), ref.random_layer(rng)]:
        trained = given == [0.0, 1.0, 1.0]
        what = "the partial sums, SIGNAL.cumsum(0)" if trained else "the recurrence"
        for shape in SHAPES:
            probes.append(
                {
                    "label": f"layer(SIGNAL, BIAS, WEIGHTF, WEIGHTS) for SIGNAL of shape {shape}, "
                    f"{ref.params_text(given, ref.LAYER_NAMES)} ({what})",
                    "params": ref.random_layer(rng) + ref.random_layer(rng),
                    "args": [ref.uniform(rng, shape), *given],
                    "grad": not trained,
                    "grad_args": [1, 2, 3],
                }
            )
    return {"probes": probes}


def program(cases):
    return graders.probes_program(ASSIGNMENT, TASK, cases["probes"], uses=USES, trace=True)


def _answered(cases, observed):
    return [(p, g) for p, g in zip(cases["probes"], observed["probes"], strict=True) if "error" not in g]


def test_activities_follow_the_recurrence(cases, observed):
    for probe, got in zip(cases["probes"], observed["probes"], strict=True):
        signal, *given = probe["args"]
        values, _ = ref.layer(given, signal)
        message = ref.compare_values(
            probe["label"], got, ref.flat(values), ref.shape_of(values), SETTINGS["rtol"], SETTINGS["atol"]
        )
        assert message is None, message


def test_gradients_reach_the_parameters_given(cases, observed):
    for probe, got in _answered(cases, observed):
        grad = got.get("grad")
        if not probe["grad"] or grad is None:
            continue
        signal, *given = probe["args"]
        _, expected = ref.layer(given, signal)
        assert "error" not in grad, f"{probe['label']}: {grad['error']}"
        for name, g, e in zip(ref.LAYER_NAMES, grad.get("args", []), expected):
            value = g["values"][0] if g and g.get("values") else None
            assert value is not None and ref.close(value, e, SETTINGS["grad_rtol"], SETTINGS["grad_atol"]), (
                f"{probe['label']}: the gradient of the {name} passed to layer is "
                f"{'missing' if value is None else f'{value:.6g}'}, expected {e:.6g} "
                "(is every step connected to the parameters?)"
            )


def test_calls_cell_once_per_frame_with_the_parameters_given(cases, observed):
    given = [{"input": 1}, {"input": 2}, {"input": 3}]
    for probe, got in _answered(cases, observed):
        frames = len(probe["args"][0])
        calls = [call for call in got["trace"] if call["function"] == "cell"]
        assert len(calls) == frames, (
            f"{probe['label']}: layer called cell {len(calls)} times, expected once per frame ({frames} times): "
            "layer must use your cell"
        )
        for call in calls:
            assert call["args"][2:] == given, (
                f"{probe['label']}: layer called cell with {ref.args_text(call['args'][2:], INPUTS)} "
                "as BIAS, WEIGHTF, WEIGHTS, "
                "expected the parameters layer was given"
            )
