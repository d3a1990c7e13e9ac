"""Helpers for the browser tests: JupyterLab on 127.0.0.1 and Debian's chromium through
Playwright (playwright cannot download browsers here; it drives /usr/bin/chromium)."""

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTEFACTS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "build", "test-artefacts")
TIMEOUT_MS = 120_000  # Playwright's default of 5 s is far too short for a kernel running torch


def problem():
    """Why browser tests cannot run here, or None."""
    if not os.path.exists(CHROMIUM):
        return "Debian's chromium is not installed (apt-get install chromium)"
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (make venv)"
    return None


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def jupyter_lab(root, extra_env=None):
    """JupyterLab serving ``root`` on 127.0.0.1, with a config folder of its own in which
    the news pop-up is switched off; yields its base URL (with the token)."""
    port, token = _free_port(), "kit-browser-test"
    config_dir = tempfile.mkdtemp(prefix="rnn-sum-jupyter-config-")
    os.makedirs(os.path.join(config_dir, "labconfig"))
    with open(os.path.join(config_dir, "labconfig", "page_config.json"), "w") as f:
        json.dump({"disabledExtensions": {"@jupyterlab/apputils-extension:announcements": True}}, f)
    env = dict(os.environ, JUPYTER_CONFIG_DIR=config_dir, **(extra_env or {}))
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")
    log = open(os.path.join(config_dir, "server.log"), "w")
    proc = subprocess.Popen(
        [
            os.path.join(os.path.dirname(sys.executable), "jupyter"),
            "lab",
            "--no-browser",
            "--ip=127.0.0.1",
            f"--port={port}",
            f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={root}",
            "--allow-root",
            "--ServerApp.open_browser=False",
        ],
        cwd=root,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    raise RuntimeError("JupyterLab did not start:\n" + open(log.name).read()[-3000:])
                time.sleep(0.3)
        yield base, token
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
        shutil.rmtree(config_dir, ignore_errors=True)


@contextlib.contextmanager
def chromium():
    """Headless chromium with a fresh profile; yields its context (one per session:
    Playwright's sync API allows one at a time)."""
    from playwright.sync_api import sync_playwright

    profile = tempfile.mkdtemp(prefix="rnn-sum-chromium-")
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            profile,
            executable_path=CHROMIUM,
            args=CHROMIUM_ARGS,
            headless=True,
            viewport={"width": 1400, "height": 1000},
        )
        context.set_default_timeout(TIMEOUT_MS)
        try:
            yield context
        finally:
            context.close()
            shutil.rmtree(profile, ignore_errors=True)


def screenshot(page, name):
    os.makedirs(ARTEFACTS, exist_ok=True)
    path = os.path.join(ARTEFACTS, f"{name}.png")
    page.screenshot(path=path, full_page=False)
    return path


def open_notebook(page, base, token, name):
    """Open a notebook fresh (``?reset``) and wait until its kernel is idle."""
    from playwright.sync_api import expect

    page.goto(f"{base}/lab/tree/{name}?reset&token={token}")
    expect(page.locator(".jp-NotebookPanel")).to_be_visible(timeout=TIMEOUT_MS)
    wait_for_idle_kernel(page)


def wait_for_idle_kernel(page):
    """The status bar says Idle only once a kernel exists (the toolbar says so earlier)."""
    from playwright.sync_api import expect

    expect(page.locator(".jp-StatusBar-Widget", has_text="Idle").first).to_be_visible(timeout=TIMEOUT_MS)


def run_all(page):
    """Run > Run All Cells (the command runmenu:run-all), then wait for the kernel to finish."""
    from playwright.sync_api import expect

    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
    busy = page.locator(".jp-StatusBar-Widget", has_text="Busy").first
    try:
        expect(busy).to_be_visible(timeout=10_000)
    except AssertionError:
        pass  # it may have finished already
    wait_for_idle_kernel(page)


def validate(page):
    """Click nbgrader's Validate button and return the text of its result."""
    from playwright.sync_api import expect

    page.locator(".validate-button").first.click()
    message = page.locator("#validation-message")
    expect(message).to_be_visible(timeout=TIMEOUT_MS)
    return message.inner_text()
