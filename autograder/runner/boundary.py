"""The one boundary for untrusted bytes: what a submission's file holds, and every line the
student's process writes, is read and checked here, for type, size and depth, before any other
part of the kit reads it.

Two things cross it:

- **a notebook file** (``notebook``): at most ``NOTEBOOK_MAX_BYTES``, UTF-8 JSON nested at
  most ``MAX_DEPTH`` deep, a list of cells whose parts the kit reads (type, source, nbgrader's
  metadata) of the right types; anything else is ``NotGradable``, with one line saying why;
- **an event line** from the child that runs student code (``event``): one of the events of
  ``autograder.inside.protocol``, with exactly its keys, and a task's observation rebuilt from
  what the protocol allows (``observation``): strings cut to ``MAX_TEXT`` characters, numbers
  that are numbers, lists of bounded length.  Anything else is ``Malformed``.  The child runs
  student code, so it may say anything: what the runner decides itself (a step stopped, timed
  out, over its quota) is never read from it, and an observation that claims to be one
  (``stopped``) is malformed.

Nothing here raises anything but ``NotGradable`` and ``Malformed``, whatever the bytes:
decoding errors, numbers too long to convert and nesting too deep for the parser
(``RecursionError``) included.
"""

import json
import math

NOTEBOOK_MAX_BYTES = 50 * 1024 * 1024  # a notebook of this course is well under 1 MB, outputs included
MAX_DEPTH = 64  # of a notebook's JSON: nbformat's own structure is under 10 deep
MAX_TEXT = 2000  # characters of one string from the student's process
MAX_ITEMS = 4_000_000  # elements of one list from the student's process (a tensor's values)
MAX_DIMS = 64  # of a tensor's shape


class NotGradable(Exception):
    """The notebook cannot be graded at all; the message is one line for the record."""


class Malformed(ValueError):
    """What the student's process sent is not what the protocol allows; the message says where."""


class Node(dict):
    """A JSON object whose keys also read as attributes (``nb.cells``, ``cell.source``), as
    nbformat's NotebookNode, without importing nbformat (and its JSON-schema validator, most
    of a second) in the judging process."""

    def __getattr__(self, key):
        try:
            return self[key]
        except KeyError:
            raise AttributeError(key) from None

    def __setattr__(self, key, value):
        self[key] = value


# -- a notebook file ------------------------------------------------------------------------


def read_notebook(path):
    """The notebook at ``path`` (``notebook``); NotGradable when it cannot be read or is not one."""
    try:
        with open(path, "rb") as f:
            raw = f.read(NOTEBOOK_MAX_BYTES + 1)
    except OSError as exc:
        raise NotGradable(f"cannot read the file: {exc.strerror}") from None
    return notebook(raw)


def notebook(raw: bytes) -> Node:
    """A notebook from its bytes, with the parts the kit reads checked; older formats (before
    version 4) are converted by nbformat."""
    if len(raw) > NOTEBOOK_MAX_BYTES:
        raise NotGradable(
            f"the file is larger than {NOTEBOOK_MAX_BYTES // (1024 * 1024)} MB: clear the notebook's outputs "
            "(Edit > Clear Outputs of All Cells), save it and submit it again"
        )
    try:
        data = json.loads(raw.decode("utf-8"), object_hook=Node)
    except UnicodeDecodeError:
        raise NotGradable("the file is not text (UTF-8): is it really a notebook?") from None
    except json.JSONDecodeError as exc:
        raise NotGradable(
            f"the file is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}); "
            "it may have been damaged or edited outside Jupyter"
        ) from None
    except RecursionError:
        raise NotGradable(_TOO_DEEP) from None
    except ValueError as exc:  # a number too long to convert, say
        raise NotGradable(f"the file's JSON cannot be read ({_first_line(exc)}): it is not a notebook") from None
    if _depth_over(data, MAX_DEPTH):
        raise NotGradable(_TOO_DEEP)
    if isinstance(data, dict) and data.get("nbformat") in (1, 2, 3):
        data = _converted(data)
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list):
        raise NotGradable("the file is JSON but not a Jupyter notebook (it has no list of cells)")
    for n, cell in enumerate(data["cells"], start=1):
        problem = _cell_problem(cell)
        if problem:
            raise NotGradable(
                f"cell {n} of the notebook is damaged ({problem}); it may have been edited outside Jupyter"
            )
    return data


_TOO_DEEP = f"the file's JSON is nested more than {MAX_DEPTH} deep: it is not a notebook Jupyter saved"


def _first_line(exc):
    text = str(exc).strip()
    return text.splitlines()[0][:200] if text else type(exc).__name__


def _depth_over(data, limit):
    """Whether lists and objects in ``data`` nest more than ``limit`` deep (without recursion)."""
    pending = [(data, 1)]
    while pending:
        value, depth = pending.pop()
        if depth > limit:
            return True
        if isinstance(value, dict):
            pending += [(v, depth + 1) for v in value.values() if isinstance(v, (dict, list))]
        elif isinstance(value, list):
            pending += [(v, depth + 1) for v in value if isinstance(v, (dict, list))]
    return False


def _converted(data):
    import nbformat  # only for a notebook of an old format: the usual one is read as JSON

    try:
        nb = nbformat.reads(json.dumps(data), as_version=4)
        return json.loads(json.dumps(nb), object_hook=Node)
    except Exception as exc:
        raise NotGradable(f"the notebook's format cannot be read ({type(exc).__name__})") from None


def _cell_problem(cell):
    """What is wrong with a cell, in the parts the kit reads, or None."""
    if not isinstance(cell, dict):
        return "it is not a JSON object"
    if not isinstance(cell.get("cell_type"), str):
        return "it has no cell_type"
    source = cell.get("source", "")
    if not isinstance(source, str) and not (isinstance(source, list) and all(isinstance(s, str) for s in source)):
        return "its source is not text"
    metadata = cell.get("metadata", {})
    if not isinstance(metadata, dict):
        return "its metadata is not a JSON object"
    nbgrader = metadata.get("nbgrader")
    if nbgrader is not None and not (
        isinstance(nbgrader, dict) and isinstance(nbgrader.get("grade_id", ""), (str, type(None)))
    ):
        return "its nbgrader metadata is damaged"
    return None


# -- what the student's process sends -------------------------------------------------------

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
