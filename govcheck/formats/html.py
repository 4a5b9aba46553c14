"""The HTML reports: one self-contained file, inline CSS and SVG, no scripts, nothing fetched.

`html` is the Markdown report's structure with figures; `html-portfolio` adds a dashboard of
several programmes above their reports. Chart geometry is computed here, in Python; the
templates (templates/html/, autoescaped) only draw what they are given. Programme text reaches
the templates as values and is always escaped there.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from govcheck.formats import Format
from govcheck.formats.markdown import RATING_MEANING, VFM_SENTENCES, letters
from govcheck.portfolio import summary
from govcheck.report import ChartData, FileError, Report, Run
from govcheck.rule import SEVERITY_ORDER, Category

RATINGS = ("Green", "Amber/Green", "Amber", "Amber/Red", "Red")
VFM_LABELS = {
    "not_achieved": "Not achieved",
    "at_risk": "At risk",
    "not_yet_determinable": "Not yet determinable",
    "achieved": "Achieved",
}
#: Every chart's viewBox width; CSS scales it to the page.
WIDTH = 760
#: Milestones more than this many days late are drawn as serious slips.
SERIOUS_SLIP_DAYS = 90
_SEVERITIES_DESC = tuple(s.value for s in reversed(SEVERITY_ORDER))


# --------------------------------------------------------------------------------------------
# Scales


def nice_step(span: float, ticks: int = 5) -> float:
    """A round step (1, 2, 2.5 or 5 times a power of ten) giving about `ticks` intervals."""
    if span <= 0:
        return 1.0
    raw = span / ticks
    power = 10.0 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if m * power >= raw:
            return m * power
    return 10 * power  # pragma: no cover


def nice_range(lo: float, hi: float, ticks: int = 5, *, integer: bool = False) -> tuple[float, float, float]:
    """(lo, hi, step) widened to whole steps; a flat range becomes 0..1."""
    if hi <= lo:
        hi = lo + 1
    step = nice_step(hi - lo, ticks)
    if integer:
        step = max(1.0, math.ceil(step))
    return math.floor(lo / step) * step, math.ceil(hi / step) * step, step


class Linear:
    def __init__(self, d0: float, d1: float, r0: float, r1: float) -> None:
        self.d0, self.d1, self.r0, self.r1 = d0, d1, r0, r1

    def __call__(self, value: float) -> float:
        span = self.d1 - self.d0 or 1.0
        return round(self.r0 + (value - self.d0) / span * (self.r1 - self.r0), 1)


def _date(iso: str) -> dt.date:
    return dt.date.fromisoformat(iso)


def short_date(iso: str) -> str:
    """'2026-03-31' -> 'Mar 2026': axis labels."""
    return f"{_date(iso):%b %Y}"


def shorten(text: str, limit: int) -> str:
    """Fold whitespace and cut to `limit` characters with an ellipsis (the full text goes in a <title>)."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def name_lines(text: str, width: int) -> tuple[str, ...]:
    """A label on at most two lines of about `width` characters; the rest is cut with an ellipsis."""
    words = " ".join(text.split())
    if len(words) <= width:
        return (words,)
    cut = words.rfind(" ", 0, width + 1)
    if cut <= 0:
        cut = width
    return (words[:cut].rstrip(), shorten(words[cut:].strip(), width))


def _points(pairs: Sequence[tuple[float, float]]) -> str:
    return " ".join(f"{x:g},{y:g}" for x, y in pairs)


@dataclass(frozen=True)
class Tick:
    pos: float
    value: Any


@dataclass(frozen=True)
class Box:
    """An SVG canvas and the plot area inside it."""

    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int

    @property
    def plot_width(self) -> int:
        return self.right - self.left

    @property
    def plot_height(self) -> int:
        return self.bottom - self.top


# --------------------------------------------------------------------------------------------
# (a) Benefits: cumulative forecast against delivered to date


@dataclass(frozen=True)
class Label:
    x: float
    y: float
    anchor: str
    value: float


@dataclass(frozen=True)
class BenefitsChart:
    box: Box
    y_ticks: list[Tick]
    x_ticks: list[Tick]
    forecast_past: str
    forecast_future: str
    area_past: str
    today_x: float
    expected: Label
    expected_y: float
    delivered: Label | None
    delivered_y: float | None
    end: Label | None
    total: float
    total_date: str


