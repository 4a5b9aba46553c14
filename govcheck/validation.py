"""Validate loaded data against a Pydantic model, turning errors into one located line."""

from __future__ import annotations

import difflib
import types
import typing
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from govcheck.errors import GovcheckError, InputError
from govcheck.model import UNKNOWN
from govcheck.yamlsource import Source, escape_pointer_token, field_name

M = TypeVar("M", bound=BaseModel)


def validate(
    model: type[M],
    source: Source,
    error: type[GovcheckError] = InputError,
) -> M:
    """Validate `source.data` as `model`; raise `error` naming the first problem's line and field."""
    try:
        return model.model_validate(source.data)
    except ValidationError as exc:
        raise located(exc, model, source, error) from None


def located(
    exc: ValidationError, model: type[BaseModel], source: Source, error: type[GovcheckError]
) -> GovcheckError:
    problems = []
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        pointer = "".join(f"/{escape_pointer_token(str(p))}" for p in loc)
        found, span = source.locate(pointer)
        problems.append((found != pointer, span.line, span.column, loc, err, span.cell))
    # Problems at a field that is present first: they are where the user should look.
    problems.sort(key=lambda p: (p[0], p[1], p[2]))
    _, line, column, loc, err, cell = problems[0]
    message = _message(err, model, loc)
    if len(problems) > 1:
        message += f" (and {len(problems) - 1} more problem{'s' if len(problems) > 2 else ''})"
    return error(
        message,
        file=source.path,
        line=line,
        column=column,
        field=field_name(loc),
        cell=cell,
    )


def _message(err: Any, model: type[BaseModel], loc: tuple[Any, ...]) -> str:
    kind = err["type"]
    value = err.get("input")
    if kind == "extra_forbidden":
        allowed = sorted(fields_at(model, loc[:-1]))
        key = str(loc[-1])
        hint = (
            difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
            or [a for a in allowed if len(key) > 3 and (a.startswith(key) or key.startswith(a))][:1]
        )
        message = "unknown field"
        if hint:
            return f"{message}; did you mean {hint[0]!r}?"
        return f"{message}; expected one of: {', '.join(allowed)}" if allowed else message
    if kind == "missing":
        return "required field is missing"
    if value == UNKNOWN and loc and isinstance(loc[-1], int):
        return "a list item cannot be unknown; write the whole list as unknown, or leave it out"
    if value == UNKNOWN:
        return "this field is required and cannot be unknown"
    if kind in {"date_type", "date_parsing", "date_from_datetime_inexact"} and isinstance(value, str):
        return f"expected an unquoted ISO date (YYYY-MM-DD), got the string {value!r}"
    if kind in {"model_type", "model_attributes_type", "dict_type"}:
        return f"expected a mapping, got {_kind(value)}"
    if kind in {"tuple_type", "list_type"}:
        return f"expected a list, got {_kind(value)}"
    text = str(err["msg"])
    text = text.removeprefix("Value error, ")
    if kind.endswith("_type") and value is not None:
        text += f", got {_kind(value)}"
    return text[0].lower() + text[1:] if text else kind


def _kind(value: object) -> str:
    return {
        str: "a string",
        bool: "a boolean",
        int: "an integer",
        float: "a number",
        list: "a list",
        dict: "a mapping",
        type(None): "nothing (null)",
    }.get(type(value), type(value).__name__)


def fields_at(model: type[BaseModel], loc: tuple[Any, ...]) -> set[str]:
    """The field names allowed at `loc` inside `model`, following nested models and lists."""
    current: Any = model
    for part in loc:
        current = _unwrap(current)
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return set()
        field = current.model_fields.get(str(part))
        if field is None:
            return set()
        current = field.annotation
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return set(current.model_fields)
    return set()


def _unwrap(annotation: Any) -> Any:
    """Strip Optional, tuple[...] and list[...] down to the model inside."""
    while True:
        origin = typing.get_origin(annotation)
        args = [a for a in typing.get_args(annotation) if a is not type(None) and a is not Ellipsis]
        if origin in (typing.Union, types.UnionType, tuple, list) and len(args) == 1:
            annotation = args[0]
        else:
            return annotation
