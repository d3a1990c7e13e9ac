"""Course settings: the one place for everything an instructor may tune.

Values only: this file imports nothing and runs nothing.  The kit reads it (``import
course_config``), and nbgrader gets its configuration from these values through
``nbgrader_config.py``, which calls the kit's ``autograder.nbgrader.config.configure``.
"""

COURSE_ID = "rnn-sum"

# Hidden inputs of the graders are drawn from this seed.  Students never see it.
GRADER_SEED = 20261128

# Assignments, in course order: each is a folder of source/ holding one notebook of the same
# name, and a package of hidden graders, autograder/assignments/<assignment>/ (one test_<task>.py each).
# Per assignment:
# - points: of each task.  The code tasks are named after the function the student writes
#   (the grade_id of its solution cell); the others are written answers graded by hand.
# - graded_tasks: the code tasks the autograder checks, in notebook order.
# - task_timeout: seconds for each task's checks (the reference solution needs about 1 s).
# - the graders' tolerances and the settings of their checks.
ASSIGNMENTS = {
    "rnn_sum": {
        "points": {
            "cell": 1.0,
            "model": 2.0,
            "why_wrong": 1.0,
            "partial_sum_loss": 1.0,
            "batched_model": 2.0,
            "train": 3.0,
        },
        "graded_tasks": ["cell", "model", "partial_sum_loss", "batched_model", "train"],
        # Canvas's assignment for `autograder export --canvas` (id None: the roster's column of that name, or a new one)
        "canvas": {"name": "RNN sum", "id": None},
        # Gradescope (`make gradescope`): when students see the results, Gradescope's values "visible",
        # "after_due_date", "after_published" or "hidden", for the whole result and for each task's test.
        # The tests' messages describe the hidden inputs ("for a signal of 6 frames ..."): "after_due_date"
        # shows them once the deadline has passed (students then see no total before it either).
        "gradescope": {"visibility": "visible", "test_visibility": "visible"},
        # The grading service (`autograder serve`, docs/hub.md): whether a submission on the hub gets its
        # feedback page at once, what the page shows of "score", "messages" and "diagnosis", and how
        # many submissions in 24 hours get one (a further one is still collected and graded for the
        # gradebook; its page says when the next feedback is due).
        "on_submit": {"feedback": True, "shows": ["score", "messages", "diagnosis"], "attempts_per_day": 20},
        # When the assignment is due: an ISO 8601 time with its UTC offset, e.g. "2026-12-18T23:59:00+00:00",
        # or None for no deadline.  The kit writes it into nbgrader's gradebook as the assignment's due date,
        # so formgrader, `nbgrader autograde` and the kit's own routes agree (a due date set in formgrader
        # is replaced by this one).
        "deadline": None,
        # What work handed in after the deadline loses.  Late work is always flagged; the method says the rest:
        # "none" takes no points, "zero" takes every point, "per_hour" takes `per_hour` of the assignment's
        # graded points for each hour or part of an hour late (e.g. {"method": "per_hour", "per_hour": 0.1}).
        "late_policy": {"method": "none"},
        "task_timeout": {"cell": 10, "model": 10, "partial_sum_loss": 10, "batched_model": 10, "train": 15},
        # Comparisons with the graders' float64 reference.  Students' tensors are float32, so a
        # relative tolerance of 1e-4 leaves room for rounding over a few dozen frames while any
        # real mistake is off by far more; gradients go through more float32 arithmetic.
        "rtol": 1e-4,
        "atol": 1e-5,
        "grad_rtol": 1e-3,
        "grad_atol": 1e-4,
        # A lost task names the known mistakes (autograder/assignments/<assignment>/mistakes/) whose float64
        # prediction what came back agrees with this closely: loose enough for float32 arithmetic
        # over a few SGD steps, far tighter than any two mistakes differ.
        "diagnosis_rtol": 2e-3,
        "diagnosis_atol": 1e-4,
        # train: a short run from a fixed start must follow plain SGD step by step ...
        "train_check_epochs": 5,
        "train_check_lr": 0.02,
        "train_check_rtol": 1e-3,
        "train_check_atol": 1e-5,
        # ... and a full run from a fixed start must converge.  The graders set the start
        # themselves: from the tutorial's torch.randn start only about 45% of runs end near the
        # targets, and SGD diverges when |WEIGHTS| is above about 1.6.
        "train_start": (0.3, 0.7, 0.8),  # BIAS, WEIGHTF, WEIGHTS
        "train_epochs": 1000,
        "train_lr": 0.01,
        "train_frames": 5,
        "train_samples": 100,
        "train_target": (0.0, 1.0, 1.0),
        "train_tolerance": 0.05,  # how close each trained parameter must come to its target
    },
    "rnn_layers": {
        "points": {"why_one_layer": 2.0, "cell": 1.0, "layer": 2.0, "model": 2.0, "train": 3.0},
        "graded_tasks": ["cell", "layer", "model", "train"],
        # Canvas's assignment for `autograder export --canvas` (id None: the roster's column of that name, or a new one)
        "canvas": {"name": "RNN layers", "id": None},
        # Gradescope and the grading service: as for rnn_sum
        "gradescope": {"visibility": "visible", "test_visibility": "visible"},
        "on_submit": {"feedback": True, "shows": ["score", "messages", "diagnosis"], "attempts_per_day": 20},
        # the deadline and what late work loses: as for rnn_sum
        "deadline": None,
        "late_policy": {"method": "none"},
        "task_timeout": {"cell": 10, "layer": 10, "model": 10, "train": 20},
        "rtol": 1e-4,
        "atol": 1e-5,
        "grad_rtol": 1e-3,
        "grad_atol": 1e-4,
        # A lost task names the known mistakes (autograder/assignments/<assignment>/mistakes/) whose float64
        # prediction what came back agrees with this closely: loose enough for float32 arithmetic
        # over a few SGD steps, far tighter than any two mistakes differ.
        "diagnosis_rtol": 2e-3,
        "diagnosis_atol": 1e-4,
        # train: 5 epochs must follow plain SGD step by step ...
        "train_check_epochs": 5,
        "train_check_lr": 0.005,
        "train_check_rtol": 1e-3,
        "train_check_atol": 1e-5,
        # ... and 1000 epochs from a start the graders set must converge: lr 0.005 reaches a loss of
        # about 6e-4, lr 0.01 stalls near 0.54 and lr 0.02 diverges within 5 epochs.
        "train_start": (0.3, 0.7, 0.8, -0.2, 0.6, 0.9),  # BIAS1, WEIGHT1F, WEIGHT1S, BIAS2, WEIGHT2F, WEIGHT2S
        "train_epochs": 1000,
        "train_lr": 0.005,
        "train_frames": 5,
        "train_samples": 100,
        # Judged on what the trained network computes on 50 signals it has not seen, and on what
        # training pins down (WEIGHT1F * WEIGHT2F near 1, WEIGHT1S + WEIGHT2S near 2).
        "train_unseen_mse": 0.005,
        "train_invariant_tolerance": 0.15,
    },
}