def benefits_chart(c: ChartData) -> BenefitsChart | None:
    if not c.benefits or not any(p.forecast for p in c.benefits):
        return None
    box = Box(width=WIDTH, height=300, left=72, right=WIDTH - 24, top=24, bottom=260)
    days = [_date(p.date).toordinal() for p in c.benefits]
    today = _date(c.assessment_date).toordinal()
    top_value = max(max(p.forecast for p in c.benefits), c.delivered_to_date or 0.0)
    _, y_hi, y_step = nice_range(0, top_value, 5)
    x = Linear(min(days), max(days), box.left, box.right)
    y = Linear(0, y_hi, box.bottom, box.top)
    line = [(x(d), y(p.forecast)) for d, p in zip(days, c.benefits, strict=True)]
    past = [pt for d, pt in zip(days, line, strict=True) if d <= today]
    future = [pt for d, pt in zip(days, line, strict=True) if d >= today]
    today_x = x(today)
    expected_y = y(c.expected_to_date)
    delivered_y = y(c.delivered_to_date) if c.delivered_to_date is not None else None
    # The cumulative line never falls, so below-right and above-left of the assessment point are
    # clear of it: labels go there, right if there is room, and are kept 18px apart.
    right = today_x + 190 < box.right
    e_anchor, e_dx, e_y = ("start", 10.0, expected_y + 20) if right else ("end", -10.0, expected_y - 12)
    e_y = min(max(e_y, 14.0), box.bottom - 24)
    d_label = None
    if delivered_y is not None and c.delivered_to_date is not None:
        if right and delivered_y >= expected_y:
            d_anchor, d_dx, d_y = "start", 10.0, max(delivered_y + 5, e_y + 18)
        elif delivered_y < expected_y:
            d_anchor, d_dx, d_y = "end", -10.0, delivered_y - 8
            if not right:
                d_y = min(d_y, e_y - 18)
        else:
            d_anchor, d_dx, d_y = "end", -10.0, max(delivered_y + 5, e_y + 18)
        d_label = Label(today_x + d_dx, min(max(d_y, 14.0), box.bottom - 4), d_anchor, c.delivered_to_date)
    # The total is labelled at the end of the line, unless that is where the labels above are.
    last_x, last_y = line[-1]
    end = Label(last_x, last_y - 10, "end", c.benefits[-1].forecast) if last_x - today_x > 240 else None
    return BenefitsChart(
        box=box,
        y_ticks=[Tick(y(v), v) for v in _steps(0, y_hi, y_step)],
        x_ticks=_year_ticks(min(days), max(days), x),
        forecast_past=_points(past),
        forecast_future=_points(future),
        area_past=_points([(past[0][0], box.bottom), *past, (past[-1][0], box.bottom)]) if past else "",
        today_x=today_x,
        expected=Label(today_x + e_dx, e_y, e_anchor, c.expected_to_date),
        expected_y=expected_y,
        delivered=d_label,
        delivered_y=delivered_y,
        end=end,
        total=c.benefits[-1].forecast,
        total_date=next(p.date for p in c.benefits if p.forecast >= c.benefits[-1].forecast),
    )


def _steps(lo: float, hi: float, step: float) -> list[float]:
    n = round((hi - lo) / step)
    return [lo + i * step for i in range(n + 1)]


def _year_ticks(first: int, last: int, x: Linear) -> list[Tick]:
    start, end = dt.date.fromordinal(first), dt.date.fromordinal(last)
    years = [y for y in range(start.year, end.year + 1) if first <= dt.date(y, 1, 1).toordinal() <= last]
    if len(years) < 2:
        return [Tick(x(first), short_date(start.isoformat())), Tick(x(last), short_date(end.isoformat()))]
    every = math.ceil(len(years) / 8)
    return [Tick(x(dt.date(y, 1, 1).toordinal()), str(y)) for y in years[::every]]


# --------------------------------------------------------------------------------------------
# (b) Migration: planned against done at each checkpoint


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    value: int | None
    kind: str
    label_y: float = 0.0

    @property
    def centre(self) -> float:
        return round(self.x + self.width / 2, 1)


@dataclass(frozen=True)
class Group:
    date: str
    centre: float
    planned: Bar
    done: Bar | None
    future: bool

    @property
    def missing_x(self) -> float:
        """Where "not reported" is written, upright, in the slot of the missing done bar."""
        return round(self.centre + 6 + self.planned.width / 2, 1)


@dataclass(frozen=True)
class MigrationChart:
    box: Box
    y_ticks: list[Tick]
    groups: list[Group]
    total_y: float
    total: int
    unit: str
    rotate: bool


