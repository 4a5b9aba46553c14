"""Helpers shared by the fact modules: dates, shares, and the three evidence states.

A fact is `None` when the evidence it needs is not described. Counts of items that have
some property are a lower bound: they count the items known to have it, and are `None`
only when none is known to have it and some items do not say.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import ClassVar

from pydantic import BaseModel, ConfigDict

from govcheck.model import Money, described

DAYS_PER_MONTH = 30.4375

__all__ = [
    "DAYS_PER_MONTH",
    "Facts",
    "Reads",
    "amount",
    "at_least",
    "described",
    "months",
    "share",
    "years_before",
]

#: Fact name -> the fields of the description it is derived from: those it needs, then, in
#: a tuple of their own, those that can make it known otherwise (see `Facts`).
Reads = dict[str, tuple[str | tuple[str, ...], ...]]


class Facts(BaseModel):
    """A group of facts.

    `reads` gives, for each fact of the group, the fields of the programme description whose
    leaving out can leave it not known (`None`), in the format's own names: dotted, with `[]`
    for the items of a list (`objectives[].strategic_priority`). First the fields it needs
    (without any of them it is not known), then, in a tuple of their own, those that can make
    it known otherwise: alternatives and fall-backs (`("outputs", ("outputs[].due",
    "planned_end_date", "status"))`: outputs are needed, and what is due comes from each
    output's `due`, or from the programme having ended or passed its planned end date). An
    evidence-gap note (govcheck.gaps) names the needed fields the description does not give,
    or, when it gives them all, the others it does not give. A fact that is never unknown
    reads `()`.
    """

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)
    reads: ClassVar[Reads] = {}


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
