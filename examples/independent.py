"""Right answers as different students write them, and a classmate's copy in disguise.

``answers(i)`` is student i's solution: each function written in one of several ways a student
could find on their own (a loop that fills a tensor or one that stacks a list, `mse_loss` or
the square by hand, `torch.optim.SGD` or the update by hand, ...), with names and comments of
their own.  ``disguised_copy(answers)`` is what a student makes of a classmate's notebook to
hide where it came from: every name of their own renamed, the code laid out anew, the comments
replaced.  The class report's similarity check must find the copy and leave the independent
answers alone (tests/test_similarity.py); the demo's class is made of these.
"""

import ast
import random

from examples import assignments

PARAMETERS = [
    "BIAS = torch.randn((), requires_grad=True)\nWEIGHTF = torch.randn((), requires_grad=True)\n"
    "WEIGHTS = torch.randn((), requires_grad=True)\n",
    "BIAS = torch.randn(()).requires_grad_()\nWEIGHTF = torch.randn(()).requires_grad_()\n"
    "WEIGHTS = torch.randn(()).requires_grad_()\n",
    "BIAS, WEIGHTF, WEIGHTS = (torch.randn((), requires_grad=True) for _ in range(3))\n",
    "BIAS = torch.tensor(0.1, requires_grad=True)\nWEIGHTF = torch.tensor(0.5, requires_grad=True)\n"
    "WEIGHTS = torch.tensor(0.5, requires_grad=True)\n",
    "BIAS = torch.nn.Parameter(torch.randn(()))\nWEIGHTF = torch.nn.Parameter(torch.randn(()))\n"
    "WEIGHTS = torch.nn.Parameter(torch.randn(()))\n",
]

_CELL = [
    "def cell(FRAME, STATE):\n    STATE = BIAS + FRAME * WEIGHTF + STATE * WEIGHTS\n    return STATE\n",
    "def cell(FRAME, STATE):\n    return BIAS + WEIGHTF * FRAME + WEIGHTS * STATE\n",
    "def cell(FRAME, STATE):\n    {new} = STATE * WEIGHTS + FRAME * WEIGHTF + BIAS\n    return {new}\n",
    "def cell(FRAME, STATE):\n    {a} = WEIGHTF * FRAME\n    {b} = WEIGHTS * STATE\n    return {a} + {b} + BIAS\n",
    "def cell({x}, {h}):\n    return torch.add(BIAS, {x} * WEIGHTF) + {h} * WEIGHTS\n",
]

MODEL = [
    "def model(SIGNAL):\n    {n} = SIGNAL.size(0)\n    {out} = torch.empty({n})\n    {h} = torch.zeros(())\n"
    "    for {t} in range({n}):\n        {h} = cell(SIGNAL[{t}], {h})\n        {out}[{t}] = {h}\n    return {out}\n",
    "def model(SIGNAL):\n    {h} = torch.zeros(())\n    {out} = []\n    for {x} in SIGNAL:\n"
    "        {h} = cell({x}, {h})\n        {out}.append({h})\n    return torch.stack({out})\n",
    "def model({s}):\n    {h} = torch.tensor(0.0)\n    {out} = []\n    for {t} in range(len({s})):\n"
    "        {h} = cell({s}[{t}], {h})\n        {out}.append({h}.reshape(1))\n    return torch.cat({out})\n",
    "def model(SIGNAL):\n    {h}, {out}, {t} = torch.zeros(()), [], 0\n    while {t} < SIGNAL.shape[0]:\n"
    "        {h} = cell(SIGNAL[{t}], {h})\n        {out} = {out} + [{h}]\n        {t} += 1\n"
    "    return torch.stack({out})\n",
    "def model(SIGNAL):\n    {out} = []\n    for {t}, {x} in enumerate(SIGNAL):\n"
    "        {out}.append(cell({x}, {out}[{t} - 1] if {t} else torch.zeros(())))\n    return torch.stack({out})\n",
]

LOSS = [
    "def partial_sum_loss(RESULT, TARGET):\n    return torch.square(RESULT - TARGET).mean()\n",
    "def partial_sum_loss(RESULT, TARGET):\n    {e} = RESULT - TARGET\n    return ({e} ** 2).mean()\n",
    "def partial_sum_loss({r}, {y}):\n    return torch.nn.functional.mse_loss({r}, {y})\n",
    "def partial_sum_loss(RESULT, TARGET):\n    {e} = RESULT - TARGET\n    return ({e} * {e}).sum() / {e}.numel()\n",
    "def partial_sum_loss({r}, {y}):\n    return torch.mean(torch.pow({r} - {y}, 2))\n",
]

