"""Calling the student's functions on the graders' inputs, beside student code.

A task's *program* (``protocol.Program``: which function to call, on which inputs, with
which parameters and stand-ins) comes from the judging process when that task is observed.
``observe`` runs it and returns plain data (``protocol.Observation``): shapes, type names,
lists of Python floats, gradients, call counts (``values`` reads them).
``autograder/inside/protocol.py`` is the one description of what crosses the sandbox's boundary.
It decides nothing: the comparison with the reference happens in the judging process, which
never runs student code, so patching torch, ``Tensor.__eq__`` or ``sys.modules`` here cannot
turn a wrong answer into a right one.

The torch functions used to call and set things are taken when this module is imported, which
the worker does before it runs any student code.
"""

import builtins
import gc
import warnings

import torch

from autograder.inside.protocol import Argument, Observation, Program
from autograder.inside.values import MISSING, describe, describe_param, error_text

_TensorBase = torch._C.TensorBase
_isinstance = builtins.isinstance
_callable = builtins.callable
_float = builtins.float
_len = builtins.len
_type = builtins.type
_exec = builtins.exec
_compile = builtins.compile
_detach = _TensorBase.detach
_double = _TensorBase.double
_tolist = _TensorBase.tolist
_copy_ = _TensorBase.copy_
_clone = _TensorBase.clone
_backward = torch.Tensor.backward
_sum = _TensorBase.sum
_tensor = torch.tensor
_zeros = torch.zeros
_stack = torch.stack
_square = torch.square
_no_grad = torch.no_grad
_NoTorchFunction = torch._C.DisableTorchFunction
_float32 = torch.float32
_collect = gc.collect


# What the stand-ins' source may use besides the parameters (no names the student can patch).
STAND_IN_GLOBALS = {"zeros": _zeros, "stack": _stack, "square": _square, "float32": _float32}


class Missing(Exception):
    """A name the task needs is not defined (or not a function) in the notebook."""


def observe(namespace: dict, program: Program) -> Observation:
    """Run one task's program on a notebook namespace; plain data comes back."""
    try:
        with Student(namespace, program["params"], program.get("trace", False)) as student:
            observed = {}
            if program.get("check_params"):
                observed["params"] = student.problems
            function = student.function(program["function"])
            if program.get("uses"):
                student.install_stand_ins(program["stand_ins"], program["uses"])
            observed["probes"] = [student.probe(function, probe) for probe in program["probes"]]
            return observed
    except Missing as exc:
        return {"missing": str(exc)}
    except Exception as exc:  # student code failed outside a single probe
        return {"crash": error_text(exc)}
    finally:
        # the stand-ins and the probes' inputs hold cycles: gone before student code runs on
        _collect()


class Student:
    """The student's notebook namespace, with what the probes need to work on it.

    Used as a context manager: every name it replaces and every parameter value it sets
    is put back on exit, so a task's probes leave the notebook as they found it.
    """

    def __init__(self, namespace, param_names, tracing=False):
        self.ns = namespace
        self.tracing = tracing
        self.param_names = list(param_names)
        self._replaced = {}
        self._param_state = []
        self.calls = {}
        self.trace = []  # with a program's "trace": each stand-in call and what its arguments were
        self._inputs = []
        self._results = []

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
            if value is MISSING:
                self.ns.pop(name, None)
            else:
                self.ns[name] = value
        self._replaced.clear()
        return False

    # -- parameters ---------------------------------------------------------
    def param_problems(self):
        """{name: problem} for each parameter the student defined wrongly."""
        report = {}
        for name in self.param_names:
            problem = describe_param(self.ns.get(name, MISSING))
            if problem:
                report[name] = problem
        return report

    def _usable_params(self):
        """The student's own parameter tensors where usable, fresh ones where not: a
        broken parameter costs the task that defines it, and the others run on."""
        params = []
        for name in self.param_names:
            value = self.ns.get(name, MISSING)
            if describe_param(value) is None:
                with _NoTorchFunction():
                    self._param_state.append((value, _clone(_detach(value)), value.grad))
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
            self._replaced[name] = self.ns.get(name, MISSING)
        self.ns[name] = value

    def function(self, name):
        value = self.ns.get(name, MISSING)
        if value is MISSING:
            raise Missing(f"`{name}` is not defined: did its cell run without errors?")
        if not _callable(value):
            raise Missing(f"`{name}` should be a function, but it is a {_type(value).__name__}")
        return value

    def install_stand_ins(self, source, names):
        """Replace the student's earlier functions by counted working ones, defined by the
        judging process's ``source`` over this task's parameters."""
        env = dict(STAND_IN_GLOBALS, __builtins__=builtins)
        env.update(zip(self.param_names, self.params))
        _exec(_compile(source, "<stand-ins>", "exec"), env)
        for name in names:
            self.calls[name] = 0
            self.replace(name, self._counted(name, env[name]))

    def _counted(self, name, fn):
        def counted(*args):
            self.calls[name] += 1
            if self.tracing:
                entry = {"function": name, "args": [self._which(a) for a in args]}
            result = fn(*args)
            if self.tracing:
                self.trace.append(entry)
                self._results.append(result)
            return result

        counted.__name__ = name
        return counted

    def _which(self, value):
        """What a stand-in's argument is: a parameter, an input of the probe, or what an earlier
        stand-in call returned (by identity), else only its kind."""
        for name, p in zip(self.param_names, self.params):
            if value is p:
                return {"param": name}
        for k, x in enumerate(self._inputs):
            if value is x:
                return {"input": k}
        for j, r in enumerate(self._results):
            if value is r:
                return {"result_of": j}
        return {"kind": _type(value).__name__}

    # -- probes ---------------------------------------------------------------
    def probe(self, fn, probe):
        """Call ``fn`` as a probe describes and record what came back."""
        self.set_params(probe.get("params", [0.0] * _len(self.params)))
        for name in self.calls:
            self.calls[name] = 0
        args = [_argument(spec) for spec in probe["args"]]
        self.trace, self._inputs, self._results = [], args, []
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                result = fn(*args)
                record = {"out": describe(result)}
                if probe.get("grad") and _isinstance(result, _TensorBase):
                    record["grad"] = self._gradients(result, args, probe["args"])
        except Exception as exc:  # the student's code raised: that is the observation
            return {"error": error_text(exc)}
        record["calls"] = dict(self.calls)
        if self.tracing:
            record["trace"] = self.trace
        if probe.get("after"):
            record["params"] = self.param_values()
        return record

    def _gradients(self, result, args, specs):
        if not result.requires_grad:
            return {"error": "the result does not depend on the parameters (it has no gradient)"}
        _backward(_sum(result))
        grads = {"params": self.grads()}
        tracked = [a for a, spec in zip(args, specs) if spec.get("grad")]
        if tracked:
            grads["args"] = [describe(a.grad) if a.grad is not None else None for a in tracked]
        return grads


def _argument(spec: Argument):
    """A float32 tensor (``{"tensor": data}``) or a plain value (``{"value": x}``)."""
    if "tensor" in spec:
        return _tensor(spec["tensor"], dtype=_float32, requires_grad=bool(spec.get("grad")))
    return spec["value"]
