"""A held-out set of wrong answers: written apart from the kit's diagnosis and never used to tune it.

Every graded task of both assignments gets three mistakes a teacher sees every term, each coded
twice, the way two different students would write it (their own names and layout).  Each
``Wrong`` is the whole answer cell of its task, every other task answered right; it should cost
the points of its own task and of no other.  ``HELD_OUT[assignment]`` lists them, in the same
form as ``WRONG`` of ``examples.unforeseen``, so that the same counts (named right, not named,
named wrong) can be taken of them.
"""

from examples.unforeseen import Wrong

_SUM_HEADER = "# BIAS, WEIGHTF, WEIGHTS: 0-dim float tensors, random start, requires_grad=True\n"
_SUM_PARAMS = (
    _SUM_HEADER + "BIAS = torch.randn((), requires_grad=True)\n"
    "WEIGHTF = torch.randn((), requires_grad=True)\n"
    "WEIGHTS = torch.randn((), requires_grad=True)\n"
)
_LAYERS_HEADER = (
    "# BIAS1, WEIGHT1F, WEIGHT1S, BIAS2, WEIGHT2F, WEIGHT2S: 0-dim float tensors, random start, requires_grad=True\n"
)
_LAYERS_PARAMS = (
    _LAYERS_HEADER + "BIAS1 = torch.randn((), requires_grad=True)\n"
    "WEIGHT1F = torch.randn((), requires_grad=True)\n"
    "WEIGHT1S = torch.randn((), requires_grad=True)\n"
    "BIAS2 = torch.randn((), requires_grad=True)\n"
    "WEIGHT2F = torch.randn((), requires_grad=True)\n"
    "WEIGHT2S = torch.randn((), requires_grad=True)\n"
)

