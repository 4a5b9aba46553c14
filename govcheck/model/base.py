"""The building blocks of the programme format: strict models, the evidence states, dates,
money and the enumerations."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictFloat,
    StrictInt,
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
def _described(value: str) -> str:
    """Text that is left after `unknown` optional fields are dropped must not be `unknown`: a
    required text (or a list item) cannot be not described."""
    if value == UNKNOWN:
        raise ValueError("cannot be unknown")
    return value


Text = Annotated[str, Field(min_length=1, max_length=10_000), AfterValidator(_described)]
Name = Annotated[str, Field(min_length=1, max_length=500), AfterValidator(_described)]
Count = Annotated[StrictInt, Field(ge=0, le=10_000_000)]
Number = Annotated[StrictInt | StrictFloat, Field(allow_inf_nan=False, ge=-1e12, le=1e12)]
Share = Annotated[
    StrictInt | StrictFloat, Field(allow_inf_nan=False, ge=0, le=1, description="A share, 0 to 1.")
]


def dated_unless_active(value: dt.date | None, state: str | None, noun: str) -> dt.date | None:
    """The date something entered its state: required for every state but active."""
    if value is None and state not in (None, "active"):
        raise ValueError(f"a {state} {noun} needs the date it was {state}")
    return value


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
