"""Facts on migration, milestones and the delivery approach (NAO questions 5, 14, 16)."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar, Literal

from pydantic import Field

from govcheck.facts.common import Facts, Reads, described, share
from govcheck.model import Programme


class MigrationFacts(Facts):
    has_plan: bool | None
    unit: str | None
    total: int | None
    checkpoint: str | None = Field(description="Date of the latest checkpoint with progress reported.")
    planned: int | None = Field(description="Units planned to have moved by that checkpoint.")
    done: int | None = Field(description="Units moved by then.")
    done_share_of_planned: float | None = Field(description="done / planned; none when nothing was planned.")
    done_share_of_total: float | None
    shortfall: int | None
    no_new_date: bool | None = Field(description="The roll-out is delayed and has no new end date.")

    # Progress is not known when a checkpoint is due and none due says what was done.
    reads: ClassVar[Reads] = {
        "has_plan": ("migration",),
        "unit": ("migration",),
        "total": ("migration",),
        "checkpoint": ("migration", "migration.checkpoints[].done"),
        "planned": ("migration",),
        "done": ("migration", "migration.checkpoints[].done"),
        "done_share_of_planned": ("migration", "migration.checkpoints[].done"),
        "done_share_of_total": ("migration", "migration.checkpoints[].done"),
        "shortfall": ("migration", "migration.checkpoints[].done"),
        "no_new_date": ("migration",),
    }


class ScheduleFacts(Facts):
    milestones: int | None
    interim: int | None = Field(description="Milestones that are not a whole-service go-live.")
    big_bang: bool | None = Field(description="Big-bang approach, or a go-live with no interim milestone.")
    approach: Literal["phased", "big_bang"] | None
    max_slip_days: int | None = Field(description="Largest forecast or actual slip past baseline, in days.")
    worst_milestone: str | None
    slipped_90: int | None = Field(description="Milestones slipped by more than 90 days.")
    overdue: int | None = Field(description="Milestones past their forecast and not reached (actual: null).")
    overdue_names: tuple[str, ...]
    past_planned_end: bool | None = Field(description="Past the planned end date and still in delivery.")
    no_new_date: int | None = Field(description="Milestones missed with no new date set.")
    no_new_date_names: tuple[str, ...]

    reads: ClassVar[Reads] = {
        "milestones": ("milestones",),
        "interim": ("milestones",),
        # Without milestones, only a big-bang approach says so.
        "big_bang": (("milestones", "delivery.approach"),),
        "approach": ("delivery.approach",),
        "max_slip_days": ("milestones",),
        "worst_milestone": ("milestones",),
        "slipped_90": ("milestones",),
        # A milestone due that does not say whether it was reached: not known.
        "overdue": ("milestones", "milestones[].actual"),
        "overdue_names": ("milestones",),
        # Past the end date, late only if its state says it is still in delivery.
        "past_planned_end": ("planned_end_date", ("status",)),
        "no_new_date": ("milestones",),
        "no_new_date_names": ("milestones",),
    }


def migration(p: Programme) -> MigrationFacts:
    m = p.migration
    if m is None:
        has_plan = False if described(p, "migration") else None
        return MigrationFacts(
            has_plan=has_plan, unit=None, total=None, checkpoint=None, planned=None, done=None,
            done_share_of_planned=None, done_share_of_total=None, shortfall=None, no_new_date=has_plan,
        )  # fmt: skip
    due = [c for c in m.checkpoints if c.date <= p.assessment_date]
    reported = [c for c in due if c.done is not None]
    last = reported[-1] if reported else None
    # Nothing due yet: nothing was planned to have moved. Due but not reported: not known.
    planned = last.planned if last else (due[-1].planned if due else 0)
    done = last.done if last else (None if due else 0)
    return MigrationFacts(
        has_plan=True,
        unit=m.unit,
        total=m.total,
        checkpoint=last.date.isoformat() if last else None,
        planned=planned,
        done=done,
        done_share_of_planned=share(done, planned),
        done_share_of_total=share(done, m.total),
        shortfall=max(planned - done, 0) if planned is not None and done is not None else None,
        no_new_date=m.no_new_date if described(m, "no_new_date") else False,
    )


def schedule(p: Programme, today: dt.date) -> ScheduleFacts:
    approach = p.delivery.approach if described(p.delivery, "approach") else None
    known_approach = None if approach == "unknown" else approach
    end = p.planned_end_date
    state = p.status.state if p.status is not None else None
    if end is None or end >= today or state in ("closed", "terminated", "cancelled"):
        past_end = None if end is None else False
    else:  # past the end date: late only if it is known to be still in delivery
        past_end = True if state is not None else None
    if not described(p, "milestones"):
        return ScheduleFacts(
            milestones=None, interim=None, big_bang=True if known_approach == "big_bang" else None,
            approach=known_approach, max_slip_days=None, worst_milestone=None, slipped_90=None,
            overdue=None, overdue_names=(), past_planned_end=past_end, no_new_date=None, no_new_date_names=(),
        )  # fmt: skip
    slips: list[tuple[int, str]] = []
    overdue = []  # due, and `actual: null`: known not to have been reached
    unreported = 0  # due, and no actual date described
    for ms in p.milestones:
        latest = ms.actual or ms.forecast or ms.baseline
        slips.append(((latest - ms.baseline).days, ms.name))
        if ms.actual is None and (ms.forecast or ms.baseline) < today:
            if described(ms, "actual"):
                overdue.append(ms.name)
            else:
                unreported += 1
    worst = max(slips, default=(0, ""))
    interim = sum(1 for ms in p.milestones if not ms.go_live)
    go_live = any(ms.go_live for ms in p.milestones)
    return ScheduleFacts(
        milestones=len(p.milestones),
        interim=interim,
        big_bang=known_approach == "big_bang" or (go_live and interim == 0),
        approach=known_approach,
        max_slip_days=max(worst[0], 0),
        worst_milestone=worst[1] if worst[0] > 0 else None,
        slipped_90=sum(1 for days, _ in slips if days > 90),
        overdue=None if unreported and not overdue else len(overdue),
        overdue_names=tuple(overdue),
        past_planned_end=past_end,
        no_new_date=sum(1 for ms in p.milestones if ms.no_new_date and ms.actual is None),
        no_new_date_names=tuple(ms.name for ms in p.milestones if ms.no_new_date and ms.actual is None),
    )
