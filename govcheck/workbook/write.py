"""Write the programme workbook: the blank template, or a description converted from YAML.

Every sheet, column, drop-down and input message comes from the layout, which comes from the
programme model: the workbook cannot say anything the format does not.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.comments import Comment  # type: ignore[import-untyped]
from openpyxl.styles import Alignment, Font, PatternFill  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]
from openpyxl.worksheet.worksheet import Worksheet  # type: ignore[import-untyped]

from govcheck import __version__
from govcheck.model import UNKNOWN
from govcheck.workbook.cells import to_cell
from govcheck.workbook.fields import Leaf
from govcheck.workbook.layout import (
    CURRENCY_LABEL,
    DEFAULT_CURRENCY,
    NOT_IN_PLACE,
    PARTS,
    Form,
    Table,
    header,
    parent_label,
    sheet_named,
    sheets,
)
from govcheck.workbook.notes import meaning, validate, validate_currency

COVER = "About"
#: Rows of a table that carry its drop-downs and input messages, beyond the rows written.
SPARE_ROWS = 500
_HEADER = PatternFill("solid", fgColor="1F3864")
_HEADER_FONT = Font(bold=True, color="FFFFFF")
_PART_COLOURS = ("1F3864", "2E75B6", "548235", "BF8F00", "C55A11", "7030A0", "375623", "833C0B",
                 "843C0C", "203864", "3A3838", "806000")  # fmt: skip
_WRAP = Alignment(wrap_text=True, vertical="top")
#: Text fields that hold sentences rather than names.
_LONG_TEXT = {"summary", "basis", "mitigation", "evidence", "reason", "text", "note", "title", "description"}


@dataclass(frozen=True)
class Written:
    """The workbook's bytes, and the comments given it that no cell could hold (by pointer)."""

    content: bytes
    unplaced: frozenset[str] = frozenset()


def write(data: Mapping[str, Any] | None = None, comments: Mapping[str, str] | None = None) -> Written:
    """The workbook for `data` (a valid description's plain data), or the blank template.

    `comments` (JSON pointer -> text) become notes on the cells of those values.
    """
    data = data or {}
    currency = _currency(data) or DEFAULT_CURRENCY
    book = Workbook()
    cover = book.active
    cover.title = COVER
    placed: dict[str, str] = {}
    colours = {part: _PART_COLOURS[i % len(_PART_COLOURS)] for i, (part, _) in enumerate(PARTS)}
    for sheet in sheets():
        ws = book.create_sheet(sheet.name)
        ws.sheet_properties.tabColor = colours[sheet.part]
        if isinstance(sheet, Form):
            _form(ws, sheet, data, currency, placed)
        else:
            _table(ws, sheet, data, currency, placed)
    _cover(cover, colours)
    unplaced = set()
    for pointer, text in (comments or {}).items():
        target = _note_cell(placed, pointer)
        if target is None:
            unplaced.add(pointer)
            continue
        sheet_name, ref = target.rsplit("!", 1)
        cell = book[sheet_name.strip("'")][ref]
        cell.comment = Comment(text if cell.comment is None else f"{cell.comment.text}\n{text}", "YAML")
    out = io.BytesIO()
    book.save(out)
    return Written(out.getvalue(), frozenset(unplaced))


def _note_cell(placed: Mapping[str, str], pointer: str) -> str | None:
    """The cell that notes a comment on `pointer`: its value's, or the nearest enclosing
    value's. A table's heading (A1) is not one: its note says what the column means, so a
    comment on a whole list goes on its first row, and on an empty list nowhere."""
    while pointer:
        cell = placed.get(pointer)
        if cell is not None:
            return placed.get(f"{pointer}/0") if cell.endswith("!A1") else cell
        pointer = pointer.rpartition("/")[0]
    return None


def _currency(data: Mapping[str, Any]) -> str | None:
    """The first currency the description names (the model requires them all to agree)."""
    stack: list[Any] = [data]
    while stack:
        item = stack.pop(0)
        if isinstance(item, Mapping):
            if isinstance(item.get("currency"), str) and "amount" in item:
                return str(item["currency"])
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            stack.extend(item)
    return None


