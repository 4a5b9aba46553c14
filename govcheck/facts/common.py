"""Helpers shared by the fact modules: dates, shares, and the three evidence states.

A fact is `None` when the evidence it needs is not described. Counts of items that have
some property are a lower bound: they count the items known to have it, and are `None`
only when none is known to have it and some items do not say.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict

from govcheck.model import Money, described

DAYS_PER_MONTH = 30.4375

__all__ = ["DAYS_PER_MONTH", "Facts", "amount", "at_least", "described", "months", "share", "years_before"]


class Facts(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


def years_before(day: dt.date, years: int) -> dt.date:
    """The same calendar day `years` earlier; 29 February falls back to the 28th."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def months(later: dt.date, earlier: dt.date | None) -> float | None:
    return None if earlier is None else round((later - earlier).days / DAYS_PER_MONTH, 2)


def amount(money: Money | None) -> float:
    return money.amount if money else 0.0


def share(part: float | None, whole: float | None) -> float | None:
    return round(part / whole, 4) if part is not None and whole else None


def at_least(states: Iterable[bool | None]) -> int | None:
    """How many items are known to have a property (`True`); `None` if none is known to and
    some items do not say (`None`)."""
    known = unknown = 0
    for state in states:
        known += state is True
        unknown += state is None
    return None if known == 0 and unknown else known
