"""The typical mistakes of rnn_sum, each as what it returns on the graders' hidden inputs.

A task that loses points names the mistakes its observation agrees with
(``autograder.grading.diagnosis``).  Each prediction is computed here in plain Python float64 from the
same inputs the graders sent, like ``reference.py``; a mistake named after an example answer
(examples/answers.py) is the one that example makes.  The sentences say what the code seems to
do and ask a question to act on; none of them gives the solution.
"""

from autograder.assignments.rnn_sum import reference as ref
from autograder.grading import checks, train_mistakes
from autograder.grading import diagnosis as d
from autograder.grading.diagnosis import ANY, Mistake

TUTORIAL_LR = 0.01  # the learning rate of the tutorial's own loop, which a train function may copy


# -- cell: one step, over 0-dim or (samples,) FRAME and STATE ---------------------------------
def _cell(formula, unused=()):
    """Predict cell's probes from a mistaken formula(b, wf, ws, x, s) on floats; ``unused``:
    the parameters (by index) it does not use, which get no gradient."""

    def predict(cases):
        probes = []
        for probe in cases["probes"]:
            frame, state = probe["args"]

            def f(params, frame=frame, state=state):
                if isinstance(frame, list):
                    return [formula(*params, x, s) for x, s in zip(frame, state)]
                return formula(*params, frame, state)

            probes.append(d.returns(f(probe["params"]), d.gradient(f, probe["params"], unused)))
        return {"probes": probes}

    return predict


def _parameters(words):
    return lambda cases: {"params": d.param_problem(words)}


CELL = [
    Mistake(
        "forgotten_bias",
        "Your `cell` returns what a cell without `BIAS` would: does it add the bias?",
        _cell(lambda b, wf, ws, x, s: x * wf + s * ws, unused=(0,)),
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
        _cell(lambda b, wf, ws, x, s: b + x * ws + s * ws, unused=(1,)),
    ),
    Mistake(
        "cell_ignores_the_state",
        "Your `cell` returns what a cell that leaves out `STATE` would: "
        "where does the state carried from the previous frame come in?",
        _cell(lambda b, wf, ws, x, s: b + x * wf, unused=(2,)),
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
        "numbers, 0-dim tensors. Which shape did you give `torch.randn`?",
        _parameters("instead of ()"),
    ),
]


# -- model and batched_model: the unroll of cell ---------------------------------------------
def _step(params):
    b, wf, ws = params
    return lambda x, h: b + x * wf + h * ws


def _zero_like(frame):
    return [0.0] * len(frame) if isinstance(frame, list) else 0.0


def _unroll(states, gradient=None):
    """Predict an unroll's probes from a mistaken ``states(params, signal)`` (None where the code
    raises); ``gradient(params, signal)`` when the gradient is not that of those states."""

    def predict(cases):
        probes = []
        for probe in cases["probes"]:
            params, signal = probe["params"], probe["args"][0]
            values = states(params, signal)
            if values is None:
                probes.append(d.RAISES)
                continue
            grad = None
            if probe["grad"]:
                grad = gradient(params, signal) if gradient else d.gradient(lambda p: states(p, signal), params)
            probes.append(d.returns(values, grad))
        return {"probes": probes}

    return predict


def _right(params, signal):
    return ref.unroll(params, signal)[0]


def _final(params, signal):
    return _right(params, signal)[-1]


def _first_five(params, signal):
    return None if len(signal) < 5 else _right(params, signal[:5])


def _partial_sums(params, signal):
    out, total = [], _zero_like(signal[0])
    for frame in signal:
        total = [a + b for a, b in zip(total, frame)] if isinstance(frame, list) else total + frame
        out.append(total)
    return out


def _from_zero_every_frame(params, signal):
    return [ref.cell(params, frame, _zero_like(frame))[0] for frame in signal]


def _detached_gradient(params, signal):
    """The gradient when each step takes the previous state as a constant: no path back in time."""
    states = _right(params, signal)
    previous = [_zero_like(signal[0]), *states[:-1]]
    return d.gradient(lambda p: [ref.cell(p, x, h)[0] for x, h in zip(signal, previous)], params)


def _no_gradient(params, signal):
    return d.NO_GRADIENT


def _samples_first(params, signal):
    return checks.samples_first(_step(params), signal)


def _unroll_mistakes(function, names):
    """The mistakes both unrolls can make, named ``names[kind]``, in sentences about ``function``."""
    says = {
        "final": f"Your `{function}` returns only the state after the last frame: "
        "the task asks for the state after every frame.",
        "bypass": f"Your `{function}` returns the partial sums of the signal whatever the parameters: "
        "they are what the network gives only once trained. Does every state come from your `cell`?",
        "detached": f"Your `{function}` returns the right states, but its gradients are those of a state "
        "cut from the graph between frames (`detach()`?): how can the gradient flow back through time?",
        "cut": f"Your `{function}` returns the right states, but the result carries no gradient: "
        "is it built under `torch.no_grad()`, or from detached states?",
        "reset": f"Your `{function}` returns what it would if the state started again from zero at "
        "every frame: where is the state set to zero?",
    }
    predict = {
        "final": _unroll(_final),
        "bypass": _unroll(_partial_sums, _no_gradient),
        "detached": _unroll(_right, _detached_gradient),
        "cut": _unroll(_right, _no_gradient),
        "reset": _unroll(_from_zero_every_frame),
    }
    return [Mistake(names[kind], says[kind], predict[kind]) for kind in names]


MODEL = [
    *_unroll_mistakes(
        "model",
        {
            "final": "only_final_state",
            "bypass": "cumsum_bypasses_cell",
            "detached": "detached_state",
            "cut": "no_gradient_result",
            "reset": "state_reset_every_frame",
        },
    ),
    Mistake(
        "fixed_length",
        "Your `model` works only for signals of 5 frames: does its loop take its length from the signal?",
        _unroll(_first_five),
    ),
]

