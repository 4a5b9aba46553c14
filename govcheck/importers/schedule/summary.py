"""What a report says of the schedule file: the DCMA checks with their figures and limits, and
what moved since the previous update, as plain values every output format renders alike."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Literal

from pydantic import Field

from govcheck.frozen import Frozen
from govcheck.importers.schedule.dcma import Check
from govcheck.importers.schedule.evidence import ScheduleEvidence
from govcheck.importers.schedule.model import Constraint
from govcheck.importers.schedule.moved import Movement
from govcheck.rule import Compare, Rule

#: How many activities or changes each list quotes; JSON and SARIF findings carry them all.
SHOWN = 10

#: Each check's name in words, in DCMA's order.
TITLES = {
    "missing_logic": "Missing logic",
    "leads": "Leads",
    "lags": "Lags",
    "relationship_types": "Finish-to-start links",
    "hard_constraints": "Hard constraints",
    "high_float": "High float",
    "negative_float": "Negative float",
    "high_duration": "High duration",
    "invalid_dates": "Invalid dates",
    "resources": "Resources",
    "missed_tasks": "Missed tasks",
    "critical_path_test": "Critical path test",
    "cpli": "Critical path length index (CPLI)",
    "bei": "Baseline execution index (BEI)",
}
SHARES = frozenset(
    {"missing_logic", "lags", "relationship_types", "hard_constraints", "high_float", "high_duration",
     "resources", "missed_tasks"}
)
INDEXES = frozenset({"cpli", "bei"})

Result = Literal["fails", "passes", "not measured", "not checked"]


class CheckLine(Frozen):
    number: int
    name: str
    title: str
    figure: str = Field(description="The value as a report shows it: 17%, 3, 0.43, passes.")
    value: float | None
    count: int
    total: int
    limit: str | None = Field(description="The rule's threshold in words; none when no rule checks it.")
    rule_id: str | None
    result: Result


class Moved(Frozen):
    previous: str
    status_before: str | None
    status_after: str | None
    finish_before: str | None
    finish_after: str | None
    calendar_days: int | None = Field(description="How far the finish moved; later is positive.")
    working_days: int | None
    milestones: tuple[str, ...] = Field(description=f"The first {SHOWN} milestones that moved.")
    drivers: tuple[str, ...] = Field(
        description="What drove it: logic, durations and constraints changed, work behind plan."
    )
    float_eroded: tuple[str, ...]
    baseline_changes: tuple[str, ...]


class ScheduleSummary(Frozen):
    file: str
    format: str
    name: str
    status_date: str | None
    activities: int
    links: int
    finish: str | None = Field(description="The forecast finish, from the critical path.")
    critical_path: tuple[str, ...] = Field(description=f"The first {SHOWN} activities on it.")
    critical_count: int
    checks: tuple[CheckLine, ...]
    moved: Moved | None = None


def summarise(evidence: ScheduleEvidence, rules: Iterable[Rule], fired: Iterable[str]) -> ScheduleSummary:
    schedule, assessment = evidence.current, evidence.assessment
    judged = _rules_by_check(rules)
    fired = set(fired)
    path = assessment.critical_path
    return ScheduleSummary(
        file=schedule.path,
        format={"mspdi": "MS Project XML", "xer": "Primavera P6 XER"}[schedule.format],
        name=schedule.name,
        status_date=_iso(schedule.status_date),
        activities=len(schedule.activities),
        links=len(schedule.links),
        finish=_iso(assessment.finish),
        critical_path=tuple(a.label for a in path[:SHOWN]),
        critical_count=len(path),
        checks=tuple(_line(check, judged.get(name), fired) for name, check in assessment.checks.items()),
        moved=_moved(evidence.movement, evidence.previous.path)
        if evidence.movement and evidence.previous
        else None,
    )


def _rules_by_check(rules: Iterable[Rule]) -> dict[str, Rule]:
    found: dict[str, Rule] = {}
    for rule in rules:
        if isinstance(rule.when, Compare) and rule.when.fact.startswith("dcma."):
            found.setdefault(rule.when.fact.removeprefix("dcma."), rule)
    return found


def _figure(name: str, value: float | bool | None) -> str:
    if value is None:
        return "not measured"
    if name == "critical_path_test":
        return "passes" if value else "fails"
    if name in SHARES:
        return f"{value * 100:.0f}%" if not 0 < value < 0.01 else "less than 1%"
    if name in INDEXES:
        return f"{value:.2f}"
    return f"{value:.0f}"


def _limit(name: str, rule: Rule) -> str | None:
    when = rule.when
    assert isinstance(when, Compare)
    words = {"gt": "at most", "gte": "below", "lt": "at least", "lte": "above"}.get(when.op)
    if words is None:
        return "must pass" if name == "critical_path_test" else None
    if words == "at most" and when.value == 0:
        return "none"
    return f"{words} {_figure(name, when.value)}"


def _line(check: Check, rule: Rule | None, fired: set[str]) -> CheckLine:
    if rule is None:
        result: Result = "not checked"
    elif rule.id in fired:
        result = "fails"
    elif check.value is None:
        result = "not measured"
    else:
        result = "passes"
    return CheckLine(
        number=check.number,
        name=check.name,
        title=TITLES.get(check.name, check.name),
        figure=_figure(check.name, check.value),
        value=check.value,
        count=check.count,
        total=check.total,
        limit=_limit(check.name, rule) if rule else None,
        rule_id=rule.id if rule else None,
        result=result,
    )


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _days(n: float) -> str:
    return f"{n:+.0f} {'day' if abs(n) == 1 else 'days'}"


def _first(items: Sequence[str]) -> tuple[str, ...]:
    return tuple(items[:SHOWN]) + ((f"and {len(items) - SHOWN} more",) if len(items) > SHOWN else ())


def _moved(m: Movement, previous: str) -> Moved:
    drivers = [
        *(
            f"link {c.change}: {c.predecessor} → {c.successor} ({c.type}"
            + (f", lag {c.lag_before:g} → {c.lag_after:g} days" if c.change == "changed" else "")
            + ")"
            for c in m.links
        ),
        *(
            f"{d.activity}: duration {d.planned_before:g} → {d.planned_after:g} working days"
            if d.planned_before != d.planned_after
            else f"{d.activity}: remaining {d.remaining_before:g} → {d.remaining_after:g} working days"
            for d in m.durations
        ),
        *(f"{c.activity}: constraint {c.change} ({_constraint(c.before)} → {_constraint(c.after)})"
          for c in m.constraints),
        *(f"{s.activity}: behind plan, due to {s.event} {s.planned.isoformat()}, now "
          f"{s.forecast.isoformat() if s.forecast else 'not forecast'} ({_days(s.days)})" for s in m.behind),
        *(f"{a.activity}: {a.change}" for a in m.activities),
    ]
    return Moved(
        previous=previous,
        status_before=_iso(m.status_before),
        status_after=_iso(m.status_after),
        finish_before=_iso(m.finish_before),
        finish_after=_iso(m.finish_after),
        calendar_days=m.calendar_days,
        working_days=m.working_days,
        milestones=_first([
            f"{x.activity}: {_iso(x.before)} → {_iso(x.after)} ({_days(x.calendar_days)})"
            for x in m.milestones if x.calendar_days
        ]),
        drivers=_first(drivers),
        float_eroded=_first([
            f"{e.activity}: float {e.before} → {e.after} working days" for e in m.float_eroded
        ]),
        baseline_changes=_first([
            f"{b.activity}: baseline {b.field} {_value(b.before)} → {_value(b.after)}" for b in m.baselines
        ]),
    )


def _constraint(c: Constraint | None) -> str:
    if c is None:
        return "none"
    return f"{c.type.value} {c.date.isoformat()}" if c.date else c.type.value


def _value(v: dt.date | float | None) -> str:
    if v is None:
        return "none"
    return v.isoformat() if isinstance(v, dt.date) else f"{v:g} days"
