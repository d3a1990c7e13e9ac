"""Splitting a class over machines, and joining the parts.

``grade --shard K/N`` grades a deterministic share of the submissions: those whose student
(or, outside nbgrader's layout, whose path) hashes to K - 1 modulo N.  A student's shard
depends only on their name and N, never on who else submitted, so the split is stable when
the class grows.  Without the flag, the batch scheduler says which part this is: Kubernetes
Indexed Jobs (``JOB_COMPLETION_INDEX``, from 0; N from ``JOB_COMPLETIONS``, which the manifest
sets) or Slurm job arrays (``SLURM_ARRAY_TASK_ID`` from ``SLURM_ARRAY_TASK_MIN``,
``SLURM_ARRAY_TASK_COUNT``).  A shard writes its records to a shard file; ``merge`` joins the
shard files, and only it writes the results, reports and gradebook (SQLite has one writer).
"""

import hashlib
import json
import os


class ShardError(Exception):
    """A shard specification or a set of shard files that cannot be used; says why."""


def parse(spec, environ=os.environ):
    """(K, N) from ``--shard K/N``, or from the scheduler's environment, or None."""
    if spec:
        try:
            k, n = (int(part) for part in spec.split("/"))
        except ValueError:
            raise ShardError(f"--shard takes K/N (for example 2/8), not {spec!r}") from None
    elif "JOB_COMPLETION_INDEX" in environ:
        if "JOB_COMPLETIONS" not in environ:
            raise ShardError(
                "JOB_COMPLETION_INDEX is set but not JOB_COMPLETIONS (the number of shards): "
                "set it in the Job's manifest, or pass --shard K/N"
            )
        k, n = int(environ["JOB_COMPLETION_INDEX"]) + 1, int(environ["JOB_COMPLETIONS"])
    elif "SLURM_ARRAY_TASK_ID" in environ:
        first = int(environ.get("SLURM_ARRAY_TASK_MIN", "0"))
        k, n = int(environ["SLURM_ARRAY_TASK_ID"]) - first + 1, int(environ["SLURM_ARRAY_TASK_COUNT"])
    else:
        return None
    if not 1 <= k <= n:
        raise ShardError(f"shard {k}/{n}: K must be between 1 and N")
    return k, n


def owner(submission, n):
    """The shard (1 to n) that grades a submission."""
    key = submission.student or os.path.normpath(submission.notebook)
    return int(hashlib.sha256(key.encode()).hexdigest(), 16) % n + 1


def select(submissions, k, n):
    """[(index in the whole class, submission)] of shard k of n."""
    return [(i, s) for i, s in enumerate(submissions) if owner(s, n) == k]


def write(path, k, n, total, graded):
    """The shard file: which shard, of how many, of how big a class, and its records with their
    place in the class and their feedback details."""
    data = {
        "shard": k,
        "of": n,
        "class_size": total,
        "records": [{"index": i, "record": r, "details": d} for i, (r, d) in graded],
    }
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(data, f)
    os.replace(tmp, path)


def merge(paths):
    """[(record, details)] of the whole class, in the order one run gives, from shard files;
    ShardError naming the missing shards when the set is incomplete."""
    shards, sizes = {}, set()
    for path in paths:
        try:
            with open(path) as f:
                data = json.load(f)
            k, n = data["shard"], data["of"]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ShardError(f"{path} is not a shard file ({type(exc).__name__})") from None
        if (k, n) in shards:
            raise ShardError(f"shard {k}/{n} is given twice ({shards[k, n][0]} and {path})")
        shards[k, n] = (path, data)
        sizes.add(data["class_size"])
    counts = {n for _, n in shards}
    if len(counts) > 1:
        raise ShardError(f"these shard files split the class in different ways: {sorted(counts)} shards")
    if len(sizes) > 1:
        raise ShardError("these shard files saw classes of different sizes: were the submissions changed between runs?")
    [n] = counts
    missing = [f"{k}/{n}" for k in range(1, n + 1) if (k, n) not in shards]
    if missing:
        raise ShardError(
            f"missing shard{'s' * (len(missing) > 1)} {', '.join(missing)}: run "
            f"`grade --shard K/{n}` for {'them' if len(missing) > 1 else 'it'} and merge again"
        )
    entries = sorted((e for _, data in shards.values() for e in data["records"]), key=lambda e: e["index"])
    if [e["index"] for e in entries] != list(range(sizes.pop())):
        raise ShardError("the shard files do not add up to the class (some submissions are missing or twice)")
    return [(e["record"], e["details"]) for e in entries]
