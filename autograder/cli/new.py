"""``python -m autograder new NAME``: a new assignment from the skeleton (``autograder.cli.skeleton``).

It writes, under the kit's root, everything an assignment is (docs/adding-an-assignment.md): the
master notebook ``source/NAME/NAME.ipynb``, the hidden graders ``autograder/assignments/NAME/``,
the example answers ``examples/assignments/NAME.py`` and ``examples/unforeseen/NAME.py``, and adds
the assignment to ``course_config.ASSIGNMENTS`` (its new entry, as text at the end of the dict:
the rest of the file is left as it is) and its task's mark to pyproject.toml's pytest markers.
Nothing is written when NAME is taken or is not a Python identifier.
"""

import ast
import keyword
import os
import string
import sys

from autograder import settings
from autograder.cli import skeleton


class Refused(ValueError):
    """The name cannot be a new assignment's."""


def paths(name):
    """{what: path} of every file an assignment named ``name`` is made of, relative to the kit's root."""
    graders = os.path.join(os.path.relpath(settings.graders_folder(), settings.ROOT), name)
    files = {"notebook": os.path.join("source", name, f"{name}.ipynb")}
    for file in skeleton.GRADERS:
        files[file] = os.path.join(graders, _fill(file, name))
    files["examples"] = os.path.join("examples", "assignments", f"{name}.py")
    files["unforeseen"] = os.path.join("examples", "unforeseen", f"{name}.py")
    return files


def refusal(name, root=settings.ROOT):
    """Why ``name`` cannot be a new assignment's, or None."""
    if not name.isidentifier() or keyword.iskeyword(name) or name.startswith("_"):
        return f"{name!r} is not a name for an assignment: a Python identifier (letters, digits, _), not a keyword"
    if name in settings.ASSIGNMENTS:
        return f"{name!r} is an assignment already (course_config.ASSIGNMENTS)"
    folders = [os.path.join("source", name), os.path.dirname(paths(name)["__init__.py"])]
    taken = [p for p in folders + list(paths(name).values()) if os.path.exists(os.path.join(root, p))]
    if taken:
        return f"{name!r} is taken: {taken[0]} exists"
    return None


def create(name, root=settings.ROOT):
    """Write the assignment ``name`` under ``root``; returns the paths written (relative to it)."""
    reason = refusal(name, root)
    if reason:
        raise Refused(reason)
    config_text = _with_entry(_read(root, "course_config.py"), name)
    pyproject = os.path.join(root, "pyproject.toml")
    marks = _with_marker(_read(root, "pyproject.toml"), skeleton.TASK) if os.path.isfile(pyproject) else None
    files = paths(name)
    written = [files["notebook"]]
    _write(root, files["notebook"], _notebook(name))
    for file, text in skeleton.GRADERS.items():
        _write(root, files[file], _fill(text, name))
        written.append(files[file])
    for key, text in (("examples", skeleton.EXAMPLES), ("unforeseen", skeleton.UNFORESEEN)):
        _write(root, files[key], _fill(text, name))
        written.append(files[key])
    _write(root, "course_config.py", config_text)
    written.append("course_config.py")
    if marks is not None and marks != _read(root, "pyproject.toml"):
        _write(root, "pyproject.toml", marks)
        written.append("pyproject.toml")
    return written


def main(name, root=settings.ROOT):
    """The command: what it wrote and what to run next, or why it wrote nothing."""
    try:
        written = create(name, root)
    except Refused as exc:
        print(f"error: {exc}; nothing written", file=sys.stderr)
        return 2
    print(f"a new assignment {name!r}, one code task `{skeleton.TASK}` and one written answer; wrote:")
    for path in written:
        print(f"  {path}")
    print(
        "next (docs/adding-an-assignment.md says how to fill each file in):\n"
        "  make goldens        release/ and solutions/ from the master notebook, through nbgrader\n"
        "  make observations   what the example answers return, saved for the quick tier\n"
        "  make test           the kit's tests, the new assignment's with them"
    )
    return 0


def _fill(text, name):
    return string.Template(text).substitute(assignment=name, task=skeleton.TASK, written=skeleton.WRITTEN)


