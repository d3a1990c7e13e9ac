"""rnn_layers: wrong answers written apart from the kit's diagnosis (see ``examples/unforeseen``).

Each is the whole answer cell of one task as a student might hand it in, every other task answered
right; each mistake comes in two codings, the way two students would write it.
"""

from examples.unforeseen import Wrong

# -- cell: the six parameters and cell(FRAME, STATE, BIAS, WEIGHTF, WEIGHTS) -----------------------
CELL = [
    Wrong(
        "parameters_not_leaf_tensors",
        "cell",
        "randn with grad, then scaled down",
        """\
# small random starting values, so that nothing blows up
BIAS1 = torch.randn((), requires_grad=True) * 0.1
WEIGHT1F = torch.randn((), requires_grad=True) * 0.1
WEIGHT1S = torch.randn((), requires_grad=True) * 0.1
BIAS2 = torch.randn((), requires_grad=True) * 0.1
WEIGHT2F = torch.randn((), requires_grad=True) * 0.1
WEIGHT2S = torch.randn((), requires_grad=True) * 0.1


def cell(FRAME, STATE, BIAS, WEIGHTF, WEIGHTS):
    # FRAME, STATE: () or (samples,); BIAS, WEIGHTF, WEIGHTS: ()  ->  ACTIVITY, same shape as STATE
    return BIAS + WEIGHTF * FRAME + WEIGHTS * STATE
""",
    ),
    Wrong(
        "parameters_not_leaf_tensors",
        "cell",
        "unpacked from one vector of six",
        """\
params = torch.randn(6, requires_grad=True)
BIAS1, WEIGHT1F, WEIGHT1S, BIAS2, WEIGHT2F, WEIGHT2S = params


def cell(FRAME, STATE, BIAS, WEIGHTF, WEIGHTS):
    activation = BIAS + FRAME * WEIGHTF + STATE * WEIGHTS
    activity = activation  # no activation function
    return activity
""",
    ),
    Wrong(
        "parameters_of_shape_one",
        "cell",
        "randn(1) for each parameter",
        """\
BIAS1 = torch.randn(1, requires_grad=True)
WEIGHT1F = torch.randn(1, requires_grad=True)
WEIGHT1S = torch.randn(1, requires_grad=True)
BIAS2 = torch.randn(1, requires_grad=True)
WEIGHT2F = torch.randn(1, requires_grad=True)
WEIGHT2S = torch.randn(1, requires_grad=True)


def cell(FRAME, STATE, BIAS, WEIGHTF, WEIGHTS):
    # FRAME, STATE: () or (samples,); BIAS, WEIGHTF, WEIGHTS: ()  ->  ACTIVITY, same shape as STATE
    ACTIVATION = BIAS + FRAME * WEIGHTF + STATE * WEIGHTS
    ACTIVITY = ACTIVATION
    return ACTIVITY
""",
    ),
    Wrong(
        "parameters_of_shape_one",
        "cell",
        "helper making rand of size [1]",
        """\
def new_parameter():
    # one random number between 0 and 1 that we can train
    return torch.rand([1]).requires_grad_()


BIAS1, WEIGHT1F, WEIGHT1S = new_parameter(), new_parameter(), new_parameter()
BIAS2, WEIGHT2F, WEIGHT2S = new_parameter(), new_parameter(), new_parameter()


def cell(FRAME, STATE, BIAS, WEIGHTF, WEIGHTS):
    return torch.add(BIAS, torch.add(torch.mul(FRAME, WEIGHTF), torch.mul(STATE, WEIGHTS)))
""",
    ),
    Wrong(
        "state_weight_left_out",
        "cell",
        "adds STATE as it is",
        """\
BIAS1 = torch.randn((), requires_grad=True)
WEIGHT1F = torch.randn((), requires_grad=True)
WEIGHT1S = torch.randn((), requires_grad=True)
BIAS2 = torch.randn((), requires_grad=True)
WEIGHT2F = torch.randn((), requires_grad=True)
WEIGHT2S = torch.randn((), requires_grad=True)


def cell(FRAME, STATE, BIAS, WEIGHTF, WEIGHTS):
    # FRAME, STATE: () or (samples,); BIAS, WEIGHTF, WEIGHTS: ()  ->  ACTIVITY, same shape as STATE
    ACTIVATION = BIAS + FRAME * WEIGHTF + STATE
    ACTIVITY = ACTIVATION
    return ACTIVITY
""",
    ),
    Wrong(
        "state_weight_left_out",
        "cell",
        "torch add and mul, state added last",
        """\
BIAS1, WEIGHT1F, WEIGHT1S = [torch.randn((), requires_grad=True) for _ in range(3)]
BIAS2, WEIGHT2F, WEIGHT2S = [torch.randn((), requires_grad=True) for _ in range(3)]


def cell(FRAME, STATE, BIAS, WEIGHTF, WEIGHTS):
    new_state = torch.add(BIAS, torch.mul(WEIGHTF, FRAME))
    new_state = torch.add(new_state, STATE)
    return new_state
""",
    ),
    Wrong(
        "relu_activation_function",
        "cell",
        "torch.relu on the activation",
        """\
BIAS1 = torch.randn((), requires_grad=True)
WEIGHT1F = torch.randn((), requires_grad=True)
WEIGHT1S = torch.randn((), requires_grad=True)
BIAS2 = torch.randn((), requires_grad=True)
WEIGHT2F = torch.randn((), requires_grad=True)
WEIGHT2S = torch.randn((), requires_grad=True)


def cell(FRAME, STATE, BIAS, WEIGHTF, WEIGHTS):
    ACTIVATION = BIAS + FRAME * WEIGHTF + STATE * WEIGHTS
    ACTIVITY = torch.relu(ACTIVATION)  # activity = activation function of the activation
    return ACTIVITY
""",
    ),
    Wrong(
        "relu_activation_function",
        "cell",
        "maximum with zeros_like",
        """\
BIAS1 = torch.randn((), requires_grad=True)
WEIGHT1F = torch.randn((), requires_grad=True)
WEIGHT1S = torch.randn((), requires_grad=True)
BIAS2 = torch.randn((), requires_grad=True)
WEIGHT2F = torch.randn((), requires_grad=True)
WEIGHT2S = torch.randn((), requires_grad=True)


def cell(FRAME, STATE, BIAS, WEIGHTF, WEIGHTS):
    z = WEIGHTF * FRAME + WEIGHTS * STATE + BIAS
    # keep only the positive part
    return torch.maximum(z, torch.zeros_like(z))
""",
    ),
    Wrong(
        "sigmoid_activation_function",
        "cell",
        "torch.sigmoid",
        """\
BIAS1 = torch.randn((), requires_grad=True)
WEIGHT1F = torch.randn((), requires_grad=True)
WEIGHT1S = torch.randn((), requires_grad=True)
BIAS2 = torch.randn((), requires_grad=True)
WEIGHT2F = torch.randn((), requires_grad=True)
WEIGHT2S = torch.randn((), requires_grad=True)


def cell(FRAME, STATE, BIAS, WEIGHTF, WEIGHTS):
    # FRAME, STATE: () or (samples,); BIAS, WEIGHTF, WEIGHTS: ()  ->  ACTIVITY, same shape as STATE
    ACTIVATION = BIAS + FRAME * WEIGHTF + STATE * WEIGHTS
    ACTIVITY = torch.sigmoid(ACTIVATION)
    return ACTIVITY
""",
    ),
    Wrong(
        "sigmoid_activation_function",
        "cell",
        "logistic written out with exp",
        """\
BIAS1 = torch.randn((), requires_grad=True)
WEIGHT1F = torch.randn((), requires_grad=True)
WEIGHT1S = torch.randn((), requires_grad=True)
BIAS2 = torch.randn((), requires_grad=True)
WEIGHT2F = torch.randn((), requires_grad=True)
WEIGHT2S = torch.randn((), requires_grad=True)


def cell(FRAME, STATE, BIAS, WEIGHTF, WEIGHTS):
    activation = BIAS + FRAME * WEIGHTF + STATE * WEIGHTS
    activity = 1 / (1 + torch.exp(-activation))
    return activity
""",
    ),
    Wrong(
        "one_weight_for_frame_and_state",
        "cell",
        "frame plus state times WEIGHTF",
        """\
BIAS1 = torch.randn((), requires_grad=True)
WEIGHT1F = torch.randn((), requires_grad=True)
WEIGHT1S = torch.randn((), requires_grad=True)
BIAS2 = torch.randn((), requires_grad=True)
WEIGHT2F = torch.randn((), requires_grad=True)
WEIGHT2S = torch.randn((), requires_grad=True)


def cell(FRAME, STATE, BIAS, WEIGHTF, WEIGHTS):
    ACTIVATION = BIAS + (FRAME + STATE) * WEIGHTF
    return ACTIVATION
""",
    ),
    Wrong(
        "one_weight_for_frame_and_state",
        "cell",
        "WEIGHTS on both terms",
        """\
BIAS1 = torch.randn((), requires_grad=True)
WEIGHT1F = torch.randn((), requires_grad=True)
WEIGHT1S = torch.randn((), requires_grad=True)
BIAS2 = torch.randn((), requires_grad=True)
WEIGHT2F = torch.randn((), requires_grad=True)
WEIGHT2S = torch.randn((), requires_grad=True)


def cell(FRAME, STATE, BIAS, WEIGHTF, WEIGHTS):
    h = BIAS + WEIGHTS * FRAME + WEIGHTS * STATE
    return h
""",
    ),
    Wrong(
        "activity_cut_from_graph",
        "cell",
        "detach on the return",
        """\
BIAS1 = torch.randn((), requires_grad=True)
WEIGHT1F = torch.randn((), requires_grad=True)
WEIGHT1S = torch.randn((), requires_grad=True)
BIAS2 = torch.randn((), requires_grad=True)
WEIGHT2F = torch.randn((), requires_grad=True)
WEIGHT2S = torch.randn((), requires_grad=True)


def cell(FRAME, STATE, BIAS, WEIGHTF, WEIGHTS):
    # FRAME, STATE: () or (samples,); BIAS, WEIGHTF, WEIGHTS: ()  ->  ACTIVITY, same shape as STATE
    ACTIVATION = BIAS + FRAME * WEIGHTF + STATE * WEIGHTS
    ACTIVITY = ACTIVATION
    return ACTIVITY.detach()
""",
    ),
    Wrong(
        "activity_cut_from_graph",
        "cell",
        "computed under no_grad",
        """\
BIAS1 = torch.randn((), requires_grad=True)
WEIGHT1F = torch.randn((), requires_grad=True)
WEIGHT1S = torch.randn((), requires_grad=True)
BIAS2 = torch.randn((), requires_grad=True)
WEIGHT2F = torch.randn((), requires_grad=True)
WEIGHT2S = torch.randn((), requires_grad=True)


def cell(FRAME, STATE, BIAS, WEIGHTF, WEIGHTS):
    with torch.no_grad():
        new_state = BIAS + FRAME * WEIGHTF + STATE * WEIGHTS
    return new_state
""",
    ),
    Wrong(
        "cell_returns_activation_and_activity",
        "cell",
        "returns a tuple of both",
        """\
BIAS1 = torch.randn((), requires_grad=True)
WEIGHT1F = torch.randn((), requires_grad=True)
WEIGHT1S = torch.randn((), requires_grad=True)
BIAS2 = torch.randn((), requires_grad=True)
WEIGHT2F = torch.randn((), requires_grad=True)
WEIGHT2S = torch.randn((), requires_grad=True)


def cell(FRAME, STATE, BIAS, WEIGHTF, WEIGHTS):
    # FRAME, STATE: () or (samples,); BIAS, WEIGHTF, WEIGHTS: ()  ->  ACTIVITY, same shape as STATE
    ACTIVATION = BIAS + FRAME * WEIGHTF + STATE * WEIGHTS
    ACTIVITY = ACTIVATION
    return ACTIVATION, ACTIVITY
""",
    ),
    Wrong(
        "cell_returns_activation_and_activity",
        "cell",
        "returns a list of the two",
        """\
BIAS1 = torch.randn((), requires_grad=True)
WEIGHT1F = torch.randn((), requires_grad=True)
WEIGHT1S = torch.randn((), requires_grad=True)
BIAS2 = torch.randn((), requires_grad=True)
WEIGHT2F = torch.randn((), requires_grad=True)
WEIGHT2S = torch.randn((), requires_grad=True)


def cell(FRAME, STATE, BIAS, WEIGHTF, WEIGHTS):
    activation = BIAS + WEIGHTF * FRAME + WEIGHTS * STATE
    activity = activation  # no activation function here
    return [activation, activity]
""",
    ),
    Wrong(
        "bias_inside_the_frame_product",
        "cell",
        "bracket around frame and bias",
        """\
BIAS1 = torch.randn((), requires_grad=True)
WEIGHT1F = torch.randn((), requires_grad=True)
WEIGHT1S = torch.randn((), requires_grad=True)
BIAS2 = torch.randn((), requires_grad=True)
WEIGHT2F = torch.randn((), requires_grad=True)
WEIGHT2S = torch.randn((), requires_grad=True)


def cell(FRAME, STATE, BIAS, WEIGHTF, WEIGHTS):
    ACTIVATION = (BIAS + FRAME) * WEIGHTF + STATE * WEIGHTS
    ACTIVITY = ACTIVATION
    return ACTIVITY
""",
    ),
    Wrong(
        "bias_inside_the_frame_product",
        "cell",
        "weight times frame plus bias",
        """\
BIAS1 = torch.randn((), requires_grad=True)
WEIGHT1F = torch.randn((), requires_grad=True)
WEIGHT1S = torch.randn((), requires_grad=True)
BIAS2 = torch.randn((), requires_grad=True)
WEIGHT2F = torch.randn((), requires_grad=True)
WEIGHT2S = torch.randn((), requires_grad=True)


def cell(FRAME, STATE, BIAS, WEIGHTF, WEIGHTS):
    return torch.mul(WEIGHTF, FRAME + BIAS) + torch.mul(WEIGHTS, STATE)
""",
    ),
]

