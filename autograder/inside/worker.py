"""A worker: one per core, started by ``autograder.runner`` inside the sandbox.

The worker process (the *zygote*) imports torch, builds an optimizer and creates an
IPython shell once, then never runs student code itself.  For each notebook the runner
sends it, on the control socket, the job ({"scratch", "ids", "limits", "allow"}) and two pipes;
it forks a child that enters the sandbox (``process.enter``) and runs the notebook.

The job pipe carries JSON lines from the runner: first the notebook's steps,

    {"steps": [{"kind": "code", "source": "..."} | {"kind": "task", "task": "model"}, ...],
     "skip": [i, ...]}

then, each time the child starts a task step, that task's program (``probe.observe``):
the runner sends a task's hidden inputs and stand-ins only when the notebook reaches it.
The child writes events, a JSON object per line, on the event pipe:

    {"event": "start", "step": i}
    {"event": "end", "step": i, "error": "..."}        a code cell
    {"event": "end", "step": i, "observed": {...}}     a task's probes
    {"event": "finished"}

Everything in the child is untrusted once the first student cell has run, so it only
reports what the student's functions returned; the runner judges and times it, and tells
the zygote to kill it when needed (the runner never signals a process id itself: inside
bubblewrap's PID namespace the ids are not the host's).  When the child has ended, the
zygote kills whatever it left behind and reports how it ended on the control socket.
"""

import gc
import json
import os
import signal
import socket
import sys

from autograder.inside.protocol import Job


def serve(control_fd):
    """The zygote's loop: fork a child per job until the runner closes the socket."""
    # Imported here, not at the top: the zygote's start-up is the worker's cost, paid once, and
    # these are what every child would otherwise import for itself after the fork.
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot  # noqa: F401  (the notebook's first cell imports it)
    import torch

    # before student code: process loads libseccomp (pyseccomp), whose filter each child puts on itself
    from autograder.inside import probe, process  # noqa: F401

    torch.set_num_threads(1)
    # The first optimizer lazily imports torch._dynamo (about a second): pay it once here.
    torch.optim.SGD([torch.zeros((), requires_grad=True)], lr=0.1)
    shell = _shell()
    process.become_subreaper()
    # What the imports made is kept out of every later collection: children then do not write
    # to every inherited object's page when they collect.  Collection was off during the
    # imports (the runner's command line); it is on again for the notebooks.
    gc.freeze()
    gc.enable()

    control = socket.socket(fileno=control_fd)
    _send(control, {"ready": os.getpid()})
    while True:
        try:
            data, fds, _, _ = socket.recv_fds(control, 65536, 2)
        except OSError:
            return
        if not data:
            return
        job = json.loads(data)
        job_fd, event_fd = fds
        pid = os.fork()
        if pid == 0:
            control.close()
            _child(shell, job, job_fd, event_fd)
        os.close(job_fd)
        os.close(event_fd)
        _send(control, {"pid": pid})
        status = _wait(control, pid)
        # whatever the notebook started, detached or not; a fork bomb ends the worker
        # (and with bubblewrap the kernel then ends its whole PID namespace)
        clean = process.kill_descendants()
        _send(control, {"status": status})
        if not clean or status.get("lost"):
            return


def _wait(control, pid):
    """Wait for the child to end, killing it when the runner says "kill"."""
    import selectors  # the zygote's alone: no child needs it

    pidfd = os.pidfd_open(pid)
    with selectors.DefaultSelector() as selector:
        selector.register(pidfd, selectors.EVENT_READ)
        selector.register(control, selectors.EVENT_READ)
        while True:
            for key, _ in selector.select():
                if key.fileobj is control:
                    if not control.recv(4096):  # the runner has gone: end everything
                        os.kill(pid, signal.SIGKILL)
                        os.waitpid(pid, 0)
                        return {"lost": True}
                    os.kill(pid, signal.SIGKILL)  # the only message here is "kill"
                else:
                    os.close(pidfd)
                    _, status = os.waitpid(pid, 0)
                    return _status(status)


def _shell():
    # the zygote's, once, before the first fork (serve)
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    config = Config()
    config.HistoryManager.enabled = False  # no history thread: the zygote must fork cleanly
    config.InteractiveShell.colors = "nocolor"
    return InteractiveShell.instance(config=config)


def _send(sock, message):
    sock.sendall((json.dumps(message) + "\n").encode())


def _status(status):
    if os.WIFSIGNALED(status):
        return {"signal": signal.Signals(os.WTERMSIG(status)).name}
    return {"exit": os.WEXITSTATUS(status)}


def _child(shell, job: Job, job_fd: int, event_fd: int):
    """The forked child: sandbox, then the notebook's steps.  Never returns."""
    _write = os.write
    _dumps = json.dumps
    _loads = json.loads

    def send(event):
        data = (_dumps(event) + "\n").encode()
        while data:
            data = data[_write(event_fd, data) :]

    try:
        # loaded by the zygote already (serve): a lookup, not an import
        from autograder.inside import probe, process, values

        requests = os.fdopen(job_fd, "rb")
        plan = _loads(requests.readline())
        steps, skip = plan["steps"], set(plan["skip"])
        del plan
        process.enter(job["scratch"], tuple(job["ids"]) if job["ids"] else None, job["limits"], job.get("allow"))
        _silence()
        for i, step in enumerate(steps):
            if i in skip:
                continue
            send({"event": "start", "step": i})
            if step["kind"] == "code":
                send({"event": "end", "step": i, "error": _run_cell(shell, step["source"])})
            else:
                program = _loads(requests.readline())
                observed = probe.observe(shell.user_ns, program)
                del program
                send({"event": "end", "step": i, "observed": observed})
        send({"event": "finished"})
    except BaseException as exc:  # noqa: BLE001 - the runner says what went wrong
        try:
            send({"event": "crash", "error": values.error_text(exc)})
        except BaseException:  # noqa: BLE001
            pass
    finally:
        os._exit(0)  # skip interpreter shutdown: student objects may hang in __del__


def _silence():
    """Send the student's prints to nowhere: a flood of output cannot stall or fill anything."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)


def _run_cell(shell, source):
    # loaded by the zygote already (serve)
    from autograder.inside.values import error_text

    try:
        result = shell.run_cell(source, store_history=False)
    except BaseException as exc:  # noqa: BLE001 - SystemExit and friends from student code
        return error_text(exc)
    error = result.error_before_exec or result.error_in_exec
    return None if error is None else error_text(error)


if __name__ == "__main__":
    serve(int(sys.argv[1]))
