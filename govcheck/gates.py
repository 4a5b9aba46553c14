"""The questions a gateway review asks at each gate, as data (`rules/gates/gate-N.yaml`).

Each question carries the rules and the description fields that bear on it, so a readiness
verdict (govcheck.readiness) can say, per question, whether the description answers it.
The files are validated like rules: unknown keys, unknown rules and unknown fields are errors.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import types
import typing
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, model_validator

from govcheck.errors import RuleError
from govcheck.model import Case, Programme
from govcheck.resources import rules_dir
from govcheck.validation import validate
from govcheck.yamlsource import load

GATES_DIR = "gates"
GATE_NAMES = {
    0: "Strategic assessment",
    1: "Business justification",
    2: "Delivery strategy",
    3: "Investment decision",
    4: "Readiness for service",
    5: "Operations review and benefits realisation",
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class GateSource(_Strict):
    title: str = Field(min_length=3, max_length=300)
    publisher: str = Field(min_length=2, max_length=200)
    date: dt.date | None = None
    url: str | None = Field(default=None, pattern=r"^https://")


class Question(_Strict):
    number: str = Field(pattern=r"^[0-9A-Za-z][0-9A-Za-z.]{0,11}$", description="As the workbook numbers it.")
    area: Case = Field(description="The case of the five-case model it belongs to.")
    question: str = Field(min_length=10, max_length=400, description="In govcheck's own words.")
    evidence: str = Field(min_length=10, max_length=800, description="What a reviewer expects to see.")
    source: str = Field(min_length=3, max_length=200, description="Where in the workbook it is asked.")
    rules: tuple[str, ...] = Field(default=(), description="Rules whose findings bear on it.")
    fields: tuple[str, ...] = Field(
        min_length=1, description="Fields of the description that answer it, dotted (`business_case.stage`)."
    )


class GateFile(_Strict):
    gate: int = Field(ge=0, le=5)
    name: str = Field(min_length=3, max_length=100)
    source: GateSource
    questions: tuple[Question, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _numbers_unique(self) -> GateFile:
        numbers = [q.number for q in self.questions]
        repeated = sorted({n for n in numbers if numbers.count(n) > 1})
        if repeated:
            raise ValueError(f"question numbers repeat: {', '.join(repeated)}")
        return self


@dataclass(frozen=True)
class Gates:
    by_gate: dict[int, GateFile]

    def get(self, gate: int | None) -> GateFile | None:
        return self.by_gate.get(gate) if gate is not None else None


def load_gates(directory: Path | None = None, rule_ids: Iterable[str] | None = None) -> Gates:
    """Load `gate-N.yaml` from the rules' `gates` directory; check the rules and fields they name."""
    directory = directory or rules_dir() / GATES_DIR
    known = set(rule_ids) if rule_ids is not None else None
    found: dict[int, GateFile] = {}
    for path in sorted(directory.glob("gate-*.yaml")):
        source = load(path)
        gate = validate(GateFile, source, RuleError)
        if path.stem != f"gate-{gate.gate}":
            raise RuleError(f"gate {gate.gate} is in a file named {path.name}", file=str(path), field="gate")
        if gate.gate in found:
            raise RuleError(f"gate {gate.gate} is defined twice", file=str(path), field="gate")
        for i, q in enumerate(gate.questions):
            for j, name in enumerate(q.fields):
                if not field_exists(name):
                    _, span = source.locate(f"/questions/{i}/fields/{j}")
                    raise RuleError(
                        f"no field {name!r} in the description format",
                        file=str(path),
                        line=span.line,
                        field=f"questions.{i}.fields.{j}",
                    )
            for j, rule in enumerate(q.rules):
                if known is not None and rule not in known:
                    hint = difflib.get_close_matches(rule, sorted(known), n=1)
                    _, span = source.locate(f"/questions/{i}/rules/{j}")
                    raise RuleError(
                        f"no rule {rule!r} in the catalogue"
                        + (f"; did you mean {hint[0]!r}?" if hint else ""),
                        file=str(path),
                        line=span.line,
                        field=f"questions.{i}.rules.{j}",
                    )
        found[gate.gate] = gate
    return Gates(found)


_DOTTED = re.compile(r"^[a-z_]+(\.[a-z_0-9]+)*$")


def field_exists(dotted: str) -> bool:
    """Whether a dotted name is a field of the description (through lists and optional parts)."""
    if not _DOTTED.match(dotted):
        return False
    model: type[BaseModel] | None = Programme
    for part in dotted.split("."):
        if model is None or part not in model.model_fields:
            return False
        model = _model_of(model.model_fields[part].annotation)
    return True


def _model_of(annotation: object) -> type[BaseModel] | None:
    """The model a field holds, looking through `X | None` and `tuple[X, ...]`."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType, tuple, typing.Annotated):
        for arg in typing.get_args(annotation):
            found = _model_of(arg)
            if found is not None:
                return found
    return None


def described_field(programme: BaseModel, dotted: str) -> bool:
    """Whether the description gives `dotted`: each step given, and through lists, in at least one item.

    A list or section given as empty or null is stated as not in place, which answers the
    question as well: the fields below it count as described. One item giving it is enough:
    a question asks whether this kind of evidence is there (achieved milestones have no
    forecast, suppliers no assessed needs), where a fact over all the items needs every item
    (govcheck.gaps.not_given).
    """
    items: list[BaseModel] = [programme]
    for part in dotted.split("."):
        given = [item for item in items if part in item.model_fields_set]
        if not given:
            return False
        items = []
        for item in given:
            value = getattr(item, part)
            values = value if isinstance(value, tuple) else (value,)
            items.extend(v for v in values if isinstance(v, BaseModel))
        if not items:
            return True
    return True