def migration_chart(c: ChartData) -> MigrationChart | None:
    if not c.migration:
        return None
    n = len(c.migration)
    rotate = n > 7
    box = Box(
        width=WIDTH,
        height=300 if rotate else 280,
        left=56,
        right=WIDTH - 40,
        top=28,
        bottom=230 if rotate else 240,
    )
    _, y_hi, y_step = nice_range(0, max(c.migration_total, 1), 5, integer=True)
    y = Linear(0, y_hi, box.bottom, box.top)
    slot = box.plot_width / n
    bar = min(36.0, slot * 0.32)
    today = _date(c.assessment_date)
    groups = []
    for i, cp in enumerate(c.migration):
        centre = box.left + slot * (i + 0.5)
        planned = Bar(
            round(centre - bar - 2, 1),
            y(cp.planned),
            round(bar, 1),
            round(box.bottom - y(cp.planned), 1),
            cp.planned,
            "planned",
        )
        done = None
        if cp.done is not None:
            done = Bar(
                round(centre + 2, 1),
                y(cp.done),
                round(bar, 1),
                round(box.bottom - y(cp.done), 1),
                cp.done,
                "done-short" if cp.done < cp.planned else "done",
            )
        groups.append(
            Group(
                cp.date,
                round(centre, 1),
                _label(planned, y(c.migration_total)),
                _label(done, y(c.migration_total)) if done else None,
                _date(cp.date) > today,
            )
        )
    return MigrationChart(
        box=box,
        y_ticks=[Tick(y(v), int(v)) for v in _steps(0, y_hi, y_step)],
        groups=groups,
        total_y=y(c.migration_total),
        total=c.migration_total,
        unit=c.migration_unit,
        rotate=rotate,
    )


def _label(bar: Bar, total_y: float) -> Bar:
    """Value labels sit above their bar, or just inside its top where the total line would cross them."""
    above = bar.y - 6
    inside = abs(above - 4 - total_y) < 9 and bar.height > 22
    return replace(bar, label_y=round(bar.y + 15 if inside else above, 1))


# --------------------------------------------------------------------------------------------
# (c) Milestone slip: days late (or early) against the baseline


@dataclass(frozen=True)
class SlipRow:
    y: float
    centre: float
    name: str
    lines: tuple[str, ...]
    baseline: str
    latest: str
    slip: int
    bar_x: float
    bar_width: float
    value_x: float
    value_anchor: str
    kind: str
    achieved: bool
    overdue: bool


@dataclass(frozen=True)
class SlipChart:
    box: Box
    label_x: float
    x_ticks: list[Tick]
    zero_x: float
    rows: list[SlipRow]
    row_height: int


def slip_chart(c: ChartData) -> SlipChart | None:
    if not c.milestones:
        return None
    wraps = any(len(name_lines(m.name, 36)) > 1 for m in c.milestones)
    row_h, label_w = (38 if wraps else 30), 250
    top = 16
    rows_h = row_h * len(c.milestones)
    early = any(m.slip_days < 0 for m in c.milestones)
    # Value labels ("-19 days", "+917 days · overdue") need room at the ends of the bars.
    box = Box(
        width=WIDTH,
        height=top + rows_h + 44,
        left=label_w + (80 if early else 16),
        right=WIDTH - 120,
        top=top,
        bottom=top + rows_h,
    )
    slips = [m.slip_days for m in c.milestones]
    lo, hi, step = nice_range(min(0, *slips), max(0, *slips) or 30, 5, integer=True)
    x = Linear(lo, hi, box.left, box.right)
    zero = x(0)
    rows = []
    for i, m in enumerate(c.milestones):
        y0 = box.top + i * row_h
        end = x(m.slip_days)
        if m.slip_days > SERIOUS_SLIP_DAYS:
            kind = "late-serious"
        elif m.slip_days > 0:
            kind = "late"
        else:
            kind = "early" if m.slip_days < 0 else "on-time"
        rows.append(
            SlipRow(
                y=y0 + 8,
                centre=y0 + row_h / 2,
                name=" ".join(m.name.split()),
                lines=name_lines(m.name, 36),
                baseline=m.baseline,
                latest=m.latest,
                slip=m.slip_days,
                bar_x=min(zero, end),
                bar_width=max(abs(end - zero), 2.0),
                value_x=end + 6 if m.slip_days >= 0 else end - 6,
                value_anchor="start" if m.slip_days >= 0 else "end",
                kind=kind,
                achieved=m.achieved,
                overdue=m.overdue,
            )
        )
    ticks = [Tick(x(v), int(v)) for v in _steps(lo, hi, step)]
    return SlipChart(box=box, label_x=label_w, x_ticks=ticks, zero_x=zero, rows=rows, row_height=row_h)


