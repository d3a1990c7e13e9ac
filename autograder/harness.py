"""The part of the graders that runs beside student code.

It calls the student's functions on the graders' inputs and turns what comes back
into plain data: shapes, type names, lists of Python floats, gradients, call
counts.  It decides nothing.  The comparison with the reference happens in
``autograder.checks`` on that plain data, in the grading process, which never
runs student code.  Patching torch, ``Tensor.__eq__`` or ``sys.modules`` inside
the student's process therefore cannot turn a wrong answer into a right one.

The torch functions used to read results are taken when this module is imported,
which the worker does before it runs any student code.
"""

import builtins
import warnings

import torch

_TensorBase = torch._C.TensorBase
_isinstance = builtins.isinstance
_callable = builtins.callable
_float = builtins.float
_len = builtins.len
_detach = _TensorBase.detach
_double = _TensorBase.double
_reshape = _TensorBase.reshape
_tolist = _TensorBase.tolist
_size = _TensorBase.size
_copy_ = _TensorBase.copy_
_backward = torch.Tensor.backward
_sum = _TensorBase.sum
_tensor = torch.tensor
_zeros = torch.zeros
_stack = torch.stack
_square = torch.square
_no_grad = torch.no_grad
_NoTorchFunction = torch._C.DisableTorchFunction
_float32 = torch.float32

PARAMS = ("BIAS", "WEIGHTF", "WEIGHTS")
_MISSING = object()


class Missing(Exception):
    """A name the task needs is not defined (or not a function) in the notebook."""


def error_text(exc):
    """One line naming an exception raised by student code."""
    try:
        text = str(exc)
    except BaseException:  # a hostile __str__
        text = ""
    name = type(exc).__name__
    text = text.strip().splitlines()[0] if text.strip() else ""
    return f"{name}: {text[:300]}" if text else name


def describe(x):
    """Plain data for whatever a student function returned."""
    if not _isinstance(x, _TensorBase):
        if _isinstance(x, (int, _float)) and not _isinstance(x, bool):
            return {"kind": type(x).__name__, "value": _float(x)}
        return {"kind": type(x).__name__}
    with _NoTorchFunction():
        t = _detach(x)
        shape = [int(n) for n in _size(t)]
        values = _tolist(_reshape(_double(t), (-1,)))
        return {
            "kind": "tensor",
            "shape": shape,
            "dtype": str(x.dtype).replace("torch.", ""),
            "values": values,
            "requires_grad": bool(x.requires_grad),
        }


def as_tensor(data, requires_grad=False):
    """A float32 tensor from the graders' plain data (a float or nested lists)."""
    return _tensor(data, dtype=_float32, requires_grad=requires_grad)


def describe_param(value):
    """What the student's BIAS, WEIGHTF or WEIGHTS is, or why it cannot be used."""
    if value is _MISSING:
        return "not defined"
    if not _isinstance(value, _TensorBase):
        return f"a {type(value).__name__}, not a tensor"
    problems = []
    if tuple(_size(value)) != ():
        problems.append(f"has shape {tuple(_size(value))} instead of ()")
    if not value.is_floating_point():
        problems.append(f"has dtype {value.dtype} instead of a float dtype")
    if not value.requires_grad:
        problems.append("does not have requires_grad=True")
    if value.grad_fn is not None:
        problems.append("is the result of a computation, not a leaf tensor you created")
    return "; ".join(problems) or None


