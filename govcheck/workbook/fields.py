"""What the programme model says of each field, read for the workbook: its kind of value,
whether it may be null, its choices and its meaning. One place that looks inside the model's
type annotations, so the workbook follows the model wherever it changes."""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import types
import typing
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from govcheck.model import Date, Money

Kind = Literal["text", "int", "number", "money", "bool", "date", "choice", "lines"]

#: Descriptions of a type written for YAML authors ("unquoted"): the workbook's own notes say more.
_TYPE_NOTES = {a.description for a in typing.get_args(Date)[1:] if isinstance(a, FieldInfo)}
#: Words whose capitals the labels keep.
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


def leaves_at(model: type[BaseModel], path: tuple[str, ...]) -> tuple[Leaf, ...]:
    """The leaves of the field at `path` (an object's leaves, or the one leaf of a value)."""
    owner, prefix = model, path[:-1]
    nulls: tuple[str, ...] | None = None
    for key in prefix:
        info = owner.model_fields[key]
        owner, nullable = unwrap(info.annotation)
        if nullable and nulls is None:
            nulls = path[: path.index(key) + 1]
    return _field_leaves(owner, path[-1], prefix, nulls)


def leaves(model: type[BaseModel], prefix: tuple[str, ...]) -> tuple[Leaf, ...]:
    out: list[Leaf] = []
    for name in model.model_fields:
        base, _ = unwrap(model.model_fields[name].annotation)
        if list_item(base) is not None and is_model(list_item(base)):
            continue  # a list of objects: a table of its own
        out.extend(_field_leaves(model, name, prefix, None))
    return tuple(out)


def _field_leaves(
    model: type[BaseModel], name: str, prefix: tuple[str, ...], nulls: tuple[str, ...] | None
) -> tuple[Leaf, ...]:
    info = model.model_fields[name]
    base, nullable = unwrap(info.annotation)
    path = (*prefix, name)
    if is_model(base) and base is not Money:
        inner = leaves(base, path)
        if nullable and inner:
            # "not in place" in the object's first cell says the whole object is not in place.
            first = inner[0]
            inner = (replace(first, nullable=True, null_path=first.null_path or path), *inner[1:])
        if nulls and inner and inner[0].null_path is None:
            inner = (replace(inner[0], nullable=True, null_path=nulls), *inner[1:])
        return inner
    kind, choices = _kind(base)
    default = None if info.is_required() else info.get_default(call_default_factory=True)
    if isinstance(default, enum.Enum):
        default = default.value
    return (
        Leaf(
            path=path,
            kind=kind,
            label=label(path),
            required=info.is_required(),
            nullable=nullable or kind == "lines",
            choices=choices,
            description="" if info.description in _TYPE_NOTES else info.description or "",
            default=default,
            null_path=nulls,
            share=kind == "number" and any(getattr(m, "le", None) == 1 for m in _metadata(info, base)),
        ),
    )


def replace(leaf: Leaf, **changes: Any) -> Leaf:
    return dataclasses.replace(leaf, **changes)


def _metadata(info: Any, base: Any) -> list[Any]:
    found = list(info.metadata)
    for arg in typing.get_args(info.annotation):
        found += list(getattr(arg, "__metadata__", ()))
        for inner in getattr(arg, "__metadata__", ()):
            found += list(getattr(inner, "metadata", ()))
    return found


def unwrap(annotation: Any) -> tuple[Any, bool]:
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
                return tuple(unwrap(a)[0] for a in args), nullable  # e.g. int | float
        else:
            return annotation, nullable


def list_item(base: Any) -> Any:
    if typing.get_origin(base) is tuple:
        return unwrap(typing.get_args(base)[0])[0]
    return None


def is_model(base: Any) -> bool:
    return isinstance(base, type) and issubclass(base, BaseModel)


def item_model(model: type[BaseModel], path: tuple[str, ...]) -> type[BaseModel]:
    owner: Any = model
    for key in path:
        owner, _ = unwrap(owner.model_fields[key].annotation)
    item = list_item(owner)
    assert is_model(item), path
    return typing.cast(type[BaseModel], item)


def _kind(base: Any) -> tuple[Kind, tuple[str, ...]]:
    item = list_item(base)
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


def label(path: tuple[str, ...]) -> str:
    """`costs.whole_life.baseline` → `Whole life: baseline`; `leadership.sro.name` → `SRO: name`."""
    words = [" ".join(_CAPITALS.get(w, w) for w in key.split("_")) for key in path]
    text = ": ".join(words)
    return text[:1].upper() + text[1:]


def all_paths(model: type[BaseModel], prefix: tuple[str, ...]) -> list[str]:
    """Every value's path outside lists, every list of objects, and the lists in their items."""
    out = []
    for name, info in model.model_fields.items():
        base, _ = unwrap(info.annotation)
        path = (*prefix, name)
        item = list_item(base)
        if is_model(item):
            out.append(".".join(path))
            out += [p for p in all_paths(item, path) if _is_list_path(item, p, path)]
        elif is_model(base) and base is not Money:
            out += all_paths(base, path)
        else:
            out.append(".".join(path))
    return out


def _is_list_path(item: type[BaseModel], key: str, prefix: tuple[str, ...]) -> bool:
    """Whether `key` (under a list's item) is itself a list of objects: a table of its own."""
    owner: Any = item
    for name in key.split(".")[len(prefix) :]:
        if not is_model(owner) or name not in owner.model_fields:
            return False
        owner, _ = unwrap(owner.model_fields[name].annotation)
    return is_model(list_item(owner))
