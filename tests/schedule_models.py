"""Small schedules built straight from the model, for the critical path, DCMA and comparison tests."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from collections.abc import Iterable
from types import MappingProxyType
from typing import Any

from govcheck.importers.schedule.cpm import analyse
from govcheck.importers.schedule.model import (
    Activity,
    Calendar,
    Constraint,
    ConstraintType,
    Kind,
    Link,
    LinkType,
    Schedule,
)

STANDARD = Calendar("std", "Standard")  # Monday to Friday


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def calendar(key: str, *, workdays: Iterable[int] = range(5), holidays: Iterable[str] = ()) -> Calendar:
    return Calendar(key, key, frozenset(workdays), frozenset(day(h) for h in holidays))


def activity(key: str, kind: Kind, duration: float, **fields: Any) -> Activity:
    """An activity whose ID is its key and whose name is its kind, so its label is e.g. `A task`."""
    fields.setdefault("id", key)
    return Activity(key=key, name=kind.value, kind=kind, line=0, duration=duration, **fields)


def task(key: str, duration: float, **fields: Any) -> Activity:
    return activity(key, Kind.task, duration, **fields)


def milestone(key: str, **fields: Any) -> Activity:
    return activity(key, Kind.milestone, 0, **fields)


def constraint(kind: str, on: str) -> Constraint:
    return Constraint(ConstraintType(kind), day(on))


def link(predecessor: str, successor: str, kind: LinkType = "FS", lag: float = 0.0) -> Link:
    return Link(predecessor, successor, kind, lag)


def chain(*keys: str) -> list[Link]:
    return [link(a, b) for a, b in itertools.pairwise(keys)]


def schedule(
    activities: Iterable[Activity],
    links: Iterable[Link] = (),
    *,
    calendars: Iterable[Calendar] = (),
    project_calendar: Calendar = STANDARD,
    status: str | None = None,
    start: str | None = None,
    must_finish_by: str | None = None,
) -> Schedule:
    """A schedule with activities numbered by file line in the order given."""
    numbered = tuple(dataclasses.replace(a, line=n) for n, a in enumerate(activities, start=1))
    known = {c.key: c for c in (project_calendar, *calendars)}
    return Schedule(
        path="plan.xml",
        format="mspdi",
        name="plan",
        calendar=project_calendar.key,
        calendars=known,
        activities=numbered,
        links=tuple(links),
        status_date=None if status is None else day(status),
        start=None if start is None else day(start),
        must_finish_by=None if must_finish_by is None else day(must_finish_by),
    )


def with_dates(plan: Schedule) -> Schedule:
    """The schedule with each task's and milestone's reported start and finish set to its critical-path
    early dates (actual dates kept), as a scheduling tool would have written them."""
    timings = analyse(plan).timings

    def dated(activity: Activity) -> Activity:
        timing = timings.get(activity.key)
        if timing is None:
            return activity
        start = activity.actual_start or timing.early_start
        finish = activity.actual_finish or timing.early_finish
        return dataclasses.replace(activity, start=start, finish=finish)

    return dataclasses.replace(
        plan, activities=tuple(dated(a) for a in plan.activities), by_key=MappingProxyType({})
    )
