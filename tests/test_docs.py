"""README.md and docs/: every command they show runs (its ``--help`` at least, with every option
they use), and every link resolves, to a file and to a heading in it.

A command is a line of a fenced code block, or an inline code span that starts with one of the
kit's programs (``make``, ``python -m autograder``, ``pytest``, ``nbgrader``, ...).  Commands of
the machine rather than the kit (``export``, ``kubectl``, ...) are named in ``SYSTEM``.
"""

import functools
import glob
import os
import re
import shlex
import subprocess
import sys

import pytest

from autograder.settings import ROOT

DOCS = [os.path.join(ROOT, "README.md"), *sorted(glob.glob(os.path.join(ROOT, "docs", "*.md")))]
PROGRAMS = ("make", "python", "pytest", "nbgrader", "autograder", "jupyter", "bash")
SYSTEM = {"export", "cd", "kubectl", "sbatch", "sudo", "apt-get", "sysctl", "pre-commit", "bash", "git", "mkdir", "mv"}
BIN = os.path.dirname(sys.executable)


def _text(path):
    with open(path) as f:
        return f.read()


def _commands(path):
    """[(the doc, the command's words)] of a doc."""
    text = _text(path)
    lines = []
    for info, block in re.findall(r"```([^\n]*)\n(.*?)```", text, flags=re.S):
        if info.split()[:1] in ([], ["sh"]):  # shell blocks; a ```python block is a file's text
            lines += block.splitlines()
    outside = re.sub(r"```.*?```", "", text, flags=re.S)
    lines += [span for span in re.findall(r"`([^`\n]+)`", outside) if span.split()[0].split("/")[-1] in PROGRAMS]
    commands = []
    for line in lines:
        line = line.split("  #")[0].strip()
        if not line or line.startswith("#"):
            continue
        words = shlex.split(line)
        while words and re.match(r"^[A-Z_]+=", words[0]):  # VARIABLE=value before the command
            words.pop(0)
        if words:
            words[0] = words[0].split("/")[-1]  # .venv/bin/python -> python
            commands.append(words)
    return commands


ALL = sorted({(os.path.relpath(doc, ROOT), tuple(words)) for doc in DOCS for words in _commands(doc)})


@functools.cache
def _help(*args):
    proc = subprocess.run(list(args), cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, f"{' '.join(args)}: {proc.stderr[-2000:]}"
    return proc.stdout


def _options(words):
    return [w.split("=")[0] for w in words if w.startswith("--")]


@functools.cache
def _make_targets():
    return set(re.findall(r"(?m)^([A-Za-z][\w-]*):", _text(os.path.join(ROOT, "Makefile"))))


def _check(words):
    program, args = words[0], words[1:]
    if program == "make":
        assert set(args) <= _make_targets(), args
    elif program in ("python", "python3") and args[:2] == ["-m", "autograder"] or program == "autograder":
        rest = args[2:] if program != "autograder" else args
        sub = [rest[0]] if rest and not rest[0].startswith("-") else []
        text = _help(sys.executable, "-m", "autograder", *sub, "--help")
        for option in _options(rest):
            assert option in text, f"{option} is not an option of `autograder {' '.join(sub)}`"
    elif program in ("python", "python3") and args[:1] == ["-m"]:
        import importlib.util

        assert importlib.util.find_spec(args[1]) is not None, args[1]
    elif program in ("python", "python3"):
        script = os.path.join(ROOT, args[0])
        text = _help(sys.executable, script, "--help")
        for option in _options(args[1:]):
            assert option in text, f"{option} is not an option of {args[0]}"
    elif program == "pytest":
        paths = [a for a in args if os.path.exists(os.path.join(ROOT, a.split("::")[0]))]
        text = _help(sys.executable, "-m", "pytest", *paths, "--help")
        for option in _options(args):
            assert option in text, f"{option} is not an option of pytest here"
        markers = _help(sys.executable, "-m", "pytest", *paths, "--markers")
        for expression in (args[i + 1] for i, a in enumerate(args) if a == "-m"):
            for name in re.findall(r"\w+", expression):
                assert name in ("not", "and", "or") or f"@pytest.mark.{name}:" in markers, name
    elif program in ("nbgrader", "jupyter"):
        sub = [a for a in args[:1] if not a.startswith("-")]
        text = _help(os.path.join(BIN, program), *sub, "--help")
        for option in _options(args):
            assert option.split(".")[0] in text or "." in option, f"{option} is not an option of {program} {sub}"
    else:
        assert program in SYSTEM, f"{program}: a command the docs test does not know (the machine's? see SYSTEM)"


@pytest.mark.parametrize(
    "doc, words",
    [
        pytest.param(doc, words, marks=[pytest.mark.nbgrader] if words[0] in ("nbgrader", "jupyter") else [])
        for doc, words in ALL
    ],
    ids=[f"{doc}: {' '.join(words)}" for doc, words in ALL],
)
def test_every_command_of_the_docs_runs(doc, words):
    _check(list(words))


def _slug(heading):
    """GitHub's anchor of a heading."""
    text = re.sub(r"[`*]", "", heading.strip().lower())
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


@pytest.mark.parametrize("doc", [os.path.relpath(d, ROOT) for d in DOCS])
def test_every_link_resolves(doc):
    path = os.path.join(ROOT, doc)
    text = re.sub(r"```.*?```", "", _text(path), flags=re.S)
    links = re.findall(r"\]\(([^)\s]+)\)", text)
    assert links or doc.startswith("docs/"), "the README links to the docs"
    for link in links:
        if re.match(r"^[a-z]+://", link):
            continue  # outside links: no internet here to follow them
        target, _, anchor = link.partition("#")
        target = os.path.normpath(os.path.join(os.path.dirname(path), target)) if target else path
        assert os.path.exists(target), f"{doc}: {link}"
        if anchor:
            headings = re.findall(r"(?m)^#+ (.*)$", _text(target))
            assert anchor in {_slug(h) for h in headings}, f"{doc}: {link}"


def test_the_readme_is_short_and_links_every_doc():
    readme = _text(os.path.join(ROOT, "README.md"))
    assert len(readme.encode()) < 8 * 1024
    for doc in DOCS[1:]:
        assert f"(docs/{os.path.basename(doc)})" in readme, doc
