"""The portfolio view, computed once for every portfolio format: one row per programme, worst
first, with govcheck's rating beside the IPA's and the SRO's, the optimism gap, movement since
the previous release, and agreement with the IPA."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel, ConfigDict

from govcheck.agreement import SCALE, Agreement, agreement, canonical, ordinal
from govcheck.report import FileError, RatingRef, Report, Run, Snapshot
from govcheck.rule import SEVERITY_ORDER, Category, Severity

SEVERITIES = tuple(s.value for s in reversed(SEVERITY_ORDER))


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class ReferenceRating(Frozen):
    """A rating someone else gave (the IPA or the SRO): compared against, never evidence."""

    by: str
    rating: str
    date: str = ""


class Movement(Frozen):
    """Change since the previous release (the last entry of the programme's history)."""

    since: str
    rating_by: str = ""
    rating_before: str | None = None
    rating_now: str | None = None
    rating_steps: int | None = None
    cost_before: float | None = None
    cost_now: float | None = None
    cost_growth: float | None = None
    end_before: str | None = None
    end_now: str | None = None
    slip_days: int | None = None

    @property
    def direction(self) -> str:
        """'worse', 'better', 'same', or '' when the rating cannot be compared."""
        if self.rating_steps is None:
            return ""
        return "worse" if self.rating_steps > 0 else "better" if self.rating_steps < 0 else "same"


class Row(Frozen):
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
    gaps: int = 0
    worst: str
    categories: dict[str, str]
    ipa: ReferenceRating | None = None
    sro: ReferenceRating | None = None
    #: Steps on the ordinal scale by which the SRO rates the programme better than the IPA
    #: (or than govcheck); None when there is nothing to compare.
    sro_above_ipa: int | None = None
    sro_above_govcheck: int | None = None
    movement: Movement | None = None
    #: The IPA's rating at the previous release, if the history gives one.
    ipa_before: ReferenceRating | None = None

    @property
    def optimism_gap(self) -> int:
        """How many steps better the SRO's rating is than the worse of the IPA's and govcheck's; 0 if none."""
        return max(0, self.sro_above_ipa or 0, self.sro_above_govcheck or 0)

    @property
    def counts(self) -> dict[str, int]:
        return {s: getattr(self, s) for s in SEVERITIES}


class PortfolioSummary(Frozen):
    rows: tuple[Row, ...]
    errors: tuple[FileError, ...]
    ratings: dict[str, int]
    ipa_ratings: dict[str, int]
    sro_ratings: dict[str, int]
    failing_categories: tuple[tuple[str, int], ...]
    departments: tuple[str, ...]
    categories: tuple[str, ...]
    threshold: str
    agreement: Agreement | None
    optimistic: int


# --------------------------------------------------------------------------------------------
# Reference ratings and history (ProgrammeRef.reference_ratings, .history)


def _latest(ratings: Iterable[RatingRef], by: str) -> ReferenceRating | None:
    """The latest of `by`'s ratings that is on the scale, or None."""
    found = [
        ReferenceRating(by=by, rating=canonical(r.rating) or "", date=r.date or "")
        for r in ratings
        if r.by.upper() == by and canonical(r.rating)
    ]
    return max(found, key=lambda r: r.date) if found else None


def _days(later: str, earlier: str) -> int | None:
    try:
        return (dt.date.fromisoformat(later) - dt.date.fromisoformat(earlier)).days
    except ValueError:
        return None


def snapshots(report: Report) -> tuple[Snapshot | None, Snapshot | None]:
    """(previous, current): the latest history entry dated before the assessment (the previous
    release), and the entry dated at it (the current release's own figures), each or None."""
    today = report.programme.assessment_date
    history = report.programme.history
    earlier = [h for h in history if h.date < today]
    current = [h for h in history if h.date == today]
    return (max(earlier, key=lambda h: h.date) if earlier else None), (current[-1] if current else None)


def movement(report: Report, ipa: ReferenceRating | None, sro: ReferenceRating | None) -> Movement | None:
    """Rating, whole-life cost and planned end now against the previous release. Figures for
    now come from the history's entry at the assessment date (an importer of annual releases
    writes one); without it only the rating moves."""
    before, current = snapshots(report)
    if before is None:
        return None
    rating_by, rating_before, rating_now = "", None, None
    for now in (ipa, sro):
        earlier = _latest(before.ratings, now.by) if now else None
        if now and earlier:
            rating_by, rating_before, rating_now = now.by, earlier.rating, now.rating
            break
    steps = None
    if rating_before and rating_now:
        steps = (ordinal(rating_now) or 0) - (ordinal(rating_before) or 0)
    cost_before = before.whole_life_cost
    cost_now = current.whole_life_cost if current else None
    growth = (cost_now - cost_before) / cost_before if cost_now is not None and cost_before else None
    end_before = before.planned_end_date
    end_now = current.planned_end_date if current else None
    return Movement(
        since=before.date,
        rating_by=rating_by,
        rating_before=rating_before,
        rating_now=rating_now,
        rating_steps=steps,
        cost_before=cost_before,
        cost_now=cost_now,
        cost_growth=growth,
        end_before=end_before,
        end_now=end_now,
        slip_days=_days(end_now, end_before) if end_now and end_before else None,
    )


# --------------------------------------------------------------------------------------------
# Rows and the summary


def _above(sro: ReferenceRating | None, other: str | None) -> int | None:
    if sro is None or ordinal(other) is None:
        return None
    return (ordinal(other) or 0) - (ordinal(sro.rating) or 0)


def row(report: Report) -> Row:
    worst: dict[str, Severity] = {}
    for f in report.findings:
        if f.active and (f.category not in worst or f.severity.rank > worst[f.category].rank):
            worst[f.category] = f.severity
    top = max(worst.values(), key=lambda s: s.rank, default=None)
    refs = report.programme.reference_ratings
    ipa, sro = _latest(refs, "IPA"), _latest(refs, "SRO")
    previous, _ = snapshots(report)
    return Row(
        source=report.programme.source,
        id=report.programme.id,
        name=report.programme.name,
        department=report.programme.department,
        rating=report.rating.conclusion,
        value_for_money=report.value_for_money.conclusion,
        gaps=sum(1 for g in report.gaps if g.active),
        worst=top.value if top else "",
        categories={k: v.value for k, v in sorted(worst.items())},
        ipa=ipa,
        sro=sro,
        sro_above_ipa=_above(sro, ipa.rating if ipa else None),
        sro_above_govcheck=_above(sro, report.rating.conclusion),
        movement=movement(report, ipa, sro),
        ipa_before=_latest(previous.ratings, "IPA") if previous else None,
        **report.by_severity(),
    )


def worst_first(r: Row) -> tuple[Any, ...]:
    """Rating (Red first), then active findings from critical down, then name and source."""
    return (-(ordinal(r.rating) or 0), *(-n for n in r.counts.values()), r.name.casefold(), r.source)


def _distribution(ratings: list[str | None]) -> dict[str, int]:
    counts = Counter(ratings)
    return {k: counts.get(k, 0) for k in reversed(SCALE)}


def summary(run: Run) -> PortfolioSummary:
    rows = sorted((row(r) for r in run.reports), key=worst_first)
    failing: Counter[str] = Counter()
    for r in rows:
        for category, sev in r.categories.items():
            if Severity(sev).rank >= run.fail_on.rank:
                failing[category] += 1
    order = [c.value for c in Category]
    categories = list(order)
    categories += sorted({c for r in rows for c in r.categories if c not in order})
    rated = [(r.rating, r.ipa.rating) for r in rows if r.ipa]
    return PortfolioSummary(
        rows=tuple(rows),
        errors=run.errors,
        ratings=_distribution([r.rating for r in rows]),
        ipa_ratings=_distribution([r.ipa.rating if r.ipa else None for r in rows]),
        sro_ratings=_distribution([r.sro.rating if r.sro else None for r in rows]),
        failing_categories=tuple(
            (c, failing.get(c, 0)) for c in sorted(categories, key=lambda c: (-failing.get(c, 0), c))
        ),
        departments=tuple(sorted({r.department for r in rows}, key=str.casefold)),
        categories=tuple(categories),
        threshold=run.fail_on.value,
        agreement=agreement(rated) if rated else None,
        optimistic=sum(1 for r in rows if r.optimism_gap),
    )
