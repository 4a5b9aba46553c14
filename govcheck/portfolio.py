"""The portfolio view: one row per programme, and which categories fail most."""

from __future__ import annotations

from collections import Counter
from typing import Any

from pydantic import BaseModel, ConfigDict

from govcheck.report import Report, Run
from govcheck.rule import SEVERITY_ORDER, Category, Severity


class Row(BaseModel):
    model_config = ConfigDict(frozen=True)

    source: str
    id: str
    name: str
    department: str
    rating: str
    value_for_money: str
    critical: int
    high: int
    medium: int
    low: int
    info: int
    worst: str
    categories: dict[str, str]
    error: str = ""


def row(report: Report) -> Row:
    counts = report.by_severity()
    worst: dict[str, Severity] = {}
    for f in report.findings:
        if f.active and (f.category not in worst or f.severity.rank > worst[f.category].rank):
            worst[f.category] = f.severity
    top = max((s for s in worst.values()), key=lambda s: s.rank, default=None)
    return Row(
        source=report.programme.source,
        id=report.programme.id,
        name=report.programme.name,
        department=report.programme.department,
        rating=report.rating.conclusion,
        value_for_money=report.value_for_money.conclusion,
        worst=top.value if top else "",
        categories={k: v.value for k, v in sorted(worst.items())},
        **counts,
    )


def summary(run: Run) -> dict[str, Any]:
    """Rows, error rows, the rating distribution and the categories that fail most."""
    rows = [row(r) for r in run.reports]
    failing: Counter[str] = Counter()
    for r in rows:
        for category, sev in r.categories.items():
            if Severity(sev).rank >= run.fail_on.rank:
                failing[category] += 1
    ratings = Counter(r.rating for r in rows)
    return {
        "rows": rows,
        "errors": list(run.errors),
        "ratings": {k: ratings.get(k, 0) for k in ("Red", "Amber/Red", "Amber", "Amber/Green", "Green")},
        "failing_categories": [
            (c.value, failing.get(c.value, 0))
            for c in sorted(Category, key=lambda c: (-failing.get(c.value, 0), c.value))
        ],
        "severities": [s.value for s in reversed(SEVERITY_ORDER)],
        "threshold": run.fail_on.value,
    }