BATCHED = [
    "def batched_model(SIGNAL):\n    {n}, {m} = SIGNAL.shape\n    {out} = torch.empty({n}, {m})\n"
    "    {h} = torch.zeros({m})\n    for {t} in range({n}):\n        {h} = cell(SIGNAL[{t}], {h})\n"
    "        {out}[{t}] = {h}\n    return {out}\n",
    "def batched_model(SIGNAL):\n    {h} = torch.zeros(SIGNAL.shape[1])\n    {out} = []\n"
    "    for {x} in SIGNAL:\n        {h} = cell({x}, {h})\n        {out}.append({h})\n    return torch.stack({out})\n",
    "def batched_model({s}):\n    {h} = torch.zeros_like({s}[0])\n    {out} = []\n"
    "    for {t} in range({s}.size(0)):\n        {h} = cell({s}[{t}], {h})\n        {out}.append({h}.unsqueeze(0))\n"
    "    return torch.cat({out}, dim=0)\n",
    "def batched_model(SIGNAL):\n    {h} = torch.zeros(SIGNAL.size(1))\n    {out} = []\n    {t} = 0\n"
    "    while {t} < len(SIGNAL):\n        {h} = cell(SIGNAL[{t}], {h})\n        {out} += [{h}]\n"
    "        {t} = {t} + 1\n"
    "    return torch.stack({out}, 0)\n",
    "def batched_model(SIGNAL):\n    {out} = []\n    for {t}, {x} in enumerate(SIGNAL):\n"
    "        {out}.append(cell({x}, {out}[-1] if {out} else torch.zeros(SIGNAL.shape[1])))\n"
    "    return torch.stack({out})\n",
]

TRAIN = [
    "def train(SIGNAL, TARGET, epochs, lr):\n    {opt} = torch.optim.SGD([BIAS, WEIGHTF, WEIGHTS], lr=lr)\n"
    "    {hist} = []\n    for {k} in range(epochs):\n        {loss} = partial_sum_loss(batched_model(SIGNAL), TARGET)\n"
    "        {opt}.zero_grad()\n        {loss}.backward()\n        {opt}.step()\n        {hist}.append({loss}.item())\n"
    "    return {hist}\n",
    "def train(SIGNAL, TARGET, epochs, lr):\n    {opt} = torch.optim.SGD(params=[BIAS, WEIGHTF, WEIGHTS], lr=lr)\n"
    "    {hist} = []\n    for _ in range(epochs):\n        {opt}.zero_grad()\n"
    "        {loss} = partial_sum_loss(batched_model(SIGNAL), TARGET)\n        {loss}.backward()\n"
    "        {opt}.step()\n        {hist}.append(float({loss}))\n    return {hist}\n",
    "def train({s}, {y}, {n}, {rate}):\n    {hist} = []\n    for {k} in range({n}):\n"
    "        {loss} = partial_sum_loss(batched_model({s}), {y})\n        {hist}.append({loss}.item())\n"
    "        {loss}.backward()\n        with torch.no_grad():\n            for {p} in (BIAS, WEIGHTF, WEIGHTS):\n"
    "                {p} -= {rate} * {p}.grad\n                {p}.grad.zero_()\n    return {hist}\n",
    "def train(SIGNAL, TARGET, epochs, lr):\n    {params} = [BIAS, WEIGHTF, WEIGHTS]\n"
    "    {opt} = torch.optim.SGD({params}, lr)\n    {hist} = []\n    {k} = 0\n    while {k} < epochs:\n"
    "        {loss} = partial_sum_loss(batched_model(SIGNAL), TARGET)\n        {hist} += [{loss}.item()]\n"
    "        {loss}.backward()\n        {opt}.step()\n        {opt}.zero_grad(set_to_none=True)\n        {k} += 1\n"
    "    return {hist}\n",
    "def train(SIGNAL, TARGET, epochs, lr):\n"
    "    {opt} = torch.optim.SGD([WEIGHTS, WEIGHTF, BIAS], lr=lr, momentum=0.0)\n"
    "    {hist} = [0.0] * epochs\n    for {k} in range(epochs):\n        {opt}.zero_grad()\n"
    "        {pred} = batched_model(SIGNAL)\n        {loss} = partial_sum_loss({pred}, TARGET)\n"
    "        {hist}[{k}] = {loss}.item()\n        {loss}.backward()\n        {opt}.step()\n    return {hist}\n",
]

