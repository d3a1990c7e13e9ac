"""What students and instructors see, in JupyterLab 4 with nbgrader's extension, driven in
headless chromium.  Screenshots go to build/test-artefacts/."""

import os
import shutil
import subprocess
import sys

import pytest

from autograder.nbgrader import course
from examples import answers
from tests import browser
from tests.conftest import new_course, write_class

pytestmark = [
    pytest.mark.browser,
    pytest.mark.sandbox,
    pytest.mark.skipif(browser.problem() is not None, reason=f"no browser here: {browser.problem()}"),
]


@pytest.fixture(scope="module")
def chromium():
    with browser.chromium() as context:
        yield context


@pytest.fixture(scope="module")
def student_lab(tmp_path_factory, solutions, chromium):
    """A student's JupyterLab with two notebooks: one right, one with `model` wrong."""
    root = tmp_path_factory.mktemp("student")
    answers.write(answers.notebook(solutions), str(root / "right.ipynb"))
    answers.write(
        answers.notebook(answers.apply(solutions, answers.edit("only_final_state"))), str(root / "wrong.ipynb")
    )
    shutil.copy(os.path.join(course.ROOT, "solutions", "rnn_sum", "rnn_sum.ipynb"), root / "solutions.ipynb")
    layers = answers.solutions("rnn_layers")
    answers.write(answers.notebook(layers, assignment="rnn_layers"), str(root / "layers_right.ipynb"))
    wrong = answers.apply(layers, answers.edit("layer_2_fed_the_signal"))
    answers.write(answers.notebook(wrong, assignment="rnn_layers"), str(root / "layers_wrong.ipynb"))
    with browser.jupyter_lab(str(root)) as (base, token):
        page = chromium.new_page()
        yield page, base, token
        page.close()


def _validate(student_lab, name):
    page, base, token = student_lab
    browser.open_notebook(page, base, token, name)
    browser.run_all(page)
    return browser.validate(page)


def test_validate_says_a_correct_notebook_passes(student_lab):
    """Run all, then Validate: the student sees that every visible check passes."""
    text = _validate(student_lab, "right.ipynb")
    browser.screenshot(student_lab[0], "student-validate-success")
    assert "Success! Your notebook passes all the tests." in text
    student_lab[0].locator(".jp-Dialog-button.jp-mod-accept").click()


def test_validate_names_the_failing_task_in_plain_words(student_lab):
    """With `model` returning only the last state, Validate shows the checks of `model`
    and what was wrong, and nothing about the tasks that are right."""
    text = _validate(student_lab, "wrong.ipynb")
    browser.screenshot(student_lab[0], "student-validate-failure")
    assert "Checks for `model`" in text
    assert (
        "CheckFailed: model: for a signal of 6 frames, model should return 6 states (shape (6,)), got torch.Size([])"
        in text
    )
    assert "Traceback" not in text  # one plain sentence, not a stack of frames
    assert "Checks for `cell`" not in text and "Checks for `train`" not in text
    student_lab[0].locator(".jp-Dialog-button.jp-mod-accept").click()


def test_validate_says_a_correct_rnn_layers_notebook_passes(student_lab):
    """The second assignment, right: every visible check passes."""
    text = _validate(student_lab, "layers_right.ipynb")
    browser.screenshot(student_lab[0], "student-layers-validate-success")
    assert "Success! Your notebook passes all the tests." in text
    student_lab[0].locator(".jp-Dialog-button.jp-mod-accept").click()


def test_validate_names_the_failing_rnn_layers_task(student_lab):
    """With layer 2 fed the signal instead of layer 1's activities, Validate shows the checks of
    `model` and what was wrong, and nothing about `cell` and `layer`, which are right (the
    visible checks of `train` use the student's own model, so they fail too)."""
    text = _validate(student_lab, "layers_wrong.ipynb")
    browser.screenshot(student_lab[0], "student-layers-validate-failure")
    assert "Checks for `model`" in text
    assert "CheckFailed: model: it should return layer 2 (BIAS2, ...) on layer 1 (BIAS1, ...) of SIGNAL" in text
    assert "Traceback" not in text
    assert "CheckFailed: cell:" not in text and "CheckFailed: layer:" not in text
    student_lab[0].locator(".jp-Dialog-button.jp-mod-accept").click()


