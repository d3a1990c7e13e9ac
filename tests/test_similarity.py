"""Similar submissions: a classmate's notebook copied, renamed and laid out anew, is found among
twenty right answers written independently, and no two independent answers are paired."""

import statistics

import pytest

import course_config as config
from autograder.outputs import similarity
from examples import answers, independent

CLASS_SIZE = 20
COPIED = 7  # whose notebook the copy is made from
KIT_S_OWN = ("rnn_sum", "rnn_layers")  # long enough to compare; one made by `autograder new` may not be


@pytest.fixture(scope="module", params=list(answers.EXAMPLES))
def compared(request, tmp_path_factory):
    """(assignment, the pairs reported, {pair: similarity} of every pair, the copy's own code, the
    original's) for twenty independent right answers and one copy."""
    assignment = request.param
    root = tmp_path_factory.mktemp(assignment)
    notebooks = {f"s{i:02d}": independent.answers(i, assignment) for i in range(CLASS_SIZE)}
    notebooks["copy"] = independent.disguised_copy(notebooks[f"s{COPIED:02d}"], assignment)
    release = similarity.release_cells(assignment)
    codes = {}
    for who, solution in notebooks.items():
        path = root / who / f"{assignment}.ipynb"
        answers.write(answers.notebook(solution, assignment=assignment), str(path))
        codes[who] = similarity.own_code(str(path), release)
    pairs, every = similarity.similar_pairs(codes, release)
    return assignment, pairs, every, codes["copy"], codes[f"s{COPIED:02d}"]


def test_the_copy_is_renamed_and_laid_out_anew(compared):
    """The copy shares almost no line with its original, as a student hiding a copy makes it."""
    _, _, _, copy, original = compared
    lines = {line.strip() for line in original.splitlines() if line.strip()}
    own = [line.strip() for line in copy.splitlines() if line.strip()]
    assert sum(line in lines for line in own) / len(own) < 0.25


def test_the_copy_is_found_and_no_independent_pair_is_reported(compared):
    assignment, pairs, every, _, _ = compared
    if not every and assignment not in KIT_S_OWN:
        pytest.skip(f"{assignment}: its right answers hold less own code than SIMILARITY's min_tokens")
    independent_pairs = {pair: s for pair, s in every.items() if "copy" not in pair}
    print(
        f"\n{assignment}: the copy shares {min(pairs[0].similarity):.0%} with its original; of the "
        f"{len(independent_pairs)} independent pairs the most alike share {max(independent_pairs.values()):.0%}, "
        f"the median {statistics.median(independent_pairs.values()):.0%} (threshold "
        f"{config.SIMILARITY['threshold']:.0%})"
    )
    assert [(p.a, p.b) for p in pairs] == [("copy", f"s{COPIED:02d}")]
    assert min(pairs[0].similarity) >= 0.95
    assert max(independent_pairs.values()) < config.SIMILARITY["threshold"]
    assert "<mark>" in pairs[0].code[0] and "<mark>" in pairs[0].code[1]


def test_what_every_student_got_is_not_evidence(tmp_path):
    """Two untouched releases share all their code, all of it the release's: no pair."""
    release = similarity.release_cells("rnn_sum")
    codes = {}
    for who in ("a", "b"):
        path = tmp_path / who / "rnn_sum.ipynb"
        answers.write(answers.notebook({}), str(path))
        codes[who] = similarity.own_code(str(path), release)
    assert similarity.similar_pairs(codes, release) == ([], {})


def test_student_code_is_escaped_in_the_side_by_side_view(tmp_path):
    release = similarity.release_cells("rnn_sum")
    solution = dict(independent.answers(0))
    solution["model"] += "\n# </pre><script>alert(1)</script>\n"
    codes = {}
    for who in ("a", "b"):
        path = tmp_path / who / "rnn_sum.ipynb"
        answers.write(answers.notebook(solution), str(path))
        codes[who] = similarity.own_code(str(path), release)
    [pair], _ = similarity.similar_pairs(codes, release)
    assert "<script>" not in pair.code[0] and "&lt;script&gt;" in pair.code[0]