# -- layer(SIGNAL, BIAS, WEIGHTF, WEIGHTS): SIGNAL (frames, samples) -> (frames, samples) ---------
LAYER = [
    Wrong(
        "signal_transposed_samples_first",
        "layer",
        "transposes with .T, stacks rows",
        """\
def layer(SIGNAL, BIAS, WEIGHTF, WEIGHTS):
    X = SIGNAL.T  # one row per signal
    h = torch.zeros(X.shape[1])
    outputs = []
    for t in range(X.shape[0]):
        h = cell(X[t], h, BIAS, WEIGHTF, WEIGHTS)
        outputs.append(h)
    return torch.stack(outputs)
""",
    ),
    Wrong(
        "signal_transposed_samples_first",
        "layer",
        "transpose(0, 1) in and back out",
        """\
def layer(SIGNAL, BIAS, WEIGHTF, WEIGHTS):
    # SIGNAL: (frames, samples)  ->  ACTIVITIES: (frames, samples)
    signals = SIGNAL.transpose(0, 1)
    n, length = signals.size()
    ACTIVITIES = torch.zeros(n, length)
    STATE = torch.zeros(length)
    for i in range(n):
        STATE = cell(signals[i], STATE, BIAS, WEIGHTF, WEIGHTS)
        ACTIVITIES[i] = STATE
    return ACTIVITIES.transpose(0, 1)
""",
    ),
    Wrong(
        "first_frame_never_fed",
        "layer",
        "range starts at 1",
        """\
def layer(SIGNAL, BIAS, WEIGHTF, WEIGHTS):
    # SIGNAL: (frames, samples)  ->  ACTIVITIES: (frames, samples)
    frames, samples = SIGNAL.shape
    ACTIVITIES = torch.zeros(frames, samples)
    STATE = torch.zeros(samples)
    for t in range(1, frames):
        STATE = cell(SIGNAL[t], STATE, BIAS, WEIGHTF, WEIGHTS)
        ACTIVITIES[t] = STATE
    return ACTIVITIES
""",
    ),
    Wrong(
        "first_frame_never_fed",
        "layer",
        "loops over SIGNAL[1:]",
        """\
def layer(SIGNAL, BIAS, WEIGHTF, WEIGHTS):
    state = torch.zeros(SIGNAL.size(1))
    states = []
    for frame in SIGNAL[1:]:
        state = cell(frame, state, BIAS, WEIGHTF, WEIGHTS)
        states.append(state)
    return torch.stack(states)
""",
    ),
    Wrong(
        "last_frame_never_fed",
        "layer",
        "range stops at frames - 1",
        """\
def layer(SIGNAL, BIAS, WEIGHTF, WEIGHTS):
    # SIGNAL: (frames, samples)  ->  ACTIVITIES: (frames, samples)
    frames = SIGNAL.size(0)
    samples = SIGNAL.size(1)
    ACTIVITIES = torch.zeros(frames, samples)
    STATE = torch.zeros(samples)
    for frame in range(frames - 1):
        STATE = cell(SIGNAL[frame], STATE, BIAS, WEIGHTF, WEIGHTS)
        ACTIVITIES[frame] = STATE
    return ACTIVITIES
""",
    ),
    Wrong(
        "last_frame_never_fed",
        "layer",
        "loops over SIGNAL[:-1] into a list",
        """\
def layer(SIGNAL, BIAS, WEIGHTF, WEIGHTS):
    hidden = torch.zeros(SIGNAL.shape[1])
    activities = []
    for x in SIGNAL[:-1]:
        hidden = cell(x, hidden, BIAS, WEIGHTF, WEIGHTS)
        activities.append(hidden)
    return torch.stack(activities)
""",
    ),
    Wrong(
        "activities_lag_one_frame",
        "layer",
        "stores the state before the step",
        """\
def layer(SIGNAL, BIAS, WEIGHTF, WEIGHTS):
    # SIGNAL: (frames, samples)  ->  ACTIVITIES: (frames, samples)
    frames, samples = SIGNAL.size(0), SIGNAL.size(1)
    ACTIVITIES = torch.empty(frames, samples)
    STATE = torch.zeros(samples)
    for frame in range(frames):
        ACTIVITIES[frame] = STATE
        STATE = cell(SIGNAL[frame], STATE, BIAS, WEIGHTF, WEIGHTS)
    return ACTIVITIES
""",
    ),
    Wrong(
        "activities_lag_one_frame",
        "layer",
        "keeps the zero start, drops the last",
        """\
def layer(SIGNAL, BIAS, WEIGHTF, WEIGHTS):
    states = [torch.zeros(SIGNAL.shape[1])]  # the state before the first frame
    for t in range(SIGNAL.shape[0]):
        states.append(cell(SIGNAL[t], states[-1], BIAS, WEIGHTF, WEIGHTS))
    return torch.stack(states[:-1])
""",
    ),
    Wrong(
        "state_never_carried_over",
        "layer",
        "new name for the output, STATE stays zero",
        """\
def layer(SIGNAL, BIAS, WEIGHTF, WEIGHTS):
    # SIGNAL: (frames, samples)  ->  ACTIVITIES: (frames, samples)
    frames, samples = SIGNAL.size(0), SIGNAL.size(1)
    ACTIVITIES = torch.empty(frames, samples)
    STATE = torch.zeros(samples)
    for frame in range(frames):
        ACTIVITY = cell(SIGNAL[frame], STATE, BIAS, WEIGHTF, WEIGHTS)
        ACTIVITIES[frame] = ACTIVITY
    return ACTIVITIES
""",
    ),
    Wrong(
        "state_never_carried_over",
        "layer",
        "list comprehension with zeros_like",
        """\
def layer(SIGNAL, BIAS, WEIGHTF, WEIGHTS):
    return torch.stack([cell(x, torch.zeros_like(x), BIAS, WEIGHTF, WEIGHTS) for x in SIGNAL])
""",
    ),
    Wrong(
        "activities_returned_samples_first",
        "layer",
        "stack along dim 1",
        """\
def layer(SIGNAL, BIAS, WEIGHTF, WEIGHTS):
    state = torch.zeros(SIGNAL.shape[1])
    history = []
    for t in range(SIGNAL.shape[0]):
        state = cell(SIGNAL[t], state, BIAS, WEIGHTF, WEIGHTS)
        history.append(state)
    return torch.stack(history, dim=1)
""",
    ),
    Wrong(
        "activities_returned_samples_first",
        "layer",
        "fills columns of a samples by frames tensor",
        """\
def layer(SIGNAL, BIAS, WEIGHTF, WEIGHTS):
    # SIGNAL: (frames, samples)  ->  ACTIVITIES: (frames, samples)
    frames, samples = SIGNAL.size(0), SIGNAL.size(1)
    ACTIVITIES = torch.zeros(samples, frames)
    STATE = torch.zeros(samples)
    for frame in range(frames):
        STATE = cell(SIGNAL[frame], STATE, BIAS, WEIGHTF, WEIGHTS)
        ACTIVITIES[:, frame] = STATE
    return ACTIVITIES
""",
    ),
    Wrong(
        "layer_returns_a_list",
        "layer",
        "returns the list it appended to",
        """\
def layer(SIGNAL, BIAS, WEIGHTF, WEIGHTS):
    # SIGNAL: (frames, samples)  ->  ACTIVITIES: (frames, samples)
    STATE = torch.zeros(SIGNAL.size(1))
    ACTIVITIES = []
    for frame in range(SIGNAL.size(0)):
        STATE = cell(SIGNAL[frame], STATE, BIAS, WEIGHTF, WEIGHTS)
        ACTIVITIES.append(STATE)
    return ACTIVITIES
""",
    ),
    Wrong(
        "layer_returns_a_list",
        "layer",
        "while loop, returns a tuple",
        """\
def layer(SIGNAL, BIAS, WEIGHTF, WEIGHTS):
    h = torch.zeros(len(SIGNAL[0]))
    acts = []
    t = 0
    while t < len(SIGNAL):
        h = cell(SIGNAL[t], h, BIAS, WEIGHTF, WEIGHTS)
        acts.append(h)
        t += 1
    return tuple(acts)
""",
    ),
    Wrong(
        "frame_and_state_swapped_in_the_call",
        "layer",
        "STATE passed first, indexed loop",
        """\
def layer(SIGNAL, BIAS, WEIGHTF, WEIGHTS):
    # SIGNAL: (frames, samples)  ->  ACTIVITIES: (frames, samples)
    frames, samples = SIGNAL.size(0), SIGNAL.size(1)
    ACTIVITIES = torch.empty(frames, samples)
    STATE = torch.zeros(samples)
    for frame in range(frames):
        STATE = cell(STATE, SIGNAL[frame], BIAS, WEIGHTF, WEIGHTS)
        ACTIVITIES[frame] = STATE
    return ACTIVITIES
""",
    ),
    Wrong(
        "frame_and_state_swapped_in_the_call",
        "layer",
        "h before x over the rows",
        """\
def layer(SIGNAL, BIAS, WEIGHTF, WEIGHTS):
    h = torch.zeros(SIGNAL.shape[1])
    hs = []
    for x in SIGNAL:  # one frame at a time
        h = cell(h, x, BIAS, WEIGHTF, WEIGHTS)
        hs.append(h)
    return torch.stack(hs)
""",
    ),
    Wrong(
        "state_not_started_at_zero",
        "layer",
        "starts from ones",
        """\
def layer(SIGNAL, BIAS, WEIGHTF, WEIGHTS):
    # SIGNAL: (frames, samples)  ->  ACTIVITIES: (frames, samples)
    frames, samples = SIGNAL.size(0), SIGNAL.size(1)
    ACTIVITIES = torch.empty(frames, samples)
    STATE = torch.ones(samples)
    for frame in range(frames):
        STATE = cell(SIGNAL[frame], STATE, BIAS, WEIGHTF, WEIGHTS)
        ACTIVITIES[frame] = STATE
    return ACTIVITIES
""",
    ),
    Wrong(
        "state_not_started_at_zero",
        "layer",
        "starts from the first frame",
        """\
def layer(SIGNAL, BIAS, WEIGHTF, WEIGHTS):
    state = SIGNAL[0]  # start with the first value of each signal
    out = []
    for t in range(len(SIGNAL)):
        state = cell(SIGNAL[t], state, BIAS, WEIGHTF, WEIGHTS)
        out.append(state)
    return torch.stack(out)
""",
    ),
    Wrong(
        "cell_parameters_passed_in_wrong_order",
        "layer",
        "bias passed last",
        """\
def layer(SIGNAL, BIAS, WEIGHTF, WEIGHTS):
    # SIGNAL: (frames, samples)  ->  ACTIVITIES: (frames, samples)
    frames, samples = SIGNAL.size(0), SIGNAL.size(1)
    ACTIVITIES = torch.empty(frames, samples)
    STATE = torch.zeros(samples)
    for frame in range(frames):
        STATE = cell(SIGNAL[frame], STATE, WEIGHTF, WEIGHTS, BIAS)
        ACTIVITIES[frame] = STATE
    return ACTIVITIES
""",
    ),
    Wrong(
        "cell_parameters_passed_in_wrong_order",
        "layer",
        "state weight before frame weight",
        """\
def layer(SIGNAL, BIAS, WEIGHTF, WEIGHTS):
    h = torch.zeros(SIGNAL.shape[1])
    result = []
    for i in range(SIGNAL.shape[0]):
        h = cell(SIGNAL[i], h, BIAS, WEIGHTS, WEIGHTF)
        result.append(h)
    return torch.stack(result)
""",
    ),
]

