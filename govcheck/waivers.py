"""Waivers: reasoned, owned, expiring suppressions of findings.

A live waiver suppresses the findings it matches (they stay in the report, marked); an
expired one stops suppressing and is reported; one that matches nothing is reported too.
"""

from __future__ import annotations

import datetime as dt
import difflib
import fnmatch
from collections.abc import Collection
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, StrictStr

from govcheck.errors import InputError, RuleError
from govcheck.model import Date
from govcheck.report import Finding, Outcome, Suppression, suppress
from govcheck.validation import validate
from govcheck.yamlsource import Source, load

DEFAULT_FILE = ".govcheck-waivers.yaml"


class Waiver(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    rule: StrictStr = Field(min_length=1, description="The rule id waived.")
    file: StrictStr = Field(min_length=1, description="Programme file (glob) it covers.")
    path: StrictStr | None = Field(default=None, description="JSON pointer; default the whole file.")
    reason: StrictStr = Field(min_length=10)
    owner: StrictStr = Field(min_length=1)
    expires: Date

    def matches(self, finding: Finding) -> bool:
        if finding.rule_id != self.rule or not fnmatch.fnmatchcase(finding.location.file, self.file):
            return False
        return (
            self.path is None
            or finding.location.path == self.path
            or finding.location.path.startswith(self.path.rstrip("/") + "/")
        )

    def describe(self) -> str:
        return f"{self.rule} on {self.file}{' ' + self.path if self.path else ''}"


class WaiverFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    waivers: tuple[Waiver, ...] = ()


def load_waivers(path: str | Path) -> tuple[str, tuple[Waiver, ...]]:
    source, waivers = read_waivers(path)
    return source.path, waivers


def read_waivers(path: str | Path) -> tuple[Source, tuple[Waiver, ...]]:
    try:
        source = load(path)
    except InputError as exc:
        raise exc.recast(RuleError) from None
    return source, validate(WaiverFile, source, RuleError).waivers


def check_rule_ids(source: Source, waivers: tuple[Waiver, ...], known: Collection[str]) -> None:
    """Every waiver must name a rule in the catalogue: a typo would otherwise waive nothing."""
    for i, w in enumerate(waivers):
        if w.rule in known:
            continue
        _, span = source.locate(f"/waivers/{i}/rule")
        hint = difflib.get_close_matches(w.rule, sorted(known), n=1)
        raise RuleError(
            f"no rule {w.rule!r}"
            + (f"; did you mean {hint[0]!r}?" if hint else "")
            + "; see 'govcheck rules'",
            file=source.path,
            line=span.line,
            column=span.column,
            field="rule",
        )


class WaiverCheck:
    """Waivers applied one finding at a time; the notices are ready once every finding was seen."""

    def __init__(self, waivers: tuple[Waiver, ...], source: str, today: dt.date | None = None) -> None:
        self.waivers = waivers
        self.source = source
        self.today = today or dt.date.today()
        self.used: set[int] = set()
        self.expired_hits: set[int] = set()

    def decide(self, f: Finding) -> Suppression | None:
        for i, w in enumerate(self.waivers):
            if not w.matches(f):
                continue
            if w.expires < self.today:  # a waiver expiring today still holds today
                self.expired_hits.add(i)
                continue
            self.used.add(i)
            return Suppression(
                kind="waiver", justification=w.reason, owner=w.owner, expires=w.expires.isoformat()
            )
        return None

    def notices(self) -> tuple[str, ...]:
        notices = []
        for i, w in enumerate(self.waivers):
            if w.expires < self.today:
                state = "its finding fails again" if i in self.expired_hits else "it matches no finding"
                expired = w.expires.isoformat()
                notices.append(
                    f"{self.source}: waiver {i + 1} ({w.describe()}) expired on {expired}; {state}"
                )
            elif i not in self.used:
                notices.append(f"{self.source}: waiver {i + 1} ({w.describe()}) matches no finding")
        return tuple(notices)


def apply_waivers(
    outcomes: tuple[Outcome, ...], waivers: tuple[Waiver, ...], source: str, today: dt.date | None = None
) -> tuple[tuple[Outcome, ...], tuple[str, ...]]:
    """Mark waived findings; return the new outcomes and notices about expired or unused waivers."""
    check = WaiverCheck(waivers, source, today)
    result = suppress(outcomes, check.decide)
    return result, check.notices()
