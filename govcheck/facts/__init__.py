"""Derived facts: what rules compare, computed in Python from a validated programme.

The engine cannot count, subtract dates or test for absence, so everything of that kind is
computed here into typed values, one module per part of the programme. A fact is `None`
when the evidence it needs is not described; the engine adapter leaves such facts out, and
rules that would read them are evaluated as "not determined" (an evidence gap), never as
"absent".
"""

from __future__ import annotations

import types
import typing
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, Field

from govcheck.facts.assurance import (
    DeliveryFacts,
    GatewayFacts,
    RiskFacts,
    delivery,
    gateway,
    risk,
)
from govcheck.facts.case import BusinessCaseFacts, StakeholderFacts, business_case, stakeholders
from govcheck.facts.common import DAYS_PER_MONTH, Facts, Reads, described, years_before
from govcheck.facts.judgement import AssessedFacts, AuditFacts, ContractFacts, assessed, audit, contracts
from govcheck.facts.leadership import (
    GovernanceFacts,
    LeadershipFacts,
    MandateFacts,
    PurposeFacts,
    governance,
    leadership,
    mandate,
    purpose,
)
from govcheck.facts.money import BenefitFacts, CostFacts, ValueFacts, benefits, costs, expected_to_date, value
from govcheck.facts.outcome import (
    HistoryFacts,
    LossFacts,
    NonCashFacts,
    OutputFacts,
    PerformanceFacts,
    StatusFacts,
    history,
    losses,
    noncash,
    outputs,
    performance,
    status,
)
from govcheck.facts.plan import DcmaFacts, ReplanFacts, dcma, replan
from govcheck.facts.schedule import MigrationFacts, ScheduleFacts, migration, schedule
from govcheck.importers.schedule.evidence import ScheduleEvidence
from govcheck.model import Programme

__all__ = [
    "DAYS_PER_MONTH",
    "SECTIONS",
    "ProgrammeFacts",
    "derive",
    "expected_to_date",
    "fact_fields",
    "years_before",
]


#: The parts a delivery confidence rating rests on (NAO Framework: programme set-up, value,
#: delivery; the Green Book's strategic, financial and management cases): with any of them not
#: described, no rating can say delivery is highly likely.
CORE = {
    "governance": "governance",
    "business_case": "business case",
    "milestones": "milestones",
    "costs": "costs",
    "benefits": "benefits",
}


class CoverageFacts(Facts):
    core: int = Field(
        description="How many of governance, business case, milestones, costs and benefits are described."
    )
    core_missing: tuple[str, ...]

    reads: ClassVar[Reads] = {name: tuple(CORE) for name in ("core", "core_missing")}


def coverage(p: Programme) -> CoverageFacts:
    missing = tuple(words for name, words in CORE.items() if not described(p, name))
    return CoverageFacts(core=len(CORE) - len(missing), core_missing=missing)


class ProgrammeFacts(Facts):
    """Every fact a rule condition may name, as `group.field`."""

    gate: int | None = Field(description="Gate under review, 0-5; none when not given.")
    currency: str
    purpose: PurposeFacts
    leadership: LeadershipFacts
    mandate: MandateFacts
    governance: GovernanceFacts
    business_case: BusinessCaseFacts
    stakeholders: StakeholderFacts
    migration: MigrationFacts
    schedule: ScheduleFacts
    dcma: DcmaFacts
    replan: ReplanFacts
    costs: CostFacts
    benefits: BenefitFacts
    value: ValueFacts
    risk: RiskFacts
    gateway: GatewayFacts
    delivery: DeliveryFacts
    status: StatusFacts
    losses: LossFacts
    outputs: OutputFacts
    performance: PerformanceFacts
    assessed: AssessedFacts
    contracts: ContractFacts
    audit: AuditFacts
    noncash: NonCashFacts
    history: HistoryFacts
    coverage: CoverageFacts

    # The gate is the one asked about (`--gate`), else the next gate; the currency is GBP
    # unless an amount says otherwise.
    reads: ClassVar[Reads] = {"gate": ("next_gate",), "currency": ()}


