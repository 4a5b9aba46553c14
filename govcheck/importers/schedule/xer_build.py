"""The tables of an XER file (`xer.Table`) interpreted as a `Schedule`.

Choices made where P6 and the model differ:

* **Project**: `proj_short_name` names it; `last_recalc_date` (the data date) is the status
  date, `plan_start_date` the start, and `plan_end_date` the must-finish-by date: that field
  is P6's "Must Finish By" project date. `scd_end_date` is the finish P6 last computed, not a
  deadline, and is not read. The project calendar is the project's `clndr_id`, else the
  CALENDAR row flagged `default_flag` Y, else the first calendar.
* **One project per file**: a file holding several projects is refused, naming them.
* **Baseline**: P6 keeps a baseline as a separate project, which a one-project file cannot
  hold, so the baseline read is the activity's planned ("target") values: `target_start_date`,
  `target_end_date` and `target_drtn_hr_cnt` (which is also the activity's duration).
* **Hours to days**: durations and float by the `day_hr_cnt` of the activity's calendar; lags
  by that of the predecessor's calendar (P6's default calendar for relationship lag).
* **Start and finish**: the actual dates where there are any, else the early dates.
* **Percent complete**: `phys_complete_pct` for physical percent complete (`CP_Phys`, or when
  the type is not given); otherwise the duration percent, (planned - remaining) / planned,
  which also stands in for units percent complete.
* **Constraints**: the primary constraint only (`cstr_type`, `cstr_date`); the secondary one
  (`cstr_type2`) is not read.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from types import MappingProxyType
from typing import TYPE_CHECKING

from govcheck.importers.schedule.common import (
    MAX_CALENDAR_ENTRIES,
    BadValue,
    Budget,
    Where,
    check_range,
    default_calendar,
    number_of,
    parse_date,
    positive,
    split_exceptions,
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
from govcheck.importers.schedule.xer_calendar import parse as parse_calendar_data

if TYPE_CHECKING:
    from govcheck.importers.schedule.xer import Table

KINDS = MappingProxyType(
    {
        "TT_Task": Kind.task,
        "TT_Rsrc": Kind.task,
        "TT_Mile": Kind.milestone,
        "TT_FinMile": Kind.milestone,
        "TT_LOE": Kind.level_of_effort,
        "TT_WBS": Kind.summary,
    }
)
CONSTRAINTS = MappingProxyType(
    {
        "CS_MSO": ConstraintType.must_start_on,
        "CS_MEO": ConstraintType.must_finish_on,
        "CS_MSOA": ConstraintType.start_no_earlier_than,
        "CS_MSOB": ConstraintType.start_no_later_than,
        "CS_MEOA": ConstraintType.finish_no_earlier_than,
        "CS_MEOB": ConstraintType.finish_no_later_than,
        "CS_ALAP": ConstraintType.as_late_as_possible,
        "CS_MANDSTART": ConstraintType.mandatory_start,
        "CS_MANDFIN": ConstraintType.mandatory_finish,
    }
)
LINK_TYPES: MappingProxyType[str, LinkType] = MappingProxyType(
    {"PR_FS": "FS", "PR_SS": "SS", "PR_FF": "FF", "PR_SF": "SF"}
)
UNREADABLE = " (calendar data unreadable: assumed Monday to Friday)"


#: The fields read from each table.
FIELDS = MappingProxyType(
    {
        "PROJECT": "proj_id proj_short_name clndr_id last_recalc_date plan_start_date plan_end_date",
        "CALENDAR": "clndr_id clndr_name day_hr_cnt clndr_data default_flag",
        "TASK": "task_id task_code task_name task_type clndr_id target_drtn_hr_cnt remain_drtn_hr_cnt"
        " act_start_date act_end_date early_start_date early_end_date target_start_date target_end_date"
        " phys_complete_pct complete_pct_type status_code cstr_type cstr_date total_float_hr_cnt",
        "TASKPRED": "task_id pred_task_id pred_type lag_hr_cnt",
        "TASKRSRC": "task_id",
    }
)


class _Columns:
    """Where a table's fields are, and the dates already read from it (each text parsed once)."""

    __slots__ = ("dates", "name", "used")

    def __init__(self, table: Table, name: str) -> None:
        index = {field: position for position, field in enumerate(table.fields, start=1)}
        self.used = tuple((field, index[field]) for field in FIELDS[table.name].split() if field in index)
        self.name = name
        self.dates: dict[str, dt.date | None] = {}


