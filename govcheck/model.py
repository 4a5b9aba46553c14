"""The programme description format: strict, frozen Pydantic models validated from YAML."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic import Strict as StrictMode

EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2100, 12, 31)


#: Written for a field or section that is not described (not known), as distinct from not in place.
UNKNOWN = "unknown"


class Strict(BaseModel):
    """Base for every model of the format: unknown keys and loose types are errors.

    Evidence has three states. A field left out, or written `unknown`, is *not described*;
    `null`, `false` or `[]` say it is *not in place*. `unknown` is dropped here, before
    validation, so both spellings of "not described" reach the model the same way: as a
    field absent from `model_fields_set` (see `described`). A required field cannot be
    unknown: it stays, and fails validation with a message saying so.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, str_max_length=10_000)

    @model_validator(mode="before")
    @classmethod
    def _not_described(cls, data: Any) -> Any:
        if not isinstance(data, dict) or UNKNOWN not in data.values():
            return data
        fields = cls.model_fields
        return {
            k: v
            for k, v in data.items()
            if not (v == UNKNOWN and k in fields and not fields[k].is_required())
        }


def described(model: BaseModel | None, name: str) -> bool:
    """Whether `name` was given for `model` (not left out and not `unknown`)."""
    return model is not None and name in model.model_fields_set


def _check_date(value: dt.date | None) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        raise ValueError("expected a date (YYYY-MM-DD), not a date and time")
    if not EARLIEST <= value <= LATEST:
        raise ValueError(f"date {value.isoformat()} is outside {EARLIEST.year}-{LATEST.year}")
    return value


Date = Annotated[dt.date, StrictMode(), Field(description="An ISO date, YYYY-MM-DD, unquoted.")]
Text = Annotated[str, Field(min_length=1, max_length=10_000)]
Name = Annotated[str, Field(min_length=1, max_length=500)]
Count = Annotated[StrictInt, Field(ge=0, le=10_000_000)]
Number = Annotated[StrictInt | StrictFloat, Field(allow_inf_nan=False, ge=-1e12, le=1e12)]


class Dated(Strict):
    @field_validator("*", mode="after")
    @classmethod
    def _dates_in_range(cls, value: object) -> object:
        if isinstance(value, dt.date):
            return _check_date(value)
        return value


class Money(Strict):
    """An amount of money in one currency, e.g. `{amount: 94000000, currency: GBP}`."""

    # allow_inf_nan=False: NaN must fail as "not finite", not as "not >= 0".
    amount: StrictFloat = Field(ge=0, allow_inf_nan=False, description="Non-negative, finite.")
    currency: str = Field(pattern=r"^[A-Z]{3}$", description="ISO 4217 code, e.g. GBP.")


class Stage(str, Enum):
    none = "none"
    soc = "soc"
    obc = "obc"
    fbc = "fbc"
    pbc = "pbc"


class Case(str, Enum):
    strategic = "strategic"
    economic = "economic"
    commercial = "commercial"
    financial = "financial"
    management = "management"


class Commitment(str, Enum):
    committed = "committed"
    supportive = "supportive"
    neutral = "neutral"
    resisting = "resisting"
    exited = "exited"
    unknown = "unknown"


class Rating(str, Enum):
    green = "Green"
    amber_green = "Amber/Green"
    amber = "Amber"
    amber_red = "Amber/Red"
    red = "Red"


class Level(str, Enum):
    low = "low"
    medium = "medium"
    high = "high"


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
        if self.stage is Stage.none and (self.approved or self.cases):
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


class Benefit(Strict):
    name: Name
    cashable: StrictBool = True
    owner: Name | None = None
    agreed_with_owner: StrictBool = False
    forecast: tuple[BenefitYear, ...] = ()
    delivered_to_date: Money | None = None
    evidence: Text | None = Field(default=None, description="How a non-cash benefit is evidenced.")
    realised: StrictBool | None = Field(default=None, description="A non-cash benefit has been achieved.")

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


class GatewayReview(Dated):
    gate: StrictInt = Field(ge=0, le=5)
    date: Date
    rating: Rating
    recommendations_open: Count = 0


class Change(Dated):
    date: Date
    summary: Text
    scope: Literal["reduced", "increased", "unchanged"] = "unchanged"
    budget: Literal["reduced", "increased", "unchanged"] = "unchanged"


