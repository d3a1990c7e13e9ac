"""Task `cell`: one recurrent step, ``BIAS + FRAME * WEIGHTF + STATE * WEIGHTS``.

Checks: the three parameters are 0-dim float leaf tensors with requires_grad; 0-dim and 1-D
inputs give results of the same shape; the values follow the formula at the trained values
(0, 1, 1), where the cell adds, and at other values; the gradient reaches all three
parameters.

PYTEST_DONT_REWRITE: the assert messages are what the student reads.
"""

from autograder.assignments.rnn_sum import ASSIGNMENT, SETTINGS
from autograder.assignments.rnn_sum import reference as ref
from autograder.grading import graders

TASK = "cell"


def cases(seed=None):
    rng = ref.rng_for(TASK, seed)
    probes = []
    for params in [[0.0, 1.0, 1.0], ref.random_params(rng), ref.random_params(rng)]:
        with_params = ref.params_text(params)
        probes.append(
            {
                "label": f"cell(FRAME, STATE) with 0-dim FRAME and STATE, {with_params}",
                "params": params,
                "args": [ref.uniform(rng, (), -1, 1), ref.uniform(rng, (), -2, 2)],
                "grad": True,
            }
        )
        n = rng.randint(2, 9)
        probes.append(
            {
                "label": f"cell(FRAME, STATE) with FRAME and STATE of shape ({n},), {with_params}",
                "params": params,
                "args": [ref.uniform(rng, (n,), -1, 1), ref.uniform(rng, (n,), -2, 2)],
                "grad": True,
            }
        )
    return {"probes": probes}


def program(cases):
    return graders.probes_program(ASSIGNMENT, TASK, cases["probes"], check_params=True)


def test_parameters_are_float_leaf_tensors_with_grad(observed):
    problems = [f"{name} {problem}" for name, problem in observed["params"].items()]
    assert not problems, "; ".join(problems)


def test_values_follow_the_formula(cases, observed):
    for probe, got in zip(cases["probes"], observed["probes"], strict=True):
        values, _ = ref.cell(probe["params"], *probe["args"])
        message = ref.compare_values(
            probe["label"], got, ref.flat(values), ref.shape_of(values), SETTINGS["rtol"], SETTINGS["atol"]
        )
        assert message is None, message


def test_gradients_reach_every_parameter(cases, observed):
    for probe, got in zip(cases["probes"], observed["probes"], strict=True):
        if "error" in got:
            continue  # reported by the values
        _, grads = ref.cell(probe["params"], *probe["args"])
        message = ref.compare_param_grads(
            probe["label"], got.get("grad"), grads, SETTINGS["grad_rtol"], SETTINGS["grad_atol"], ref.PARAM_NAMES
        )
        assert message is None, message
