"""The review cycle: what changed since the previous assessment of the same programme.

Compares two descriptions of one programme and their reports: the fields that changed, the
findings that are new, resolved or persisting, the conclusions and readiness then and now,
and the review recommendations closed or gone overdue in between.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from pydantic import Field

from govcheck.frozen import Frozen
from govcheck.model import Programme
from govcheck.rule import Severity

if TYPE_CHECKING:
    from govcheck.report import Finding, Report

#: The most field changes a comparison lists; the count says how many there were.
MAX_CHANGES = 40
#: Keys that name an item of a list, so items are matched by name rather than by position.
ITEM_KEYS = ("id", "name", "title", "text", "summary", "part", "rule")


class FieldChange(Frozen):
    field: str = Field(description="Dotted, with list items named: `parties[Agency A].commitment`.")
    before: str | None = Field(description="None when it was not described.")
    after: str | None = Field(description="None when it is no longer described.")


class FindingRef(Frozen):
    rule_id: str
    title: str
    severity: Severity


class Then(Frozen):
    """The previous assessment's conclusions."""

    source: str
    assessment_date: str
    rating: str
    value_for_money: str
    readiness: str | None = None


class Comparison(Frozen):
    previous: Then
    changes: tuple[FieldChange, ...] = Field(description=f"The first {MAX_CHANGES}, in field order.")
    change_count: int
    new: tuple[FindingRef, ...]
    resolved: tuple[FindingRef, ...]
    persisting: tuple[FindingRef, ...]
    recommendations_closed: tuple[str, ...] = ()
    recommendations_gone_overdue: tuple[str, ...] = ()


def compare(before: Programme, then: Report, now_programme: Programme, now: Report) -> Comparison:
    old = {f.rule_id: f for f in _open(then.findings)}
    new = {f.rule_id: f for f in _open(now.findings)}
    changes = list(_changes(_flat(before), _flat(now_programme)))
    closed, overdue = _recommendations(before, now_programme)
    return Comparison(
        previous=Then(
            source=then.programme.source,
            assessment_date=then.programme.assessment_date,
            rating=then.rating.conclusion,
            value_for_money=then.value_for_money.conclusion,
            readiness=then.readiness.headline if then.readiness else None,
        ),
        changes=tuple(changes[:MAX_CHANGES]),
        change_count=len(changes),
        new=tuple(_ref(f) for k, f in new.items() if k not in old),
        resolved=tuple(_ref(f) for k, f in old.items() if k not in new),
        persisting=tuple(_ref(f) for k, f in new.items() if k in old),
        recommendations_closed=closed,
        recommendations_gone_overdue=overdue,
    )


def _open(findings: tuple[Finding, ...]) -> list[Finding]:
    return [f for f in findings if f.active]


def _ref(f: Finding) -> FindingRef:
    return FindingRef(rule_id=f.rule_id, title=f.title, severity=f.severity)


def _flat(p: Programme) -> dict[str, str]:
    """Every described leaf of the description, by dotted name; list items named where they can be."""
    out: dict[str, str] = {}

    def walk(value: Any, name: str) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(inner, f"{name}.{key}" if name else key)
        elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            for i, item in enumerate(value):
                label = next((str(item[k]) for k in ITEM_KEYS if isinstance(item.get(k), (str, int))), None)
                walk(item, f"{name}[{label if label is not None else i + 1}]")
        else:
            out[name] = _text(value)

    walk(p.model_dump(mode="json", exclude_unset=True), "")
    return out


def _text(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_text(v) for v in value) + "]"
    if value is None:
        return "null"
    return str(value).lower() if isinstance(value, bool) else str(value)


def _changes(before: dict[str, str], after: dict[str, str]) -> Iterator[FieldChange]:
    for name in sorted(before.keys() | after.keys()):
        if before.get(name) != after.get(name):
            yield FieldChange(field=name, before=before.get(name), after=after.get(name))


def _recommendations(before: Programme, now: Programme) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Texts of the recommendations closed since, and of those gone overdue since."""

    def states(p: Programme) -> dict[str, tuple[bool, bool]]:
        return {
            rec.text: (
                rec.status == "closed",
                rec.status != "closed" and rec.due is not None and rec.due < p.assessment_date,
            )
            for review in p.gateway_reviews
            for rec in review.recommendations
        }

    then, now_ = states(before), states(now)
    closed = tuple(t for t, (c, _) in now_.items() if c and t in then and not then[t][0])
    overdue = tuple(t for t, (_, o) in now_.items() if o and not then.get(t, (False, False))[1])
    return closed, overdue
