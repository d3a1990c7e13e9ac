"""``python -m autograder new toy``, in a copy of the kit, writes an assignment that works: its files
pass the kit's lint, its settings load, nbgrader builds its release and solution notebooks
(``make goldens``), and through the real sandbox its solution gets every point of its code task
while a wrong notebook loses that task and is told its mistake.  A second ``new toy`` and a name
that is not an identifier are refused, and write nothing."""

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import kit_copy, python_for_all_users

pytestmark = [pytest.mark.sandbox, pytest.mark.nbgrader]

NAME = "toy"
WRONG = "weight_added"  # one of the skeleton's example mistakes (examples/assignments/<name>.py)


def _run(kit, *args, prefix=(), check=True):
    """``python ARGS`` in the copy of the kit (its own autograder, not the one installed from ROOT)."""
    env = dict(os.environ, PYTHONPATH=kit)
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")
    proc = subprocess.run([*prefix, sys.executable, *args], cwd=kit, env=env, capture_output=True, text=True)
    if check:
        assert proc.returncode == 0, f"{args}:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return proc


def test_a_new_assignment_builds_and_grades(tmp_path):
    kit = kit_copy(str(tmp_path / "kit"))
    # the kit may have a toy of its own, made with `new` and kept: then the next free name
    name = next(
        n for n in (f"{NAME}{i or ''}" for i in range(100)) if not os.path.exists(os.path.join(kit, "source", n))
    )

    made = _run(kit, "-m", "autograder", "new", name)
    written = [line.strip() for line in made.stdout.splitlines() if line.startswith("  ") and "make" not in line]
    assert f"source/{name}/{name}.ipynb" in written and "course_config.py" in written, made.stdout
    assert all(os.path.isfile(os.path.join(kit, path)) for path in written), written
    assert "make goldens" in made.stdout and "make observations" in made.stdout and "make test" in made.stdout

    # taken, or not an identifier: refused, nothing written
    with open(os.path.join(kit, "course_config.py")) as f:
        config_text = f.read()
    for taken in (name, "rnn_sum", "not-a-name", "class"):
        refused = _run(kit, "-m", "autograder", "new", taken, check=False)
        assert refused.returncode == 2 and "nothing written" in refused.stderr, (taken, refused.stderr)
    with open(os.path.join(kit, "course_config.py")) as f:
        assert f.read() == config_text

    # the settings load, the new entry among them, and the files pass the kit's lint
    settings = _run(kit, "-c", "from autograder import settings; import json; print(json.dumps(settings.ASSIGNMENTS))")
    entry = json.loads(settings.stdout)[name]
    [task] = entry["graded_tasks"]
    assert entry["points"][task] > 0 and len(entry["points"]) == 2  # one code task, one written answer
    ruff = os.path.join(os.path.dirname(sys.executable), "ruff")
    if os.path.exists(ruff):
        files = [p for p in written if p.endswith(".py")]
        for check in (["check"], ["format", "--check"]):
            proc = subprocess.run([ruff, *check, *files], cwd=kit, capture_output=True, text=True)
            assert proc.returncode == 0, proc.stdout + proc.stderr

    # make goldens: release/ and solutions/ through nbgrader; the solution runs without an error
    _run(kit, "-m", "autograder.nbgrader.course", "build")
    with open(os.path.join(kit, "solutions", name, f"{name}.ipynb")) as f:
        solution_nb = json.load(f)
    outputs = [o for c in solution_nb["cells"] for o in c.get("outputs", [])]
    assert outputs and not any(o["output_type"] == "error" for o in outputs)
    with open(os.path.join(kit, "release", name, f"{name}.ipynb")) as f:
        release = "\n".join("".join(c["source"]) for c in json.load(f)["cells"])
    assert "BEGIN SOLUTION" not in release and "HIDDEN TESTS" not in release and "autograder" not in release

    # a class of two: the master solution, and the solution with one example mistake made
    submitted = os.path.join(kit, "submitted")
    _run(
        kit,
        "-c",
        "import sys\nfrom examples import answers\n"
        f"s = answers.solutions({name!r})\n"
        f"answers.write(answers.notebook(s, assignment={name!r}), sys.argv[1] + '/ada/{name}/{name}.ipynb')\n"
        f"wrong = answers.apply(s, answers.edit({WRONG!r}))\n"
        f"answers.write(answers.notebook(wrong, assignment={name!r}), sys.argv[1] + '/ben/{name}/{name}.ipynb')\n",
        submitted,
    )
    says = _run(
        kit,
        "-c",
        f"from autograder.grading import diagnosis\n"
        f"print(next(m.says for m in diagnosis.mistakes({name!r}, {task!r}) if m.name == {WRONG!r}))",
    ).stdout.strip()

    prefix = python_for_all_users(kit)  # student code runs as another user, who must read the copy
    out = os.path.join(kit, "results.json")
    _run(kit, "-m", "autograder", "grade", submitted, "--json", out, prefix=prefix)
    with open(out) as f:
        records = {r["student"]: r for r in json.load(f)}
    ada, ben = records["ada"], records["ben"]
    assert ada["assignment"] == ben["assignment"] == name and ada["sandboxed"]
    assert (
        ada["error"] is None
        and ada["tasks"][task]["points"] == ada["tasks"][task]["max_points"] == entry["points"][task]
    )
    assert ada["tasks"][task]["messages"] == [] and ada["tasks"][task]["diagnosis"] == []
    assert ben["error"] is None and ben["tasks"][task]["points"] == 0 and ben["tasks"][task]["messages"]
    assert ben["tasks"][task]["diagnosis"] == [says]

    # `check`, as a student runs it: the same verdict, the mistake named
    checked = _run(
        kit, "-m", "autograder", "check", os.path.join(submitted, "ben", name, f"{name}.ipynb"), prefix=prefix
    )
    assert f"0 / {entry['points'][task]:g}" in checked.stdout and says in checked.stdout
