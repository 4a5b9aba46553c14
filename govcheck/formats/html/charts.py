"""The single-programme report's charts: benefits, migration and milestone slip.

Geometry is computed here; the templates (templates/html/) only draw what they are given.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from govcheck.formats.html.scales import (
    WIDTH,
    Box,
    Linear,
    Tick,
    iso_date,
    name_lines,
    nice_range,
    points,
    steps,
    year_ticks,
)
from govcheck.report import ChartData

#: Milestones more than this many days late are drawn as serious slips.
SERIOUS_SLIP_DAYS = 90


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
    days = [iso_date(p.date).toordinal() for p in c.benefits]
    today = iso_date(c.assessment_date).toordinal()
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
        y_ticks=[Tick(y(v), v) for v in steps(0, y_hi, y_step)],
        x_ticks=year_ticks(min(days), max(days), x),
        forecast_past=points(past),
        forecast_future=points(future),
        area_past=points([(past[0][0], box.bottom), *past, (past[-1][0], box.bottom)]) if past else "",
        today_x=today_x,
        expected=Label(today_x + e_dx, e_y, e_anchor, c.expected_to_date),
        expected_y=expected_y,
        delivered=d_label,
        delivered_y=delivered_y,
        end=end,
        total=c.benefits[-1].forecast,
        total_date=next(p.date for p in c.benefits if p.forecast >= c.benefits[-1].forecast),
    )


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
    today = iso_date(c.assessment_date)
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
                iso_date(cp.date) > today,
            )
        )
    return MigrationChart(
        box=box,
        y_ticks=[Tick(y(v), int(v)) for v in steps(0, y_hi, y_step)],
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
    ticks = [Tick(x(v), int(v)) for v in steps(lo, hi, step)]
    return SlipChart(box=box, label_x=label_w, x_ticks=ticks, zero_x=zero, rows=rows, row_height=row_h)
