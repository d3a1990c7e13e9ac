"""Deadlines and late work, as nbgrader rules them: one deadline per assignment (course_config.py's
``deadline``, which the kit also writes into nbgrader's gradebook as the assignment's due date),
a late policy (``late_policy``: what nbgrader's LateSubmissionPlugin offers, "none" and "zero",
and "per_hour"), and the time each route says a notebook was handed in (nbgrader's timestamp.txt,
the exchange's folder name, Gradescope's metadata).

A late record carries ``"late": {"seconds", "penalty"}``; its ``total`` stays the sum of its tasks
and the penalty is apart from it, as nbgrader keeps a notebook's ``late_submission_penalty`` apart
from its score.  What leaves the kit as a grade is ``grade(record)``.  Every route computes the
penalty here (``nbgrader autograde`` too, through the kit's plugin), so the same lateness loses the
same points on each.
"""

import datetime
import math
import zoneinfo

from autograder import settings as config

UTC = datetime.timezone.utc
_NO_POLICY = {"method": "none"}


def due(assignment) -> datetime.datetime | None:
    """When ``assignment`` is due (aware, UTC), or None: it has no deadline."""
    deadline = config.ASSIGNMENTS[assignment].get("deadline")
    return None if deadline is None else parse_time(deadline)


def parse_time(text) -> datetime.datetime:
    """A time as the routes write it, aware and in UTC: nbgrader's timestamps ("2026-12-04
    14:46:27.123456 UTC", a numeric offset "-0800" or a zone's name in its place; timestamp.txt
    and the exchange's folder names), or ISO 8601 ("2026-12-04T14:46:27-08:00", Gradescope's
    ``created_at``); a time without a zone is UTC, as nbgrader's ``parse_utc`` takes it.  A
    datetime is taken as it is.  ValueError when the text is no time."""
    if isinstance(text, datetime.datetime):
        when = text
    else:
        parts = str(text).strip().split(" ")
        zone = None
        if len(parts) == 3:  # nbgrader's "<date> <time> <zone>"
            parts, zone = parts[:2], _zone(parts[2])
        when = datetime.datetime.fromisoformat(" ".join(parts))
        if zone is not None:
            when = when.replace(tzinfo=zone)
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC)


def _zone(name):
    """The zone of nbgrader's timestamp: "UTC", a numeric offset ("+0100", "-08:00") or a zone's name."""
    if name.upper() in ("UTC", "GMT", "Z"):
        return UTC
    if name[:1] in "+-" and name[1:].replace(":", "").isdigit():
        digits = name[1:].replace(":", "")
        offset = datetime.timedelta(hours=int(digits[:2]), minutes=int(digits[2:4] or 0))
        return datetime.timezone(-offset if name[0] == "-" else offset)
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"not a time zone: {name!r}") from None


def policy(assignment):
    """The assignment's late policy (course_config.py's ``late_policy``; absent: "none")."""
    return config.ASSIGNMENTS[assignment].get("late_policy") or _NO_POLICY


def penalty(assignment, seconds, max_total) -> float:
    """The points work ``seconds`` late loses under the assignment's policy, out of ``max_total``
    (its graded points): none, all of them, or ``per_hour`` of them per started hour; never more
    than ``max_total``.  What the kit's nbgrader plugin gives nbgrader, too."""
    if seconds <= 0:
        return 0.0
    rule = policy(assignment)
    if rule["method"] == "zero":
        lost = max_total
    elif rule["method"] == "per_hour":
        lost = math.ceil(seconds / 3600) * rule["per_hour"] * max_total
    else:
        lost = 0.0
    return round(min(float(max_total), float(lost)), 6)  # 3 * 0.1 * 10 is 3, not 3.0000000000000004


def late(assignment, handed_in, max_total, due_at=None) -> dict | None:
    """A record's ``"late"``: {"seconds" late, "penalty" in points} when ``handed_in`` (a time
    ``parse_time`` reads) is after the deadline, ``due_at`` where given (Gradescope's per-student due
    date), else the assignment's; None when on time (exactly at the deadline is on time), without a
    deadline, or when nothing says when it was handed in."""
    if handed_in is None:
        return None
    deadline = due(assignment) if due_at is None else parse_time(due_at)
    if deadline is None:
        return None
    seconds = (parse_time(handed_in) - deadline).total_seconds()
    if seconds <= 0:
        return None
    return {"seconds": seconds, "penalty": penalty(assignment, seconds, max_total)}


def grade(record) -> float:
    """The points a record gives as a grade (a gradebook's, an export's): its total less its late
    penalty, never below 0."""
    lost = (record.get("late") or {}).get("penalty", 0.0)
    return max(0.0, float(record["total"]) - lost)


def describe(late_info) -> str:
    """How tables and pages say a record's lateness: "3 h 20 min late, -2.5", "" when on time."""
    if not late_info:
        return ""
    minutes = math.ceil(late_info["seconds"] / 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    spans = [f"{days} d"] * bool(days) + [f"{hours} h"] * bool(hours) + [f"{minutes} min"] * bool(minutes)
    lost = f", -{late_info['penalty']:g}" if late_info["penalty"] else ""
    return f"{' '.join(spans)} late{lost}"
