"""rnn_sum: wrong answers written apart from the kit's diagnosis (see the package's docstring).

Each mistake comes in two codings that differ the way two students' code differs.  A few are
mistakes the kit already knows (examples/answers.py) written in a way its examples do not
(``swapped_batch_dimensions`` by a transpose or by column indexing, ``hard_coded_learning_rate``
at another rate than the tutorial's); the rest are mistakes it has no example of.
"""

from examples.unforeseen import Wrong

WRONG = [
    # -- cell ---------------------------------------------------------------------------------------
    Wrong(
        "tanh_activation",
        "cell",
        "torch.tanh on a named activation",
        """\
# BIAS, WEIGHTF, WEIGHTS: 0-dim float tensors, random start, requires_grad=True
BIAS = torch.randn((), requires_grad=True)
WEIGHTF = torch.randn((), requires_grad=True)
WEIGHTS = torch.randn((), requires_grad=True)


def cell(FRAME, STATE):
    # a recurrent cell: linear combination, then the usual tanh nonlinearity
    activation = BIAS + FRAME * WEIGHTF + STATE * WEIGHTS
    STATE = torch.tanh(activation)
    return STATE
""",
    ),
    Wrong(
        "tanh_activation",
        "cell",
        "tensor method tanh in one line",
        """\
BIAS = torch.randn(size=(), requires_grad=True)
WEIGHTF = torch.randn(size=(), requires_grad=True)
WEIGHTS = torch.randn(size=(), requires_grad=True)

def cell(FRAME, STATE):
    h = (WEIGHTF * FRAME + WEIGHTS * STATE + BIAS).tanh()
    return h
""",
    ),
    Wrong(
        "relu_activation",
        "cell",
        "torch.relu around the formula",
        """\
# parameters of the cell
BIAS = torch.randn((), requires_grad=True)
WEIGHTF = torch.randn((), requires_grad=True)
WEIGHTS = torch.randn((), requires_grad=True)


def cell(FRAME, STATE):
    # FRAME, STATE: () or (samples,)  ->  new STATE, same shape
    STATE = torch.relu(BIAS + FRAME * WEIGHTF + STATE * WEIGHTS)
    return STATE
""",
    ),
    Wrong(
        "relu_activation",
        "cell",
        "clamp at zero as a separate step",
        """\
bias = torch.randn(())
bias.requires_grad_()
BIAS = bias
WEIGHTF = torch.randn(()).requires_grad_()
WEIGHTS = torch.randn(()).requires_grad_()


def cell(FRAME, STATE):
    new_state = FRAME * WEIGHTF + STATE * WEIGHTS + BIAS
    # activation function (ReLU) so the state stays non-negative
    new_state = torch.clamp(new_state, min=0.0)
    return new_state
""",
    ),
    Wrong(
        "bias_inside_the_frame_product",
        "cell",
        "parentheses around bias and frame",
        """\
# BIAS, WEIGHTF, WEIGHTS: 0-dim float tensors, random start, requires_grad=True
BIAS = torch.randn((), requires_grad=True)
WEIGHTF = torch.randn((), requires_grad=True)
WEIGHTS = torch.randn((), requires_grad=True)


def cell(FRAME, STATE):
    STATE = (BIAS + FRAME) * WEIGHTF + STATE * WEIGHTS
    return STATE
""",
    ),
    Wrong(
        "bias_inside_the_frame_product",
        "cell",
        "shifted input then weighted sum",
        """\
BIAS = torch.randn((), requires_grad=True)
WEIGHTF = torch.randn((), requires_grad=True)
WEIGHTS = torch.randn((), requires_grad=True)


def cell(FRAME, STATE):
    x = FRAME + BIAS  # input plus bias
    return WEIGHTS * STATE + WEIGHTF * x
""",
    ),
    Wrong(
        "frame_weight_for_the_state",
        "cell",
        "typo WEIGHTF on the state",
        """\
# BIAS, WEIGHTF, WEIGHTS: 0-dim float tensors, random start, requires_grad=True
BIAS = torch.randn((), requires_grad=True)
WEIGHTF = torch.randn((), requires_grad=True)
WEIGHTS = torch.randn((), requires_grad=True)


def cell(FRAME, STATE):
    # FRAME, STATE: () or (samples,)  ->  new STATE, same shape
    STATE = BIAS + FRAME * WEIGHTF + STATE * WEIGHTF
    return STATE
""",
    ),
    Wrong(
        "frame_weight_for_the_state",
        "cell",
        "one weight factored out of both",
        """\
BIAS = torch.randn((), requires_grad=True)
WEIGHTF = torch.randn((), requires_grad=True)
WEIGHTS = torch.randn((), requires_grad=True)


def cell(FRAME, STATE):
    out = BIAS + WEIGHTF * (FRAME + STATE)
    return out
""",
    ),
    Wrong(
        "parameters_not_leaf",
        "cell",
        "random start scaled by 0.1",
        """\
# small random starting values
BIAS = torch.randn((), requires_grad=True) * 0.1
WEIGHTF = torch.randn((), requires_grad=True) * 0.1
WEIGHTS = torch.randn((), requires_grad=True) * 0.1


def cell(FRAME, STATE):
    # FRAME, STATE: () or (samples,)  ->  new STATE, same shape
    STATE = BIAS + FRAME * WEIGHTF + STATE * WEIGHTS
    return STATE
""",
    ),
    Wrong(
        "parameters_not_leaf",
        "cell",
        "shape (1,) squeezed to 0-dim",
        """\
BIAS = torch.randn(1, requires_grad=True).squeeze()
WEIGHTF = torch.randn(1, requires_grad=True).squeeze()
WEIGHTS = torch.randn(1, requires_grad=True).squeeze()
print(BIAS.shape, WEIGHTF.shape, WEIGHTS.shape)  # all torch.Size([]) now


def cell(FRAME, STATE):
    return BIAS + WEIGHTF * FRAME + WEIGHTS * STATE
""",
    ),
    Wrong(
        "bias_subtracted",
        "cell",
        "minus BIAS at the end",
        """\
# BIAS, WEIGHTF, WEIGHTS: 0-dim float tensors, random start, requires_grad=True
BIAS = torch.randn((), requires_grad=True)
WEIGHTF = torch.randn((), requires_grad=True)
WEIGHTS = torch.randn((), requires_grad=True)


def cell(FRAME, STATE):
    STATE = FRAME * WEIGHTF + STATE * WEIGHTS - BIAS
    return STATE
""",
    ),
    Wrong(
        "bias_subtracted",
        "cell",
        "torch.sub of the bias",
        """\
BIAS = torch.randn((), requires_grad=True)
WEIGHTF = torch.randn((), requires_grad=True)
WEIGHTS = torch.randn((), requires_grad=True)


def cell(FRAME, STATE):
    weighted = torch.mul(WEIGHTF, FRAME) + torch.mul(WEIGHTS, STATE)
    return torch.sub(weighted, BIAS)  # threshold
""",
    ),
    Wrong(
        "frame_not_weighted",
        "cell",
        "FRAME added as in the warm-up",
        """\
# BIAS, WEIGHTF, WEIGHTS: 0-dim float tensors, random start, requires_grad=True
BIAS = torch.randn((), requires_grad=True)
WEIGHTF = torch.randn((), requires_grad=True)
WEIGHTS = torch.randn((), requires_grad=True)


def cell(FRAME, STATE):
    STATE = BIAS + FRAME + STATE * WEIGHTS
    return STATE
""",
    ),
    Wrong(
        "frame_not_weighted",
        "cell",
        "weighted state plus raw frame",
        """\
BIAS = torch.randn((), requires_grad=True)
WEIGHTF = torch.randn((), requires_grad=True)
WEIGHTS = torch.randn((), requires_grad=True)


def cell(FRAME, STATE):
    new = WEIGHTS * STATE
    new = new + FRAME
    new = new + BIAS
    return new
""",
    ),
    Wrong(
        "state_not_weighted",
        "cell",
        "STATE added as in the warm-up",
        """\
# BIAS, WEIGHTF, WEIGHTS: 0-dim float tensors, random start, requires_grad=True
BIAS = torch.randn((), requires_grad=True)
WEIGHTF = torch.randn((), requires_grad=True)
WEIGHTS = torch.randn((), requires_grad=True)


def cell(FRAME, STATE):
    # FRAME, STATE: () or (samples,)  ->  new STATE, same shape
    STATE = BIAS + FRAME * WEIGHTF + STATE
    return STATE
""",
    ),
    Wrong(
        "state_not_weighted",
        "cell",
        "state plus weighted frame via torch.add",
        """\
BIAS = torch.randn((), requires_grad=True)
WEIGHTF = torch.randn((), requires_grad=True)
WEIGHTS = torch.randn((), requires_grad=True)


def cell(FRAME, STATE):
    return torch.add(STATE, WEIGHTF * FRAME + BIAS)
""",
    ),
    # -- model --------------------------------------------------------------------------------------
    Wrong(
        "last_frame_never_fed",
        "model",
        "range stops one frame early, stacked list",
        """\
def model(SIGNAL):
    n = len(SIGNAL)
    states = []
    h = torch.zeros(())
    for t in range(n - 1):
        h = cell(SIGNAL[t], h)
        states.append(h)
    return torch.stack(states)
""",
    ),
    Wrong(
        "last_frame_never_fed",
        "model",
        "enumerate over SIGNAL[:-1] into zeros",
        """\
def model(SIGNAL):
    # SIGNAL: (frames,)  ->  RESULT: (frames,), the state after every frame
    RESULT = torch.zeros(SIGNAL.size(0))
    STATE = torch.zeros(())
    for i, x in enumerate(SIGNAL[:-1]):
        STATE = cell(x, STATE)
        RESULT[i] = STATE
    return RESULT
""",
    ),
    Wrong(
        "first_frame_skipped",
        "model",
        "range from 1 into a zeros result",
        """\
def model(SIGNAL):
    # SIGNAL: (frames,)  ->  RESULT: (frames,), the state after every frame
    frames = SIGNAL.size(0)
    RESULT = torch.zeros(frames)
    STATE = torch.zeros(())
    for frame in range(1, frames):
        STATE = cell(SIGNAL[frame], STATE)
        RESULT[frame] = STATE
    return RESULT
""",
    ),
    Wrong(
        "first_frame_skipped",
        "model",
        "loop over SIGNAL[1:] and stack",
        """\
def model(SIGNAL):
    state = torch.zeros(())
    outputs = []
    for x in SIGNAL[1:]:
        state = cell(x, state)
        outputs.append(state)
    return torch.stack(outputs)
""",
    ),
    Wrong(
        "states_shifted_by_one",
        "model",
        "stores the state before updating it",
        """\
def model(SIGNAL):
    # SIGNAL: (frames,)  ->  RESULT: (frames,), the state after every frame
    frames = SIGNAL.size(0)
    RESULT = torch.empty(frames)
    STATE = torch.zeros(())
    for frame in range(frames):
        RESULT[frame] = STATE
        STATE = cell(SIGNAL[frame], STATE)
    return RESULT
""",
    ),
    Wrong(
        "states_shifted_by_one",
        "model",
        "list starts with zero state, drops the last",
        """\
def model(SIGNAL):
    h = torch.zeros(())
    hs = [h]
    for x in SIGNAL:
        h = cell(x, h)
        hs.append(h)
    return torch.stack(hs[:-1])
""",
    ),
    Wrong(
        "initial_state_included",
        "model",
        "list starts with the zero state",
        """\
def model(SIGNAL):
    STATE = torch.zeros(())
    STATES = [STATE]  # the initial hidden state
    for frame in range(len(SIGNAL)):
        STATE = cell(SIGNAL[frame], STATE)
        STATES.append(STATE)
    return torch.stack(STATES)
""",
    ),
    Wrong(
        "initial_state_included",
        "model",
        "result of frames + 1 filled at t + 1",
        """\
def model(SIGNAL):
    T = SIGNAL.shape[0]
    RESULT = torch.zeros(T + 1)  # RESULT[0] is the start state
    for t in range(T):
        RESULT[t + 1] = cell(SIGNAL[t], RESULT[t])
    return RESULT
""",
    ),
    Wrong(
        "state_starts_at_first_frame",
        "model",
        "first frame as first state, list",
        """\
def model(SIGNAL):
    STATE = SIGNAL[0]  # after the first frame the sum is just that frame
    RESULT = [STATE]
    for frame in range(1, len(SIGNAL)):
        STATE = cell(SIGNAL[frame], STATE)
        RESULT.append(STATE)
    return torch.stack(RESULT)
""",
    ),
    Wrong(
        "state_starts_at_first_frame",
        "model",
        "clone of the signal updated from frame 1",
        """\
def model(SIGNAL):
    out = SIGNAL.clone()
    s = SIGNAL[0]
    for i in range(1, SIGNAL.shape[0]):
        s = cell(SIGNAL[i], s)
        out[i] = s
    return out
""",
    ),
    Wrong(
        "length_from_number_of_dimensions",
        "model",
        "range of len(SIGNAL.shape)",
        """\
def model(SIGNAL):
    STATE = torch.zeros(())
    RESULT = []
    for frame in range(len(SIGNAL.shape)):
        STATE = cell(SIGNAL[frame], STATE)
        RESULT.append(STATE)
    return torch.stack(RESULT)
""",
    ),
    Wrong(
        "length_from_number_of_dimensions",
        "model",
        "frames from SIGNAL.dim()",
        """\
def model(SIGNAL):
    # SIGNAL: (frames,)  ->  RESULT: (frames,), the state after every frame
    frames = SIGNAL.dim()
    RESULT = torch.empty(frames)
    STATE = torch.zeros(())
    for frame in range(frames):
        STATE = cell(SIGNAL[frame], STATE)
        RESULT[frame] = STATE
    return RESULT
""",
    ),
    Wrong(
        "cell_called_twice_per_frame",
        "model",
        "stores one cell call, updates with another",
        """\
def model(SIGNAL):
    # SIGNAL: (frames,)  ->  RESULT: (frames,), the state after every frame
    frames = SIGNAL.size(0)
    RESULT = torch.empty(frames)
    STATE = torch.zeros(())
    for frame in range(frames):
        RESULT[frame] = cell(SIGNAL[frame], STATE)
        STATE = cell(SIGNAL[frame], STATE)
    return RESULT
""",
    ),
    Wrong(
        "cell_called_twice_per_frame",
        "model",
        "appends cell output then recomputes the state",
        """\
def model(SIGNAL):
    hidden = torch.zeros(())
    outputs = []
    for x in SIGNAL:
        outputs.append(cell(x, hidden))  # output of this step
        hidden = cell(x, hidden)  # carry the state on
    return torch.stack(outputs)
""",
    ),
    # -- partial_sum_loss ---------------------------------------------------------------------------
    Wrong(
        "squared_mean_error",
        "partial_sum_loss",
        "mean of the errors then squared",
        """\
def partial_sum_loss(RESULT, TARGET):
    # RESULT, TARGET: any equal shapes  ->  LOSS: ()
    LOSS = (RESULT - TARGET).mean() ** 2
    return LOSS
""",
    ),
    Wrong(
        "squared_mean_error",
        "partial_sum_loss",
        "square of difference of torch.means",
        """\
def partial_sum_loss(RESULT, TARGET):
    return torch.square(torch.mean(RESULT) - torch.mean(TARGET))
""",
    ),
    Wrong(
        "halved_squared_error",
        "partial_sum_loss",
        "0.5 times the mean square",
        """\
def partial_sum_loss(RESULT, TARGET):
    # RESULT, TARGET: any equal shapes  ->  LOSS: ()
    LOSS = 0.5 * ((RESULT - TARGET) ** 2).mean()
    return LOSS
""",
    ),
    Wrong(
        "halved_squared_error",
        "partial_sum_loss",
        "torch.pow mean divided by 2",
        """\
def partial_sum_loss(RESULT, TARGET):
    err = TARGET - RESULT
    return torch.mean(torch.pow(err, 2)) / 2  # 1/2 so the derivative is nicer
""",
    ),
    Wrong(
        "loss_mean_over_samples_only",
        "partial_sum_loss",
        "mean over dim=-1",
        """\
def partial_sum_loss(RESULT, TARGET):
    # RESULT, TARGET: any equal shapes  ->  LOSS: ()
    LOSS = torch.square(RESULT - TARGET).mean(dim=-1)
    return LOSS
""",
    ),
    Wrong(
        "loss_mean_over_samples_only",
        "partial_sum_loss",
        "sum over the last axis over its size",
        """\
def partial_sum_loss(RESULT, TARGET):
    last = RESULT.dim() - 1
    sq = (RESULT - TARGET) ** 2
    return sq.sum(last) / RESULT.shape[last]
""",
    ),
    Wrong(
        "divided_by_frames_only",
        "partial_sum_loss",
        "sum over len(RESULT)",
        """\
def partial_sum_loss(RESULT, TARGET):
    # RESULT, TARGET: any equal shapes  ->  LOSS: ()
    LOSS = ((RESULT - TARGET) ** 2).sum() / len(RESULT)
    return LOSS
""",
    ),
    Wrong(
        "divided_by_frames_only",
        "partial_sum_loss",
        "torch.sum over RESULT.size(0)",
        """\
def partial_sum_loss(RESULT, TARGET):
    n = RESULT.size(0)  # number of frames
    return torch.sum(torch.square(RESULT - TARGET)) / n
""",
    ),
    Wrong(
        "euclidean_norm",
        "partial_sum_loss",
        "torch.norm of the difference",
        """\
def partial_sum_loss(RESULT, TARGET):
    # RESULT, TARGET: any equal shapes  ->  LOSS: ()
    LOSS = torch.norm(RESULT - TARGET)
    return LOSS
""",
    ),
    Wrong(
        "euclidean_norm",
        "partial_sum_loss",
        "sqrt of the summed squares",
        """\
def partial_sum_loss(RESULT, TARGET):
    squared_errors = (RESULT - TARGET) ** 2
    return torch.sqrt(squared_errors.sum())
""",
    ),
    Wrong(
        "loss_cut_from_the_graph",
        "partial_sum_loss",
        "computed in numpy and wrapped",
        """\
import numpy as np


def partial_sum_loss(RESULT, TARGET):
    r = RESULT.detach().numpy()
    t = TARGET.detach().numpy()
    return torch.tensor(np.mean((r - t) ** 2))
""",
    ),
    Wrong(
        "loss_cut_from_the_graph",
        "partial_sum_loss",
        "computed under torch.no_grad",
        """\
def partial_sum_loss(RESULT, TARGET):
    # RESULT, TARGET: any equal shapes  ->  LOSS: ()
    with torch.no_grad():
        LOSS = torch.mean((RESULT - TARGET) ** 2)
    return LOSS
""",
    ),
    Wrong(
        "partial_sums_taken_in_the_loss",
        "partial_sum_loss",
        "cumsum of TARGET inside the loss",
        """\
def partial_sum_loss(RESULT, TARGET):
    # compare every state with the partial sums
    LOSS = torch.square(RESULT - TARGET.cumsum(0)).mean()
    return LOSS
""",
    ),
    Wrong(
        "partial_sums_taken_in_the_loss",
        "partial_sum_loss",
        "torch.cumsum of RESULT",
        """\
def partial_sum_loss(RESULT, TARGET):
    partial = torch.cumsum(RESULT, dim=0)
    return torch.mean((partial - TARGET) ** 2)
""",
    ),
    Wrong(
        "error_variance",
        "partial_sum_loss",
        "errors centred on their mean",
        """\
def partial_sum_loss(RESULT, TARGET):
    d = RESULT - TARGET
    return ((d - d.mean()) ** 2).mean()
""",
    ),
    Wrong(
        "error_variance",
        "partial_sum_loss",
        "torch.var of the errors",
        """\
def partial_sum_loss(RESULT, TARGET):
    # RESULT, TARGET: any equal shapes  ->  LOSS: ()
    LOSS = torch.var(RESULT - TARGET, unbiased=False)
    return LOSS
""",
    ),
    # -- batched_model ------------------------------------------------------------------------------
    Wrong(
        "swapped_batch_dimensions",
        "batched_model",
        "transposes SIGNAL before the loop",
        """\
def batched_model(SIGNAL):
    # SIGNAL: (frames, samples)  ->  RESULT: (frames, samples)
    SIGNAL = SIGNAL.T  # one row per frame
    frames, samples = SIGNAL.size(0), SIGNAL.size(1)
    RESULT = torch.empty(frames, samples)
    STATE = torch.zeros(samples)  # STATE: (samples,)
    for frame in range(frames):
        STATE = cell(SIGNAL[frame], STATE)
        RESULT[frame] = STATE
    return RESULT
""",
    ),
    Wrong(
        "swapped_batch_dimensions",
        "batched_model",
        "frames taken as columns SIGNAL[:, t]",
        """\
def batched_model(SIGNAL):
    n_samples, n_frames = SIGNAL.shape
    out = torch.zeros(n_samples, n_frames)
    h = torch.zeros(n_samples)
    for t in range(n_frames):
        h = cell(SIGNAL[:, t], h)
        out[:, t] = h
    return out
""",
    ),
    Wrong(
        "result_samples_first",
        "batched_model",
        "stacks the states along dim 1",
        """\
def batched_model(SIGNAL):
    frames, samples = SIGNAL.shape
    state = torch.zeros(samples)
    states = []
    for t in range(frames):
        state = cell(SIGNAL[t], state)
        states.append(state)
    return torch.stack(states, dim=1)  # one row per signal
""",
    ),
    Wrong(
        "result_samples_first",
        "batched_model",
        "fills a (samples, frames) result by column",
        """\
def batched_model(SIGNAL):
    # SIGNAL: (frames, samples)  ->  RESULT: (frames, samples)
    frames, samples = SIGNAL.size(0), SIGNAL.size(1)
    RESULT = torch.empty(samples, frames)
    STATE = torch.zeros(samples)
    for frame in range(frames):
        STATE = cell(SIGNAL[frame], STATE)
        RESULT[:, frame] = STATE
    return RESULT
""",
    ),
    Wrong(
        "initial_state_sized_by_frames",
        "batched_model",
        "zeros(frames) as the start state",
        """\
def batched_model(SIGNAL):
    # SIGNAL: (frames, samples)  ->  RESULT: (frames, samples)
    frames, samples = SIGNAL.size(0), SIGNAL.size(1)
    RESULT = torch.empty(frames, samples)
    STATE = torch.zeros(frames)
    for frame in range(frames):
        STATE = cell(SIGNAL[frame], STATE)
        RESULT[frame] = STATE
    return RESULT
""",
    ),
    Wrong(
        "initial_state_sized_by_frames",
        "batched_model",
        "zeros(len(SIGNAL)) and a stacked list",
        """\
def batched_model(SIGNAL):
    h = torch.zeros(len(SIGNAL))  # one state per signal
    hs = []
    for x in SIGNAL:
        h = cell(x, h)
        hs.append(h)
    return torch.stack(hs)
""",
    ),
    Wrong(
        "batch_unrolled_sample_by_sample",
        "batched_model",
        "model on every column, stacked",
        """\
def batched_model(SIGNAL):
    # reuse model for every signal of the batch
    columns = [model(SIGNAL[:, i]) for i in range(SIGNAL.shape[1])]
    return torch.stack(columns, dim=1)
""",
    ),
    Wrong(
        "batch_unrolled_sample_by_sample",
        "batched_model",
        "nested loops over samples and frames",
        """\
def batched_model(SIGNAL):
    frames, samples = SIGNAL.size(0), SIGNAL.size(1)
    RESULT = torch.zeros(frames, samples)
    for s in range(samples):
        STATE = torch.zeros(())
        for f in range(frames):
            STATE = cell(SIGNAL[f, s], STATE)
            RESULT[f, s] = STATE
    return RESULT
""",
    ),
    Wrong(
        "result_concatenated_not_stacked",
        "batched_model",
        "torch.cat of the state list",
        """\
def batched_model(SIGNAL):
    # SIGNAL: (frames, samples)  ->  RESULT: (frames, samples)
    frames, samples = SIGNAL.size(0), SIGNAL.size(1)
    STATE = torch.zeros(samples)
    STATES = []
    for frame in range(frames):
        STATE = cell(SIGNAL[frame], STATE)
        STATES.append(STATE)
    return torch.cat(STATES)
""",
    ),
    Wrong(
        "result_concatenated_not_stacked",
        "batched_model",
        "grows a tensor with cat each frame",
        """\
def batched_model(SIGNAL):
    out = torch.tensor([])
    h = torch.zeros(SIGNAL.shape[1])
    for t in range(SIGNAL.shape[0]):
        h = cell(SIGNAL[t], h)
        out = torch.cat((out, h))
    return out
""",
    ),
    Wrong(
        "result_shaped_like_a_single_signal",
        "batched_model",
        "model copied with RESULT of shape (frames,)",
        """\
def batched_model(SIGNAL):
    # SIGNAL: (frames, samples)  ->  RESULT: (frames, samples)
    frames, samples = SIGNAL.size(0), SIGNAL.size(1)
    RESULT = torch.empty(frames)
    STATE = torch.zeros(samples)
    for frame in range(frames):
        STATE = cell(SIGNAL[frame], STATE)
        RESULT[frame] = STATE
    return RESULT
""",
    ),
    Wrong(
        "result_shaped_like_a_single_signal",
        "batched_model",
        "returns model(SIGNAL) as is",
        """\
def batched_model(SIGNAL):
    # cell already works on whole vectors, so model should work for a batch too
    return model(SIGNAL)
""",
    ),
    Wrong(
        "batched_states_shifted_by_one",
        "batched_model",
        "writes the row before the update",
        """\
def batched_model(SIGNAL):
    # SIGNAL: (frames, samples)  ->  RESULT: (frames, samples)
    frames, samples = SIGNAL.size(0), SIGNAL.size(1)
    RESULT = torch.empty(frames, samples)
    STATE = torch.zeros(samples)  # STATE: (samples,)
    for frame in range(frames):
        RESULT[frame] = STATE
        STATE = cell(SIGNAL[frame], STATE)
    return RESULT
""",
    ),
    Wrong(
        "batched_states_shifted_by_one",
        "batched_model",
        "stack of all states without the last",
        """\
def batched_model(SIGNAL):
    h = torch.zeros(SIGNAL.shape[1])
    history = [h]
    for x in SIGNAL:
        h = cell(x, h)
        history.append(h)
    return torch.stack(history)[:-1]
""",
    ),
    # -- train --------------------------------------------------------------------------------------
    Wrong(
        "optimizer_never_steps",
        "train",
        "no optimizer.step() line",
        """\
def train(SIGNAL, TARGET, epochs, lr):
    # SIGNAL, TARGET: (frames, samples)  ->  a list of `epochs` floats
    optimizer = torch.optim.SGD([BIAS, WEIGHTF, WEIGHTS], lr=lr)
    LOSSES = []
    for epoch in range(epochs):
        optimizer.zero_grad()
        LOSS = partial_sum_loss(batched_model(SIGNAL), TARGET)
        LOSS.backward()
        LOSSES.append(LOSS.item())
    return LOSSES
""",
    ),
    Wrong(
        "optimizer_never_steps",
        "train",
        "optimizer.step without parentheses",
        """\
def train(SIGNAL, TARGET, epochs, lr):
    opt = torch.optim.SGD([BIAS, WEIGHTF, WEIGHTS], lr=lr)
    losses = []
    for _ in range(epochs):
        prediction = batched_model(SIGNAL)
        loss = partial_sum_loss(prediction, TARGET)
        opt.zero_grad()
        loss.backward()
        opt.step
        losses.append(loss.item())
    return losses
""",
    ),
    Wrong(
        "optimizer_missing_a_parameter",
        "train",
        "BIAS left out of the optimizer",
        """\
def train(SIGNAL, TARGET, epochs, lr):
    # SIGNAL, TARGET: (frames, samples)  ->  a list of `epochs` floats
    optimizer = torch.optim.SGD([WEIGHTF, WEIGHTS], lr=lr)
    LOSSES = []
    for epoch in range(epochs):
        LOSS = partial_sum_loss(batched_model(SIGNAL), TARGET)
        optimizer.zero_grad()
        LOSS.backward()
        optimizer.step()
        LOSSES.append(LOSS.item())
    return LOSSES
""",
    ),
    Wrong(
        "optimizer_missing_a_parameter",
        "train",
        "parameter list without WEIGHTS",
        """\
def train(SIGNAL, TARGET, epochs, lr):
    params = [BIAS, WEIGHTF]
    optimizer = torch.optim.SGD(params, lr=lr)
    history = []
    for i in range(epochs):
        optimizer.zero_grad()
        out = batched_model(SIGNAL)
        loss = partial_sum_loss(out, TARGET)
        loss.backward()
        optimizer.step()
        history.append(loss.item())
    return history
""",
    ),
    Wrong(
        "sgd_with_momentum",
        "train",
        "momentum 0.9",
        """\
def train(SIGNAL, TARGET, epochs, lr):
    # SIGNAL, TARGET: (frames, samples)  ->  a list of `epochs` floats
    optimizer = torch.optim.SGD([BIAS, WEIGHTF, WEIGHTS], lr=lr, momentum=0.9)
    LOSSES = []
    for epoch in range(epochs):
        LOSS = partial_sum_loss(batched_model(SIGNAL), TARGET)
        optimizer.zero_grad()
        LOSS.backward()
        optimizer.step()
        LOSSES.append(LOSS.item())
    return LOSSES
""",
    ),
    Wrong(
        "sgd_with_momentum",
        "train",
        "keyword params and momentum 0.5",
        """\
def train(SIGNAL, TARGET, epochs, lr):
    optimizer = torch.optim.SGD(params=[BIAS, WEIGHTF, WEIGHTS], lr=lr, momentum=0.5)
    all_losses = []
    for epoch in range(epochs):
        optimizer.zero_grad()
        loss = partial_sum_loss(batched_model(SIGNAL), TARGET)
        loss.backward()
        optimizer.step()
        all_losses.append(loss.item())
    return all_losses
""",
    ),
    Wrong(
        "only_last_loss_returned",
        "train",
        "append indented outside the loop",
        """\
def train(SIGNAL, TARGET, epochs, lr):
    # SIGNAL, TARGET: (frames, samples)  ->  a list of `epochs` floats
    optimizer = torch.optim.SGD([BIAS, WEIGHTF, WEIGHTS], lr=lr)
    LOSSES = []
    for epoch in range(epochs):
        LOSS = partial_sum_loss(batched_model(SIGNAL), TARGET)
        optimizer.zero_grad()
        LOSS.backward()
        optimizer.step()
    LOSSES.append(LOSS.item())
    return LOSSES
""",
    ),
    Wrong(
        "only_last_loss_returned",
        "train",
        "returns the final float",
        """\
def train(SIGNAL, TARGET, epochs, lr):
    sgd = torch.optim.SGD([BIAS, WEIGHTF, WEIGHTS], lr=lr)
    for epoch in range(epochs):
        sgd.zero_grad()
        loss = partial_sum_loss(batched_model(SIGNAL), TARGET)
        loss.backward()
        sgd.step()
    return loss.item()
""",
    ),
    Wrong(
        "fits_only_the_final_sum",
        "train",
        "index -1 of result and target",
        """\
def train(SIGNAL, TARGET, epochs, lr):
    # SIGNAL, TARGET: (frames, samples)  ->  a list of `epochs` floats
    optimizer = torch.optim.SGD([BIAS, WEIGHTF, WEIGHTS], lr=lr)
    LOSSES = []
    for epoch in range(epochs):
        RESULT = batched_model(SIGNAL)[-1]  # the sums after the last frame
        LOSS = partial_sum_loss(RESULT, TARGET[-1])
        optimizer.zero_grad()
        LOSS.backward()
        optimizer.step()
        LOSSES.append(LOSS.item())
    return LOSSES
""",
    ),
    Wrong(
        "fits_only_the_final_sum",
        "train",
        "last row picked by its frame count",
        """\
def train(SIGNAL, TARGET, epochs, lr):
    optimizer = torch.optim.SGD([BIAS, WEIGHTF, WEIGHTS], lr=lr)
    frames = SIGNAL.shape[0]
    losses = []
    for epoch in range(epochs):
        out = batched_model(SIGNAL)
        loss = partial_sum_loss(out[frames - 1], TARGET[frames - 1])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses
""",
    ),
    Wrong(
        "epoch_count_off_by_one",
        "train",
        "range(1, epochs)",
        """\
def train(SIGNAL, TARGET, epochs, lr):
    # SIGNAL, TARGET: (frames, samples)  ->  a list of `epochs` floats
    optimizer = torch.optim.SGD([BIAS, WEIGHTF, WEIGHTS], lr=lr)
    LOSSES = []
    for epoch in range(1, epochs):
        LOSS = partial_sum_loss(batched_model(SIGNAL), TARGET)
        optimizer.zero_grad()
        LOSS.backward()
        optimizer.step()
        LOSSES.append(LOSS.item())
    return LOSSES
""",
    ),
    Wrong(
        "epoch_count_off_by_one",
        "train",
        "while loop up to epochs inclusive",
        """\
def train(SIGNAL, TARGET, epochs, lr):
    optimizer = torch.optim.SGD([BIAS, WEIGHTF, WEIGHTS], lr=lr)
    losses = []
    epoch = 0
    while epoch <= epochs:
        optimizer.zero_grad()
        loss = partial_sum_loss(batched_model(SIGNAL), TARGET)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
        epoch += 1
    return losses
""",
    ),
    Wrong(
        "manual_update_outside_no_grad",
        "train",
        "in-place -= in a loop over parameters",
        """\
def train(SIGNAL, TARGET, epochs, lr):
    # plain gradient descent by hand
    LOSSES = []
    for epoch in range(epochs):
        LOSS = partial_sum_loss(batched_model(SIGNAL), TARGET)
        LOSS.backward()
        for p in [BIAS, WEIGHTF, WEIGHTS]:
            p -= lr * p.grad
            p.grad.zero_()
        LOSSES.append(LOSS.item())
    return LOSSES
""",
    ),
    Wrong(
        "manual_update_outside_no_grad",
        "train",
        "sub_ on each parameter by name",
        """\
def train(SIGNAL, TARGET, epochs, lr):
    losses = []
    for epoch in range(epochs):
        for p in (BIAS, WEIGHTF, WEIGHTS):
            p.grad = None
        loss = partial_sum_loss(batched_model(SIGNAL), TARGET)
        loss.backward()
        BIAS.sub_(lr * BIAS.grad)
        WEIGHTF.sub_(lr * WEIGHTF.grad)
        WEIGHTS.sub_(lr * WEIGHTS.grad)
        losses.append(loss.item())
    return losses
""",
    ),
    Wrong(
        "gradient_ascent",
        "train",
        "manual update adds the gradient",
        """\
def train(SIGNAL, TARGET, epochs, lr):
    LOSSES = []
    for epoch in range(epochs):
        LOSS = partial_sum_loss(batched_model(SIGNAL), TARGET)
        LOSS.backward()
        with torch.no_grad():
            for parameter in (BIAS, WEIGHTF, WEIGHTS):
                parameter += lr * parameter.grad
                parameter.grad = None
        LOSSES.append(LOSS.item())
    return LOSSES
""",
    ),
    Wrong(
        "gradient_ascent",
        "train",
        "data attribute plus lr times grad",
        """\
def train(SIGNAL, TARGET, epochs, lr):
    params = [BIAS, WEIGHTF, WEIGHTS]
    out = []
    for e in range(epochs):
        for w in params:
            w.grad = None
        loss = partial_sum_loss(batched_model(SIGNAL), TARGET)
        loss.backward()
        for w in params:
            w.data = w.data + lr * w.grad  # step along the gradient
        out.append(loss.item())
    return out
""",
    ),
    Wrong(
        "hard_coded_learning_rate",
        "train",
        "SGD left at its default lr",
        """\
def train(SIGNAL, TARGET, epochs, lr):
    # SIGNAL, TARGET: (frames, samples)  ->  a list of `epochs` floats
    optimizer = torch.optim.SGD([BIAS, WEIGHTF, WEIGHTS])
    LOSSES = []
    for epoch in range(epochs):
        LOSS = partial_sum_loss(batched_model(SIGNAL), TARGET)
        optimizer.zero_grad()
        LOSS.backward()
        optimizer.step()
        LOSSES.append(LOSS.item())
    return LOSSES
""",
    ),
    Wrong(
        "hard_coded_learning_rate",
        "train",
        "lr fixed at 0.05",
        """\
def train(SIGNAL, TARGET, epochs, lr):
    learning_rate = 0.05
    optimizer = torch.optim.SGD([BIAS, WEIGHTF, WEIGHTS], lr=learning_rate)
    losses = []
    for epoch in range(epochs):
        optimizer.zero_grad()
        loss = partial_sum_loss(batched_model(SIGNAL), TARGET)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses
""",
    ),
    Wrong(
        "losses_accumulated_across_epochs",
        "train",
        "running_loss total appended",
        """\
def train(SIGNAL, TARGET, epochs, lr):
    optimizer = torch.optim.SGD([BIAS, WEIGHTF, WEIGHTS], lr=lr)
    LOSSES = []
    running_loss = 0.0
    for epoch in range(epochs):
        optimizer.zero_grad()
        LOSS = partial_sum_loss(batched_model(SIGNAL), TARGET)
        LOSS.backward()
        optimizer.step()
        running_loss += LOSS.item()
        LOSSES.append(running_loss)
    return LOSSES
""",
    ),
    Wrong(
        "losses_accumulated_across_epochs",
        "train",
        "adds the previous list entry",
        """\
def train(SIGNAL, TARGET, epochs, lr):
    optimizer = torch.optim.SGD([BIAS, WEIGHTF, WEIGHTS], lr=lr)
    losses = []
    for epoch in range(epochs):
        loss = partial_sum_loss(batched_model(SIGNAL), TARGET)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        previous = losses[-1] if losses else 0.0
        losses.append(previous + loss.item())
    return losses
""",
    ),
    Wrong(
        "parameters_restarted_in_train",
        "train",
        "random restart copied from the notebook",
        """\
def train(SIGNAL, TARGET, epochs, lr):
    with torch.no_grad():  # restart from small random values
        for parameter in (BIAS, WEIGHTF, WEIGHTS):
            parameter.copy_(torch.rand(()))
    optimizer = torch.optim.SGD([BIAS, WEIGHTF, WEIGHTS], lr=lr)
    LOSSES = []
    for epoch in range(epochs):
        LOSS = partial_sum_loss(batched_model(SIGNAL), TARGET)
        optimizer.zero_grad()
        LOSS.backward()
        optimizer.step()
        LOSSES.append(LOSS.item())
    return LOSSES
""",
    ),
    Wrong(
        "parameters_restarted_in_train",
        "train",
        "parameters zeroed through .data",
        """\
def train(SIGNAL, TARGET, epochs, lr):
    # reset the parameters so that every call trains from scratch
    for p in (BIAS, WEIGHTF, WEIGHTS):
        p.data.zero_()
    opt = torch.optim.SGD([BIAS, WEIGHTF, WEIGHTS], lr=lr)
    losses = []
    for i in range(epochs):
        opt.zero_grad()
        loss = partial_sum_loss(batched_model(SIGNAL), TARGET)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses
""",
    ),
]
