"""Scales and geometry shared by the HTML charts: round axis steps, linear maps, label text."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

#: Every chart's viewBox width; CSS scales it to the page.
WIDTH = 760


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


def iso_date(iso: str) -> dt.date:
    return dt.date.fromisoformat(iso)


def short_date(iso: str) -> str:
    """'2026-03-31' -> 'Mar 2026': axis labels."""
    return f"{iso_date(iso):%b %Y}"


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


def points(pairs: Sequence[tuple[float, float]]) -> str:
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


def steps(lo: float, hi: float, step: float) -> list[float]:
    n = round((hi - lo) / step)
    return [lo + i * step for i in range(n + 1)]


def year_ticks(first: int, last: int, x: Linear) -> list[Tick]:
    start, end = dt.date.fromordinal(first), dt.date.fromordinal(last)
    years = [y for y in range(start.year, end.year + 1) if first <= dt.date(y, 1, 1).toordinal() <= last]
    if len(years) < 2:
        return [Tick(x(first), short_date(start.isoformat())), Tick(x(last), short_date(end.isoformat()))]
    every = math.ceil(len(years) / 8)
    return [Tick(x(dt.date(y, 1, 1).toordinal()), str(y)) for y in years[::every]]