def _form(ws: Worksheet, form: Form, data: Mapping[str, Any], currency: str, placed: dict[str, str]) -> None:
    _headers(ws, ("Field", "Value", "Meaning"), (34, 44, 90))
    rows: list[tuple[str, Any, Leaf | None, str]] = []
    for leaf in form.leaves:
        present, value = _get(data, leaf.path)
        if leaf.null_path and _get(data, leaf.null_path) == (True, None):
            present, value = True, None
        rows.append(
            (
                header(leaf, currency),
                to_cell(leaf, value) if present else None,
                leaf,
                "/" + "/".join(leaf.path),
            )
        )
    if form.name == "Programme":
        rows.append((CURRENCY_LABEL, currency, None, ""))
    for i, (label, value, row_leaf, pointer) in enumerate(rows, start=2):
        ws.cell(i, 1, label).font = Font(bold=True)
        cell = ws.cell(i, 2)
        _put(cell, value, row_leaf)
        ws.cell(i, 3, meaning(row_leaf, currency))
        _fit(ws, i)
        if row_leaf is not None:
            validate(ws, row_leaf, f"B{i}", currency)
            placed[pointer] = f"{_quote(ws.title)}!B{i}"
            if row_leaf.null_path:
                placed.setdefault("/" + "/".join(row_leaf.null_path), f"{_quote(ws.title)}!B{i}")
        else:
            validate_currency(ws, f"B{i}")
    for section in form.paths:
        first = next(leaf for leaf in form.leaves if ".".join(leaf.path).startswith(section))
        placed.setdefault("/" + section.replace(".", "/"), placed["/" + "/".join(first.path)])
    ws.freeze_panes = "A2"


def _table(
    ws: Worksheet, table: Table, data: Mapping[str, Any], currency: str, placed: dict[str, str]
) -> None:
    parent = sheet_named(table.parent) if table.parent else None
    columns: list[Leaf | None] = ([None] if parent else []) + list(table.leaves)
    labels = [parent_label(table) if c is None else header(c, currency) for c in columns]
    _headers(
        ws, labels, [30 if c is None else _width(c, label) for c, label in zip(columns, labels, strict=True)]
    )
    rows = list(_items(table, data))
    owner = "/" + "/".join(table.path) if not parent else None
    if owner:
        placed[owner] = f"{_quote(ws.title)}!A1"
    for r, (pointer, key, item) in enumerate(rows, start=2):
        placed.setdefault(pointer, f"{_quote(ws.title)}!A{r}")
        for c, leaf in enumerate(columns, start=1):
            cell = ws.cell(r, c)
            if leaf is None:
                _put(cell, key, None)
                continue
            if item is None:
                _put(cell, NOT_IN_PLACE if leaf is table.leaves[0] else None, leaf)
                continue
            present, value = _get(item, leaf.path)
            _put(cell, to_cell(leaf, value) if present else None, leaf)
            placed[f"{pointer}/{'/'.join(leaf.path)}"] = f"{_quote(ws.title)}!{cell.coordinate}"
        _fit(ws, r)
    last = len(rows) + 1 + SPARE_ROWS
    for c, leaf in enumerate(columns, start=1):
        letter = get_column_letter(c)
        if leaf is not None:
            validate(ws, leaf, f"{letter}2:{letter}{last}", currency)
        ws.cell(1, c).comment = Comment(meaning(leaf, currency, table), "govcheck")
    ws.freeze_panes = "A2"


def _items(table: Table, data: Mapping[str, Any]) -> Iterator[tuple[str, Any, Mapping[str, Any] | None]]:
    """(pointer, parent key, item) for each item of the table's list, through its parents; the
    item is None for a row saying the list is empty (`[]`, not in place)."""
    owners: Iterator[tuple[str, Any, Mapping[str, Any] | None]]
    if table.parent is None:
        owners, key_name = iter([("", None, data)]), None
    else:
        parent = sheet_named(table.parent)
        assert isinstance(parent, Table) and parent.key
        owners, key_name = _items(parent, data), parent.key
    for pointer, _, owner in owners:
        if owner is None:
            continue
        key = owner.get(key_name) if key_name else None
        present, items = _get(owner, table.path)
        if present and isinstance(items, list | tuple) and not items:
            yield f"{pointer}/{'/'.join(table.path)}", key, None
        for i, item in enumerate(items if present and isinstance(items, list | tuple) else ()):
            yield f"{pointer}/{'/'.join(table.path)}/{i}", key, item


