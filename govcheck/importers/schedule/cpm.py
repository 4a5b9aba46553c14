"""The critical path method: a forward and a backward pass over a schedule's logic, from its status date.

The network: tasks and milestones. Summaries and level-of-effort activities are left out, and so are
their links (a summary's dates roll up from its children; a level-of-effort activity spans whatever it
hangs on and drives nothing). A link to a missing activity, or one of those, is ignored.

Durations are whole working days (`calendar.whole_days`: fractions round up); a milestone has none. An
activity works on its own calendar with the project calendar's exceptions. A lag or lead is counted on
the predecessor's calendar (Primavera P6's default).

The data date is the status date; without one, the project's planned start; without that, the
earliest date written on any activity (else 2000-01-03). From it:
- a complete activity keeps its actual dates (else its reported dates) and drives its successors, but
  its own late dates are its early ones, it has no float and it does not limit its predecessors;
- an in-progress activity (an actual start, not complete) keeps its actual start and finishes after its
  remaining duration (`Activity.remaining`, else duration x (1 - percent / 100)) counted from the data
  date; its predecessors no longer hold it (progress override), and its float is finish float;
- an activity not started starts no earlier than the data date, nor than the project's planned start.

Constraints (dateless ones are ignored; early-date effects apply to activities not started):
- SNET, FNET: the early start, or finish, is no earlier than the date (soft: logic may push later);
- SNLT, FNLT: the late start, or finish, is no later than the date; early dates follow logic;
- MSO, MFO: the early start, or finish, is the date whatever the logic and the data date (as MS Project
  does when tasks honour their constraint dates, its default); the late date is no later than the
  date, and earlier when successors need it (negative float);
- MANDSTART, MANDFIN: the early and the late date are both the date: logic is overridden both ways;
- ALAP: scheduled as soon as possible; its float is what it may move.

The backward pass starts from the project's latest early finish, or from `Schedule.must_finish_by` when
given (float can then be negative); every activity must finish by it. Total float is counted in
working days of the project calendar: the smaller of start float and finish float (finish float alone
once started). The critical path is the activities with the lowest total float that are linked, by
driving links, back from the latest-finishing of them; in early-start order.

Circular logic raises `CircularLogic`. Nothing here recurses: 10,000 activities in one chain are fine.
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from govcheck.importers.schedule.calendar import WorkCalendar, instant, whole_days
from govcheck.importers.schedule.model import Activity, ConstraintType, Kind, Schedule

_FROM_FINISH, _TO_FINISH = 1, 2  # link type bits: from the predecessor's finish, to the successor's finish
_TYPES = MappingProxyType({"SS": 0, "FS": _FROM_FINISH, "SF": _TO_FINISH, "FF": _FROM_FINISH | _TO_FINISH})
_NOT_STARTED, _STARTED, _COMPLETE = 0, 1, 2
_NETWORK_KINDS = frozenset({Kind.task, Kind.milestone})
_FAR = 1 << 40
_C = ConstraintType
_MANDATORY = frozenset({_C.mandatory_start, _C.mandatory_finish})
_FIXED_START = frozenset({_C.must_start_on, _C.mandatory_start})
_FIXED_FINISH = frozenset({_C.must_finish_on, _C.mandatory_finish})
_START_LIMITS = frozenset({_C.start_no_later_than, _C.must_start_on, _C.mandatory_start})
_FINISH_LIMITS = frozenset({_C.finish_no_later_than, _C.must_finish_on, _C.mandatory_finish})

Edge = tuple[int, int, int]  # (the other activity's index, link type, lag in whole working days)
Edges = list[list[Edge]]  # per activity
Marks = list[int]  # per activity (see calendar.py)


class CircularLogic(ValueError):
    """The logic loops back on itself; `cycle` holds the activities of one loop, in link order."""

    def __init__(self, cycle: Sequence[Activity]) -> None:
        self.cycle = tuple(cycle)
        names = [a.label for a in self.cycle]
        super().__init__("circular logic: " + " -> ".join([*names, names[0]]))


@dataclass(frozen=True, slots=True)
class Timing:
    early_start: dt.date
    early_finish: dt.date
    late_start: dt.date
    late_finish: dt.date
    total_float: int | None  # working days of the project calendar; none for a complete activity


@dataclass(frozen=True, slots=True)
class CpmResult:
    data_date: dt.date
    finish: dt.date | None  # the latest early finish; none when nothing is in the network
    timings: Mapping[str, Timing]  # by Activity.key, tasks and milestones only
    critical_path: tuple[Activity, ...]

    def total_float(self, key: str) -> int | None:
        timing = self.timings.get(key)
        return None if timing is None else timing.total_float


def analyse(schedule: Schedule) -> CpmResult:
    """Both passes over the schedule and its critical path. Raises `CircularLogic`."""
    return Network(schedule).solve()


class Network:
    """A schedule's tasks, milestones and links, indexed for the passes. Built once, then only read."""

    __slots__ = (
        "activities", "calendars", "data_date", "deadline", "durations", "index", "not_before", "order",
        "predecessors", "project", "states", "successors",
    )

    def __init__(self, schedule: Schedule) -> None:
        self.activities = tuple(a for a in schedule.activities if a.kind in _NETWORK_KINDS)
        self.index = {a.key: i for i, a in reversed(list(enumerate(self.activities)))}
        self.project = WorkCalendar(schedule.calendars[schedule.calendar])
        self.calendars = _calendars(schedule, self.activities, self.project)
        self.data_date = _data_date(schedule).toordinal()
        self.not_before = max(self.data_date, schedule.start.toordinal() if schedule.start else 0)
        self.deadline = None if schedule.must_finish_by is None else schedule.must_finish_by.toordinal()
        self.states = tuple(_state(a) for a in self.activities)
        self.durations = tuple(_duration(a, s) for a, s in zip(self.activities, self.states, strict=True))
        self.predecessors, self.successors = _edges(schedule, self.index, len(self.activities))
        self.order = _order(self.activities, self.predecessors, self.successors)

    def solve(self) -> CpmResult:
        es, ef = self.forward()
        finish = max(ef, default=None)
        ls, lf = self.backward(es, ef, (finish or 0) if self.deadline is None else 2 * self.deadline + 1)
        floats = {i: self._float(i, es, ef, ls, lf) for i in self.order}
        timings = {
            a.key: Timing(_day(es[i]), _day(ef[i]), _day(ls[i]), _day(lf[i]), floats[i])
            for i, a in enumerate(self.activities)
        }
        return CpmResult(
            data_date=dt.date.fromordinal(self.data_date),
            finish=None if finish is None else _day(finish),
            timings=MappingProxyType(timings),
            critical_path=self._critical_path(floats, es, ef),
        )

    def finish_delay(self, key: str, days: int) -> int:
        """How many working days (of the activity's calendar) the project finish moves when the
        activity takes `days` more working days (re-running the forward pass)."""
        at = self.index[key]
        before = max(self.forward()[1])
        after = max(self.forward({at: days})[1])
        calendar = self.calendars[at]
        return calendar.index(instant(after)) - calendar.index(instant(before))

    def forward(self, extra: Mapping[int, int] | None = None) -> tuple[Marks, Marks]:
        """Early start and finish marks per activity; `extra` adds working days to some durations."""
        count = len(self.activities)
        early_start, early_finish = [0] * count, [0] * count
        for i in self.order:
            days = self.durations[i] + (extra.get(i, 0) if extra else 0)
            early_start[i], early_finish[i] = self._early(i, days, early_start, early_finish)
        return early_start, early_finish

    def _early(self, i: int, days: int, early_start: Marks, early_finish: Marks) -> tuple[int, int]:
        activity, calendar, state = self.activities[i], self.calendars[i], self.states[i]
        if state == _COMPLETE:
            return _actuals(activity, self.data_date)
        if state == _STARTED:
            assert activity.actual_start is not None
            start = 2 * activity.actual_start.toordinal()
            if days == 0:
                return start, max(start, 2 * self.data_date - 1)
            first = 2 * max(self.data_date, activity.actual_start.toordinal())
            return start, calendar.end_after(calendar.early_start(first, days), days)
        start_at, finish_at = 2 * self.not_before, 0
        for other, kind, lag in self.predecessors[i]:
            source = early_finish if kind & _FROM_FINISH else early_start
            mark = self.calendars[other].shift(source[other], lag)
            if kind & _TO_FINISH:
                finish_at = max(finish_at, mark)
            else:
                start_at = max(start_at, mark)
        constraint = activity.constraint
        if constraint is not None and constraint.date is not None:
            on, kind_ = constraint.date.toordinal(), constraint.type
            if kind_ in _FIXED_START:
                start_at, finish_at = 2 * on, 0
            elif kind_ in _FIXED_FINISH:
                start_at, finish_at = 0, 2 * on + 1
            elif kind_ == _C.start_no_earlier_than:
                start_at = max(start_at, 2 * on)
            elif kind_ == _C.finish_no_earlier_than:
                finish_at = max(finish_at, 2 * on + 1)
        if days == 0:
            mark = calendar.early_start(max(start_at, finish_at), 0)
            return mark, mark
        start = calendar.early_start_for_finish(finish_at, days) if finish_at else 0
        if start_at:
            start = max(start, calendar.early_start(start_at, days))
        return start, calendar.end_after(start, days)

    def backward(self, early_start: Marks, early_finish: Marks, limit: int) -> tuple[Marks, Marks]:
        """Late start and finish marks; every activity must finish by the mark `limit`."""
        late_start, late_finish = list(early_start), list(early_finish)
        for i in reversed(self.order):
            if self.states[i] != _COMPLETE:
                late_start[i], late_finish[i] = self._late(i, limit, late_start, late_finish)
        return late_start, late_finish

    def _late(self, i: int, limit: int, late_start: Marks, late_finish: Marks) -> tuple[int, int]:
        activity, calendar, days = self.activities[i], self.calendars[i], self.durations[i]
        start_by, finish_by = _FAR, limit
        for other, kind, lag in self.successors[i]:
            if self.states[other] != _COMPLETE:
                mark = calendar.shift((late_finish if kind & _TO_FINISH else late_start)[other], -lag)
                if kind & _FROM_FINISH:
                    finish_by = min(finish_by, mark)
                else:
                    start_by = min(start_by, mark)
        constraint = activity.constraint
        if constraint is not None and constraint.date is not None:
            on, kind_ = constraint.date.toordinal(), constraint.type
            if kind_ in _MANDATORY:
                start_by, finish_by = _FAR, _FAR
            if kind_ in _START_LIMITS:
                start_by = min(start_by, 2 * on)
            elif kind_ in _FINISH_LIMITS:
                finish_by = min(finish_by, 2 * on + 1)
        if self.states[i] == _STARTED:
            start_by = _FAR  # started: only its finish is still to come
        if start_by == finish_by == _FAR:
            finish_by = limit
        if days == 0:
            mark = calendar.late_start(min(start_by, finish_by), 0)
            return mark, mark
        start = calendar.late_start_for_finish(finish_by, days) if finish_by != _FAR else _FAR
        if start_by != _FAR:
            start = min(start, calendar.late_start(start_by, days))
        return start, calendar.end_after(start, days)

    def _float(self, i: int, es: Marks, ef: Marks, ls: Marks, lf: Marks) -> int | None:
        state = self.states[i]
        if state == _COMPLETE:
            return None
        at = self.project.index
        finish_float = at(instant(lf[i])) - at(instant(ef[i]))
        if state == _STARTED:
            return finish_float
        return min(finish_float, at(instant(ls[i])) - at(instant(es[i])))

    def _critical_path(self, floats: dict[int, int | None], es: Marks, ef: Marks) -> tuple[Activity, ...]:
        known = {i: f for i, f in floats.items() if f is not None}
        if not known:
            return ()
        lowest = min(known.values())
        critical = {i for i, f in known.items() if f == lowest}
        last = max(instant(ef[i]) for i in critical)
        found = {i for i in critical if instant(ef[i]) == last}
        todo = deque(found)
        while todo:
            i = todo.popleft()
            for other, kind, lag in self.predecessors[i]:
                if other in critical and other not in found and self._drives(other, i, kind, lag, es, ef):
                    found.add(other)
                    todo.append(other)
        ordered = sorted(found, key=lambda i: (instant(es[i]), instant(ef[i]), i))
        return tuple(self.activities[i] for i in ordered)

    def _drives(self, before: int, after: int, kind: int, lag: int, es: Marks, ef: Marks) -> bool:
        if self.states[after] != _NOT_STARTED:
            return False
        needed = self.calendars[before].shift((ef if kind & _FROM_FINISH else es)[before], lag)
        calendar = self.calendars[after]
        earliest = calendar.early_start_for_finish if kind & _TO_FINISH else calendar.early_start
        return instant(earliest(needed, self.durations[after])) == instant(es[after])


