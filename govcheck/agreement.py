"""How far two sets of delivery confidence ratings agree: one ordinal scale, Spearman's rho, a
confusion table.

The IPA's five-point scale (to 2016-17) and three-point scale (from 2021-22) share their names,
so both sit on one ordinal scale, best to worst:

    Green 1 · Amber/Green 2 · Amber 3 · Amber/Red 4 · Red 5

A three-point Green, Amber or Red takes the place of the five-point rating of the same name
(1, 3, 5). Rank statistics read only the order, so this choice matters only where the scales
meet: a three-point Amber sits between Amber/Green and Amber/Red, as its definition does.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict

from govcheck.vocab import RATING_SCALE

#: The one ordinal scale, best first (govcheck.vocab defines it).
SCALE = RATING_SCALE
_BY_KEY = {r.lower(): i for i, r in enumerate(SCALE, start=1)}


def ordinal(rating: str | None) -> int | None:
    """1 (Green) to 5 (Red); None for anything not on the scale (blank, exempt, unknown)."""
    if not rating:
        return None
    return _BY_KEY.get("/".join(part.strip() for part in rating.lower().split("/")))


def canonical(rating: str | None) -> str | None:
    """The rating as the scale spells it, or None."""
    rank = ordinal(rating)
    return SCALE[rank - 1] if rank else None


def average_ranks(values: Sequence[float]) -> list[float]:
    """Ranks 1..n; tied values share the average of the ranks they span."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return ranks


def pearson(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """None when either side has no variance (a constant ranks nothing)."""
    if len(xs) != len(ys):
        raise ValueError("pearson: sequences differ in length")
    n = len(xs)
    if n < 2:
        return None
    mx, my = sum(xs) / n, sum(ys) / n
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return None
    return sxy / math.sqrt(sxx * syy)


def spearman(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Spearman's rho with ties: Pearson's r of the average ranks. None if undefined."""
    return pearson(average_ranks(xs), average_ranks(ys))


class Confusion(BaseModel):
    """Counts of programmes by (ours, theirs); rows and columns are the scale's ratings that occur."""

    model_config = ConfigDict(frozen=True)

    rows: tuple[str, ...]
    columns: tuple[str, ...]
    counts: tuple[tuple[int, ...], ...]

    def count(self, row: str, column: str) -> int:
        return self.counts[self.rows.index(row)][self.columns.index(column)]


class Agreement(BaseModel):
    """Agreement between our ratings and a reference over the programmes that have both."""

    model_config = ConfigDict(frozen=True)

    n: int
    rho: float | None
    exact: int
    confusion: Confusion

    @property
    def exact_share(self) -> float | None:
        return self.exact / self.n if self.n else None


def agreement(pairs: Sequence[tuple[str, str]]) -> Agreement:
    """(ours, reference) ratings; pairs where either is off the scale are left out."""
    ranked = [(a, b) for a, b in ((ordinal(x), ordinal(y)) for x, y in pairs) if a and b]
    ours = sorted({a for a, _ in ranked})
    theirs = sorted({b for _, b in ranked})
    counts = tuple(tuple(sum(1 for p in ranked if p == (a, b)) for b in theirs) for a in ours)
    return Agreement(
        n=len(ranked),
        rho=spearman([a for a, _ in ranked], [b for _, b in ranked]),
        exact=sum(1 for a, b in ranked if a == b),
        confusion=Confusion(
            rows=tuple(SCALE[a - 1] for a in ours),
            columns=tuple(SCALE[b - 1] for b in theirs),
            counts=counts,
        ),
    )


# --------------------------------------------------------------------------------------------
# Early warning: does a score at one release pick out the projects in trouble at the next?


def three_point(rating: str | None) -> int | None:
    """The rating on the three-point scale (Green 1, Amber 3, Red 5): Amber/Green and Amber/Red
    become Amber. None off the scale."""
    rank = ordinal(rating)
    if rank is None:
        return None
    return 3 if rank in (2, 4) else rank


def downgraded(before: str | None, after: str | None, *, collapse: bool = False) -> bool | None:
    """Whether `after` is worse than `before`; None when either is off the scale. With
    `collapse` both are first put on the three-point scale."""
    rank = three_point if collapse else ordinal
    a, b = rank(after), rank(before)
    if a is None or b is None:
        return None
    return a > b


def trouble_next(before: str | None, after: str | None, *, collapse: bool = False) -> bool | None:
    """Whether the IPA's rating at the next release (`after`) is Red or worse than `before`.

    None when `after` is off the scale (the outcome is unknown). When `before` is off the
    scale only Red counts, since a downgrade cannot be seen. With `collapse` (either release
    on the three-point scale) both ratings are first put on the three-point scale, so a
    five-point Amber/Green followed by a three-point Amber is not counted as worse.
    """
    a = ordinal(after)
    if a is None:
        return None
    return a == len(SCALE) or bool(downgraded(before, after, collapse=collapse))


def auroc(scores: Sequence[float], labels: Sequence[bool]) -> float | None:
    """Area under the ROC curve: the chance that a random positive scores above a random
    negative, ties counting a half (the Mann-Whitney U over average ranks). None without both
    a positive and a negative."""
    if len(scores) != len(labels):
        raise ValueError("auroc: scores and labels differ in length")
    positives = sum(1 for y in labels if y)
    negatives = len(labels) - positives
    if not positives or not negatives:
        return None
    ranks = average_ranks(scores)
    u = sum(r for r, y in zip(ranks, labels, strict=True) if y) - positives * (positives + 1) / 2
    return u / (positives * negatives)


def precision_at_k(scores: Sequence[float], labels: Sequence[bool], k: int) -> float | None:
    """Share of positives among the k highest scores (all of them when there are fewer than k).

    Ties at the cut are broken at random and the expectation is returned: the projects that
    tie with the k-th score fill the remaining places in proportion to the positives among
    them. So a constant score gives the base rate. None for no items or k < 1.
    """
    if len(scores) != len(labels):
        raise ValueError("precision_at_k: scores and labels differ in length")
    k = min(k, len(scores))
    if k < 1:
        return None
    cut = sorted(scores, reverse=True)[k - 1]
    above = [y for s, y in zip(scores, labels, strict=True) if s > cut]
    tied = [y for s, y in zip(scores, labels, strict=True) if s == cut]
    places = k - len(above)
    expected = sum(above) + places * sum(tied) / len(tied)
    return expected / k
