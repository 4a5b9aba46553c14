"""The rule file format: one YAML file per rule, validated like any other input."""

from __future__ import annotations

import re
from enum import Enum
from typing import Annotated, Any, Literal, Union

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    Tag,
    model_validator,
)

from govcheck import vocab
from govcheck.options import OPTION_NAME, Number, Option, resolve_options

Scalar = Union[StrictBool, StrictInt, StrictFloat, StrictStr]

OPERATORS = ("eq", "ne", "lt", "lte", "gt", "gte", "in", "not_in")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Severity(str, Enum):
    info = "info"
    low = "low"
    medium = "medium"
    high = "high"
    critical = "critical"

    @property
    def rank(self) -> int:
        return _RANK[self]


SEVERITY_ORDER = (Severity.info, Severity.low, Severity.medium, Severity.high, Severity.critical)
_RANK = {s: i for i, s in enumerate(SEVERITY_ORDER)}


class Category(str, Enum):
    purpose = "purpose"
    business_case = "business_case"
    governance = "governance"
    stakeholders = "stakeholders"
    schedule = "schedule"
    cost = "cost"
    benefits = "benefits"
    risk = "risk"
    value_for_money = "value_for_money"


class Framework(str, Enum):
    nao_programmes = "nao-programmes"
    ipa_gateway = "ipa-gateway"
    green_book = "green-book"
    nao_lessons = "nao-lessons"
    ogc_common_causes = "ogc-common-causes"
    dcma_14 = "dcma-14"
    gao_schedule = "gao-schedule"


FRAMEWORK_TITLES = {
    Framework.nao_programmes: "NAO Framework to review programmes",
    Framework.ipa_gateway: "IPA Gateway Review",
    Framework.green_book: "HM Treasury Green Book",
    Framework.nao_lessons: "NAO Lessons learned from major programmes",
    Framework.ogc_common_causes: "OGC/NAO common causes of project failure",
    Framework.dcma_14: "DCMA 14-Point Schedule Assessment (DCMA-EA PAM 200.1)",
    Framework.gao_schedule: "GAO Schedule Assessment Guide (GAO-16-89G)",
}


class Reference(Strict):
    framework: Framework
    question: str = Field(min_length=3, max_length=300, description="The question or section served.")

    def __str__(self) -> str:
        return f"{FRAMEWORK_TITLES[self.framework]}: {self.question}"


class Compare(Strict):
    """`{fact: group.field, <operator>: value}` with exactly one operator."""

    fact: str = Field(pattern=r"^[a-z_]+(\.[a-z_0-9]+)*$")
    eq: Scalar | None = None
    ne: Scalar | None = None
    lt: Number | None = None
    lte: Number | None = None
    gt: Number | None = None
    gte: Number | None = None
    in_: tuple[Scalar, ...] | None = Field(default=None, alias="in", min_length=1)
    not_in: tuple[Scalar, ...] | None = Field(default=None, min_length=1)

    @model_validator(mode="after")
    def _one_operator(self) -> Compare:
        used = [op for op in OPERATORS if self.operand(op) is not None]
        if len(used) != 1:
            raise ValueError(f"give exactly one operator of {', '.join(OPERATORS)}; got {used or 'none'}")
        return self

    def operand(self, op: str) -> Any:
        return getattr(self, "in_" if op == "in" else op)

    @property
    def op(self) -> str:
        return next(op for op in OPERATORS if self.operand(op) is not None)

    @property
    def value(self) -> Any:
        return self.operand(self.op)


class AllOf(Strict):
    all: tuple[Condition, ...] = Field(min_length=1)


class AnyOf(Strict):
    any: tuple[Condition, ...] = Field(min_length=1)


class NotOf(Strict):
    not_: Condition = Field(alias="not")


def _condition_kind(value: Any) -> str:
    if isinstance(value, dict):
        for key in ("all", "any", "not"):
            if key in value:
                return key
    elif isinstance(value, BaseModel):
        return {AllOf: "all", AnyOf: "any", NotOf: "not"}.get(type(value), "compare")
    return "compare"


Condition = Annotated[
    Union[
        Annotated[AllOf, Tag("all")],
        Annotated[AnyOf, Tag("any")],
        Annotated[NotOf, Tag("not")],
        Annotated[Compare, Tag("compare")],
    ],
    Discriminator(_condition_kind),
]


class Case(Strict):
    """A test case: a patch deep-merged over the base programme, and what must come of it."""

    name: str = Field(min_length=1)
    programme: dict[str, Any] = Field(description="Fields to merge over the base programme.")
    gate: StrictInt | None = Field(default=None, ge=0, le=5)
    contains: tuple[str, ...] = Field(default=(), description="Text the finding must contain.")


Expect = Literal["pass", "fail", "unknown"]


class Cases(Strict):
    passing: tuple[Case, ...] = Field(alias="pass", min_length=1)
    failing: tuple[Case, ...] = Field(alias="fail", min_length=1)
    unknown: tuple[Case, ...] = Field(
        default=(), description="What the rule needs is not described: an evidence gap, no finding."
    )

    def all(self) -> tuple[tuple[Case, Expect], ...]:
        return (
            *((c, "pass") for c in self.passing),
            *((c, "fail") for c in self.failing),
            *((c, "unknown") for c in self.unknown),
        )  # type: ignore[return-value]

    @model_validator(mode="after")
    def _failing_checks_text(self) -> Cases:
        if not any(c.contains for c in self.failing):
            raise ValueError("at least one failing case must say what text the finding contains")
        return self