def _day(mark: int) -> dt.date:
    return dt.date.fromordinal(mark // 2)


def _state(activity: Activity) -> int:
    if activity.complete:
        return _COMPLETE
    return _NOT_STARTED if activity.actual_start is None else _STARTED


def _duration(activity: Activity, state: int) -> int:
    if activity.kind == Kind.milestone:
        return 0
    if state == _STARTED:
        left = activity.remaining
        if left is None:
            left = activity.duration * (1 - min(max(activity.percent_complete, 0.0), 100.0) / 100)
        return max(whole_days(left), 0)
    return max(whole_days(activity.duration), 0)


def _actuals(activity: Activity, data_date: int) -> tuple[int, int]:
    start = activity.actual_start or activity.start
    finish = activity.actual_finish or activity.finish
    start_day = (start or finish or dt.date.fromordinal(data_date)).toordinal()
    if activity.kind == Kind.milestone:
        return 2 * start_day, 2 * start_day
    finish_day = max((finish or start or dt.date.fromordinal(data_date)).toordinal(), start_day)
    return 2 * start_day, 2 * finish_day + 1


def _data_date(schedule: Schedule) -> dt.date:
    given = schedule.status_date or schedule.start
    if given is not None:
        return given
    written = [d for a in schedule.activities for d in (a.actual_start, a.start, a.baseline_start) if d]
    return min(written, default=dt.date(2000, 1, 3))


def _calendars(
    schedule: Schedule, activities: Sequence[Activity], project: WorkCalendar
) -> tuple[WorkCalendar, ...]:
    base = schedule.calendars[schedule.calendar]
    built = {base.key: project}
    for calendar in map(schedule.calendar_of, activities):
        if calendar.key not in built:
            built[calendar.key] = WorkCalendar(calendar, base)
    return tuple(built[schedule.calendar_of(a).key] for a in activities)


def _edges(schedule: Schedule, index: Mapping[str, int], count: int) -> tuple[Edges, Edges]:
    predecessors: Edges = [[] for _ in range(count)]
    successors: Edges = [[] for _ in range(count)]
    for link in schedule.links:
        before, after = index.get(link.predecessor), index.get(link.successor)
        if before is None or after is None:
            continue
        kind, lag = _TYPES.get(link.type, _FROM_FINISH), whole_days(link.lag)
        predecessors[after].append((before, kind, lag))
        successors[before].append((after, kind, lag))
    return predecessors, successors


def _order(activities: Sequence[Activity], predecessors: Edges, successors: Edges) -> list[int]:
    """Kahn's algorithm: a topological order, or `CircularLogic` naming one loop."""
    waiting = [len(p) for p in predecessors]
    ready = deque(i for i, n in enumerate(waiting) if n == 0)
    order: list[int] = []
    while ready:
        i = ready.popleft()
        order.append(i)
        for other, _, _ in successors[i]:
            waiting[other] -= 1
            if waiting[other] == 0:
                ready.append(other)
    if len(order) < len(activities):
        raise CircularLogic([activities[i] for i in _loop(waiting, predecessors)])
    return order


def _loop(waiting: list[int], predecessors: Edges) -> list[int]:
    """One loop among the activities Kahn's algorithm could not order: walk back along predecessors
    that are themselves unordered until an activity repeats."""
    at = next(i for i, n in enumerate(waiting) if n > 0)
    seen: dict[int, int] = {}  # activity -> its place on the walk
    while at not in seen:
        seen[at] = len(seen)
        at = next(other for other, _, _ in predecessors[at] if waiting[other] > 0)
    return list(seen)[seen[at]:][::-1]
