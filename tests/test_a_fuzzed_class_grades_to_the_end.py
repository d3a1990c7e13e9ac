"""A class full of broken files and of children that write random event streams is graded to
its end by the grading command: it exits 0, every notebook has a record whose messages are
strings, every page and file is written, and the bystanders' records are what they are alone.

The fuzz tier's slow part (``-m fuzz``, in the sandbox): each Hypothesis example is a whole class,
graded once through ``python -m autograder`` (in this process, as ``cli.main``): notebooks
mutated as ``tests.fuzzing.mutated_notebook`` breaks them, and notebooks whose task function,
run by the real child in the sandbox, writes random lines (``tests.fuzzing.event_line``) into
the event pipe it finds in its callers' frames, then returns, raises or exits.  Seeded
(``derandomize``) and bounded (``EXAMPLES`` classes of ``FILES`` + ``STREAMS`` + 2 notebooks).
"""

import json
import os

import pytest
from hypothesis import Phase, given, settings
from hypothesis import strategies as st

from autograder import cli
from autograder import settings as course
from examples import answers
from tests import fuzzing
from tests.conftest import write_class

pytestmark = [pytest.mark.sandbox, pytest.mark.fuzz]
EXAMPLES, FILES, STREAMS = 3, 4, 4

WRITES_LINES = """
import os, sys

def {task}(*args):
    frame = sys._getframe(1)
    while frame is not None and "event_fd" not in frame.f_locals:
        frame = frame.f_back
    for line in {lines!r}:
        os.write(frame.f_locals["event_fd"], line + b"\\n")
    {ending}
"""
ENDINGS = ["return None", "raise ValueError('after the lines')", "os._exit(0)", "return args[0]"]


def _bystanders(solutions):
    mistake = next(e for e in answers.MISTAKES if e.name == "summed_loss")
    return {"ada": answers.notebook(solutions), "ben": answers.notebook(answers.apply(solutions, mistake))}


def _grade(folder, out):
    code = cli.main(
        [
            "grade",
            str(folder),
            *("--json", str(out / "results.json"), "--feedback", str(out / "feedback")),
            *("--report", str(out / "report"), "--gradescope", str(out / "gradescope")),
            "--quiet",
            "--fresh",
        ]
    )
    return code, {r["student"]: r for r in json.loads((out / "results.json").read_text())}


@pytest.fixture(scope="module")
def alone(tmp_path_factory, solutions):
    folder = tmp_path_factory.mktemp("alone")
    write_class(folder / "submitted", _bystanders(solutions))
    code, records = _grade(folder / "submitted", folder)
    assert code == 0
    return records


def _grade_of(record):
    return {k: record[k] for k in ("tasks", "total", "error")}


stream = st.tuples(
    st.sampled_from(course.graded_tasks("rnn_sum")),
    st.lists(fuzzing.event_line(), min_size=1, max_size=6),
    st.sampled_from(ENDINGS),
)


# a failing class is reported as found: shrinking it would grade dozens more classes
@settings(fuzzing.FUZZ, max_examples=EXAMPLES, phases=[Phase.explicit, Phase.generate], database=None)
@given(data=st.data())
def test_a_class_of_broken_files_and_random_event_streams_is_graded_to_the_end(
    data, alone, solutions, tmp_path_factory
):
    folder = tmp_path_factory.mktemp("fuzzed")
    notebooks = _bystanders(solutions)
    for k in range(STREAMS):
        task, lines, ending = data.draw(stream)
        code = WRITES_LINES.format(task=task, lines=lines, ending=ending)
        notebooks[f"stream{k}"] = answers.notebook(dict(solutions, **{task: code}))
    write_class(folder / "submitted", notebooks)
    for k in range(FILES):
        path = folder / "submitted" / f"file{k}" / "rnn_sum" / "rnn_sum.ipynb"
        os.makedirs(path.parent)
        path.write_bytes(fuzzing.mutated_notebook(data))

    code, records = _grade(folder / "submitted", folder)

    assert code == 0
    assert sorted(records) == sorted([*notebooks, *(f"file{k}" for k in range(FILES))])
    for student, record in records.items():
        assert all(isinstance(s, str) for s in fuzzing.strings(record["tasks"])), record
        assert isinstance(record["error"], (str, type(None)))
        assert (folder / "feedback" / f"{student}.html").stat().st_size > 0
        assert (folder / "gradescope" / student / "results.json").stat().st_size > 0
    assert (folder / "report" / "rnn_sum.html").stat().st_size > 0
    for student in ("ada", "ben"):
        assert _grade_of(records[student]) == _grade_of(alone[student])
