"""Schedules written as MS Project XML (MSPDI) and Primavera P6 XER: the inverse of govcheck's
readers, for fixtures of known shape (see `schedule_gen` for the samples).

What each format cannot hold, and how it is written instead:

* MSPDI: a level-of-effort activity (written as a task), the must-finish-by date (not written),
  a calendar's own hours per day (`MinutesPerDay` is the project's: the project calendar's is
  written), mandatory constraints (refused with ValueError), a percent complete that is not a
  whole number (MS Project's is an integer: it is rounded).
* XER: a baseline duration different from the duration (`target_drtn_hr_cnt` is both), and
  "no calendar" as distinct from the project calendar (every activity names its calendar).

Every MSPDI task starts on its own line with `<Task><UID>key</UID>`, and every predecessor link
is one line; every XER row is one line. Lines end with CRLF in XER, as P6 writes them.
"""

from __future__ import annotations

import datetime as dt
from xml.sax.saxutils import escape

from govcheck.importers.schedule.model import Activity, Calendar, ConstraintType, Kind, Link, Schedule

MSPDI_CONSTRAINTS = {
    ConstraintType.as_late_as_possible: 1,
    ConstraintType.must_start_on: 2,
    ConstraintType.must_finish_on: 3,
    ConstraintType.start_no_earlier_than: 4,
    ConstraintType.start_no_later_than: 5,
    ConstraintType.finish_no_earlier_than: 6,
    ConstraintType.finish_no_later_than: 7,
}
XER_CONSTRAINTS = {
    ConstraintType.must_start_on: "CS_MSO",
    ConstraintType.must_finish_on: "CS_MEO",
    ConstraintType.start_no_earlier_than: "CS_MSOA",
    ConstraintType.start_no_later_than: "CS_MSOB",
    ConstraintType.finish_no_earlier_than: "CS_MEOA",
    ConstraintType.finish_no_later_than: "CS_MEOB",
    ConstraintType.as_late_as_possible: "CS_ALAP",
    ConstraintType.mandatory_start: "CS_MANDSTART",
    ConstraintType.mandatory_finish: "CS_MANDFIN",
}
MSPDI_LINKS = {"FF": 0, "FS": 1, "SF": 2, "SS": 3}
XER_KINDS = {Kind.task: "TT_Task", Kind.level_of_effort: "TT_LOE", Kind.summary: "TT_WBS"}
EPOCH = dt.date(1899, 12, 30)


def _num(value: float) -> str:
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def _at(day: dt.date | None, time: str, sep: str = "T") -> str:
    return "" if day is None else f"{day.isoformat()}{sep}{time}"


# --- MSPDI -------------------------------------------------------------------------------------


def write_mspdi(schedule: Schedule) -> bytes:
    minutes = round(schedule.calendars[schedule.calendar].hours_per_day * 60)
    out = [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
        '<Project xmlns="http://schemas.microsoft.com/project">',
        f"<SaveVersion>14</SaveVersion><Name>{escape(schedule.name)}</Name>",
        f"<StartDate>{_at(schedule.start, '08:00:00')}</StartDate>",
        f"<StatusDate>{_at(schedule.status_date, '17:00:00') or 'NA'}</StatusDate>",
        f"<CalendarUID>{schedule.calendar}</CalendarUID><MinutesPerDay>{minutes}</MinutesPerDay>",
        "<Calendars>",
        *(_mspdi_calendar(calendar) for calendar in schedule.calendars.values()),
        "</Calendars>",
        "<Tasks>",
        f"<Task><UID>0</UID><ID>0</ID><Name>{escape(schedule.name)}</Name><Summary>1</Summary></Task>",
    ]
    predecessors: dict[str, list[Link]] = {}
    for link in schedule.links:
        predecessors.setdefault(link.successor, []).append(link)
    for activity in schedule.activities:
        out.extend(_mspdi_task(activity, predecessors.get(activity.key, []), minutes))
    out.append("</Tasks>")
    out.append("<Assignments>")
    number = 0
    for activity in schedule.activities:
        resources = range(1, activity.resources + 1) if activity.resources else (-65535,)
        for resource in resources:
            number += 1
            out.append(
                f"<Assignment><UID>{number}</UID><TaskUID>{activity.key}</TaskUID>"
                f"<ResourceUID>{resource}</ResourceUID></Assignment>"
            )
    out.append("</Assignments>")
    out.append("</Project>")
    return "\n".join(out).encode("utf-8")


