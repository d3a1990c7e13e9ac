"""Helpers for the hub tier: the course hub of ``make hub`` started for real (deploy/hub/course_hub.py)
in a temporary hub root on a free port, and what its users do in chromium."""

import contextlib
import json
import os
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
import time

from tests import browser

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COURSE_HUB = os.path.join(REPO, "deploy", "hub", "course_hub.py")
SCREENSHOTS = os.path.join(REPO, "build", "screenshots")
STUDENT_PYTHON = "/usr/bin/python3.11"
READY = "The course hub is up: "


def problem():
    """Why the hub tier cannot run here, or None."""
    if sys.platform != "linux" or os.geteuid() != 0:
        return "needs root on Linux (PAM logins, Unix users, spawning servers as them)"
    for tool, package in (("bwrap", "bubblewrap"), ("npm", "npm"), ("useradd", "passwd"), ("setpriv", "util-linux")):
        if shutil.which(tool, path="/usr/sbin:/usr/bin:/sbin:/bin") is None:
            return f"{tool} is not installed (apt-get install {package})"
    if not os.path.exists(STUDENT_PYTHON):
        return f"{STUDENT_PYTHON} is missing (apt-get install python3.11 python3.11-venv)"
    return browser.problem()


def _stop(proc, timeout=90):
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@contextlib.contextmanager
def course_hub(port):
    """``course_hub.py --root <temporary> --port <port>`` until it says it is up; yields
    {"url", "root", "logins", "log"}.  Its users are made afresh and removed afterwards."""
    remove = [sys.executable, COURSE_HUB, "--remove"]
    subprocess.run(remove, capture_output=True, timeout=120)  # a killed run's users, with its homes
    root = tempfile.mkdtemp(prefix="rnn-sum-hub-test-")
    os.chmod(root, 0o755)  # the students reach the exchange and their venv in it
    out_path = os.path.join(root, "course_hub.out")
    out = open(out_path, "w")
    proc = subprocess.Popen(
        [sys.executable, COURSE_HUB, "--root", root, "--port", str(port)],
        cwd=REPO,
        stdout=out,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 900  # the first run builds the students' venv
        while READY not in open(out_path).read():
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the course hub did not start:\n{open(out_path).read()[-4000:]}")
            time.sleep(0.5)
        with open(os.path.join(root, "state", "logins.json")) as f:
            logins = json.load(f)
        log = os.path.join(root, "state", "jupyterhub.log")
        yield {"url": f"http://127.0.0.1:{port}", "root": root, "logins": logins, "log": log, "out": out_path}
    finally:
        _stop(proc)
        out.close()
        subprocess.run(remove, capture_output=True, timeout=120)
        shutil.rmtree(root, ignore_errors=True)


def as_user(hub, user, *cmd, wrapped=True, stdin=None, timeout=300):
    """``cmd`` run as ``user`` with a clean environment, inside the wrapper of the users' servers
    (the same bubblewrap as their JupyterLab) unless ``wrapped`` is False."""
    home = pwd.getpwnam(user).pw_dir
    venv_bin = os.path.join(hub["root"], "student-venv", "bin")
    env = [f"HOME={home}", f"USER={user}", f"LOGNAME={user}", f"PATH={venv_bin}:/usr/bin:/bin", "LANG=C.UTF-8"]
    wrapper = [os.path.join(hub["root"], "bin", "student-server")] if wrapped else []
    setpriv = ["setpriv", f"--reuid={user}", f"--regid={user}", "--init-groups", "--", "env", "-i", *env]
    return subprocess.run(
        [*setpriv, *wrapper, *cmd], cwd=home, input=stdin, capture_output=True, text=True, timeout=timeout
    )


def login(page, hub, user):
    """Log in at the hub's login page (logging out whoever was in first) and wait for JupyterLab."""
    from playwright.sync_api import expect

    page.goto(f"{hub['url']}/hub/logout")
    page.goto(f"{hub['url']}/hub/login")
    page.fill("#username_input", user)
    page.fill("#password_input", hub["logins"][user])
    page.click("#login_submit")
    page.wait_for_url(f"**/user/{user}/lab**", timeout=browser.TIMEOUT_MS)
    expect(page.locator(".lm-MenuBar-itemLabel", has_text="Nbgrader")).to_be_visible()


def assignments(page):
    """Nbgrader > Assignment List: the Assignments tab."""
    from playwright.sync_api import expect

    page.locator(".lm-MenuBar-itemLabel", has_text="Nbgrader").click()
    page.locator(".lm-Menu-itemLabel", has_text="Assignment List").click()
    expect(page.locator("#released_assignments_list")).to_be_visible()


def fetch_feedback(page, count, timeout=180):
    """Press Fetch Feedback until ``count`` submissions have their feedback, then open the newest
    one's page as a student does: (view feedback) shows its folder, a double click opens
    rnn_sum.html in JupyterLab's HTML viewer.  Returns the text of the page."""
    from playwright.sync_api import expect

    submitted = page.locator("#submitted_assignments_list")
    rows = submitted.locator(".nested_list_item", has_text="(view feedback)")
    deadline = time.monotonic() + timeout
    while rows.count() < count:
        if time.monotonic() > deadline:
            raise AssertionError(f"no feedback for submission {count} within {timeout} s: {submitted.inner_text()}")
        submitted.get_by_role("button", name="Fetch Feedback").first.click()
        time.sleep(2)
    stamps = [rows.nth(i).inner_text().replace("(view feedback)", "").strip() for i in range(rows.count())]
    newest = max(range(len(stamps)), key=stamps.__getitem__)  # the timestamps sort as text
    rows.nth(newest).get_by_text("(view feedback)").click()
    expect(page.locator(".jp-BreadCrumbs")).to_contain_text(stamps[newest])  # its folder, not the last one's
    page.locator(".jp-DirListing-item", has_text="rnn_sum.html").dblclick()
    body = page.frame_locator(".jp-HTMLViewer:visible iframe").locator("body")
    expect(body).to_contain_text("feedback for")
    return body.inner_text()


def screenshot(page, name, full_page=False):
    os.makedirs(SCREENSHOTS, exist_ok=True)
    path = os.path.join(SCREENSHOTS, f"{name}.png")
    page.screenshot(path=path, full_page=full_page)
    return path
