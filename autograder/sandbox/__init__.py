"""Isolation of student code: what it can see, and what it can do.

- **An allowlist file system** (Debian's ``bubblewrap``, ``bwrap``): each worker starts
  from an empty root holding only, read-only, the system's programs and libraries
  (``/usr`` without ``/usr/local``), the Python interpreter and the packages a notebook
  may import (the venv; the base installation's own site-packages hidden), and the
  kit's ``autograder/inside`` package (``/kit``), which knows no assignment, seed,
  reference or answer; then a minimal ``/dev``, its own ``/proc``, an empty read-only
  ``/tmp``, and its own scratch folder, the only place it may write.  Nothing of the
  course (source/, solutions/, release/, submissions, gradebook, course_config.py, the
  graders) and nothing of the machine's users or other projects is there, wherever the
  kit lives.
- **Namespaces**: its own PID, network (none), IPC and UTS namespaces; when the worker
  ends, the kernel ends every process in its PID namespace.  bubblewrap wraps the warm
  worker, not each notebook, so notebooks still start by a fork of a process that has
  already imported torch.
- **An unprivileged user** (when grading runs as root): the worker keeps only the
  capabilities to change user and to signal, and each forked child drops to a user of its
  own (course_config.SANDBOX_UID_BASE + worker) with no capabilities, so student code
  cannot signal the worker, read its memory or write anything but its scratch copy.
- **Where bubblewrap cannot create namespaces** (a container without privileges, as
  Gradescope's often is): the child still drops to its unprivileged user (as root) and puts
  on itself the same allowlist with Landlock (``autograder.inside.landlock``, where the
  kernel has it), tried for real on the course's files before grading (``isolation``).
  Only where neither holds, or the seccomp filter below cannot be put on (no libseccomp),
  is a record ``"sandboxed": false``, and grading says so loudly
  (``warning()``); without root it goes on as the grading user, and says so.
  ``AUTOGRADER_SANDBOX=user`` forces this fallback (``none``: no sandbox at all).  Where that
  user cannot read the Python it imports from, nothing is graded: ``environment_problem()``
  says why and the fix (``worker_ids`` raises ``EnvironmentProblem``).
- **No socket** (a seccomp filter, ``autograder.inside.process.forbid_sockets``): no network
  in the fallback, and beside the empty network namespace inside bubblewrap.
- **A scratch folder** per notebook, with a disk quota: ``autograder.sandbox.scratch``.
- **Resource limits** (address space, file size, no core dumps) and a subreaper that ends
  whatever a notebook starts: ``autograder.inside.process``.

Modules: ``bwrap`` (the allowlist root), ``policy`` (what holds here, and the fallback),
``home`` (a worker's home), ``scratch`` (where student code writes).  What the rest of the kit
calls is named here.
"""

from autograder.sandbox.bwrap import MODE, bwrap_problem, can_drop_privileges, kit_path, kit_shown, python_paths, wrap
from autograder.sandbox.home import keep_home, seed_home
from autograder.sandbox.policy import (
    EnvironmentProblem,
    allowlist,
    environment_problem,
    isolation,
    job_allowlist,
    sandboxed,
    warning,
    worker_ids,
)

__all__ = [
    "MODE",
    "EnvironmentProblem",
    "allowlist",
    "bwrap_problem",
    "can_drop_privileges",
    "environment_problem",
    "isolation",
    "job_allowlist",
    "keep_home",
    "kit_path",
    "kit_shown",
    "python_paths",
    "sandboxed",
    "seed_home",
    "warning",
    "worker_ids",
    "wrap",
]