def _mspdi_calendar(calendar: Calendar) -> str:
    end = f"{min(8 + round(calendar.hours_per_day), 23):02d}:00:00"
    times = (
        f"<WorkingTimes><WorkingTime><FromTime>08:00:00</FromTime><ToTime>{end}</ToTime>"
        "</WorkingTime></WorkingTimes>"
    )
    days = "".join(
        f"<WeekDay><DayType>{day_type}</DayType><DayWorking>{int(working)}</DayWorking>"
        f"{times if working else ''}</WeekDay>"
        for day_type in range(1, 8)
        for working in [(day_type + 5) % 7 in calendar.workdays]
    )
    exceptions = "".join(
        "<Exception><EnteredByOccurrences>0</EnteredByOccurrences>"
        f"<TimePeriod><FromDate>{day}T00:00:00</FromDate><ToDate>{day}T23:59:00</ToDate></TimePeriod>"
        f"<Occurrences>1</Occurrences><Type>1</Type><DayWorking>{int(working)}</DayWorking>"
        f"{times if working else ''}</Exception>"
        for day, working in sorted(
            [(d, False) for d in calendar.holidays] + [(d, True) for d in calendar.extra_workdays]
        )
    )
    return (
        f"<Calendar><UID>{calendar.key}</UID><Name>{escape(calendar.name)}</Name>"
        f"<IsBaseCalendar>1</IsBaseCalendar><BaseCalendarUID>-1</BaseCalendarUID>"
        f"<WeekDays>{days}</WeekDays><Exceptions>{exceptions}</Exceptions></Calendar>"
    )


def _duration(days: float, minutes_per_day: int) -> str:
    seconds = round(abs(days) * minutes_per_day * 60)
    hours, rest = divmod(seconds, 3600)
    return f"{'-' if days < 0 else ''}PT{hours}H{rest // 60}M{rest % 60}S"


def _mspdi_task(a: Activity, links: list[Link], minutes: int) -> list[str]:
    fields = [
        f"<Task><UID>{a.key}</UID><ID>{a.id}</ID><Name>{escape(a.name)}</Name>",
        "<Type>0</Type><IsNull>0</IsNull>",
        f"<Start>{_at(a.start, '08:00:00') or 'NA'}</Start>",
        f"<Finish>{_at(a.finish, '17:00:00') or 'NA'}</Finish>",
        f"<Duration>{_duration(a.duration, minutes)}</Duration><DurationFormat>7</DurationFormat>",
        f"<Milestone>{int(a.kind is Kind.milestone)}</Milestone>",
        f"<Summary>{int(a.kind is Kind.summary)}</Summary>",
        f"<PercentComplete>{round(a.percent_complete)}</PercentComplete>",
        f"<CalendarUID>{a.calendar or -1}</CalendarUID>",
    ]
    if a.remaining is not None:
        fields.append(f"<RemainingDuration>{_duration(a.remaining, minutes)}</RemainingDuration>")
    for tag, day, time in (
        ("ActualStart", a.actual_start, "08:00:00"),
        ("ActualFinish", a.actual_finish, "17:00:00"),
    ):
        if day is not None:
            fields.append(f"<{tag}>{_at(day, time)}</{tag}>")
    if a.constraint is not None:
        if a.constraint.type not in MSPDI_CONSTRAINTS:
            raise ValueError(f"MSPDI cannot hold the constraint {a.constraint.type.value} of {a.label}")
        fields.append(f"<ConstraintType>{MSPDI_CONSTRAINTS[a.constraint.type]}</ConstraintType>")
        fields.append(f"<ConstraintDate>{_at(a.constraint.date, '08:00:00')}</ConstraintDate>")
    if a.total_float is not None:
        fields.append(f"<TotalSlack>{round(a.total_float * minutes * 10)}</TotalSlack>")
    lines = ["".join(fields)]
    for link in links:
        lines.append(
            f"<PredecessorLink><PredecessorUID>{link.predecessor}</PredecessorUID>"
            f"<Type>{MSPDI_LINKS[link.type]}</Type><CrossProject>0</CrossProject>"
            f"<LinkLag>{round(link.lag * minutes * 10)}</LinkLag><LagFormat>7</LagFormat></PredecessorLink>"
        )
    if a.baseline_start or a.baseline_finish or a.baseline_duration is not None:
        lines.append(
            f"<Baseline><Number>0</Number><Start>{_at(a.baseline_start, '08:00:00')}</Start>"
            f"<Finish>{_at(a.baseline_finish, '17:00:00')}</Finish>"
            f"<Duration>{_duration(a.baseline_duration or 0.0, minutes)}</Duration></Baseline>"
        )
    lines.append(f"<ExtendedAttribute><FieldID>188743731</FieldID><Value>{a.id}</Value></ExtendedAttribute>")
    lines.append("</Task>")
    return lines


# --- XER ---------------------------------------------------------------------------------------

_TASK_FIELDS = (
    "task_id proj_id wbs_id clndr_id phys_complete_pct complete_pct_type task_type status_code"
    " task_code task_name total_float_hr_cnt remain_drtn_hr_cnt target_drtn_hr_cnt cstr_date"
    " act_start_date act_end_date early_start_date early_end_date target_start_date target_end_date"
    " cstr_type"
).split()


