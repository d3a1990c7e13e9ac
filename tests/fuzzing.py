"""Hypothesis strategies for the fuzz tier: arbitrary JSON, notebooks with one thing broken,
observations and event lines shaped like the protocol's (``autograder.inside.protocol``) with any
field of any type."""

import json
import os

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from autograder.settings import ROOT

# Seeded and bounded: the same examples on every machine, in CI's time.
FUZZ = settings(max_examples=150, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)


def release_bytes(assignment="rnn_sum"):
    with open(os.path.join(ROOT, "release", assignment, f"{assignment}.ipynb"), "rb") as f:
        return f.read()


def paths(data, prefix=()):
    """Every path (a tuple of keys and indices) to a value in ``data``."""
    yield prefix
    if isinstance(data, dict):
        for key, value in data.items():
            yield from paths(value, (*prefix, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from paths(value, (*prefix, i))


def replaced(data, path, value):
    if not path:
        return value
    copy = dict(data) if isinstance(data, dict) else list(data)
    copy[path[0]] = replaced(data[path[0]], path[1:], value)
    return copy


def strings(data):
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield key
            yield from strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from strings(value)


def mutated_notebook(data):
    """The bytes of a release notebook with one thing broken: cut short, a field of another
    type, a cell of another kind, a huge string, a value nested deep, or bytes changed."""
    raw = release_bytes(data.draw(st.sampled_from(["rnn_sum", "rnn_layers"])))
    how = data.draw(st.sampled_from(["truncated", "field", "cell kind", "huge string", "deep", "bytes"]))
    if how == "truncated":
        raw = raw[: data.draw(st.integers(0, len(raw)))]
    elif how == "bytes":
        at = data.draw(st.integers(0, len(raw) - 1))
        raw = raw[:at] + data.draw(st.binary(min_size=1, max_size=8)) + raw[at + 1 :]
    else:
        nb = json.loads(raw)
        if how == "field":
            path = data.draw(st.sampled_from(list(paths(nb))))
            nb = replaced(nb, path, data.draw(JSON))
        elif how == "cell kind":
            cell = data.draw(st.sampled_from(nb["cells"]))
            cell["cell_type"] = data.draw(st.sampled_from(["code", "markdown", "raw", "heading", ""]) | JSON)
        elif how == "huge string":
            cell = data.draw(st.sampled_from(nb["cells"]))
            cell["source"] = "x = 1  # " + "y" * data.draw(st.integers(10_000, 2_000_000))
        else:  # a value nested deep in place of any part (built as text: json itself would recurse)
            path = data.draw(st.sampled_from(list(paths(nb))))
            depth = data.draw(st.integers(1, 5000))
            nb = replaced(nb, path, "DEEP-VALUE")
        raw = json.dumps(nb).encode()
        if how == "deep":
            raw = raw.replace(b'"DEEP-VALUE"', b"[" * depth + b"]" * depth)
    return raw


def protocol_like():
    """Observations shaped like the protocol's, each field either of its type or anything."""

    def maybe(strategy):
        return strategy | JSON

    floats = st.floats(allow_nan=True, allow_infinity=True)
    described = st.fixed_dictionaries(
        {},
        optional={
            "kind": maybe(st.sampled_from(["tensor", "float", "list", "NoneType"])),
            "shape": maybe(st.lists(st.integers(0, 6), max_size=3)),
            "dtype": maybe(st.just("float32")),
            "values": maybe(st.lists(floats, max_size=30)),
            "requires_grad": maybe(st.booleans()),
            "value": maybe(floats),
            "length": maybe(st.integers(0, 10)),
            "items": maybe(st.lists(JSON, max_size=3)),
        },
    )
    which = st.one_of(
        st.fixed_dictionaries({"param": st.sampled_from(["BIAS", "WEIGHTF"])}),
        st.fixed_dictionaries({"input": st.integers(0, 3)}),
        st.fixed_dictionaries({"result_of": st.integers(0, 3)}),
        JSON,
    )
    probe = st.fixed_dictionaries(
        {},
        optional={
            "out": maybe(described),
            "grad": maybe(
                st.fixed_dictionaries(
                    {},
                    optional={
                        "params": maybe(st.lists(st.none() | floats, max_size=6)),
                        "args": maybe(st.lists(st.none() | described, max_size=2)),
                        "error": maybe(st.text(max_size=30)),
                    },
                )
            ),
            "calls": maybe(st.dictionaries(st.sampled_from(["cell", "layer", "batched_model"]), st.integers(-2, 20))),
            "params": maybe(st.lists(floats, max_size=6)),
            "trace": maybe(
                st.lists(st.fixed_dictionaries({"function": maybe(st.just("cell")), "args": maybe(st.lists(which))}))
            ),
            "error": maybe(st.text(max_size=30)),
        },
    )
    return st.fixed_dictionaries(
        {},
        optional={
            "params": maybe(st.dictionaries(st.sampled_from(["BIAS", "WEIGHTF", "WEIGHTS"]), st.text(max_size=20))),
            "probes": maybe(st.lists(probe, max_size=12)),
            "missing": maybe(st.text(max_size=30)),
            "crash": maybe(st.text(max_size=30)),
        },
    )


def event_line():
    """One line the child might write: bytes, any JSON, or an event of the protocol's shape with
    any step and any observation."""
    anything = JSON | protocol_like()
    event = st.fixed_dictionaries(
        {"event": st.sampled_from(["start", "end", "finished", "crash", "stopped"]) | JSON},
        optional={
            "step": st.integers(-1, 40) | JSON,
            "observed": anything,
            "error": st.none() | st.text(max_size=40) | JSON,
        },
    )
    return (
        st.binary(max_size=60)
        | JSON.map(lambda v: json.dumps(v).encode())
        | event.map(lambda v: json.dumps(v).encode())
    )
