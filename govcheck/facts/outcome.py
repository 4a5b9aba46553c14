"""Facts on how a programme ends and what it delivers: status, losses, outputs, performance,
independent opinions on its forecasts, non-cash benefits and earlier snapshots (NAO question
16 and the NAO's value-for-money criteria: economy, efficiency, effectiveness)."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar, Literal

from pydantic import Field

from govcheck.facts.common import Facts, Reads, at_least, described, share
from govcheck.model import Benefit, Output, Performance, Programme
from govcheck.vocab import RATING_RANK, RatingName

State = Literal["active", "paused", "reset", "terminated", "cancelled", "closed"]


class StatusFacts(Facts):
    state: State | None
    ended: bool | None = Field(description="Terminated or cancelled.")
    reset: bool | None = Field(description="Reset or re-planned.")
    date: str | None = Field(description="When it entered its state.")
    decided_by: str | None
    reason: str | None

    reads: ClassVar[Reads] = {
        "state": ("status",),
        "ended": ("status",),
        "reset": ("status",),
        "date": ("status", "status.date"),
        "decided_by": ("status.decided_by",),
        "reason": ("status.reason",),
    }


class LossFacts(Facts):
    written_off: float | None = Field(description="Spend written off or nugatory; 0 when none.")
    written_off_share: float | None = Field(description="written_off / spent to date.")
    termination_costs: float | None
    legacy_costs: float | None = Field(description="Cost of keeping legacy systems running because of delay.")

    reads: ClassVar[Reads] = {
        "written_off": ("costs.written_off",),
        "written_off_share": ("costs.written_off", "costs.spent_to_date"),
        "termination_costs": ("costs.termination_costs",),
        "legacy_costs": ("costs.legacy_costs",),
    }


class OutputFacts(Facts):
    items: int | None
    planned: int | None = Field(description="Units planned in all.")
    due: int | None = Field(description="Units planned by the assessment date.")
    delivered: int | None = Field(description="Units delivered, counting none beyond the plan.")
    due_delivered_share: float | None = Field(description="Delivered of what was due, over all outputs.")
    planned_delivered_share: float | None = Field(description="Delivered of all that was planned.")
    none_delivered: bool | None
    all_due_delivered: bool | None = Field(description="Every output due was delivered in full.")
    worst_name: str | None = Field(description="The output furthest behind what was due.")
    worst_unit: str | None
    worst_due: int | None
    worst_delivered: int | None

    # What is due: each output's `due`; else all of it once the programme has closed or ended
    # (its status) or its planned end date has passed, or once it is delivered in full.
    reads: ClassVar[Reads] = {
        "items": ("outputs",),
        "planned": ("outputs",),
        "due": ("outputs", ("outputs[].due", "planned_end_date", "status", "outputs[].delivered")),
        "delivered": ("outputs", "outputs[].delivered"),
        "planned_delivered_share": ("outputs", "outputs[].delivered"),
        "none_delivered": ("outputs", "outputs[].delivered"),
        **{
            name: ("outputs", "outputs[].delivered", ("outputs[].due", "planned_end_date", "status"))
            for name in (
                "due_delivered_share",
                "all_due_delivered",
                "worst_name",
                "worst_unit",
                "worst_due",
                "worst_delivered",
            )
        },
    }


class PerformanceFacts(Facts):
    measured: int | None = Field(description="Measures with an actual as of the assessment date.")
    missed: int | None = Field(description="Measures below target.")
    worst_attainment: float | None = Field(
        description="Lowest actual / target (target / actual when lower is better)."
    )
    worst_measure: str | None
    worst_target: float | None
    worst_actual: float | None
    worst_unit: str | None

    # A measure with no actual (as of the assessment date) is not scored.
    reads: ClassVar[Reads] = {
        name: ("performance", "performance[].actual")
        for name in (
            "measured",
            "missed",
            "worst_attainment",
            "worst_measure",
            "worst_target",
            "worst_actual",
            "worst_unit",
        )
    }


class NonCashFacts(Facts):
    items: int | None = Field(description="Non-cash benefits.")
    claimed: int | None = Field(
        description="Non-cash benefits said to be realised or to have delivered value."
    )
    evidenced: int | None = Field(description="Claimed non-cash benefits that say how they are evidenced.")
    unevidenced: int | None = Field(description="Claimed non-cash benefits with no evidence.")
    unevidenced_names: tuple[str, ...]
    not_realised: int | None = Field(description="Non-cash benefits recorded as not realised.")
    not_realised_names: tuple[str, ...]
    overdue: int | None = Field(description="Non-cash benefits due by the assessment date and not realised.")
    overdue_names: tuple[str, ...]

    # Claimed: realised, or some delivered; not known where a benefit says neither.
    reads: ClassVar[Reads] = {
        "items": ("benefits.items",),
        "claimed": ("benefits.items", ("benefits.items[].realised", "benefits.items[].delivered_to_date")),
        "evidenced": ("benefits.items",),
        "unevidenced": (
            "benefits.items",
            ("benefits.items[].evidence", "benefits.items[].realised", "benefits.items[].delivered_to_date"),
        ),
        "unevidenced_names": ("benefits.items",),
        "not_realised": ("benefits.items", "benefits.items[].realised"),
        "not_realised_names": ("benefits.items",),
        # Due: its `due`, else the end of its first forecast year.
        "overdue": (
            "benefits.items",
            "benefits.items[].realised",
            ("benefits.items[].due", "benefits.items[].forecast"),
        ),
        "overdue_names": ("benefits.items",),
    }


class HistoryFacts(Facts):
    snapshots: int | None
    first_date: str | None = Field(description="The first snapshot with a whole-life cost.")
    first_cost: float | None
    cost_growth: float | None = Field(description="Whole-life cost now / at the first snapshot - 1.")
    end_slip_days: int | None = Field(description="Planned end date now less at the first snapshot.")
    previous_ipa_rating: RatingName | None = Field(
        description="The IPA's rating at the latest snapshot before the assessment date that has one."
    )
    previous_ipa_rank: int | None = Field(description="0 Green to 4 Red (Amber is 2 on either scale).")
    previous_ipa_date: str | None = Field(description="The date of that snapshot.")
    independent_ratings: int = Field(
        description="Independent delivery confidence ratings described before the assessment date: "
        "gateway reviews held and IPA ratings at earlier snapshots (0 when neither is described)."
    )
    independent_rating: RatingName | None = Field(
        description="The latest of them (a gateway review on a tie)."
    )
    independent_rank: int | None = Field(description="0 Green to 4 Red.")
    independent_by: Literal["gateway review", "IPA"] | None
    independent_date: str | None
    in_year_variance: float | None = Field(
        description="annual_forecast / annual_budget - 1, latest snapshot."
    )

    # The independent ratings come from the IPA's ratings at earlier snapshots and from
    # gateway reviews held; the rest from the snapshots alone.
    reads: ClassVar[Reads] = {
        "snapshots": ("history",),
        "first_date": ("history", "history[].whole_life_cost"),
        "first_cost": ("history", "history[].whole_life_cost"),
        # Now: the current whole-life forecast, else the latest snapshot's cost.
        "cost_growth": ("history", "history[].whole_life_cost", ("costs.whole_life",)),
        # Now: the planned end date, else the latest snapshot's.
        "end_slip_days": ("history", "history[].planned_end_date", ("planned_end_date",)),
        "previous_ipa_rating": ("history", "history[].ratings"),
        "previous_ipa_rank": ("history", "history[].ratings"),
        "previous_ipa_date": ("history", "history[].ratings"),
        **{
            name: (("history[].ratings", "gateway_reviews"),)
            for name in (
                "independent_ratings",
                "independent_rating",
                "independent_rank",
                "independent_by",
                "independent_date",
            )
        },
        "in_year_variance": ("history", "history[].annual_budget", "history[].annual_forecast"),
    }


def status(p: Programme) -> StatusFacts:
    s = p.status if described(p, "status") else None
    if s is None:
        return StatusFacts(state=None, ended=None, reset=None, date=None, decided_by=None, reason=None)
    return StatusFacts(
        state=s.state,
        ended=s.state in ("terminated", "cancelled"),
        reset=s.state == "reset",
        date=s.date.isoformat() if s.date else None,
        decided_by=s.decided_by,
        reason=s.reason,
    )


def losses(p: Programme) -> LossFacts:
    c = p.costs if described(p, "costs") else None

    def given(name: str) -> float | None:
        if not described(c, name):
            return None
        money = getattr(c, name)
        return float(money.amount) if money else 0.0

    written_off = given("written_off")
    spent = float(c.spent_to_date.amount) if c and c.spent_to_date else None
    return LossFacts(
        written_off=written_off,
        written_off_share=share(written_off, spent),
        termination_costs=given("termination_costs"),
        legacy_costs=given("legacy_costs"),
    )


def _finished(p: Programme) -> bool:
    """Closed or ended, or past its planned end date: everything planned was due."""
    state = p.status.state if p.status is not None else None
    ended = state in ("closed", "terminated", "cancelled")
    return ended or (p.planned_end_date is not None and p.planned_end_date < p.assessment_date)


def _due(o: Output, finished: bool) -> int | None:
    """Planned by the assessment date: as described; all of it once the programme has finished;
    else not described (a plan that runs on does not make everything due now)."""
    if o.due is not None:
        return o.due
    # Delivered in full: nothing of it can be behind, whatever was due.
    complete = o.delivered is not None and o.delivered >= o.planned
    return o.planned if finished or complete else None


def outputs(p: Programme) -> OutputFacts:
    if not described(p, "outputs"):
        return OutputFacts(**{name: None for name in OutputFacts.model_fields})
    items = p.outputs
    finished = _finished(p)
    dues = [_due(o, finished) for o in items]
    known = all(o.delivered is not None for o in items)
    planned = sum(o.planned for o in items)
    due = None if None in dues else sum(d for d in dues if d is not None)
    delivered = sum(min(o.delivered or 0, o.planned) for o in items) if known else None
    delivered_due = (
        sum(min(o.delivered or 0, d or 0) for o, d in zip(items, dues, strict=True))
        if known and due is not None
        else None
    )
    behind = [(o, d) for o, d in zip(items, dues, strict=True) if d and o.delivered is not None]
    worst = min(behind, key=lambda pair: (pair[0].delivered or 0) / pair[1], default=None)
    return OutputFacts(
        items=len(items),
        planned=planned,
        due=due,
        delivered=delivered,
        due_delivered_share=share(delivered_due, due),
        planned_delivered_share=share(delivered, planned),
        none_delivered=None if delivered is None else delivered == 0,
        all_due_delivered=None if delivered_due is None else delivered_due == due,
        worst_name=worst[0].name if worst else None,
        worst_unit=worst[0].unit if worst else None,
        worst_due=worst[1] if worst else None,
        worst_delivered=worst[0].delivered if worst else None,
    )


def attainment(m: Performance) -> float | None:
    """actual / target, or target / actual when lower is better; None when not a ratio."""
    if m.actual is None or m.target <= 0 or m.actual < 0:
        return None
    if m.higher_is_better:
        return round(m.actual / m.target, 4)
    return round(m.target / m.actual, 4) if m.actual > 0 else 1.0


def performance(p: Programme) -> PerformanceFacts:
    if not described(p, "performance"):
        return PerformanceFacts(**{name: None for name in PerformanceFacts.model_fields})
    current = [m for m in p.performance if m.date is None or m.date <= p.assessment_date]
    scored = [(a, m) for m in current if (a := attainment(m)) is not None]
    measured = at_least([True] * len(scored) + [None] * (len(current) - len(scored)))
    worst = min(scored, key=lambda pair: pair[0], default=None)
    return PerformanceFacts(
        measured=measured,
        missed=at_least([a < 1 for a, _ in scored] + [None] * (len(current) - len(scored))),
        worst_attainment=worst[0] if worst else None,
        worst_measure=worst[1].measure if worst else None,
        worst_target=float(worst[1].target) if worst else None,
        worst_actual=float(worst[1].actual) if worst and worst[1].actual is not None else None,
        worst_unit=worst[1].unit if worst else None,
    )


def _claimed(b: Benefit) -> bool | None:
    if b.realised or (b.delivered_to_date is not None and b.delivered_to_date.amount > 0):
        return True
    return False if described(b, "realised") or described(b, "delivered_to_date") else None


def _unevidenced(b: Benefit) -> bool | None:
    claimed = _claimed(b)
    if claimed is not True:
        return claimed
    return b.evidence is None if described(b, "evidence") else None


def noncash(p: Programme) -> NonCashFacts:
    if not (described(p, "benefits") and described(p.benefits, "items")):
        return NonCashFacts(
            items=None,
            claimed=None,
            evidenced=None,
            unevidenced=None,
            unevidenced_names=(),
            not_realised=None,
            not_realised_names=(),
            overdue=None,
            overdue_names=(),
        )
    items = [b for b in p.benefits.items if not b.cashable]
    return NonCashFacts(
        items=len(items),
        claimed=at_least(_claimed(b) for b in items),
        evidenced=sum(1 for b in items if _claimed(b) and b.evidence is not None),
        unevidenced=at_least(_unevidenced(b) for b in items),
        unevidenced_names=tuple(b.name for b in items if _unevidenced(b)),
        not_realised=at_least((b.realised is False) if described(b, "realised") else None for b in items),
        not_realised_names=tuple(b.name for b in items if described(b, "realised") and b.realised is False),
        overdue=at_least(_overdue(b, p.assessment_date) for b in items),
        overdue_names=tuple(b.name for b in items if _overdue(b, p.assessment_date)),
    )


def _overdue(b: Benefit, today: dt.date) -> bool | None:
    """Due by `today` and recorded as not realised. Due is `due`, else the end of the first year
    of its forecast; None where neither is given, or the outcome is not said, and it matters."""
    if _claimed(b):
        return False
    due = b.due if b.due is not None else (b.forecast[0].year_ending if b.forecast else None)
    if due is not None and due > today:
        return False
    if due is None or not described(b, "realised"):
        return None
    return b.realised is False


def _rank(rating: str) -> int:
    return RATING_RANK[rating]


def _independent(p: Programme) -> list[tuple[dt.date, int, str, str]]:
    """(date, order, by, rating) of every independent rating before the assessment date, oldest
    first; on the same date a gateway review comes after, so it is the latest."""
    found: list[tuple[dt.date, int, str, str]] = []
    if described(p, "history"):
        found += [(s.date, 0, "IPA", r.rating.value) for s in p.history for r in s.ratings if r.by == "IPA"]
    if described(p, "gateway_reviews"):
        found += [(g.date, 1, "gateway review", g.rating.value) for g in p.gateway_reviews]
    return sorted(f for f in found if f[0] < p.assessment_date or (f[1] == 1 and f[0] == p.assessment_date))


def history(p: Programme) -> HistoryFacts:
    """Movement since the first snapshot; the IPA's latest rating before the assessment date (a
    snapshot dated at the assessment date is the programme as it is now, not history); and the
    latest independent rating of any kind, a gateway review or the IPA's at an earlier snapshot."""
    views = _independent(p)
    view = views[-1] if views else None
    independent: dict[str, Any] = {
        "independent_ratings": len(views),
        "independent_rating": view[3] if view else None,
        "independent_rank": _rank(view[3]) if view else None,
        "independent_by": view[2] if view else None,
        "independent_date": view[0].isoformat() if view else None,
    }
    if not described(p, "history"):
        return HistoryFacts(**{name: None for name in HistoryFacts.model_fields} | independent)
    snaps = sorted(p.history, key=lambda s: s.date)
    costed = [s for s in snaps if s.whole_life_cost is not None]
    first = costed[0] if costed else None
    wl = p.costs.whole_life if described(p, "costs") and described(p.costs, "whole_life") else None
    now_cost = wl.forecast.amount if wl else (costed[-1].whole_life_cost.amount if len(costed) > 1 else None)  # type: ignore[union-attr]
    first_cost = first.whole_life_cost.amount if first else None  # type: ignore[union-attr]
    dated = [s.planned_end_date for s in snaps if s.planned_end_date is not None]
    now_end = p.planned_end_date or (dated[-1] if len(dated) > 1 else None)
    rated = [(s.date, r) for s in snaps if s.date < p.assessment_date for r in s.ratings if r.by == "IPA"]
    ipa_date, ipa = rated[-1] if rated else (None, None)
    budgeted = [s for s in snaps if s.annual_budget is not None and s.annual_forecast is not None]
    last = budgeted[-1] if budgeted else None
    return HistoryFacts(
        snapshots=len(snaps),
        first_date=first.date.isoformat() if first else None,
        first_cost=float(first_cost) if first_cost is not None else None,
        cost_growth=round(now_cost / first_cost - 1, 4) if now_cost is not None and first_cost else None,
        end_slip_days=(now_end - dated[0]).days if dated and now_end else None,
        previous_ipa_rating=ipa.rating.value if ipa else None,
        previous_ipa_rank=_rank(ipa.rating.value) if ipa else None,
        previous_ipa_date=ipa_date.isoformat() if ipa_date else None,
        in_year_variance=(
            round(last.annual_forecast.amount / last.annual_budget.amount - 1, 4)  # type: ignore[union-attr]
            if last and last.annual_budget.amount  # type: ignore[union-attr]
            else None
        ),
        **independent,
    )
