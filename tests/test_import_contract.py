"""The import contract: who in the kit may import whom (function-local imports included).

pyproject.toml's import-linter contracts say it, and ``lint-imports`` checks it:

- each layer imports only the layers below it (cli, nbgrader, outputs, runner, then grading and
  the sandbox, then the settings, the records' types and ``autograder.inside``, the sandbox's
  side, which imports nothing else of the kit);
- no layer imports an assignment's graders: the engine finds them by name, at run time;
- an assignment imports, of the kit, only the grading library and the settings;
- only ``autograder.settings`` reads course_config.py, which is values only;
- no import circle.
"""

import ast
import os
import shutil
import subprocess
import sys

import pytest

from autograder import settings as config
from autograder.settings import ROOT

LINT = os.path.join(os.path.dirname(sys.executable), "lint-imports")


def _lint(root):
    proc = subprocess.run([LINT], cwd=root, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(root)})
    return proc.returncode, proc.stdout


def test_the_kit_keeps_every_import_contract():
    code, out = _lint(ROOT)
    assert code == 0, out[-3000:]
    assert "5 kept, 0 broken" in out, out[-3000:]


# (the module that gets the import, the import, the contract it breaks)
LAYERS = "Each layer imports only the layers below it"
PLANTED = [
    ("autograder/inside/protocol.py", "from autograder import settings", LAYERS),
    ("autograder/runner/pool.py", "from autograder.outputs import tables", LAYERS),
    ("autograder/runner/judge.py", "from autograder.assignments.rnn_sum import reference",
     "No layer imports an assignment's graders"),
    ("autograder/assignments/rnn_sum/unroll.py", "from autograder import runner",
     "An assignment imports, of the kit, only the grading library and the settings"),
    ("autograder/outputs/tables.py", "import course_config", "Only autograder.settings reads course_config.py"),
]  # fmt: skip


@pytest.mark.parametrize("module, line, contract", PLANTED, ids=[p[0].split("/", 1)[1] for p in PLANTED])
def test_a_planted_import_breaks_its_contract(tmp_path, module, line, contract):
    """The contracts are not vacuous: one import against the layers, planted in a function of a
    copy of the kit (where a start-up cost would hide it), breaks the contract that forbids it."""
    shutil.copytree(
        os.path.join(ROOT, "autograder"), tmp_path / "autograder", ignore=shutil.ignore_patterns("__pycache__")
    )
    for name in ("pyproject.toml", "course_config.py"):
        shutil.copy(os.path.join(ROOT, name), tmp_path / name)
    with open(tmp_path / module, "a") as f:
        f.write(f"\n\ndef _planted():\n    {line}  # noqa\n")
    code, out = _lint(tmp_path)
    assert code != 0
    assert f"{contract} BROKEN" in out, out[-3000:]
    assert "4 kept, 1 broken" in out or "3 kept, 2 broken" in out, out[-3000:]


def test_the_settings_are_values_only():
    with open(os.path.join(ROOT, "course_config.py")) as f:
        tree = ast.parse(f.read())
    imports = [ast.unparse(node) for node in ast.walk(tree) if isinstance(node, (ast.Import, ast.ImportFrom))]
    calls = [ast.unparse(node) for node in tree.body if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)]
    assert imports == [] and calls == []


def test_the_engine_names_no_assignment_and_no_task():
    """No string of the engine (docstrings aside) is an assignment's, a task's or the course's
    name: what is course content comes from course_config.py and the assignments' packages."""
    names = {config.COURSE_ID, *config.assignments()}
    names |= {task for a in config.assignments() for task in config.graded_tasks(a)}
    packages = {config.graders_folder(a) for a in config.assignments()}
    for folder, _, files in os.walk(os.path.join(ROOT, "autograder")):
        if any(folder == p or folder.startswith(p + os.sep) for p in packages):
            continue
        for name in (f for f in files if f.endswith(".py")):
            with open(os.path.join(folder, name)) as f:
                tree = ast.parse(f.read())
            docs = {
                id(node.body[0].value)
                for node in ast.walk(tree)
                if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef)) and ast.get_docstring(node)
            }
            strings = {
                n.value
                for n in ast.walk(tree)
                if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docs
            }
            named = {s for s in strings if s in names or any(f"`{n}`" in s or f"<code>{n}<" in s for n in names)}
            named |= {s for s in strings for n in names if ("_" in n or "-" in n) and n in s}  # rnn_sum, rnn-sum, ...
            assert not named, (name, named)
