"""Facts on risk management, gateway reviews and lessons (NAO questions 4, 7, 12, 17)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from govcheck.facts.common import Facts, at_least, described, months
from govcheck.model import Programme

RATING_RANK = {"Green": 0, "Amber/Green": 1, "Amber": 2, "Amber/Red": 3, "Red": 4}
RatingName = Literal["Green", "Amber/Green", "Amber", "Amber/Red", "Red"]


class RiskFacts(Facts):
    has_register: bool | None
    open: int | None
    unowned: int | None
    unmitigated: int | None
    high_open: int | None = Field(description="Open risks of high likelihood and high impact.")
    months_since_review: float | None


class GatewayFacts(Facts):
    reviews: int | None
    last_gate: int | None = Field(description="The last gate held.")
    last_rating: RatingName | None
    last_rating_rank: int | None = Field(description="0 Green to 4 Red.")
    open_recommendations: int | None


class DeliveryFacts(Facts):
    lessons_applied: bool | None
    market_engagement: bool | None


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
            reviews=None, last_gate=None, last_rating=None, last_rating_rank=None, open_recommendations=None
        )
    held = sorted((r for r in p.gateway_reviews if r.date <= p.assessment_date), key=lambda r: r.date)
    last = held[-1] if held else None
    return GatewayFacts(
        reviews=len(held),
        last_gate=last.gate if last else None,
        last_rating=last.rating.value if last else None,  # type: ignore[arg-type]
        last_rating_rank=RATING_RANK[last.rating.value] if last else None,
        open_recommendations=last.recommendations_open if last else None,
    )


def delivery(p: Programme) -> DeliveryFacts:
    d = p.delivery if described(p, "delivery") else None
    return DeliveryFacts(
        lessons_applied=d.lessons_applied if d and described(d, "lessons_applied") else None,
        market_engagement=d.market_engagement if d and described(d, "market_engagement") else None,
    )
