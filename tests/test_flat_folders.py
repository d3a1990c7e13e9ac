"""Flat folders: notebooks graded as an LMS bulk download lays them out, every student's files
in one folder, the student named by the file's name.  A notebook's scratch copy (its working
directory in the sandbox) holds its own notebook and the files it was handed in with, never a
classmate's; its record names the student, so that the grade can go back to the LMS."""

import csv
import json
import os
import subprocess
import sys

import pytest

from autograder import cli
from autograder.runner import submission as sub
from autograder.sandbox import scratch
from examples import answers
from tests.conftest import grade_command

MARK = "ALICE" + "_MARK"  # in alice's code and file: what bob must never find

# Lists its working directory and its parent, walks them, HOME and TMPDIR, globs, and reads every
# file it finds; reports the file names it saw and how many files held alice's mark.
HOSTILE = r"""
import glob as _glob, os as _os

def _hunt(mark):
    here = _os.getcwd()
    paths = set()
    for top in {here, _os.path.dirname(here), _os.path.expanduser("~"), _os.environ.get("TMPDIR", here)}:
        for folder, dirs, files in _os.walk(top):
            paths.update(_os.path.join(folder, f) for f in files)
    for pattern in ("*", ".*", "../*", "../*/*", "../../*/*", "**/*.ipynb"):
        paths.update(_os.path.abspath(p) for p in _glob.glob(pattern, recursive=True))
    marked = []
    for path in sorted(paths):
        try:
            with open(path, errors="replace") as f:
                if mark in f.read(1 << 20):
                    marked.append(_os.path.basename(path))
        except OSError:
            pass
    names = sorted({_os.path.basename(p) for p in paths if p.startswith(_os.path.dirname(here))
                    and not p.startswith(_os.path.expanduser("~") + "/")})
    notebooks = sorted({_os.path.basename(p) for p in paths if p.endswith(".ipynb")})
    return f"FOUND marked={marked} notebooks={notebooks} here={sorted(_os.listdir(here))} names={names}"

FOUND = _hunt("ALICE" + "_MARK")
"""


def hostile_notebook(solutions):
    """bob's notebook: right answers, but `cell` raises what the hunt found."""
    cell = solutions["cell"] + HOSTILE + "\ndef cell(FRAME, STATE):\n    raise RuntimeError(FOUND)\n"
    return answers.notebook(dict(solutions, cell=cell))


def alice_notebook(solutions):
    return answers.notebook(dict(solutions, cell=solutions["cell"] + f"# {MARK}: alice's own work\n"))


@pytest.fixture(scope="module")
def flat_class(tmp_path_factory, solutions):
    """A flat folder, `<student>_<assignment>.ipynb`: alice's right notebook and a notes file,
    bob's hostile notebook and a data file of his; graded once through the command."""
    root = tmp_path_factory.mktemp("flat")
    folder = root / "download"
    answers.write(alice_notebook(solutions), str(folder / "alice_rnn_sum.ipynb"))
    answers.write(f"{MARK}: alice's notes\n", str(folder / "alice_notes.txt"))
    answers.write(hostile_notebook(solutions), str(folder / "bob_rnn_sum.ipynb"))
    answers.write("1,2\n", str(folder / "bob_data.csv"))
    proc = grade_command("download", "--json", "out.json", cwd=root)
    assert proc.returncode == 0, proc.stderr
    records = json.loads((root / "out.json").read_text())
    return folder, {os.path.basename(r["notebook"]): r for r in records}


def found_by_bob(record):
    return "\n".join(record["tasks"]["cell"]["messages"])


@pytest.mark.sandbox
def test_a_hostile_notebook_in_a_flat_folder_sees_no_trace_of_a_classmate(flat_class):
    """bob's code lists, walks and globs its working directory and beyond, and reads every file:
    neither alice's file names nor her code or files reach it; his own files do."""
    _, records = flat_class
    found = found_by_bob(records["bob_rnn_sum.ipynb"])
    assert "FOUND" in found, found
    assert "alice" not in found.lower() and "marked=[]" in found, found
    assert "rnn_sum.ipynb" in found and "data.csv" in found, found  # his own, under the names he gave them


@pytest.mark.sandbox
def test_a_right_notebook_beside_a_hostile_one_keeps_full_marks(flat_class):
    """alice's right answer gets every point, whatever bob's notebook does."""
    _, records = flat_class
    alice = records["alice_rnn_sum.ipynb"]
    assert alice["error"] is None and alice["total"] == alice["max_total"], alice


