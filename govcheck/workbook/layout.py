"""Which sheet and column of the programme workbook holds each field of the description.

The columns come from the programme model itself: the only thing written here is which part
of the description each sheet holds. A field added to the model appears in the workbook,
and `check_complete` (run by the tests) fails if a part of the model has no sheet.

Two kinds of sheet: a *form* holds single values, one row per field (the sections that are
one object: costs, the business case); a *table* holds a list, one row per item (milestones,
risks). A list inside a list item (a benefit's yearly forecasts) is a table of its own whose
first column names the item it belongs to by its key.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import functools
import types
import typing
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from govcheck.model import Date, Money, Programme

Kind = Literal["text", "int", "number", "money", "bool", "date", "choice", "lines"]

#: Written in a cell for "not in place" (`null`, or `[]` for a list); never a blank, which is
#: "not described". `none` is read the same way.
NOT_IN_PLACE = "not in place"
CURRENCY_LABEL = "Currency"
#: Words whose capitals the labels keep.
#: Descriptions of a type written for YAML authors ("unquoted"): the workbook's own notes say more.
_TYPE_NOTES = {a.description for a in typing.get_args(Date)[1:] if isinstance(a, FieldInfo)}
#: Sections whose name a form's labels leave out: the sheet is named for them.
_SECTIONS = {"leadership", "governance", "mandate", "business_case", "migration", "costs", "benefits",
             "risk_management", "status"}  # fmt: skip
_CAPITALS = {"sro": "SRO", "sros": "SROs", "id": "ID", "ipa": "IPA", "url": "URL"}


@dataclass(frozen=True, slots=True)
class Leaf:
    """One cell's worth of a description: a field that holds a value, not an object."""

    path: tuple[str, ...]  # keys from the sheet's object (the programme, or a list item)
    kind: Kind
    label: str
    required: bool
    nullable: bool  # accepts "not in place" (null, or [] for lists)
    choices: tuple[str, ...] = ()  # a closed vocabulary (for `lines`, of each line)
    description: str = ""
    default: Any = None
    null_path: tuple[str, ...] | None = None  # "not in place" here makes this object null
    share: bool = False  # a number from 0 to 1

    @property
    def key(self) -> str:
        return ".".join(self.path)


@dataclass(frozen=True, slots=True)
class Form:
    name: str
    part: str
    paths: tuple[str, ...]  # top-level fields of the programme, dotted for a part of one
    leaves: tuple[Leaf, ...] = ()


@dataclass(frozen=True, slots=True)
class Table:
    name: str
    part: str
    path: tuple[str, ...]  # the list's keys from its owner (the programme, or a parent item)
    leaves: tuple[Leaf, ...] = ()
    parent: str | None = None  # the sheet of the items this list belongs to
    key: str | None = None  # the column naming an item, for tables of lists inside it


Sheet = Form | Table

#: (part, sheets): forms name the programme's fields they hold; tables name their list, and a
#: table of a list inside another list's items names that table and the key of its items.
PARTS: tuple[tuple[str, tuple[tuple[str, str, str | None], ...]], ...] = (
    ("Programme", (
        ("form", "Programme", "id name department organisation description assessment_date start_date "
                              "planned_end_date next_gate delivery schedule_files"),
        ("table", "Objectives", "objectives"),
        ("table", "Sources", "sources"),
    )),
    ("Leadership and governance", (
        ("form", "Leadership", "leadership.sro leadership.sponsor governance"),
        ("table", "Previous SROs", "leadership.previous_sros"),
    )),
    ("Parties and mandate", (
        ("form", "Mandate", "mandate"),
        ("table", "Parties", "parties"),
    )),
    ("Business case", (
        ("form", "Business case", "business_case"),
        ("table", "Changes", "changes"),
    )),
    ("Schedule and milestones", (("table", "Milestones", "milestones"),)),
    ("Migration", (
        ("form", "Migration", "migration.unit migration.total migration.no_new_date"),
        ("table", "Checkpoints", "migration.checkpoints"),
    )),
    ("Costs", (
        ("form", "Costs", "costs"),
        ("table", "Contracts", "contracts"),
    )),
    ("Benefits", (
        ("form", "Benefits", "benefits.realisation_plan"),
        ("table", "Benefit items", "benefits.items"),
        ("table", "Benefit forecasts", "Benefit items:forecast"),
    )),
    ("Risks", (
        ("form", "Risk management", "risk_management.register_maintained risk_management.last_reviewed"),
        ("table", "Risks", "risk_management.risks"),
    )),
    ("Assurance and reviews", (
        ("table", "Gateway reviews", "gateway_reviews"),
        ("table", "Recommendations", "Gateway reviews:recommendations"),
        ("table", "Assurance", "assurance"),
        ("table", "Assessments", "assessments"),
        ("table", "Audit conclusions", "audit_conclusions"),
        ("table", "Exceptions", "exceptions"),
    )),
    ("Outputs and outcomes", (
        ("table", "Outputs", "outputs"),
        ("table", "Performance", "performance"),
    )),
    ("Status", (
        ("form", "Status", "status"),
        ("table", "Ratings", "reference_ratings"),
        ("table", "History", "history"),
        ("table", "History ratings", "History:ratings"),
    )),
)  # fmt: skip

