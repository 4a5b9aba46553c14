"""Working-day arithmetic on a schedule calendar, one whole day at a time.

Granularity: days. Times of day are dropped, and a duration or a lag is a whole number of working
days (`whole_days`): a fraction rounds up, away from zero, so a task of 0.5 days occupies one day,
a lag of 1.2 days waits two days and a lead of 0.5 days is a lead of one day. Zero is a milestone.

Exceptions: an activity works on its own calendar with the project calendar's exceptions laid over
it (`WorkCalendar(own, base=project)`). A day is decided by, in order: the activity calendar's
holidays (not working), its extra working days (working), the project's holidays (not working), the
project's extra working days (working), then the activity calendar's weekday pattern. A calendar
with no working day at all (a reading fault) falls back to Monday to Friday.

Speed: each `WorkCalendar` indexes every day from 1980-01-01 to 2199-12-31 once (a prefix count of
working days and the list of working days, about 6 ms), so every question below is O(1). A date
outside that span raises `OutsideCalendar`.

Marks: the critical path places activities on *marks*, two per day: `2 * ordinal` is the start of
a day and `2 * ordinal + 1` its end. The end of a day and the start of the next are the same instant
(`instant`), so all logic compares instants; the two marks only keep apart where a zero-duration
milestone sits, so that a milestone after a task finishing on Thursday is dated Thursday, as both
tools show it, and one at the start of work on Friday is dated Friday. `mark // 2` is always the
date an activity is reported on.
"""

from __future__ import annotations

import datetime as dt
import math
from itertools import accumulate, compress

from govcheck.importers.schedule.model import Calendar

FIRST_DAY = dt.date(1980, 1, 1)
LAST_DAY = dt.date(2199, 12, 31)


class OutsideCalendar(ValueError):
    """A date, or a date reached by counting working days, falls outside 1980-2199."""


def whole_days(value: float) -> int:
    """Working days as a whole number, rounded up away from zero: 0.5 -> 1, -0.5 -> -1, 0 -> 0."""
    if not math.isfinite(value):
        return 0
    size = math.ceil(abs(value) - 1e-9)
    return size if value >= 0 else -size


def instant(mark: int) -> int:
    """The day ordinal whose start is the moment a mark stands for (a day's end is the next one's start)."""
    return (mark + 1) // 2


