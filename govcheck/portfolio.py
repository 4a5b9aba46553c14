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
    """Change since an earlier release: the previous one (the last entry of the programme's
    history before its assessment date) or the first (its earliest entry with each figure: the
    baseline the cost and schedule findings measure against)."""

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
    #: The assessment date: the release the figures are as at (for an import, its latest).
    as_at: str = ""
    #: Whether the figures are a release's: a source the programme cites is dated at its as-at
    #: date (as an imported GMPP release is). Only such rows are ever left out as superseded.
    from_release: bool = False
    #: Change since the first release, as the findings measure cost growth and slip.
    first: Movement | None = None

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
    #: The latest release: the latest as-at date two or more programmes share; None if none do.
    as_at: str | None = None
    all_releases: bool = False
    #: Programmes left out because they were last seen in an earlier release, worst first.
    earlier: tuple[Row, ...] = ()
    #: The baseline "same rating as the last release": the IPA's rating at the previous release
    #: against the IPA's now, and govcheck's agreement on those same programmes.
    baseline: Agreement | None = None
    agreement_on_baseline_rows: Agreement | None = None

    @property
    def left_out(self) -> tuple[tuple[str, int], ...]:
        """(as-at date, programmes) left out, latest date first."""
        counts = Counter(r.as_at for r in self.earlier)
        return tuple(sorted(counts.items(), reverse=True))


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


def _compare(
    before: Snapshot, current: Snapshot | None, ipa: ReferenceRating | None, sro: ReferenceRating | None
) -> Movement:
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


def movement(report: Report, ipa: ReferenceRating | None, sro: ReferenceRating | None) -> Movement | None:
    """Rating, whole-life cost and planned end now against the previous release. Figures for
    now come from the history's entry at the assessment date (an importer of annual releases
    writes one); without it only the rating moves."""
    before, current = snapshots(report)
    return None if before is None else _compare(before, current, ipa, sro)


def since_first(report: Report, ipa: ReferenceRating | None, sro: ReferenceRating | None) -> Movement | None:
    """Rating, whole-life cost and planned end now against the first release that gives each:
    the baseline the GMPP importer writes (first cost, first end date), and so what the cost
    growth and milestone slip findings measure. `since` is the first earlier release."""
    today = report.programme.assessment_date
    earlier = sorted((h for h in report.programme.history if h.date < today), key=lambda h: h.date)
    if not earlier:
        return None
    _, current = snapshots(report)
    cost = next((h.whole_life_cost for h in earlier if h.whole_life_cost is not None), None)
    end = next((h.planned_end_date for h in earlier if h.planned_end_date), None)
    rated = next((h.ratings for h in earlier if h.ratings), ())
    first = Snapshot(date=earlier[0].date, whole_life_cost=cost, planned_end_date=end, ratings=rated)
    return _compare(first, current, ipa, sro)


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
        as_at=report.programme.assessment_date,
        from_release=any(c.date == report.programme.assessment_date for c in report.programme.sources),
        first=since_first(report, ipa, sro),
        **report.by_severity(),
    )


def worst_first(r: Row) -> tuple[Any, ...]:
    """Rating (Red first), then active findings from critical down, then name and source."""
    return (-(ordinal(r.rating) or 0), *(-n for n in r.counts.values()), r.name.casefold(), r.source)


def _distribution(ratings: list[str | None]) -> dict[str, int]:
    counts = Counter(ratings)
    return {k: counts.get(k, 0) for k in reversed(SCALE)}


def latest_release(rows: Iterable[Row]) -> str | None:
    """The latest as-at date that two or more programmes from releases share: a release describes
    many programmes as at one date, and they cite it. None when there is none (programmes each
    assessed on their own, as a hand-written portfolio is)."""
    counts = Counter(r.as_at for r in rows if r.as_at and r.from_release)
    shared = [d for d, n in counts.items() if n > 1]
    return max(shared) if shared else None


def split_releases(rows: Iterable[Row], all_releases: bool) -> tuple[str | None, list[Row], list[Row]]:
    """(latest release, rows shown, rows left out): by default programmes of releases before the
    latest are left out; the others (as at the latest release or later, or not from a release)
    are shown."""
    rows = list(rows)
    as_at = latest_release(rows)
    if as_at is None or all_releases:
        return as_at, rows, []
    superseded = [r for r in rows if r.from_release and r.as_at < as_at]
    return as_at, [r for r in rows if r not in superseded], superseded


def departments(rows: Iterable[Row]) -> dict[str, str]:
    """Each department's spellings (MoD, MOD) to one: the commonest, then the first in order."""
    spellings: dict[str, Counter[str]] = {}
    for r in rows:
        spellings.setdefault(r.department.strip().casefold(), Counter())[r.department] += 1
    out = {}
    for counts in spellings.values():
        best = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        out.update({spelling: best for spelling in counts})
    return out


def summary(run: Run, all_releases: bool | None = None) -> PortfolioSummary:
    """The portfolio over the latest release's programmes (or every release's, with
    `all_releases`; by default as the run says, `govcheck portfolio --all-releases`)."""
    every = sorted((row(r) for r in run.reports), key=worst_first)
    everything = run.all_releases if all_releases is None else all_releases
    as_at, rows, earlier = split_releases(every, everything)
    shown = {r.source for r in rows}
    failing: Counter[str] = Counter()
    for r in rows:
        for category, sev in r.categories.items():
            if Severity(sev).rank >= run.fail_on.rank:
                failing[category] += 1
    order = [c.value for c in Category]
    categories = list(order)
    categories += sorted({c for r in every for c in r.categories if c not in order})
    rated = [(r.rating, r.ipa.rating) for r in rows if r.ipa]
    with_before = [r for r in rows if r.ipa and r.ipa_before]
    spelling = departments(every)
    return PortfolioSummary(
        rows=tuple(rows),
        errors=run.errors,
        ratings=_distribution([r.rating for r in rows]),
        ipa_ratings=_distribution([r.ipa.rating if r.ipa else None for r in rows]),
        sro_ratings=_distribution([r.sro.rating if r.sro else None for r in rows]),
        failing_categories=tuple(
            (c, failing.get(c, 0)) for c in sorted(categories, key=lambda c: (-failing.get(c, 0), c))
        ),
        departments=tuple(sorted(set(spelling.values()), key=str.casefold)),
        categories=tuple(categories),
        threshold=run.fail_on.value,
        agreement=agreement(rated) if rated else None,
        optimistic=sum(1 for r in rows if r.optimism_gap),
        as_at=as_at,
        all_releases=everything,
        earlier=tuple(r for r in earlier if r.source not in shown),
        baseline=agreement(
            [(r.ipa_before.rating, r.ipa.rating) for r in with_before if r.ipa_before and r.ipa]
        )
        if with_before
        else None,
        agreement_on_baseline_rows=agreement([(r.rating, r.ipa.rating) for r in with_before if r.ipa])
        if with_before
        else None,
    )