# -- model(SIGNAL): layer 2 on layer 1 --------------------------------------------------------------
MODEL = [
    Wrong(
        "frame_and_state_weights_passed_swapped",
        "model",
        "both layers, nested call",
        """\
def model(SIGNAL):
    # SIGNAL: (frames, samples)  ->  layer 2's ACTIVITIES: (frames, samples)
    return layer(layer(SIGNAL, BIAS1, WEIGHT1S, WEIGHT1F), BIAS2, WEIGHT2S, WEIGHT2F)
""",
    ),
    Wrong(
        "frame_and_state_weights_passed_swapped",
        "model",
        "layer 2 only, two statements",
        """\
def model(SIGNAL):
    hidden = layer(SIGNAL, BIAS1, WEIGHT1F, WEIGHT1S)
    output = layer(hidden, BIAS2, WEIGHT2S, WEIGHT2F)
    return output
""",
    ),
    Wrong(
        "bias_passed_as_a_weight",
        "model",
        "weights first, bias last",
        """\
def model(SIGNAL):
    # SIGNAL: (frames, samples)  ->  layer 2's ACTIVITIES: (frames, samples)
    ACTIVITIES1 = layer(SIGNAL, WEIGHT1F, WEIGHT1S, BIAS1)
    ACTIVITIES2 = layer(ACTIVITIES1, WEIGHT2F, WEIGHT2S, BIAS2)
    return ACTIVITIES2
""",
    ),
    Wrong(
        "bias_passed_as_a_weight",
        "model",
        "parameter tuples in the wrong order",
        """\
def model(SIGNAL):
    layer1 = (WEIGHT1F, BIAS1, WEIGHT1S)
    layer2 = (WEIGHT2F, BIAS2, WEIGHT2S)
    out = SIGNAL
    for params in (layer1, layer2):
        out = layer(out, *params)
    return out
""",
    ),
    Wrong(
        "layer_1_cut_from_graph",
        "model",
        "detach between the layers",
        """\
def model(SIGNAL):
    # SIGNAL: (frames, samples)  ->  layer 2's ACTIVITIES: (frames, samples)
    ACTIVITIES1 = layer(SIGNAL, BIAS1, WEIGHT1F, WEIGHT1S).detach()
    ACTIVITIES2 = layer(ACTIVITIES1, BIAS2, WEIGHT2F, WEIGHT2S)
    return ACTIVITIES2
""",
    ),
    Wrong(
        "layer_1_cut_from_graph",
        "model",
        "passes .data to layer 2",
        """\
def model(SIGNAL):
    first = layer(SIGNAL, BIAS1, WEIGHT1F, WEIGHT1S)
    second = layer(first.data, BIAS2, WEIGHT2F, WEIGHT2S)
    return second
""",
    ),
    Wrong(
        "second_layer_replaced_by_cumsum",
        "model",
        "method cumsum on layer 1",
        """\
def model(SIGNAL):
    # layer 1 then add up over time (the second running total)
    return layer(SIGNAL, BIAS1, WEIGHT1F, WEIGHT1S).cumsum(0)
""",
    ),
    Wrong(
        "second_layer_replaced_by_cumsum",
        "model",
        "torch.cumsum with dim=0",
        """\
def model(SIGNAL):
    h1 = layer(SIGNAL, BIAS1, WEIGHT1F, WEIGHT1S)
    h2 = torch.cumsum(h1, dim=0)
    return h2
""",
    ),
    Wrong(
        "signal_transposed_for_the_layers",
        "model",
        ".T in and .T out",
        """\
def model(SIGNAL):
    # layer wants one row per signal
    out1 = layer(SIGNAL.T, BIAS1, WEIGHT1F, WEIGHT1S)
    out2 = layer(out1, BIAS2, WEIGHT2F, WEIGHT2S)
    return out2.T
""",
    ),
    Wrong(
        "signal_transposed_for_the_layers",
        "model",
        "transpose(0, 1), not turned back",
        """\
def model(SIGNAL):
    x = SIGNAL.transpose(0, 1)
    x = layer(x, BIAS1, WEIGHT1F, WEIGHT1S)
    x = layer(x, BIAS2, WEIGHT2F, WEIGHT2S)
    return x
""",
    ),
    Wrong(
        "model_returns_both_layers",
        "model",
        "tuple of the two activities",
        """\
def model(SIGNAL):
    # SIGNAL: (frames, samples)  ->  layer 2's ACTIVITIES: (frames, samples)
    ACTIVITIES1 = layer(SIGNAL, BIAS1, WEIGHT1F, WEIGHT1S)
    ACTIVITIES2 = layer(ACTIVITIES1, BIAS2, WEIGHT2F, WEIGHT2S)
    return ACTIVITIES1, ACTIVITIES2
""",
    ),
    Wrong(
        "model_returns_both_layers",
        "model",
        "stacked into one tensor",
        """\
def model(SIGNAL):
    h1 = layer(SIGNAL, BIAS1, WEIGHT1F, WEIGHT1S)
    h2 = layer(h1, BIAS2, WEIGHT2F, WEIGHT2S)
    return torch.stack([h1, h2])
""",
    ),
    Wrong(
        "model_ignores_its_argument",
        "model",
        "lowercase argument, global SIGNAL used",
        """\
def model(signal):
    ACTIVITIES1 = layer(SIGNAL, BIAS1, WEIGHT1F, WEIGHT1S)
    ACTIVITIES2 = layer(ACTIVITIES1, BIAS2, WEIGHT2F, WEIGHT2S)
    return ACTIVITIES2
""",
    ),
    Wrong(
        "model_ignores_its_argument",
        "model",
        "argument x, nested call on SIGNAL",
        """\
def model(x):
    # x: (frames, samples)
    return layer(layer(SIGNAL, BIAS1, WEIGHT1F, WEIGHT1S), BIAS2, WEIGHT2F, WEIGHT2S)
""",
    ),
    Wrong(
        "one_parameter_from_the_other_layer",
        "model",
        "WEIGHT1S typed in layer 2",
        """\
def model(SIGNAL):
    # SIGNAL: (frames, samples)  ->  layer 2's ACTIVITIES: (frames, samples)
    ACTIVITIES1 = layer(SIGNAL, BIAS1, WEIGHT1F, WEIGHT1S)
    ACTIVITIES2 = layer(ACTIVITIES1, BIAS2, WEIGHT2F, WEIGHT1S)
    return ACTIVITIES2
""",
    ),
    Wrong(
        "one_parameter_from_the_other_layer",
        "model",
        "WEIGHT2F typed in layer 1",
        """\
def model(SIGNAL):
    a = layer(SIGNAL, BIAS1, WEIGHT2F, WEIGHT1S)
    b = layer(a, BIAS2, WEIGHT2F, WEIGHT2S)
    return b
""",
    ),
]

