"""The text an MSPDI stream kept (`mspdi.Raw`), interpreted as a `Schedule`.

Choices made where MSPDI does not say everything the model holds:

* **Level of effort**: MSPDI has no level-of-effort flag, so none is recognised: a task is a
  summary (`Summary` 1), a milestone (`Milestone` 1) or else a task.
* **Durations** are written in hours (`PT40H0M0S`) whatever their display format. Working
  hours become days by the project's `MinutesPerDay` (default 480), as MS Project itself
  converts them, the same for every calendar (so every calendar's `hours_per_day` is the
  project's). An **elapsed** duration (formats em, eh, ed, ew, emo and their estimated forms)
  counts every hour of every day: it is converted in proportion to the working week of the
  activity's calendar (7 elapsed days on a Monday-to-Friday calendar are 5 working days), an
  approximation.
* **Lags** (`LinkLag`, tenths of a minute of working time) become days by `MinutesPerDay`;
  elapsed lags are converted like elapsed durations, on the project calendar. A **percentage
  lag** (`LagFormat` 19, 20, 51 or 52, where `LinkLag` holds the percentage) is approximated
  as that percentage of the predecessor's duration, which is what MS Project means by it,
  fixed at the time the file is read.
* **Total slack** (`TotalSlack`) is in tenths of a minute, converted like a lag.
* **Baseline**: baseline 0 only (`Baseline` with `Number` 0).
* **Must finish by**: MSPDI has no project deadline, so it is never set.
"""

from __future__ import annotations

import datetime as dt
import re
from types import MappingProxyType
from typing import TYPE_CHECKING

from govcheck.importers.schedule.common import (
    BadValue,
    Where,
    check_range,
    default_calendar,
    number_of,
    parse_date,
    parse_number,
    positive,
)
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
from govcheck.importers.schedule.mspdi_calendar import build_calendars

if TYPE_CHECKING:
    from govcheck.importers.schedule.mspdi import Raw

SKIPPED = "#skipped"  # marks a task not read (no element has this name), so its links go too

CONSTRAINTS = MappingProxyType(
    {
        1: ConstraintType.as_late_as_possible,
        2: ConstraintType.must_start_on,
        3: ConstraintType.must_finish_on,
        4: ConstraintType.start_no_earlier_than,
        5: ConstraintType.start_no_later_than,
        6: ConstraintType.finish_no_earlier_than,
        7: ConstraintType.finish_no_later_than,
    }
)  # 0 is as soon as possible: no constraint
LINK_TYPES: MappingProxyType[int, LinkType] = MappingProxyType({0: "FF", 1: "FS", 2: "SF", 3: "SS"})
ELAPSED = frozenset({4, 6, 8, 10, 12, 20, 36, 38, 40, 42, 44, 52})
PERCENT = frozenset({19, 20, 51, 52})
DAYS = 7  # the duration format "d"

_NUMBER = r"(\d+(?:\.\d+)?)"
_DURATION = re.compile(rf"(-)?P(?:{_NUMBER}D)?(?:T(?:{_NUMBER}H)?(?:{_NUMBER}M)?(?:{_NUMBER}S)?)?")


def hours_of(text: str) -> float:
    """The hours of an XML duration such as `PT40H0M0S` (a day, `D`, being 24 hours)."""
    match = _DURATION.fullmatch(text)
    if match is None:
        raise BadValue(f"not a duration such as PT40H0M0S: {text[:40]!r}")
    sign, days, hours, minutes, seconds = match.groups()
    total = float(days or 0) * 24 + float(hours or 0) + float(minutes or 0) / 60 + float(seconds or 0) / 3600
    return -total if sign else total


class _Reader:
    """Values read from kept text, each distinct text parsed once, errors located."""

    __slots__ = ("calendars", "dates", "durations", "integers", "minutes", "name", "project", "resources")

    def __init__(self, name: str, minutes: float, calendars: dict[str, Calendar], project: str) -> None:
        self.name, self.minutes, self.calendars, self.project = name, minutes, calendars, project
        self.dates: dict[str, dt.date | None] = {}
        self.durations: dict[str, float] = {}
        self.integers: dict[str, int] = {}
        self.resources: dict[str, int] = {}

    def date(self, fields: dict[str, str], tag: str, line: int) -> dt.date | None:
        text = fields.get(tag)
        if text is None:
            return None
        try:
            return self.dates[text]
        except KeyError:
            day = self.dates[text] = parse_date(text, Where(self.name, line, tag))
            return day

    def number(self, fields: dict[str, str], tag: str, line: int) -> float | None:
        text = fields.get(tag)
        if text is None:
            return None
        try:
            return number_of(text)
        except BadValue as exc:
            raise Where(self.name, line, tag).error(str(exc)) from None

    def integer(self, fields: dict[str, str], tag: str, line: int, default: int) -> int:
        text = fields.get(tag)
        if text is None or text.isspace() or not text:
            return default
        try:
            return self.integers[text]
        except KeyError:
            pass
        try:
            value = self.integers[text] = int(text)
        except ValueError:
            raise Where(self.name, line, tag).error(f"not a whole number: {text.strip()[:40]!r}") from None
        return value

    def days(
        self, fields: dict[str, str], tag: str, line: int, form: int, calendar: Calendar
    ) -> float | None:
        text = fields.get(tag, "").strip()
        if not text:
            return None
        hours = self.durations.get(text)
        if hours is None:
            try:
                hours = self.durations[text] = hours_of(text)
            except BadValue as exc:
                raise Where(self.name, line, tag).error(str(exc)) from None
        if form in ELAPSED:
            return hours / 24 * len(calendar.workdays) / 7
        return hours * 60 / self.minutes


