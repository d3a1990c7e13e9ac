"""The hub tier: the course hub of ``make hub`` for real, JupyterHub behind configurable-http-proxy
on a free 127.0.0.1 port, with its Unix users, the students' bubblewrapped servers, formgrader and
the grading service, driven in chromium as a student, a second student and the instructor.

Screenshots go to build/screenshots/ (hub-student-feedback.png, hub-formgrader.png).
"""

import glob
import json
import os
import pwd
import subprocess

import nbformat
import pytest

import course_config as config
from examples import answers
from tests import browser
from tests import hub as kit_hub

pytestmark = [
    pytest.mark.hub,
    pytest.mark.skipif(kit_hub.problem() is not None, reason=f"no course hub here: {kit_hub.problem()}"),
]
COURSE = config.COURSE_ID
MISTAKE = "missing_zero_grad"  # costs train (3 points) and nothing else


@pytest.fixture(scope="module")
def hub():
    with kit_hub.course_hub(browser._free_port()) as running:
        yield running


@pytest.fixture(scope="module")
def page(hub):
    with browser.chromium() as context:
        page = context.new_page()
        yield page
        page.close()


def _write(hub, user, notebook):
    """Write ``notebook`` over the user's fetched rnn_sum.ipynb, as that user (as if they saved it)."""
    fetched = os.path.join(pwd.getpwnam(user).pw_dir, "rnn_sum", "rnn_sum.ipynb")
    text = nbformat.writes(answers.notebook(notebook, base=fetched))
    wrote = kit_hub.as_user(hub, user, "sh", "-c", 'cat > "$1"', "sh", fetched, stdin=text, wrapped=False)
    assert wrote.returncode == 0, wrote.stderr


def _submit(page):
    from playwright.sync_api import expect

    submitted = page.locator("#submitted_assignments_list")
    before = submitted.locator(".nested_list_item").count()
    page.locator("#fetched_assignments_list .list_item", has_text="rnn_sum").get_by_role(
        "button", name="Submit"
    ).click()
    expect(submitted.locator(".nested_list_item")).to_have_count(before + 1)


def test_a_student_logs_in_fetches_and_submits(hub, page):
    """hubstudent1 logs in with their password, sees both assignments released in the Assignments
    tab, fetches rnn_sum into their home and submits it (with the gradients never cleared)."""
    from playwright.sync_api import expect

    kit_hub.login(page, hub, "hubstudent1")
    kit_hub.assignments(page)
    released = page.locator("#released_assignments_list")
    expect(released).to_contain_text("rnn_layers")
    released.locator(".list_item", has_text="rnn_sum").get_by_role("button", name="Fetch").click()
    expect(page.locator("#fetched_assignments_list")).to_contain_text("rnn_sum")
    fetched = os.path.join(pwd.getpwnam("hubstudent1").pw_dir, "rnn_sum", "rnn_sum.ipynb")
    assert pwd.getpwuid(os.stat(fetched).st_uid).pw_name == "hubstudent1"
    _write(hub, "hubstudent1", answers.apply(answers.solutions(), answers.edit(MISTAKE)))
    _submit(page)
    inbound = os.path.join(hub["root"], "exchange", COURSE, "inbound")
    assert len(glob.glob(os.path.join(inbound, "hubstudent1+rnn_sum+*"))) == 1


def test_fetch_feedback_shows_the_score_and_the_mistake(hub, page):
    """The grading service grades the submission on its own: Fetch Feedback brings the kit's
    page, with the score and the mistake named."""
    text = kit_hub.fetch_feedback(page, 1)
    assert "Score: 6 / 9" in text, text[:1500]
    assert "the gradients are never cleared" in text, text[:3000]
    kit_hub.screenshot(page, "hub-student-feedback")
    kit_hub.assignments(page)  # back to the Assignments tab


def test_a_right_resubmission_gets_full_marks(hub, page):
    _write(hub, "hubstudent1", answers.solutions())
    _submit(page)
    text = kit_hub.fetch_feedback(page, 2)
    assert "Score: 9 / 9" in text, text[:1500]
    assert "Attempt 2" in text, text[:1500]
    assert "What may have gone wrong" not in text, text[:3000]
    kit_hub.screenshot(page, "hub-student-full-marks")