CELL = [parameters + "\n\n" + cell for parameters, cell in zip(PARAMETERS, _CELL)]

# -- rnn_layers -------------------------------------------------------------------------------
_SIX = ("BIAS1", "WEIGHT1F", "WEIGHT1S", "BIAS2", "WEIGHT2F", "WEIGHT2S")
LAYER_PARAMETERS = [
    "".join(f"{p} = torch.randn((), requires_grad=True)\n" for p in _SIX),
    "".join(f"{p} = torch.randn(()).requires_grad_()\n" for p in _SIX),
    ", ".join(_SIX) + " = (torch.randn((), requires_grad=True) for _ in range(6))\n",
    "".join(f"{p} = torch.tensor({v}, requires_grad=True)\n" for p, v in zip(_SIX, (0.1, 0.9, 0.8, 0.0, 1.1, 0.7))),
    "".join(f"{p} = torch.nn.Parameter(torch.randn(()))\n" for p in _SIX),
]
_LAYER_CELL = [
    "def cell(FRAME, STATE, BIAS, WEIGHTF, WEIGHTS):\n    ACTIVATION = BIAS + FRAME * WEIGHTF + STATE * WEIGHTS\n"
    "    ACTIVITY = ACTIVATION\n    return ACTIVITY\n",
    "def cell(FRAME, STATE, BIAS, WEIGHTF, WEIGHTS):\n    return BIAS + WEIGHTF * FRAME + WEIGHTS * STATE\n",
    "def cell(FRAME, STATE, BIAS, WEIGHTF, WEIGHTS):\n    {new} = STATE * WEIGHTS + FRAME * WEIGHTF + BIAS\n"
    "    return {new}\n",
    "def cell({x}, {h}, {b}, {wf}, {ws}):\n    return {b} + {x} * {wf} + {h} * {ws}\n",
    "def cell(FRAME, STATE, BIAS, WEIGHTF, WEIGHTS):\n    return torch.add(BIAS, FRAME * WEIGHTF) + STATE * WEIGHTS\n",
]
LAYER_CELL = [parameters + "\n\n" + cell for parameters, cell in zip(LAYER_PARAMETERS, _LAYER_CELL)]
LAYER = [
    "def layer(SIGNAL, BIAS, WEIGHTF, WEIGHTS):\n    {n}, {m} = SIGNAL.shape\n    {out} = torch.empty({n}, {m})\n"
    "    {h} = torch.zeros({m})\n    for {t} in range({n}):\n"
    "        {h} = cell(SIGNAL[{t}], {h}, BIAS, WEIGHTF, WEIGHTS)\n        {out}[{t}] = {h}\n    return {out}\n",
    "def layer(SIGNAL, BIAS, WEIGHTF, WEIGHTS):\n    {h} = torch.zeros(SIGNAL.shape[1])\n    {out} = []\n"
    "    for {x} in SIGNAL:\n        {h} = cell({x}, {h}, BIAS, WEIGHTF, WEIGHTS)\n        {out}.append({h})\n"
    "    return torch.stack({out})\n",
    "def layer({s}, {b}, {wf}, {ws}):\n    {h} = torch.zeros_like({s}[0])\n    {out} = []\n"
    "    for {t} in range({s}.size(0)):\n        {h} = cell({s}[{t}], {h}, {b}, {wf}, {ws})\n"
    "        {out}.append({h}.unsqueeze(0))\n    return torch.cat({out}, dim=0)\n",
    "def layer(SIGNAL, BIAS, WEIGHTF, WEIGHTS):\n    {h}, {out}, {t} = torch.zeros(SIGNAL.size(1)), [], 0\n"
    "    while {t} < len(SIGNAL):\n        {h} = cell(SIGNAL[{t}], {h}, BIAS, WEIGHTF, WEIGHTS)\n"
    "        {out} += [{h}]\n        {t} += 1\n    return torch.stack({out}, 0)\n",
    "def layer(SIGNAL, BIAS, WEIGHTF, WEIGHTS):\n    {out} = []\n    for {x} in SIGNAL:\n"
    "        {prev} = {out}[-1] if {out} else torch.zeros(SIGNAL.shape[1])\n"
    "        {out}.append(cell({x}, {prev}, BIAS, WEIGHTF, WEIGHTS))\n    return torch.stack({out})\n",
]
LAYER_MODEL = [
    "def model(SIGNAL):\n    ACTIVITIES1 = layer(SIGNAL, BIAS1, WEIGHT1F, WEIGHT1S)\n"
    "    return layer(ACTIVITIES1, BIAS2, WEIGHT2F, WEIGHT2S)\n",
    "def model(SIGNAL):\n    return layer(layer(SIGNAL, BIAS1, WEIGHT1F, WEIGHT1S), BIAS2, WEIGHT2F, WEIGHT2S)\n",
    "def model({s}):\n    {h} = {s}\n    for {p} in ((BIAS1, WEIGHT1F, WEIGHT1S), (BIAS2, WEIGHT2F, WEIGHT2S)):\n"
    "        {h} = layer({h}, *{p})\n    return {h}\n",
    "def model(SIGNAL):\n    {first} = layer(SIGNAL, BIAS1, WEIGHT1F, WEIGHT1S)\n"
    "    {second} = layer({first}, BIAS2, WEIGHT2F, WEIGHT2S)\n    return {second}\n",
    "def model(SIGNAL):\n    {params} = [(BIAS1, WEIGHT1F, WEIGHT1S), (BIAS2, WEIGHT2F, WEIGHT2S)]\n"
    "    {out} = SIGNAL\n"
    "    for {b}, {wf}, {ws} in {params}:\n        {out} = layer({out}, {b}, {wf}, {ws})\n    return {out}\n",
]
_ALL_SIX = "[BIAS1, WEIGHT1F, WEIGHT1S, BIAS2, WEIGHT2F, WEIGHT2S]"
LAYER_TRAIN = [
    "def train(SIGNAL, TARGET, epochs, lr):\n    {opt} = torch.optim.SGD(" + _ALL_SIX + ", lr=lr)\n"
    "    {hist} = []\n    for {k} in range(epochs):\n        {loss} = torch.square(model(SIGNAL) - TARGET).mean()\n"
    "        {opt}.zero_grad()\n        {loss}.backward()\n        {opt}.step()\n        {hist}.append({loss}.item())\n"
    "    return {hist}\n",
    "def train(SIGNAL, TARGET, epochs, lr):\n    {opt} = torch.optim.SGD(params=" + _ALL_SIX + ", lr=lr)\n"
    "    {hist} = []\n    for _ in range(epochs):\n        {opt}.zero_grad()\n"
    "        {loss} = ((model(SIGNAL) - TARGET) ** 2).mean()\n        {loss}.backward()\n"
    "        {opt}.step()\n        {hist}.append(float({loss}))\n    return {hist}\n",
    "def train({s}, {y}, {n}, {rate}):\n    {hist} = []\n    for {k} in range({n}):\n"
    "        {e} = model({s}) - {y}\n        {loss} = ({e} * {e}).sum() / {e}.numel()\n"
    "        {hist}.append({loss}.item())\n        {loss}.backward()\n        with torch.no_grad():\n"
    "            for {p} in " + _ALL_SIX + ":\n                {p} -= {rate} * {p}.grad\n"
    "                {p}.grad.zero_()\n    return {hist}\n",
    "def train(SIGNAL, TARGET, epochs, lr):\n    {params} = " + _ALL_SIX + "\n"
    "    {opt} = torch.optim.SGD({params}, lr)\n    {hist} = []\n    {k} = 0\n    while {k} < epochs:\n"
    "        {loss} = torch.nn.functional.mse_loss(model(SIGNAL), TARGET)\n        {hist} += [{loss}.item()]\n"
    "        {loss}.backward()\n        {opt}.step()\n        {opt}.zero_grad(set_to_none=True)\n        {k} += 1\n"
    "    return {hist}\n",
    "def train(SIGNAL, TARGET, epochs, lr):\n"
    "    {opt} = torch.optim.SGD([WEIGHT2S, WEIGHT2F, BIAS2, WEIGHT1S, WEIGHT1F, BIAS1], lr=lr, momentum=0.0)\n"
    "    {hist} = [0.0] * epochs\n    for {k} in range(epochs):\n        {opt}.zero_grad()\n"
    "        {pred} = model(SIGNAL)\n        {loss} = torch.mean(torch.pow({pred} - TARGET, 2))\n"
    "        {hist}[{k}] = {loss}.item()\n        {loss}.backward()\n        {opt}.step()\n    return {hist}\n",
]

