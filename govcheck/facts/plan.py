"""Facts from the programme's own schedule file: the DCMA 14-point checks, and what moved
since the previous update (govcheck.importers.schedule).

Every fact here is `None` when the description names no schedule file (`schedule_files`), or
no previous update for the movement facts; a check that cannot be measured on the file (no
status date, nothing in its population) is `None` too, and its rule is left open.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, ClassVar

from pydantic import Field

from govcheck.facts.common import Facts, Reads
from govcheck.importers.schedule.evidence import ScheduleEvidence
from govcheck.model import Programme

#: The first offending activities a finding quotes; JSON and SARIF list them all.
FIRST = 5

#: Each DCMA check (DCMA-EA PAM 200.1): what its value is.
CHECKS: Mapping[str, str] = MappingProxyType(
    {
        "missing_logic": "Share of incomplete tasks with no predecessor or no successor.",
        "leads": "Links with a negative lag (leads) to or from incomplete tasks.",
        "lags": "Share of links to or from incomplete tasks with a positive lag.",
        "relationship_types": "Share of links to or from incomplete tasks that are finish-to-start.",
        "hard_constraints": "Share of incomplete tasks with a hard date constraint.",
        "high_float": "Share of incomplete tasks with total float above the high-float limit.",
        "negative_float": "Incomplete tasks with negative total float.",
        "high_duration": "Share of incomplete tasks with a baseline duration above the high-duration limit.",
        "invalid_dates": "Activities with a forecast date before the status date or an actual date after it.",
        "resources": "Share of incomplete tasks with a duration and no resources.",
        "missed_tasks": "Share of tasks due by the status date that finished late or have not finished.",
        "critical_path_test": "A delay on the critical path moves the finish by as much (DCMA check 12).",
        "cpli": "Critical path length index: (critical path length + total float) / critical path length.",
        "bei": "Baseline execution index: tasks finished / tasks due to finish by the status date.",
    }
)


class DcmaFacts(Facts):
    """The DCMA 14-point assessment of the schedule file's current snapshot: per check its value,
    the activities that fail it (`_count`), those it is counted over (`_total`) and the first few
    that fail it (`_first`, `ID name`)."""

    missing_logic: float | None = Field(default=None, description=CHECKS["missing_logic"])
    missing_logic_count: int | None = None
    missing_logic_total: int | None = None
    missing_logic_first: tuple[str, ...] = ()
    leads: float | None = Field(default=None, description=CHECKS["leads"])
    leads_count: int | None = None
    leads_total: int | None = None
    leads_first: tuple[str, ...] = ()
    lags: float | None = Field(default=None, description=CHECKS["lags"])
    lags_count: int | None = None
    lags_total: int | None = None
    lags_first: tuple[str, ...] = ()
    relationship_types: float | None = Field(default=None, description=CHECKS["relationship_types"])
    relationship_types_count: int | None = None
    relationship_types_total: int | None = None
    relationship_types_first: tuple[str, ...] = ()
    hard_constraints: float | None = Field(default=None, description=CHECKS["hard_constraints"])
    hard_constraints_count: int | None = None
    hard_constraints_total: int | None = None
    hard_constraints_first: tuple[str, ...] = ()
    high_float: float | None = Field(default=None, description=CHECKS["high_float"])
    high_float_count: int | None = None
    high_float_total: int | None = None
    high_float_first: tuple[str, ...] = ()
    negative_float: float | None = Field(default=None, description=CHECKS["negative_float"])
    negative_float_count: int | None = None
    negative_float_total: int | None = None
    negative_float_first: tuple[str, ...] = ()
    high_duration: float | None = Field(default=None, description=CHECKS["high_duration"])
    high_duration_count: int | None = None
    high_duration_total: int | None = None
    high_duration_first: tuple[str, ...] = ()
    invalid_dates: float | None = Field(default=None, description=CHECKS["invalid_dates"])
    invalid_dates_count: int | None = None
    invalid_dates_total: int | None = None
    invalid_dates_first: tuple[str, ...] = ()
    resources: float | None = Field(default=None, description=CHECKS["resources"])
    resources_count: int | None = None
    resources_total: int | None = None
    resources_first: tuple[str, ...] = ()
    missed_tasks: float | None = Field(default=None, description=CHECKS["missed_tasks"])
    missed_tasks_count: int | None = None
    missed_tasks_total: int | None = None
    missed_tasks_first: tuple[str, ...] = ()
    critical_path_test: bool | None = Field(default=None, description=CHECKS["critical_path_test"])
    critical_path_test_count: int | None = None
    critical_path_test_total: int | None = None
    critical_path_test_first: tuple[str, ...] = ()
    cpli: float | None = Field(default=None, description=CHECKS["cpli"])
    cpli_count: int | None = None
    cpli_total: int | None = None
    cpli_first: tuple[str, ...] = ()
    bei: float | None = Field(default=None, description=CHECKS["bei"])
    bei_count: int | None = None
    bei_total: int | None = None
    bei_first: tuple[str, ...] = ()

    reads: ClassVar[Reads] = {}  # every fact reads `schedule_files`: filled in below


DcmaFacts.reads = {name: ("schedule_files",) for name in DcmaFacts.model_fields}


def dcma(evidence: ScheduleEvidence | None) -> DcmaFacts:
    if evidence is None:
        return DcmaFacts()
    values: dict[str, Any] = {}
    for name, check in evidence.assessment.checks.items():
        if check.value is not None:
            values[name] = check.value >= 1 if name == "critical_path_test" else round(float(check.value), 4)
        values[f"{name}_count"] = check.count
        values[f"{name}_total"] = check.total
        values[f"{name}_first"] = tuple(a.label for a in check.offenders[:FIRST])
    return DcmaFacts(**values)


#: What a status summary says when it claims the key dates have not moved.
UNCHANGED = re.compile(
    r"\b(no|without)\s+(change|changes|movement|slippage|slip)\s+(to|in|of)\s+(the\s+)?"
    r"((key|finish|end|completion|delivery|milestone|programme|project|go-live|go\s+live|launch)\s+)*"
    r"dates?\b"
    r"|\b(key|finish|end|completion|milestone|go-live|go\s+live)\s+dates?\s+(are\s+|is\s+|remains?\s+)?"
    r"unchanged\b",
    re.IGNORECASE,
)


class ReplanFacts(Facts):
    finish_moved_days: int | None = Field(
        description="Calendar days the schedule's finish moved since the previous update (later is positive)."
    )
    milestones_moved: int | None = Field(
        description="Milestones whose date moved later since the previous update."
    )
    worst_milestone: str | None
    worst_milestone_days: int | None = Field(description="Calendar days the worst of them moved.")
    float_eroded: int | None = Field(description="Critical and near-critical activities that lost float.")
    baseline_changed: int | None = Field(description="Activities whose baseline dates or duration changed.")
    claims_unchanged: bool | None = Field(
        description="The status says the key dates are unchanged (status.key_dates, or its summary in words)."
    )
    contradicted: bool | None = Field(
        description="The status says the key dates are unchanged while the schedule moved the finish or "
        "a milestone."
    )

    reads: ClassVar[Reads] = {
        **{
            name: ("schedule_files.previous",)
            for name in (
                "finish_moved_days",
                "milestones_moved",
                "worst_milestone",
                "worst_milestone_days",
                "float_eroded",
                "baseline_changed",
            )
        },
        "claims_unchanged": (("status.key_dates", "status.summary"),),
        "contradicted": ("schedule_files.previous", ("status.key_dates", "status.summary")),
    }


def claims_unchanged(p: Programme) -> bool | None:
    status = p.status
    if status is None or (status.key_dates is None and status.summary is None):
        return None
    if status.key_dates is not None:
        return status.key_dates == "unchanged"
    return bool(UNCHANGED.search(status.summary or ""))


def replan(p: Programme, evidence: ScheduleEvidence | None) -> ReplanFacts:
    claim = claims_unchanged(p)
    movement = evidence.movement if evidence else None
    if movement is None:
        return ReplanFacts(
            finish_moved_days=None, milestones_moved=None, worst_milestone=None, worst_milestone_days=None,
            float_eroded=None, baseline_changed=None, claims_unchanged=claim, contradicted=None,
        )
    later = [m for m in movement.milestones if m.calendar_days > 0]
    worst = max(later, key=lambda m: m.calendar_days, default=None)
    moved = bool(movement.calendar_days) or any(m.calendar_days for m in movement.milestones)
    return ReplanFacts(
        finish_moved_days=movement.calendar_days,
        milestones_moved=len(later),
        worst_milestone=worst.activity if worst else None,
        worst_milestone_days=worst.calendar_days if worst else None,
        float_eroded=len(movement.float_eroded),
        baseline_changed=len({b.activity for b in movement.baselines}),
        claims_unchanged=claim,
        contradicted=None if claim is None else claim and moved,
    )
