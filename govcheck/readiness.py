"""Ready for the gate? Each question of the gate under review, answered from the findings and the description.

A question is *evidenced* when every field it names is described and no active finding at
medium or above bears on it; it has *concerns* when such findings do; otherwise it is *not
described*, and the fields to describe are the evidence to bring. Blockers are the active,
unaccepted findings at high or above: a review would not pass them over.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, Field

from govcheck.frozen import Frozen
from govcheck.gates import GateFile, described_field
from govcheck.rule import Severity

if TYPE_CHECKING:
    from govcheck.report import Finding

#: How many blockers the verdict lists, and how many recommendations are marked to act on first.
FIRST = 3
QuestionState = Literal["evidenced", "concerns", "not_described"]


class QuestionResult(Frozen):
    number: str
    area: str
    question: str
    evidence: str = Field(description="What a reviewer expects to see.")
    source: str
    state: QuestionState
    findings: tuple[str, ...] = Field(default=(), description="Rule ids of the findings that bear on it.")
    not_described: tuple[str, ...] = Field(default=(), description="Its fields the description leaves out.")


class Blocker(Frozen):
    rule_id: str
    title: str
    severity: Severity
    questions: tuple[str, ...] = Field(description="The numbers of the questions it bears on.")


class Readiness(Frozen):
    gate: int
    name: str
    workbook: str = Field(description="The gate review workbook the questions come from.")
    ready: bool
    headline: str = Field(
        description="The verdict in one line, e.g. 'Ready for Gate 3: not yet: 2 blockers'."
    )
    blocker_count: int
    blockers: tuple[Blocker, ...] = Field(description=f"The first {FIRST}, worst first.")
    to_settle: tuple[str, ...] = Field(
        description="Numbers of the questions with concerns, then those not described."
    )
    questions: tuple[QuestionResult, ...]


def _open(findings: Sequence[Finding], minimum: Severity) -> list[Finding]:
    return [f for f in findings if f.active and not f.accepted and f.severity.rank >= minimum.rank]


def order(findings: Sequence[Finding], gate: GateFile | None) -> list[Finding]:
    """Worst first; among equals, in the order of the gate's questions they bear on."""
    position: dict[str, int] = {}
    for i, q in enumerate(gate.questions if gate else ()):
        for rule in q.rules:
            position.setdefault(rule, i)
    return sorted(
        findings,
        key=lambda f: (-f.severity.rank, position.get(f.rule_id, len(position)), f.category, f.rule_id),
    )


def act_first(findings: Sequence[Finding]) -> tuple[str, ...]:
    """The recommendations to act on first: the first active, unaccepted findings in report order."""
    return tuple(f.rule_id for f in findings if f.active and not f.accepted)[:FIRST]


def assess(gate: GateFile, programme: BaseModel, findings: Sequence[Finding]) -> Readiness:
    """The readiness verdict for `gate`, from findings already in report order."""
    concerns = _open(findings, Severity.medium)
    results = []
    for q in gate.questions:
        bearing = tuple(f.rule_id for f in concerns if f.rule_id in q.rules)
        missing = tuple(name for name in q.fields if not described_field(programme, name))
        results.append(
            QuestionResult(
                number=q.number,
                area=q.area.value,
                question=q.question,
                evidence=q.evidence,
                source=q.source,
                state=_state(bearing, missing),
                findings=bearing,
                not_described=missing,
            )
        )
    return _verdict(gate.gate, gate.name, gate.source.title, results, findings)


def refresh(readiness: Readiness, findings: Sequence[Finding]) -> Readiness:
    """The verdict again once some findings are waived or baselined: they no longer count."""
    counted = {f.rule_id for f in _open(findings, Severity.medium)}
    results = []
    for r in readiness.questions:
        bearing = tuple(rule for rule in r.findings if rule in counted)
        results.append(r.model_copy(update={"findings": bearing, "state": _state(bearing, r.not_described)}))
    return _verdict(readiness.gate, readiness.name, readiness.workbook, results, findings)


def _state(bearing: tuple[str, ...], missing: tuple[str, ...]) -> QuestionState:
    return "concerns" if bearing else "not_described" if missing else "evidenced"


def _verdict(
    gate: int, name: str, workbook: str, results: list[QuestionResult], findings: Sequence[Finding]
) -> Readiness:
    blocking = _open(findings, Severity.high)
    blockers = tuple(
        Blocker(
            rule_id=f.rule_id,
            title=f.title,
            severity=f.severity,
            questions=tuple(r.number for r in results if f.rule_id in r.findings),
        )
        for f in blocking[:FIRST]
    )
    to_settle = tuple(r.number for r in results if r.state == "concerns") + tuple(
        r.number for r in results if r.state == "not_described"
    )
    return Readiness(
        gate=gate,
        name=name,
        workbook=workbook,
        ready=not blocking and not to_settle,
        headline=headline(gate, len(blocking), len(to_settle)),
        blocker_count=len(blocking),
        blockers=blockers,
        to_settle=to_settle,
        questions=tuple(results),
    )


def headline(gate: int, blockers: int, to_settle: int) -> str:
    if not blockers and not to_settle:
        return f"Ready for Gate {gate}: yes: every question is evidenced"
    parts = []
    if blockers:
        parts.append(f"{blockers} blocker{'s' if blockers != 1 else ''}")
    if to_settle:
        parts.append(f"{to_settle} question{'s' if to_settle != 1 else ''} to settle")
    return f"Ready for Gate {gate}: not yet: " + ", ".join(parts)
