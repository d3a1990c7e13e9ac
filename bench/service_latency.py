"""The grading service (``python -m autograder serve``): how soon a student's feedback is out
after Submit, for one student and for a class, against the same class through nbgrader by hand,
and what the service with its warm workers holds in memory.

Real Unix users (made here, marked in their comment, removed at the end) submit, as themselves,
into an exchange that the service watches, as on a course hub:

1. an idle service: ``--singles`` submissions with ``nbgrader submit``, one after another (each
   once the previous one's feedback is out), right and wrong notebooks in turn.  Latency from the submission's own
   timestamp (nbgrader's, taken when ``nbgrader submit`` starts copying) to the ledger's ``done``
   (the gradebook and the page written), and from ``nbgrader submit``'s return to the page's
   appearing in the exchange (looked for every 20 ms);
2. a class: ``--students`` users submitting at random moments within ``--window`` seconds:
   each one's latency, and when the last feedback was out, counting from the first submission.
   Each student submits from a warm process of their own that runs nbgrader's ExchangeSubmit,
   as the Assignments tab's Submit does in the student's server; with ``--cli``, with
   ``nbgrader submit``, whose start-up (2 s of CPU each, 30 in a minute on 2 cores) then
   competes with the grading and delays the submissions themselves;
3. the same submissions through nbgrader by hand, in a course and exchange of their own: ``collect``,
   ``autograde``, ``generate_feedback``, ``release_feedback``, as the instructor runs them;
4. the memory of the service and all its processes (PSS from /proc/<pid>/smaps_rollup, RSS
   beside it): idle once its workers are warm, and the peak under the class (every 0.2 s).

It prints figures, goals and ratios, and asserts none: timings depend on the machine and its
load that day.  Root only (real users, the sandbox).

    .venv/bin/python bench/service_latency.py [--students 30] [--singles 20] [--jobs 2] [--cli] [--skip-by-hand]
"""

import argparse
import json
import math
import os
import random
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from autograder.nbgrader import course  # noqa: E402
from autograder.outputs import gradebook  # noqa: E402
from autograder.service.ledger import FINAL  # noqa: E402
from bench import service_memory as memory  # noqa: E402
from bench import service_parts as parts  # noqa: E402
from tests.unix_users import problem  # noqa: E402

WAIT = 900  # seconds to wait for what should come; the figures never depend on it
WHERE = (  # the parts of a single submission's latency: (name, from, to)
    ("nbgrader submit's start-up, before its timestamp", "started", "ts"),
    ("its timestamp to its return", "ts", "returned"),
    ("timestamp to queued", "ts", "seen"),
    ("queued to written out", "seen", "done"),
)


def pct(values, p):
    """The ``p`` percentile (nearest rank) of ``values``."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def spread(values):
    return f"p50 {pct(values, 50):5.2f} s   p95 {pct(values, 95):5.2f} s   max {max(values):5.2f} s"


def load():
    """The machine's load average: other work on it shows in every figure."""
    return "load average (1, 5, 15 min): " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


def wait_until(condition, what):
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.02)
    raise RuntimeError(f"never: {what}")


def score(row):
    record = json.loads(row["record"]) if row.get("record") else None
    return f"{record['total']:g}/{record['max_total']:g}" if record and not record["error"] else row["state"]


def singles(klass, users, n):
    """n submissions, each once the previous one's page is out: [{...}] per submission."""
    out = []
    for i, (what, text) in enumerate(parts.notebooks(klass.assignment, n)):
        student = users[i % len(users)]
        klass.place(student, text)
        before = {s.id for s in klass.submissions(student)}
        started, returned = klass.submit(student)
        [new] = [s for s in klass.submissions(student) if s.id not in before]
        page = klass.page(new)
        wait_until(lambda: os.path.exists(page), f"the page of {new.id}")
        appeared = time.time()
        row = wait_until(lambda: (klass.ledger().get(new.id) or {}).get("done") and klass.ledger()[new.id], "done")
        out.append(
            dict(row, what=what, ts=parts.epoch(new.timestamp), started=started, returned=returned, appeared=appeared)
        )
        print(
            f"  {i + 1:2d} {student} {what:32s} {score(row):>9s}  {row['done'] - out[-1]['ts']:5.2f} s "
            f"(submit returned after {returned - out[-1]['ts']:4.2f} s, page {appeared - returned:4.2f} s later)",
            flush=True,
        )
    return out