# {assignment: {task: five ways of writing it}}
WAYS = {
    "rnn_sum": {"cell": CELL, "model": MODEL, "partial_sum_loss": LOSS, "batched_model": BATCHED, "train": TRAIN},
    "rnn_layers": {"cell": LAYER_CELL, "layer": LAYER, "model": LAYER_MODEL, "train": LAYER_TRAIN},
}
# The names the assignment fixes, which a copy keeps.
FIXED = {
    "rnn_sum": {"cell", "model", "partial_sum_loss", "batched_model", "train", "BIAS", "WEIGHTF", "WEIGHTS"},
    "rnn_layers": {"cell", "layer", "model", "train", *_SIX},
}

# ... and those of the assignments whose examples are a module of their own (examples/assignments/)
for _assignment, _module in assignments.modules().items():
    WAYS.setdefault(_assignment, _module.WAYS)
    FIXED.setdefault(_assignment, set(_module.FIXED))

# The names a student picks for their own variables: one set per student.
NAMES = {
    "new": ["new_state", "h_next", "nxt", "updated"],
    "a": ["from_frame", "inp", "xw", "part1"],
    "b": ["from_state", "rec", "hw", "part2"],  # also a layer's bias
    "x": ["x", "frame", "xt", "value"],
    "h": ["h", "state", "hidden", "s"],
    "n": ["n", "frames", "length", "T"],
    "m": ["m", "samples", "width", "B"],
    "out": ["out", "states", "outputs", "results"],
    "t": ["t", "i", "step", "k"],
    "s": ["sig", "signal", "seq", "xs"],
    "e": ["err", "diff", "delta", "d"],
    "r": ["pred", "result", "yhat", "output"],
    "y": ["target", "truth", "y", "goal"],
    "opt": ["opt", "optimizer", "sgd", "optim"],
    "hist": ["losses", "history", "curve", "record"],
    "k": ["epoch", "ep", "it", "n_iter"],
    "loss": ["loss", "l", "cost", "objective"],
    "rate": ["rate", "step_size", "alpha", "eta"],
    "p": ["p", "param", "w", "tensor"],
    "params": ["params", "parameters", "ps", "weights"],
    "pred": ["pred", "output", "states", "yhat"],
    "prev": ["prev", "last", "before", "h0"],
    "wf": ["wf", "w_in", "a", "win"],
    "ws": ["ws", "w_rec", "c", "wrec"],
    "first": ["first", "hidden1", "out1", "layer1"],
    "second": ["second", "hidden2", "out2", "layer2"],
}
COMMENTS = [
    "# my solution\n",
    "# tried this after the tutorial\n",
    "",
    "# works for any length\n",
    "# see lecture 3\n",
]


