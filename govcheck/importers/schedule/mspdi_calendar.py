"""MSPDI calendars: working weekdays, exceptions in both of MS Project's forms, base calendars.

* Weekdays: `WeekDays/WeekDay` with `DayType` 1 to 7 (Sunday to Saturday) and `DayWorking`.
* Exceptions, older form: a `WeekDay` with `DayType` 0 and a `TimePeriod` (`FromDate` to
  `ToDate`, every day of it). MS Project 2007 and later write `Exceptions/Exception` instead
  (often as well), with a recurrence: `Type` 1 daily (every `Period` days), 2 yearly on a day
  of a month, 3 yearly on a position (the fourth Thursday of November), 4 monthly on a day,
  5 monthly on a position, 6 weekly on `DaysOfWeek`, 7 and 8 daily and weekly ended by a count
  (`Occurrences`, which also ends the others when `EnteredByOccurrences` is 1). Every day an
  exception covers becomes a holiday (`DayWorking` 0) or a working day (`DayWorking` 1).
* A calendar with a `BaseCalendarUID` takes its base's weekdays and exceptions and overrides
  them with its own (resource calendars work this way).
* Alternative work weeks (`WorkWeeks`) are not read: the default week applies all year.

Exception dates must lie in the accepted date range, and the days all exceptions of a file
cover are limited (`MAX_EXCEPTION_DAYS`), so a recurrence cannot be made to run away.
"""

from __future__ import annotations

import datetime as dt
from calendar import monthrange
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import TYPE_CHECKING

from govcheck.importers.schedule.common import (
    MAX_EXCEPTION_DAYS,
    MONDAY_TO_FRIDAY,
    Budget,
    Where,
    check_range,
    parse_date,
    split_exceptions,
)
from govcheck.importers.schedule.model import Calendar

if TYPE_CHECKING:
    from govcheck.importers.schedule.mspdi import Record

MAX_BASE_DEPTH = 32
_DAY = dt.timedelta(days=1)


@dataclass(slots=True)
class _Own:
    """One calendar as written, before its base calendar is applied."""

    name: str
    base: str
    line: int
    days: dict[int, bool] = field(default_factory=dict)  # date.weekday() -> working
    exceptions: dict[dt.date, bool] = field(default_factory=dict)  # day -> working


def build_calendars(records: list[Record], name: str, hours_per_day: float) -> dict[str, Calendar]:
    """The calendars of the file by UID, in file order."""
    own: dict[str, _Own] = {}
    budget = Budget(MAX_EXCEPTION_DAYS, f"{MAX_EXCEPTION_DAYS:,} days of calendar exceptions")
    for record in records:
        uid = record.fields.get("UID", "").strip()
        if not uid:
            raise Where(name, record.line, "UID").error("a calendar without a UID")
        if uid in own:
            raise Where(name, record.line, "UID").error(f"calendar {uid!r} is defined twice")
        own[uid] = _read(record, name, budget)
    done: dict[str, Calendar] = {}
    for uid in own:
        _resolve(uid, own, done, name, hours_per_day, ())
    return {uid: done[uid] for uid in own}


def _read(record: Record, name: str, budget: Budget) -> _Own:
    fields = record.fields
    calendar = _Own(fields.get("Name", "").strip(), fields.get("BaseCalendarUID", "").strip(), record.line)
    for child in record.children:
        where = Where(name, child.line)
        working = child.fields.get("DayWorking", "").strip() in ("1", "true")
        if child.kind == "weekday":
            day_type = _integer(child, "DayType", where, -1)
            if 1 <= day_type <= 7:
                calendar.days[(day_type + 5) % 7] = working
            elif day_type == 0:
                for period in child.children:
                    first, last = _period(period, where)
                    _add(calendar, _every(first, last, 1), working, budget, where)
        elif child.kind == "exception":
            _add(calendar, _occurrences(child, where), working, budget, where)
    return calendar


def _add(calendar: _Own, days: Iterator[dt.date], working: bool, budget: Budget, where: Where) -> None:
    for day in days:
        budget.spend(where)
        calendar.exceptions[day] = working


def _resolve(
    uid: str, own: dict[str, _Own], done: dict[str, Calendar], name: str, hours: float, chain: tuple[str, ...]
) -> Calendar:
    if uid in done:
        return done[uid]
    this = own[uid]
    where = Where(name, this.line, "BaseCalendarUID")
    if uid in chain:
        raise where.error(f"calendar {uid!r} is based on itself")
    if len(chain) > MAX_BASE_DEPTH:
        raise where.error(f"calendars are based on one another more than {MAX_BASE_DEPTH} deep")
    workdays = set(MONDAY_TO_FRIDAY)
    exceptions: dict[dt.date, bool] = {}
    if this.base in own:
        base = _resolve(this.base, own, done, name, hours, (*chain, uid))
        workdays = set(base.workdays)
        exceptions = dict.fromkeys(base.holidays, False) | dict.fromkeys(base.extra_workdays, True)
    for weekday, working in this.days.items():
        (workdays.add if working else workdays.discard)(weekday)
    exceptions.update(this.exceptions)
    holidays, extra = split_exceptions(frozenset(workdays), exceptions)
    done[uid] = Calendar(uid, this.name, frozenset(workdays), holidays, extra, hours)
    return done[uid]