@pytest.mark.sandbox
def test_the_hunt_finds_alice_where_she_is_in_reach(flat_class):
    """The same hunt run in the flat folder itself (where the old scratch copy, every file of the
    folder, put it) finds alice's notebook and notes: the tests above cannot pass because it is blind."""
    folder, _ = flat_class
    program = HOSTILE + "print(FOUND)\n"
    env = dict(os.environ, HOME=str(folder), TMPDIR=str(folder))
    proc = subprocess.run([sys.executable, "-c", program], cwd=folder, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "alice_rnn_sum.ipynb" in proc.stdout and "alice_notes.txt" in proc.stdout, proc.stdout
    assert "marked=['alice_notes.txt', 'alice_rnn_sum.ipynb']" in proc.stdout, proc.stdout


# -- the file names of LMS downloads ----------------------------------------------------------
NAMES = {  # file name: (lms, student, the name the student gave the file)
    "smithann_1001_5001_rnn_sum.ipynb": ("canvas", "1001", "rnn_sum.ipynb"),
    "smithann_LATE_1001_5001_rnn_sum.ipynb": ("canvas", "1001", "rnn_sum.ipynb"),
    "smithann_1001_5003_rnn_sum-1.ipynb": ("canvas", "1001", "rnn_sum.ipynb"),
    "jonesbob_LATE_1002_5004_rnn_layers-2.ipynb": ("canvas", "1002", "rnn_layers.ipynb"),
    "smithann_1001_5005_data-1.csv": ("canvas", "1001", "data.csv"),
    "smithann_1001_5006_my_work_2024.ipynb": ("canvas", "1001", "my_work_2024.ipynb"),
    "Ann Smith_77_assignsubmission_file_rnn_sum.ipynb": ("moodle", "77", "rnn_sum.ipynb"),
    "Participant_12345_assignsubmission_file_rnn_layers.ipynb": ("moodle", "12345", "rnn_layers.ipynb"),
    "Ann Smith_77_assignsubmission_file_data.csv": ("moodle", "77", "data.csv"),
    "alice_rnn_sum.ipynb": ("student_assignment", "alice", "rnn_sum.ipynb"),
    "ann_smith_rnn_layers.ipynb": ("student_assignment", "ann_smith", "rnn_layers.ipynb"),
}
UNNAMED = ["rnn_sum.ipynb", "rnn_layers.ipynb", "work.ipynb", "alice_data.csv", "rnn_sum-1.ipynb", "my_notes.ipynb"]


@pytest.mark.parametrize("name", NAMES)
def test_an_lms_download_name_gives_the_student_and_the_students_own_file_name(name):
    """Canvas (late, submitted again), Moodle and `<student>_<assignment>.ipynb` names are read."""
    found = sub.download_name(name)
    assert found is not None and (found.lms, found.student, found.file) == NAMES[name]
    assert name.startswith(found.prefix)


@pytest.mark.parametrize("name", UNNAMED)
def test_a_name_no_lms_gives_names_no_student(name):
    """A plain notebook, or a name that follows no download's pattern, names no student."""
    assert sub.download_name(name) is None


def found(path):
    [submission] = sub.find([str(path)])
    return submission.assignment, submission.student, submission.folder


def test_a_download_notebook_is_graded_as_its_students_and_assignments(tmp_path):
    """The record's student and assignment come from the name; `-1` and LATE change neither."""
    for name, (_, student, file) in NAMES.items():
        assignment = file.removesuffix(".ipynb")
        if name.endswith(".ipynb") and assignment in ("rnn_sum", "rnn_layers"):
            answers.write("{}", str(tmp_path / name))
            assert found(tmp_path / name) == (assignment, student, sub.DOWNLOAD), name


def test_a_download_notebook_whose_name_holds_no_assignment_gets_the_closest(tmp_path):
    """`<file>` that names no assignment: the assignment whose master shares most graded cells."""
    path = tmp_path / "leeemma_1003_5007_homework.ipynb"
    answers.write(answers.notebook({}, assignment="rnn_layers"), str(path))
    assert found(path) == ("rnn_layers", "1003", sub.DOWNLOAD)


def test_nbgrader_layout_and_a_plain_notebook_are_graded_as_before(tmp_path):
    """`submitted/<student>/<assignment>/<nb>.ipynb` names both; a plain notebook names no student."""
    nbgrader = tmp_path / "submitted" / "alice" / "rnn_sum" / "rnn_sum.ipynb"
    plain = tmp_path / "loose" / "rnn_layers.ipynb"
    for path in (nbgrader, plain):
        answers.write("{}", str(path))
    assert found(nbgrader) == ("rnn_sum", "alice", sub.OWN_FOLDER)
    assert found(plain) == ("rnn_layers", None, sub.LOOSE)


# -- what a scratch copy holds ----------------------------------------------------------------
def folder_of(tmp_path, names, link=None):
    """A folder holding files of those names (and a symbolic link named ``link``)."""
    for name in names:
        (tmp_path / name).write_text(name)
    if link:
        os.symlink(tmp_path / names[0], tmp_path / link)
    return tmp_path


def handed(folder, name):
    [submission] = sub.find([str(folder / name)])
    return sorted((os.path.basename(path), scratch) for path, scratch in sub.handed(submission))


def test_a_canvas_notebook_is_handed_with_its_students_files_only(tmp_path):
    """Ann's notebook and her data file, under her own names; none of Bob's files, no other notebook."""
    folder = folder_of(
        tmp_path,
        [
            "smithann_1001_5001_rnn_sum-1.ipynb",
            "smithann_1001_5002_data.csv",
            "smithann_1001_5003_draft.ipynb",
            "jonesbob_1002_5004_rnn_sum.ipynb",
            "jonesbob_1002_5005_data.csv",
            "roster.csv",
        ],
        link="smithann_1001_5006_link.txt",
    )
    assert handed(folder, "smithann_1001_5001_rnn_sum-1.ipynb") == [
        ("smithann_1001_5001_rnn_sum-1.ipynb", "rnn_sum.ipynb"),
        ("smithann_1001_5002_data.csv", "data.csv"),
        ("smithann_1001_5006_link.txt", "link.txt"),  # listed, but ScratchArea.copy never copies a link
    ]
    assert handed(folder, "jonesbob_1002_5004_rnn_sum.ipynb") == [
        ("jonesbob_1002_5004_rnn_sum.ipynb", "rnn_sum.ipynb"),
        ("jonesbob_1002_5005_data.csv", "data.csv"),
    ]


def test_a_moodle_notebook_is_handed_with_its_students_files_only(tmp_path):
    folder = folder_of(
        tmp_path,
        [
            "Ann Smith_77_assignsubmission_file_rnn_sum.ipynb",
            "Ann Smith_77_assignsubmission_file_data.csv",
            "Ann Smith_78_assignsubmission_file_rnn_sum.ipynb",  # another Ann Smith
            "Ann Smith_78_assignsubmission_file_data.csv",
        ],
    )
    assert handed(folder, "Ann Smith_77_assignsubmission_file_rnn_sum.ipynb") == [
        ("Ann Smith_77_assignsubmission_file_data.csv", "data.csv"),
        ("Ann Smith_77_assignsubmission_file_rnn_sum.ipynb", "rnn_sum.ipynb"),
    ]


def test_student_prefixed_files_go_with_the_longest_students_prefix(tmp_path):
    """`al_notes.txt` is al's, `al_smith_notes.txt` al_smith's, whatever the order of the names."""
    folder = folder_of(
        tmp_path, ["al_rnn_sum.ipynb", "al_notes.txt", "al_smith_rnn_sum.ipynb", "al_smith_notes.txt", "notes.txt"]
    )
    assert handed(folder, "al_rnn_sum.ipynb") == [("al_notes.txt", "notes.txt"), ("al_rnn_sum.ipynb", "rnn_sum.ipynb")]
    assert handed(folder, "al_smith_rnn_sum.ipynb") == [
        ("al_smith_notes.txt", "notes.txt"),
        ("al_smith_rnn_sum.ipynb", "rnn_sum.ipynb"),
    ]


def test_a_plain_notebook_is_handed_its_folder_only_where_it_is_the_only_notebook(tmp_path):
    """Alone in its folder (a student's own), every file; beside other notebooks, itself alone."""
    (tmp_path / "alone").mkdir()
    (tmp_path / "shared").mkdir()
    alone = folder_of(tmp_path / "alone", ["rnn_sum.ipynb", "data.csv"])
    shared = folder_of(tmp_path / "shared", ["rnn_sum.ipynb", "data.csv", "other.ipynb"])
    assert handed(alone, "rnn_sum.ipynb") == [("data.csv", "data.csv"), ("rnn_sum.ipynb", "rnn_sum.ipynb")]
    assert handed(shared, "rnn_sum.ipynb") == [("rnn_sum.ipynb", "rnn_sum.ipynb")]


def test_an_nbgrader_notebook_is_handed_every_file_of_its_students_folder(tmp_path):
    folder = tmp_path / "submitted" / "alice" / "rnn_sum"
    folder.mkdir(parents=True)
    folder_of(folder, ["rnn_sum.ipynb", "draft.ipynb", "data.csv"])
    assert handed(folder, "rnn_sum.ipynb") == [(n, n) for n in ["data.csv", "draft.ipynb", "rnn_sum.ipynb"]]


def test_the_scratch_copy_takes_plain_names_and_regular_files_only(tmp_path):
    """A symbolic link, and a name that would leave the scratch folder, are never copied."""
    folder = folder_of(tmp_path, ["a.txt", "b.txt"], link="link.txt")
    area = scratch.ScratchArea()
    try:
        files = [(folder / "a.txt", "a.txt"), (folder / "link.txt", "link.txt"), (folder / "b.txt", "../b.txt")]
        copy = area.copy([(str(p), n) for p, n in files], slot=0)
        assert sorted(os.listdir(copy)) == ["a.txt"]
        assert not os.path.exists(os.path.join(os.path.dirname(copy), "b.txt"))
    finally:
        area.close()


# -- grades back to Canvas --------------------------------------------------------------------
ROSTER = [
    ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"],
    ["    Points Possible", "", "", "", ""],
    ["Smith, Ann", "1001", "S-1", "asmith", "Section A"],
    ["Jones, Bob", "1002", "S-2", "bjones", "Section A"],
    ["Lee, Emma", "1003", "S-3", "elee", "Section B"],
]


@pytest.mark.sandbox
def test_a_canvas_download_is_matched_to_the_roster_by_canvas_id(tmp_path, solutions, capsys):
    """Graded as Canvas lays it out (Bob's late and submitted again), `export --canvas --match ID`
    gives each student their own grade; with the default column, a note names --match ID."""
    folder = tmp_path / "download"
    answers.write(answers.notebook(solutions), str(folder / "smithann_1001_5001_rnn_sum.ipynb"))
    wrong = answers.notebook(answers.apply(solutions, answers.edit("missing_zero_grad")))
    answers.write(wrong, str(folder / "jonesbob_LATE_1002_5002_rnn_sum-1.ipynb"))
    proc = grade_command("download", "--json", "results.json", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    records = {r["student"]: r for r in json.loads((tmp_path / "results.json").read_text())}
    assert set(records) == {"1001", "1002"} and {r["assignment"] for r in records.values()} == {"rnn_sum"}
    with open(tmp_path / "roster.csv", "w", newline="") as f:
        csv.writer(f).writerows(ROSTER)

    def export(*extra):
        argv = ["export", "--canvas", str(tmp_path / "roster.csv"), "--json", str(tmp_path / "results.json")]
        code = cli.main([*argv, str(tmp_path / "canvas.csv"), *extra])
        with open(tmp_path / "canvas.csv", newline="") as f:
            return code, list(csv.reader(f)), capsys.readouterr().err

    code, rows, said = export("--match", "ID")
    assert code == 0, said
    cells = {row[1]: row[5] for row in rows[2:]}
    assert cells == {"1001": "9", "1002": f"{records['1002']['total']:g}", "1003": ""}
    assert records["1002"]["total"] < records["1001"]["total"] == records["1001"]["max_total"]
    assert "graded but not in the roster" not in said and "not graded (rnn_sum): 1003 (Lee, Emma)" in said

    code, rows, said = export()
    assert code == 0 and 'try --match "ID"' in said, said
    assert "graded but not in the roster (rnn_sum): 1002; 1001" in said


@pytest.mark.nbgrader
def test_nbgrader_zip_collect_files_a_canvas_download_as_the_kit_reads_it(tmp_path, solutions):
    """`nbgrader zip_collect` with the kit's configuration alone (no regular expression to write)
    files a Canvas download by user id, under the notebook's own name, late and resubmitted ones
    included, as `grade` reads the same download."""
    import zipfile

    from autograder.nbgrader import course
    from tests.conftest import new_course

    new_course(str(tmp_path))
    archive = tmp_path / "downloaded" / "rnn_sum" / "archive"
    archive.mkdir(parents=True)
    notebook = json.dumps(answers.notebook(solutions))
    with zipfile.ZipFile(archive / "submissions.zip", "w") as z:
        z.writestr("smithann_1001_5001_rnn_sum.ipynb", notebook)
        z.writestr("jonesbob_LATE_1002_5002_rnn_sum-1.ipynb", notebook)
        z.writestr("notes.txt", "not a submission")
    proc = course.nbgrader(str(tmp_path), "zip_collect", "rnn_sum", cwd=str(tmp_path))
    filed = sorted(p.relative_to(tmp_path / "submitted").as_posix() for p in (tmp_path / "submitted").rglob("*.ipynb"))
    assert filed == ["1001/rnn_sum/rnn_sum.ipynb", "1002/rnn_sum/rnn_sum.ipynb"], proc.stderr[-2000:]
    students = [s.student for s in sub.find([str(tmp_path / "submitted")])]
    assert students == ["1001", "1002"]
