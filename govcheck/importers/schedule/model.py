"""A project schedule as govcheck reads it, whatever tool wrote it (MS Project, Primavera P6).

Plain frozen dataclasses: a schedule can hold tens of thousands of activities, and every stage
after the reader (the critical path, the DCMA checks, the comparison of two snapshots) only
reads them. Durations, lags and float are in working days of the activity's calendar; dates are
calendar dates (a schedule's times of day are dropped).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from types import MappingProxyType
from typing import Literal

LinkType = Literal["FS", "SS", "FF", "SF"]
Format = Literal["mspdi", "xer"]


class Kind(str, Enum):
    """What an activity is. DCMA leaves summaries, level-of-effort activities and milestones
    out of most checks."""

    task = "task"
    milestone = "milestone"
    summary = "summary"
    level_of_effort = "level_of_effort"


class ConstraintType(str, Enum):
    """Date constraints, named as both tools' manuals describe them."""

    as_late_as_possible = "ALAP"
    must_start_on = "MSO"
    must_finish_on = "MFO"
    start_no_earlier_than = "SNET"
    start_no_later_than = "SNLT"
    finish_no_earlier_than = "FNET"
    finish_no_later_than = "FNLT"
    mandatory_start = "MANDSTART"  # P6: overrides logic entirely
    mandatory_finish = "MANDFIN"


#: Constraints that stop logic from moving an activity: DCMA's "hard" constraints. "No earlier
#: than" constraints only hold an activity back and still let logic push it later (soft), as
#: does as-late-as-possible.
HARD_CONSTRAINTS = frozenset(
    {
        ConstraintType.must_start_on,
        ConstraintType.must_finish_on,
        ConstraintType.start_no_later_than,
        ConstraintType.finish_no_later_than,
        ConstraintType.mandatory_start,
        ConstraintType.mandatory_finish,
    }
)


@dataclass(frozen=True, slots=True)
class Calendar:
    key: str
    name: str
    workdays: frozenset[int] = frozenset({0, 1, 2, 3, 4})  # date.weekday(): Monday is 0
    holidays: frozenset[dt.date] = frozenset()  # non-working exceptions
    extra_workdays: frozenset[dt.date] = frozenset()  # working exceptions on non-working weekdays
    hours_per_day: float = 8.0

    def works(self, day: dt.date) -> bool:
        if day in self.holidays:
            return False
        return day in self.extra_workdays or day.weekday() in self.workdays


@dataclass(frozen=True, slots=True)
class Constraint:
    type: ConstraintType
    date: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Activity:
    key: str  # unique within the file (MSPDI UID, XER task_id): what links refer to
    id: str  # what people call it (MSPDI ID or WBS, XER task_code)
    name: str
    kind: Kind
    line: int  # where it is written in the file, 1-based
    duration: float  # planned (original) duration, working days
    remaining: float | None = None  # remaining duration, working days; none when not given
    baseline_duration: float | None = None
    start: dt.date | None = None  # the tool's current (forecast or actual) start
    finish: dt.date | None = None
    baseline_start: dt.date | None = None
    baseline_finish: dt.date | None = None
    actual_start: dt.date | None = None
    actual_finish: dt.date | None = None
    percent_complete: float = 0.0  # 0-100
    constraint: Constraint | None = None
    calendar: str | None = None  # Calendar.key; none: the project calendar
    resources: int = 0  # resource assignments (or loaded cost/hours) on the activity
    total_float: float | None = None  # as the tool reported it, working days

    @property
    def complete(self) -> bool:
        return self.actual_finish is not None or self.percent_complete >= 100

    @property
    def label(self) -> str:
        """`ID name`, as findings quote it."""
        return f"{self.id} {self.name}".strip()


@dataclass(frozen=True, slots=True)
class Link:
    predecessor: str  # Activity.key
    successor: str
    type: LinkType = "FS"
    lag: float = 0.0  # working days; negative is a lead
    line: int = 0


@dataclass(frozen=True, slots=True)
class Schedule:
    path: str  # as shown to users
    format: Format
    name: str
    calendar: str  # the project calendar's key
    calendars: Mapping[str, Calendar]
    activities: tuple[Activity, ...]
    links: tuple[Link, ...]
    status_date: dt.date | None = None  # the data date: progress is reported up to it
    start: dt.date | None = None  # the project's planned start
    must_finish_by: dt.date | None = None  # a deadline for the whole project, where the tool has one
    by_key: Mapping[str, Activity] = field(default_factory=lambda: MappingProxyType({}), compare=False)

    def __post_init__(self) -> None:
        if not self.by_key:
            object.__setattr__(self, "by_key", MappingProxyType({a.key: a for a in self.activities}))
        if not isinstance(self.calendars, MappingProxyType):
            object.__setattr__(self, "calendars", MappingProxyType(dict(self.calendars)))

    def calendar_of(self, activity: Activity) -> Calendar:
        return self.calendars.get(activity.calendar or self.calendar) or self.calendars[self.calendar]
