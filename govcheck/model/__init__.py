"""The programme description format: strict, frozen Pydantic models validated from YAML."""

from __future__ import annotations

import datetime as dt
import typing
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel, Field, StrictInt, ValidationInfo, field_validator, model_validator

from govcheck.model.base import (
    EARLIEST,
    LATEST,
    UNKNOWN,
    Case,
    Commitment,
    Count,
    Date,
    Dated,
    Level,
    Money,
    Name,
    Number,
    Rating,
    Stage,
    Strict,
    Text,
    described,
)
from govcheck.model.judgement import PARTS, VERDICTS, AcceptedException, Assessment, AuditConclusion, Contract
from govcheck.model.outcomes import (
    AssuranceOpinion,
    Citation,
    Output,
    PastRating,
    Performance,
    ReferenceRating,
    Snapshot,
    Status,
)
from govcheck.model.reviews import GatewayReview, Organisation, OrganisationType, Recommendation
from govcheck.model.sections import (
    Benefit,
    Benefits,
    BenefitYear,
    BusinessCase,
    Change,
    Checkpoint,
    Costs,
    Delivery,
    FormerHolder,
    Governance,
    Leadership,
    Mandate,
    Migration,
    Milestone,
    Objective,
    Party,
    Person,
    Risk,
    RiskManagement,
    ScheduleFiles,
    WholeLifeCost,
)

__all__ = [
    "EARLIEST",
    "LATEST",
    "PARTS",
    "UNKNOWN",
    "VERDICTS",
    "AcceptedException",
    "Assessment",
    "AssuranceOpinion",
    "AuditConclusion",
    "Benefit",
    "BenefitYear",
    "Benefits",
    "BusinessCase",
    "Case",
    "Change",
    "Checkpoint",
    "Citation",
    "Commitment",
    "Contract",
    "Costs",
    "Count",
    "Date",
    "Dated",
    "Delivery",
    "FormerHolder",
    "GatewayReview",
    "Governance",
    "Leadership",
    "Level",
    "Mandate",
    "Migration",
    "Milestone",
    "Money",
    "Name",
    "Number",
    "Objective",
    "Organisation",
    "OrganisationType",
    "Output",
    "Party",
    "PastRating",
    "Performance",
    "Person",
    "Programme",
    "Rating",
    "Recommendation",
    "ReferenceRating",
    "Risk",
    "RiskManagement",
    "ScheduleFiles",
    "Snapshot",
    "Stage",
    "Status",
    "Strict",
    "Text",
    "WholeLifeCost",
    "described",
]


