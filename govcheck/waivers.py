"""Waivers: reasoned, owned, expiring suppressions of findings.

A live waiver suppresses the findings it matches (they stay in the report, marked); an
expired one stops suppressing and is reported; one that matches nothing is reported too.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, StrictStr

from govcheck.errors import InputError, RuleError
from govcheck.model import Date
from govcheck.report import Finding, Outcome, Suppression, suppress
from govcheck.validation import validate
from govcheck.yamlsource import load

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
    try:
        source = load(path)
    except InputError as exc:
        raise exc.recast(RuleError) from None
    return source.path, validate(WaiverFile, source, RuleError).waivers


def apply_waivers(
    outcomes: tuple[Outcome, ...], waivers: tuple[Waiver, ...], source: str, today: dt.date | None = None
) -> tuple[tuple[Outcome, ...], tuple[str, ...]]:
    """Mark waived findings; return the new outcomes and notices about expired or unused waivers."""
    today = today or dt.date.today()
    used: set[int] = set()
    expired_hits: set[int] = set()

    def decide(f: Finding) -> Suppression | None:
        for i, w in enumerate(waivers):
            if not w.matches(f):
                continue
            if w.expires < today:
                expired_hits.add(i)
                continue
            used.add(i)
            return Suppression(
                kind="waiver", justification=w.reason, owner=w.owner, expires=w.expires.isoformat()
            )
        return None

    result = suppress(outcomes, decide)
    notices = []
    for i, w in enumerate(waivers):
        if w.expires < today:
            state = "its finding fails again" if i in expired_hits else "it matches no finding"
            notices.append(
                f"{source}: waiver {i + 1} ({w.describe()}) expired on {w.expires.isoformat()}; {state}"
            )
        elif i not in used:
            notices.append(f"{source}: waiver {i + 1} ({w.describe()}) matches no finding")
    return result, tuple(notices)