#: The field that names an item of a list that has lists of its own.
KEYS = {"Benefit items": "name", "Gateway reviews": "date", "History": "date"}


@functools.cache
def sheets() -> tuple[Sheet, ...]:
    """Every sheet of the workbook, in order, with its fields."""
    out: list[Sheet] = []
    by_name: dict[str, Table] = {}
    for part, specs in PARTS:
        for kind, name, spec in specs:
            assert spec is not None
            if kind == "form":
                paths = tuple(spec.split())
                leaves = [leaf for p in paths for leaf in _leaves_at(Programme, tuple(p.split(".")))]
                out.append(Form(name, part, paths, _form_leaves(leaves)))
                continue
            parent_name, _, field = spec.rpartition(":")
            if parent_name:
                parent = by_name[parent_name]
                owner = _item_model(Programme, parent.path)
                path: tuple[str, ...] = (field,)
            else:
                owner, path = Programme, tuple(spec.split("."))
            item = _item_model(owner, path)
            table = Table(name, part, path, _leaves(item, ()), parent_name or None, KEYS.get(name))
            by_name[name] = table
            out.append(table)
    return tuple(out)


def _form_leaves(leaves: list[Leaf]) -> tuple[Leaf, ...]:
    """A form's rows: labels without the section the sheet is named for, and "not in place" for
    an object only in its first row."""
    out, seen = [], set()
    for leaf in leaves:
        path = leaf.path[1:] if leaf.path[0] in _SECTIONS and len(leaf.path) > 1 else leaf.path
        null_path = leaf.null_path if leaf.null_path not in seen else None
        seen.add(leaf.null_path)
        out.append(
            _replace(leaf, label=_label(path), null_path=null_path, nullable=leaf.nullable or bool(null_path))
        )
    return tuple(out)


def sheet_named(name: str) -> Sheet | None:
    return next((s for s in sheets() if s.name == name), None)


def children(table: Table) -> tuple[Table, ...]:
    return tuple(s for s in sheets() if isinstance(s, Table) and s.parent == table.name)


def check_complete() -> list[str]:
    """Fields of the model that no sheet holds (an empty list when the layout is complete)."""
    held = {leaf.key for s in sheets() if isinstance(s, Form) for leaf in s.leaves}
    held |= {".".join(full_path(s)) for s in sheets() if isinstance(s, Table)}
    return [key for key in _all_paths(Programme, ()) if key not in held]


def full_path(table: Table) -> tuple[str, ...]:
    """The list's keys from the programme, through the items it sits in."""
    parent = sheet_named(table.parent) if table.parent else None
    return (*full_path(parent), *table.path) if isinstance(parent, Table) else table.path


def _all_paths(model: type[BaseModel], prefix: tuple[str, ...]) -> list[str]:
    """Every value's path outside lists, every list of objects, and the lists in their items."""
    out = []
    for name, info in model.model_fields.items():
        base, _ = _unwrap(info.annotation)
        path = (*prefix, name)
        item = _list_item(base)
        if _is_model(item):
            out.append(".".join(path))
            out += [p for p in _all_paths(item, path) if _is_list_path(item, p, path)]
        elif _is_model(base) and base is not Money:
            out += _all_paths(base, path)
        else:
            out.append(".".join(path))
    return out


def _is_list_path(item: type[BaseModel], key: str, prefix: tuple[str, ...]) -> bool:
    """Whether `key` (under a list's item) is itself a list of objects: a table of its own."""
    owner: Any = item
    for name in key.split(".")[len(prefix) :]:
        if not _is_model(owner) or name not in owner.model_fields:
            return False
        owner, _ = _unwrap(owner.model_fields[name].annotation)
    return _is_model(_list_item(owner))