RNN_SUM = [
    # -- cell -----------------------------------------------------------------------------------
    Wrong(
        "parameters_without_requires_grad",
        "cell",
        "plain torch.randn(()), no requires_grad",
        _SUM_HEADER + "BIAS = torch.randn(())\n"
        "WEIGHTF = torch.randn(())\n"
        "WEIGHTS = torch.randn(())\n"
        "\n\n"
        "def cell(FRAME, STATE):\n"
        "    # FRAME, STATE: () or (samples,)  ->  new STATE, same shape\n"
        "    return BIAS + FRAME * WEIGHTF + STATE * WEIGHTS\n",
    ),
    Wrong(
        "parameters_without_requires_grad",
        "cell",
        "torch.tensor of random.gauss values",
        "import random\n\n"
        "b0, wf0, ws0 = random.gauss(0, 1), random.gauss(0, 1), random.gauss(0, 1)\n"
        "BIAS = torch.tensor(b0)\n"
        "WEIGHTF = torch.tensor(wf0)\n"
        "WEIGHTS = torch.tensor(ws0)\n"
        "\n\n"
        "def cell(FRAME, STATE):\n"
        "    new_state = WEIGHTF * FRAME + WEIGHTS * STATE + BIAS\n"
        "    return new_state\n",
    ),
    Wrong(
        "parameters_of_shape_one",
        "cell",
        "torch.randn(1, requires_grad=True)",
        _SUM_HEADER + "BIAS = torch.randn(1, requires_grad=True)\n"
        "WEIGHTF = torch.randn(1, requires_grad=True)\n"
        "WEIGHTS = torch.randn(1, requires_grad=True)\n"
        "\n\n"
        "def cell(FRAME, STATE):\n"
        "    # FRAME, STATE: () or (samples,)  ->  new STATE, same shape\n"
        "    STATE = BIAS + FRAME * WEIGHTF + STATE * WEIGHTS\n"
        "    return STATE\n",
    ),
    Wrong(
        "parameters_of_shape_one",
        "cell",
        "torch.rand([1]).requires_grad_() in a loop",
        "params = []\n"
        "for _ in range(3):\n"
        "    params.append(torch.rand([1]).requires_grad_())\n"
        "BIAS, WEIGHTF, WEIGHTS = params\n"
        "\n\n"
        "def cell(FRAME, STATE):\n"
        "    out = torch.add(BIAS, WEIGHTF * FRAME) + WEIGHTS * STATE\n"
        "    return out\n",
    ),
    Wrong(
        "frame_and_state_weights_swapped",
        "cell",
        "one line, WEIGHTS on the frame",
        _SUM_PARAMS + "\n\n"
        "def cell(FRAME, STATE):\n"
        "    # FRAME, STATE: () or (samples,)  ->  new STATE, same shape\n"
        "    STATE = BIAS + FRAME * WEIGHTS + STATE * WEIGHTF\n"
        "    return STATE\n",
    ),
    Wrong(
        "frame_and_state_weights_swapped",
        "cell",
        "two partial terms, then the bias",
        "BIAS, WEIGHTF, WEIGHTS = (torch.randn((), requires_grad=True) for _ in range(3))\n"
        "\n\n"
        "def cell(FRAME, STATE):\n"
        "    x_part = WEIGHTS * FRAME\n"
        "    h_part = WEIGHTF * STATE\n"
        "    return x_part + h_part + BIAS\n",
    ),
    # -- model ----------------------------------------------------------------------------------
    Wrong(
        "returns_only_the_final_state",
        "model",
        "loop, return STATE",
        "def model(SIGNAL):\n"
        "    # SIGNAL: (frames,)  ->  RESULT: (frames,), the state after every frame\n"
        "    STATE = torch.zeros(())\n"
        "    for frame in range(SIGNAL.size(0)):\n"
        "        STATE = cell(SIGNAL[frame], STATE)\n"
        "    return STATE\n",
    ),
    Wrong(
        "returns_only_the_final_state",
        "model",
        "list of states, stack, last one",
        "def model(SIGNAL):\n"
        "    h = torch.tensor(0.0)\n"
        "    history = []\n"
        "    for x in SIGNAL:\n"
        "        h = cell(x, h)\n"
        "        history.append(h)\n"
        "    return torch.stack(history)[-1]\n",
    ),
    Wrong(
        "states_stored_before_the_update",
        "model",
        "filled tensor, store then update",
        "def model(SIGNAL):\n"
        "    n = SIGNAL.size(0)\n"
        "    RESULT = torch.zeros(n)\n"
        "    STATE = torch.zeros(())\n"
        "    for t in range(n):\n"
        "        RESULT[t] = STATE\n"
        "        STATE = cell(SIGNAL[t], STATE)\n"
        "    return RESULT\n",
    ),
    Wrong(
        "states_stored_before_the_update",
        "model",
        "list from the zero state, drop the last",
        "def model(SIGNAL):\n"
        "    states = [torch.zeros(())]\n"
        "    for frame in SIGNAL:\n"
        "        states.append(cell(frame, states[-1]))\n"
        "    return torch.stack(states[:-1])\n",
    ),
    Wrong(
        "result_detached_from_the_parameters",
        "model",
        "RESULT[frame] = STATE.item()",
        "def model(SIGNAL):\n"
        "    # SIGNAL: (frames,)  ->  RESULT: (frames,), the state after every frame\n"
        "    frames = SIGNAL.size(0)\n"
        "    RESULT = torch.empty(frames)\n"
        "    STATE = torch.zeros(())\n"
        "    for frame in range(frames):\n"
        "        STATE = cell(SIGNAL[frame], STATE)\n"
        "        RESULT[frame] = STATE.item()\n"
        "    return RESULT\n",
    ),
    Wrong(
        "result_detached_from_the_parameters",
        "model",
        "detached states in a list, stacked",
        "def model(SIGNAL):\n"
        "    sums = []\n"
        "    s = torch.zeros(())\n"
        "    for i in range(len(SIGNAL)):\n"
        "        s = cell(SIGNAL[i], s)\n"
        "        sums.append(s.detach())\n"
        "    return torch.stack(sums)\n",
    ),
    # -- partial_sum_loss -------------------------------------------------------------------------
    Wrong(
        "summed_instead_of_averaged",
        "partial_sum_loss",
        "torch.sum of the squares",
        "def partial_sum_loss(RESULT, TARGET):\n"
        "    # RESULT, TARGET: any equal shapes  ->  LOSS: ()\n"
        "    LOSS = torch.sum((RESULT - TARGET) ** 2)\n"
        "    return LOSS\n",
    ),
    Wrong(
        "summed_instead_of_averaged",
        "partial_sum_loss",
        "diff times diff, .sum()",
        "def partial_sum_loss(RESULT, TARGET):\n    diff = RESULT - TARGET\n    return (diff * diff).sum()\n",
    ),
    Wrong(
        "error_averaged_before_squaring",
        "partial_sum_loss",
        "torch.mean of the difference, squared",
        "def partial_sum_loss(RESULT, TARGET):\n"
        "    # RESULT, TARGET: any equal shapes  ->  LOSS: ()\n"
        "    LOSS = torch.mean(RESULT - TARGET) ** 2\n"
        "    return LOSS\n",
    ),
    Wrong(
        "error_averaged_before_squaring",
        "partial_sum_loss",
        "mean error, times itself",
        "def partial_sum_loss(RESULT, TARGET):\n"
        "    err = (RESULT - TARGET).mean()\n"
        "    loss = err * err\n"
        "    return loss\n",
    ),
    Wrong(
        "loss_returned_as_a_python_float",
        "partial_sum_loss",
        "square().mean().item()",
        "def partial_sum_loss(RESULT, TARGET):\n"
        "    # RESULT, TARGET: any equal shapes  ->  LOSS: ()\n"
        "    LOSS = torch.square(RESULT - TARGET).mean()\n"
        "    return LOSS.item()\n",
    ),
    Wrong(
        "loss_returned_as_a_python_float",
        "partial_sum_loss",
        "numpy mean of the detached errors, float()",
        "import numpy as np\n"
        "\n\n"
        "def partial_sum_loss(RESULT, TARGET):\n"
        "    errors = (RESULT - TARGET).detach().numpy()\n"
        "    return float(np.mean(errors**2))\n",
    ),
    # -- batched_model ----------------------------------------------------------------------------
    Wrong(
        "result_transposed",
        "batched_model",
        "empty(samples, frames), fill columns",
        "def batched_model(SIGNAL):\n"
        "    # SIGNAL: (frames, samples)  ->  RESULT: (frames, samples)\n"
        "    frames, samples = SIGNAL.shape\n"
        "    RESULT = torch.empty(samples, frames)\n"
        "    STATE = torch.zeros(samples)\n"
        "    for t in range(frames):\n"
        "        STATE = cell(SIGNAL[t], STATE)\n"
        "        RESULT[:, t] = STATE\n"
        "    return RESULT\n",
    ),
    Wrong(
        "result_transposed",
        "batched_model",
        "list of states, stack along dim 1",
        "def batched_model(SIGNAL):\n"
        "    h = torch.zeros(SIGNAL.size(1))\n"
        "    hs = []\n"
        "    for x in SIGNAL:\n"
        "        h = cell(x, h)\n"
        "        hs.append(h)\n"
        "    return torch.stack(hs, dim=1)\n",
    ),
    Wrong(
        "unrolled_over_samples_instead_of_frames",
        "batched_model",
        "index SIGNAL[:, s], state of frames",
        "def batched_model(SIGNAL):\n"
        "    # SIGNAL: (frames, samples)  ->  RESULT: (frames, samples)\n"
        "    frames, samples = SIGNAL.size(0), SIGNAL.size(1)\n"
        "    RESULT = torch.empty(frames, samples)\n"
        "    STATE = torch.zeros(frames)\n"
        "    for s in range(samples):\n"
        "        STATE = cell(SIGNAL[:, s], STATE)\n"
        "        RESULT[:, s] = STATE\n"
        "    return RESULT\n",
    ),
    Wrong(
        "unrolled_over_samples_instead_of_frames",
        "batched_model",
        "loop over SIGNAL.T, stack columns",
        "def batched_model(SIGNAL):\n"
        "    h = torch.zeros(SIGNAL.size(0))\n"
        "    cols = []\n"
        "    for column in SIGNAL.T:\n"
        "        h = cell(column, h)\n"
        "        cols.append(h)\n"
        "    return torch.stack(cols, dim=1)\n",
    ),
    Wrong(
        "zero_state_sized_by_frames",
        "batched_model",
        "torch.zeros(SIGNAL.size(0)), filled tensor",
        "def batched_model(SIGNAL):\n"
        "    # SIGNAL: (frames, samples)  ->  RESULT: (frames, samples)\n"
        "    frames, samples = SIGNAL.size(0), SIGNAL.size(1)\n"
        "    RESULT = torch.empty(frames, samples)\n"
        "    STATE = torch.zeros(SIGNAL.size(0))\n"
        "    for frame in range(frames):\n"
        "        STATE = cell(SIGNAL[frame], STATE)\n"
        "        RESULT[frame] = STATE\n"
        "    return RESULT\n",
    ),
    Wrong(
        "zero_state_sized_by_frames",
        "batched_model",
        "torch.zeros(len(SIGNAL)), stacked list",
        "def batched_model(SIGNAL):\n"
        "    state = torch.zeros(len(SIGNAL))\n"
        "    outputs = []\n"
        "    for t in range(len(SIGNAL)):\n"
        "        state = cell(SIGNAL[t], state)\n"
        "        outputs.append(state)\n"
        "    return torch.stack(outputs)\n",
    ),
    # -- train ----------------------------------------------------------------------------------
    Wrong(
        "gradients_never_cleared",
        "train",
        "no zero_grad at all",
        "def train(SIGNAL, TARGET, epochs, lr):\n"
        "    # SIGNAL, TARGET: (frames, samples)  ->  a list of `epochs` floats\n"
        "    optimizer = torch.optim.SGD([BIAS, WEIGHTF, WEIGHTS], lr=lr)\n"
        "    LOSSES = []\n"
        "    for epoch in range(epochs):\n"
        "        LOSS = partial_sum_loss(batched_model(SIGNAL), TARGET)\n"
        "        LOSS.backward()\n"
        "        optimizer.step()\n"
        "        LOSSES.append(LOSS.item())\n"
        "    return LOSSES\n",
    ),
    Wrong(
        "gradients_never_cleared",
        "train",
        "zero_grad once, before the loop",
        "def train(SIGNAL, TARGET, epochs, lr):\n"
        "    opt = torch.optim.SGD([BIAS, WEIGHTF, WEIGHTS], lr)\n"
        "    opt.zero_grad()\n"
        "    history = []\n"
        "    for _ in range(epochs):\n"
        "        prediction = batched_model(SIGNAL)\n"
        "        loss = partial_sum_loss(prediction, TARGET)\n"
        "        loss.backward()\n"
        "        opt.step()\n"
        "        history.append(loss.item())\n"
        "    return history\n",
    ),
    Wrong(
        "learning_rate_ignored",
        "train",
        "SGD with lr=0.01 written in",
        "def train(SIGNAL, TARGET, epochs, lr):\n"
        "    # SIGNAL, TARGET: (frames, samples)  ->  a list of `epochs` floats\n"
        "    optimizer = torch.optim.SGD([BIAS, WEIGHTF, WEIGHTS], lr=0.01)\n"
        "    LOSSES = []\n"
        "    for epoch in range(epochs):\n"
        "        LOSS = partial_sum_loss(batched_model(SIGNAL), TARGET)\n"
        "        optimizer.zero_grad()\n"
        "        LOSS.backward()\n"
        "        optimizer.step()\n"
        "        LOSSES.append(LOSS.item())\n"
        "    return LOSSES\n",
    ),
    Wrong(
        "learning_rate_ignored",
        "train",
        "update by hand with a fixed step 0.01",
        "def train(SIGNAL, TARGET, epochs, lr):\n"
        "    step = 0.01\n"
        "    losses = []\n"
        "    for _ in range(epochs):\n"
        "        loss = partial_sum_loss(batched_model(SIGNAL), TARGET)\n"
        "        for p in (BIAS, WEIGHTF, WEIGHTS):\n"
        "            p.grad = None\n"
        "        loss.backward()\n"
        "        with torch.no_grad():\n"
        "            for p in (BIAS, WEIGHTF, WEIGHTS):\n"
        "                p -= step * p.grad\n"
        "        losses.append(loss.item())\n"
        "    return losses\n",
    ),
    Wrong(
        "losses_kept_as_tensors",
        "train",
        "LOSSES.append(LOSS)",
        "def train(SIGNAL, TARGET, epochs, lr):\n"
        "    # SIGNAL, TARGET: (frames, samples)  ->  a list of `epochs` floats\n"
        "    optimizer = torch.optim.SGD([BIAS, WEIGHTF, WEIGHTS], lr=lr)\n"
        "    LOSSES = []\n"
        "    for epoch in range(epochs):\n"
        "        LOSS = partial_sum_loss(batched_model(SIGNAL), TARGET)\n"
        "        optimizer.zero_grad()\n"
        "        LOSS.backward()\n"
        "        optimizer.step()\n"
        "        LOSSES.append(LOSS)\n"
        "    return LOSSES\n",
    ),
    Wrong(
        "losses_kept_as_tensors",
        "train",
        "loss.detach() appended",
        "def train(SIGNAL, TARGET, epochs, lr):\n"
        "    sgd = torch.optim.SGD(params=[BIAS, WEIGHTF, WEIGHTS], lr=lr)\n"
        "    curve = []\n"
        "    for i in range(epochs):\n"
        "        sgd.zero_grad()\n"
        "        loss = partial_sum_loss(batched_model(SIGNAL), TARGET)\n"
        "        loss.backward()\n"
        "        sgd.step()\n"
        "        curve.append(loss.detach())\n"
        "    return curve\n",
    ),
]

