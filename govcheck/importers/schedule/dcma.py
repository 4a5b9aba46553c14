"""The DCMA 14-point schedule assessment (DCMA-EA PAM 200.1), measured on a schedule.

This module measures; it does not judge. The thresholds (5%, none, 0.95 ...) are rule options
elsewhere; only the metric parameters (what counts as high float or duration, how long a delay the
critical path test injects) are arguments of `assess`. Float and the critical path come from `cpm`,
never from the float the file reports; circular logic raises `cpm.CircularLogic`, and dates outside
1980-2199 `calendar.OutsideCalendar`.

Populations:
- "tasks": incomplete activities of kind task (summaries, level-of-effort activities, milestones and
  complete activities are left out). Checks 1, 5, 6, 7, 8 and 10 count over them.
- "links": links between tasks and milestones (as the critical path sees them; links of summaries and
  level-of-effort activities are ignored) whose predecessor or successor is one of the tasks. Checks
  2-4 count over them; their offenders are the links' successor activities, each once.
- Check 1 (missing logic) counts a task with no predecessor or no successor among those links to
  tasks and milestones. Milestones are not in the population, so a project's start and finish
  milestones are never counted; a task that opens or closes the project without one is.
- Check 8 (high duration) compares the baseline duration where the file gives one, else the planned
  (original) duration, with `high_duration_days`.
- Check 9 (invalid dates) counts over every activity but summaries: a start or finish still forecast
  (not actual) before the status date, or an actual start or finish after it.
- Checks 11 and 14 count over activities of kind task, complete or not, whose baseline finish is on or
  before the status date. Missed (11): finished after the baseline finish, or not finished. BEI (14):
  the tasks of any baseline finished on or before the status date, over that population; its count
  and offenders are the population's tasks not finished by the status date.

Figures (`Check.value`): the share (0..1) for checks 1, 3, 5, 6, 8, 10 and 11, the share of
finish-to-start links for check 4 (its count is the other links); the count for checks 2, 7 and 9;
the index for 13 and 14; for 12, 1.0 for a pass and 0.0 for a failure. None when it cannot be
measured: no status date (9, 11, 13, 14), an empty population, no critical path (12), no baseline.

Check 12 (critical path test) adds `critical_path_delay_days` to the remaining duration of the first
task on the critical path, in early-start order (all of them are incomplete; the first activity when
the path holds only milestones), and re-runs the forward pass: it passes when the project finish moves
by exactly that many working days of that task's calendar. Its total is the number of activities on
the critical path; on failure its offender is the delayed task.

Check 13 (CPLI) = (critical path length + project total float) / critical path length, on the project
calendar: the length is the working days from the status date up to and including the forecast
(critical path) finish; the float is the working days from that finish to the project's baseline
finish, the latest baseline finish of any activity, or `Schedule.must_finish_by` when given
(negative when the forecast is later). Its total is the critical path length; it has no offenders.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from govcheck.importers.schedule.cpm import CpmResult, Network
from govcheck.importers.schedule.model import HARD_CONSTRAINTS, Activity, Kind, Link, Schedule

_NETWORK = frozenset({Kind.task, Kind.milestone})
Links = list[tuple[Link, Activity]]  # a link and its successor


@dataclass(frozen=True, slots=True)
class Check:
    name: str
    number: int
    count: int  # offending items
    total: int  # the population counted over
    value: float | None  # the figure a threshold is compared with; none when it cannot be measured
    offenders: tuple[Activity, ...]  # in file order


@dataclass(frozen=True, slots=True)
class Assessment:
    checks: Mapping[str, Check]  # by name, in check number order
    cpm: CpmResult

    @property
    def finish(self) -> dt.date | None:
        return self.cpm.finish

    @property
    def critical_path(self) -> tuple[Activity, ...]:
        return self.cpm.critical_path


def assess(
    schedule: Schedule,
    *,
    high_float_days: float = 44,
    high_duration_days: float = 44,
    critical_path_delay_days: int = 600,
) -> Assessment:
    network = Network(schedule)
    result = network.solve()
    tasks = [a for a in schedule.activities if a.kind == Kind.task and not a.complete]
    links = _links(schedule, {a.key for a in tasks})
    status = schedule.status_date

    def floats(test: Callable[[float], bool]) -> Callable[[Activity], bool]:
        return lambda a: (f := result.total_float(a.key)) is not None and test(f)

    checks = (
        _share("missing_logic", 1, tasks, _missing_logic(schedule)),
        _links_check("leads", 2, links, lambda link: link.lag < 0, share=False),
        _links_check("lags", 3, links, lambda link: link.lag > 0),
        _relationship_types(links),
        _share("hard_constraints", 5, tasks, _hard),
        _share("high_float", 6, tasks, floats(lambda f: f > high_float_days)),
        _count("negative_float", 7, tasks, floats(lambda f: f < 0)),
        _share("high_duration", 8, tasks, lambda a: _planned(a) > high_duration_days),
        _invalid_dates(schedule),
        _share("resources", 10, tasks, lambda a: a.resources <= 0),
        _missed_tasks(schedule, status),
        _critical_path_test(network, result, critical_path_delay_days),
        _cpli(schedule, network, result),
        _bei(schedule, status),
    )
    return Assessment(MappingProxyType({c.name: c for c in checks}), result)


def _check(name: str, number: int, offenders: list[Activity], total: int, value: float | None) -> Check:
    return Check(name, number, len(offenders), total, value, tuple(offenders))


def _share(name: str, number: int, population: list[Activity], test: Callable[[Activity], bool]) -> Check:
    offenders = [a for a in population if test(a)]
    return _check(name, number, offenders, len(population), _ratio(len(offenders), len(population)))


def _count(name: str, number: int, population: list[Activity], test: Callable[[Activity], bool]) -> Check:
    offenders = [a for a in population if test(a)]
    return _check(name, number, offenders, len(population), float(len(offenders)) if population else None)


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _hard(activity: Activity) -> bool:
    return activity.constraint is not None and activity.constraint.type in HARD_CONSTRAINTS


def _planned(activity: Activity) -> float:
    return activity.duration if activity.baseline_duration is None else activity.baseline_duration


def _links(schedule: Schedule, tasks: set[str]) -> Links:
    """The links counted by checks 2-4, with their successors."""
    found = []
    for link in schedule.links:
        before, after = schedule.by_key.get(link.predecessor), schedule.by_key.get(link.successor)
        if before is None or after is None or before.key == after.key:
            continue
        if before.kind in _NETWORK and after.kind in _NETWORK and (before.key in tasks or after.key in tasks):
            found.append((link, after))
    return found


def _successors(links: Iterable[tuple[Link, Activity]]) -> list[Activity]:
    """The successors of some links, each once, in file order."""
    unique = {a.key: a for _, a in links}
    return sorted(unique.values(), key=lambda a: a.line)


def _links_check(
    name: str, number: int, links: Links, test: Callable[[Link], bool], *, share: bool = True
) -> Check:
    offending = [(link, a) for link, a in links if test(link)]
    value = _ratio(len(offending), len(links)) if share else float(len(offending)) if links else None
    return Check(name, number, len(offending), len(links), value, tuple(_successors(offending)))


def _relationship_types(links: Links) -> Check:
    other = [(link, a) for link, a in links if link.type != "FS"]
    value = _ratio(len(links) - len(other), len(links))
    return Check("relationship_types", 4, len(other), len(links), value, tuple(_successors(other)))


def _missing_logic(schedule: Schedule) -> Callable[[Activity], bool]:
    linked_before: set[str] = set()
    linked_after: set[str] = set()
    for link in schedule.links:
        before, after = schedule.by_key.get(link.predecessor), schedule.by_key.get(link.successor)
        if before is None or after is None or before.key == after.key:
            continue
        if before.kind in _NETWORK and after.kind in _NETWORK:
            linked_after.add(before.key)
            linked_before.add(after.key)
    return lambda a: a.key not in linked_before or a.key not in linked_after


def _invalid_dates(schedule: Schedule) -> Check:
    population = [a for a in schedule.activities if a.kind != Kind.summary]
    status = schedule.status_date
    if status is None:
        return Check("invalid_dates", 9, 0, len(population), None, ())

    def invalid(a: Activity) -> bool:
        forecast_start = a.start if a.actual_start is None and not a.complete else None
        forecast_finish = a.finish if not a.complete else None
        early = [d for d in (forecast_start, forecast_finish) if d is not None and d < status]
        late = [d for d in (a.actual_start, a.actual_finish) if d is not None and d > status]
        return bool(early or late)

    return _count("invalid_dates", 9, population, invalid)


def _finished_by(activity: Activity, status: dt.date) -> bool:
    if not activity.complete:
        return False
    finish = activity.actual_finish or activity.finish
    return finish is None or finish <= status


def _baselined(schedule: Schedule, status: dt.date) -> list[Activity]:
    return [
        a
        for a in schedule.activities
        if a.kind == Kind.task and a.baseline_finish is not None and a.baseline_finish <= status
    ]


def _missed_tasks(schedule: Schedule, status: dt.date | None) -> Check:
    if status is None:
        return Check("missed_tasks", 11, 0, 0, None, ())

    def missed(a: Activity) -> bool:
        finish = a.actual_finish or a.finish
        assert a.baseline_finish is not None
        return not a.complete or (finish is not None and finish > a.baseline_finish)

    return _share("missed_tasks", 11, _baselined(schedule, status), missed)


def _bei(schedule: Schedule, status: dt.date | None) -> Check:
    if status is None:
        return Check("bei", 14, 0, 0, None, ())
    finished = sum(1 for a in schedule.activities if a.kind == Kind.task and _finished_by(a, status))
    population = _baselined(schedule, status)
    behind = [a for a in population if not _finished_by(a, status)]
    return _check("bei", 14, behind, len(population), _ratio(finished, len(population)))


def _critical_path_test(network: Network, result: CpmResult, delay: int) -> Check:
    path = result.critical_path
    if not path:
        return Check("critical_path_test", 12, 0, 0, None, ())
    first = next((a for a in path if a.kind == Kind.task), path[0])
    passed = network.finish_delay(first.key, delay) == delay
    if passed:
        return Check("critical_path_test", 12, 0, len(path), 1.0, ())
    return Check("critical_path_test", 12, 1, len(path), 0.0, (first,))


def _cpli(schedule: Schedule, network: Network, result: CpmResult) -> Check:
    status, finish = schedule.status_date, result.finish
    baselines = [a.baseline_finish for a in schedule.activities if a.baseline_finish is not None]
    target = schedule.must_finish_by or max(baselines, default=None)
    if status is None or finish is None or target is None:
        return Check("cpli", 13, 0, 0, None, ())
    working = network.project.index
    length = working(finish.toordinal() + 1) - working(status.toordinal())
    slack = working(target.toordinal() + 1) - working(finish.toordinal() + 1)
    return Check("cpli", 13, 0, max(length, 0), (length + slack) / length if length > 0 else None, ())