class _Row:
    """One `%R` row: the text of the fields read, with errors located at its line."""

    __slots__ = ("columns", "line", "values")

    def __init__(self, cells: list[str], columns: _Columns, line: int) -> None:
        self.values = {field: cells[index].strip() for field, index in columns.used}
        self.columns, self.line = columns, line

    def where(self, field: str) -> Where:
        return Where(self.columns.name, self.line, field)

    def text(self, field: str) -> str:
        return self.values.get(field, "")

    def date(self, field: str) -> dt.date | None:
        text = self.values.get(field, "")
        try:
            return self.columns.dates[text]
        except KeyError:
            day = self.columns.dates[text] = parse_date(text, self.where(field))
            return day

    def number(self, field: str) -> float | None:
        try:
            return number_of(self.values.get(field, ""))
        except BadValue as exc:
            raise self.where(field).error(str(exc)) from None


def _rows(table: Table | None, name: str) -> list[_Row]:
    if table is None:
        return []
    columns = _Columns(table, name)
    return [_Row(cells, columns, line) for line, cells in table.rows]


def build(tables: dict[str, Table], name: str) -> Schedule:
    project = _project(tables["PROJECT"], name)
    calendars, flagged = _calendars(_rows(tables.get("CALENDAR"), name))
    key = project.text("clndr_id")
    if key and key not in calendars:
        raise project.where("clndr_id").error(f"the project calendar {key!r} is not in the CALENDAR table")
    key = key or flagged or next(iter(calendars), "standard")
    calendars.setdefault(key, default_calendar(key, 8.0))
    resources = Counter(row.text("task_id") for row in _rows(tables.get("TASKRSRC"), name))
    activities = [_activity(row, calendars, key, resources) for row in _rows(tables["TASK"], name)]
    hours = {a.key: calendars[a.calendar or key].hours_per_day for a in activities}
    links = [_link(row, hours, calendars[key].hours_per_day) for row in _rows(tables.get("TASKPRED"), name)]
    dates = {field: project.date(field) for field in ("last_recalc_date", "plan_start_date", "plan_end_date")}
    for field, day in dates.items():
        check_range(day, project.where(field), "date")
    return Schedule(
        path=name,
        format="xer",
        name=project.text("proj_short_name"),
        calendar=key,
        calendars=calendars,
        activities=tuple(activities),
        links=tuple(links),
        status_date=dates["last_recalc_date"],
        start=dates["plan_start_date"],
        must_finish_by=dates["plan_end_date"],
    )


def _project(table: Table, name: str) -> _Row:
    rows = _rows(table, name)
    if len(rows) != 1:
        names = ", ".join(row.text("proj_short_name") or row.text("proj_id") for row in rows[:10])
        names += ", ..." if len(rows) > 10 else ""
        held = f"{len(rows)} projects ({names})" if rows else "no project"
        raise Where(name, table.line).error(f"the file holds {held}: export exactly one project per file")
    return rows[0]


