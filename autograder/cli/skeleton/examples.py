"""The skeleton's example answers: examples/assignments/<assignment>.py and examples/unforeseen/<assignment>.py."""

EXAMPLES = '''\
"""$assignment's example answers (written by `python -m autograder new`): the kit's tests and
`make observations` read them through examples/answers.py and examples/independent.py.

An edit is (name, task, what, old, new): ``old`` replaced by ``new`` in the master solution of the
task.  A mistake must cost its task and nothing else, and is named as the mistake of
autograder/assignments/$assignment/mistakes/ of the same name; a variant is right another way.
"""

MISTAKES = [
    ("weight_left_out", "$task", "returns the signal unscaled", "RESULT = WEIGHT * SIGNAL", "RESULT = SIGNAL"),
    ("weight_added", "$task", "adds the weight", "RESULT = WEIGHT * SIGNAL", "RESULT = WEIGHT + SIGNAL"),
    ("weight_squared", "$task", "the weight twice", "RESULT = WEIGHT * SIGNAL", "RESULT = WEIGHT * WEIGHT * SIGNAL"),
]
VARIANTS = [
    ("${task}_with_torch_mul", "$task", "torch.mul", "RESULT = WEIGHT * SIGNAL", "RESULT = torch.mul(SIGNAL, WEIGHT)"),
]

# Right answers as five students write them (examples/independent.py: {name} is a name of their own)
_WEIGHT = "WEIGHT = torch.randn((), requires_grad=True)\\n\\n\\n"
WAYS = {
    "$task": [
        _WEIGHT + "def $task(SIGNAL):\\n    return WEIGHT * SIGNAL\\n",
        "WEIGHT = torch.randn(()).requires_grad_()\\n\\n\\ndef $task({s}):\\n    return {s} * WEIGHT\\n",
        "WEIGHT = torch.tensor(0.5, requires_grad=True)\\n\\n\\n"
        "def $task(SIGNAL):\\n    {out} = torch.mul(SIGNAL, WEIGHT)\\n    return {out}\\n",
        "WEIGHT = torch.nn.Parameter(torch.randn(()))\\n\\n\\ndef $task({s}):\\n    return WEIGHT.mul({s})\\n",
        _WEIGHT + "def $task(SIGNAL):\\n    {out} = SIGNAL.clone()\\n    {out} = {out} * WEIGHT\\n    return {out}\\n",
    ],
}
FIXED = {"$task", "WEIGHT"}  # the names the assignment fixes, which a disguised copy keeps
'''

UNFORESEEN = '''\
"""$assignment: wrong answers written apart from the kit's diagnosis (see ``examples/unforeseen``).

Written by `python -m autograder new` as a start: have someone else replace them with the wrong
answers students hand in, each mistake in two codings, the whole answer cell of one task.
"""

from examples.unforeseen import Wrong

WRONG = [
    Wrong(
        "weight_left_out",
        "$task",
        "returns a copy of the signal",
        "WEIGHT = torch.randn((), requires_grad=True)\\n\\n\\ndef $task(SIGNAL):\\n    return SIGNAL.clone()\\n",
    ),
    Wrong(
        "weight_added",
        "$task",
        "torch.add of the weight",
        "WEIGHT = torch.randn((), requires_grad=True)\\n\\n\\ndef $task(x):\\n    return torch.add(x, WEIGHT)\\n",
    ),
]
'''
