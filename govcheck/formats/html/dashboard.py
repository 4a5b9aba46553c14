"""The portfolio dashboard's charts and context: ratings beside the IPA's and the SRO's, and the
categories that fail most. Geometry only; templates/html/portfolio.html.j2 draws it."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, replace
from typing import Any

from govcheck.agreement import SCALE, Agreement, canonical, ordinal
from govcheck.explain import ratings_beside, reasons
from govcheck.formats.html.scales import WIDTH, Box, Linear, Tick, nice_range, steps
from govcheck.portfolio import PortfolioSummary, Row, departments
from govcheck.report import Finding, Report, Run
from govcheck.vocab import RATING_RANK

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
    threshold), programmes with any active finding in it, and its findings; over the programmes
    the summary shows (the latest release's, unless every release is asked for)."""
    shown = {r.source for r in data.rows}
    reports = [r for r in run.reports if r.programme.source in shown]
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


# --------------------------------------------------------------------------------------------
# A row's reasons and trend: what its expanded row shows


@dataclass(frozen=True)
class Release:
    """One release of a programme's history, or its current figures (`now`)."""

    date: str
    ipa: str | None
    sro: str | None
    cost: float | None
    end: str | None
    now: bool = False


@dataclass(frozen=True)
class TrendPoint:
    x: float
    y: float
    rating: str


@dataclass(frozen=True)
class Trend:
    """A small chart of the IPA's and the SRO's ratings across releases, with govcheck's now."""

    width: int
    height: int
    left: int
    right: int
    levels: tuple[tuple[str, float], ...]
    ipa: tuple[TrendPoint, ...]
    sro: tuple[TrendPoint, ...]
    govcheck: TrendPoint | None
    dates: tuple[tuple[float, str], ...]

    @staticmethod
    def path(points: tuple[TrendPoint, ...]) -> str:
        return " ".join(f"{p.x},{p.y}" for p in points)


def _on_scale(by: str, ratings: Any) -> str | None:
    found = [canonical(r.rating) for r in ratings if r.by.upper() == by and canonical(r.rating)]
    return found[-1] if found else None


def releases(report: Report) -> list[Release]:
    """Each earlier release's ratings, whole-life cost and planned end, then now's."""
    p = report.programme
    out = [
        Release(
            h.date,
            _on_scale("IPA", h.ratings),
            _on_scale("SRO", h.ratings),
            h.whole_life_cost,
            h.planned_end_date,
        )
        for h in sorted(p.history, key=lambda h: h.date)
        if h.date < p.assessment_date
    ]
    current = [h for h in p.history if h.date == p.assessment_date]
    out.append(
        Release(
            p.assessment_date,
            _on_scale("IPA", p.reference_ratings),
            _on_scale("SRO", p.reference_ratings),
            current[-1].whole_life_cost if current else None,
            current[-1].planned_end_date if current else None,
            now=True,
        )
    )
    return out


def trend(history: list[Release], govcheck: str) -> Trend | None:
    """None unless some earlier release gives a rating: one point is not a trend."""
    if len(history) < 2 or not any(h.ipa or h.sro for h in history[:-1]):
        return None
    width, height, left, right, top, bottom = 240, 96, 78, 228, 10, 74
    step = (right - left) / (len(history) - 1)
    xs = [round(left + i * step, 1) for i in range(len(history))]
    y = {r: round(top + (bottom - top) * i / (len(SCALE) - 1), 1) for i, r in enumerate(SCALE)}

    def points(by: str) -> tuple[TrendPoint, ...]:
        return tuple(
            TrendPoint(x, y[rating], rating)
            for x, h in zip(xs, history, strict=True)
            if (rating := getattr(h, by))
        )

    now = canonical(govcheck)
    return Trend(
        width=width,
        height=height + 12,
        left=left,
        right=right,
        levels=tuple((r, y[r]) for r in SCALE),
        ipa=points("ipa"),
        sro=points("sro"),
        govcheck=TrendPoint(xs[-1], y[now], now) if now else None,
        dates=((xs[0], history[0].date[:4]), (xs[-1], history[-1].date[:4])),
    )


@dataclass(frozen=True)
class Detail:
    """What a programme's expanded row says: why govcheck rates it so, and how it has moved."""

    rating_reasons: list[str]
    vfm_reasons: list[str]
    findings: list[Finding]
    gaps: list[Finding]
    history: list[Release]
    trend: Trend | None
    #: (who, rating, date, how it stands beside govcheck's) for the others' ratings, latest first.
    beside: list[tuple[str, str, str | None, str]]
    #: Set when the IPA's latest rating differs from govcheck's.
    disagrees: bool
    rating_basis: str = ""
    vfm_basis: str = ""