def _leaves_at(model: type[BaseModel], path: tuple[str, ...]) -> tuple[Leaf, ...]:
    """The leaves of the field at `path` (an object's leaves, or the one leaf of a value)."""
    owner, prefix = model, path[:-1]
    nulls: tuple[str, ...] | None = None
    for key in prefix:
        info = owner.model_fields[key]
        owner, nullable = _unwrap(info.annotation)
        if nullable and nulls is None:
            nulls = path[: path.index(key) + 1]
    return _field_leaves(owner, path[-1], prefix, nulls)


def _leaves(model: type[BaseModel], prefix: tuple[str, ...]) -> tuple[Leaf, ...]:
    out: list[Leaf] = []
    for name in model.model_fields:
        base, _ = _unwrap(model.model_fields[name].annotation)
        if _list_item(base) is not None and _is_model(_list_item(base)):
            continue  # a list of objects: a table of its own
        out.extend(_field_leaves(model, name, prefix, None))
    return tuple(out)


def _field_leaves(
    model: type[BaseModel], name: str, prefix: tuple[str, ...], nulls: tuple[str, ...] | None
) -> tuple[Leaf, ...]:
    info = model.model_fields[name]
    base, nullable = _unwrap(info.annotation)
    path = (*prefix, name)
    if _is_model(base) and base is not Money:
        inner = _leaves(base, path)
        if nullable and inner:
            # "not in place" in the object's first cell says the whole object is not in place.
            first = inner[0]
            inner = (_replace(first, nullable=True, null_path=first.null_path or path), *inner[1:])
        if nulls and inner and inner[0].null_path is None:
            inner = (_replace(inner[0], nullable=True, null_path=nulls), *inner[1:])
        return inner
    kind, choices = _kind(base)
    default = None if info.is_required() else info.get_default(call_default_factory=True)
    if isinstance(default, enum.Enum):
        default = default.value
    return (
        Leaf(
            path=path,
            kind=kind,
            label=_label(path),
            required=info.is_required(),
            nullable=nullable or kind == "lines",
            choices=choices,
            description="" if info.description in _TYPE_NOTES else info.description or "",
            default=default,
            null_path=nulls,
            share=kind == "number" and any(getattr(m, "le", None) == 1 for m in _metadata(info, base)),
        ),
    )


def _replace(leaf: Leaf, **changes: Any) -> Leaf:
    return dataclasses.replace(leaf, **changes)


def _metadata(info: Any, base: Any) -> list[Any]:
    found = list(info.metadata)
    for arg in typing.get_args(info.annotation):
        found += list(getattr(arg, "__metadata__", ()))
        for inner in getattr(arg, "__metadata__", ()):
            found += list(getattr(inner, "metadata", ()))
    return found


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """The type inside Optional[...] and Annotated[...], and whether None is allowed."""
    nullable = False
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            nullable = nullable or len(args) < len(typing.get_args(annotation))
            if len(args) == 1:
                annotation = args[0]
            else:
                return tuple(_unwrap(a)[0] for a in args), nullable  # e.g. int | float
        else:
            return annotation, nullable


def _list_item(base: Any) -> Any:
    if typing.get_origin(base) is tuple:
        return _unwrap(typing.get_args(base)[0])[0]
    return None


def _is_model(base: Any) -> bool:
    return isinstance(base, type) and issubclass(base, BaseModel)


def _item_model(model: type[BaseModel], path: tuple[str, ...]) -> type[BaseModel]:
    owner: Any = model
    for key in path:
        owner, _ = _unwrap(owner.model_fields[key].annotation)
    item = _list_item(owner)
    assert _is_model(item), path
    return typing.cast(type[BaseModel], item)


def _kind(base: Any) -> tuple[Kind, tuple[str, ...]]:
    item = _list_item(base)
    if item is not None:
        return "lines", _kind(item)[1]
    if base is Money:
        return "money", ()
    if typing.get_origin(base) is Literal:
        return "choice", tuple(str(v) for v in typing.get_args(base))
    if isinstance(base, type) and issubclass(base, enum.Enum):
        return "choice", tuple(str(m.value) for m in base)
    if base is bool:
        return "bool", ()
    if base is int:
        return "int", ()
    if base is float or isinstance(base, tuple):
        return "number", ()
    if base is dt.date:
        return "date", ()
    return "text", ()


def _label(path: tuple[str, ...]) -> str:
    """`costs.whole_life.baseline` → `Whole life: baseline`; `leadership.sro.name` → `SRO: name`."""
    words = [" ".join(_CAPITALS.get(w, w) for w in key.split("_")) for key in path]
    text = ": ".join(words)
    return text[:1].upper() + text[1:]
