"""Schedules of known shape for tests and benchmarks, and the writers that put them in files.

`small()` is a hand-made programme of 15 activities whose every feature is known (see its
docstring); `chain(n)` is a large schedule for scale runs. `write_mspdi` and `write_xer`
(from `schedule_write`) turn any `Schedule` into MS Project XML or P6 XER bytes.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import replace

from schedule_write import write_mspdi, write_xer

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

__all__ = ["SEVEN_DAY", "STANDARD", "chain", "small", "write_mspdi", "write_xer"]

START = dt.date(2024, 1, 8)  # a Monday
STATUS = dt.date(2024, 3, 15)  # a Friday
STANDARD = Calendar(
    "1",
    "Standard",
    holidays=frozenset({dt.date(2024, 3, 29), dt.date(2024, 4, 1)}),  # Good Friday, Easter Monday
    extra_workdays=frozenset({dt.date(2024, 4, 13)}),  # a Saturday worked
)
SEVEN_DAY = Calendar("2", "Seven day", workdays=frozenset(range(7)))
_DAY = dt.timedelta(days=1)


def finish_of(calendar: Calendar, start: dt.date, days: float) -> dt.date:
    """The last working day of `days` working days from `start` (itself a working day)."""
    day, done = start, 1
    while done < days:
        day += _DAY
        done += calendar.works(day)
    return day


def after(calendar: Calendar, day: dt.date, days: int = 1) -> dt.date:
    """The working day `days` working days after `day`."""
    while days > 0:
        day += _DAY
        days -= calendar.works(day)
    return day


def before(calendar: Calendar, day: dt.date, days: int = 1) -> dt.date:
    """The working day `days` working days before `day`."""
    while days > 0:
        day -= _DAY
        days -= calendar.works(day)
    return day


def working_days(calendar: Calendar, first: dt.date, last: dt.date) -> int:
    return sum(calendar.works(first + dt.timedelta(days=n)) for n in range((last - first).days + 1))


def _activity(key: str, name: str, start: dt.date, duration: float, **more: object) -> Activity:
    """An activity whose baseline is its current plan unless told otherwise."""
    calendar = SEVEN_DAY if more.get("calendar") == SEVEN_DAY.key else STANDARD
    finish = more.pop("finish", None) or finish_of(calendar, start, duration)
    fields: dict[str, object] = {
        "kind": Kind.task,
        "remaining": float(duration),
        "baseline_duration": float(duration),
        "baseline_start": start,
        "baseline_finish": finish,
        "resources": 1,
        "total_float": 0.0,
    }
    fields.update(more)
    return Activity(key, key, name, line=0, duration=float(duration), start=start, finish=finish, **fields)  # type: ignore[arg-type]


def _done(start: dt.date, finish: dt.date) -> dict[str, object]:
    return {"actual_start": start, "actual_finish": finish, "percent_complete": 100.0, "remaining": 0.0}


def small() -> Schedule:
    """Fifteen activities, keys and IDs "1" to "15", on the Standard calendar (Monday to
    Friday; holidays 2024-03-29 and 2024-04-01; Saturday 2024-04-13 worked), status date
    2024-03-15:

    * 1 summary "Programme"; 2 start milestone (MSO 2024-01-08); 12 finish milestone;
      13 level of effort "Project management" (a task in MSPDI, which has no LOE).
    * Chain 2 -> 3 -> 4 -> 7 -> 8 -> 9 -> 10 -> 12, with a parallel branch 3 -> 5 -> 6 -> 7
      and 3 -> 14 -> 8; 8 -> 15 -> 12; 2 -> 13 -> 12; 11 has no successor (1, the summary,
      has no links at all).
    * Links: 3 -> 5 SS +2 days (lag), 4 -> 7 FS +3 days (lag), 5 -> 6 FS -1 day (lead),
      6 -> 7 FF, 9 -> 11 SF; all others FS without lag.
    * Constraints: 2 MSO, 6 SNET 2024-03-18. 4 is 60 working days long. 14 has no resource.
    * Progress: 2, 3, 5 and 14 complete; 4 in progress (so are 13, the LOE, and 1, the
      summary); 6 is late (baseline start 2024-03-04, now held to 2024-03-18 by its SNET).
    * 9 is on the seven-day calendar (2); every other activity on the project calendar.
    """
    s = STANDARD
    a2 = _activity("2", "Start", START, 0, kind=Kind.milestone, resources=0, **_done(START, START))
    a2 = _with(a2, constraint=Constraint(ConstraintType.must_start_on, START))
    a3 = _activity("3", "Design", START, 10, resources=2, **_done(START, finish_of(s, START, 10)))
    d3 = a3.finish or START
    a5_start = after(s, START, 2)
    a5 = _activity("5", "Site preparation", a5_start, 15, **_done(a5_start, finish_of(s, a5_start, 15)))
    a14_start = after(s, d3)
    a14 = _activity("14", "Approvals", a14_start, 10, resources=0, total_float=25.0)
    a14 = _with(a14, **_done(a14_start, a14.finish or START))
    a4_start = after(s, d3)
    a4 = _activity("4", "Long-lead procurement", a4_start, 60, actual_start=a4_start, percent_complete=67.0)
    a4 = _with(a4, remaining=20.0, finish=finish_of(s, after(s, STATUS), 20))
    snet = dt.date(2024, 3, 18)
    a6 = _activity("6", "Foundations", snet, 20, resources=2, baseline_start=dt.date(2024, 3, 4))
    a6 = _with(a6, baseline_finish=finish_of(s, dt.date(2024, 3, 4), 20))
    a6 = _with(a6, constraint=Constraint(ConstraintType.start_no_earlier_than, snet))
    a7 = _activity("7", "Structure", after(s, a4.finish or START, 4), 30, resources=3)
    a8 = _activity("8", "Fit-out", after(s, a7.finish or START), 25, resources=2)
    a9_start = (a8.finish or START) + _DAY
    a9 = _activity("9", "Commissioning", a9_start, 10, calendar=SEVEN_DAY.key)
    a11_finish = a9_start if s.works(a9_start) else after(s, a9_start)
    a11_start = before(s, a11_finish, 4)
    a11 = _activity("11", "Operator training", a11_start, 5, finish=a11_finish, total_float=40.0)
    a10 = _activity("10", "Snagging", after(s, a9.finish or START), 5, total_float=4.0)
    a15 = _activity("15", "Documentation", after(s, a8.finish or START), 15, total_float=10.0)
    end = max(a10.finish or START, a15.finish or START)
    a12 = _activity("12", "Finish", after(s, end), 0, kind=Kind.milestone, resources=0)
    span = working_days(s, START, end)
    done = working_days(s, START, STATUS)
    a13 = _activity("13", "Project management", START, span, kind=Kind.level_of_effort, finish=end)
    a13 = _with(
        a13,
        actual_start=START,
        percent_complete=float(round(100 * done / span)),
        remaining=float(span - done),
    )
    a1 = _activity("1", "Programme", START, span + 1, kind=Kind.summary, resources=0, finish=a12.finish)
    a1 = _with(
        a1, actual_start=START, percent_complete=35.0, remaining=float(span + 1 - done), total_float=None
    )
    activities = (a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15)
    return Schedule(
        path="small",
        format="xer",
        name="Small programme",
        calendar=STANDARD.key,
        calendars={STANDARD.key: STANDARD, SEVEN_DAY.key: SEVEN_DAY},
        activities=activities,
        links=_small_links(),
        status_date=STATUS,
        start=START,
        must_finish_by=dt.date(2024, 9, 30),
    )


def _with(activity: Activity, **changes: object) -> Activity:
    return replace(activity, **changes)  # type: ignore[arg-type]


def _small_links() -> tuple[Link, ...]:
    spec: tuple[tuple[str, str, LinkType, float], ...] = (
        ("2", "3", "FS", 0),
        ("3", "4", "FS", 0),
        ("3", "5", "SS", 2),
        ("5", "6", "FS", -1),
        ("4", "7", "FS", 3),
        ("6", "7", "FF", 0),
        ("7", "8", "FS", 0),
        ("8", "9", "FS", 0),
        ("9", "11", "SF", 0),
        ("9", "10", "FS", 0),
        ("10", "12", "FS", 0),
        ("2", "13", "FS", 0),
        ("13", "12", "FS", 0),
        ("3", "14", "FS", 0),
        ("14", "8", "FS", 0),
        ("8", "15", "FS", 0),
        ("15", "12", "FS", 0),
    )
    return tuple(Link(p, s, t, float(lag)) for p, s, t, lag in spec)


_TYPES: tuple[LinkType, ...] = ("FS",) * 7 + ("SS", "FF", "SF")


def chain(n: int, links_per_activity: int = 2, seed: int = 0) -> Schedule:
    """`n` activities (a start milestone, tasks, a finish milestone) on the Standard calendar:
    each linked to the one before it and to `links_per_activity - 1` earlier ones at random
    (so the logic has no loops), with a few leads, lags and non-FS links. Dates advance with
    the keys over ten years and repeat, so any `n` stays in the accepted date range."""
    rng = random.Random(seed)
    activities = []
    for i in range(n):
        start = START + dt.timedelta(days=i * 7 // 5 % 3650)
        start = start if STANDARD.works(start) else after(STANDARD, start)
        milestone = i in (0, n - 1)
        duration = 0 if milestone else rng.randint(1, 20)
        finish = finish_of(STANDARD, start, duration)
        done = finish <= STATUS
        started = start <= STATUS
        activities.append(
            Activity(
                key=str(i + 1), id=str(i + 1), name=f"Activity {i + 1}", line=0,
                kind=Kind.milestone if milestone else Kind.task, duration=float(duration),
                remaining=0.0 if done else float(duration), baseline_duration=float(duration),
                start=start, finish=finish, baseline_start=start, baseline_finish=finish,
                actual_start=start if started else None, actual_finish=finish if done else None,
                percent_complete=100.0 if done else 0.0, resources=0 if milestone else rng.randint(0, 2),
                total_float=float(rng.randint(0, 30)),
            )
        )  # fmt: skip
    links = []
    for i in range(1, n):
        predecessors = {i - 1} | {rng.randrange(i) for _ in range(links_per_activity - 1)}
        for j in sorted(predecessors):
            kind = _TYPES[rng.randrange(len(_TYPES))] if j != i - 1 else "FS"
            links.append(Link(str(j + 1), str(i + 1), kind, float(rng.choice((0, 0, 0, 2, -1)))))
    return Schedule(
        path=f"chain-{n}",
        format="xer",
        name=f"Chain of {n}",
        calendar=STANDARD.key,
        calendars={STANDARD.key: STANDARD},
        activities=tuple(activities),
        links=tuple(links),
        status_date=STATUS,
        start=START,
    )