RNN_LAYERS = [
    # -- cell -----------------------------------------------------------------------------------
    Wrong(
        "cell_uses_the_layer_1_parameters",
        "cell",
        "BIAS1, WEIGHT1F, WEIGHT1S in the formula",
        _LAYERS_PARAMS + "\n\n"
        "def cell(FRAME, STATE, BIAS, WEIGHTF, WEIGHTS):\n"
        "    # FRAME, STATE: () or (samples,); BIAS, WEIGHTF, WEIGHTS: ()  ->  ACTIVITY, same shape as STATE\n"
        "    ACTIVATION = BIAS1 + FRAME * WEIGHT1F + STATE * WEIGHT1S\n"
        "    ACTIVITY = ACTIVATION\n"
        "    return ACTIVITY\n",
    ),
    Wrong(
        "cell_uses_the_layer_1_parameters",
        "cell",
        "local names bound to the layer 1 globals",
        "BIAS1, WEIGHT1F, WEIGHT1S = [torch.randn((), requires_grad=True) for _ in range(3)]\n"
        "BIAS2, WEIGHT2F, WEIGHT2S = [torch.randn((), requires_grad=True) for _ in range(3)]\n"
        "\n\n"
        "def cell(FRAME, STATE, BIAS, WEIGHTF, WEIGHTS):\n"
        "    b, wf, ws = BIAS1, WEIGHT1F, WEIGHT1S\n"
        "    activity = b + wf * FRAME + ws * STATE\n"
        "    return activity\n",
    ),
    Wrong(
        "tanh_activation_applied",
        "cell",
        "torch.tanh of the activation",
        _LAYERS_PARAMS + "\n\n"
        "def cell(FRAME, STATE, BIAS, WEIGHTF, WEIGHTS):\n"
        "    # FRAME, STATE: () or (samples,); BIAS, WEIGHTF, WEIGHTS: ()  ->  ACTIVITY, same shape as STATE\n"
        "    ACTIVATION = BIAS + FRAME * WEIGHTF + STATE * WEIGHTS\n"
        "    ACTIVITY = torch.tanh(ACTIVATION)\n"
        "    return ACTIVITY\n",
    ),
    Wrong(
        "tanh_activation_applied",
        "cell",
        ".tanh() method on one expression",
        "BIAS1, WEIGHT1F, WEIGHT1S = [torch.randn(()).requires_grad_() for _ in range(3)]\n"
        "BIAS2, WEIGHT2F, WEIGHT2S = [torch.randn(()).requires_grad_() for _ in range(3)]\n"
        "\n\n"
        "def cell(FRAME, STATE, BIAS, WEIGHTF, WEIGHTS):\n"
        "    return (WEIGHTF * FRAME + WEIGHTS * STATE + BIAS).tanh()\n",
    ),
    Wrong(
        "parameters_not_leaf_tensors",
        "cell",
        "unpacked from one randn(6) with grad",
        _LAYERS_HEADER + "BIAS1, WEIGHT1F, WEIGHT1S, BIAS2, WEIGHT2F, WEIGHT2S = torch.randn(6, requires_grad=True)\n"
        "\n\n"
        "def cell(FRAME, STATE, BIAS, WEIGHTF, WEIGHTS):\n"
        "    # FRAME, STATE: () or (samples,); BIAS, WEIGHTF, WEIGHTS: ()  ->  ACTIVITY, same shape as STATE\n"
        "    ACTIVATION = BIAS + FRAME * WEIGHTF + STATE * WEIGHTS\n"
        "    ACTIVITY = ACTIVATION\n"
        "    return ACTIVITY\n",
    ),
    Wrong(
        "parameters_not_leaf_tensors",
        "cell",
        "randn with grad scaled by 0.1",
        "BIAS1 = 0.1 * torch.randn((), requires_grad=True)\n"
        "WEIGHT1F = 0.1 * torch.randn((), requires_grad=True)\n"
        "WEIGHT1S = 0.1 * torch.randn((), requires_grad=True)\n"
        "BIAS2 = 0.1 * torch.randn((), requires_grad=True)\n"
        "WEIGHT2F = 0.1 * torch.randn((), requires_grad=True)\n"
        "WEIGHT2S = 0.1 * torch.randn((), requires_grad=True)\n"
        "\n\n"
        "def cell(FRAME, STATE, BIAS, WEIGHTF, WEIGHTS):\n"
        "    activation = BIAS + WEIGHTF * FRAME + WEIGHTS * STATE\n"
        "    return activation\n",
    ),
    # -- layer ----------------------------------------------------------------------------------
    Wrong(
        "layer_uses_the_layer_1_parameters",
        "layer",
        "cell called with BIAS1, WEIGHT1F, WEIGHT1S",
        "def layer(SIGNAL, BIAS, WEIGHTF, WEIGHTS):\n"
        "    # SIGNAL: (frames, samples)  ->  ACTIVITIES: (frames, samples)\n"
        "    frames, samples = SIGNAL.size(0), SIGNAL.size(1)\n"
        "    ACTIVITIES = torch.empty(frames, samples)\n"
        "    STATE = torch.zeros(samples)\n"
        "    for frame in range(frames):\n"
        "        STATE = cell(SIGNAL[frame], STATE, BIAS1, WEIGHT1F, WEIGHT1S)\n"
        "        ACTIVITIES[frame] = STATE\n"
        "    return ACTIVITIES\n",
    ),
    Wrong(
        "layer_uses_the_layer_1_parameters",
        "layer",
        "a tuple of the layer 1 globals, unpacked",
        "def layer(SIGNAL, BIAS, WEIGHTF, WEIGHTS):\n"
        "    params = (BIAS1, WEIGHT1F, WEIGHT1S)\n"
        "    h = torch.zeros(SIGNAL.shape[1])\n"
        "    out = []\n"
        "    for x in SIGNAL:\n"
        "        h = cell(x, h, *params)\n"
        "        out.append(h)\n"
        "    return torch.stack(out)\n",
    ),
    Wrong(
        "frame_and_state_swapped",
        "layer",
        "cell(STATE, SIGNAL[frame], ...)",
        "def layer(SIGNAL, BIAS, WEIGHTF, WEIGHTS):\n"
        "    # SIGNAL: (frames, samples)  ->  ACTIVITIES: (frames, samples)\n"
        "    frames, samples = SIGNAL.size(0), SIGNAL.size(1)\n"
        "    ACTIVITIES = torch.empty(frames, samples)\n"
        "    STATE = torch.zeros(samples)\n"
        "    for frame in range(frames):\n"
        "        STATE = cell(STATE, SIGNAL[frame], BIAS, WEIGHTF, WEIGHTS)\n"
        "        ACTIVITIES[frame] = STATE\n"
        "    return ACTIVITIES\n",
    ),
    Wrong(
        "frame_and_state_swapped",
        "layer",
        "h = cell(h, x_t, ...) over a stacked list",
        "def layer(SIGNAL, BIAS, WEIGHTF, WEIGHTS):\n"
        "    h = torch.zeros(SIGNAL.size(1))\n"
        "    hs = []\n"
        "    for t in range(SIGNAL.size(0)):\n"
        "        x_t = SIGNAL[t]\n"
        "        h = cell(h, x_t, BIAS, WEIGHTF, WEIGHTS)\n"
        "        hs.append(h)\n"
        "    return torch.stack(hs)\n",
    ),
    Wrong(
        "states_stored_before_the_update",
        "layer",
        "filled tensor, store then update",
        "def layer(SIGNAL, BIAS, WEIGHTF, WEIGHTS):\n"
        "    # SIGNAL: (frames, samples)  ->  ACTIVITIES: (frames, samples)\n"
        "    frames, samples = SIGNAL.size(0), SIGNAL.size(1)\n"
        "    ACTIVITIES = torch.empty(frames, samples)\n"
        "    STATE = torch.zeros(samples)\n"
        "    for frame in range(frames):\n"
        "        ACTIVITIES[frame] = STATE\n"
        "        STATE = cell(SIGNAL[frame], STATE, BIAS, WEIGHTF, WEIGHTS)\n"
        "    return ACTIVITIES\n",
    ),
    Wrong(
        "states_stored_before_the_update",
        "layer",
        "list from the zero state, drop the last",
        "def layer(SIGNAL, BIAS, WEIGHTF, WEIGHTS):\n"
        "    activities = [torch.zeros(SIGNAL.size(1))]\n"
        "    for x in SIGNAL:\n"
        "        activities.append(cell(x, activities[-1], BIAS, WEIGHTF, WEIGHTS))\n"
        "    return torch.stack(activities[:-1])\n",
    ),
    # -- model ----------------------------------------------------------------------------------
    Wrong(
        "layers_in_the_wrong_order",
        "model",
        "layer 2's parameters on the signal, nested",
        "def model(SIGNAL):\n"
        "    # SIGNAL: (frames, samples)  ->  layer 2's ACTIVITIES: (frames, samples)\n"
        "    return layer(layer(SIGNAL, BIAS2, WEIGHT2F, WEIGHT2S), BIAS1, WEIGHT1F, WEIGHT1S)\n",
    ),
    Wrong(
        "layers_in_the_wrong_order",
        "model",
        "loop over a list of parameter triples",
        "def model(SIGNAL):\n"
        "    layers = [(BIAS2, WEIGHT2F, WEIGHT2S), (BIAS1, WEIGHT1F, WEIGHT1S)]\n"
        "    x = SIGNAL\n"
        "    for b, wf, ws in layers:\n"
        "        x = layer(x, b, wf, ws)\n"
        "    return x\n",
    ),
    Wrong(
        "layer_1_parameters_used_twice",
        "model",
        "two named steps, both with layer 1's",
        "def model(SIGNAL):\n"
        "    # SIGNAL: (frames, samples)  ->  layer 2's ACTIVITIES: (frames, samples)\n"
        "    ACTIVITIES1 = layer(SIGNAL, BIAS1, WEIGHT1F, WEIGHT1S)\n"
        "    ACTIVITIES2 = layer(ACTIVITIES1, BIAS1, WEIGHT1F, WEIGHT1S)\n"
        "    return ACTIVITIES2\n",
    ),
    Wrong(
        "layer_1_parameters_used_twice",
        "model",
        "for _ in range(2) with layer 1's",
        "def model(SIGNAL):\n"
        "    h = SIGNAL\n"
        "    for _ in range(2):\n"
        "        h = layer(h, BIAS1, WEIGHT1F, WEIGHT1S)\n"
        "    return h\n",
    ),
    Wrong(
        "layer_2_applied_to_the_signal",
        "model",
        "both layers on SIGNAL, return layer 2's",
        "def model(SIGNAL):\n"
        "    # SIGNAL: (frames, samples)  ->  layer 2's ACTIVITIES: (frames, samples)\n"
        "    ACTIVITIES1 = layer(SIGNAL, BIAS1, WEIGHT1F, WEIGHT1S)\n"
        "    ACTIVITIES2 = layer(SIGNAL, BIAS2, WEIGHT2F, WEIGHT2S)\n"
        "    return ACTIVITIES2\n",
    ),
    Wrong(
        "layer_2_applied_to_the_signal",
        "model",
        "loop over layers, each fed SIGNAL",
        "def model(SIGNAL):\n"
        "    outputs = []\n"
        "    for b, wf, ws in ((BIAS1, WEIGHT1F, WEIGHT1S), (BIAS2, WEIGHT2F, WEIGHT2S)):\n"
        "        outputs.append(layer(SIGNAL, b, wf, ws))\n"
        "    return outputs[-1]\n",
    ),
    # -- train ----------------------------------------------------------------------------------
    Wrong(
        "optimizer_over_layer_1_only",
        "train",
        "SGD over BIAS1, WEIGHT1F, WEIGHT1S",
        "def train(SIGNAL, TARGET, epochs, lr):\n"
        "    # SIGNAL, TARGET: (frames, samples)  ->  a list of `epochs` floats\n"
        "    optimizer = torch.optim.SGD([BIAS1, WEIGHT1F, WEIGHT1S], lr=lr)\n"
        "    LOSSES = []\n"
        "    for epoch in range(epochs):\n"
        "        LOSS = torch.square(model(SIGNAL) - TARGET).mean()\n"
        "        optimizer.zero_grad()\n"
        "        LOSS.backward()\n"
        "        optimizer.step()\n"
        "        LOSSES.append(LOSS.item())\n"
        "    return LOSSES\n",
    ),
    Wrong(
        "optimizer_over_layer_1_only",
        "train",
        "two lists, only the first given",
        "def train(SIGNAL, TARGET, epochs, lr):\n"
        "    first = [BIAS1, WEIGHT1F, WEIGHT1S]\n"
        "    second = [BIAS2, WEIGHT2F, WEIGHT2S]\n"
        "    opt = torch.optim.SGD(first, lr=lr)\n"
        "    history = []\n"
        "    for _ in range(epochs):\n"
        "        opt.zero_grad()\n"
        "        loss = ((model(SIGNAL) - TARGET) ** 2).mean()\n"
        "        loss.backward()\n"
        "        opt.step()\n"
        "        history.append(loss.item())\n"
        "    return history\n",
    ),
    Wrong(
        "loss_summed_instead_of_averaged",
        "train",
        ".sum() of the squared error",
        "def train(SIGNAL, TARGET, epochs, lr):\n"
        "    # SIGNAL, TARGET: (frames, samples)  ->  a list of `epochs` floats\n"
        "    optimizer = torch.optim.SGD([BIAS1, WEIGHT1F, WEIGHT1S, BIAS2, WEIGHT2F, WEIGHT2S], lr=lr)\n"
        "    LOSSES = []\n"
        "    for epoch in range(epochs):\n"
        "        LOSS = torch.square(model(SIGNAL) - TARGET).sum()\n"
        "        optimizer.zero_grad()\n"
        "        LOSS.backward()\n"
        "        optimizer.step()\n"
        "        LOSSES.append(LOSS.item())\n"
        "    return LOSSES\n",
    ),
    Wrong(
        "loss_summed_instead_of_averaged",
        "train",
        "mse_loss with reduction='sum'",
        "import torch.nn.functional as F\n"
        "\n\n"
        "def train(SIGNAL, TARGET, epochs, lr):\n"
        "    params = [BIAS1, WEIGHT1F, WEIGHT1S, BIAS2, WEIGHT2F, WEIGHT2S]\n"
        "    opt = torch.optim.SGD(params, lr=lr)\n"
        "    losses = []\n"
        "    for _ in range(epochs):\n"
        "        opt.zero_grad()\n"
        "        loss = F.mse_loss(model(SIGNAL), TARGET, reduction='sum')\n"
        "        loss.backward()\n"
        "        opt.step()\n"
        "        losses.append(loss.item())\n"
        "    return losses\n",
    ),
    Wrong(
        "loss_recorded_after_the_step",
        "train",
        "loss computed again after step()",
        "def train(SIGNAL, TARGET, epochs, lr):\n"
        "    # SIGNAL, TARGET: (frames, samples)  ->  a list of `epochs` floats\n"
        "    optimizer = torch.optim.SGD([BIAS1, WEIGHT1F, WEIGHT1S, BIAS2, WEIGHT2F, WEIGHT2S], lr=lr)\n"
        "    LOSSES = []\n"
        "    for epoch in range(epochs):\n"
        "        LOSS = torch.square(model(SIGNAL) - TARGET).mean()\n"
        "        optimizer.zero_grad()\n"
        "        LOSS.backward()\n"
        "        optimizer.step()\n"
        "        LOSS = torch.square(model(SIGNAL) - TARGET).mean()\n"
        "        LOSSES.append(LOSS.item())\n"
        "    return LOSSES\n",
    ),
    Wrong(
        "loss_recorded_after_the_step",
        "train",
        "no_grad evaluation after the update",
        "def train(SIGNAL, TARGET, epochs, lr):\n"
        "    params = [BIAS1, WEIGHT1F, WEIGHT1S, BIAS2, WEIGHT2F, WEIGHT2S]\n"
        "    opt = torch.optim.SGD(params, lr=lr)\n"
        "    curve = []\n"
        "    for _ in range(epochs):\n"
        "        opt.zero_grad()\n"
        "        ((model(SIGNAL) - TARGET) ** 2).mean().backward()\n"
        "        opt.step()\n"
        "        with torch.no_grad():\n"
        "            curve.append(((model(SIGNAL) - TARGET) ** 2).mean().item())\n"
        "    return curve\n",
    ),
]

HELD_OUT = {"rnn_sum": RNN_SUM, "rnn_layers": RNN_LAYERS}
