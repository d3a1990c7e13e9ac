"""The class report, from saved observations: a class is judged as the runner judges it (no
notebook runs here), and the page and CSV must count it right."""

import base64
import csv
import json
import re

import pytest
from bs4 import BeautifulSoup

from autograder import runner
from autograder import settings as config
from autograder.outputs import class_report
from autograder.runner.submission import Submission
from examples import answers
from tests import saved_observations

SAVED = saved_observations.load("rnn_sum")["examples"]
CLASS = {  # student: the example answer they handed in
    "amy": "solution",
    "bo": "solution",
    "cy": "forgotten_bias",
    "di": "forgotten_bias",
    "ed": "summed_loss",
    "flo": "absolute_loss",
    "gil": "untouched_release",
}
BROKEN = "hu"  # hands in a notebook that is not JSON


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """(the report's folder, its page parsed, the records): the class judged from saved observations."""
    root = tmp_path_factory.mktemp("report")
    notebooks = saved_observations.examples("rnn_sum")
    graded = []
    for student, example in CLASS.items():
        path = root / "submitted" / student / "rnn_sum" / "rnn_sum.ipynb"
        answers.write(notebooks[example], str(path))
        outcome = runner.Outcome(config.graded_tasks("rnn_sum"))  # in the course's order, as a run has them
        outcome.observations.update(json.loads(json.dumps(SAVED[example])))
        graded.append(runner.judged(Submission(str(path), "rnn_sum", student), outcome))
    broken = root / "submitted" / BROKEN / "rnn_sum" / "rnn_sum.ipynb"
    answers.write(answers.not_json(notebooks["solution"]), str(broken))
    outcome = runner.Outcome(config.graded_tasks("rnn_sum"))
    outcome.error = "the file is not valid JSON"
    outcome.observations = {task: {"stopped": f"not graded: {outcome.error}"} for task in outcome.observations}
    graded.append(runner.judged(Submission(str(broken), "rnn_sum", BROKEN), outcome))
    pages = class_report.write(graded, str(root / "report"))
    soup = BeautifulSoup(open(pages["rnn_sum"]).read(), "html.parser")
    return root / "report", soup, [record for record, _ in graded]


def _rows(soup, section):
    """The rows (lists of cell texts) of the first table after a section's heading."""
    table = soup.find(id=section).find_next("table")
    return [[td.get_text(" ", strip=True) for td in tr.find_all("td")] for tr in table.find_all("tr")[1:]]


def test_the_page_holds_the_histogram_of_the_scores(built):
    _, soup, _ = built
    img = soup.find(id="scores").find_next("img")
    assert base64.b64decode(img["src"].split(",", 1)[1]).startswith(b"\x89PNG")
    assert "8 notebooks, 7 graded, 1 could not be" in soup.get_text()


def test_each_task_s_pass_rate_counts_the_graded_notebooks(built):
    _, soup, _ = built
    rates = {row[0]: row[1] for row in _rows(soup, "tasks")}
    # cell: amy, bo, ed, flo; partial_sum_loss: amy, bo, cy, di; the release passes nothing
    assert rates == {
        "cell": "4/7",
        "model": "6/7",
        "partial_sum_loss": "4/7",
        "batched_model": "6/7",
        "train": "6/7",
    }


def test_each_check_s_pass_rate_is_in_the_page_and_the_csv(built):
    folder, soup, _ = built
    page = {(row[0], row[1]): row[2] for row in _rows(soup, "checks")}
    with open(folder / "rnn_sum.checks.csv") as f:
        table = {(r["task"], r["check"]): (int(r["passed"]), int(r["graded"])) for r in csv.DictReader(f)}
    assert table[("cell", "test_values_follow_the_formula")] == (4, 7)
    assert table[("cell", "test_parameters_are_float_leaf_tensors_with_grad")] == (6, 7)  # the bias is left out
    assert table[("partial_sum_loss", "test_is_the_mean_of_every_squared_error")] == (4, 7)
    assert page[("cell", "values follow the formula")] == "4/7"
    assert len(page) == len(table) == 3 + 4 + 2 + 4 + 4


def test_the_known_mistakes_say_how_many_made_each_and_who(built):
    _, soup, _ = built
    rows = _rows(soup, "mistakes")
    bias = next(row for row in rows if "without BIAS" in row[1])
    assert bias[0] == "cell" and bias[2] == "2" and bias[3] == "cy, di"
    assert {row[3] for row in rows} == {"cy, di", "ed", "flo"}
    assert rows[0] == bias  # the most common first
    summary = class_report.summarise("rnn_sum", [(r, {}) for r in built[2]])
    assert class_report.most_common_diagnosis(summary)[:1] == ("cell",)


def test_failures_group_across_their_numbers(built):
    """The summed and the absolute loss fail the same check with other numbers: one row, two students."""
    _, soup, _ = built
    rows = [row for row in _rows(soup, "failures") if row[0] == "partial_sum_loss" and "gradient" not in row[1]]
    assert rows[0][2:] == ["2", "ed, flo"], rows
    assert "…" in rows[0][1] and "for example:" in rows[0][1]


def test_the_notebooks_that_could_not_be_graded_are_listed_with_why(built):
    _, soup, _ = built
    assert _rows(soup, "ungraded") == [[BROKEN, "the file is not valid JSON"]]


def test_identical_notebooks_are_shown_side_by_side(built):
    _, soup, _ = built
    pairs = [d.find("summary").get_text(" ", strip=True) for d in soup.find(id="similar").find_all_next("details")]
    assert any(p.startswith("amy and bo") and "100% of amy's code is in bo's" in p for p in pairs), pairs
    assert soup.find("details").find_all("mark")
    assert "gil" not in " ".join(pairs)  # the untouched release has no code of its own


def test_the_other_outputs_read_the_same_records(built, tmp_path):
    """The pass-rate and score tables, the CSV, the terminal report, the feedback page, the
    gradebook's cell outputs and Gradescope's results all read records as the runner makes them
    (the sandbox tier runs them through the command line; here they run in milliseconds)."""
    from autograder.outputs import feedback, gradebook, gradescope, tables

    _, _, records = built
    rates = tables.pass_rates(records)
    assert re.search(r"(?m)^cell +4/7 +57%$", rates) and "1 notebook(s) could not be graded" in rates
    assert rates.splitlines()[1].startswith("cell")  # the course's order
    table = tables.score_table(records)
    assert table.splitlines()[2].startswith("amy") and "✓" in table and "✗" in table
    assert "cy,rnn_sum,0.0" in open(tables.write_csv(records, str(tmp_path / "tasks.csv"))).read()
    cy = next(r for r in records if r["student"] == "cy")
    assert "without `BIAS`" in tables.text_report(cy)
    assert "What may have gone wrong" in feedback.feedback_html(cy, {})
    nb = gradebook.with_results(gradebook._notebook_for(cy), cy)
    outputs = [o for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "test_cell" for o in c.outputs]
    text = outputs[0]["evalue"]
    assert "What may have gone wrong" in text
    # wrapped at a readable width, every word of every message and diagnosis kept, in order
    assert max(len(line) for line in text.splitlines()) <= gradebook.WIDTH
    said = cy["tasks"]["cell"]["messages"] + cy["tasks"]["cell"]["diagnosis"]
    assert all(" ".join(m.split()) in " ".join(text.split()) for m in said)
    results = gradescope.gradescope_result(cy)
    assert [t["name"] for t in results["tests"] if t["status"] == "failed"] == ["cell"]