def build(raw: Raw, name: str) -> Schedule:
    assert raw.project is not None
    project, line = raw.project.fields, raw.project.line
    minutes = positive(
        parse_number(project.get("MinutesPerDay", ""), Where(name, line, "MinutesPerDay")), 480.0
    )
    calendars = build_calendars(raw.calendars, name, minutes / 60)
    key = project.get("CalendarUID", "").strip()
    if key not in calendars:
        if key not in ("", "-1"):
            raise Where(name, line, "CalendarUID").error(f"the project calendar {key!r} is not defined")
        key = next(iter(calendars), "standard")
        calendars.setdefault(key, default_calendar(key, minutes / 60))
    read = _Reader(name, minutes, calendars, key)
    read.resources = raw.resources
    activities = [_activity(read, line, fields) for line, fields in raw.tasks]
    durations = {activity.key: activity.duration for activity in activities}
    links = [
        _link(read, task, line, fields, durations) for task, line, fields in raw.links if SKIPPED not in task
    ]
    dates = {tag: read.date(project, tag, line) for tag in ("StatusDate", "StartDate")}
    for tag, day in dates.items():
        check_range(day, Where(name, line, tag), "date")
    return Schedule(
        path=name,
        format="mspdi",
        name=project.get("Name", "").strip() or project.get("Title", "").strip(),
        calendar=key,
        calendars=calendars,
        activities=tuple(activities),
        links=tuple(links),
        status_date=dates["StatusDate"],
        start=dates["StartDate"],
    )


def _activity(read: _Reader, line: int, fields: dict[str, str]) -> Activity:
    key = fields.get("UID", "").strip()
    if not key:
        raise Where(read.name, line, "UID").error("a task without a UID")
    calendar = fields.get("CalendarUID", "").strip()
    if calendar in ("", "-1"):
        calendar = ""
    elif calendar not in read.calendars:
        raise Where(read.name, line, "CalendarUID").error(f"calendar {calendar!r} is not defined")
    on = read.calendars[calendar or read.project]
    form = read.integer(fields, "DurationFormat", line, DAYS)
    slack = read.number(fields, "TotalSlack", line)
    date = read.date
    return Activity(
        key=key,
        id=fields.get("ID", "").strip(),
        name=fields.get("Name", "").strip(),
        kind=_kind(fields),
        line=line,
        duration=read.days(fields, "Duration", line, form, on) or 0.0,
        remaining=read.days(fields, "RemainingDuration", line, form, on),
        baseline_duration=read.days(
            fields, "BaselineDuration", line, read.integer(fields, "BaselineDurationFormat", line, form), on
        ),
        start=date(fields, "Start", line),
        finish=date(fields, "Finish", line),
        baseline_start=date(fields, "BaselineStart", line),
        baseline_finish=date(fields, "BaselineFinish", line),
        actual_start=date(fields, "ActualStart", line),
        actual_finish=date(fields, "ActualFinish", line),
        percent_complete=read.number(fields, "PercentComplete", line) or 0.0,
        constraint=_constraint(read, fields, line),
        calendar=calendar or None,
        resources=read.resources.get(key, 0),
        total_float=None if slack is None else slack / 10 / read.minutes,
    )


def _kind(fields: dict[str, str]) -> Kind:
    if fields.get("Summary", "").strip() in ("1", "true"):
        return Kind.summary
    if fields.get("Milestone", "").strip() in ("1", "true"):
        return Kind.milestone
    return Kind.task


def _constraint(read: _Reader, fields: dict[str, str], line: int) -> Constraint | None:
    code = read.integer(fields, "ConstraintType", line, 0)
    if code == 0:
        return None
    kind = CONSTRAINTS.get(code)
    if kind is None:
        raise Where(read.name, line, "ConstraintType").error(f"unknown constraint type {code}")
    day = None if kind is ConstraintType.as_late_as_possible else read.date(fields, "ConstraintDate", line)
    return Constraint(kind, day)


def _link(
    read: _Reader, task: dict[str, str], line: int, fields: dict[str, str], durations: dict[str, float]
) -> Link:
    predecessor = fields.get("PredecessorUID", "").strip()
    if not predecessor:
        raise Where(read.name, line, "PredecessorUID").error("a predecessor link without a PredecessorUID")
    code = read.integer(fields, "Type", line, 1)
    kind = LINK_TYPES.get(code)
    if kind is None:
        raise Where(read.name, line, "Type").error(f"unknown link type {code}")
    value = read.number(fields, "LinkLag", line) or 0.0
    form = read.integer(fields, "LagFormat", line, DAYS)
    if form in PERCENT:
        lag = value / 100 * durations.get(predecessor, 0.0)
    elif form in ELAPSED:
        lag = value / 10 / 60 / 24 * len(read.calendars[read.project].workdays) / 7
    else:
        lag = value / 10 / read.minutes
    return Link(predecessor, task.get("UID", "").strip(), kind, lag, line)