def _beside(report: Report) -> list[tuple[str, str, str | None, str]]:
    refs = report.programme.reference_ratings
    if report.rating.conclusion in RATING_RANK and all(r.rating in RATING_RANK for r in refs):
        return ratings_beside(report)
    return [(r.by, r.rating, r.date, "") for r in sorted(refs, key=lambda r: r.date or "", reverse=True)]


def detail(report: Report, r: Row) -> Detail:
    history = releases(report)
    return Detail(
        rating_reasons=reasons(report, report.rating),
        vfm_reasons=reasons(report, report.value_for_money),
        findings=sorted(
            (f for f in report.findings if f.active), key=lambda f: (-f.severity.rank, f.rule_id)
        ),
        gaps=[g for g in report.gaps if g.active],
        history=history,
        trend=trend(history, report.rating.conclusion),
        beside=_beside(report),
        disagrees=r.ipa is not None and ordinal(r.ipa.rating) != ordinal(r.rating),
        rating_basis=f"{report.rating.strength}, {report.rating.rests_on}",
        vfm_basis=f"{report.value_for_money.strength}, {report.value_for_money.rests_on}",
    )


def higher(ours: float | None, theirs: float | None) -> str:
    """'govcheck', 'baseline', 'same' or '' (undefined)."""
    if ours is None or theirs is None:
        return ""
    return "same" if round(ours, 2) == round(theirs, 2) else "govcheck" if ours > theirs else "baseline"


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    cls: str = ""
    #: What the header's note says: the span a change is measured over, or what a figure is.
    note: str = ""
    hideable: bool = True
    #: Hidden until asked for (Columns): what the page shows at first fits a 1366px screen.
    hidden: bool = False
    #: 1-based place in the row, for the stylesheet's :nth-child.
    position: int = 0


def columns(
    data: PortfolioSummary, references: bool, movement: bool, severities: tuple[str, ...]
) -> list[Column]:
    out = [
        Column("programme", "Programme", hideable=False),
        Column("department", "Department"),
        Column("as_at", "As at", note="the release its figures are from"),
        Column("govcheck", "govcheck"),
    ]
    if references:
        out += [
            Column("ipa", "IPA"),
            Column("sro", "SRO"),
            Column("gap", "Optimism gap", "num", "SRO steps better"),
        ]
    if movement:
        out += [
            Column("moved", "Rating", note="since last release"),
            Column("cost_first", "Cost growth", "num", "since first release"),
            Column("cost_last", "Cost growth", "num", "since last release", hidden=True),
            Column("slip_first", "End slip", "num", "days, since first release"),
            Column("slip_last", "End slip", "num", "days, since last release", hidden=True),
        ]
    out.append(Column("vfm", "Value for money"))
    out += [Column(s, s.capitalize(), "num sev-col") for s in severities]
    out.append(Column("gaps", "Evidence gaps", "num"))
    return [replace(c, position=i) for i, c in enumerate(out, start=1)]


def dashboard_context(run: Run, data: PortfolioSummary, script: str) -> dict[str, Any]:
    totals = {s: sum(getattr(r, s) for r in data.rows) for s in ("critical", "high", "medium", "low", "info")}
    every = (*data.rows, *data.earlier)
    by_source = {r.programme.source: r for r in run.reports}
    references = any(r.ipa or r.sro for r in every)
    moved = any(r.movement for r in every)
    severities = ("critical", "high", "medium", "low", "info")
    dates = sorted({r.as_at for r in every}, reverse=True)
    a: Agreement | None = data.agreement_on_baseline_rows
    b: Agreement | None = data.baseline
    return {
        "every_row": every,
        "shown_sources": {r.source for r in data.rows},
        "as_at_dates": [(d, sum(1 for r in every if r.as_at == d)) for d in dates],
        "department_of": departments(every),
        "details": {r.source: detail(by_source[r.source], r) for r in every if r.source in by_source},
        "columns": columns(data, references, moved, severities),
        "left_out": sum(n for _, n in data.left_out),
        "rho_higher": higher(a.rho, b.rho) if a and b else "",
        "exact_higher": higher(a.exact_share, b.exact_share) if a and b else "",
        "summary": data,
        "rating_chart": rating_chart(data),
        "category_chart": category_chart(run, data),
        "ratings": tuple(reversed(SCALE)),
        "totals": totals,
        "suppressed": sum(r.suppressed for r in run.reports),
        "references": references,
        "movement": moved,
        "rank": lambda rating: ordinal(rating) or 0,
        "vfm_order": VFM_ORDER,
        "script": script,
        "script_src": script_hash(script),
    }
