"""The boundary's side for a submission's file: at most ``NOTEBOOK_MAX_BYTES``, UTF-8 JSON nested
at most ``MAX_DEPTH`` deep, a list of cells whose parts the kit reads of the right types; anything
else is ``NotGradable``, with one line saying why."""

import json

NOTEBOOK_MAX_BYTES = 50 * 1024 * 1024  # a notebook of this course is well under 1 MB, outputs included
MAX_DEPTH = 64  # of a notebook's JSON: nbformat's own structure is under 10 deep


class NotGradable(Exception):
    """The notebook cannot be graded at all; the message is one line for the record."""


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
