"""The portfolio dashboard's charts and context: ratings beside the IPA's and the SRO's, and the
categories that fail most. Geometry only; templates/html/portfolio.html.j2 draws it."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from typing import Any

from govcheck.agreement import SCALE, ordinal
from govcheck.formats.html.scales import WIDTH, Box, Linear, Tick, nice_range, steps
from govcheck.portfolio import PortfolioSummary
from govcheck.report import Finding, Run

#: The series of the ratings chart, in drawing order: (key, legend label).
SERIES = (("govcheck", "govcheck"), ("ipa", "IPA"), ("sro", "SRO"))


@dataclass(frozen=True)
class RatingBar:
    series: str
    count: int
    x: float
    y: float
    width: float
    height: float
    centre: float
    colours: tuple[str, ...]

    @property
    def segments(self) -> list[tuple[float, float, str]]:
        """(x, width, class): a split rating (Amber/Red) is drawn in both its colours, side by side."""
        part = self.width / len(self.colours)
        return [(round(self.x + part * i, 1), round(part, 1), c) for i, c in enumerate(self.colours)]


@dataclass(frozen=True)
class RatingGroup:
    rating: str
    centre: float
    bars: tuple[RatingBar, ...]


@dataclass(frozen=True)
class RatingChart:
    box: Box
    y_ticks: list[Tick]
    groups: list[RatingGroup]
    series: tuple[tuple[str, str], ...]


def rating_class(rating: str) -> str:
    return "r-" + rating.lower().replace("/", "-")


def rating_chart(data: PortfolioSummary) -> RatingChart:
    """Programmes at each rating, by govcheck and, where any programme has them, the IPA and SRO."""
    counts = {"govcheck": data.ratings, "ipa": data.ipa_ratings, "sro": data.sro_ratings}
    series = tuple(s for s in SERIES if s[0] == "govcheck" or any(counts[s[0]].values()))
    box = Box(width=WIDTH, height=260, left=44, right=WIDTH - 20, top=24, bottom=220)
    top = max((n for key, _ in series for n in counts[key].values()), default=0)
    _, hi, step = nice_range(0, max(top, 1), 4, integer=True)
    y = Linear(0, hi, box.bottom, box.top)
    slot = box.plot_width / len(SCALE)
    # Three series give bars about 38px wide, 4px apart: room above each for a count of up to
    # four digits (about 30px at 13px) without touching its neighbour's.
    width = min(slot * 0.8 / len(series), 60.0)
    groups = []
    for i, rating in enumerate(SCALE):
        centre = box.left + slot * (i + 0.5)
        first = centre - (width * len(series) + 4 * (len(series) - 1)) / 2
        bars = []
        for j, (key, _) in enumerate(series):
            n = counts[key].get(rating, 0)
            x0 = first + j * (width + 4)
            bars.append(
                RatingBar(
                    key,
                    n,
                    round(x0, 1),
                    y(n),
                    round(width, 1),
                    round(box.bottom - y(n), 1),
                    round(x0 + width / 2, 1),
                    tuple("r-" + part.lower() for part in rating.split("/")),
                )
            )
        groups.append(RatingGroup(rating, round(centre, 1), tuple(bars)))
    ticks = [Tick(y(v), int(v)) for v in steps(0, hi, step)]
    return RatingChart(box=box, y_ticks=ticks, groups=groups, series=series)


@dataclass(frozen=True)
class CategoryRow:
    category: str
    failing: int
    affected: int
    findings: int
    y: float
    centre: float
    fail_width: float
    affected_width: float


@dataclass(frozen=True)
class CategoryChart:
    box: Box
    x_ticks: list[Tick]
    rows: list[CategoryRow]
    row_height: int


def category_chart(run: Run, data: PortfolioSummary) -> CategoryChart:
    """Per category, in the summary's order: programmes failing in it (at or above the run's
    threshold), programmes with any active finding in it, and its findings."""
    reports = run.reports
    row_h = 28
    failing = data.failing_categories
    box = Box(
        width=WIDTH,
        height=20 + row_h * len(failing) + 40,
        left=150,
        right=WIDTH - 80,
        top=16,
        bottom=16 + row_h * len(failing),
    )
    _, hi, step = nice_range(0, max(len(reports), 1), 5, integer=True)
    x = Linear(0, hi, box.left, box.right)
    rows = []
    for i, (category, n) in enumerate(failing):
        active = [[f for f in r.findings if f.active and f.category == category] for r in reports]
        affected = sum(1 for a in active if a)
        y0 = box.top + i * row_h
        rows.append(
            CategoryRow(
                category,
                n,
                affected,
                sum(len(a) for a in active),
                y0 + 5,
                y0 + row_h / 2,
                round(x(n) - box.left, 1),
                round(x(affected) - box.left, 1),
            )
        )
    ticks = [Tick(x(v), int(v)) for v in steps(0, hi, step)]
    return CategoryChart(box=box, x_ticks=ticks, rows=rows, row_height=row_h)


#: Value-for-money conclusions, best to worst, for sorting.
VFM_ORDER = {"achieved": 1, "not_yet_determinable": 2, "at_risk": 3, "not_achieved": 4}


def findings_of(run: Run) -> dict[str, list[Finding]]:
    """Each programme's active findings, most severe first: what its collapsed row shows."""
    return {
        r.programme.source: sorted(
            (f for f in r.findings if f.active), key=lambda f: (-f.severity.rank, f.rule_id)
        )
        for r in run.reports
    }


def script_hash(source: str) -> str:
    """The CSP source expression that allows exactly this inline script."""
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def dashboard_context(run: Run, data: PortfolioSummary, script: str) -> dict[str, Any]:
    totals = {s: sum(getattr(r, s) for r in data.rows) for s in ("critical", "high", "medium", "low", "info")}
    return {
        "summary": data,
        "rating_chart": rating_chart(data),
        "category_chart": category_chart(run, data),
        "ratings": tuple(reversed(SCALE)),
        "totals": totals,
        "suppressed": sum(r.suppressed for r in run.reports),
        "references": any(r.ipa or r.sro for r in data.rows),
        "movement": any(r.movement for r in data.rows),
        "findings_of": findings_of(run),
        "gaps_of": {r.programme.source: [g for g in r.gaps if g.active] for r in run.reports},
        "rank": lambda rating: ordinal(rating) or 0,
        "vfm_order": VFM_ORDER,
        "script": script,
        "script_src": script_hash(script),
    }
