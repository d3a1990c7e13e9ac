"""``make hub``: a course JupyterHub on this machine, on 127.0.0.1, in the foreground.

    python deploy/hub/course_hub.py [--root /srv/rnn-sum-hub] [--port 8000]
    python deploy/hub/course_hub.py --remove      # make hub-clean: the users it made

Sets up (hub_setup.py; each step idempotent) the users with their passwords, the students' venv,
the exchange and the course folder with both assignments released, then runs JupyterHub (from the
kit's venv, as root) behind configurable-http-proxy (npm ci into build/hub/ from this folder's
package-lock.json) until Ctrl-C or SIGTERM.  docs/hub.md says what each part is for.
"""

import argparse
import contextlib
import glob
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)

import hub_setup  # noqa: E402

PROXY_DIR = os.path.join(REPO, "build", "hub")
PROXY = os.path.join(PROXY_DIR, "node_modules", ".bin", "configurable-http-proxy")


def ensure_proxy(say=print):
    """configurable-http-proxy, exactly as package-lock.json pins it, in build/hub/."""
    lock = os.path.join(HERE, "package-lock.json")
    copied = os.path.join(PROXY_DIR, "package-lock.json")
    same = os.path.exists(copied) and open(copied, "rb").read() == open(lock, "rb").read()
    if same and os.path.exists(PROXY):
        return PROXY
    if shutil.which("npm") is None:
        raise SystemExit("npm is not installed (apt-get install npm): it installs configurable-http-proxy")
    say(f"  npm ci: configurable-http-proxy into {PROXY_DIR}")
    os.makedirs(PROXY_DIR, exist_ok=True)
    for name in ("package.json", "package-lock.json"):
        shutil.copyfile(os.path.join(HERE, name), os.path.join(PROXY_DIR, name))
    proc = subprocess.run(
        ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=PROXY_DIR, capture_output=True, text=True
    )
    if proc.returncode != 0:
        raise SystemExit(f"npm ci failed:\n{proc.stderr[-2000:]}")
    return PROXY


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve_available():
    """Whether the kit's grading service (``python -m autograder serve``) is there."""
    proc = subprocess.run([sys.executable, "-m", "autograder", "serve", "--help"], capture_output=True, cwd=REPO)
    return proc.returncode == 0


def settings(p, port, proxy):
    """What jupyterhub_config.py reads, written to state/hub.json."""
    hub = {
        **p,
        "port": port,
        "hub_port": free_port(),
        "proxy_api_port": free_port(),
        "formgrader_port": free_port(),
        "proxy": proxy,
        "repo_venv": os.path.dirname(os.path.dirname(os.path.abspath(sys.executable))),
        "users": list(hub_setup.USERS),
        "instructor": hub_setup.INSTRUCTOR,
        "autograder": serve_available(),
    }
    path = os.path.join(p["state"], "hub.json")
    with open(path, "w") as f:
        json.dump(hub, f, indent=1)
    return hub, path


def wait_ready(url, proc, log, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"JupyterHub stopped ({proc.returncode}):\n{open(log).read()[-3000:]}")
        try:
            urllib.request.urlopen(f"{url}/hub/api/", timeout=2)
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"JupyterHub did not answer at {url} within {timeout} s; its log: {log}")


def wait_serving(log, proc, timeout=180):
    """Until the grading service says ``serving:`` in the hub's log (it warms its workers first)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        if "serving:" in open(log, errors="replace").read():
            return True
        time.sleep(0.5)
    return False


def banner(hub, passwords, log):
    url = f"http://127.0.0.1:{hub['port']}"
    lines = [
        "",
        f"The course hub is up: {url}",
        "",
        f"  {'login':<14}password",
        *[f"  {name:<14}{passwords[name]}" for name in hub_setup.USERS],
        "",
        f"  {hub_setup.INSTRUCTOR} grades in formgrader: {url}/services/formgrader/formgrader",
        "  students: JupyterLab's Nbgrader > Assignment List (Fetch, Submit, Fetch Feedback)",
        f"  the hub's log: {log}",
        "",
        "Stop it with Ctrl-C (the users' servers and the services stop with it); make hub-clean removes the users.",
        "",
    ]
    print("\n".join(lines), flush=True)


def run(hub, settings_path):
    log = os.path.join(hub["state"], "jupyterhub.log")
    env = dict(os.environ, RNN_SUM_HUB_SETTINGS=settings_path)
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")
    with open(log, "a") as out:
        proc = subprocess.Popen(
            [
                os.path.join(os.path.dirname(sys.executable), "jupyterhub"),
                "-f",
                os.path.join(HERE, "jupyterhub_config.py"),
            ],
            cwd=hub["state"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    stopping = []

    def stop(*_):
        if not stopping:
            stopping.append(True)
            print("stopping the hub ...", flush=True)
            stop_services(proc.pid, hub["repo_venv"])
            proc.send_signal(signal.SIGTERM)

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    return proc, log, stopping


def stop_services(hub_pid, repo_venv, timeout=15):
    """SIGTERM to the hub's services (its children run from the kit's venv), then SIGKILL to any
    left after ``timeout``: the hub would give each 30 s for a SIGINT, which a server without a
    terminal does not act on, then 30 s for SIGTERM, one after the other."""
    children = []
    for task in glob.glob(f"/proc/{hub_pid}/task/*/children"):
        with contextlib.suppress(OSError):
            children += [int(pid) for pid in open(task).read().split()]
    services = []
    for pid in children:
        with contextlib.suppress(OSError):
            if open(f"/proc/{pid}/cmdline", "rb").read().startswith(repo_venv.encode()):
                os.kill(pid, signal.SIGTERM)
                services.append(pid)
    deadline = time.monotonic() + timeout
    while services and time.monotonic() < deadline:
        services = [pid for pid in services if os.path.exists(f"/proc/{pid}") and not _zombie(pid)]
        time.sleep(0.2)
    for pid in services:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)


def _zombie(pid):
    try:
        return open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python deploy/hub/course_hub.py", description=__doc__.split("\n")[0])
    parser.add_argument("--root", default="/srv/rnn-sum-hub", help="the hub's folder (default: /srv/rnn-sum-hub)")
    parser.add_argument("--port", type=int, default=8000, help="the hub's port on 127.0.0.1 (default: 8000)")
    parser.add_argument("--remove", action="store_true", help="remove the users this command made, then stop")
    args = parser.parse_args(argv)
    if args.remove:
        hub_setup.remove_users()
        if os.path.exists(args.root):
            print(f"kept {args.root} (the course's gradebook and submissions): remove it by hand when done with it")
        return 0
    print(f"setting up the course hub in {args.root}", flush=True)
    proxy = ensure_proxy()
    p, passwords = hub_setup.setup(args.root)
    hub, path = settings(p, args.port, proxy)
    proc, log, stopping = run(hub, path)
    wait_ready(f"http://127.0.0.1:{args.port}", proc, log)
    if hub["autograder"] and not wait_serving(log, proc):
        print(f"the grading service has not said 'serving:' yet: see {log}", flush=True)
    banner(hub, passwords, log)
    while True:
        try:
            code = proc.wait(timeout=30 if stopping else None)
            break
        except subprocess.TimeoutExpired:
            proc.kill()
    if not stopping:
        print(f"JupyterHub stopped ({code}): see {log}", flush=True)
    return 0 if stopping else code or 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:  # Ctrl-C while setting up: each step is idempotent, run it again
        print("interrupted", file=sys.stderr)
        sys.exit(130)
