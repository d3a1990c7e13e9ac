"""Writing the kit's records into nbgrader's course: the SQLite gradebook that formgrader
and ``nbgrader export`` read, and the autograded notebooks formgrader shows.

For each record it does what ``nbgrader autograde`` does after running a notebook, with
nbgrader's own preprocessors: restore the cells students may not change
(``OverwriteCells``), put the result of each hidden-test cell in its output (the kit's
messages as an error, or nothing when the task passed), and save the scores
(``SaveAutoGrades``).  The written answer stays for manual grading in formgrader.  Lateness goes
where nbgrader keeps it: the assignment's due date (course_config.py's deadline, ``set_due_date``),
the submission's timestamp, and each notebook's ``late_submission_penalty`` (the record's penalty,
at most the notebook's score, as nbgrader's ``AssignLatePenalties`` caps it).
"""

import os
import textwrap
import warnings

from autograder import records as rec
from autograder.grading import deadlines, graders
from autograder.runner import boundary
from autograder.runner import submission as sub

WIDTH = 88  # characters per line of a hidden-test cell's output


class NotACourse(Exception):
    pass


def _resources(root, assignment, student, notebook_id):
    return {
        "nbgrader": {
            "assignment": assignment,
            "student": student,
            "notebook": notebook_id,
            "db_url": f"sqlite:///{os.path.join(root, 'gradebook.db')}",
        }
    }


def _notebook_for(record, graded=None):
    """The student's notebook (from the ``graded`` bytes when given, else its file), or, when it
    could not be read, the release with nothing done."""
    import nbformat  # nbformat and nbgrader's API: only a run that writes a gradebook pays for them

    if record["error"] is None:
        try:
            if graded is not None:
                boundary.notebook(graded)
                return nbformat.reads(graded.decode(), as_version=4)
            sub.load(record["notebook"])
            return nbformat.read(record["notebook"], as_version=4)
        except Exception:  # damaged since it was graded: the release stands in, as for any unreadable notebook
            pass
    release = os.path.join(sub.ROOT, "release", record["assignment"], f"{record['assignment']}.ipynb")
    return nbformat.read(release, as_version=4)


def with_results(nb, record):
    """The notebook with each hidden-test cell's output set to the record's verdict."""
    from nbformat.v4 import new_output

    for cell in nb.cells:
        if cell.get("cell_type") == "code":
            cell.outputs = []
            cell.execution_count = None
        grade_id = (cell.get("metadata", {}).get("nbgrader") or {}).get("grade_id", "")
        task = graders.task_of(grade_id)
        if task in record["tasks"]:
            result = record["tasks"][task]
            if not rec.passed(result):
                text = "\n".join(_wrapped(m, "- ") for m in result["messages"])
                if result.get("diagnosis"):
                    text += "\nWhat may have gone wrong:\n" + "\n".join(_wrapped(d, "* ") for d in result["diagnosis"])
                cell.outputs = [
                    new_output(
                        "error",
                        ename="TaskFailed",
                        evalue=text,
                        traceback=[f"TaskFailed: hidden checks of `{task}` failed:\n{text}"],
                    )
                ]
            else:
                cell.outputs = [new_output("stream", name="stdout", text=f"{task}: all hidden checks passed\n")]
    return nb


def _wrapped(message, bullet):
    """One message as a bullet wrapped at ``WIDTH``: formgrader and nbgrader's feedback show a
    cell's output as preformatted text, which a long line runs off."""
    return textwrap.fill(
        message, WIDTH, initial_indent=bullet, subsequent_indent=" " * len(bullet), break_on_hyphens=False
    )


def set_due_date(gb, assignment):
    """Make the due date of ``assignment`` in the open gradebook ``gb`` course_config.py's deadline
    (None: no due date): the one source of both, for formgrader, ``nbgrader autograde`` and the kit."""
    due = deadlines.due(assignment)
    gb.update_or_create_assignment(assignment, duedate=None if due is None else due.replace(tzinfo=None))


def _naive_utc(when):
    """nbgrader's timestamp of a submission (naive, UTC) from what its route wrote, or None."""
    try:
        return deadlines.parse_time(when).replace(tzinfo=None) if when else None
    except ValueError:
        return None


def write(root, records, timestamps=None, graded=None):
    """Save every record with a student into the gradebook of the course at ``root``, one at a
    time; ``timestamps`` ({(student, assignment): nbgrader's timestamp}) says when each was
    submitted (else the timestamp.txt beside its notebook), ``graded`` ({(student, assignment):
    bytes}) what was graded, where the notebook's file may have changed since (the grading service's)."""
    from nbgrader.api import Gradebook, MissingEntry
    from nbgrader.preprocessors import OverwriteCells, SaveAutoGrades

    with warnings.catch_warnings():
        # nbgrader's own update_or_create_submission trips SQLAlchemy's autoflush warnings
        warnings.simplefilter("ignore")
        return _write(
            root, records, timestamps or {}, graded or {}, Gradebook, MissingEntry, OverwriteCells, SaveAutoGrades
        )


