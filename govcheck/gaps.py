"""Evidence gaps: rules that could not be assessed because what they need is not described.

A rule whose condition is undetermined gives no finding (it must never assert an absence the
description does not state). Each of its unknown facts is traced back to the fields of the
description it is derived from (each fact group's `reads`, govcheck.facts.common.Facts), and
only the fields the description does not give are named, in the format's own names
(`objectives[].strategic_priority`, `history`). A fact whose fields are all described is not
known for another reason (nothing of the kind is due, say) and leaves no gap: a gap never
blames one part for another's silence. The fields are grouped by the part of the description
they belong to (`history`, `gateway_reviews`), and each such part becomes one note.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from pydantic import BaseModel

from govcheck import facts
from govcheck.facts.common import Facts
from govcheck.model import Milestone, Party, Programme
from govcheck.rule import Rule

GAP_ID = "evidence-gap"
GAP_CATEGORY = "evidence"

#: Parts of the description whose name in words is more than their name with spaces.
_WORDS = {
    "next_gate": "the gate under review",
    "planned_end_date": "the planned end date",
    "start_date": "the start date",
    "organisation": "the owning body",
    "delivery": "delivery approach",
    "changes": "changes to scope and budget",
    "performance": "performance against targets",
    "assurance": "assurance opinions on forecasts",
    "assessments": "assessments of quality",
    "audit_conclusions": "auditors' conclusions on value for money",
    "schedule_files": "the schedule file (MS Project XML or Primavera P6 XER)",
}

#: Each top-level part of the description, in the format's order: its JSON pointer and its
#: name in words, for evidence-gap notes.
PARTS: dict[str, tuple[str, str]] = {
    name: (f"/{name}", _WORDS.get(name, name.replace("_", " "))) for name in Programme.model_fields
}

#: Names in words of the parts of the description (PARTS) and of the fact groups
#: (govcheck.facts.SECTIONS), which the conclusions use for the facts of their own conditions;
#: a name in both means the same part.
SECTIONS: dict[str, tuple[str, str]] = {**facts.SECTIONS, **PARTS}


def flatten(nested: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Facts as derived (`{group: {name: value}}`) by dotted name (`group.name`), each group also
    by its own name: every fact a condition names, found in one step."""
    flat: dict[str, Any] = {}
    for key, value in nested.items():
        name = prefix + key
        flat[name] = value
        if isinstance(value, Mapping):
            flat.update(flatten(value, name + "."))
    return flat


def unknown_facts(names: Iterable[str], facts: Mapping[str, Any]) -> list[str]:
    """The facts of `names` that are not known (absent or None from `facts`, by dotted name)."""
    return [name for name in names if facts.get(name) is None]


def reads(fact: str) -> tuple[str | tuple[str, ...], ...] | None:
    """The description fields a fact (`group.name`) is derived from, as its group declares
    them (govcheck.facts.common.Facts); None if not declared."""
    model: type[BaseModel] = facts.ProgrammeFacts
    *groups, name = fact.split(".")
    for group in groups:
        field = model.model_fields.get(group)
        ann = field.annotation if field else None
        if not (isinstance(ann, type) and issubclass(ann, Facts)):
            return None
        model = ann
    declared: Mapping[str, tuple[str | tuple[str, ...], ...]] = getattr(model, "reads", {})
    return declared.get(name)


def fields_read(fact: str) -> tuple[str, ...]:
    """Every field a fact is derived from, needed or not, in the order declared."""
    return tuple(f for entry in reads(fact) or () for f in ((entry,) if isinstance(entry, str) else entry))


def plain(field: str) -> str:
    """A field as govcheck.gates names it: `objectives[].measures` -> `objectives.measures`."""
    return field.replace("[]", "")


def part_of(field: str) -> str:
    """The top-level part of the description a field belongs to."""
    return plain(field).split(".", 1)[0]


#: Dates whose `null` says something (README, "Not described, or not in place"): a party's
#: commitment never confirmed, a milestone not reached. Any other date written null is the
#: same as leaving it out.
NULL_DATES_STATED: frozenset[tuple[type[BaseModel], str]] = frozenset(
    {(Party, "confirmed_on"), (Milestone, "actual")}
)