def test_another_student_cannot_read_the_feedback(hub, page):
    """hubstudent2 (who submits too, with nbgrader's command line in their server's sandbox) reads
    their own submission's outbound copy, but not hubstudent1's feedback: not in the exchange, not
    in hubstudent1's home, not by URL through the hub."""
    for step in ("fetch_assignment", "submit"):
        if step == "submit":
            _write(hub, "hubstudent2", answers.solutions())
        proc = kit_hub.as_user(hub, "hubstudent2", "nbgrader", step, "rnn_sum", "--course", COURSE)
        assert proc.returncode == 0, proc.stderr[-2000:]
    exchange_pages = glob.glob(os.path.join(hub["root"], "exchange", COURSE, "feedback", "*.html"))
    theirs = [p for p in exchange_pages if os.stat(p).st_uid == pwd.getpwnam("hubstudent1").pw_uid]
    home_pages = glob.glob(os.path.join(pwd.getpwnam("hubstudent1").pw_dir, "rnn_sum", "feedback", "*", "*.html"))
    assert theirs and home_pages
    attempts = [("list", os.path.dirname(theirs[0]))] + [("read", p) for p in theirs + home_pages]
    own = [("read", os.path.join(hub["root"], "exchange", COURSE, "outbound", "rnn_sum", "rnn_sum.ipynb"))]
    tries = _probe(hub, "hubstudent2", attempts + own)
    assert [tries[f"{a} {p}"] for a, p in own] == ["ok"]
    assert all(tries[f"{a} {p}"] != "ok" for a, p in attempts), tries

    kit_hub.login(page, hub, "hubstudent2")
    relative = os.path.relpath(home_pages[0], pwd.getpwnam("hubstudent1").pw_dir)
    response = page.goto(f"{hub['url']}/user/hubstudent1/files/{relative}")
    assert "feedback for hubstudent1" not in page.content()
    assert response.status in (403, 404) or "/user/hubstudent2/" in page.url or "/hub/" in page.url, page.url


def test_the_instructor_sees_both_scores_in_formgrader(hub, page):
    """hubteacher opens formgrader, the hub's service: both students with their scores in the gradebook."""
    from playwright.sync_api import expect

    kit_hub.login(page, hub, "hubteacher")
    page.goto(f"{hub['url']}/services/formgrader/formgrader")
    expect(page.locator("tr", has_text="rnn_layers").first).to_be_visible()
    page.goto(f"{hub['url']}/services/formgrader/formgrader/manage_submissions/rnn_sum")
    # the written answer's point waits for the instructor
    expect(page.locator("tr", has_text="hubstudent1").first).to_contain_text("9 / 10")
    expect(page.locator("tr", has_text="hubstudent2").first).to_contain_text("9 / 10")
    kit_hub.screenshot(page, "hub-formgrader")


def test_formgrader_offers_the_instructor_no_root_terminal_or_kernel(hub, page):
    """formgrader runs as root here: its server opens no terminal and starts no kernel."""
    kit_hub.login(page, hub, "hubteacher")
    page.goto(f"{hub['url']}/services/formgrader/formgrader")
    api = f"{hub['url']}/services/formgrader/api"
    xsrf = next((c["value"] for c in page.context.cookies() if c["name"] == "_xsrf"), "")
    headers = {"X-XSRFToken": xsrf}
    terminal = page.request.post(f"{api}/terminals", headers=headers)
    kernel = page.request.post(f"{api}/kernels", headers=headers, data={"name": "python3"})
    specs = page.request.get(f"{api}/kernelspecs")
    assert terminal.status in (403, 404), terminal.status
    assert kernel.status >= 400, kernel.status
    assert specs.ok and not specs.json()["kernelspecs"], specs.text()


