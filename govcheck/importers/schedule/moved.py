"""What moved between two snapshots of one schedule, and what drove it.

The project finish of each snapshot is what its tool reported: the latest finish (actual, else
forecast) written on any activity; where a snapshot gives no dates, its critical-path finish. The
movement is counted in calendar days and in working days of the current project calendar.

Activities are matched by key, then (for those left) by ID. Every list names activities by label
and is ordered by importance, so a report can quote the first few:
- milestones: every matched milestone's finish (actual, else forecast, else critical-path early
  finish), largest movement first;
- links added, removed, or with a changed lag (a link is its two activities and its type), and
  constraints added, removed or changed: least float first (a link's successor's; critical-path float
  in the snapshot that holds it), then in file order;
- durations: planned (original) duration changed, or remaining duration grown (it only falls through
  progress); largest change first, in working days;
- behind plan: activities the previous snapshot forecast to finish (else start) before the current
  status date (the data date, whose own work is still to come, as in `cpm`) that have not; latest
  first, in calendar days from that forecast to the current forecast (the status date at least);
- float eroded: critical-path total float fell and is now at or below `near_critical_days`; largest
  erosion first (working days);
- baselines: baseline start, finish or duration changed on any activity, largest change first
  (calendar days, or working days for a duration); activities added or removed, least float first.

Critical-path float comes from `cpm`; a snapshot whose logic loops (or leaves 1980-2199) has none,
and the lists that need it are then ordered by file order alone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from govcheck.importers.schedule.calendar import WorkCalendar
from govcheck.importers.schedule.cpm import CpmResult, analyse
from govcheck.importers.schedule.model import Activity, Constraint, Kind, Schedule

Change = Literal["added", "removed", "changed"]
Event = Literal["start", "finish"]
_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class MilestoneMove:
    activity: str
    before: dt.date | None
    after: dt.date | None
    calendar_days: int
    working_days: int


@dataclass(frozen=True, slots=True)
class LinkChange:
    predecessor: str
    successor: str
    type: str
    change: Change
    lag_before: float | None  # working days; none when added
    lag_after: float | None  # none when removed


@dataclass(frozen=True, slots=True)
class DurationChange:
    activity: str
    planned_before: float
    planned_after: float
    remaining_before: float
    remaining_after: float
    days: float  # the planned change, else the remaining growth (working days)


@dataclass(frozen=True, slots=True)
class ConstraintChange:
    activity: str
    change: Change
    before: Constraint | None
    after: Constraint | None


@dataclass(frozen=True, slots=True)
class Slip:
    activity: str
    event: Event
    planned: dt.date  # the previous snapshot's forecast
    forecast: dt.date | None  # the current one
    days: int  # calendar days from the plan to the current forecast (the status date at least)


@dataclass(frozen=True, slots=True)
class FloatErosion:
    activity: str
    before: int
    after: int
    days: int  # working days lost


@dataclass(frozen=True, slots=True)
class BaselineChange:
    activity: str
    field: Literal["start", "finish", "duration"]
    before: dt.date | float | None
    after: dt.date | float | None
    days: float  # calendar days moved (dates) or working days changed (duration); 0 when one is missing


@dataclass(frozen=True, slots=True)
class ActivityChange:
    activity: str
    change: Literal["added", "removed"]


@dataclass(frozen=True, slots=True)
class Movement:
    status_before: dt.date | None
    status_after: dt.date | None
    finish_before: dt.date | None
    finish_after: dt.date | None
    calendar_days: int | None  # later is positive
    working_days: int | None
    milestones: tuple[MilestoneMove, ...]
    links: tuple[LinkChange, ...]
    durations: tuple[DurationChange, ...]
    constraints: tuple[ConstraintChange, ...]
    behind: tuple[Slip, ...]
    float_eroded: tuple[FloatErosion, ...]
    baselines: tuple[BaselineChange, ...]
    activities: tuple[ActivityChange, ...]


@dataclass(frozen=True, slots=True)
class _Pair:
    """The two snapshots, their matched activities (current key -> previous) and their float."""

    previous: Schedule
    current: Schedule
    matched: Mapping[str, Activity]
    cpm_before: CpmResult | None
    cpm_after: CpmResult | None
    working: WorkCalendar

    def pairs(self) -> Iterable[tuple[Activity, Activity]]:
        for activity in self.current.activities:
            if activity.key in self.matched:
                yield self.matched[activity.key], activity

    def rank(self, activity: Activity | None, *, before: bool = False) -> tuple[float, int]:
        """Least float first (none last), then file order."""
        cpm = self.cpm_before if before else self.cpm_after
        found = None if cpm is None or activity is None else cpm.total_float(activity.key)
        return (float("inf") if found is None else found, 0 if activity is None else activity.line)


def compare(previous: Schedule, current: Schedule, *, near_critical_days: float = 10) -> Movement:
    pair = _Pair(
        previous, current, _match(previous, current), _cpm(previous), _cpm(current),
        WorkCalendar(current.calendars[current.calendar]),
    )
    before, after = _finish(previous, pair.cpm_before), _finish(current, pair.cpm_after)
    return Movement(
        status_before=previous.status_date,
        status_after=current.status_date,
        finish_before=before,
        finish_after=after,
        calendar_days=(after - before).days if before and after else None,
        working_days=pair.working.between(before, after) if before and after else None,
        milestones=_milestones(pair),
        links=_links(pair),
        durations=_durations(pair),
        constraints=_constraints(pair),
        behind=_behind(pair),
        float_eroded=_eroded(pair, near_critical_days),
        baselines=_baselines(pair),
        activities=_activities(pair),
    )


def _ordered(items: Iterable[tuple[Any, _T]]) -> tuple[_T, ...]:
    """The items by their sort keys (the first of each pair)."""
    return tuple(item for _, item in sorted(items, key=lambda pair: pair[0]))


def _cpm(schedule: Schedule) -> CpmResult | None:
    try:
        return analyse(schedule)
    except ValueError:  # circular logic, or dates outside 1980-2199
        return None


def _match(previous: Schedule, current: Schedule) -> dict[str, Activity]:
    matched = {a.key: previous.by_key[a.key] for a in current.activities if a.key in previous.by_key}
    taken = {a.key for a in matched.values()}
    by_id: dict[str, Activity] = {}
    for activity in previous.activities:
        if activity.key not in taken:
            by_id.setdefault(activity.id, activity)
    for activity in current.activities:
        if activity.key not in matched and activity.id in by_id:
            matched[activity.key] = by_id.pop(activity.id)
    return matched


def _finish(schedule: Schedule, cpm: CpmResult | None) -> dt.date | None:
    dates = [d for a in schedule.activities for d in (a.actual_finish, a.finish) if d is not None]
    return max(dates, default=None) or (None if cpm is None else cpm.finish)


def _finish_of(activity: Activity, cpm: CpmResult | None) -> dt.date | None:
    timing = None if cpm is None else cpm.timings.get(activity.key)
    return activity.actual_finish or activity.finish or (None if timing is None else timing.early_finish)


def _milestones(pair: _Pair) -> tuple[MilestoneMove, ...]:
    moves = []
    for old, new in pair.pairs():
        if new.kind == Kind.milestone:
            before, after = _finish_of(old, pair.cpm_before), _finish_of(new, pair.cpm_after)
            days = (after - before).days if before and after else 0
            working = pair.working.between(before, after) if before and after else 0
            moves.append(((-abs(days), new.line), MilestoneMove(new.label, before, after, days, working)))
    return _ordered(moves)


def _links(pair: _Pair) -> tuple[LinkChange, ...]:
    renamed = {old.key: key for key, old in pair.matched.items()}

    def known(key: str) -> str:
        return renamed.get(key, "\0" + key)  # an unmatched activity's links match nothing

    before = {(known(k.predecessor), known(k.successor), k.type): k for k in pair.previous.links}
    after = {(k.predecessor, k.successor, k.type): k for k in pair.current.links}
    changes = []
    for ident, new in after.items():
        old = before.get(ident)
        if old is None or old.lag != new.lag:
            change: Change = "added" if old is None else "changed"
            names = _label(pair.current, new.predecessor), _label(pair.current, new.successor)
            item = LinkChange(*names, new.type, change, None if old is None else old.lag, new.lag)
            changes.append((pair.rank(pair.current.by_key.get(new.successor)), item))
    for ident, old in before.items():
        if ident not in after:
            names = _label(pair.previous, old.predecessor), _label(pair.previous, old.successor)
            item = LinkChange(*names, old.type, "removed", old.lag, None)
            changes.append((pair.rank(pair.previous.by_key.get(old.successor), before=True), item))
    return _ordered(changes)


def _label(schedule: Schedule, key: str) -> str:
    activity = schedule.by_key.get(key)
    return key if activity is None else activity.label


def _remaining(activity: Activity) -> float:
    if activity.complete:
        return 0.0
    if activity.remaining is not None:
        return activity.remaining
    return activity.duration * (1 - min(max(activity.percent_complete, 0.0), 100.0) / 100)


def _durations(pair: _Pair) -> tuple[DurationChange, ...]:
    changes = []
    for old, new in pair.pairs():
        left_before, left_after = _remaining(old), _remaining(new)
        planned, grown = new.duration - old.duration, left_after - left_before
        if new.kind != Kind.summary and (planned or grown > 0):
            days = planned or grown
            item = DurationChange(new.label, old.duration, new.duration, left_before, left_after, days)
            changes.append(((-abs(days), new.line), item))
    return _ordered(changes)


def _constraints(pair: _Pair) -> tuple[ConstraintChange, ...]:
    changes = []
    for old, new in pair.pairs():
        was, now = old.constraint, new.constraint
        if was != now:
            change: Change = "changed" if was and now else "added" if now else "removed"
            changes.append((pair.rank(new), ConstraintChange(new.label, change, was, now)))
    return _ordered(changes)


def _behind(pair: _Pair) -> tuple[Slip, ...]:
    status = pair.current.status_date
    if status is None:
        return ()
    slips = []
    for old, new in pair.pairs():
        if new.kind == Kind.summary or new.complete:
            continue
        if not old.complete and old.finish is not None and old.finish < status:
            slip = _slip(new.label, "finish", old.finish, new.finish, status)
        elif not (old.actual_start or new.actual_start) and old.start is not None and old.start < status:
            slip = _slip(new.label, "start", old.start, new.start, status)
        else:
            continue
        slips.append(((-slip.days, new.line), slip))
    return _ordered(slips)


def _slip(label: str, event: Event, planned: dt.date, forecast: dt.date | None, status: dt.date) -> Slip:
    return Slip(label, event, planned, forecast, (max(forecast or status, status) - planned).days)


def _eroded(pair: _Pair, near_critical_days: float) -> tuple[FloatErosion, ...]:
    if pair.cpm_before is None or pair.cpm_after is None:
        return ()
    eroded = []
    for old, new in pair.pairs():
        before, after = pair.cpm_before.total_float(old.key), pair.cpm_after.total_float(new.key)
        if before is not None and after is not None and after < before and after <= near_critical_days:
            item = FloatErosion(new.label, before, after, before - after)
            eroded.append(((after - before, new.line), item))
    return _ordered(eroded)


def _baselines(pair: _Pair) -> tuple[BaselineChange, ...]:
    fields: tuple[Literal["start", "finish", "duration"], ...] = ("start", "finish", "duration")
    changes = []
    for old, new in pair.pairs():
        for name in fields:
            before, after = getattr(old, f"baseline_{name}"), getattr(new, f"baseline_{name}")
            if before != after:
                days = _difference(before, after)
                changes.append(((-abs(days), new.line), BaselineChange(new.label, name, before, after, days)))
    return _ordered(changes)


def _difference(before: dt.date | float | None, after: dt.date | float | None) -> float:
    if isinstance(before, dt.date) and isinstance(after, dt.date):
        return (after - before).days
    if isinstance(before, float | int) and isinstance(after, float | int):
        return after - before
    return 0


def _activities(pair: _Pair) -> tuple[ActivityChange, ...]:
    kept = {a.key for a in pair.matched.values()}
    added = [
        ((*pair.rank(a), 0), ActivityChange(a.label, "added"))
        for a in pair.current.activities
        if a.key not in pair.matched
    ]
    removed = [
        ((*pair.rank(a, before=True), 1), ActivityChange(a.label, "removed"))
        for a in pair.previous.activities
        if a.key not in kept
    ]
    return _ordered(added + removed)