# --------------------------------------------------------------------------------------------
# Portfolio charts


@dataclass(frozen=True)
class RatingBar:
    rating: str
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
class RatingChart:
    box: Box
    y_ticks: list[Tick]
    bars: list[RatingBar]


def rating_class(rating: str) -> str:
    return "r-" + rating.lower().replace("/", "-")


def rating_chart(counts: dict[str, int]) -> RatingChart:
    box = Box(width=WIDTH, height=260, left=44, right=WIDTH - 20, top=24, bottom=220)
    _, hi, step = nice_range(0, max(max(counts.values(), default=0), 1), 4, integer=True)
    y = Linear(0, hi, box.bottom, box.top)
    slot = box.plot_width / len(RATINGS)
    bars = []
    for i, rating in enumerate(RATINGS):
        n = counts.get(rating, 0)
        centre = box.left + slot * (i + 0.5)
        width = slot * 0.6
        bars.append(
            RatingBar(
                rating,
                n,
                round(centre - width / 2, 1),
                y(n),
                round(width, 1),
                round(box.bottom - y(n), 1),
                round(centre, 1),
                tuple("r-" + part.lower() for part in rating.split("/")),
            )
        )
    return RatingChart(box=box, y_ticks=[Tick(y(v), int(v)) for v in _steps(0, hi, step)], bars=bars)


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


def category_chart(run: Run, failing: Sequence[tuple[str, int]]) -> CategoryChart:
    """Per category, in `failing` order (portfolio.summary's): programmes failing in it (at or
    above the run's threshold), programmes with any active finding in it, and its findings."""
    reports = run.reports
    row_h = 28
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
    ticks = [Tick(x(v), int(v)) for v in _steps(0, hi, step)]
    return CategoryChart(box=box, x_ticks=ticks, rows=rows, row_height=row_h)


# --------------------------------------------------------------------------------------------
# Context


@dataclass(frozen=True)
class Charts:
    data: ChartData
    benefits: BenefitsChart | None
    migration: MigrationChart | None
    slip: SlipChart | None

    @property
    def any(self) -> bool:
        return any((self.benefits, self.migration, self.slip))


@dataclass(frozen=True)
class Item:
    """One outcome of the run, numbered for anchors and element ids."""

    index: int
    report: Report | None = None
    error: FileError | None = None
    charts: Charts | None = None
    numbers: dict[str, int] = field(default_factory=dict)

    @property
    def anchor(self) -> str:
        return f"p{self.index}"


def _item(index: int, outcome: Report | FileError) -> Item:
    if isinstance(outcome, FileError):
        return Item(index=index, error=outcome)
    charts = None
    if outcome.charts is not None:
        c = outcome.charts
        charts = Charts(c, benefits_chart(c), migration_chart(c), slip_chart(c))
    numbers = {f.rule_id: i for i, f in enumerate((f for f in outcome.findings if f.active), start=1)}
    return Item(index=index, report=outcome, charts=charts, numbers=numbers)


def _common(run: Run) -> dict[str, Any]:
    items = [_item(i, o) for i, o in enumerate(run.outcomes, start=1)]
    return {
        "run": run,
        "items": items,
        "vfm": VFM_SENTENCES,
        "vfm_label": VFM_LABELS,
        "meaning": RATING_MEANING,
        "letters": letters,
        "severities": _SEVERITIES_DESC,
        "rating_class": rating_class,
        "short_date": short_date,
        "serious_slip": SERIOUS_SLIP_DAYS,
    }


def _single(run: Run) -> dict[str, Any]:
    return {**_common(run), "portfolio": False}


def _portfolio(run: Run) -> dict[str, Any]:
    data = summary(run)
    order = [c.value for c in Category]
    cats = sorted((c for c, _ in data["failing_categories"]), key=order.index)
    for r in data["rows"]:
        cats += [c for c in r.categories if c not in cats]
    totals: Counter[str] = Counter()
    for r in run.reports:
        totals.update(r.by_severity())
    return {
        **_common(run),
        "portfolio": True,
        "summary": data,
        "categories": cats,
        "rating_chart": rating_chart(data["ratings"]),
        "category_chart": category_chart(run, data["failing_categories"]),
        "ratings": RATINGS,
        "totals": {s: totals.get(s, 0) for s in _SEVERITIES_DESC},
        "suppressed": sum(r.suppressed for r in run.reports),
    }


FORMAT = Format(name="html", template="html/report.html.j2", context=_single, suffix=".html")
PORTFOLIO = Format(
    name="html-portfolio", template="html/portfolio.html.j2", context=_portfolio, suffix=".html"
)