def _get(data: Any, path: tuple[str, ...]) -> tuple[bool, Any]:
    """(present, value) of `path` in plain data; `unknown` is not described, as in the model."""
    for key in path:
        if not isinstance(data, Mapping) or key not in data or data[key] == UNKNOWN:
            return False, None
        data = data[key]
    return True, data


def _put(cell: Any, value: Any, leaf: Leaf | None) -> None:
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # text, never a formula, whatever it starts with
    elif isinstance(value, dt.date):
        cell.number_format = "yyyy-mm-dd"
    elif leaf is not None and leaf.kind == "money":
        cell.number_format = "#,##0.##"
    elif leaf is not None and leaf.share:
        cell.number_format = "0%"


def _fit(ws: Worksheet, row: int) -> None:
    """Wrap the row's long texts and make it tall enough to show them (spreadsheet programs do
    not grow a row for text written by another program)."""
    lines = 1
    for cell in ws[row]:
        if isinstance(cell.value, str) and cell.value:
            width = ws.column_dimensions[cell.column_letter].width or 10
            need = sum(max(1, math.ceil(len(part) / (width * 1.1))) for part in cell.value.split("\n"))
            if need > 1:
                lines = max(lines, need)
    if lines > 1:
        ws.row_dimensions[row].height = min(15 * lines + 2, 300)
        for cell in ws[row]:
            cell.alignment = _WRAP


def _width(leaf: Leaf, label: str) -> int:
    """A column wide enough for its heading and for what it usually holds."""
    usual = {"text": 30, "lines": 40, "date": 12, "money": 16, "bool": 8, "int": 8, "number": 10}
    wide = leaf.kind == "text" and leaf.path[-1] in _LONG_TEXT
    size = 50 if wide else usual.get(leaf.kind) or max(len(c) for c in leaf.choices) + 3
    return max(size, min(len(label) + 3, 24))


def _headers(ws: Worksheet, labels: Any, widths: Any) -> None:
    for c, (label, width) in enumerate(zip(labels, widths, strict=True), start=1):
        cell = ws.cell(1, c, label)
        cell.fill, cell.font, cell.alignment = _HEADER, _HEADER_FONT, _WRAP
        ws.column_dimensions[get_column_letter(c)].width = width


def _quote(name: str) -> str:
    return f"'{name}'" if " " in name else name


def _cover(ws: Worksheet, colours: Mapping[str, str]) -> None:
    lines = [
        ("Programme description workbook", Font(bold=True, size=16)),
        (f"For govcheck {__version__}. Check it with: govcheck check programme.xlsx", None),
        ("", None),
        ("Each sheet holds one part of the description. Forms have a row per field; tables a row per item "
         "(a milestone, a risk). Select a cell to see what it means and an example.", None),
        ("A blank cell means 'not described': govcheck says what it could not judge without it.", None),
        (f"'{NOT_IN_PLACE}' (offered in the drop-downs) means it does not exist: no SRO, no board, "
         "no risks. 'no' says a yes-or-no is not the case. They are findings; a blank is not.", None),
        ("Enter dates as dates and amounts as numbers, in the currency on the Programme sheet.", None),
        ("Formulas are read as their last calculated values; macros are never run.", None),
        ("", None),
        ("Sheets", Font(bold=True, size=13)),
    ]  # fmt: skip
    for i, (text, font) in enumerate(lines, start=1):
        cell = ws.cell(i, 1, text)
        if font:
            cell.font = font
    row = len(lines) + 1
    for part, specs in PARTS:
        ws.cell(row, 1, part).font = Font(bold=True, color=colours[part])
        for _, name, _ in specs:
            cell = ws.cell(row, 2, name)
            cell.hyperlink = f"#{_quote(name)}!A1"
            cell.font = Font(color="0563C1", underline="single")
            row += 1
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 30
