"""Task `cell`: one step of a layer with the parameters it is given,
``ACTIVATION = BIAS + FRAME * WEIGHTF + STATE * WEIGHTS``, and the six parameters.

Checks: BIAS1 ... WEIGHT2S are 0-dim float leaf tensors with requires_grad; 0-dim and 1-D
inputs give results of the same shape; the values follow the formula with the parameters
passed to `cell` (not the layer parameters of the notebook, which the graders set to other
values), at (0, 1, 1) and elsewhere; the gradient reaches the three parameters passed.

PYTEST_DONT_REWRITE: the assert messages are what the student reads.
"""

from autograder.assignments.rnn_layers import ASSIGNMENT, SETTINGS
from autograder.assignments.rnn_layers import reference as ref
from autograder.grading import graders

TASK = "cell"


def cases(seed=None):
    rng = ref.rng_for(TASK, seed)
    probes = []
    for given in [[0.0, 1.0, 1.0], ref.random_layer(rng), ref.random_layer(rng)]:
        notebook = ref.random_layer(rng) + ref.random_layer(rng)  # BIAS1 ... WEIGHT2S, other values
        with_given = ref.params_text(given, ref.LAYER_NAMES)
        for shape in [(), (rng.randint(2, 9),)]:
            what = "0-dim FRAME and STATE" if not shape else f"FRAME and STATE of shape {shape}"
            probes.append(
                {
                    "label": f"cell(FRAME, STATE, BIAS, WEIGHTF, WEIGHTS) with {what}, {with_given}",
                    "params": notebook,
                    "args": [ref.uniform(rng, shape, -1, 1), ref.uniform(rng, shape, -2, 2), *given],
                    "grad": True,
                    "grad_args": [2, 3, 4],
                }
            )
    return {"probes": probes}


def program(cases):
    return graders.probes_program(ASSIGNMENT, TASK, cases["probes"], check_params=True)


def test_the_six_parameters_are_float_leaf_tensors_with_grad(observed):
    problems = [f"{name} {problem}" for name, problem in observed["params"].items()]
    assert not problems, "; ".join(problems)


def test_values_follow_the_formula_with_the_parameters_given(cases, observed):
    for probe, got in zip(cases["probes"], observed["probes"], strict=True):
        frame, state, *given = probe["args"]
        values, _ = ref.cell(given, frame, state)
        shape = ref.shape_of(values)
        message = ref.compare_values(probe["label"], got, ref.flat(values), shape, SETTINGS["rtol"], SETTINGS["atol"])
        for layer, names in ((probe["params"][:3], "BIAS1, WEIGHT1F, WEIGHT1S"), (probe["params"][3:], "BIAS2, ...")):
            if message and not ref.compare_values(
                "", got, ref.flat(ref.cell(layer, frame, state)[0]), shape, SETTINGS["rtol"], SETTINGS["atol"]
            ):
                message = f"{probe['label']}: cell used {names} of the notebook instead of the parameters it was given"
        assert message is None, message


def test_gradients_reach_the_parameters_given(cases, observed):
    for probe, got in zip(cases["probes"], observed["probes"], strict=True):
        grad = got.get("grad")
        if "error" in got or grad is None:
            continue  # reported by the values
        frame, state, *given = probe["args"]
        _, expected = ref.cell(given, frame, state)
        assert "error" not in grad, f"{probe['label']}: {grad['error']}"
        for name, g, e in zip(ref.LAYER_NAMES, grad.get("args", []), expected):
            value = g["value"] if g and "value" in g else (g["values"][0] if g and g.get("values") else None)
            assert value is not None, f"{probe['label']}: the {name} passed to cell got no gradient"
            assert ref.close(value, e, SETTINGS["grad_rtol"], SETTINGS["grad_atol"]), (
                f"{probe['label']}: the gradient of the {name} passed to cell is {value:.6g}, expected {e:.6g}"
            )