def _is_date(annotation: Any) -> bool:
    if annotation is dt.date:
        return True
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _is_date(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return any(_is_date(a) for a in typing.get_args(annotation))
    return False


def _gives(item: BaseModel, name: str) -> bool:
    """Whether `item` describes its field `name`: given, and not a date written null."""
    if name not in item.model_fields_set:
        return False
    if getattr(item, name) is not None or (type(item), name) in NULL_DATES_STATED:
        return True
    return not _is_date(type(item).model_fields[name].annotation)


def not_given(programme: BaseModel, field: str) -> str | None:
    """The shortest start of `field` that the description does not give (`history` for
    `history[].ratings` when there is no history at all); None if it gives all of it.

    An item's field is given when every item of the list gives it: a fact over the items is
    not known because some of them do not say, whatever the others say. An empty list, or a
    part written null, gives everything under it (it states that nothing is in place); a date
    written null is not given (see NULL_DATES_STATED)."""
    steps = field.split(".")
    items: list[BaseModel] = [programme]
    for i, step in enumerate(steps):
        name = step.removesuffix("[]")
        if not all(_gives(item, name) for item in items):
            return ".".join(steps[: i + 1]).removesuffix("[]")
        below: list[BaseModel] = []
        for item in items:
            value = getattr(item, name)
            if isinstance(value, tuple):
                below.extend(v for v in value if isinstance(v, BaseModel))
            elif isinstance(value, BaseModel):
                below.append(value)
        if not below:
            return None
        items = below
    return None


#: The fields a fact is derived from: those it needs, and those that could make it known otherwise.
Declared = tuple[tuple[str, ...], tuple[str, ...]]


def declared(fact: str) -> Declared:
    """The fields `fact` is derived from, as its group declares them (see `reads`)."""
    entries = reads(fact)
    if entries is None:
        # Not declared (a test keeps every fact a rule reads declared): the part the group reads.
        pointer = facts.SECTIONS.get(fact.split(".", 1)[0], ("", ""))[0]
        entries = (pointer.strip("/").split("/", 1)[0],) if pointer else ()
    needed = tuple(f for f in entries if isinstance(f, str))
    others = tuple(f for entry in entries if not isinstance(entry, str) for f in entry)
    return needed, others


def not_described(
    programme: BaseModel,
    fact: str,
    fields: Declared | None = None,
    missing: Callable[[str], str | None] | None = None,
) -> list[str]:
    """The fields `fact` is derived from that the description does not give, in the order
    declared: the ones it needs, or if it gives all those, the ones that could make it known
    otherwise. Empty when it gives them all: the fact is not known for some other reason (none
    of it is due yet, say), which no description can change. `fields` (its `declared` fields)
    and `missing` (`not_given` on `programme`) may come from the caller's memo."""
    missing = missing or (lambda field: not_given(programme, field))
    for group in fields or declared(fact):
        found: list[str] = []
        for field in group:
            start = missing(field)
            if start is not None and start not in found:
                found.append(start)
        if found:
            return found
    return []


def by_section(
    open_rules: Iterable[tuple[Rule, Sequence[str]]],
    programme: BaseModel,
    fields_of: Callable[[str], Declared],
    missing: Callable[[str], str | None],
) -> dict[str, tuple[list[str], list[Rule]]]:
    """Part of the description -> (the fields not described, the rules they left open), in
    the format's order, from each rule left open with the facts it reads that are not known.
    Each unknown fact of a rule counts under the part of the first field it names (see
    `not_described`), with all the fields it names; a note lists its own part's fields first.
    `fields_of`: `declared`, or a memo of it; `missing`: `not_given` on `programme`, or what
    the caller found of it."""
    found: dict[str, tuple[list[str], list[Rule]]] = {}
    traced: dict[str, tuple[str, list[str]]] = {}  # fact -> (its part, the fields not described)
    listed: set[tuple[str, str]] = set()  # (part, rule id): rules compared by id, not field by field
    for rule, unknown in open_rules:
        for fact in unknown:
            if fact not in traced:
                fields = not_described(programme, fact, fields_of(fact), missing)
                traced[fact] = (part_of(fields[0]) if fields else "", fields)
            part, fields = traced[fact]
            if not fields:
                continue
            names, left_open = found.setdefault(part, ([], []))
            names.extend(f for f in fields if f not in names)
            if (part, rule.id) not in listed:
                listed.add((part, rule.id))
                left_open.append(rule)
    return {s: (_own_first(s, found[s][0]), found[s][1]) for s in PARTS if s in found}


def _own_first(section: str, fields: list[str]) -> list[str]:
    return sorted(fields, key=lambda f: (part_of(f) != section, f))


def message(section: str, fields: list[str], rules: list[Rule]) -> str:
    words = SECTIONS[section][1]
    ids = ", ".join(r.id for r in rules)
    count = f"{len(rules)} rule{'s' if len(rules) != 1 else ''}"
    return (
        f"The description does not say enough about {words} ({', '.join(fields)}), "
        f"so {count} could not be assessed: {ids}."
    )


def recommendation(section: str) -> str:
    return (
        f"Describe {SECTIONS[section][1]} in the programme description (at {SECTIONS[section][0]}), "
        "stating what is not in place explicitly (null, false or []), so these questions can be answered."
    )