def _notebook(name):
    """The master notebook: the skeleton's cells with nbgrader's metadata."""
    import nbformat  # here: every command of the kit imports this module, only `new` needs nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    points = _entry(name)["points"]
    for kind, cell_id, role, text in skeleton.CELLS:
        make = nbformat.v4.new_code_cell if kind == "code" else nbformat.v4.new_markdown_cell
        cell = make(_fill(text, name).rstrip("\n"))
        cell.id = _fill(cell_id, name).replace("_", "-")
        grade_id = _fill(cell_id, name).replace("check-", "check_").replace("test-", "test_")
        if role:
            graded = role != "solution"
            cell.metadata["nbgrader"] = {
                "grade": graded,
                "grade_id": grade_id,
                "locked": role in ("check", "test"),
                **({"points": points.get(grade_id.removeprefix("test_"), 0.0)} if graded else {}),
                "schema_version": 3,
                "solution": role in ("solution", "written"),
                "task": False,
            }
            if role == "check":
                cell.metadata["nbgrader"]["points"] = 0
        nb.cells.append(cell)
    return nbformat.writes(nb) + "\n"


def _entry(name):
    """The new assignment's settings: its task's points and time, the written answer's points, and
    every other setting as the course's first assignment has it (values of course_config.py)."""
    task = skeleton.TASK
    entry = {
        "points": {task: 1.0, skeleton.WRITTEN: 1.0},
        "graded_tasks": [task],
        "canvas": {"name": name, "id": None},
        "task_timeout": {task: 10},
    }
    if not settings.ASSIGNMENTS:
        raise Refused("the new assignment takes its other settings from the course's first one, and there is none")
    first = next(iter(settings.ASSIGNMENTS.values()))
    own = {"deadline": None, "late_policy": {"method": "none"}}  # not the first assignment's
    for key in settings.Assignment.__annotations__:
        if key in own:
            entry[key] = own[key]
        elif key in settings.Assignment.__required_keys__ and key not in entry:
            entry[key] = first[key]
    return entry


def _with_entry(text, name):
    """course_config.py's text with the new assignment's entry as the last of ASSIGNMENTS."""
    tree = ast.parse(text)
    node = next(
        (
            n.value
            for n in tree.body
            if isinstance(n, ast.Assign) and [ast.unparse(t) for t in n.targets] == ["ASSIGNMENTS"]
        ),
        None,
    )
    lines = text.splitlines(keepends=True)
    if not isinstance(node, ast.Dict) or lines[node.end_lineno - 1].strip() != "}":
        raise Refused("course_config.py's ASSIGNMENTS is not a dict whose closing brace stands on a line of its own")
    # a value as the first assignment's entry writes it (1e-4, not 0.0001), where it is the same
    first = node.values[0] if node.values and isinstance(node.values[0], ast.Dict) else ast.Dict([], [])
    written = {ast.literal_eval(k): ast.get_source_segment(text, v) for k, v in zip(first.keys, first.values)}
    before = "".join(lines[: node.end_lineno - 1]).rstrip()
    comma = "" if before.endswith((",", "{")) else ","
    entry = [f'    "{name}": {{', "        # written by `python -m autograder new`; the keys are settings.Assignment's"]
    for key, value in _entry(name).items():
        if key == "rtol":
            entry.append(
                "        # the tolerances, and below a train task's settings (required), as the first assignment's"
            )
        same = key in written and "\n" not in written[key] and ast.literal_eval(written[key]) == value
        entry.append(f'        "{key}": {written[key] if same else _literal(value)},')
    entry += ["    },"]
    return before + comma + "\n" + "\n".join(entry) + "\n" + "".join(lines[node.end_lineno - 1 :])


def _literal(value):
    """A value as ruff's formatter writes it: double quotes, lists and dicts on one line."""
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_literal(k)}: {_literal(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_literal(v) for v in value) + "]"
    if isinstance(value, tuple):
        return "(" + ", ".join(_literal(v) for v in value) + ("," if len(value) == 1 else "") + ")"
    if isinstance(value, float):  # 1e-05 as 1e-5
        mantissa, e, exponent = repr(value).partition("e")
        return mantissa + e + (str(int(exponent)) if e else "")
    return repr(value)


def _with_marker(text, task):
    """pyproject.toml's text with a pytest mark for the task, unless it has one."""
    lines = text.splitlines(keepends=True)
    if any(line.strip().startswith(f'"{task}:') for line in lines):
        return text
    start = next((i for i, line in enumerate(lines) if line.strip() == "markers = ["), None)
    if start is None:
        return text
    end = next(i for i in range(start, len(lines)) if lines[i].strip() == "]")
    lines.insert(end, f'    "{task}: judges the task `{task}`",\n')
    return "".join(lines)


def _read(root, path):
    with open(os.path.join(root, path)) as f:
        return f.read()


def _write(root, path, text):
    full = os.path.join(root, path)
    os.makedirs(os.path.dirname(full) or ".", exist_ok=True)
    with open(full, "w") as f:
        f.write(text)
