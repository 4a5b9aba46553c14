"""The sections that say how a programme ended, what it delivered, who judged it, and
what the description rests on."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import (
    Field,
    StrictBool,
    ValidationInfo,
    field_validator,
)

from govcheck.model.base import (
    Count,
    Date,
    Dated,
    Money,
    Name,
    Number,
    Rating,
    Strict,
    Text,
    dated_unless_active,
)


class Status(Dated):
    """How the programme stands, or how it ended."""

    state: Literal["active", "paused", "reset", "terminated", "cancelled", "closed"]
    reason: Text | None = None
    summary: Text | None = Field(
        default=None, description="The latest status report's own summary, as written."
    )
    key_dates: Literal["unchanged", "moved"] | None = Field(
        default=None,
        description="What the latest status report says of the finish and key milestone dates since the "
        "last one.",
    )
    decided_by: Name | None = Field(default=None, description="Who terminated, cancelled or reset it.")
    date: Date | None = Field(
        default=None, validate_default=True, description="When it entered the state; required unless active."
    )

    @field_validator("date", mode="after")
    @classmethod
    def _dated(cls, value: dt.date | None, info: ValidationInfo) -> dt.date | None:
        return dated_unless_active(value, info.data.get("state"), "programme")


class Output(Strict):
    """Something the programme was to build or deliver, counted against plan."""

    name: Name
    unit: Name = Field(default="units", description="sites, systems, services, facilities, people...")
    planned: Count = Field(description="Total planned.")
    due: Count | None = Field(
        default=None,
        description="Planned by the assessment date; default: all once the programme has closed or ended or "
        "its planned end date has passed, else not described.",
    )
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

    by: Literal["IPA", "SRO", "board"]
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
