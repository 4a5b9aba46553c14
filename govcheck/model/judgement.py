"""The sections that say how good the parts of a programme are, which findings were accepted
with a justification, and how its contracts stand."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field, StrictBool, ValidationInfo, field_validator

from govcheck.model.base import Date, Dated, Money, Name, Text, dated_unless_active

#: The parts of a programme that can exist and still be poor, and the rule category (the
#: problem family) a judgement of each one counts in.
PARTS: dict[str, str] = {
    "objectives": "purpose",
    "business_case": "business_case",
    "governance": "governance",
    "stakeholder_engagement": "stakeholders",
    "schedule": "schedule",
    "cost_estimate": "cost",
    "benefits_case": "benefits",
    "risk_management": "risk",
    "commercial": "value_for_money",
    "delivery_capability": "governance",
}
Part = Literal[
    "objectives",
    "business_case",
    "governance",
    "stakeholder_engagement",
    "schedule",
    "cost_estimate",
    "benefits_case",
    "risk_management",
    "commercial",
    "delivery_capability",
]
#: Who judged it. Every assessor but the programme itself is independent of it.
Assessor = Literal[
    "NAO",
    "PAC",
    "IPA",
    "HM Treasury",
    "internal audit",
    "external audit",
    "independent review",
    "programme",
]
SELF = "programme"
#: One scale for every judgement of quality, from best to worst.
Verdict = Literal["sound", "weaknesses", "significant_weaknesses", "unrealistic"]
VERDICTS: tuple[str, ...] = ("sound", "weaknesses", "significant_weaknesses", "unrealistic")


class Assessment(Dated):
    """A judgement of the quality of one part of the programme, by whom and on what basis."""

    part: Part
    by: Assessor = Field(description="The programme itself for a self-assessment; any other is independent.")
    assessor: Name | None = Field(
        default=None, description="The body's own name, e.g. Major Projects Review Group."
    )
    date: Date
    verdict: Verdict
    basis: Text = Field(description="The words the judgement rests on.")


class AuditConclusion(Dated):
    """An auditor's stated conclusion on the programme's value for money."""

    by: Assessor = Field(description="Who concluded; not the programme itself.")
    assessor: Name | None = None
    date: Date
    conclusion: Literal["not_achieved", "at_risk", "achieved", "not_yet_determinable"]
    basis: Text = Field(description="The words the conclusion rests on.")

    @field_validator("by", mode="after")
    @classmethod
    def _independent(cls, value: str) -> str:
        if value == SELF:
            raise ValueError(
                "an audit conclusion is an independent one: record the programme's own view as an assessment"
            )
        return value


class AcceptedException(Dated):
    """A finding accepted by an accountable person with a documented justification: it stays
    in the report, marked accepted, and does not on its own drive a conclusion."""

    rule: str = Field(
        pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", description="The id of the rule whose finding is accepted."
    )
    reason: Text
    accepted_by: Name = Field(description="The accountable person or body that accepted it.")
    basis: Literal["emergency", "ministerial_direction", "accounting_officer_assessment", "other"]
    date: Date | None = None


class Contract(Dated):
    """A contract of the programme, with a status of its own."""

    name: Name
    supplier: Name | None = None
    main: StrictBool = Field(default=False, description="The programme's main delivery contract.")
    value: Money | None = None
    status: Literal["active", "terminated", "expired", "completed"]
    date: Date | None = Field(
        default=None, validate_default=True, description="When it entered its status; required unless active."
    )
    termination_costs: Money | None = Field(default=None, description="Settlement or termination payments.")

    @field_validator("date", mode="after")
    @classmethod
    def _dated(cls, value: dt.date | None, info: ValidationInfo) -> dt.date | None:
        return dated_unless_active(value, info.data.get("status"), "contract")