def write_xer(schedule: Schedule, version: str = "19.12") -> bytes:
    def table(name: str, fields: list[str], rows: list[list[str]]) -> None:
        out.append(f"%T\t{name}")
        out.append("\t".join(["%F", *fields]))
        out.extend("\t".join(["%R", *row]) for row in rows)

    out = [
        f"ERMHDR\t{version}\t2024-01-01\tProject\tadmin\tAdmin\tdbxDatabaseNoName\tProject Management\tGBP"
    ]
    table("CURRTYPE", ["curr_id", "curr_short_name"], [["1", "GBP"]])
    dates = (_at(d, "00:00", " ") for d in (schedule.start, schedule.must_finish_by, schedule.status_date))
    table(
        "PROJECT",
        [
            "proj_id",
            "proj_short_name",
            "clndr_id",
            "plan_start_date",
            "plan_end_date",
            "scd_end_date",
            "last_recalc_date",
        ],
        [["1", schedule.name, schedule.calendar, next(dates), next(dates), "", next(dates)]],
    )
    table(
        "CALENDAR",
        ["clndr_id", "default_flag", "clndr_name", "proj_id", "clndr_type", "day_hr_cnt", "clndr_data"],
        [
            [
                c.key,
                "Y" if c.key == schedule.calendar else "N",
                c.name,
                "",
                "CA_Base",
                _num(c.hours_per_day),
                _clndr_data(c),
            ]
            for c in schedule.calendars.values()
        ],
    )
    table("TASK", _TASK_FIELDS, [_xer_task(a, schedule) for a in schedule.activities])
    rows = []
    for number, link in enumerate(schedule.links, start=1):
        predecessor = schedule.by_key.get(link.predecessor)
        on = (
            schedule.calendars[schedule.calendar]
            if predecessor is None
            else schedule.calendar_of(predecessor)
        )
        hours = on.hours_per_day
        rows.append(
            [
                str(number),
                link.successor,
                link.predecessor,
                "1",
                "1",
                f"PR_{link.type}",
                _num(link.lag * hours),
            ]
        )
    table(
        "TASKPRED",
        ["task_pred_id", "task_id", "pred_task_id", "proj_id", "pred_proj_id", "pred_type", "lag_hr_cnt"],
        rows,
    )
    assignments = [a.key for a in schedule.activities for _ in range(a.resources)]
    table(
        "TASKRSRC",
        ["taskrsrc_id", "task_id", "proj_id", "rsrc_id"],
        [[str(n), key, "1", str(n % 7 + 1)] for n, key in enumerate(assignments, start=1)],
    )
    out.append("%E")
    return ("\r\n".join(out) + "\r\n").encode("cp1252")


def _clndr_data(calendar: Calendar) -> str:
    end = f"{min(8 + round(calendar.hours_per_day), 23):02d}:00"
    period = f"(0||0(s|08:00|f|{end})())"
    days = "".join(f"(0||{n}()({period if (n + 5) % 7 in calendar.workdays else ''}))" for n in range(1, 8))
    dated = sorted([(d, "") for d in calendar.holidays] + [(d, period) for d in calendar.extra_workdays])
    exceptions = "".join(f"(0||{i}(d|{(d - EPOCH).days})({p}))" for i, (d, p) in enumerate(dated))
    parts = (
        "(0||CalendarData()(",
        f"(0||DaysOfWeek()({days}))",
        "(0||VIEW(ShowTotal|Y)())",
        f"(0||Exceptions()({exceptions}))",
        "))",
    )
    return "\x7f".join(parts)


def _xer_task(a: Activity, schedule: Schedule) -> list[str]:
    hours = schedule.calendar_of(a).hours_per_day
    if a.kind is Kind.milestone:
        finishes = not any(link.predecessor == a.key for link in schedule.links)
        kind = "TT_FinMile" if finishes else "TT_Mile"
    else:
        kind = XER_KINDS[a.kind]
    status = "TK_Complete" if a.complete else "TK_Active" if a.actual_start else "TK_NotStart"
    constraint = a.constraint
    cells = {
        "task_id": a.key,
        "proj_id": "1",
        "wbs_id": "1",
        "clndr_id": a.calendar or schedule.calendar,
        "phys_complete_pct": _num(a.percent_complete),
        "complete_pct_type": "CP_Phys",
        "task_type": kind,
        "status_code": status,
        "task_code": a.id,
        "task_name": a.name,
        "total_float_hr_cnt": "" if a.total_float is None else _num(a.total_float * hours),
        "remain_drtn_hr_cnt": "" if a.remaining is None else _num(a.remaining * hours),
        "target_drtn_hr_cnt": _num(a.duration * hours),
        "cstr_date": _at(constraint.date if constraint else None, "08:00", " "),
        "act_start_date": _at(a.actual_start, "08:00", " "),
        "act_end_date": _at(a.actual_finish, "17:00", " "),
        "early_start_date": _at(a.start, "08:00", " "),
        "early_end_date": _at(a.finish, "17:00", " "),
        "target_start_date": _at(a.baseline_start, "08:00", " "),
        "target_end_date": _at(a.baseline_finish, "17:00", " "),
        "cstr_type": XER_CONSTRAINTS[constraint.type] if constraint else "",
    }
    return [cells[name] for name in _TASK_FIELDS]