def test_a_student_cannot_open_formgrader(hub, page):
    kit_hub.login(page, hub, "hubstudent3")
    response = page.goto(f"{hub['url']}/services/formgrader/formgrader/manage_students")
    assert response.status == 403 or "hubstudent1" not in page.content()


# Run as a student: what each path gives them (to read or list).
PROBE = r"""
import json, os, sys

def attempt(action, path):
    try:
        if action == "list":
            return "ok" if os.listdir(path) else "empty"
        with open(path, "rb") as f:
            f.read(1)
        return "ok"
    except OSError as exc:
        return type(exc).__name__

print(json.dumps({a + " " + p: attempt(a, p) for a, p in json.loads(sys.argv[1])}))
"""


def _probe(hub, user, attempts, wrapped=True):
    proc = kit_hub.as_user(hub, user, "python", "-c", PROBE, json.dumps(attempts), wrapped=wrapped)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout)


def _course_paths(hub):
    repo, course = kit_hub.REPO, os.path.join(hub["root"], "course")
    graders = sorted(glob.glob(os.path.join(repo, "autograder", "assignments", "rnn_sum", "*.py")))
    assert graders
    return [
        ("read", os.path.join(repo, "course_config.py")),
        ("list", os.path.join(repo, "autograder", "assignments")),
        *[("read", path) for path in graders],
        ("read", os.path.join(repo, "source", "rnn_sum", "rnn_sum.ipynb")),
        ("list", course),
        ("read", os.path.join(course, "gradebook.db")),
        ("read", os.path.join(course, "nbgrader_config.py")),
        ("read", os.path.join(course, "source", "rnn_sum", "rnn_sum.ipynb")),
        ("read", os.path.join(hub["root"], "state", "logins.json")),
        ("list", os.path.join(hub["root"], "exchange", COURSE, "inbound")),
        ("list", "/root"),
        ("list", pwd.getpwnam("hubstudent1").pw_dir),
        ("list", pwd.getpwnam("hubteacher").pw_dir),
    ]


def test_every_course_path_is_unreadable_to_a_student(hub):
    """As hubstudent3, in the sandbox of the users' servers: the kit (course_config.py and its
    seed, the hidden graders, the master notebooks), the hub's course folder and gradebook, the
    hub's logins, the inbound folder, root's home and the other users' homes all fail; their own
    home, the release and the students' venv work."""
    attempts = _course_paths(hub)
    tries = _probe(hub, "hubstudent3", attempts)
    assert all(result != "ok" for result in tries.values()), tries
    # file modes alone (outside the sandbox) close all but the repository, which is world-readable here
    plain = _probe(hub, "hubstudent3", [(a, p) for a, p in attempts if not p.startswith(kit_hub.REPO)], wrapped=False)
    assert set(plain.values()) == {"PermissionError"}, plain
    own = [
        ("list", pwd.getpwnam("hubstudent3").pw_dir),
        ("read", os.path.join(hub["root"], "exchange", COURSE, "outbound", "rnn_layers", "rnn_layers.ipynb")),
    ]
    assert set(_probe(hub, "hubstudent3", own).values()) == {"ok"}


def test_the_running_servers_see_nothing_of_the_course(hub):
    """The servers the hub spawned (hubstudent1's and hubstudent2's, both still running) see empty
    folders where the kit, the hub's course folder and root's home are (their mount namespace,
    read through /proc/<pid>/root)."""
    pids = subprocess.run(["pgrep", "-f", "jupyterhub-singleuser"], capture_output=True, text=True).stdout.split()
    servers = {
        pwd.getpwuid(os.stat(f"/proc/{pid}").st_uid).pw_name: pid for pid in pids if os.path.exists(f"/proc/{pid}")
    }
    assert "hubstudent1" in servers, servers
    for user in ("hubstudent1", "hubstudent2"):
        if user not in servers:
            continue
        view = f"/proc/{servers[user]}/root"
        assert os.listdir(view + kit_hub.REPO) == []
        assert os.listdir(view + "/root") == []
        assert not os.path.exists(view + os.path.join(hub["root"], "course"))
        assert os.path.exists(view + os.path.join(hub["root"], "student-venv", "bin", "python"))
