"""Gradescope's autograder zip of an assignment (``python -m autograder.outputs.gradescope build``,
``make gradescope``): what grading it needs and nothing else, the same bytes for the same files.

It holds the engine (``autograder/`` without the other assignments' graders), the assignment's
graders and master notebook, the settings, the runtime pins and Gradescope's two scripts from
``deploy/gradescope/``.  Where a course secret is found here (``grading.inputs.secret``) it also
holds that assignment's inputs key, ``inputs_key.json`` (``gradescope_metadata.key_text``): never
the secret, from which the key follows and not the other way round; such a zip is 0600.
"""

import os
import tempfile
import zipfile

from autograder import settings as config
from autograder.outputs import gradescope_metadata as metadata
from autograder.settings import ROOT

SCRIPTS = os.path.join(ROOT, "deploy", "gradescope")


def package_files(assignment):
    """[(name in the zip, path here)]: what grading ``assignment`` needs, and nothing else."""
    files = []
    for here, dirs, names in os.walk(os.path.join(ROOT, "autograder")):
        at = os.path.relpath(here, ROOT)
        # the other assignments' graders stay out
        others = set(config.ASSIGNMENTS) - {assignment} if here == config.graders_folder() else set()
        dirs[:] = sorted(d for d in dirs if d not in others and d != "__pycache__" and not d.startswith("."))
        files += [(os.path.join(at, n), os.path.join(here, n)) for n in sorted(names) if n.endswith(".py")]
    for name in (
        "course_config.py",
        "pyproject.toml",
        "requirements/runtime.txt",
        f"source/{assignment}/{assignment}.ipynb",
    ):
        files.append((name, os.path.join(ROOT, name)))
    return files


def build(assignment, out):
    """Write <out>/<assignment>.zip (the same bytes for the same files and secret); returns its path.
    Where a course secret is found here the zip carries the assignment's inputs key (``metadata.KEY_FILE``)."""
    os.makedirs(out, exist_ok=True)
    path = os.path.join(out, f"{assignment}.zip")
    with open(os.path.join(SCRIPTS, "run_autograder")) as f:
        run_autograder = f.read().replace("@ASSIGNMENT@", assignment)
    with open(os.path.join(SCRIPTS, "setup.sh")) as f:
        setup = f.read()
    fd, tmp = tempfile.mkstemp(dir=out, prefix=f".{assignment}-", suffix=".zip")
    os.close(fd)
    key = metadata.key_text(assignment)  # that assignment's inputs key, never the secret
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in (("setup.sh", setup), ("run_autograder", run_autograder)):
            z.writestr(_entry(name, 0o755), text)
        if key is not None:
            z.writestr(_entry(metadata.KEY_FILE, 0o600), key)
        for name, source in package_files(assignment):
            with open(source, "rb") as f:
                z.writestr(_entry(name, 0o644), f.read())
    os.replace(tmp, path)
    os.chmod(path, 0o644 if key is None else 0o600)
    return path


def _entry(name, mode):
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.external_attr = (0o100000 | mode) << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    return info
