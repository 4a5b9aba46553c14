"""Convert a description between YAML and the workbook, both ways, meaning for meaning.

Only a description that validates is converted, so what comes out checks exactly as what went
in. YAML comments travel as notes on the cells of the values they stand beside, and notes on
a workbook's cells come back as comments; a comment with no value to stand beside (after the
last one) is reported, never dropped silently.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from pydantic import BaseModel

from govcheck.model import Programme
from govcheck.validation import validate
from govcheck.workbook.fields import list_item, unwrap
from govcheck.workbook.write import write
from govcheck.yamlsource import Source, parse

#: A YAML comment: `#` at the start of a line or after whitespace.
_HASH = re.compile(r"(?:^|(?<=\s))#")


@dataclass(frozen=True)
class Converted:
    content: bytes
    carried: int = 0  # comments carried across
    dropped: tuple[str, ...] = field(default=())  # "line 40: # text" of comments that could not be


def to_workbook(source: Source, text: str) -> Converted:
    """The workbook for the YAML description `source` (whose text is `text`)."""
    validate(Programme, source)
    comments, unplaced = yaml_comments(text, source)
    written = write(source.data, {p: "\n".join(c for _, c in lines) for p, lines in comments.items()})
    carried = sum(len(lines) for p, lines in comments.items() if p not in written.unplaced)
    unplaced += [comment for p in written.unplaced for comment in comments[p]]
    dropped = tuple(f"line {n + 1}: # {c}" for n, c in sorted(unplaced))
    return Converted(written.content, carried, dropped)


def to_yaml(source: Source, notes: dict[str, str] | None = None) -> Converted:
    """YAML for the workbook description `source`, fields in the format's order, with the
    notes of its cells (JSON pointer -> text) as comments above their values."""
    programme = validate(Programme, source)
    data = _ordered(source.data, Programme)
    body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False)
    lines = body.splitlines()
    placed = parse(body, source.path) if notes else None
    insert: dict[int, list[str]] = {}
    for pointer, note in (notes or {}).items():
        assert placed is not None
        _, span = placed.locate(pointer)
        line = lines[span.line - 1]
        indent = " " * (len(line) - len(line.lstrip(" -")))
        insert.setdefault(span.line - 1, []).extend(
            f"{indent}# {part}".rstrip() for part in note.splitlines() or [""]
        )
    out: list[str] = [f"# {programme.name}: converted from {source.path}"]
    for i, line in enumerate(lines):
        out.extend(insert.get(i, ()))
        out.append(line)
    return Converted(("\n".join(out) + "\n").encode("utf-8"), sum(len(v) for v in insert.values()))


def yaml_comments(
    text: str, source: Source
) -> tuple[dict[str, list[tuple[int, str]]], list[tuple[int, str]]]:
    """Each comment of the YAML text, (0-based line, text), by the pointer of the value it
    stands beside: a comment on a line of its own goes with the next value, one after a value
    with that value. Those after the last value stand beside none and come second."""
    scalars = [
        (t.start_mark.index, t.end_mark.index)
        for t in yaml.scan(text, Loader=yaml.SafeLoader)
        if isinstance(t, yaml.ScalarToken)
    ]
    by_line = _pointers_by_line(source.root)
    text_lines = text.splitlines()
    offsets = [0]
    for line in text_lines:
        offsets.append(offsets[-1] + len(line) + 1)
    found: dict[str, list[tuple[int, str]]] = {}
    waiting: list[tuple[int, str]] = []
    for number, line in enumerate(text_lines):
        match = next(
            (m for m in _HASH.finditer(line) if not _inside(offsets[number] + m.start(), scalars)), None
        )
        comment = line[match.start() + 1 :].strip() if match else None
        own_line = match is not None and not line[: match.start()].strip()
        if comment is not None and own_line:
            waiting.append((number, comment))
            continue
        pointer = by_line.get(number)
        if pointer is None:
            continue
        if waiting:
            found.setdefault(pointer, []).extend(waiting)
            waiting.clear()
        if comment is not None:
            found.setdefault(pointer, []).append((number, comment))
    return found, waiting


def _inside(index: int, spans: list[tuple[int, int]]) -> bool:
    return any(start <= index < end for start, end in spans)


def _pointers_by_line(node: Any, pointer: str = "") -> dict[int, str]:
    """0-based line -> the pointer of the deepest value that starts on it."""
    out: dict[int, str] = {}
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            child = f"{pointer}/{key.value}"
            out.setdefault(key.start_mark.line, child)
            out.update(_pointers_by_line(value, child))
            out[key.start_mark.line] = out.get(key.start_mark.line, child)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            child = f"{pointer}/{i}"
            out.setdefault(item.start_mark.line, child)
            out.update(_pointers_by_line(item, child))
    return out


def _ordered(data: Any, model: Any) -> Any:
    """Plain data with each object's keys in the model's field order, dates as dates."""
    if isinstance(data, dict) and isinstance(model, type) and issubclass(model, BaseModel):
        out = {}
        for name, info in model.model_fields.items():
            if name in data:
                base, _ = unwrap(info.annotation)
                out[name] = _ordered(data[name], base)
        return out
    if isinstance(data, list):
        item = list_item(model) if model is not None else None
        return [_ordered(v, item) for v in data]
    if isinstance(data, dt.datetime):
        return data.date()
    return data