class WorkCalendar:
    """One calendar's working days, indexed for O(1) counting. Built once, then only read."""

    __slots__ = ("_before", "_days", "_lo", "key")

    def __init__(self, calendar: Calendar, base: Calendar | None = None) -> None:
        self.key = calendar.key
        self._lo = FIRST_DAY.toordinal()
        flags = _flags(calendar, base, self._lo, LAST_DAY.toordinal())
        if not any(flags):
            flags = _flags(Calendar(calendar.key, calendar.name), None, self._lo, LAST_DAY.toordinal())
        self._before: tuple[int, ...] = tuple(accumulate(flags, initial=0))
        self._days: tuple[int, ...] = tuple(compress(range(self._lo, self._lo + len(flags)), flags))

    # -- day ordinals -------------------------------------------------------------------------
    def index(self, ordinal: int) -> int:
        """How many working days come strictly before the day."""
        at = ordinal - self._lo
        if not 0 <= at < len(self._before):
            raise OutsideCalendar(f"day {ordinal} is outside {FIRST_DAY}..{LAST_DAY}")
        return self._before[at]

    def day(self, number: int) -> int:
        """The ordinal of working day `number` (0 is the first working day of the span)."""
        if not 0 <= number < len(self._days):
            raise OutsideCalendar(f"counting working days left {FIRST_DAY}..{LAST_DAY}")
        return self._days[number]

    def works_on(self, ordinal: int) -> bool:
        return self.index(ordinal + 1) > self.index(ordinal)

    def first_from(self, ordinal: int) -> int:
        """The first working day on or after the day."""
        return self.day(self.index(ordinal))

    def last_until(self, ordinal: int) -> int:
        """The last working day on or before the day."""
        return self.day(self.index(ordinal + 1) - 1)

    # -- dates ----------------------------------------------------------------------------------
    def works(self, day: dt.date) -> bool:
        return self.works_on(day.toordinal())

    def next_working(self, day: dt.date) -> dt.date:
        """The day itself when it is a working day, else the next working day."""
        return dt.date.fromordinal(self.first_from(day.toordinal()))

    def previous_working(self, day: dt.date) -> dt.date:
        """The day itself when it is a working day, else the working day before it."""
        return dt.date.fromordinal(self.last_until(day.toordinal()))

    def add(self, day: dt.date, days: int) -> dt.date:
        """The working day `days` working days after (negative: before) the day, which is first
        moved on to the next working day: add(Friday, 1) is Monday, add(Saturday, 0) is Monday."""
        return dt.date.fromordinal(self.day(self.index(self.first_from(day.toordinal())) + days))

    def between(self, first: dt.date, last: dt.date) -> int:
        """Working days from `first` up to but not including `last` (negative when `last` comes first)."""
        return self.index(last.toordinal()) - self.index(first.toordinal())

    def finish(self, start: dt.date, days: int) -> dt.date:
        """The last day of work of a task of `days` (at least one) working days starting on `start`
        or on the next working day after it."""
        first = self.index(self.first_from(start.toordinal()))
        return dt.date.fromordinal(self.day(first + max(days, 1) - 1))

    # -- marks (see the module docstring) ---------------------------------------------------------
    def shift(self, mark: int, days: int) -> int:
        """The mark `days` working days after (negative: before) `mark`: a lag or a lead."""
        if days == 0:
            return mark
        done = self.index(instant(mark))
        if days > 0:
            return 2 * self.day(done + days - 1) + 1
        return 2 * self.day(done + days)

    def end_after(self, start: int, days: int) -> int:
        """The finish mark of `days` (at least one) working days of work from a start mark."""
        return 2 * self.day(self.index(start // 2) + days - 1) + 1

    def start_before(self, finish: int, days: int) -> int:
        """The start mark of `days` (at least one) working days of work ending at a finish mark."""
        return 2 * self.day(self.index(finish // 2) - days + 1)

    def early_start(self, needed: int, days: int) -> int:
        """The earliest start mark for work of `days` that may not start before the mark `needed`."""
        if days == 0:
            return self._settle(needed, forward=True)
        return 2 * self.first_from(instant(needed))

    def early_start_for_finish(self, needed: int, days: int) -> int:
        """The earliest start mark for work of `days` that may not finish before the mark `needed`."""
        if days == 0:
            return self._settle(needed, forward=True)
        return self.start_before(2 * self.first_from(instant(needed) - 1) + 1, days)

    def late_start(self, limit: int, days: int) -> int:
        """The latest start mark for work of `days` that must start by the mark `limit`."""
        if days == 0:
            return self._settle(limit, forward=False)
        return 2 * self.last_until(instant(limit))

    def late_start_for_finish(self, limit: int, days: int) -> int:
        """The latest start mark for work of `days` that must finish by the mark `limit`."""
        if days == 0:
            return self._settle(limit, forward=False)
        return self.start_before(2 * self.last_until(instant(limit) - 1) + 1, days)

    def _settle(self, mark: int, *, forward: bool) -> int:
        """A milestone's mark: kept on a working day, else moved to the next start of work (forward)
        or back to the previous end of work."""
        if self.works_on(mark // 2):
            return mark
        if forward:
            return 2 * self.first_from(instant(mark))
        return 2 * self.last_until(instant(mark) - 1) + 1


def _flags(calendar: Calendar, base: Calendar | None, lo: int, hi: int) -> list[bool]:
    count = hi - lo + 1
    pattern = [weekday in calendar.workdays for weekday in range(7)]
    first = dt.date.fromordinal(lo).weekday()
    week = pattern[first:] + pattern[:first]
    flags = (week * (count // 7 + 1))[:count]
    layers: list[tuple[frozenset[dt.date], bool]] = []
    if base is not None and base is not calendar:
        layers += [(base.extra_workdays, True), (base.holidays, False)]
    layers += [(calendar.extra_workdays, True), (calendar.holidays, False)]
    for days, working in layers:  # later layers win
        for day in days:
            at = day.toordinal() - lo
            if 0 <= at < count:
                flags[at] = working
    return flags
