"""The boundary's side for what the student's process sends: each event line, and each task's
observation rebuilt from what the protocol (``autograder.inside.protocol``) allows; anything else
is ``Malformed``, saying where."""

import json
import math

MAX_TEXT = 2000  # characters of one string from the student's process
MAX_ITEMS = 4_000_000  # elements of one list from the student's process (a tensor's values)
MAX_DIMS = 64  # of a tensor's shape


class Malformed(ValueError):
    """What the student's process sent is not what the protocol allows; the message says where."""


EVENTS = {
    "start": {"step"},
    "end": {"step", "error", "observed"},
    "finished": set(),
    "crash": {"error"},
}


def event(line: bytes) -> dict:
    """One event line of the child (``protocol.Event``), checked: the event, its step, its
    error text; an observation is checked by ``observation`` when the runner knows the step
    is a task's."""
    try:
        data = json.loads(line)
    except (ValueError, RecursionError, UnicodeDecodeError):
        raise Malformed("a line that is not JSON") from None
    if not isinstance(data, dict) or not isinstance(data.get("event"), str) or data["event"] not in EVENTS:
        raise Malformed("a line that is not an event")
    kind = data["event"]
    extra = set(data) - EVENTS[kind] - {"event"}
    if extra:
        raise Malformed(f"a `{kind}` event with {_names(extra)}")
    checked = {"event": kind}
    if "step" in EVENTS[kind]:
        checked["step"] = _count(data.get("step"), "the event's step")
    if "error" in data:
        checked["error"] = None if data["error"] is None and kind == "end" else _text(data["error"], "its error")
    if "observed" in data:
        checked["observed"] = data["observed"]  # raw: ``observation`` checks it
    return checked


def observation(data) -> dict:
    """A task's observation (``protocol.Observation``) rebuilt from what the protocol allows."""
    fields = _object(data, "the observation", {"params", "probes", "missing", "crash"})
    out = {}
    if "params" in fields:
        params = _object(fields["params"], "params")
        out["params"] = {_text(k, "a parameter's name"): _text(v, f"params[{k!r}]") for k, v in params.items()}
    if "probes" in fields:
        out["probes"] = [_probe(p, f"probes[{i}]") for i, p in enumerate(_list(fields["probes"], "probes"))]
    for key in ("missing", "crash"):
        if key in fields:
            out[key] = _text(fields[key], key)
    return out


def _probe(data, where):
    fields = _object(data, where, {"out", "grad", "calls", "params", "trace", "error"})
    out = {}
    if "out" in fields:
        out["out"] = _described(fields["out"], f"{where}.out")
    if "grad" in fields:
        grad = _object(fields["grad"], f"{where}.grad", {"params", "args", "error"})
        out["grad"] = {}
        if "params" in grad:
            out["grad"]["params"] = [
                None if g is None else _number(g, f"{where}.grad.params")
                for g in _list(grad["params"], f"{where}.grad.params")
            ]
        if "args" in grad:
            out["grad"]["args"] = [
                None if a is None else _described(a, f"{where}.grad.args")
                for a in _list(grad["args"], f"{where}.grad.args")
            ]
        if "error" in grad:
            out["grad"]["error"] = _text(grad["error"], f"{where}.grad.error")
    if "calls" in fields:
        calls = _object(fields["calls"], f"{where}.calls")
        out["calls"] = {_text(k, "a function's name"): _count(v, f"{where}.calls") for k, v in calls.items()}
    if "params" in fields:
        out["params"] = [_number(v, f"{where}.params") for v in _list(fields["params"], f"{where}.params")]
    if "trace" in fields:
        out["trace"] = [_call(c, f"{where}.trace") for c in _list(fields["trace"], f"{where}.trace")]
    if "error" in fields:
        out["error"] = _text(fields["error"], f"{where}.error")
    return out


def _call(data, where):
    fields = _object(data, where, {"function", "args"})
    if "function" not in fields or "args" not in fields:
        raise Malformed(f"{where}: a call without its function or arguments")
    return {
        "function": _text(fields["function"], where),
        "args": [_which(a, where) for a in _list(fields["args"], where)],
    }


def _which(data, where):
    fields = _object(data, where, {"param", "input", "result_of", "kind"})
    if len(fields) != 1:
        raise Malformed(f"{where}: an argument said to be {len(fields)} things")
    [(key, value)] = fields.items()
    return {key: _text(value, where) if key in ("param", "kind") else _count(value, where)}


def _described(data, where, nested=False):
    allowed = {"kind", "shape", "dtype", "values", "requires_grad", "value", "length"}
    fields = _object(data, where, allowed if nested else allowed | {"items"})
    if "kind" not in fields:
        raise Malformed(f"{where}: a value without its kind")
    out = {"kind": _text(fields["kind"], f"{where}.kind")}
    if "shape" in fields:
        shape = _list(fields["shape"], f"{where}.shape", MAX_DIMS)
        out["shape"] = [_count(n, f"{where}.shape") for n in shape]
    if "dtype" in fields:
        out["dtype"] = _text(fields["dtype"], f"{where}.dtype")
    if "values" in fields:
        out["values"] = _numbers(fields["values"], f"{where}.values")
    if "requires_grad" in fields:
        if not isinstance(fields["requires_grad"], bool):
            raise Malformed(f"{where}.requires_grad is not true or false")
        out["requires_grad"] = fields["requires_grad"]
    if "value" in fields:
        out["value"] = _number(fields["value"], f"{where}.value")
    if "length" in fields:
        out["length"] = _count(fields["length"], f"{where}.length")
    if "items" in fields:
        out["items"] = [_described(item, f"{where}.items", nested=True) for item in _list(fields["items"], where)]
    return out


def _object(data, where, allowed=None):
    if not isinstance(data, dict):
        raise Malformed(f"{where} is {_kind(data)}, not an object")
    if allowed is not None and not data.keys() <= allowed:
        raise Malformed(f"{where} has {_names(set(data) - allowed)}")
    return data


def _list(data, where, most=MAX_ITEMS):
    if not isinstance(data, list):
        raise Malformed(f"{where} is {_kind(data)}, not a list")
    if len(data) > most:
        raise Malformed(f"{where} has more than {most} items")
    return data


def _text(data, where):
    if not isinstance(data, str):
        raise Malformed(f"{where} is {_kind(data)}, not text")
    return data if len(data) <= MAX_TEXT else data[: MAX_TEXT - 1] + "…"


def _count(data, where):
    if type(data) is not int or data < 0:
        raise Malformed(f"{where} is not a count")
    return data


def _number(data, where):
    if type(data) is float:
        return data
    if type(data) is int:
        return float(data) if abs(data) < 2**63 else (math.inf if data > 0 else -math.inf)
    raise Malformed(f"{where} is {_kind(data)}, not a number")


def _numbers(data, where):
    values = _list(data, where)
    if all(type(v) is float for v in values):  # the usual case, at C speed
        return values
    return [_number(v, where) for v in values]


def _kind(data):
    named = {dict: "an object", list: "a list", str: "text", bool: "true or false", type(None): "null"}
    return named.get(type(data), f"a {type(data).__name__}")


def _names(keys):
    shown = sorted(str(k)[:40] for k in keys)[:3]
    return f"unexpected field{'s' * (len(keys) > 1)} {', '.join(shown)}" + (" ..." if len(keys) > 3 else "")
