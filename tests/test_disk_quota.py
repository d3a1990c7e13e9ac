"""A notebook may keep at most course_config.DISK_LIMIT_MB (and DISK_LIMIT_FILES files) in its
folder: one that writes more loses the steps that wrote it, with the reason, and every other
notebook of the class keeps its marks.  As root each worker's folder is a size-limited tmpfs;
without the right to mount, what a step writes is measured as it runs (both are tried)."""

import os

import pytest

import course_config as config
from autograder import sandbox
from autograder.sandbox import scratch
from examples import answers
from tests.conftest import grade_class, lost, messages

pytestmark = [
    pytest.mark.sandbox,
    pytest.mark.skipif(not sandbox.isolation().sandboxed, reason=f"no sandbox here: {sandbox.sandboxed()}"),
]

# writes 8 MB files until the file system refuses or the notebook is stopped
FILL = """
def _fill():
    block = b"x" * 8_000_000
    for i in range(1000):
        with open(f"fill-{i}.bin", "wb") as f:
            f.write(block)
_fill()
"""
# writes empty files, many more than the limit allows
MANY = f"""
for i in range({config.DISK_LIMIT_FILES + 500}):
    open(f"empty-{{i}}", "w").close()
"""
# keeps half of the limit, in files below the largest a notebook may write: allowed
HALF = f"""
for i in range({config.DISK_LIMIT_MB // 2 // 5}):
    with open(f"half-{{i}}.bin", "wb") as f:
        f.write(b"y" * 5 * 1024 * 1024)
"""


@pytest.fixture(scope="module", params=["tmpfs", "measured"])
def graded(request, tmp_path_factory, solutions):
    """The class graded with each worker's folder a tmpfs (as root), and with the writes measured."""
    if request.param == "tmpfs" and not sandbox.can_drop_privileges():
        pytest.skip("a tmpfs per worker needs root")
    patch = pytest.MonkeyPatch()
    if request.param == "measured":
        patch.setattr(scratch, "_mount_tmpfs", lambda *args: False)
    try:
        notebooks = {
            "bystander": answers.notebook(solutions),
            "filler": answers.notebook(dict(solutions, model=FILL + solutions["model"])),
            "many_files": answers.notebook(dict(solutions, partial_sum_loss=MANY + solutions["partial_sum_loss"])),
            "half": answers.notebook(dict(solutions, cell=HALF + solutions["cell"])),
        }
        records = grade_class(tmp_path_factory.mktemp(f"quota-{request.param}"), notebooks)
    finally:
        patch.undo()
    return request.param, records


def test_a_notebook_that_fills_its_folder_loses_only_the_step_that_wrote(graded):
    _, records = graded
    assert lost(records["filler"]) == ["model"]
    text = messages(records["filler"], "model")
    assert f"the cell that defines `model` wrote more than {config.DISK_LIMIT_MB} MB" in text, text


def test_a_notebook_that_makes_too_many_files_loses_only_that_step(graded):
    _, records = graded
    assert lost(records["many_files"]) == ["partial_sum_loss"]
    text = messages(records["many_files"], "partial_sum_loss")
    assert f"made more than {config.DISK_LIMIT_FILES} files" in text, text


def test_the_rest_of_the_class_keeps_its_marks(graded):
    """A right answer beside them, and one that keeps half the limit, get full marks."""
    _, records = graded
    for student in ("bystander", "half"):
        record = records[student]
        assert record["total"] == record["max_total"], (student, record["tasks"])


def test_as_root_each_worker_folder_is_a_tmpfs_of_the_limit():
    """The tmpfs is mounted, holds the limit and no more, and is gone when the area closes."""
    if not sandbox.can_drop_privileges():
        pytest.skip("a tmpfs per worker needs root")
    area = scratch.ScratchArea()
    try:
        folder = area.worker_folder(0)
        assert folder in area.tmpfs
        with open("/proc/self/mounts") as f:
            [line] = [m for m in f if m.split()[1] == folder]
        assert line.split()[2] == "tmpfs"
        size = os.statvfs(folder)
        total = size.f_blocks * size.f_frsize
        limit = config.DISK_LIMIT_MB * 1024 * 1024
        assert limit < total <= limit + scratch.SCRATCH_MAX_BYTES + scratch.HOME_BYTES + 4096
    finally:
        area.close()
    with open("/proc/self/mounts") as f:
        assert folder not in f.read()