# The class report's similar submissions (autograder/outputs/similarity.py, with copydetect): k-grams of
# `noise` characters of code with the names taken out, one fingerprint kept per window up to
# `guarantee`; a pair is shown when each notebook shares at least `threshold` of its own code
# with the other; a notebook with fewer than `min_tokens` of its own is left out; the page shows
# the `max_pairs` most alike side by side and counts the others.
SIMILARITY = {"noise": 25, "guarantee": 30, "threshold": 0.8, "min_tokens": 100, "max_pairs": 30}

# Limits on student code: seconds per notebook cell (each task's checks have their own, above).
CELL_TIMEOUT = 20
# Memory a submission's process may map (address space, MiB).
MEMORY_LIMIT_MB = 4096
# Largest file a submission's process may write (bytes); its printed output is discarded.
FILE_LIMIT_BYTES = 10_000_000
# What one notebook may keep in its scratch folder at once: MiB and files.  As root each
# worker's folder is a tmpfs of that size; elsewhere a notebook is stopped once over.
DISK_LIMIT_MB = 200
DISK_LIMIT_FILES = 10_000
# When grading runs as root, student code runs as an unprivileged user, one per worker:
# user ids SANDBOX_UID_BASE, SANDBOX_UID_BASE + 1, ... (no account needs to exist).
SANDBOX_UID_BASE = 61000
SANDBOX_GID = 65534  # nogroup

# The grading service: seconds between two full scans of the exchange's inbound folder (file-system
# events tell it of a submission at once; a scan finds one an event missed, or one made while it was
# down), and notebooks graded at once (None: one per core).
SERVICE_RESCAN_SECONDS = 10
SERVICE_JOBS = None