# -- train(SIGNAL, TARGET, epochs, lr): plain SGD on the six, one float per epoch ------------------
TRAIN = [
    Wrong(
        "optimizer_never_steps",
        "train",
        "step left out",
        """\
def train(SIGNAL, TARGET, epochs, lr):
    # SIGNAL, TARGET: (frames, samples)  ->  a list of `epochs` floats
    optimizer = torch.optim.SGD([BIAS1, WEIGHT1F, WEIGHT1S, BIAS2, WEIGHT2F, WEIGHT2S], lr=lr)
    LOSSES = []
    for epoch in range(epochs):
        LOSS = torch.square(model(SIGNAL) - TARGET).mean()
        optimizer.zero_grad()
        LOSS.backward()
        LOSSES.append(LOSS.item())
    return LOSSES
""",
    ),
    Wrong(
        "optimizer_never_steps",
        "train",
        "step without parentheses",
        """\
def train(SIGNAL, TARGET, epochs, lr):
    params = [BIAS1, WEIGHT1F, WEIGHT1S, BIAS2, WEIGHT2F, WEIGHT2S]
    opt = torch.optim.SGD(params, lr=lr)
    history = []
    for _ in range(epochs):
        prediction = model(SIGNAL)
        loss = ((prediction - TARGET) ** 2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step
        history.append(loss.item())
    return history
""",
    ),
    Wrong(
        "gradients_cleared_before_the_step",
        "train",
        "zero_grad between backward and step",
        """\
def train(SIGNAL, TARGET, epochs, lr):
    # SIGNAL, TARGET: (frames, samples)  ->  a list of `epochs` floats
    optimizer = torch.optim.SGD([BIAS1, WEIGHT1F, WEIGHT1S, BIAS2, WEIGHT2F, WEIGHT2S], lr=lr)
    LOSSES = []
    for epoch in range(epochs):
        LOSS = torch.square(model(SIGNAL) - TARGET).mean()
        LOSS.backward()
        optimizer.zero_grad()  # clear the old gradients
        optimizer.step()
        LOSSES.append(LOSS.item())
    return LOSSES
""",
    ),
    Wrong(
        "gradients_cleared_before_the_step",
        "train",
        "grad.zero_ by hand after backward",
        """\
def train(SIGNAL, TARGET, epochs, lr):
    params = [BIAS1, WEIGHT1F, WEIGHT1S, BIAS2, WEIGHT2F, WEIGHT2S]
    sgd = torch.optim.SGD(params, lr=lr)
    losses = []
    for epoch in range(epochs):
        loss = torch.mean((model(SIGNAL) - TARGET) ** 2)
        loss.backward()
        for p in params:
            p.grad.zero_()
        sgd.step()
        losses.append(float(loss))
    return losses
""",
    ),
    Wrong(
        "loss_not_squared",
        "train",
        "mean of the differences",
        """\
def train(SIGNAL, TARGET, epochs, lr):
    # SIGNAL, TARGET: (frames, samples)  ->  a list of `epochs` floats
    optimizer = torch.optim.SGD([BIAS1, WEIGHT1F, WEIGHT1S, BIAS2, WEIGHT2F, WEIGHT2S], lr=lr)
    LOSSES = []
    for epoch in range(epochs):
        LOSS = (model(SIGNAL) - TARGET).mean()
        optimizer.zero_grad()
        LOSS.backward()
        optimizer.step()
        LOSSES.append(LOSS.item())
    return LOSSES
""",
    ),
    Wrong(
        "loss_not_squared",
        "train",
        "torch.mean of target minus output",
        """\
def train(SIGNAL, TARGET, epochs, lr):
    opt = torch.optim.SGD([BIAS1, WEIGHT1F, WEIGHT1S, BIAS2, WEIGHT2F, WEIGHT2S], lr)
    all_losses = []
    for i in range(epochs):
        output = model(SIGNAL)
        error = torch.mean(TARGET - output)
        opt.zero_grad()
        error.backward()
        opt.step()
        all_losses.append(error.item())
    return all_losses
""",
    ),
    Wrong(
        "absolute_error_loss",
        "train",
        "abs().mean()",
        """\
def train(SIGNAL, TARGET, epochs, lr):
    # SIGNAL, TARGET: (frames, samples)  ->  a list of `epochs` floats
    optimizer = torch.optim.SGD([BIAS1, WEIGHT1F, WEIGHT1S, BIAS2, WEIGHT2F, WEIGHT2S], lr=lr)
    LOSSES = []
    for epoch in range(epochs):
        LOSS = (model(SIGNAL) - TARGET).abs().mean()
        optimizer.zero_grad()
        LOSS.backward()
        optimizer.step()
        LOSSES.append(LOSS.item())
    return LOSSES
""",
    ),
    Wrong(
        "absolute_error_loss",
        "train",
        "functional l1_loss",
        """\
def train(SIGNAL, TARGET, epochs, lr):
    parameters = [BIAS1, WEIGHT1F, WEIGHT1S, BIAS2, WEIGHT2F, WEIGHT2S]
    optimizer = torch.optim.SGD(parameters, lr=lr)
    losses = []
    for epoch in range(epochs):
        optimizer.zero_grad()
        loss = torch.nn.functional.l1_loss(model(SIGNAL), TARGET)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses
""",
    ),
    Wrong(
        "target_taken_as_partial_sums",
        "train",
        "SIGNAL.cumsum(0) in the loss",
        """\
def train(SIGNAL, TARGET, epochs, lr):
    # SIGNAL, TARGET: (frames, samples)  ->  a list of `epochs` floats
    optimizer = torch.optim.SGD([BIAS1, WEIGHT1F, WEIGHT1S, BIAS2, WEIGHT2F, WEIGHT2S], lr=lr)
    LOSSES = []
    for epoch in range(epochs):
        LOSS = torch.square(model(SIGNAL) - SIGNAL.cumsum(0)).mean()
        optimizer.zero_grad()
        LOSS.backward()
        optimizer.step()
        LOSSES.append(LOSS.item())
    return LOSSES
""",
    ),
    Wrong(
        "target_taken_as_partial_sums",
        "train",
        "TARGET overwritten with torch.cumsum",
        """\
def train(SIGNAL, TARGET, epochs, lr):
    TARGET = torch.cumsum(SIGNAL, dim=0)  # the running totals
    opt = torch.optim.SGD([BIAS1, WEIGHT1F, WEIGHT1S, BIAS2, WEIGHT2F, WEIGHT2S], lr=lr)
    losses = []
    for epoch in range(epochs):
        loss = ((model(SIGNAL) - TARGET) ** 2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses
""",
    ),
    Wrong(
        "sgd_with_momentum",
        "train",
        "momentum=0.9",
        """\
def train(SIGNAL, TARGET, epochs, lr):
    # SIGNAL, TARGET: (frames, samples)  ->  a list of `epochs` floats
    optimizer = torch.optim.SGD([BIAS1, WEIGHT1F, WEIGHT1S, BIAS2, WEIGHT2F, WEIGHT2S], lr=lr, momentum=0.9)
    LOSSES = []
    for epoch in range(epochs):
        LOSS = torch.square(model(SIGNAL) - TARGET).mean()
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
        "momentum 0.5 given positionally",
        """\
def train(SIGNAL, TARGET, epochs, lr):
    weights = [BIAS1, WEIGHT1F, WEIGHT1S, BIAS2, WEIGHT2F, WEIGHT2S]
    optimizer = torch.optim.SGD(weights, lr, 0.5)
    losses = []
    for epoch in range(epochs):
        loss = torch.nn.functional.mse_loss(model(SIGNAL), TARGET)
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
    optimizer = torch.optim.SGD([BIAS1, WEIGHT1F, WEIGHT1S, BIAS2, WEIGHT2F, WEIGHT2S], lr=lr)
    LOSSES = []
    for epoch in range(1, epochs):
        LOSS = torch.square(model(SIGNAL) - TARGET).mean()
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
        "while epoch <= epochs",
        """\
def train(SIGNAL, TARGET, epochs, lr):
    optimizer = torch.optim.SGD([BIAS1, WEIGHT1F, WEIGHT1S, BIAS2, WEIGHT2F, WEIGHT2S], lr=lr)
    losses = []
    epoch = 0
    while epoch <= epochs:
        loss = torch.square(model(SIGNAL) - TARGET).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
        epoch += 1
    return losses
""",
    ),
    Wrong(
        "optimizer_misses_parameters",
        "train",
        "WEIGHT2S forgotten",
        """\
def train(SIGNAL, TARGET, epochs, lr):
    # SIGNAL, TARGET: (frames, samples)  ->  a list of `epochs` floats
    optimizer = torch.optim.SGD([BIAS1, WEIGHT1F, WEIGHT1S, BIAS2, WEIGHT2F], lr=lr)
    LOSSES = []
    for epoch in range(epochs):
        LOSS = torch.square(model(SIGNAL) - TARGET).mean()
        optimizer.zero_grad()
        LOSS.backward()
        optimizer.step()
        LOSSES.append(LOSS.item())
    return LOSSES
""",
    ),
    Wrong(
        "optimizer_misses_parameters",
        "train",
        "only the four weights, no biases",
        """\
def train(SIGNAL, TARGET, epochs, lr):
    weights = [WEIGHT1F, WEIGHT1S, WEIGHT2F, WEIGHT2S]
    optimizer = torch.optim.SGD(weights, lr=lr)
    losses = []
    for epoch in range(epochs):
        optimizer.zero_grad()
        loss = torch.mean(torch.square(model(SIGNAL) - TARGET))
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses
""",
    ),
    Wrong(
        "loss_averaged_over_samples_only",
        "train",
        "sum over frames then mean",
        """\
def train(SIGNAL, TARGET, epochs, lr):
    # SIGNAL, TARGET: (frames, samples)  ->  a list of `epochs` floats
    optimizer = torch.optim.SGD([BIAS1, WEIGHT1F, WEIGHT1S, BIAS2, WEIGHT2F, WEIGHT2S], lr=lr)
    LOSSES = []
    for epoch in range(epochs):
        # squared error of each signal, averaged over the signals
        LOSS = torch.square(model(SIGNAL) - TARGET).sum(0).mean()
        optimizer.zero_grad()
        LOSS.backward()
        optimizer.step()
        LOSSES.append(LOSS.item())
    return LOSSES
""",
    ),
    Wrong(
        "loss_averaged_over_samples_only",
        "train",
        "mean over dim 1 then sum",
        """\
def train(SIGNAL, TARGET, epochs, lr):
    opt = torch.optim.SGD([BIAS1, WEIGHT1F, WEIGHT1S, BIAS2, WEIGHT2F, WEIGHT2S], lr=lr)
    losses = []
    for epoch in range(epochs):
        err = (model(SIGNAL) - TARGET) ** 2
        loss = err.mean(dim=1).sum()
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses
""",
    ),
    Wrong(
        "root_mean_squared_error_loss",
        "train",
        "torch.sqrt of the mean",
        """\
def train(SIGNAL, TARGET, epochs, lr):
    # SIGNAL, TARGET: (frames, samples)  ->  a list of `epochs` floats
    optimizer = torch.optim.SGD([BIAS1, WEIGHT1F, WEIGHT1S, BIAS2, WEIGHT2F, WEIGHT2S], lr=lr)
    LOSSES = []
    for epoch in range(epochs):
        LOSS = torch.sqrt(torch.square(model(SIGNAL) - TARGET).mean())
        optimizer.zero_grad()
        LOSS.backward()
        optimizer.step()
        LOSSES.append(LOSS.item())
    return LOSSES
""",
    ),
    Wrong(
        "root_mean_squared_error_loss",
        "train",
        "mse_loss then .sqrt()",
        """\
def train(SIGNAL, TARGET, epochs, lr):
    optimizer = torch.optim.SGD([BIAS1, WEIGHT1F, WEIGHT1S, BIAS2, WEIGHT2F, WEIGHT2S], lr=lr)
    history = []
    for epoch in range(epochs):
        rmse = torch.nn.functional.mse_loss(model(SIGNAL), TARGET).sqrt()
        optimizer.zero_grad()
        rmse.backward()
        optimizer.step()
        history.append(rmse.item())
    return history
""",
    ),
    Wrong(
        "step_before_backward",
        "train",
        "step first in the loop",
        """\
def train(SIGNAL, TARGET, epochs, lr):
    # SIGNAL, TARGET: (frames, samples)  ->  a list of `epochs` floats
    optimizer = torch.optim.SGD([BIAS1, WEIGHT1F, WEIGHT1S, BIAS2, WEIGHT2F, WEIGHT2S], lr=lr)
    LOSSES = []
    for epoch in range(epochs):
        optimizer.step()
        optimizer.zero_grad()
        LOSS = torch.square(model(SIGNAL) - TARGET).mean()
        LOSS.backward()
        LOSSES.append(LOSS.item())
    return LOSSES
""",
    ),
    Wrong(
        "step_before_backward",
        "train",
        "step before the forward pass",
        """\
def train(SIGNAL, TARGET, epochs, lr):
    opt = torch.optim.SGD([BIAS1, WEIGHT1F, WEIGHT1S, BIAS2, WEIGHT2F, WEIGHT2S], lr=lr)
    opt.zero_grad()
    losses = []
    for epoch in range(epochs):
        opt.step()  # update with the gradients we have
        out = model(SIGNAL)
        loss = ((out - TARGET) ** 2).mean()
        losses.append(loss.item())
        opt.zero_grad()
        loss.backward()
    return losses
""",
    ),
    Wrong(
        "only_the_last_loss_kept",
        "train",
        "append after the loop",
        """\
def train(SIGNAL, TARGET, epochs, lr):
    # SIGNAL, TARGET: (frames, samples)  ->  a list of `epochs` floats
    optimizer = torch.optim.SGD([BIAS1, WEIGHT1F, WEIGHT1S, BIAS2, WEIGHT2F, WEIGHT2S], lr=lr)
    LOSSES = []
    for epoch in range(epochs):
        LOSS = torch.square(model(SIGNAL) - TARGET).mean()
        optimizer.zero_grad()
        LOSS.backward()
        optimizer.step()
    LOSSES.append(LOSS.item())
    return LOSSES
""",
    ),
    Wrong(
        "only_the_last_loss_kept",
        "train",
        "list made anew in every epoch",
        """\
def train(SIGNAL, TARGET, epochs, lr):
    optimizer = torch.optim.SGD([BIAS1, WEIGHT1F, WEIGHT1S, BIAS2, WEIGHT2F, WEIGHT2S], lr=lr)
    for epoch in range(epochs):
        loss = torch.square(model(SIGNAL) - TARGET).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses = [loss.item()]
    return losses
""",
    ),
]

WRONG = CELL + LAYER + MODEL + TRAIN
