"""The grading service's one writer: a graded submission into the course, and its page into the
exchange, as ``nbgrader collect``, ``autograde``, ``generate_feedback`` and ``release_feedback``
would leave them, one submission at a time.

- the graded bytes become ``submitted/<student>/<assignment>/`` of the course (with nbgrader's
  ``timestamp.txt`` and ``submission_secret.txt``), replacing an earlier submission, as
  ``collect`` does;
- the record goes into the gradebook and ``autograded/`` (``outputs.gradebook``): formgrader
  shows it, and a hand grade of the written answer stays.  With a course secret it is the
  record on the student's ``final`` hidden inputs, which no page showed (``grading.inputs``);
- the kit's own page (the messages, the known mistake, the training curve beside the
  reference's), on the hidden inputs of the submission's attempt, within the assignment's
  ``on_submit`` policy, goes to the course's ``feedback/<student>/<assignment>/`` and, under
  nbgrader's name for it (a hash of the submission's secret), into the exchange's ``feedback/``
  folder, which no student can list: only the student who holds the secret fetches it (Fetch
  Feedback).
"""

import datetime
import os
import pwd
import shutil
import tempfile

from nbgrader.utils import notebook_hash, parse_utc

from autograder import settings as config
from autograder.outputs import feedback, gradebook


def deliver(course, exchange, submitted, attempt, result, earlier_feedback):
    """Write one graded submission out (``result``: the ``grade`` task's), its grade and its page
    (``collect``, then ``page``); returns whether its page showed the results."""
    collect(course, submitted, result)
    return page(course, exchange, submitted, attempt, result, earlier_feedback)


def collect(course, submitted, result):
    """The graded bytes into ``submitted/``, and their record into the gradebook: the grade."""
    folder = os.path.join(course, "submitted", submitted.student, submitted.assignment)
    notebook = os.path.join(folder, f"{submitted.assignment}.ipynb")
    _replace_folder(
        folder,
        {
            os.path.basename(notebook): result["notebook"],
            "timestamp.txt": submitted.timestamp.encode(),
            "submission_secret.txt": submitted.secret().encode(),
        },
    )
    record = dict(result["record"], notebook=notebook)
    key = (submitted.student, submitted.assignment)
    gradebook.write(course, [record], timestamps={key: submitted.timestamp}, graded={key: result["notebook"]})


def page(course, exchange, submitted, attempt, result, earlier_feedback):
    """The submission's page, within the assignment's ``on_submit`` policy, into the course's
    ``feedback/`` and to its student; returns whether it showed the results.
    ``earlier_feedback``: the nbgrader timestamps of the student's submissions of the
    assignment that had feedback."""
    record, details = result["record"], result["details"]
    policy = config.assignment(submitted.assignment)["on_submit"]
    if not policy["feedback"]:
        return False
    due = next_feedback(submitted.timestamp, earlier_feedback, policy["attempts_per_day"])
    if due is None:
        html = feedback.feedback_html(
            record, details, shows=policy["shows"], note=f"Attempt {attempt}, submitted {submitted.timestamp}."
        )
    else:
        html = feedback.held_page(
            submitted.assignment,
            submitted.student,
            f"Attempt {attempt} is collected and will be graded, but you have had feedback on "
            f"{policy['attempts_per_day']} submissions in the last 24 hours: a submission after "
            f"{due:%Y-%m-%d %H:%M} UTC gets feedback again.",
        )
    own = os.path.join(course, "feedback", submitted.student, submitted.assignment)
    # as nbgrader generate_feedback leaves it: nbgrader release_feedback by hand releases this page too
    own_files = {"timestamp.txt": submitted.timestamp.encode(), "submission_secret.txt": submitted.secret().encode()}
    _replace_folder(own, {f"{submitted.assignment}.html": html.encode(), **own_files})
    release(exchange, submitted, html)
    return due is None


def next_feedback(timestamp, earlier, per_day):
    """None when a submission at ``timestamp`` gets feedback, else when the next one will (UTC):
    at most ``per_day`` submissions with feedback in any 24 hours."""
    now = parse_utc(timestamp)
    window = sorted(t for t in map(parse_utc, earlier) if now - datetime.timedelta(days=1) < t <= now)
    if len(window) < per_day:
        return None
    return window[-per_day] + datetime.timedelta(days=1)


def release(exchange, submitted, page):
    """The page into ``<exchange>/<course>/feedback/<hash>.html``, where nbgrader's Fetch Feedback
    of the student who holds the submission's secret finds it; the folder as nbgrader makes it
    (0711: no one lists it), and the page, unlike nbgrader's (0644: anyone who learns its name
    reads it), the student's own (0600)."""
    outbound = os.path.join(exchange, config.COURSE_ID, "feedback")
    if not os.path.isdir(outbound):
        os.makedirs(outbound, exist_ok=True)
        os.chmod(outbound, 0o711)
    name = notebook_hash(secret=submitted.secret(), notebook_id=submitted.assignment)
    fd, tmp = tempfile.mkstemp(dir=outbound, prefix=".release-", suffix=".html")
    with os.fdopen(fd, "w") as f:
        f.write(page)
    os.chmod(tmp, 0o600)
    os.chown(tmp, pwd.getpwnam(submitted.student).pw_uid, -1)
    os.replace(tmp, os.path.join(outbound, f"{name}.html"))


def _replace_folder(folder, files):
    """``folder`` holding exactly ``files`` ({name: bytes}), replaced whole."""
    parent = os.path.dirname(folder)
    os.makedirs(parent, exist_ok=True)
    new = tempfile.mkdtemp(dir=parent, prefix=".incoming-")
    for name, data in files.items():
        with open(os.path.join(new, name), "wb") as f:
            f.write(data)
    old = None
    if os.path.exists(folder):
        old = tempfile.mkdtemp(dir=parent, prefix=".replaced-")
        os.replace(folder, os.path.join(old, "was"))
    os.replace(new, folder)
    if old:
        shutil.rmtree(old, ignore_errors=True)
