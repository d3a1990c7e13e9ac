"""What `model` and `batched_model` share: the unroll of `cell` over a signal, and its checks.

Both test files import these test functions; pytest collects them in each, for that task.

PYTEST_DONT_REWRITE: the assert messages are what the student reads.
"""

from autograder.assignments.rnn_sum import ASSIGNMENT, SETTINGS
from autograder.assignments.rnn_sum import reference as ref
from autograder.grading import graders

USES = ["cell"]
TRAINED = [0.0, 1.0, 1.0]


def unroll_cases(task, shapes, describe, seed=None):
    """Probes of an unroll: every shape at the trained values (0, 1, 1), where the result is
    the partial sums, and at two random parameter sets, where gradients are checked too."""
    rng = ref.rng_for(task, seed)

    def label(shape, params, trained):
        what = "the partial sums, SIGNAL.cumsum(0)" if trained else "the recurrence"
        return f"{task}(SIGNAL) for {describe(shape)}, {ref.params_text(params)} ({what})"

    param_sets = [TRAINED, ref.random_params(rng), ref.random_params(rng)]
    return {"task": task, "probes": graders.unroll_probes(rng, param_sets, shapes, label, ref.uniform)}


def unroll_program(cases):
    return graders.probes_program(ASSIGNMENT, cases["task"], cases["probes"], uses=USES)


def _answered(cases, observed, trained):
    """(probe, what came back) for the probes at (or away from) the trained values."""
    return [
        (probe, got)
        for probe, got in zip(cases["probes"], observed["probes"], strict=True)
        if (probe["params"] == TRAINED) == trained
    ]


def _values(pairs):
    for probe, got in pairs:
        values, _ = ref.unroll(probe["params"], probe["args"][0])
        message = ref.compare_values(
            probe["label"], got, ref.flat(values), ref.shape_of(values), SETTINGS["rtol"], SETTINGS["atol"]
        )
        assert message is None, message


def test_gives_the_partial_sums_at_the_trained_values(cases, observed):
    _values(_answered(cases, observed, trained=True))


def test_follows_the_recurrence_at_other_values(cases, observed):
    _values(_answered(cases, observed, trained=False))


def test_gradients_reach_every_parameter(cases, observed):
    for probe, got in _answered(cases, observed, trained=False):
        if "error" in got:
            continue  # reported by the values
        _, grads = ref.unroll(probe["params"], probe["args"][0])
        message = ref.compare_param_grads(
            probe["label"], got.get("grad"), grads, SETTINGS["grad_rtol"], SETTINGS["grad_atol"], ref.PARAM_NAMES
        )
        assert message is None, message


def test_calls_cell_once_per_frame(cases, observed):
    task = cases["task"]
    for probe, got in zip(cases["probes"], observed["probes"], strict=True):
        if "error" in got:
            continue
        frames = len(probe["args"][0])
        calls = got["calls"]["cell"]
        assert calls == frames, (
            f"{probe['label']}: {task} called cell {calls} times, expected once per frame "
            f"({frames} times): {task} must use your cell"
        )
