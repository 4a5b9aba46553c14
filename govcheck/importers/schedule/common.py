"""What both schedule readers share: limits, the accepted date range, numbers, default calendars."""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass

from govcheck.errors import InputError
from govcheck.importers.schedule.model import Calendar

#: Dates outside this range are refused: no real programme runs in 1900 or 9999, and a
#: date there is a corrupt or hostile file (it would also make calendar arithmetic run away).
FIRST_DATE = dt.date(1980, 1, 1)
LAST_DATE = dt.date(2100, 12, 31)  # as in descriptions (govcheck.model.base.LATEST)

#: Calendar exception days (holidays and extra working days) expanded per file, at most.
MAX_EXCEPTION_DAYS = 200_000
#: Calendar entries (MSPDI calendars, weekdays, exceptions; XER calendar data nodes) per file.
MAX_CALENDAR_ENTRIES = 100_000

#: Monday to Friday, as `date.weekday()` numbers them.
MONDAY_TO_FRIDAY = frozenset(range(5))

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True, slots=True)
class Limits:
    """How much one file may hold; `read_schedule` passes its module constants."""

    activities: int
    links: int


@dataclass(frozen=True, slots=True)
class Where:
    """Where a value is written, for error messages."""

    file: str
    line: int | None = None
    field: str | None = None

    def error(self, message: str) -> InputError:
        return InputError(message, file=self.file, line=self.line, field=self.field)


@dataclass(slots=True)
class Budget:
    """How many more of something one file may still hold (counted down while reading)."""

    left: int
    what: str

    def spend(self, where: Where, count: int = 1) -> None:
        self.left -= count
        if self.left < 0:
            raise where.error(f"more than {self.what}: the limit for one schedule file")


def too_many(what: str, limit: int, where: Where) -> InputError:
    return where.error(f"more than {limit:,} {what}: the limit for one schedule file")


class BadValue(ValueError):
    """A field's text that is not what the field holds; the caller says where it is."""


def date_of(text: str) -> dt.date | None:
    """The date part of `2024-01-08T08:00:00` or `2024-01-08 08:00`; none for "" or "NA"."""
    text = text.strip()
    if not text or text == "NA":
        return None
    if _ISO_DATE.match(text) is not None:
        try:
            return dt.date(int(text[0:4]), int(text[5:7]), int(text[8:10]))
        except ValueError:
            pass
    raise BadValue(f"not a date: {text[:40]!r}")


def number_of(text: str) -> float | None:
    """A finite number, or none for an empty field."""
    text = text.strip()
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise BadValue(f"not a number: {text[:40]!r}") from None
    if not math.isfinite(value):
        raise BadValue(f"not a finite number: {text[:40]!r}")
    return value


def parse_date(text: str, where: Where) -> dt.date | None:
    try:
        return date_of(text)
    except BadValue as exc:
        raise where.error(str(exc)) from None


def parse_number(text: str, where: Where) -> float | None:
    try:
        return number_of(text)
    except BadValue as exc:
        raise where.error(str(exc)) from None


def check_range(day: dt.date | None, where: Where, what: str) -> None:
    if day is not None and not FIRST_DATE <= day <= LAST_DATE:
        raise where.error(f"{what} {day.isoformat()} is outside {FIRST_DATE}..{LAST_DATE}; refusing the file")


def positive(value: float | None, default: float) -> float:
    """Hours per day and the like: a missing or non-positive value gives the default."""
    return value if value is not None and value > 0 else default


def default_calendar(key: str, hours_per_day: float) -> Calendar:
    """The calendar assumed when a file defines none: Monday to Friday, no holidays."""
    return Calendar(key=key, name="Standard (assumed: Monday to Friday)", hours_per_day=hours_per_day)


def split_exceptions(
    workdays: frozenset[int], exceptions: dict[dt.date, bool]
) -> tuple[frozenset[dt.date], frozenset[dt.date]]:
    """Holidays and extra working days from exception dates (True: a working day). A working
    exception on a day that works anyway changes only its hours, so it is not kept."""
    holidays = frozenset(day for day, working in exceptions.items() if not working)
    extra = frozenset(day for day, working in exceptions.items() if working and day.weekday() not in workdays)
    return holidays, extra
