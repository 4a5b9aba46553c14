"""The sections of a programme description that say how it is set up and run."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    Field,
    StrictBool,
    ValidationInfo,
    field_validator,
    model_validator,
)

from govcheck.model.base import (
    Case,
    Commitment,
    Count,
    Date,
    Dated,
    Level,
    Money,
    Name,
    Share,
    Stage,
    Strict,
    Text,
)


class Objective(Strict):
    text: Text
    measures: tuple[Text, ...] = Field(default=(), description="Measures of success.")
    strategic_priority: Name | None = Field(default=None, description="The policy aim it serves.")


class Person(Dated):
    name: Name
    role: Name | None = None
    appointed: Date | None = None
    time_commitment: Literal["full_time", "part_time", "unknown"] = "unknown"


class FormerHolder(Dated):
    name: Name
    start: Date
    end: Date

    @model_validator(mode="after")
    def _ordered(self) -> FormerHolder:
        if self.end < self.start:
            raise ValueError("end is before start")
        return self


class Leadership(Strict):
    sro: Person | None = Field(default=None, description="Senior Responsible Owner.")
    sponsor: Person | None = Field(default=None, description="Sponsoring minister or body.")
    previous_sros: tuple[FormerHolder, ...] = ()


class Mandate(Strict):
    authority: Name | None = Field(default=None, description="Who can direct the participants.")
    can_direct_participants: StrictBool = False
    participation: Literal["mandatory", "voluntary", "mixed"] = "voluntary"
    decision_rights: tuple[Text, ...] = ()
    incentives_for_participants: StrictBool = False


class Board(Dated):
    name: Name
    chair: Name | None = None
    meets: Literal["weekly", "monthly", "quarterly", "ad_hoc"] = "monthly"
    last_met: Date | None = None
    members: tuple[Name, ...] = ()


class Governance(Strict):
    board: Board | None = None
    reports_to: Name | None = None
    independent_assurance: StrictBool = False
    change_control: StrictBool = False


class BusinessCase(Dated):
    stage: Stage = Stage.none
    approved: StrictBool = False
    approved_by: Name | None = None
    approved_on: Date | None = None
    last_updated: Date | None = None
    cases: tuple[Case, ...] = Field(default=(), description="Which of the five cases it covers.")
    options_appraised: Count = 0
    includes_do_minimum: StrictBool = False
    optimism_bias_applied: StrictBool = False
    funding_secured: StrictBool = False

    @model_validator(mode="after")
    def _consistent(self) -> BusinessCase:
        # A stage left out (or `unknown`) is not described: approval without it is accepted.
        if "stage" in self.model_fields_set and self.stage is Stage.none and (self.approved or self.cases):
            raise ValueError("stage is none but the business case is marked approved or has cases")
        if len(set(self.cases)) != len(self.cases):
            raise ValueError("cases lists a case twice")
        return self


class Party(Dated):
    name: Name
    role: Literal["customer", "supplier", "delivery_partner", "sponsor", "other"]
    commitment: Commitment = Commitment.unknown
    confirmed_on: Date | None = Field(default=None, description="When commitment was last confirmed.")
    exited_on: Date | None = None
    needs_assessed: StrictBool = Field(default=False, description="Its needs were matched to the solution.")
    group: Name | None = Field(default=None, description="e.g. the service centre it belongs to.")


class Checkpoint(Dated):
    date: Date
    planned: Count = Field(description="Units planned to have moved by this date (cumulative).")
    done: Count | None = Field(default=None, description="Units actually moved (cumulative).")


class Migration(Strict):
    unit: Name = Field(default="customers", description="What moves, e.g. customers, sites.")
    total: Count = Field(description="Units to move in all.")
    no_new_date: StrictBool = Field(
        default=False, description="The roll-out is delayed and has no new end date."
    )
    checkpoints: tuple[Checkpoint, ...] = ()

    @model_validator(mode="after")
    def _ordered(self) -> Migration:
        dates = [c.date for c in self.checkpoints]
        if dates != sorted(dates):
            raise ValueError("checkpoints must be in date order")
        for c in self.checkpoints:
            if c.planned > self.total or (c.done or 0) > self.total:
                raise ValueError(f"checkpoint {c.date} exceeds the total of {self.total}")
        return self


class Milestone(Dated):
    name: Name
    baseline: Date
    forecast: Date | None = None
    actual: Date | None = None
    go_live: StrictBool = Field(default=False, description="A point where the whole service goes live.")
    no_new_date: StrictBool = Field(default=False, description="Missed, and no new date has been set.")
    source: Name | None = Field(
        default=None,
        description="Where it was read from, when not the description: a schedule file and activity.",
    )


def _relative(path: str) -> str:
    if path.startswith(("/", "\\")) or (len(path) > 1 and path[1] == ":") or "\x00" in path:
        raise ValueError("give the path relative to the description, so that it travels with it")
    return path


SchedulePath = Annotated[str, Field(min_length=1, max_length=1000), AfterValidator(_relative)]


class ScheduleFiles(Strict):
    """The programme's own schedule as its scheduling tool saved it: MS Project XML (MSPDI) or a
    Primavera P6 XER file, named relative to the description."""

    current: SchedulePath = Field(description="The latest update of the schedule.")
    previous: SchedulePath | None = Field(
        default=None, description="The update before it, to show what moved."
    )
    baseline: SchedulePath | None = Field(
        default=None, description="The baseline schedule, where its dates are not held in the current file."
    )


class WholeLifeCost(Strict):
    baseline: Money
    forecast: Money


class Costs(Strict):
    budget: Money | None = None
    spent_to_date: Money | None = None
    whole_life: WholeLifeCost | None = None
    contingency: Money | None = None
    written_off: Money | None = Field(default=None, description="Spend written off or nugatory.")
    termination_costs: Money | None = Field(default=None, description="Settlements and termination payments.")
    legacy_costs: Money | None = Field(
        default=None, description="Cost of keeping legacy systems running because of delay."
    )

    @field_validator("written_off", mode="after")
    @classmethod
    def _within_spend(cls, value: Money | None, info: ValidationInfo) -> Money | None:
        spent = info.data.get("spent_to_date")
        if value is not None and isinstance(spent, Money) and value.amount > spent.amount:
            raise ValueError(f"is more than spent_to_date ({spent.amount:,.0f})")
        return value


class BenefitYear(Dated):
    year_ending: Date = Field(description="End of the twelve months the amount is forecast for.")
    amount: Money


class Benefit(Dated):
    name: Name
    cashable: StrictBool = True
    owner: Name | None = None
    agreed_with_owner: StrictBool = False
    forecast: tuple[BenefitYear, ...] = ()
    delivered_to_date: Money | None = None
    evidence: Text | None = Field(default=None, description="How a non-cash benefit is evidenced.")
    realised: StrictBool | None = Field(default=None, description="A non-cash benefit has been achieved.")
    due: Date | None = Field(
        default=None,
        description="When a non-cash benefit was to be realised; default: its first forecast year.",
    )

    @model_validator(mode="after")
    def _ordered(self) -> Benefit:
        ends = [y.year_ending for y in self.forecast]
        if ends != sorted(ends) or len(set(ends)) != len(ends):
            raise ValueError("forecast years must be in order and not repeat")
        return self


class Benefits(Strict):
    realisation_plan: StrictBool = False
    items: tuple[Benefit, ...] = ()


class Risk(Strict):
    title: Name
    owner: Name | None = None
    mitigation: Text | None = None
    likelihood: Level = Level.medium
    impact: Level = Level.medium
    status: Literal["open", "closed"] = "open"


class RiskManagement(Dated):
    register_maintained: StrictBool = False
    last_reviewed: Date | None = None
    risks: tuple[Risk, ...] = ()


class Change(Dated):
    date: Date
    summary: Text
    scope: Literal["reduced", "increased", "unchanged"] = "unchanged"
    scope_share: Share | None = Field(default=None, description="Share of the scope removed or added, 0-1.")
    budget: Literal["reduced", "increased", "unchanged"] = "unchanged"
    budget_change: Money | None = Field(default=None, description="The size of the budget change.")


class Delivery(Strict):
    approach: Literal["phased", "big_bang", "unknown"] = "unknown"
    lessons_applied: StrictBool = Field(default=False, description="Lessons from similar programmes used.")
    market_engagement: StrictBool = Field(default=False, description="The supply market was tested.")
