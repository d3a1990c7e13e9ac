"""The import contract: who in the kit may import whom (function-local imports included).

- no import circle among the kit's modules (``lint-imports``, pyproject.toml's contracts);
- course_config.py is values only: it imports nothing;
- ``autograder.inside``, the sandbox's side, imports nothing else of the kit, not even the
  settings;
- the engine imports no assignment: it finds an assignment's graders by name, at run time;
- an assignment imports, of the kit, only its own package, the grading library and the settings.
"""

import ast
import os
import subprocess
import sys

import grimp
import pytest

from autograder import graders
from autograder.paths import ROOT

GRADING_LIBRARY = {
    "autograder.graders",
    "autograder.checks",
    "autograder.diagnosis",
    "autograder.training",
    "autograder.hidden_tests",
}


@pytest.fixture(scope="module")
def graph():
    return grimp.build_graph("autograder", include_external_packages=True)


def _kit(graph, module):
    """What a module imports of the kit: its modules and the settings."""
    imported = graph.find_modules_directly_imported_by(module)
    return {m for m in imported if m.startswith("autograder") or m == "course_config"}


def _packages():
    return {f"autograder.{assignment}" for assignment in graders.assignments()}


def _in(module, packages):
    return any(module == p or module.startswith(p + ".") for p in packages)


def test_no_module_of_the_kit_is_in_an_import_circle():
    lint = os.path.join(os.path.dirname(sys.executable), "lint-imports")
    proc = subprocess.run([lint], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert "0 broken" in proc.stdout


def test_the_settings_are_values_only():
    with open(os.path.join(ROOT, "course_config.py")) as f:
        tree = ast.parse(f.read())
    imports = [ast.unparse(node) for node in ast.walk(tree) if isinstance(node, (ast.Import, ast.ImportFrom))]
    calls = [ast.unparse(node) for node in tree.body if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)]
    assert imports == [] and calls == []


def test_the_sandbox_s_side_imports_nothing_else_of_the_kit(graph):
    inside = {m for m in graph.modules if _in(m, {"autograder.inside"})}
    assert len(inside) > 3
    for module in inside:
        outside = {m for m in _kit(graph, module) if not _in(m, {"autograder.inside"}) and m != "autograder"}
        assert outside == set(), module


def test_the_engine_imports_no_assignment(graph):
    packages = _packages()
    engine = {m for m in graph.modules if m.startswith("autograder") and not _in(m, packages)}
    assert "autograder.runner" in engine
    for module in engine:
        assert not {m for m in _kit(graph, module) if _in(m, packages)}, module


def test_an_assignment_imports_only_itself_the_grading_library_and_the_settings(graph):
    for package in _packages():
        modules = {m for m in graph.modules if _in(m, {package})}
        assert f"{package}.reference" in modules
        for module in modules:
            other = {
                m
                for m in _kit(graph, module)
                if not _in(m, {package}) and m not in GRADING_LIBRARY | {"course_config", "autograder"}
            }
            assert other == set(), module


def test_the_engine_names_no_assignment_and_no_task():
    """No string of the engine (docstrings aside) is an assignment's, a task's or the course's
    name: what is course content comes from course_config.py and the assignments' packages."""
    import course_config as config

    names = {config.COURSE_ID, *graders.assignments()}
    names |= {task for a in graders.assignments() for task in graders.graded_tasks(a)}
    packages = {os.path.join(ROOT, "autograder", a) for a in graders.assignments()}
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