BATCHED_MODEL = [
    *_unroll_mistakes(
        "batched_model",
        {
            "final": "batched_only_final_state",
            "bypass": "batched_cumsum_bypasses_cell",
            "detached": "batched_detached_state",
            "cut": "batched_state_detached",
            "reset": "batched_state_reset_every_frame",
        },
    ),
    Mistake(
        "swapped_batch_dimensions",
        "Your `batched_model` reads the signal samples first: SIGNAL's first dimension is the frames, "
        "its second the samples. Which size does your loop run over?",
        _unroll(_samples_first),
    ),
]


# -- partial_sum_loss ---------------------------------------------------------------------------
def _shaped(values, shape):
    if len(shape) < 2:
        return list(values) if shape else values[0]
    width = len(values) // shape[0]
    return [list(values[i * width : (i + 1) * width]) for i in range(shape[0])]


def _loss(value, kind="tensor"):
    """Predict the loss's probes from a mistaken ``value(result, target)`` on nested lists; the
    gradient with respect to RESULT follows from it."""

    def predict(cases):
        probes = []
        for probe in cases["probes"]:
            result, target = probe["args"]
            got = value(result, target)
            if kind == "float":
                probes.append({"out": {"kind": "float", "value": got}})
                continue
            record = {"out": d.tensor(got)}
            if probe.get("grad"):
                shape = checks.shape_of(result)
                g = d.gradient(lambda r: value(_shaped(r, shape), target), checks.flat(result))
                record["grad"] = {"args": [d.tensor(_shaped(g, shape))]}
            probes.append(record)
        return {"probes": probes}

    return predict


def _errors(result, target):
    return [a - b for a, b in zip(checks.flat(result), checks.flat(target))]


def _mean(values):
    return sum(values) / len(values)


def _mean_square(result, target):
    return _mean([e * e for e in _errors(result, target)])


def _mean_over_frames(result, target):
    if not isinstance(result[0], list):
        return _mean_square(result, target)
    columns = zip(zip(*result), zip(*target))
    return [_mean([(a - b) ** 2 for a, b in zip(r, t)]) for r, t in columns]


PARTIAL_SUM_LOSS = [
    Mistake(
        "summed_loss",
        "Your `partial_sum_loss` returns the sum of the squared errors: the task asks for their mean, "
        "which does not grow with the number of frames and samples.",
        _loss(lambda r, t: sum(e * e for e in _errors(r, t))),
    ),
    Mistake(
        "loss_mean_over_frames_only",
        "Your `partial_sum_loss` averages over the first dimension only, so a batch gives one loss per "
        "sample: which elements should the mean run over?",
        _loss(_mean_over_frames),
    ),
    Mistake(
        "absolute_loss",
        "Your `partial_sum_loss` averages the absolute errors: the task asks for the squared error.",
        _loss(lambda r, t: _mean([abs(e) for e in _errors(r, t)])),
    ),
    Mistake(
        "loss_not_squared",
        "Your `partial_sum_loss` averages the errors themselves, so errors of opposite signs cancel: "
        "what should happen to each error first?",
        _loss(lambda r, t: _mean(_errors(r, t))),
    ),
    Mistake(
        "root_mean_square",
        "Your `partial_sum_loss` returns the square root of the mean squared error: the task asks for the mean itself.",
        _loss(lambda r, t: _mean_square(r, t) ** 0.5),
    ),
    Mistake(
        "loss_as_float",
        "Your `partial_sum_loss` returns a Python number (`.item()`?): training needs the tensor, "
        "through which the gradient flows back.",
        _loss(_mean_square, kind="float"),
    ),
]


# -- train -----------------------------------------------------------------------------------------
TRAIN = [
    train_mistakes.never_cleared(
        "missing_zero_grad",
        "Your `train` follows what SGD does when the gradients are never cleared: each step then uses "
        "the sum of every gradient so far. Where are they reset between epochs?",
        ref.loss_and_grad,
    ),
    train_mistakes.fixed_learning_rate(
        "hard_coded_learning_rate",
        f"Your `train` follows SGD at a learning rate of {TUTORIAL_LR:g}, whatever `lr` it is given.",
        ref.loss_and_grad,
        TUTORIAL_LR,
    ),
    train_mistakes.loss_after_the_update(
        "loss_after_step",
        "Your `train` records each epoch's loss after the update, computing it a second time: "
        "the list should hold the loss the update was computed from.",
        ref.loss_and_grad,
        ["batched_model", "partial_sum_loss"],
    ),
    train_mistakes.tensors_not_floats(
        "losses_as_tensors",
        "Your `train` trains well but returns a list of tensors: it should hold Python floats "
        "(what does `.item()` give?).",
        ref.loss_and_grad,
    ),
    train_mistakes.adam(
        "adam_instead_of_sgd",
        "Your `train` follows what Adam does, not plain SGD: which optimizer does the task ask for?",
        ref.loss_and_grad,
    ),
    train_mistakes.ignores_epochs(
        "ignores_epochs",
        "Your `train` runs the same number of epochs whatever `epochs` it is given.",
    ),
    Mistake(
        "own_loss_not_partial_sum_loss",
        "Your `train` computes its loss without calling `partial_sum_loss`: use your loss function, "
        "so that training minimises what it computes.",
        lambda cases: {"probes": [{"calls": {"partial_sum_loss": 0}}, ANY]},
    ),
]

MISTAKES = {
    "cell": CELL,
    "model": MODEL,
    "partial_sum_loss": PARTIAL_SUM_LOSS,
    "batched_model": BATCHED_MODEL,
    "train": TRAIN,
}
