"""Why a conclusion came out as it did, in words every human format shows the same way."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from govcheck.report import Conclusion, Finding, Report
from govcheck.templating import pct
from govcheck.vocab import RATING_SCALE, rating_gap


def _count(v: Any) -> str:
    return f"{v:,}" if isinstance(v, int) else str(v)


def _yes(v: Any) -> str:
    return "yes" if v else "no"


def _rating(v: Any) -> str:
    return RATING_SCALE[v] if isinstance(v, int) and 0 <= v < len(RATING_SCALE) else str(v)


def _share(v: Any) -> str:
    return pct(v) if isinstance(v, (int, float)) else str(v)


#: The facts a conclusion's programme condition reads, as a reader knows them.
FIGURES: dict[str, tuple[str, Callable[[Any], str]]] = {
    "history.independent_rank": ("the last independent rating", _rating),
    "history.independent_ratings": ("independent ratings described", _count),
    "assessed.unrealistic": ("parts independently judged unrealistic", _count),
    "coverage.core": ("core parts described, of five", _count),
    "outputs.due": ("outputs due so far", _count),
    "outputs.due_delivered_share": ("outputs due that were delivered", _share),
    "benefits.due": ("benefits due so far", _yes),
    "benefits.delivery_share": ("benefits due that were delivered", _share),
    "costs.has_budget": ("a budget is set", _yes),
    "costs.spent_share_of_budget": ("budget spent", _share),
    "costs.whole_life_growth": ("whole-life cost growth", _share),
    "performance.measured": ("performance measures reported", _count),
    "performance.missed": ("performance measures missed", _count),
    "noncash.evidenced": ("non-cash benefits evidenced", _count),
    "noncash.unevidenced": ("non-cash benefits not evidenced", _count),
}


def _suppressed(f: Finding) -> str:
    if f.suppression is None:
        return ""
    return " (waived)" if f.suppression.kind == "waiver" else " (baselined)"


def reasons(report: Report, conclusion: Conclusion) -> list[str]:
    """The findings a conclusion rests on, by title, then the figures it read."""
    titles = {f.rule_id: f.title + _suppressed(f) for f in report.findings}
    out = [titles.get(rule_id, rule_id) for rule_id in conclusion.because]
    for name, value in conclusion.figures.items():
        label, show = FIGURES.get(name, (name, str))
        out.append(f"{label}: {show(value) if value is not None else 'not described'}")
    return out


def ratings_beside(report: Report) -> list[tuple[str, str, str | None, str]]:
    """Others' own ratings (SRO, board, IPA), latest first: who, rating, date, and the gap to govcheck's."""
    refs = sorted(report.programme.reference_ratings, key=lambda r: r.date or "", reverse=True)
    return [(r.by, r.rating, r.date, rating_gap(r.rating, report.rating.conclusion)) for r in refs]