def a_class(klass, users, window, seed, submitting):
    """Each of ``users`` submits once (``submitting(student)``) at a random moment within ``window``
    seconds: (rows, the peak memory under it, when each submit started, when it returned)."""
    rng = random.Random(seed)
    offsets = sorted(rng.uniform(0, window) for _ in users)
    for student, (_, text) in zip(users, parts.notebooks(klass.assignment, len(users))):
        klass.place(student, text)  # before the clock starts: a student's notebook is ready
    started, returned, errors = {}, {}, []

    def submit(student, at):
        time.sleep(max(0.0, at - time.time()))
        try:
            started[student], returned[student] = submitting(student)
        except Exception as exc:  # noqa: BLE001 - said below; the others go on
            errors.append(f"{student}: {exc}")

    sampler = memory.Sampler(klass.service.proc.pid)
    start = time.time()
    threads = [threading.Thread(target=submit, args=(s, start + o)) for s, o in zip(users, offsets)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        print("  submissions that failed:\n  " + "\n  ".join(errors))

    def finished():
        rows = [r for r in klass.ledger().values() if r["student"] in users and r["state"] in FINAL]
        return rows if len(rows) == len(returned) else None

    rows = wait_until(finished, "every submission of the class written out")
    return rows, sampler.stop(), started, returned


def by_hand(klass, ids):
    """The same submissions through nbgrader by hand: {step: seconds}, and the hand course."""
    hand = parts.Course(klass.assignment)
    parts.copy_submissions(ids, klass.inbound, hand.inbound)
    exchange = f"--Exchange.root={hand.exchange}"
    steps = {}
    for step, extra in (
        ("collect", [exchange]),
        ("autograde", []),
        ("generate_feedback", []),
        ("release_feedback", [exchange]),
    ):
        start = time.monotonic()
        proc = course.nbgrader(hand.root, step, klass.assignment, *extra, check=False)
        steps[step] = time.monotonic() - start
        print(f"  nbgrader {step:18s} {steps[step]:6.1f} s", flush=True)
        if proc.returncode != 0:
            print(f"  nbgrader {step} failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    return steps, hand


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=30, help="the class: users who submit within --window")
    parser.add_argument("--singles", type=int, default=20, help="submissions one after another on an idle service")
    parser.add_argument("--jobs", type=int, default=os.cpu_count(), help="the service's warm workers")
    parser.add_argument("--window", type=float, default=60.0, help="seconds over which the class submits")
    parser.add_argument("--assignment", default="rnn_sum")
    parser.add_argument("--seed", type=int, default=23, help="of the moments the class submits")
    parser.add_argument(
        "--cli",
        action="store_true",
        help="the class submits with nbgrader's command line (its start-up, 2 s of CPU each, competes with "
        "grading) rather than from a warm process per student, as a hub's Submit button does",
    )
    parser.add_argument("--skip-by-hand", action="store_true", help="leave out the class through nbgrader by hand")
    args = parser.parse_args()
    if os.geteuid() != 0:
        print("bench/service_latency.py needs root: it makes real Unix users and runs the sandbox", file=sys.stderr)
        return 2
    why = problem()
    if why:
        print(f"bench/service_latency.py cannot run here: {why}", file=sys.stderr)
        return 2
    single_users = [f"svbench-s{i}" for i in range(1, 4)]
    class_users = [f"svbench-c{i:02d}" for i in range(1, args.students + 1)]
    made, service, submitters, base = [], None, None, parts.private_tmp()
    try:
        for name in single_users + class_users:
            parts.make_user(name)
            made.append(name)
        klass = parts.Course(args.assignment)
        print(f"{len(made)} users, {os.cpu_count()} cores, the service with --jobs {args.jobs}; {load()}", flush=True)
        start = time.monotonic()
        service = klass.service = parts.Service(klass, args.jobs)
        service.wait_for("^serving:")
        ready = time.monotonic() - start
        idle = memory.settle(service.proc.pid)
        print(
            f"service serving after {ready:.1f} s; idle with warm workers: {idle[0]:.0f} MiB PSS ({idle[2]} processes)"
        )

        print(f"\n1. {args.singles} submissions one after another on an idle service", flush=True)
        one = singles(klass, single_users, args.singles)
        latency = [r["done"] - r["ts"] for r in one]
        to_page = [r["appeared"] - r["returned"] for r in one]
        print(f"  submission's timestamp to feedback written: {spread(latency)}   (goal: p50 < 3 s, p95 < 10 s)")
        print(f"  nbgrader submit returned to page in the exchange: {spread(to_page)}")
        median = {k: pct([r[b] - r[a] for r in one], 50) for k, a, b in WHERE}
        print("  where it goes (medians): " + ", ".join(f"{k} {v:.2f} s" for k, v in median.items()))

        print(f"\n2. {args.students} students submitting within {args.window:g} s", flush=True)
        if args.cli:
            submitting, how = klass.submit, "nbgrader submit, the command line"
        else:
            submitters = parts.Submitters(klass, class_users)
            submitting, how = submitters.submit, "a warm process each, as a hub's Submit button"
            time.sleep(5)  # their start-up over
        print(f"  submitting with {how}", flush=True)
        rows, peak, started, returned = a_class(klass, class_users, args.window, args.seed, submitting)
        ts = {r["id"]: parts.epoch(r["timestamp"]) for r in rows}
        lat = [r["done"] - ts[r["id"]] for r in rows]
        first, last_sub = min(ts.values()), max(ts.values())
        last = max(rows, key=lambda r: r["done"])
        all_out = last["done"] - first
        tail = last["done"] - last_sub
        states = sorted({r["state"] for r in rows})
        print(f"  {len(rows)} written out ({', '.join(states)}), submitted over {last_sub - first:.1f} s")
        print(
            f"  latency: {spread(lat)}; the last feedback out: {last['done'] - ts[last['id']]:.2f} s after its submit"
        )
        print(f"  the last feedback out {all_out:.1f} s after the first submission (goal: all within 120 s)")
        print(f"  {tail:.1f} s after the last submission")
        startup = [ts[r["id"]] - started[r["student"]] for r in rows if r["student"] in started]
        print(f"  submit's start-up (before its timestamp) under this load: {spread(startup)}")
        pressed = last["done"] - min(started.values())
        print(f"  the last feedback out {pressed:.1f} s after the first student's nbgrader submit started")
        after = memory.settle(service.proc.pid)
        print(
            f"4. memory (PSS, RSS beside it): idle {idle[0]:.0f} MiB ({idle[1]:.0f} RSS), peak under the class "
            f"{peak[0]:.0f} MiB ({peak[1]:.0f} RSS, {peak[2]} processes), idle after it {after[0]:.0f} MiB",
            flush=True,
        )
        service.stop()
        service = None

        steps = None
        if not args.skip_by_hand:
            print(f"\n3. the same {len(rows)} submissions through nbgrader by hand", flush=True)
            steps, hand = by_hand(klass, [r["id"] for r in rows])
            total = sum(steps.values())
            released = len(os.listdir(os.path.join(hand.exchange, parts.COURSE, "feedback")))
            same = gradebook.scores(klass.root, klass.assignment, total=True)
            theirs = gradebook.scores(hand.root, klass.assignment, total=True)
            agree = sum(same.get(s, {}).get("score") == theirs.get(s, {}).get("score") for s in class_users)
            print(f"  total {total:.1f} s, {released} pages released; same total score both ways: {agree}/{len(rows)}")
            print(
                f"  by hand, after the last submission: {total:.1f} s against the service's {tail:.1f} s "
                f"({total / tail:.1f}x); against the service's first-submission-to-last-feedback "
                f"{all_out:.1f} s: {total / all_out:.2f}x"
            )

        print("\nsummary")
        print(f"  {'one submission, idle service':44s} p50 {pct(latency, 50):6.2f} s  p95 {pct(latency, 95):6.2f} s")
        print(f"  {'  goal':44s} p50 < 3 s      p95 < 10 s")
        many = f"{len(rows)} students within {args.window:g} s"
        print(f"  {many:44s} p50 {pct(lat, 50):6.2f} s  p95 {pct(lat, 95):6.2f} s")
        print(f"  {'  last feedback, from the first submission':44s} {all_out:6.1f} s   (goal < 120 s)")
        if steps:
            line = ", ".join(f"{k} {v:.1f}" for k, v in steps.items())
            print(f"  {'  by hand after the last submission':44s} {total:6.1f} s   ({line})")
            print(f"  {'  the service after the last submission':44s} {tail:6.1f} s   (by hand {total / tail:.1f}x)")
        print(f"  {'memory, idle / peak (PSS)':44s} {idle[0]:6.0f} / {peak[0]:.0f} MiB")
        print(f"  {load()}")
        return 0
    finally:
        if submitters:
            submitters.close()
        if service:
            service.stop()
        for name in made:
            parts.remove_user(name)
        parts.remove(base)


if __name__ == "__main__":
    sys.exit(main())
