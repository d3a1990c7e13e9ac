"""The grading command.

    python -m autograder grade PATH [PATH ...] --json OUT.json
        [--jobs N] [--course ROOT] [--gradescope DIR] [--feedback DIR] [--report DIR]
        [--fresh] [--shard K/N] [--attempt N]
    python -m autograder merge SHARD.json [SHARD.json ...] --json OUT.json
        [--course ROOT] [--gradescope DIR] [--feedback DIR] [--report DIR]
    python -m autograder check NOTEBOOK
    python -m autograder export --canvas ROSTER.csv --json OUT.json CANVAS.csv [--course ROOT] [--match COLUMN]
    python -m autograder serve --exchange ROOT --course ROOT [--queue sqlite|redis://...] [--jobs N] [--worker]
    python -m autograder secret [--rotate]
    python -m autograder new NAME

``grade`` is for a class.
Writes one record per notebook to OUT.json (docs/records.md), prints the pass rate
of each task and saves a histogram of the scores beside OUT.json.  With ``--course`` it
also fills that nbgrader course's gradebook and autograded/ notebooks (formgrader and
``nbgrader export`` read them); with ``--gradescope`` it writes a Gradescope
``results.json`` per notebook (the one the Gradescope autograder writes: ``autograder.outputs.gradescope``).
With ``--feedback`` it writes one page per student
that explains every lost point, with the student's training curve beside the reference's;
with ``--report`` one page per assignment for the instructor: pass rates of every task and
check, the known mistakes and who made them, the common failures, the notebooks not graded and
the similar submissions (``autograder.outputs.class_report``).
An interrupted run resumes where it stopped when the same command runs again (``--fresh``
starts over).

With ``--shard K/N`` (or inside a Kubernetes Indexed Job or a Slurm job array) ``grade``
grades one share of the class into a shard file, and ``merge`` joins the shard files into
OUT.json and everything else ``grade`` writes (``autograder.runner.shards``).

``check`` is for a student or a self-learner: it grades one notebook as ``grade`` would,
prints a report per task and writes the feedback page beside the notebook.

``export --canvas`` writes CANVAS.csv for Canvas's gradebook import (Grades > Import): one
row per student of ROSTER.csv (Canvas's own gradebook export), one column per assignment of
OUT.json, students matched on SIS Login ID (``--match`` for another column), and lists the
students on one side only (``autograder.outputs.canvas``).

Each notebook is graded on hidden inputs of its own, derived from the course secret with its
student and ``--attempt`` (default ``final``, the inputs of the grade); without a secret, on the
fixed seed of course_config.py.  ``secret`` makes the secret file, or with ``--rotate`` a new one
for a new term (``autograder.grading.inputs``, docs/hidden-inputs.md).

``new`` writes a new assignment from the skeleton, one code task and one written answer, and
says what to run next (``autograder.cli.new``, docs/adding-an-assignment.md).

``serve`` is for a JupyterHub: it grades each submission of nbgrader's exchange as it arrives,
saves it in the course's gradebook and releases its feedback page to its student
(``autograder.service``, docs/hub.md).
"""

import logging
import os
import sys

from autograder import runner, sandbox
from autograder.cli import new
from autograder.cli.parser import parser as _parser
from autograder.grading import inputs
from autograder.outputs import canvas, feedback, files, plots, tables
from autograder.runner import journal, shards
from autograder.runner import submission as sub


def run():
    """The command line's entry point: ``main``, then an exit without the interpreter's
    teardown (a fifth of a second of freeing what matplotlib loaded; everything the command
    writes is closed by then)."""
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    logging.shutdown()
    os._exit(code or 0)


