"""What student code gave back, as plain data (``protocol.Described``): a returned value, a
parameter the notebook defined, an exception it raised.

It reads values through torch functions taken when this module is imported, which the worker
does before it runs any student code: a notebook that patches torch or ``Tensor`` methods
changes nothing here.  Like the rest of ``inside`` it decides nothing and holds no answer.
"""

import builtins

import torch

from autograder.inside.protocol import Described

_TensorBase = torch._C.TensorBase
_isinstance = builtins.isinstance
_float = builtins.float
_int = builtins.int
_len = builtins.len
_type = builtins.type
_detach = _TensorBase.detach
_double = _TensorBase.double
_reshape = _TensorBase.reshape
_tolist = _TensorBase.tolist
_size = _TensorBase.size
_NoTorchFunction = torch._C.DisableTorchFunction

MAX_ITEMS = 10_000  # of a returned list: train's losses are one per epoch
MISSING = object()  # a name the notebook does not define


def error_text(exc):
    """One line naming an exception raised by student code."""
    try:
        text = str(exc)
    except BaseException:  # a hostile __str__
        text = ""
    name = _type(exc).__name__
    text = text.strip().splitlines()[0] if text.strip() else ""
    return f"{name}: {text[:300]}" if text else name


def describe(x) -> Described:
    """Plain data for whatever a student function returned."""
    if _isinstance(x, _TensorBase):
        with _NoTorchFunction():
            t = _detach(x)
            return {
                "kind": "tensor",
                "shape": [_int(n) for n in _size(t)],
                "dtype": str(x.dtype).replace("torch.", ""),
                "values": _tolist(_reshape(_double(t), (-1,))),
                "requires_grad": bool(x.requires_grad),
            }
    if _isinstance(x, (_int, _float)) and not _isinstance(x, bool):
        return {"kind": _type(x).__name__, "value": _float(x)}
    if _isinstance(x, (list, tuple)):
        items = []
        for item in x[:MAX_ITEMS]:
            if _isinstance(item, _float):
                items.append({"kind": "float", "value": _float(item)})
            elif _isinstance(item, _TensorBase):
                items.append({"kind": "Tensor"})
            else:
                items.append({"kind": _type(item).__name__})
        return {"kind": _type(x).__name__, "length": _len(x), "items": items}
    return {"kind": _type(x).__name__}


def describe_param(value):
    """What the student's parameter is, or why it cannot be used (None when usable)."""
    if value is MISSING:
        return "not defined"
    if not _isinstance(value, _TensorBase):
        return f"a {_type(value).__name__}, not a tensor"
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
