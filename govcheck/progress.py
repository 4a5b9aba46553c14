"""Progress against the last review's recommendations: the annex every review report opens with."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from govcheck.frozen import Frozen
from govcheck.model import Programme, described


class RecommendationProgress(Frozen):
    text: str
    status: Literal["open", "in_progress", "closed"]
    priority: str | None = None
    owner: str | None = None
    due: str | None = None
    closed_on: str | None = None
    overdue: bool = Field(default=False, description="Not closed, and its due date is before the assessment.")


class ReviewProgress(Frozen):
    gate: int
    date: str
    rating: str
    open: int = Field(description="Recommendations not closed.")
    overdue: int
    recommendations: tuple[RecommendationProgress, ...] = Field(
        default=(), description="As listed in the description; empty when only a count is given."
    )


def progress(p: Programme) -> ReviewProgress | None:
    """The last review held by the assessment date, and what has become of its recommendations."""
    held = [r for r in p.gateway_reviews if r.date <= p.assessment_date]
    if not held:
        return None
    last = max(held, key=lambda r: r.date)
    items = tuple(
        RecommendationProgress(
            text=rec.text,
            status=rec.status,
            priority=rec.priority,
            owner=rec.owner,
            due=rec.due.isoformat() if rec.due else None,
            closed_on=rec.closed_on.isoformat() if rec.closed_on else None,
            overdue=rec.status != "closed" and rec.due is not None and rec.due < p.assessment_date,
        )
        for rec in (last.recommendations if described(last, "recommendations") else ())
    )
    return ReviewProgress(
        gate=last.gate,
        date=last.date.isoformat(),
        rating=last.rating.value,
        open=last.open_count,
        overdue=sum(1 for r in items if r.overdue),
        recommendations=items,
    )