def ways(i, assignment="rnn_sum"):
    """Which way student i (0 to 24) writes each task: a + b·x mod 5 at x = -1, 0, 1, 2, 3 for
    i = 5a + b, so that two students write at most one task the same way (two different lines
    meet in at most one point: a Reed-Solomon code)."""
    a, b = divmod(i, 5)
    return dict(zip(WAYS[assignment], [(a + x * b) % 5 for x in (-1, 0, 1, 2, 3)]))


def answers(i, assignment="rnn_sum"):
    """Student i's right answers, {task: code}: each task written one of five ways, with names
    and comments of the student's own."""
    rng = random.Random(f"independent answers:{assignment}:{i}")
    names = {key: rng.choice(options) for key, options in NAMES.items()}
    return {
        task: rng.choice(COMMENTS) + WAYS[assignment][task][way].format(**names)
        for task, way in ways(i, assignment).items()
    }


class _Renamer(ast.NodeTransformer):
    """Renames the names a notebook's own functions bind (arguments, locals), not the names the
    assignment fixes (functions, parameters) or torch's."""

    def __init__(self, fixed):
        self.fixed = fixed
        self.names = {}

    def _new(self, name):
        if name in self.fixed:
            return name
        return self.names.setdefault(name, f"v{len(self.names)}_{name.lower()[:2]}")

    def visit_arg(self, node):
        node.arg = self._new(node.arg)
        return node

    def visit_Name(self, node):
        if node.id in self.names or isinstance(node.ctx, ast.Store) or node.id not in self.fixed | _BUILTINS:
            node.id = self._new(node.id)
        return node


_BUILTINS = {"range", "len", "enumerate", "float", "torch", "_"}


def disguised_copy(answers, assignment="rnn_sum"):
    """A classmate's answers with every own name renamed, laid out anew and commented otherwise."""
    out = {}
    for task, code in answers.items():
        if task not in WAYS[assignment]:
            out[task] = code
            continue
        tree = _Renamer(FIXED[assignment] | _BUILTINS).visit(ast.parse(code))
        text = ast.unparse(tree).replace(" = ", "=").replace("\n", "\n\n")
        out[task] = f"# {task}: written from scratch\n" + text + "\n"
    return out
