"""Similar submissions: pairs of notebooks whose own code is unusually alike.

A notebook's own code is its code cells that are not cells of the release, turned into Python
(IPython's ``%`` and ``!`` lines left out); the release's code is boilerplate within them (the
stubs' signatures and comments), so what every student got is never evidence.

The comparison is copydetect's (https://github.com/blingenf/copydetect): it
tokenises with Pygments, replaces every variable, function and class name by one letter, drops
comments and whitespace, then compares winnowed fingerprints of k-grams of what is left (the
method of MOSS).  Renaming and reformatting change nothing it sees; reordering functions,
rewriting a loop, or changing one expression in every few lines do.  A pair is reported when
both notebooks share at least ``threshold`` of their own fingerprinted code (``course_config``
``SIMILARITY``).
"""

import hashlib
import io
import os
from dataclasses import dataclass

from autograder import settings as config
from autograder.runner import submission as sub
from autograder.settings import ROOT


@dataclass
class Pair:
    a: str  # who
    b: str
    similarity: tuple  # the share of a's own code found in b's, and of b's in a's
    code: tuple  # each one's code as HTML, the matching parts marked


def _code_cells(path):
    """The sources of a notebook's code cells, or None when it cannot be read."""
    try:
        nb = sub.load(path)  # through the boundary: whatever the file holds, a notebook or NotGradable
    except sub.NotGradable:
        return None
    cells = [c for c in nb["cells"] if c["cell_type"] == "code"]
    return ["".join(c["source"]) if isinstance(c.get("source"), list) else str(c.get("source", "")) for c in cells]


def _python(sources):
    lines = [line for source in sources for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))]
    return "\n".join(lines) + "\n"


def release_cells(assignment):
    """The code cells of the assignment's release: what every student got."""
    return _code_cells(os.path.join(ROOT, "release", assignment, f"{assignment}.ipynb")) or []


def own_code(path, release):
    """A notebook's own code: its code cells that are not cells of the release, as one Python
    text; None when the notebook cannot be read."""
    sources = _code_cells(path)
    if sources is None:
        return None
    given = {source.strip() for source in release}
    return _python(source for source in sources if source.strip() not in given)


def _stable_kgrams(string, k):
    """copydetect's ``hashed_kgrams`` with a hash that is the same in every process (it uses
    Python's ``hash``, salted per process: winnowing keeps the smallest hash of each window, so
    the same class would give another report each run)."""
    import numpy as np  # numpy and copydetect: only a run that writes a class report pays for them

    return np.array(
        [
            int.from_bytes(hashlib.blake2b(string[i : i + k].encode(), digest_size=8).digest(), "little", signed=True)
            for i in range(len(string) - k + 1)
        ],
        dtype=np.int64,
    )


def similar_pairs(codes, release=()):
    """The pairs of {who: code} whose own code is alike, most alike first (at most ``max_pairs``
    of them), and {(a, b): the similarity of the pair} for every pair compared (what is usual in
    this class): the smaller of the two shares."""
    import numpy as np
    from copydetect import utils
    from copydetect.detector import CodeFingerprint, compare_files
    from copydetect.utils import highlight_overlap

    utils.hashed_kgrams = _stable_kgrams

    settings = config.SIMILARITY
    k, window = settings["noise"], settings["guarantee"] - settings["noise"] + 1

    def fingerprint(code, boilerplate_hashes=None):
        return CodeFingerprint("notebook.py", k, window, boilerplate_hashes, fp=io.StringIO(code), language="python")

    boilerplate = _python(release)
    base = np.array(sorted(fingerprint(boilerplate).hashes)) if boilerplate.strip() else None
    prints = {who: fingerprint(code, base) for who, code in codes.items() if code is not None}
    # too little own code to tell anything by (an untouched release, a notebook of stubs)
    prints = {who: p for who, p in prints.items() if p.token_coverage >= settings["min_tokens"]}
    people = sorted(prints)
    found, every = [], {}
    for i, a in enumerate(people):
        for b in people[i + 1 :]:
            _, (sim_a, sim_b), slices = compare_files(prints[a], prints[b])
            every[a, b] = float(min(sim_a, sim_b))
            if min(sim_a, sim_b) >= settings["threshold"]:
                found.append((a, b, (float(sim_a), float(sim_b)), slices))
    found.sort(key=lambda pair: (-min(pair[2]), pair[0], pair[1]))
    pairs = []
    for a, b, sims, slices in found[: settings["max_pairs"]]:  # the most alike, marked up
        marked = [
            highlight_overlap(p.raw_code, s, "<mark>", "</mark>", escape_html=True)[0]
            for p, s in zip((prints[a], prints[b]), slices)
        ]
        pairs.append(Pair(a, b, sims, tuple(marked)))
    return pairs, every