class Student:
    """The student's notebook namespace, with what the graders need to work on it.

    Used as a context manager: every name it replaces and every parameter value it
    sets is put back on exit, so a check leaves the notebook as it found it.
    """

    def __init__(self, namespace):
        self.ns = namespace
        self._replaced = {}
        self._param_state = []
        self.calls = {}

    def __enter__(self):
        self.problems = self.param_problems()  # before any stand-in replaces them
        self.params = self._usable_params()
        return self

    def __exit__(self, *exc):
        with _no_grad():
            for p, value, grad in self._param_state:
                _copy_(p, value)
                p.grad = grad
        for name, value in self._replaced.items():
            if value is _MISSING:
                self.ns.pop(name, None)
            else:
                self.ns[name] = value
        return False

    # -- parameters ---------------------------------------------------------
    def param_problems(self):
        """{name: problem} for each parameter the student defined wrongly."""
        report = {}
        for name in PARAMS:
            problem = describe_param(self.ns.get(name, _MISSING))
            if problem:
                report[name] = problem
        return report

    def _usable_params(self):
        """The student's own parameter tensors where usable, fresh ones where not.

        Later tasks are graded on their own: a broken BIAS costs the task `cell`,
        and the other tasks run with a working stand-in.
        """
        params = []
        for name in PARAMS:
            value = self.ns.get(name, _MISSING)
            if describe_param(value) is None:
                with _NoTorchFunction():
                    self._param_state.append((value, _detach(value).clone(), value.grad))
            else:
                value = _zeros((), dtype=_float32, requires_grad=True)
                self.replace(name, value)
            params.append(value)
        return params

    def set_params(self, values):
        with _no_grad():
            for p, v in zip(self.params, values):
                _copy_(p, _tensor(v, dtype=p.dtype))
                p.grad = None

    def param_values(self):
        with _NoTorchFunction():
            return [_float(_tolist(_double(_detach(p)))) for p in self.params]

    def grads(self):
        out = []
        for p in self.params:
            g = p.grad
            out.append(None if g is None else _float(_tolist(_double(_detach(g)))))
        return out

    # -- names ----------------------------------------------------------------
    def replace(self, name, value):
        if name not in self._replaced:
            self._replaced[name] = self.ns.get(name, _MISSING)
        self.ns[name] = value

    def function(self, name):
        value = self.ns.get(name, _MISSING)
        if value is _MISSING:
            raise Missing(f"`{name}` is not defined: did its cell run without errors?")
        if not _callable(value):
            raise Missing(f"`{name}` should be a function, but it is a {type(value).__name__}")
        return value

    def install_reference(self, names):
        """Replace the student's earlier functions by counted reference versions."""
        refs = reference_functions(self.params)
        for name in names:
            self.calls[name] = 0
            self.replace(name, _counted(self.calls, name, refs[name]))

    # -- probes ---------------------------------------------------------------
    def probe(self, fn, probe):
        """Call ``fn`` as a probe describes and record what came back."""
        self.set_params(probe.get("params", (0.0, 0.0, 0.0)))
        for name in self.calls:
            self.calls[name] = 0
        grad_args = probe.get("grad_args", [])
        args = [as_tensor(a, requires_grad=i in grad_args) for i, a in enumerate(probe["args"])]
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                result = fn(*args)
                record = {"out": describe(result)}
                if probe.get("grad") and _isinstance(result, _TensorBase):
                    record["grad"] = self._gradients(result, args, grad_args)
        except Exception as exc:  # the student's code raised: that is the observation
            return {"error": error_text(exc)}
        record["calls"] = dict(self.calls)
        return record

    def _gradients(self, result, args, grad_args):
        if not result.requires_grad:
            return {"error": "the result does not depend on the parameters (it has no gradient)"}
        _backward(_sum(result))
        grads = {"params": self.grads()}
        if grad_args:
            grads["args"] = [describe(args[i].grad) if args[i].grad is not None else None for i in grad_args]
        return grads


def _counted(counts, name, fn):
    def counted(*args):
        counts[name] += 1
        return fn(*args)

    counted.__name__ = name
    return counted


def reference_functions(params):
    """Working float32 versions of the earlier tasks, reading the given parameters.

    A later task runs with these in place of the student's own, so a mistake in an
    earlier task costs only that task.
    """
    BIAS, WEIGHTF, WEIGHTS = params

    def cell(FRAME, STATE):
        return BIAS + FRAME * WEIGHTF + STATE * WEIGHTS

    def unroll(SIGNAL, state_shape):
        STATE = _zeros(state_shape, dtype=_float32)
        states = []
        for frame in range(_len(SIGNAL)):
            STATE = cell(SIGNAL[frame], STATE)
            states.append(STATE)
        return _stack(states)

    def model(SIGNAL):
        return unroll(SIGNAL, ())

    def batched_model(SIGNAL):
        return unroll(SIGNAL, (SIGNAL.size(1),))

    def partial_sum_loss(RESULT, TARGET):
        return _square(RESULT - TARGET).mean()

    return {
        "cell": cell,
        "model": model,
        "batched_model": batched_model,
        "partial_sum_loss": partial_sum_loss,
    }


def describe_list(value):
    """Plain data for a list such as train's losses: the kind of each item and its value."""
    if not _isinstance(value, (list, tuple)):
        return describe(value)
    items = []
    for item in value:
        if _isinstance(item, _float):
            items.append({"kind": "float", "value": _float(item)})
        elif _isinstance(item, _TensorBase):
            items.append({"kind": "Tensor"})
        else:
            items.append({"kind": type(item).__name__})
    return {"kind": type(value).__name__, "items": items}