def test_the_solution_notebook_shows_its_outputs_and_the_loss_plot(student_lab):
    """A self-learner opening solutions/ sees the results and the training plot without
    running anything."""
    from playwright.sync_api import expect

    page, base, token = student_lab
    page.goto(f"{base}/lab/tree/solutions.ipynb?reset&token={token}")
    plot = page.locator(".jp-OutputArea-output img").last
    plot.scroll_into_view_if_needed()
    expect(plot).to_be_visible()
    assert plot.evaluate("img => img.naturalWidth") > 300
    expect(page.get_by_text("(should approach 1)").first).to_be_visible()
    browser.screenshot(page, "self-study-solution-plot")


@pytest.fixture(scope="module")
def instructor_lab(tmp_path_factory, solutions, chromium):
    """A course folder graded by the kit into its gradebook, served by JupyterLab."""
    root = tmp_path_factory.mktemp("course")
    new_course(str(root))
    write_class(
        str(root / "submitted"),
        {
            "ada": answers.notebook(solutions),
            "ben": answers.notebook(answers.apply(solutions, answers.edit("missing_zero_grad"))),
        },
    )
    graded = subprocess.run(
        [sys.executable, "-m", "autograder", "grade", "submitted", "--json", "results.json", "--course", "."],
        cwd=root,
        capture_output=True,
        text=True,
    )
    assert graded.returncode == 0, graded.stderr
    # submitted later, not graded yet: right only where it cannot read the course's master notebook
    master = str(root / "source" / "rnn_sum" / "rnn_sum.ipynb")
    write_class(
        str(root / "submitted"),
        {
            "cy": answers.notebook(
                dict(
                    solutions,
                    cell=solutions["cell"]
                    + (
                        f"\ntry:\n    open({master!r})\n"
                        "    def cell(FRAME, STATE):\n        return FRAME\nexcept OSError:\n    pass\n"
                    ),
                )
            )
        },
    )
    with browser.jupyter_lab(str(root)) as (base, token):
        page = chromium.new_page()
        yield page, base, token, str(root)
        page.close()


def _open_submission(page, base, token, student):
    """formgrader's view of a student's autograded rnn_sum notebook."""
    from playwright.sync_api import expect

    # opened first in a fresh lab, this list stayed at "Loading, please wait..." here: the students first
    page.goto(f"{base}/formgrader/manage_students?token={token}")
    expect(page.locator("tr", has_text=student).first).to_be_visible()
    page.goto(f"{base}/formgrader/gradebook/rnn_sum/rnn_sum?token={token}")
    page.get_by_role("button", name="Show All Names").click()
    page.locator("tr", has_text=student).first.locator("a:visible").first.click()


def test_formgrader_shows_the_assignment_its_submissions_and_grades(instructor_lab):
    from playwright.sync_api import expect

    page, base, token, _ = instructor_lab
    page.goto(f"{base}/formgrader?token={token}")
    row = page.locator("tr", has_text="rnn_sum").first
    expect(row).to_be_visible()
    assert "3" in row.inner_text()  # three submissions
    browser.screenshot(page, "instructor-formgrader-assignments")

    page.goto(f"{base}/formgrader/manage_students?token={token}")
    expect(page.locator("tr", has_text="ada").first).to_contain_text("9 / 10")
    expect(page.locator("tr", has_text="ben").first).to_contain_text("6 / 10")
    browser.screenshot(page, "instructor-formgrader-students")

    _open_submission(page, base, token, "ben")
    failure = page.get_by_text("the loss of epoch 2 is").first
    expect(failure).to_be_visible()
    failure.scroll_into_view_if_needed()
    browser.screenshot(page, "instructor-formgrader-submission")


# every <pre> holding a hidden-test cell's verdict: how wide its text is, and how wide it is shown
_VERDICTS = """() => [...document.querySelectorAll('pre')]
    .filter(e => e.innerText.includes('hidden checks of'))
    .map(e => ({scroll: e.scrollWidth, shown: e.clientWidth, right: e.getBoundingClientRect().right,
                page: document.documentElement.clientWidth, text: e.innerText}))"""


def _shown_whole(page, expected):
    verdicts = page.evaluate(_VERDICTS)
    assert verdicts, "no hidden-test verdict on the page"
    for v in verdicts:
        assert v["scroll"] <= v["shown"] + 1 and v["right"] <= v["page"], v  # no line runs off
    text = " ".join(" ".join(v["text"] for v in verdicts).split())
    for sentence in expected:
        assert " ".join(sentence.split()) in text