def _integer(record: Record, tag: str, where: Where, default: int) -> int:
    text = record.fields.get(tag, "").strip()
    if not text:
        return default
    try:
        return int(text)
    except ValueError:
        raise Where(where.file, where.line, tag).error(f"not a whole number: {text[:40]!r}") from None


def _period(record: Record, where: Where) -> tuple[dt.date, dt.date]:
    first = parse_date(record.fields.get("FromDate", ""), Where(where.file, record.line, "FromDate"))
    if first is None:
        raise Where(where.file, record.line, "FromDate").error("a calendar exception without a FromDate")
    last = parse_date(record.fields.get("ToDate", ""), Where(where.file, record.line, "ToDate")) or first
    check_range(first, Where(where.file, record.line, "FromDate"), "calendar exception date")
    check_range(last, Where(where.file, record.line, "ToDate"), "calendar exception date")
    if last < first:
        raise Where(where.file, record.line, "ToDate").error(
            "a calendar exception that ends before it starts"
        )
    return first, last


def _occurrences(record: Record, where: Where) -> Iterator[dt.date]:
    periods = [child for child in record.children if child.kind == "period"]
    if not periods:
        raise where.error("a calendar exception without a TimePeriod")
    first, last = _period(periods[0], where)
    kind = _integer(record, "Type", where, 1)
    every = max(1, _integer(record, "Period", where, 1))
    if kind in (1, 7, 9):
        days = _every(first, last, every if kind != 9 else 1)
    elif kind in (6, 8):
        mask = _integer(record, "DaysOfWeek", where, 1 << (first.weekday() + 1) % 7)
        days = _weekly(first, last, every, mask)
    elif kind in (2, 3):
        month = _integer(record, "Month", where, first.month - 1) + 1
        if not 1 <= month <= 12:
            raise Where(where.file, where.line, "Month").error(f"not a month (0 to 11): {month - 1}")
        days = _in_months(record, where, first, last, ((y, month) for y in range(first.year, last.year + 1)))
    elif kind in (4, 5):
        days = _in_months(record, where, first, last, _months(first, last, every))
    else:
        raise Where(where.file, where.line, "Type").error(f"unknown calendar exception type {kind}")
    by_count = record.fields.get("EnteredByOccurrences", "").strip() in ("1", "true")
    return islice(days, max(0, _integer(record, "Occurrences", where, 0))) if by_count else days


def _every(first: dt.date, last: dt.date, every: int) -> Iterator[dt.date]:
    step = dt.timedelta(days=every)
    while first <= last:
        yield first
        first += step


def _weekly(first: dt.date, last: dt.date, every: int, mask: int) -> Iterator[dt.date]:
    week0 = first - dt.timedelta(days=(first.weekday() + 1) % 7)  # the Sunday that starts its week
    day = first
    while day <= last:
        if mask & (1 << (day.weekday() + 1) % 7) and (day - week0).days // 7 % every == 0:
            yield day
        day += _DAY


def _months(first: dt.date, last: dt.date, every: int) -> Iterator[tuple[int, int]]:
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        yield year, month
        year, month = year + (month - 1 + every) // 12, (month - 1 + every) % 12 + 1


def _in_months(
    record: Record, where: Where, first: dt.date, last: dt.date, months: Iterator[tuple[int, int]]
) -> Iterator[dt.date]:
    """Types 2 to 5: one day in each month given, by its number or by its position."""
    by_position = _integer(record, "Type", where, 1) in (3, 5)
    item = _integer(record, "MonthItem", where, 0)
    position = _integer(record, "MonthPosition", where, 0)
    number = _integer(record, "MonthDay", where, first.day)
    for year, month in months:
        length = monthrange(year, month)[1]
        if by_position:
            matching = [k for k in range(1, length + 1) if _is_item(dt.date(year, month, k), item)]
            pick = _position(matching, position)
        else:
            pick = number if 1 <= number <= length else 0
        if pick and first <= dt.date(year, month, pick) <= last:
            yield dt.date(year, month, pick)


def _position(days: list[int], position: int) -> int:
    """`MonthPosition`: 0 to 3 the first to the fourth, 4 the last; 0 when there is none."""
    if position >= 4:
        return days[-1] if days else 0
    return days[position] if 0 <= position < len(days) else 0


def _is_item(day: dt.date, item: int) -> bool:
    """`MonthItem`: 0 any day, 1 a weekday, 2 a weekend day, 3 to 9 Sunday to Saturday."""
    if item == 1:
        return day.weekday() < 5
    if item == 2:
        return day.weekday() >= 5
    return item <= 0 or (day.weekday() + 1) % 7 == item - 3
