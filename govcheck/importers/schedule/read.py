"""Reading a project schedule file, whatever tool wrote it: the one public entry point.

The format is told from the content, never from the name: a Primavera P6 XER file starts with
`ERMHDR`; MS Project XML (MSPDI) is XML whose root is `Project` in MS Project's namespace.
After the format's own reader, every schedule is checked the same way: no two activities with
one key, every date in the accepted range (1980-01-01 to 2100-12-31), and every link between
activities of the file. Circular logic is NOT looked for here: it reads fine, and the
analysis reports it.
"""

from __future__ import annotations

import os
import re

from govcheck.errors import InputError
from govcheck.importers.schedule.common import FIRST_DATE, LAST_DATE, Limits, Where, check_range
from govcheck.importers.schedule.model import Activity, Format, Schedule
from govcheck.importers.schedule.mspdi import NOT_A_SCHEDULE, read_mspdi
from govcheck.importers.schedule.xer import read_xer
from govcheck.reading import escape_name, read_bytes

MAX_BYTES = 64 * 1024 * 1024
MAX_ACTIVITIES = 200_000
MAX_LINKS = 1_000_000

__all__ = ["FIRST_DATE", "LAST_DATE", "MAX_ACTIVITIES", "MAX_BYTES", "MAX_LINKS", "read_schedule"]

_XML = re.compile(rb"(?:\xef\xbb\xbf)?[ \t\r\n]*<|\xff\xfe|\xfe\xff")


def read_schedule(path: str | os.PathLike[str], name: str | None = None) -> Schedule:
    """The schedule in the file at `path`, shown to users as `name` (the path by default).

    Raises `InputError`, one located line, for anything that is not a readable schedule.
    """
    shown = escape_name(path) if name is None else name
    data = read_bytes(path, shown, limit=MAX_BYTES)
    limits = Limits(activities=MAX_ACTIVITIES, links=MAX_LINKS)
    reader = read_xer if detect(data, shown) == "xer" else read_mspdi
    schedule = reader(data, shown, limits)
    _check_keys(schedule)
    for activity in schedule.activities:
        _check_dates(activity, shown)
    _check_links(schedule)
    return schedule


def detect(data: bytes, name: str) -> Format:
    """The format of `data`, from its first bytes."""
    if not data or data.isspace():
        raise InputError(f"empty file: {NOT_A_SCHEDULE.partition(': ')[2]}", file=name)
    if data.removeprefix(b"\xef\xbb\xbf").startswith(b"ERMHDR"):
        return "xer"
    if _XML.match(data):
        return "mspdi"
    raise InputError(NOT_A_SCHEDULE, file=name)


def _check_keys(schedule: Schedule) -> None:
    if len(schedule.by_key) == len(schedule.activities):
        return
    first: dict[str, Activity] = {}
    for activity in schedule.activities:
        if activity.key in first:
            where = Where(schedule.path, activity.line)
            raise where.error(
                f"activity key {activity.key!r} is used twice (first on line {first[activity.key].line})"
            )
        first[activity.key] = activity


def _check_dates(activity: Activity, name: str) -> None:
    constraint = activity.constraint
    for field, day in (
        ("start", activity.start),
        ("finish", activity.finish),
        ("baseline_start", activity.baseline_start),
        ("baseline_finish", activity.baseline_finish),
        ("actual_start", activity.actual_start),
        ("actual_finish", activity.actual_finish),
        ("constraint date", None if constraint is None else constraint.date),
    ):
        if day is not None and not FIRST_DATE <= day <= LAST_DATE:
            where = Where(name, activity.line, field)
            check_range(day, where, f"activity {activity.label!r}:")


def _check_links(schedule: Schedule) -> None:
    by_key = schedule.by_key
    for link in schedule.links:
        for role, key in (("predecessor", link.predecessor), ("successor", link.successor)):
            if key not in by_key:
                where = Where(schedule.path, link.line, role)
                raise where.error(f"a link to activity {key!r}, which is not in the file")