def test_formgrader_and_nbgraders_feedback_show_each_message_whole(instructor_lab):
    """A failed task's messages and diagnosis, wrapped at a readable width, fit the page: in
    formgrader's view of the submission and in the feedback nbgrader generates from it."""
    import json

    page, base, token, root = instructor_lab
    with open(os.path.join(root, "results.json")) as f:
        ben = next(r for r in json.load(f) if r["student"] == "ben")["tasks"]["train"]
    assert ben["diagnosis"] and max(map(len, ben["messages"] + ben["diagnosis"])) > 150
    _open_submission(page, base, token, "ben")
    page.get_by_text("What may have gone wrong").first.scroll_into_view_if_needed()
    _shown_whole(page, ben["messages"] + ben["diagnosis"])
    browser.screenshot(page, "instructor-formgrader-wrapped-messages")

    course.nbgrader(root, "generate_feedback", "rnn_sum")
    page.goto(f"{base}/files/feedback/ben/rnn_sum/rnn_sum.html?token={token}")
    page.get_by_text("What may have gone wrong").first.scroll_into_view_if_needed()
    _shown_whole(page, ben["messages"] + ben["diagnosis"])
    browser.screenshot(page, "instructor-feedback-wrapped-messages")


def test_formgraders_autograde_button_grades_in_the_sandbox(instructor_lab):
    """The button grades through the kit: cy's notebook is right only where it cannot read the
    course, so only sandboxed grading gives it 9 / 10 (in its own kernel, nbgrader's stock
    grading would give 0, and the kit unsandboxed 8)."""
    from playwright.sync_api import expect

    page, base, token, _ = instructor_lab
    page.goto(f"{base}/formgrader/manage_submissions/rnn_sum?token={token}")
    row = page.locator("tr", has_text="cy").first
    expect(row).to_be_visible()
    row.locator(".autograde a").click()
    modal = page.locator("#success-modal")
    expect(modal).to_contain_text("Successfully autograded 'rnn_sum' for student 'cy'", timeout=browser.TIMEOUT_MS)
    browser.screenshot(page, "instructor-formgrader-autograde")
    assert "by the kit's graders (sandboxed (bubblewrap allowlist" in modal.inner_text()
    page.goto(f"{base}/formgrader/manage_students?token={token}")
    expect(page.locator("tr", has_text="cy").first).to_contain_text("9 / 10")


@pytest.fixture(scope="module")
def demo_report(tmp_path_factory):
    """The class report of the demo's class (both assignments), written by the grading command."""
    from examples import demo

    root = tmp_path_factory.mktemp("demo-report")
    for assignment, students in {"rnn_sum": demo.example_class(), "rnn_layers": demo.layers_class()}.items():
        for student, nb in students.items():
            answers.write(nb, str(root / "submitted" / student / assignment / f"{assignment}.ipynb"))
    command = [sys.executable, "-m", "autograder", "grade", "submitted", "--json", "out.json", "--report", "report"]
    proc = subprocess.run(command, cwd=root, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr
    assert f"class report of rnn_sum: {os.path.join('report', 'rnn_sum.html')}" in proc.stderr
    return root / "report"


def test_the_class_report_shows_the_scores_the_rates_the_mistakes_and_the_copied_pair(chromium, demo_report):
    """An instructor opens the demo class's report: the histogram is drawn, the tables are there,
    the mistake two students made heads its table, and hal's disguised copy of ada's notebook is
    shown side by side, the matching parts marked."""
    page = chromium.new_page()
    try:
        page.goto((demo_report / "rnn_sum.html").as_uri())
        histogram = page.locator("#scores + img")
        assert histogram.evaluate("img => img.complete && img.naturalWidth") > 300
        assert page.locator("#tasks + table tr").count() == 1 + 5
        assert page.locator("#checks ~ table").first.locator("tr").count() == 1 + 17
        first = page.locator("#mistakes ~ table").first.locator("tr").nth(1)
        assert "without BIAS" in first.inner_text() and "ben, ivy" in first.inner_text()
        assert "fay" in page.locator("#ungraded + table").inner_text()
        pair = page.locator("details", has_text="ada and hal")
        assert pair.count() == 1 and page.locator("details").count() == 1
        pair.locator("summary").click()
        marks = pair.locator("mark")
        assert marks.first.is_visible() and marks.count() >= 2
        page.screenshot(path=os.path.join(browser.ARTEFACTS, "class-report.png"), full_page=True)
        page.goto((demo_report / "rnn_layers.html").as_uri())
        assert page.locator("#scores + img").evaluate("img => img.naturalWidth") > 300
        assert "tanh" in page.locator("#mistakes ~ table").first.inner_text()
    finally:
        page.close()
