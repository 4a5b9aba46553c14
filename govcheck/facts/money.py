"""Facts on costs, benefits and value for money (NAO questions 5 and 16; the Green Book)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import ClassVar

from pydantic import Field

from govcheck.facts.common import Facts, Reads, amount, at_least, described, share, years_before
from govcheck.model import Benefit, Programme


class CostFacts(Facts):
    has_budget: bool | None
    budget: float | None
    spent: float | None
    spent_share_of_budget: float | None = Field(description="spent / budget.")
    has_whole_life: bool | None
    whole_life_baseline: float | None
    whole_life_forecast: float | None
    whole_life_growth: float | None = Field(description="forecast / baseline - 1.")
    has_contingency: bool | None

    reads: ClassVar[Reads] = {
        "has_budget": ("costs.budget",),
        "budget": ("costs.budget",),
        "spent": ("costs.spent_to_date",),
        "spent_share_of_budget": ("costs.spent_to_date", "costs.budget"),
        "has_whole_life": ("costs.whole_life",),
        "whole_life_baseline": ("costs.whole_life",),
        "whole_life_forecast": ("costs.whole_life",),
        "whole_life_growth": ("costs.whole_life",),
        "has_contingency": ("costs.contingency",),
    }


class BenefitFacts(Facts):
    items: int | None
    realisation_plan: bool | None
    without_owner: int | None
    not_agreed: int | None
    forecast_total: float | None
    annual_forecast: float | None = Field(description="The largest yearly forecast across all benefits.")
    expected_to_date: float | None = Field(description="Forecast pro-rated to the assessment date.")
    due: bool | None = Field(description="Some benefit was forecast by the assessment date.")
    reported: bool | None = Field(description="Every benefit due reports what it has delivered.")
    delivered: float | None = Field(description="Delivered to date, when every benefit due says.")
    delivery_share: float | None = Field(description="delivered / expected_to_date, when some is due.")
    largest_share: float | None = Field(description="Share of the forecast resting on the largest benefit.")
    largest_name: str | None

    # What has been delivered is known when every benefit due says (see `reported`).
    reads: ClassVar[Reads] = {
        "items": ("benefits.items",),
        "realisation_plan": ("benefits.realisation_plan",),
        "without_owner": ("benefits.items[].owner",),
        # A benefit with no owner cannot have been agreed with one.
        "not_agreed": ("benefits.items", ("benefits.items[].agreed_with_owner", "benefits.items[].owner")),
        "forecast_total": ("benefits.items",),
        "annual_forecast": ("benefits.items",),
        "expected_to_date": ("benefits.items",),
        "due": ("benefits.items",),
        "reported": ("benefits.items", "benefits.items[].delivered_to_date"),
        "delivered": ("benefits.items", "benefits.items[].delivered_to_date"),
        "delivery_share": ("benefits.items", "benefits.items[].delivered_to_date"),
        "largest_share": ("benefits.items",),
        "largest_name": ("benefits.items",),
    }


class ValueFacts(Facts):
    invested: float | None = Field(description="Spent to date.")
    net_to_date: float | None = Field(description="Benefits delivered less spent to date.")
    cost_exceeds_savings: bool | None = Field(description="Benefits are due and spend exceeds them.")
    descoped_without_saving: int | None = Field(description="Scope reductions with no budget reduction.")
    descoped_small_saving: int | None = Field(
        description="Scope reductions whose budget reduction, as a share of the budget, is under half "
        "the share of the scope removed."
    )
    descope_scope_share: float | None = Field(description="Share of scope removed in the worst such change.")
    descope_budget_share: float | None = Field(
        description="Share of budget removed in the worst such change."
    )

    reads: ClassVar[Reads] = {
        "invested": ("costs.spent_to_date",),
        "net_to_date": ("costs.spent_to_date", "benefits.items", "benefits.items[].delivered_to_date"),
        # False when nothing is due yet; once benefits are due, what was spent and what was
        # delivered decide it.
        "cost_exceeds_savings": (
            "benefits.items",
            ("benefits.items[].delivered_to_date", "costs.spent_to_date"),
        ),
        "descoped_without_saving": ("changes", "changes[].budget"),
        # The size of a cut in scope and budget: its own shares, and the budget they are shares of.
        **{
            name: ("changes", ("changes[].scope_share", "changes[].budget_change", "costs.budget"))
            for name in ("descoped_small_saving", "descope_scope_share", "descope_budget_share")
        },
    }


def costs(p: Programme) -> CostFacts:
    c = p.costs if described(p, "costs") else None

    def given(name: str) -> bool:
        return described(c, name)

    budget = c.budget.amount if c and c.budget else None
    spent = c.spent_to_date.amount if c and c.spent_to_date else None
    wl = c.whole_life if c else None
    return CostFacts(
        has_budget=(c.budget is not None) if c and given("budget") else None,
        budget=budget,
        spent=spent,
        spent_share_of_budget=share(spent, budget),
        has_whole_life=(wl is not None) if c and given("whole_life") else None,
        whole_life_baseline=wl.baseline.amount if wl else None,
        whole_life_forecast=wl.forecast.amount if wl else None,
        whole_life_growth=(
            round(wl.forecast.amount / wl.baseline.amount - 1, 4) if wl and wl.baseline.amount else None
        ),
        has_contingency=(
            c.contingency is not None and c.contingency.amount > 0 if c and given("contingency") else None
        ),
    )


def expected_to_date(p: Programme, today: dt.date) -> float:
    """Benefits forecast up to `today`, each yearly amount pro-rated over its twelve months."""
    total = 0.0
    for item in p.benefits.items:
        for year in item.forecast:
            start = years_before(year.year_ending, 1)
            if today >= year.year_ending:
                total += year.amount.amount
            elif today > start:
                total += year.amount.amount * (today - start).days / (year.year_ending - start).days
    return round(total, 2)


def _due(p: Programme, today: dt.date) -> list[bool]:
    return [any(years_before(y.year_ending, 1) < today for y in b.forecast) for b in p.benefits.items]


def reported(p: Programme, today: dt.date) -> bool | None:
    """False if a benefit due says it has no delivery figure (`delivered_to_date: null`); None if
    one does not say; True if every benefit due reports what it has delivered."""
    due = [b for b, d in zip(p.benefits.items, _due(p, today), strict=True) if d]
    if any(described(b, "delivered_to_date") and b.delivered_to_date is None for b in due):
        return False
    return None if any(b.delivered_to_date is None for b in due) else True


def delivered_to_date(p: Programme, today: dt.date) -> float | None:
    """What the benefits have delivered; None unless every benefit due so far says."""
    if not reported(p, today):
        return None
    return sum(amount(b.delivered_to_date) for b in p.benefits.items)


def _not_agreed(b: Benefit) -> bool | None:
    """A benefit with no owner cannot have been agreed with one."""
    if described(b, "owner") and b.owner is None:
        return True
    return not b.agreed_with_owner if described(b, "agreed_with_owner") else None


def benefits(p: Programme, today: dt.date) -> BenefitFacts:
    b = p.benefits if described(p, "benefits") else None
    if b is None or not described(b, "items"):
        plan = b.realisation_plan if b and described(b, "realisation_plan") else None
        return BenefitFacts(
            items=None, realisation_plan=plan, without_owner=None, not_agreed=None,
            forecast_total=None, annual_forecast=None, expected_to_date=None, due=None,
            reported=None, delivered=None, delivery_share=None, largest_share=None, largest_name=None,
        )  # fmt: skip
    items = b.items
    totals = {x.name: sum(y.amount.amount for y in x.forecast) for x in items}
    forecast_total = sum(totals.values())
    by_year: Counter[dt.date] = Counter()
    for x in items:
        for y in x.forecast:
            by_year[y.year_ending] += y.amount.amount  # type: ignore[assignment]
    expected = expected_to_date(p, today)
    delivered = delivered_to_date(p, today)
    largest = max(totals, key=lambda k: totals[k], default=None)
    return BenefitFacts(
        items=len(items),
        realisation_plan=b.realisation_plan if described(b, "realisation_plan") else None,
        without_owner=at_least(x.owner is None if described(x, "owner") else None for x in items),
        not_agreed=at_least(_not_agreed(x) for x in items),
        forecast_total=forecast_total,
        annual_forecast=max(by_year.values(), default=0.0),
        expected_to_date=expected,
        due=expected > 0,
        reported=reported(p, today),
        delivered=delivered,
        delivery_share=share(delivered, expected),
        largest_share=share(totals[largest], forecast_total) if largest else None,
        largest_name=largest,
    )


def value(p: Programme, today: dt.date) -> ValueFacts:
    spent = p.costs.spent_to_date.amount if described(p, "costs") and p.costs.spent_to_date else None
    has_items = described(p, "benefits") and described(p.benefits, "items")
    delivered = delivered_to_date(p, today) if has_items else None
    due = expected_to_date(p, today) > 0 if has_items else None
    if due is False:
        exceeds: bool | None = False
    elif spent is None or delivered is None:
        exceeds = None
    else:
        exceeds = spent > delivered
    cuts = _descope_shares(p)
    small = [
        (scope, budget)
        for scope, budget in cuts
        if scope is not None and budget is not None and budget < scope / 2
    ]
    worst: tuple[float | None, float | None] = max(small, key=lambda c: c[0] - c[1], default=(None, None))
    return ValueFacts(
        invested=spent,
        net_to_date=round(delivered - spent, 2) if spent is not None and delivered is not None else None,
        cost_exceeds_savings=exceeds,
        descoped_without_saving=(
            at_least(
                c.budget != "reduced" if described(c, "budget") else None
                for c in p.changes
                if c.scope == "reduced"
            )
            if described(p, "changes")
            else None
        ),
        descoped_small_saving=at_least(
            None if scope is None or budget is None else budget < scope / 2 for scope, budget in cuts
        )
        if described(p, "changes")
        else None,
        descope_scope_share=worst[0],
        descope_budget_share=worst[1],
    )


def _descope_shares(p: Programme) -> list[tuple[float | None, float | None]]:
    """(share of scope removed, share of budget removed) for each change that cut both; a share
    is None where the change does not give its size (or the budget is not described)."""
    budget = p.costs.budget.amount if described(p, "costs") and p.costs.budget else None
    return [
        (
            float(c.scope_share) if c.scope_share is not None else None,
            share(c.budget_change.amount, budget) if c.budget_change is not None else None,
        )
        for c in p.changes
        if c.scope == "reduced" and c.budget == "reduced"
    ]