class Programme(Dated):
    """One programme or project, as of its assessment date."""

    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
    name: Name
    department: Name = Field(description="The owning department or body.")
    organisation: Organisation | None = Field(
        default=None, description="What kind of body owns it; a central department when not described."
    )
    description: Text | None = None
    assessment_date: Date
    start_date: Date | None = None
    planned_end_date: Date | None = None
    next_gate: StrictInt | None = Field(default=None, ge=0, le=5)
    objectives: tuple[Objective, ...] = ()
    leadership: Leadership = Leadership()
    mandate: Mandate = Mandate()
    governance: Governance = Governance()
    business_case: BusinessCase = BusinessCase()
    parties: tuple[Party, ...] = ()
    migration: Migration | None = None
    milestones: tuple[Milestone, ...] = ()
    schedule_files: ScheduleFiles | None = Field(
        default=None, description="The schedule itself: its milestones join `milestones`, and it is checked."
    )
    costs: Costs = Costs()
    benefits: Benefits = Benefits()
    risk_management: RiskManagement = RiskManagement()
    gateway_reviews: tuple[GatewayReview, ...] = ()
    changes: tuple[Change, ...] = ()
    delivery: Delivery = Delivery()
    status: Status | None = None
    outputs: tuple[Output, ...] = ()
    performance: tuple[Performance, ...] = ()
    assurance: tuple[AssuranceOpinion, ...] = ()
    sources: tuple[Citation, ...] = ()
    reference_ratings: tuple[ReferenceRating, ...] = ()
    history: tuple[Snapshot, ...] = Field(default=(), description="Earlier snapshots, oldest first.")
    assessments: tuple[Assessment, ...] = Field(
        default=(), description="Judgements of the quality of its parts."
    )
    contracts: tuple[Contract, ...] = ()
    audit_conclusions: tuple[AuditConclusion, ...] = Field(
        default=(), description="Auditors' stated conclusions on its value for money."
    )
    exceptions: tuple[AcceptedException, ...] = Field(
        default=(), description="Findings accepted by an accountable person, with the reason."
    )

    # Field validators, not the model validator, so the error names the field and its line.
    @field_validator("start_date", mode="after")
    @classmethod
    def _after_assessment(cls, value: dt.date | None, info: ValidationInfo) -> dt.date | None:
        assessed = info.data.get("assessment_date")
        if value and assessed and assessed < value:
            raise ValueError(f"is after the assessment_date ({assessed.isoformat()})")
        return value

    @field_validator("planned_end_date", mode="after")
    @classmethod
    def _after_start(cls, value: dt.date | None, info: ValidationInfo) -> dt.date | None:
        start = info.data.get("start_date")
        if value and start and value < start:
            raise ValueError(f"is before the start_date ({start.isoformat()})")
        return value

    @field_validator("history", mode="after")
    @classmethod
    def _history_ordered(cls, value: tuple[Snapshot, ...], info: ValidationInfo) -> tuple[Snapshot, ...]:
        dates = [s.date for s in value]
        if dates != sorted(dates) or len(set(dates)) != len(dates):
            raise ValueError("snapshots must be in date order, one per date")
        assessed = info.data.get("assessment_date")
        if assessed and dates and dates[-1] > assessed:
            raise ValueError(f"a snapshot is dated after the assessment_date ({assessed.isoformat()})")
        return value

    @field_validator("changes", mode="after")
    @classmethod
    def _within_budget(cls, value: tuple[Change, ...], info: ValidationInfo) -> tuple[Change, ...]:
        costs = info.data.get("costs")
        budget = costs.budget if isinstance(costs, Costs) else None
        for i, change in enumerate(value):
            if (
                change.budget_change is not None
                and budget is not None
                and change.budget_change.amount > budget.amount
            ):
                raise ValueError(
                    f"item {i + 1}: budget_change is more than the budget ({budget.amount:,.0f})"
                )
        return value

    @field_validator("assessments", "audit_conclusions", "exceptions", mode="after")
    @classmethod
    def _not_after_assessment(cls, value: tuple[Any, ...], info: ValidationInfo) -> tuple[Any, ...]:
        assessed = info.data.get("assessment_date")
        for i, item in enumerate(value):
            if assessed and item.date and item.date > assessed:
                raise ValueError(f"item {i + 1} is dated after the assessment_date ({assessed.isoformat()})")
        return value

    @model_validator(mode="after")
    def _coherent(self) -> Programme:
        currencies = {m.currency for m in _money(self)}
        if len(currencies) > 1:
            raise ValueError(f"all amounts must share one currency, found {sorted(currencies)}")
        return self

    @property
    def currency(self) -> str | None:
        return next((m.currency for m in _money(self)), None)


def _money(model: BaseModel) -> Iterator[Money]:
    """Every amount in `model`, in field order (lazily: the currency needs only the first).
    Only the fields that can hold one are read (MONEY_FIELDS)."""
    names = MONEY_FIELDS.get(type(model))
    for name in type(model).model_fields if names is None else names:
        value = getattr(model, name)
        for item in value if isinstance(value, tuple) else (value,):
            if isinstance(item, Money):
                yield item
            elif isinstance(item, BaseModel):
                yield from _money(item)


def _models_in(annotation: Any) -> set[type[BaseModel]]:
    """The model classes a field's annotation may hold (through unions, tuples and Annotated)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return {annotation}
    return set().union(*(_models_in(a) for a in typing.get_args(annotation)))


def _money_fields(root: type[BaseModel]) -> dict[type[BaseModel], tuple[str, ...]]:
    """Each model reachable from `root` -> its fields that can hold an amount, directly or below."""
    fields: dict[type[BaseModel], dict[str, set[type[BaseModel]]]] = {}
    todo = [root]
    while todo:
        cls = todo.pop()
        if cls not in fields:
            fields[cls] = {name: _models_in(f.annotation) for name, f in cls.model_fields.items()}
            todo.extend(m for held in fields[cls].values() for m in held)
    holding: set[type[BaseModel]] = {Money}
    grown = True
    while grown:
        grown = False
        for cls, held in fields.items():
            if cls not in holding and any(models & holding for models in held.values()):
                holding.add(cls)
                grown = True
    return {
        cls: tuple(name for name, models in held.items() if models & holding) for cls, held in fields.items()
    }


MONEY_FIELDS = _money_fields(Programme)