def main(argv=None):
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command == "new":
        return new.main(args.name)
    try:
        if args.command == "secret":
            path, digest, done = inputs.make(rotate=args.rotate)
            print(f"course secret {digest}: {done}, in {path} (keep it out of the repository and of every zip)")
            return 0
        inputs.secret()
    except inputs.SecretError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.command == "check":
        return check(parser, args)
    if args.command == "serve":
        return _serve(parser, args)
    if args.command == "export":
        try:
            lines = canvas.export(args.canvas, args.json, args.out, args.match, args.course)
        except canvas.ExportError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        for line in lines:
            _say(line)
        return 0
    out_dir = os.path.dirname(os.path.abspath(args.json))
    if not os.path.isdir(out_dir) or not os.access(out_dir, os.W_OK):
        parser.error(f"cannot write {args.json}: {out_dir} is not a writable folder")
    if args.course and not os.path.isfile(os.path.join(args.course, "gradebook.db")):
        parser.error(f"{args.course} has no gradebook.db: run `nbgrader generate_assignment` there first")
    if args.command == "merge":
        try:
            graded = shards.merge(args.shards)
        except shards.ShardError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        return _outputs(args, graded, _say)
    try:
        submissions = sub.find(args.paths, args.attempt)
        shard = shards.parse(args.shard)
    except (FileNotFoundError, shards.ShardError) as exc:
        parser.error(str(exc))
    if args.assignment:
        submissions = [s for s in submissions if s.assignment == args.assignment]
        if not submissions:
            parser.error(f"no notebook of {args.assignment} under {' '.join(args.paths)}")
    if shard and (args.course or args.gradescope or args.feedback or args.report):
        parser.error(
            "a shard writes only its shard file: give --course, --gradescope, --feedback and --report to `merge`"
        )
    class_size = len(submissions)
    chosen = shards.select(submissions, *shard) if shard else list(enumerate(submissions))
    submissions = [s for _, s in chosen]
    say = _say

    if sandbox.environment_problem():  # student code could not import: nothing is graded
        say(f"error: {sandbox.environment_problem()}")
        return 2
    if sandbox.warning():
        say(sandbox.warning())
    say(inputs.announce())
    graders = journal.fingerprint({s.assignment for s in submissions})
    keys = {s.notebook: journal.key(s, graders) for s in submissions}
    log = journal.Journal(args.json, fresh=args.fresh)
    todo = [s for s in submissions if keys[s.notebook] not in log.done]
    if len(todo) < len(submissions):
        say(
            f"resuming: {len(submissions) - len(todo)} of {len(submissions)} notebooks were graded "
            f"before (delete {log.path} or pass --fresh to regrade them)"
        )

    def progress(done, total, record, elapsed, details):
        log.add(keys[record["notebook"]], record, details)
        if not args.quiet:
            who = record["student"] or record["notebook"]
            score = "not graded" if record["error"] else f"{record['total']:g}/{record['max_total']:g}"
            eta = elapsed / done * (total - done)
            say(f"[{done}/{total}] {who}: {score}  ({elapsed:.0f} s, about {eta:.0f} s to go)")

    fresh = []
    if todo:
        # the workers import torch while this process reads the notebooks and loads what it draws with
        workers = runner.Workers(runner.jobs_for(len(todo), args.jobs))
        # what the histogram (and the pages) draw with is prepared on the first core that frees up
        prepare = None
        if not shard:
            pages = sorted({s.assignment for s in submissions}) if args.feedback else []
            prepare = lambda: plots.prepare_drawing(pages)  # noqa: E731
        try:
            fresh = runner.grade_all(todo, progress=progress, with_details=True, workers=workers, on_idle=prepare)
        except KeyboardInterrupt:
            log.close()
            say(
                f"interrupted: the records graded so far are kept in {log.path}; "
                "run the same command again to go on from there"
            )
            return 130
        except runner.WorkerFailed as exc:
            log.close()
            say(f"error: {exc}; the records graded so far are kept in {log.path}")
            return 2
        finally:
            workers.close()
    by_notebook = {r["notebook"]: (r, d) for r, d in fresh}
    graded = [by_notebook.get(s.notebook) or log.done[keys[s.notebook]] for s in submissions]
    if shard:
        shards.write(args.json, *shard, class_size, [(i, g) for (i, _), g in zip(chosen, graded)])
        log.finish()
        say(
            f"shard {shard[0]}/{shard[1]}: {len(graded)} of the class's {class_size} notebooks graded into "
            f"{args.json}; join the shards with `python -m autograder merge SHARD.json ... --json OUT.json`"
        )
        return 0
    return _outputs(args, graded, say, log)


def _say(text):
    print(text, file=sys.stderr, flush=True)


def _outputs(args, graded, say, log=None):
    """Every file the run was asked for (``autograder.outputs.files``), then the sandbox's
    warning once more, where the instructor reads last."""
    files.write_all(
        graded,
        args.json,
        pages=args.feedback,
        reports=args.report,
        results=args.gradescope,
        course=args.course,
        say=say,
        on_written=log.finish if log else None,
    )
    if sandbox.warning():
        say(sandbox.warning())
    return 0


def _serve(parser, args):
    from autograder import service  # only the service needs huey and watchdog

    if not args.worker and not os.path.isfile(os.path.join(args.course, "gradebook.db")):
        parser.error(f"{args.course} has no gradebook.db: run `nbgrader generate_assignment` there first")
    if sandbox.environment_problem():
        _say(f"error: {sandbox.environment_problem()}")
        return 2
    if sandbox.warning():
        _say(sandbox.warning())
    _say(inputs.announce())
    role = "worker" if args.worker else "all"
    service.serve(args.exchange, args.course, args.queue, args.state, args.jobs, role, say=_say)
    return 0


def check(parser, args):
    """One notebook, graded as the class is, reported per task."""
    if not os.path.isfile(args.notebook):
        parser.error(f"no such notebook: {args.notebook}")
    if sandbox.environment_problem():
        print(f"error: {sandbox.environment_problem()}", file=sys.stderr)
        return 2
    if sandbox.warning():
        print(sandbox.warning(), file=sys.stderr)
    submissions = sub.find([args.notebook])
    # the worker imports torch while this process prepares the feedback page's drawing
    with runner.Workers(1) as workers:
        plots.prepare_drawing([submissions[0].assignment])
        [(record, details)] = runner.grade_all(submissions, with_details=True, workers=workers)
    print(tables.text_report(record))
    page = feedback.feedback_html(record, details)
    if args.html:  # a page the user named: what it held is kept as a dated copy first
        html = args.html
        files.write_page(html, page, say=print)
    else:  # check's own page beside the notebook, rewritten at every check
        html = os.path.splitext(args.notebook)[0] + ".feedback.html"
        with open(html, "w") as f:
            f.write(page)
    print(f"\nfeedback page with your training curve: {html}")
    return 0