#: Each fact group: the part of the programme description it reads (a JSON pointer) and its
#: name in words, for evidence-gap notes.
SECTIONS: dict[str, tuple[str, str]] = {
    "gate": ("/next_gate", "the gate under review"),
    "purpose": ("/objectives", "objectives"),
    "leadership": ("/leadership", "leadership"),
    "mandate": ("/mandate", "mandate"),
    "governance": ("/governance", "governance"),
    "business_case": ("/business_case", "business case"),
    "stakeholders": ("/parties", "parties"),
    "migration": ("/migration", "migration"),
    "schedule": ("/milestones", "milestones and schedule"),
    "dcma": ("/schedule_files", "the schedule file"),
    "replan": ("/schedule_files", "the schedule's previous update"),
    "costs": ("/costs", "costs"),
    "benefits": ("/benefits", "benefits"),
    "value": ("/costs", "costs and benefits"),
    "risk": ("/risk_management", "risk management"),
    "gateway": ("/gateway_reviews", "gateway reviews"),
    "delivery": ("/delivery", "delivery approach"),
    "status": ("/status", "status"),
    "losses": ("/costs", "write-offs, termination and legacy costs"),
    "outputs": ("/outputs", "outputs"),
    "performance": ("/performance", "performance against targets"),
    "assessed": ("/assessments", "assessments of quality"),
    "contracts": ("/contracts", "contracts"),
    "audit": ("/audit_conclusions", "auditors' conclusions on value for money"),
    "noncash": ("/benefits", "non-cash benefits"),
    "history": ("/history", "history"),
    "coverage": ("", "the parts a rating rests on"),
}


def derive(p: Programme, gate: int | None = None, plan: ScheduleEvidence | None = None) -> ProgrammeFacts:
    """Compute the facts for `p` as of its assessment date, for `gate` (else its next gate),
    with the evidence of its schedule file when it names one (its milestones already joined to
    `p.milestones`: govcheck.importers.schedule.evidence)."""
    gate = p.next_gate if gate is None else gate
    today = p.assessment_date
    return ProgrammeFacts(
        gate=gate,
        currency=p.currency or "GBP",
        purpose=purpose(p),
        leadership=leadership(p),
        mandate=mandate(p),
        governance=governance(p, today),
        business_case=business_case(p, gate, today),
        stakeholders=stakeholders(p, today),
        migration=migration(p),
        schedule=schedule(p, today),
        dcma=dcma(plan),
        replan=replan(p, plan),
        costs=costs(p),
        benefits=benefits(p, today),
        value=value(p, today),
        risk=risk(p, today),
        gateway=gateway(p),
        delivery=delivery(p),
        status=status(p),
        losses=losses(p),
        outputs=outputs(p),
        performance=performance(p),
        assessed=assessed(p),
        contracts=contracts(p),
        audit=audit(p),
        noncash=noncash(p),
        history=history(p),
        coverage=coverage(p),
    )


def _optional(ann: Any) -> Any:
    """`X | None` -> X; anything else unchanged."""
    if typing.get_origin(ann) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(ann) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return ann


def fact_fields(
    model: type[BaseModel] = ProgrammeFacts, prefix: str = "", *, lists: bool = False
) -> dict[str, Any]:
    """Every fact as `group.field` -> its type: scalars (what conditions may compare; each may
    also be unknown), and with `lists` also the lists of names that templates may quote."""
    found: dict[str, Any] = {}
    for name, field in model.model_fields.items():
        ann: Any = _optional(field.annotation)
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            found.update(fact_fields(ann, f"{prefix}{name}.", lists=lists))
        elif ann in (bool, int, float, str) or typing.get_origin(ann) is Literal:
            found[f"{prefix}{name}"] = ann
        elif lists:
            found[f"{prefix}{name}"] = ann
    return found
