"""The series behind the HTML report's charts, computed from a validated programme."""

from __future__ import annotations

from govcheck.facts import expected_to_date, years_before
from govcheck.model import Milestone, Programme
from govcheck.report import BenefitPoint, ChartData, MigrationPoint, MilestonePoint


def chart_data(programme: Programme) -> ChartData:
    p = programme
    today = p.assessment_date
    return ChartData(
        currency=p.currency or "GBP",
        assessment_date=today.isoformat(),
        benefits=_benefits(p),
        expected_to_date=expected_to_date(p, today),
        delivered_to_date=(
            sum(b.delivered_to_date.amount for b in p.benefits.items if b.delivered_to_date is not None)
            if any(b.delivered_to_date is not None for b in p.benefits.items)
            else None
        ),
        migration_unit=p.migration.unit if p.migration else "",
        migration_total=p.migration.total if p.migration else 0,
        migration=tuple(
            MigrationPoint(c.date.isoformat(), c.planned, c.done)
            for c in (p.migration.checkpoints if p.migration else ())
        ),
        milestones=tuple(_milestone(m, p) for m in p.milestones),
    )


def _benefits(p: Programme) -> tuple[BenefitPoint, ...]:
    """The cumulative forecast is linear between the starts and ends of the forecast years (each
    year's amount accrues evenly over its twelve months), so those dates, and the assessment
    date, are all the points the line needs."""
    years = [y for b in p.benefits.items for y in b.forecast]
    dates = {d for y in years for d in (years_before(y.year_ending, 1), y.year_ending)}
    if not dates:
        return ()
    dates.add(p.assessment_date)
    return tuple(BenefitPoint(d.isoformat(), expected_to_date(p, d)) for d in sorted(dates))


def _milestone(m: Milestone, p: Programme) -> MilestonePoint:
    latest = m.actual or m.forecast or m.baseline
    return MilestonePoint(
        name=m.name,
        baseline=m.baseline.isoformat(),
        latest=latest.isoformat(),
        slip_days=(latest - m.baseline).days,
        achieved=m.actual is not None,
        overdue=m.actual is None and (m.forecast or m.baseline) < p.assessment_date,
    )