def _calendars(rows: list[_Row]) -> tuple[dict[str, Calendar], str]:
    """The calendars by `clndr_id`, and the one flagged as the default (or "")."""
    calendars: dict[str, Calendar] = {}
    flagged = ""
    budget = Budget(MAX_CALENDAR_ENTRIES, f"{MAX_CALENDAR_ENTRIES:,} calendar entries")
    for row in rows:
        key = row.text("clndr_id")
        if not key or key in calendars:
            raise row.where("clndr_id").error(
                f"calendar {key!r} is {'defined twice' if key else 'without an id'}"
            )
        hours = positive(row.number("day_hr_cnt"), 8.0)
        data = parse_calendar_data(row.text("clndr_data"), row.where("clndr_data"), budget)
        label = row.text("clndr_name")
        if data is None:
            calendars[key] = Calendar(key, label + UNREADABLE, hours_per_day=hours)
        else:
            holidays, extra = split_exceptions(data.workdays, data.exceptions)
            calendars[key] = Calendar(key, label, data.workdays, holidays, extra, hours)
        if row.text("default_flag") == "Y" and not flagged:
            flagged = key
    return calendars, flagged


def _activity(row: _Row, calendars: dict[str, Calendar], project: str, resources: Counter[str]) -> Activity:
    key = row.text("task_id")
    if not key:
        raise row.where("task_id").error("an activity without a task_id")
    calendar = row.text("clndr_id")
    if calendar and calendar not in calendars:
        raise row.where("clndr_id").error(f"calendar {calendar!r} is not in the CALENDAR table")
    hours = calendars[calendar or project].hours_per_day
    code = row.text("task_type")
    kind = KINDS.get(code, Kind.task if not code else None)
    if kind is None:
        raise row.where("task_type").error(f"unknown activity type {code[:40]!r}")
    planned, remaining = row.number("target_drtn_hr_cnt"), row.number("remain_drtn_hr_cnt")
    actual_start, actual_finish = row.date("act_start_date"), row.date("act_end_date")
    total_float = row.number("total_float_hr_cnt")
    return Activity(
        key=key,
        id=row.text("task_code"),
        name=row.text("task_name"),
        kind=kind,
        line=row.line,
        duration=(planned or 0.0) / hours,
        remaining=None if remaining is None else remaining / hours,
        baseline_duration=None if planned is None else planned / hours,
        start=actual_start or row.date("early_start_date"),
        finish=actual_finish or row.date("early_end_date"),
        baseline_start=row.date("target_start_date"),
        baseline_finish=row.date("target_end_date"),
        actual_start=actual_start,
        actual_finish=actual_finish,
        percent_complete=_percent(row, planned, remaining),
        constraint=_constraint(row),
        calendar=calendar or None,
        resources=resources.get(key, 0),
        total_float=None if total_float is None else total_float / hours,
    )


def _percent(row: _Row, planned: float | None, remaining: float | None) -> float:
    physical = row.number("phys_complete_pct")
    if row.text("complete_pct_type") in ("", "CP_Phys") and physical is not None:
        return physical
    if row.text("status_code") == "TK_Complete":
        return 100.0
    if not planned or remaining is None:
        return 0.0
    return min(100.0, max(0.0, (planned - remaining) / planned * 100))


def _constraint(row: _Row) -> Constraint | None:
    code = row.text("cstr_type")
    if not code:
        return None
    kind = CONSTRAINTS.get(code)
    if kind is None:
        raise row.where("cstr_type").error(f"unknown constraint type {code[:40]!r}")
    return Constraint(kind, None if kind is ConstraintType.as_late_as_possible else row.date("cstr_date"))


def _link(row: _Row, hours: dict[str, float], project_hours: float) -> Link:
    successor, predecessor = row.text("task_id"), row.text("pred_task_id")
    for field, key in (("task_id", successor), ("pred_task_id", predecessor)):
        if not key:
            raise row.where(field).error("a relationship without both activities")
    code = row.text("pred_type")
    kind = LINK_TYPES.get(code)
    if kind is None:
        raise row.where("pred_type").error(f"unknown relationship type {code[:40]!r}")
    lag = row.number("lag_hr_cnt") or 0.0
    return Link(predecessor, successor, kind, lag / hours.get(predecessor, project_hours), row.line)