class Delivery(Strict):
    approach: Literal["phased", "big_bang", "unknown"] = "unknown"
    lessons_applied: StrictBool = Field(default=False, description="Lessons from similar programmes used.")
    market_engagement: StrictBool = Field(default=False, description="The supply market was tested.")


class Status(Dated):
    """How the programme stands, or how it ended."""

    state: Literal["active", "paused", "reset", "terminated", "cancelled", "closed"]
    reason: Text | None = None
    decided_by: Name | None = Field(default=None, description="Who terminated, cancelled or reset it.")
    date: Date | None = Field(
        default=None, validate_default=True, description="When it entered the state; required unless active."
    )

    @field_validator("date", mode="after")
    @classmethod
    def _dated(cls, value: dt.date | None, info: ValidationInfo) -> dt.date | None:
        state = info.data.get("state")
        if value is None and state not in (None, "active"):
            raise ValueError(f"a {state} programme needs the date it was {state}")
        return value


class Output(Strict):
    """Something the programme was to build or deliver, counted against plan."""

    name: Name
    unit: Name = Field(default="units", description="sites, systems, services, facilities, people...")
    planned: Count = Field(description="Total planned.")
    due: Count | None = Field(default=None, description="Planned by the assessment date; default: all.")
    note: Text | None = Field(default=None, description="Required when more were delivered than planned.")
    delivered: Count | None = None

    @field_validator("due", mode="after")
    @classmethod
    def _due_within_plan(cls, value: int | None, info: ValidationInfo) -> int | None:
        planned = info.data.get("planned")
        if value is not None and planned is not None and value > planned:
            raise ValueError(f"is more than planned ({planned})")
        return value

    @field_validator("delivered", mode="after")
    @classmethod
    def _explained(cls, value: int | None, info: ValidationInfo) -> int | None:
        planned = info.data.get("planned")
        if value is not None and planned is not None and value > planned and not info.data.get("note"):
            raise ValueError(f"is more than planned ({planned}); add a note saying why")
        return value


class Performance(Dated):
    """Performance against a target that matters to users."""

    measure: Name
    target: Number
    actual: Number | None = None
    unit: Name = "%"
    higher_is_better: StrictBool = True
    date: Date | None = None


class AssuranceOpinion(Dated):
    """An independent view of one of the programme's own forecasts."""

    by: Name
    date: Date
    subject: Literal["schedule", "cost", "benefits", "delivery"]
    opinion: Literal["achievable", "at_risk", "unachievable", "not_credible"]
    summary: Text | None = None


class Citation(Dated):
    """A source the description rests on."""

    title: Text
    publisher: Name
    date: Date | None = None
    reference: Text | None = Field(default=None, description="Report number or URL.")


class ReferenceRating(Dated):
    """Someone else's delivery confidence rating: compared against, never used as evidence."""

    by: Literal["IPA", "SRO"]
    rating: Rating
    date: Date


class PastRating(Strict):
    by: Literal["IPA", "SRO"]
    rating: Rating


class Snapshot(Dated):
    """An earlier snapshot of the programme, e.g. from an earlier portfolio release."""

    date: Date
    whole_life_cost: Money | None = None
    planned_end_date: Date | None = None
    annual_budget: Money | None = Field(default=None, description="The year's baseline budget.")
    annual_forecast: Money | None = Field(default=None, description="The year's forecast outturn.")
    ratings: tuple[PastRating, ...] = ()


class Programme(Dated):
    """One programme or project, as of its assessment date."""

    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
    name: Name
    department: Name = Field(description="The owning department or body.")
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

    @model_validator(mode="after")
    def _coherent(self) -> Programme:
        currencies = {m.currency for m in _money(self)}
        if len(currencies) > 1:
            raise ValueError(f"all amounts must share one currency, found {sorted(currencies)}")
        return self

    @property
    def currency(self) -> str | None:
        return next((m.currency for m in _money(self)), None)


def _money(model: BaseModel) -> list[Money]:
    found: list[Money] = []
    for name in type(model).model_fields:
        value = getattr(model, name)
        items = value if isinstance(value, tuple) else (value,)
        for item in items:
            if isinstance(item, Money):
                found.append(item)
            elif isinstance(item, BaseModel):
                found.extend(_money(item))
    return found
