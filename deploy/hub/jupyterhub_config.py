# The course hub's JupyterHub configuration (make hub; docs/hub.md).  course_hub.py writes the
# settings it reads (ports and paths) to <hub root>/state/hub.json and names it in RNN_SUM_HUB_SETTINGS.
import json
import os

with open(os.environ["RNN_SUM_HUB_SETTINGS"]) as f:
    hub = json.load(f)
c = get_config()  # noqa: F821

# The hub as root (PAM reads /etc/shadow; the spawner becomes each user), on 127.0.0.1 only.
c.JupyterHub.bind_url = f"http://127.0.0.1:{hub['port']}"
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = hub["hub_port"]
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{hub['proxy_api_port']}"
c.ConfigurableHTTPProxy.command = [hub["proxy"]]
c.JupyterHub.db_url = f"sqlite:///{hub['state']}/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = os.path.join(hub["state"], "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = os.path.join(hub["state"], "jupyterhub.pid")
c.JupyterHub.cleanup_servers = True  # the users' servers stop with the hub

# Real Unix users, by their passwords (PAM); only the course's.
c.JupyterHub.authenticator_class = "pam"
c.Authenticator.allowed_users = set(hub["users"])

# Each user's server: their own uid (LocalProcessSpawner's setuid), inside bubblewrap
# (student-server, written by course_hub.py), from the students' venv: nothing of the kit.
c.JupyterHub.spawner_class = "localprocess"
c.Spawner.cmd = [hub["student_server"], os.path.join(hub["student_venv"], "bin", "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.env_keep = ["LANG", "LC_ALL"]  # not the hub's PATH: it names root's venv
c.Spawner.environment = {"PATH": os.path.join(hub["student_venv"], "bin") + ":/usr/local/bin:/usr/bin:/bin"}
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120

# root's venv (the kit's) for the services: they run as root (see docs/hub.md)
services_env = {"PATH": os.path.join(hub["repo_venv"], "bin") + ":/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8"}
c.JupyterHub.services = [
    {
        # nbgrader's formgrader on the course folder, for the instructor
        "name": "formgrader",
        "url": f"http://127.0.0.1:{hub['formgrader_port']}",
        # --allow-root: root's venv (docs/hub.md); answer_yes: the hub's SIGINT stops it at once;
        # no terminal and no kernel: formgrader needs neither, and they would be root's
        "command": [
            os.path.join(hub["repo_venv"], "bin", "jupyterhub-singleuser"),
            "--allow-root",
            "--ServerApp.answer_yes=True",
            "--ServerApp.terminals_enabled=False",
            "--ServerApp.kernel_spec_manager_class=autograder.nbgrader.formgrader.NoKernels",
        ],
        "cwd": hub["course"],
        "environment": {**services_env, "JUPYTERHUB_DEFAULT_URL": "/formgrader"},
        "oauth_no_confirm": True,
    },
]
if hub.get("autograder", True):
    c.JupyterHub.services.append(
        {
            # the kit's grading service: each submission graded as it arrives, feedback into the exchange
            "name": "autograder",
            "command": [
                os.path.join(hub["repo_venv"], "bin", "python"),
                "-m",
                "autograder",
                "serve",
                "--exchange",
                hub["exchange"],
                "--course",
                hub["course"],
            ],
            "cwd": hub["course"],
            "environment": services_env,
        }
    )
c.JupyterHub.load_roles = [
    {
        "name": "instructor",
        "description": "the course's instructors: formgrader",
        "scopes": ["access:services!service=formgrader", "self"],
        "users": [hub["instructor"]],
    }
]
