"""Facts on risk management, gateway reviews and lessons (NAO questions 4, 7, 12, 17)."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from pydantic import Field

from govcheck.facts.common import Facts, Reads, at_least, described, months
from govcheck.model import Programme
from govcheck.vocab import RATING_RANK, RatingName


class RiskFacts(Facts):
    has_register: bool | None
    open: int | None
    unowned: int | None
    unmitigated: int | None
    high_open: int | None = Field(description="Open risks of high likelihood and high impact.")
    months_since_review: float | None

    reads: ClassVar[Reads] = {
        "has_register": ("risk_management.register_maintained",),
        "open": ("risk_management.risks",),
        "unowned": ("risk_management.risks[].owner",),
        "unmitigated": ("risk_management.risks[].mitigation",),
        "high_open": ("risk_management.risks",),
        "months_since_review": ("risk_management.last_reviewed",),
    }


class GatewayFacts(Facts):
    reviews: int | None
    last_gate: int | None = Field(description="The last gate held.")
    last_rating: RatingName | None
    last_rating_rank: int | None = Field(description="0 Green to 4 Red.")
    open_recommendations: int | None
    overdue_recommendations: int | None = Field(
        description="Recommendations of reviews held, not closed and past their due date."
    )
    critical_overdue: int | None = Field(description="Of those, the ones the review called critical.")
    oldest_overdue_months: float | None = Field(description="How long the longest-overdue one is late.")

    # The last review's figures are not known only when no review is held by the assessment
    # date; what is overdue is known when the reviews held list their recommendations (or
    # each says none is open).
    reads: ClassVar[Reads] = {
        "reviews": ("gateway_reviews",),
        "last_gate": ("gateway_reviews",),
        "last_rating": ("gateway_reviews",),
        "last_rating_rank": ("gateway_reviews",),
        "open_recommendations": ("gateway_reviews",),
        "overdue_recommendations": ("gateway_reviews", "gateway_reviews[].recommendations"),
        "critical_overdue": ("gateway_reviews", "gateway_reviews[].recommendations"),
        "oldest_overdue_months": ("gateway_reviews", "gateway_reviews[].recommendations"),
    }


class DeliveryFacts(Facts):
    lessons_applied: bool | None
    market_engagement: bool | None

    reads: ClassVar[Reads] = {
        "lessons_applied": ("delivery.lessons_applied",),
        "market_engagement": ("delivery.market_engagement",),
    }


def risk(p: Programme, today: dt.date) -> RiskFacts:
    rm = p.risk_management if described(p, "risk_management") else None
    has_risks = described(rm, "risks")
    open_risks = [r for r in rm.risks if r.status == "open"] if rm and has_risks else []
    return RiskFacts(
        has_register=rm.register_maintained if rm and described(rm, "register_maintained") else None,
        open=len(open_risks) if has_risks else None,
        unowned=at_least(r.owner is None if described(r, "owner") else None for r in open_risks)
        if has_risks
        else None,
        unmitigated=at_least(r.mitigation is None if described(r, "mitigation") else None for r in open_risks)
        if has_risks
        else None,
        high_open=sum(1 for r in open_risks if r.likelihood == r.impact == "high") if has_risks else None,
        months_since_review=months(today, rm.last_reviewed)
        if rm and described(rm, "last_reviewed")
        else None,
    )


def gateway(p: Programme) -> GatewayFacts:
    if not described(p, "gateway_reviews"):
        return GatewayFacts(
            reviews=None,
            last_gate=None,
            last_rating=None,
            last_rating_rank=None,
            open_recommendations=None,
            overdue_recommendations=None,
            critical_overdue=None,
            oldest_overdue_months=None,
        )
    held = sorted((r for r in p.gateway_reviews if r.date <= p.assessment_date), key=lambda r: r.date)
    last = held[-1] if held else None
    listed = [r for r in held if described(r, "recommendations")]
    overdue = [
        rec
        for r in listed
        for rec in r.recommendations
        if rec.status != "closed" and rec.due is not None and rec.due < p.assessment_date
    ]
    # Known when the recommendations are listed, or every review held says none is open.
    known = bool(listed) or all(described(r, "recommendations_open") and r.open_count == 0 for r in held)
    return GatewayFacts(
        reviews=len(held),
        last_gate=last.gate if last else None,
        last_rating=last.rating.value if last else None,
        last_rating_rank=RATING_RANK[last.rating.value] if last else None,
        open_recommendations=last.open_count if last else None,
        overdue_recommendations=len(overdue) if known else None,
        critical_overdue=sum(1 for r in overdue if r.priority == "critical") if known else None,
        oldest_overdue_months=max((months(p.assessment_date, r.due) or 0.0 for r in overdue), default=0.0)
        if known
        else None,
    )


def delivery(p: Programme) -> DeliveryFacts:
    d = p.delivery if described(p, "delivery") else None
    return DeliveryFacts(
        lessons_applied=d.lessons_applied if d and described(d, "lessons_applied") else None,
        market_engagement=d.market_engagement if d and described(d, "market_engagement") else None,
    )