POINTER = re.compile(r"^(/[A-Za-z0-9_.~-]+)*$")


class Rule(Strict):
    id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=80)
    title: str = Field(min_length=5, max_length=120)
    severity: Severity
    category: Category
    gates: tuple[Annotated[StrictInt, Field(ge=0, le=5)], ...] = Field(
        default=(0, 1, 2, 3, 4, 5), min_length=1, description="Gates the rule applies at."
    )
    references: tuple[Reference, ...] = Field(min_length=1)
    description: str = Field(min_length=10, description="Why the rule matters, for its documentation.")
    options: dict[Annotated[str, Field(pattern=OPTION_NAME)], Option] = Field(
        default_factory=dict, description="Thresholds users may set; conditions name them as {option: name}."
    )
    when: Condition
    location: str = Field(pattern=POINTER.pattern, description="JSON pointer of the field concerned.")
    evidence: tuple[str, ...] = Field(default=(), description="Facts quoted as evidence.")
    requires: str | None = Field(
        default=None,
        pattern=r"^[a-z_]+(\.[a-z_]+)*$",
        description="Evidence a description may attach (e.g. schedule_files): without it the rule does not "
        "apply, and leaves no evidence gap.",
    )
    activities: str | None = Field(
        default=None,
        pattern=r"^[a-z_]+$",
        description="The schedule check whose activities the finding lists, located in the schedule file.",
    )
    realised: StrictBool = Field(
        default=False,
        description="The finding records a loss or failure that has happened (money written off or paid "
        "out, outputs or outcomes not delivered), not a risk of one.",
    )
    finding: str = Field(min_length=10, description="Jinja template of the finding.")
    recommendation: str = Field(min_length=10, description="Jinja template of the recommendation.")
    tests: Cases

    @model_validator(mode="before")
    @classmethod
    def _options_in_condition(cls, data: Any) -> Any:
        if isinstance(data, dict) and "when" in data:
            options = data.get("options")
            known = options if isinstance(options, dict) else {}
            data = {**data, "when": resolve_options(data["when"], known)}
        return data

    @property
    def values(self) -> dict[str, int | float]:
        """Each option's value in force, as templates see it (`option.name`)."""
        return {name: o.effective for name, o in self.options.items()}


class FindingMatch(Strict):
    min_severity: Severity = Severity.info
    categories: tuple[Category, ...] = ()
    realised: StrictBool = Field(
        default=False, description="Count only findings of realised loss or failure."
    )


class AreasMatch(Strict):
    min_severity: Severity
    at_least: StrictInt = Field(ge=1, le=9, description="Distinct categories with such findings.")


class Conclusion(Strict):
    """One line of a conclusion table: the first result whose trigger fires wins."""

    result: str
    finding: FindingMatch | None = None
    areas: AreasMatch | None = None
    programme: Condition | None = None

    @property
    def trigger(self) -> Literal["finding", "areas", "programme", "default"]:
        for name in ("finding", "areas", "programme"):
            if getattr(self, name) is not None:
                return name  # type: ignore[return-value]
        return "default"

    @model_validator(mode="after")
    def _one_trigger(self) -> Conclusion:
        given = [n for n in ("finding", "areas", "programme") if getattr(self, n) is not None]
        if len(given) > 1:
            raise ValueError(f"give at most one of finding, areas, programme; got {given}")
        return self


VFM_RESULTS = vocab.VFM_RESULTS
RATINGS = vocab.RATINGS_WORST_FIRST


class Conclusions(Strict):
    """rules/conclusions.yaml: how findings become a value-for-money conclusion and a rating."""

    value_for_money: tuple[Conclusion, ...] = Field(min_length=1)
    rating: tuple[Conclusion, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _well_formed(self) -> Conclusions:
        for topic, allowed in (("value_for_money", VFM_RESULTS), ("rating", RATINGS)):
            table: tuple[Conclusion, ...] = getattr(self, topic)
            for line in table:
                if line.result not in allowed:
                    raise ValueError(f"{topic}: {line.result!r} is not one of {', '.join(allowed)}")
            if table[-1].trigger != "default" or any(c.trigger == "default" for c in table[:-1]):
                raise ValueError(f"{topic}: the last line, and only it, must be a default (no trigger)")
            if topic == "rating":
                order = [allowed.index(c.result) for c in table]
                if order != sorted(order):
                    raise ValueError("rating: lines must run from the worst result to the best")
                continue
            # Value for money: nothing outranks a loss that has happened, so `not_achieved` lines
            # come first. Positive evidence that the programme has delivered (`achieved`) may come
            # before lesser risks (`at_risk`), and the default may be any result.
            kinds = [c.result == "not_achieved" for c in table[:-1]]
            if kinds != sorted(kinds, reverse=True):
                raise ValueError("value_for_money: not_achieved lines must come before every other line")
        return self