def _write(root, records, timestamps, graded, Gradebook, MissingEntry, OverwriteCells, SaveAutoGrades):
    import nbformat

    db = os.path.join(root, "gradebook.db")
    if not os.path.exists(db):
        raise NotACourse(f"{root} has no gradebook.db: run `nbgrader generate_assignment` there first")
    written = 0
    # a notebook the machine could not grade is no grade: what the gradebook held stays
    records = [r for r in records if r["student"] and not rec.by_machine(r)]
    with Gradebook(f"sqlite:///{db}") as gb:
        for assignment in dict.fromkeys(r["assignment"] for r in records):
            try:
                gb.find_assignment(assignment)
            except MissingEntry:
                raise NotACourse(
                    f"the gradebook has no assignment {assignment!r}: run `nbgrader generate_assignment` first"
                ) from None
            set_due_date(gb, assignment)
        stamps = {}  # (student, assignment): when handed in, as its route wrote it
        for record in records:
            gb.update_or_create_student(record["student"])
            key = (record["student"], record["assignment"])
            stamps[key] = timestamps.get(key) or (record["notebook"] and sub.timestamp_beside(record["notebook"]))
            when = _naive_utc(stamps[key])
            extra = {"timestamp": when} if when else {}
            gb.update_or_create_submission(record["assignment"], record["student"], **extra)
    for record in records:
        notebook_id = record["assignment"]
        resources = _resources(root, record["assignment"], record["student"], notebook_id)
        nb = _notebook_for(record, graded.get((record["student"], record["assignment"])))
        nb, resources = OverwriteCells(add_missing_cells=True).preprocess(nb, resources)
        nb = with_results(nb, record)
        nb, resources = SaveAutoGrades().preprocess(nb, resources)
        out = os.path.join(root, "autograded", record["student"], record["assignment"], f"{notebook_id}.ipynb")
        os.makedirs(os.path.dirname(out), exist_ok=True)
        nbformat.write(nb, out)
        _beside(record["notebook"], os.path.dirname(out), stamps[(record["student"], record["assignment"])])
        written += 1
    with Gradebook(f"sqlite:///{db}") as gb:
        for record in records:
            notebook = gb.find_submission_notebook(record["assignment"], record["assignment"], record["student"])
            late = record.get("late")
            notebook.late_submission_penalty = min(late["penalty"], notebook.score) if late else None
        gb.db.commit()
    return written


def _beside(notebook, folder, stamp):
    """The exchange's files of a submission beside its autograded notebook, as `nbgrader autograde`
    copies them: `generate_feedback` takes them along, and `release_feedback` needs both (it names
    the feedback after the timestamp, and hands it back by the submission's secret)."""
    if stamp:
        with open(os.path.join(folder, "timestamp.txt"), "w") as f:
            f.write(str(stamp))
    secret = notebook and sub.file_beside(notebook, "submission_secret.txt")
    if secret:
        with open(os.path.join(folder, "submission_secret.txt"), "wb") as f:
            f.write(secret)


def scores(root, assignment, total=False):
    """{student: {task: points}} of an assignment in the gradebook of the course at ``root`` (with
    ``total``, also ``"score"``: nbgrader's total); students without a submission are left out."""
    out = {}
    for student, submission in _submissions(root, assignment):
        points = {graders.task_of(g.name): g.score for nb in submission.notebooks for g in nb.grades}
        out[student] = {task: p for task, p in points.items() if task} | ({"score": submission.score} if total else {})
    return out


def hand_grades(root, assignment, tasks):
    """{student: (the points given by hand for ``tasks`` of the assignment in formgrader, the tasks
    still waiting for a grade)} from the gradebook of the course at ``root``."""
    out = {}
    for student, submission in _submissions(root, assignment):
        grades = [g for nb in submission.notebooks for g in nb.grades if g.name in tasks]
        waiting = [g.name for g in grades if g.manual_score is None and g.needs_manual_grade]
        out[student] = (sum(g.manual_score or 0.0 for g in grades), waiting)
    return out


def _submissions(root, assignment):
    """(student id, submission) of each student with a submission of the assignment in the
    gradebook of the course at ``root``."""
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(f"sqlite:///{os.path.join(root, 'gradebook.db')}") as gb:
        for student in gb.students:
            try:
                yield student.id, gb.find_submission(assignment, student.id)
            except MissingEntry:  # no submission of this assignment
                continue
