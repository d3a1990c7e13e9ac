"""The plain data that crosses the sandbox's boundary, as types.

The judging process sends a ``Job`` to the worker, then on the job pipe the notebook's
``Plan`` and, as the notebook reaches each task, that task's ``Program``; the child answers
with ``Event``s, a task's ending with its ``Observation``.  Everything is JSON: these types
say what the JSON holds.  This module is inside the sandbox (the worker and the prober use
it): it holds no answer.
"""

from typing import Literal, NotRequired, TypedDict


class Limits(TypedDict):
    memory_bytes: int  # address space of the notebook's process
    file_bytes: int  # largest file it may write


class Allowlist(TypedDict):
    read: list[str]  # folders and files student code may read (and execute)
    write: list[str]  # where it may also write: its scratch folder


class Job(TypedDict):
    """On the control socket, with the job and event pipes."""

    scratch: str  # the notebook's scratch folder: working directory, HOME, TMPDIR
    ids: list[int] | None  # [uid, gid] that student code runs as, or None (not root)
    limits: Limits
    allow: Allowlist | None  # where bubblewrap cannot run: the Landlock allowlist (inside/landlock.py)


class Step(TypedDict):
    kind: Literal["code", "task"]
    source: NotRequired[str]  # a code cell's source
    task: NotRequired[str]  # a task's name: its program comes only when the notebook gets there


class Plan(TypedDict):
    """The job pipe's first line."""

    steps: list[Step]
    skip: list[int]  # steps already done in an earlier run of the notebook


class Argument(TypedDict, total=False):
    tensor: object  # nested lists of floats: a float32 tensor
    grad: bool  # with requires_grad, and its gradient reported
    value: object  # a plain value (an int, a float)


class Probe(TypedDict, total=False):
    args: list[Argument]
    params: list[float]  # the parameters' values, set in place before the call
    grad: bool  # backpropagate the sum of the result; report the parameters' gradients
    after: bool  # report the parameters' values after the call


class Program(TypedDict):
    """What the student's process does for one task (``probe.observe``)."""

    function: str  # the student's function to call
    params: list[str]  # the names of the parameters in the notebook's namespace
    check_params: bool  # report how each parameter is defined wrongly
    uses: list[str]  # earlier functions replaced by counted stand-ins
    stand_ins: str  # their source, over the parameters
    probes: list[Probe]
    trace: NotRequired[bool]  # report each stand-in call's arguments


class Described(TypedDict, total=False):
    """A value that came back (``probe.describe``)."""

    kind: str  # "tensor", "float", "int", "list", "tuple", or a type's name
    shape: list[int]
    dtype: str
    values: list[float]  # a tensor's elements, flattened, as float64
    requires_grad: bool
    value: float  # a number's value
    length: int  # a list's length ...
    items: list["Described"]  # ... and its first items


class Gradients(TypedDict, total=False):
    params: list[float | None]
    args: list[Described | None]
    error: str


class ProbeRecord(TypedDict, total=False):
    out: Described
    grad: Gradients
    calls: dict[str, int]  # how often each stand-in was called
    params: list[float]  # with "after"
    trace: list[dict]  # with the program's "trace": [{"function", "args": [{"param"|"input"|"result_of"|"kind"}]}]
    error: str  # what the student's code raised


class Observation(TypedDict, total=False):
    """What came back of one task; the judging process's tests read it."""

    params: dict[str, str]  # with "check_params": {name: what is wrong with it}
    probes: list[ProbeRecord]
    missing: str  # the function is not defined, or not a function
    crash: str  # student code failed outside a probe
    stopped: str  # no observation: the notebook ran out of time or died (set by the runner)


class Event(TypedDict, total=False):
    event: Literal["start", "end", "finished", "crash"]
    step: int
    error: str | None  # a code cell's error, or the child's crash
    observed: Observation
