"""The process that runs one student's notebook.  Everything here is untrusted once the
first student cell has run, so it only reports: which step it is on, and what the
student's functions returned (``autograder.tasks.observe``).  The grading process
judges, times and, when needed, kills it.

Started as ``python -I -c ...`` by ``autograder.runner`` with two pipe descriptors: one
to read the job from, one to write events to, a JSON object per line.
"""

import json
import os
import resource
import sys


def _limit_resources(memory_mb, output_bytes):
    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    resource.setrlimit(resource.RLIMIT_FSIZE, (output_bytes * 100, output_bytes * 100))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _silence():
    """Send the student's prints to nowhere: a flood of output cannot stall or fill anything."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)


def main(job_fd, event_fd):
    with os.fdopen(job_fd, "rb") as f:
        job = json.loads(f.read())

    # Everything the harness relies on is imported before student code runs.
    import torch  # noqa: F401

    from autograder import harness, tasks  # noqa: F401

    torch.set_num_threads(1)
    # The first optimizer lazily imports torch._dynamo (about a second): pay it here.
    torch.optim.SGD([torch.zeros((), requires_grad=True)], lr=0.1)

    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance(colors="nocolor", history_length=0)
    shell.history_manager.enabled = False

    _write = os.write

    def send(event):
        data = (json.dumps(event) + "\n").encode()
        while data:
            data = data[_write(event_fd, data):]

    send({"event": "ready"})
    _silence()
    _limit_resources(job["memory_mb"], job["output_bytes"])

    for i, step in enumerate(job["steps"]):
        if i in job["skip"]:
            continue
        send({"event": "start", "step": i})
        if step["kind"] == "code":
            send({"event": "end", "step": i, "error": _run_cell(shell, step["source"])})
        else:
            observed = tasks.observe(step["task"], shell.user_ns, step["cases"])
            send({"event": "end", "step": i, "observed": observed})
    send({"event": "finished"})
    os._exit(0)  # skip interpreter shutdown: student objects may hang or fail in __del__


def _run_cell(shell, source):
    from autograder.harness import error_text

    try:
        result = shell.run_cell(source, store_history=False)
    except BaseException as exc:  # noqa: BLE001 - SystemExit and friends from student code
        return error_text(exc)
    error = result.error_before_exec or result.error_in_exec
    return None if error is None else error_text(error)


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]))
