"""Read a programme workbook into the same plain data as a YAML description, with every value's
cell, so that validation, findings and errors name `programme.xlsx:Costs!C4`.

The workbook is untrusted: the zip is checked before anything is decompressed, a
macro-enabled workbook is refused (its macros are never run, nor even loaded), formulas are
read as the values their program last calculated, and anything the layout does not know (a
sheet, a column, a row label) is an error with a did-you-mean, never silently skipped.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from typing import Any

from govcheck.errors import InputError
from govcheck.workbook.archive import open_workbook
from govcheck.workbook.cellmap import Cell, CellMap
from govcheck.workbook.cells import CellProblem, from_cell, is_blank, says_not_in_place
from govcheck.workbook.fields import Leaf
from govcheck.workbook.layout import (
    CURRENCY_LABEL,
    NOT_IN_PLACE,
    Form,
    Table,
    header,
    parent_label,
    sheet_named,
    sheets,
)
from govcheck.workbook.write import COVER
from govcheck.yamlsource import Source


def parse(raw: bytes, name: str) -> Source:
    """The workbook's description as a Source: its data, and a CellMap to locate values."""
    values, formulas = open_workbook(raw, name)
    return _Reader(name, values, formulas).read()


class _Reader:
    def __init__(self, name: str, values: Any, formulas: Any) -> None:
        self.name = name
        self.values = values
        self.formulas = formulas
        self.data: dict[str, Any] = {}
        self.cells: dict[str, Cell] = {}
        self.currency: str | None = None
        self.currency_cell: Cell | None = None

    def fail(self, cell: Cell | None, message: str, field: str | None = None) -> InputError:
        return InputError(
            message,
            file=self.name,
            line=cell.row if cell else None,
            column=cell.column if cell else None,
            field=field,
            cell=cell.ref if cell else None,
        )

    def read(self) -> Source:
        known = [s.name for s in sheets()]
        for title in self.values.sheetnames:
            if title != COVER and title not in known:
                hint = difflib.get_close_matches(title, known, n=1)
                raise self.fail(
                    Cell(title, 1, 1),
                    f"unknown sheet {title!r}" + (f"; did you mean {hint[0]!r}?" if hint else ""),
                )
        # The Programme sheet first: it holds the currency every amount is in.
        order = sorted(sheets(), key=lambda s: s.name != "Programme")
        for sheet in order:
            if sheet.name in self.values.sheetnames:
                self._merged(sheet)
                if isinstance(sheet, Form):
                    self._form(sheet)
                else:
                    self._table(sheet)
        if self.currency_cell is not None:
            self.cells.setdefault("", Cell("Programme", 1, 1))
        first = Cell(next((s for s in self.values.sheetnames if s != COVER), COVER), 1, 1)
        return Source(path=self.name, data=self.data, root=CellMap(self.cells, first, self._notes()))

    def _notes(self) -> dict[str, str]:
        """Notes on the cells of values (not on headings), by the deepest pointer of the cell."""
        owner: dict[Cell, str] = {}
        for pointer, cell in self.cells.items():
            if len(pointer) > len(owner.get(cell, "")):
                owner[cell] = pointer
        notes: dict[str, str] = {}
        for title in self.values.sheetnames:
            for row in self.values[title].iter_rows(min_row=2):
                for cell in row:
                    found = owner.get(Cell(title, cell.row, cell.column)) if cell.comment else None
                    if found is not None:
                        notes[found] = cell.comment.text.strip()
        return notes

    def _value(self, sheet: str, row: int, column: int) -> Any:
        """A cell's value: what was typed, or the value its formula last calculated."""
        value = self.values[sheet].cell(row, column).value
        if self.formulas[sheet].cell(row, column).data_type == "f" and value is None:
            raise self.fail(
                Cell(sheet, row, column),
                "a formula with no calculated value; open and save the workbook in a spreadsheet program",
            )
        return value

    def _merged(self, sheet: Form | Table) -> None:
        for merged in self.values[sheet.name].merged_cells.ranges:
            if isinstance(sheet, Table) or merged.min_col <= 2:
                raise self.fail(
                    Cell(sheet.name, merged.min_row, merged.min_col),
                    f"merged cells over data ({merged.coord}); unmerge them",
                )

    # -- forms: a row per field ------------------------------------------------------------

    def _form(self, form: Form) -> None:
        ws = self.values[form.name]
        by_label = {_norm(leaf.label): leaf for leaf in form.leaves} | {
            leaf.key: leaf for leaf in form.leaves
        }
        rows: dict[str, int] = {}
        for row in range(2, ws.max_row + 1):
            label, value = self._value(form.name, row, 1), self._value(form.name, row, 2)
            if is_blank(label):
                if not is_blank(value):
                    raise self.fail(Cell(form.name, row, 2), "a value with no field name in column A")
                continue
            text = str(label).strip()
            if form.name == "Programme" and _norm(text) == _norm(CURRENCY_LABEL):
                self.currency_cell = Cell(form.name, row, 2)
                self.currency = None if is_blank(value) else str(value).strip()
                continue
            leaf = by_label.get(_norm(text)) or by_label.get(text)
            if leaf is None:
                labels = [leaf.label for leaf in form.leaves]
                hint = difflib.get_close_matches(text, labels, n=1, cutoff=0.5)
                raise self.fail(
                    Cell(form.name, row, 1),
                    f"unknown field {text!r} on the {form.name} sheet"
                    + (f"; did you mean {hint[0]!r}?" if hint else ""),
                )
            if leaf.key in rows:
                raise self.fail(Cell(form.name, row, 1), f"{text!r} is also in row {rows[leaf.key]}")
            rows[leaf.key] = row
            cell = Cell(form.name, row, 2)
            self.cells["/" + "/".join(leaf.path)] = cell
            if leaf.null_path:
                self.cells.setdefault("/" + "/".join(leaf.null_path), cell)
        for section in form.paths:
            pointer = "/" + section.replace(".", "/")
            first = next((self.cells[p] for p in self.cells if p.startswith(f"{pointer}/")), None)
            if first is not None:
                self.cells.setdefault(pointer, first)
        values = {
            leaf.key: self._value(form.name, rows[leaf.key], 2) for leaf in form.leaves if leaf.key in rows
        }
        self._assign(self.data, form.leaves, values, {k: Cell(form.name, r, 2) for k, r in rows.items()}, "")

    # -- tables: a row per item --------------------------------------------------------------

    def _table(self, table: Table) -> None:
        ws = self.values[table.name]
        columns = self._columns(table, ws.max_column)
        if not columns:
            return  # an empty sheet: the list is not described
        owner_pointer = "/" + "/".join(table.path) if not table.parent else None
        if owner_pointer:
            self.cells[owner_pointer] = Cell(table.name, 1, 1)
        items: list[tuple[int, Any, dict[str, Any] | None, dict[str, Cell]]] = []
        empty_row: int | None = None
        key_rows: dict[Any, int] = {}
        key_col = next(c for c, leaf in columns.items() if leaf is table.leaves[0])
        parent_col = next((c for c, leaf in columns.items() if leaf is None), None)
        for row in range(2, ws.max_row + 1):
            raw = {c: self._value(table.name, row, c) for c in columns}
            if all(is_blank(v) for v in raw.values()):
                continue
            parent_key = None
            if parent_col is not None:
                parent_key = raw[parent_col]
                if is_blank(parent_key):
                    raise self.fail(
                        Cell(table.name, row, parent_col), "a row with no key: which item it belongs to"
                    )
            filled = [c for c, v in raw.items() if not is_blank(v) and c != parent_col]
            marker = raw[key_col]
            if filled == [key_col] and says_not_in_place(marker):
                if parent_col is None:
                    empty_row = row
                else:
                    items.append((row, parent_key, None, {}))
                continue
            if is_blank(marker):
                label = table.leaves[0].label
                raise self.fail(Cell(table.name, row, key_col), f"a row with no key: {label} is blank")
            if table.key:
                key_leaf_col = next(
                    c for c, leaf in columns.items() if leaf is not None and leaf.key == table.key
                )
                key = _hashable(raw[key_leaf_col])
                if key in key_rows:
                    raise self.fail(
                        Cell(table.name, row, key_leaf_col),
                        f"duplicate ID {raw[key_leaf_col]!s}: also in row {key_rows[key]}; "
                        "rows of other sheets name this one by it",
                    )
                key_rows[key] = row
            values = {leaf.key: raw[c] for c, leaf in columns.items() if leaf is not None}
            where = {leaf.key: Cell(table.name, row, c) for c, leaf in columns.items() if leaf is not None}
            items.append((row, parent_key, values, where))
        if empty_row is not None and items:
            raise self.fail(
                Cell(table.name, empty_row, 1), f"'{NOT_IN_PLACE}' says there are none, but rows are given"
            )
        if table.parent:
            self._nested(table, items)
            return
        if empty_row is None and not items:
            return
        lst: list[Any] = []
        _set(self.data, table.path, lst)
        self._fill(table, lst, items, owner_pointer or "")

    def _fill(self, table: Table, lst: list[Any], items: list[Any], pointer: str) -> None:
        for row, _, values, where in items:
            if values is None:  # "not in place": the list is empty
                continue
            item: dict[str, Any] = {}
            base = f"{pointer}/{len(lst)}"
            self.cells[base] = Cell(table.name, row, 1)
            self._assign(item, table.leaves, values, where, base)
            lst.append(item)

    def _nested(self, table: Table, items: list[Any]) -> None:
        parent = sheet_named(table.parent or "")
        assert isinstance(parent, Table) and parent.key
        owners = {
            _hashable(item.get(parent.key)): (pointer, item) for pointer, item in self._items_of(parent)
        }
        grouped: dict[Any, list[Any]] = {}
        for entry in items:
            row, key, _, _ = entry
            found = owners.get(_hashable(self._key_value(parent, key)))
            if found is None:
                raise self.fail(
                    Cell(table.name, row, 1), f"no row of the {parent.name} sheet has {parent.key} {key!s}"
                )
            grouped.setdefault(id(found[1]), [found]).append(entry)
        for (pointer, item), *entries in grouped.values():
            lst: list[Any] = []
            item[table.path[-1]] = lst
            self._fill(table, lst, entries, f"{pointer}/{table.path[-1]}")

    def _key_value(self, parent: Table, key: Any) -> Any:
        leaf = next(leaf for leaf in parent.leaves if leaf.key == parent.key)
        try:
            return from_cell(leaf, key, self.currency)
        except CellProblem:
            return key

    def _items_of(self, table: Table) -> Iterator[tuple[str, dict[str, Any]]]:
        if table.parent is None:
            lst = _get(self.data, table.path) or []
            for i, item in enumerate(lst):
                yield f"/{'/'.join(table.path)}/{i}", item
            return
        parent = sheet_named(table.parent)
        assert isinstance(parent, Table)
        for pointer, owner in self._items_of(parent):
            for i, item in enumerate(owner.get(table.path[-1], [])):
                yield f"{pointer}/{table.path[-1]}/{i}", item

    def _columns(self, table: Table, width: int) -> dict[int, Leaf | None]:
        by_label = {_norm(header(leaf, "")): leaf for leaf in table.leaves} | {
            leaf.key: leaf for leaf in table.leaves
        }
        parent_heading = _norm(parent_label(table)) if table.parent else None
        columns: dict[int, Leaf | None] = {}
        seen: dict[str, int] = {}
        for c in range(1, width + 1):
            label = self._value(table.name, 1, c)
            if is_blank(label):
                continue
            text = str(label).strip()
            if parent_heading is not None and _norm(text) == parent_heading:
                columns[c] = None
                continue
            leaf = by_label.get(_norm(text)) or by_label.get(text)
            if leaf is None:
                labels = [leaf.label for leaf in table.leaves]
                hint = difflib.get_close_matches(_strip_unit(text), labels, n=1, cutoff=0.5)
                raise self.fail(
                    Cell(table.name, 1, c),
                    f"unknown column {text!r} on the {table.name} sheet"
                    + (f"; did you mean {hint[0]!r}?" if hint else ""),
                )
            if leaf.key in seen:
                raise self.fail(Cell(table.name, 1, c), f"column {text!r} is also column {seen[leaf.key]}")
            seen[leaf.key] = c
            columns[c] = leaf
        if table.parent and None not in columns.values():
            raise self.fail(
                Cell(table.name, 1, 1), f"no {parent_label(table)!r} column: rows cannot be placed"
            )
        first = table.leaves[0]
        if first.key not in seen and columns:
            raise self.fail(Cell(table.name, 1, 1), f"no {first.label!r} column: it names each row")
        for c in range(1, width + 1):
            if c not in columns and any(
                not is_blank(self._value(table.name, r, c))
                for r in range(2, self.values[table.name].max_row + 1)
            ):
                raise self.fail(Cell(table.name, 1, c), "a column with values but no heading")
        return columns

    # -- values --------------------------------------------------------------------------

    def _assign(
        self,
        target: dict[str, Any],
        leaves: tuple[Leaf, ...],
        values: dict[str, Any],
        where: dict[str, Cell],
        base: str,
    ) -> None:
        nulled: dict[tuple[str, ...], Leaf] = {}
        for leaf in leaves:
            if leaf.key not in values or is_blank(values[leaf.key]):
                continue
            cell = where[leaf.key]
            pointer = f"{base}/{'/'.join(leaf.path)}"
            self.cells[pointer] = cell
            if inside := next((p for p in nulled if leaf.path[: len(p)] == p), None):
                raise self.fail(
                    cell,
                    f"{nulled[inside].label} says {'/'.join(inside)} is {NOT_IN_PLACE!r}, but this is given",
                    field=_field(pointer),
                )
            try:
                value = from_cell(leaf, values[leaf.key], self.currency)
            except CellProblem as exc:
                raise self.fail(cell, str(exc), field=_field(pointer)) from None
            if value is None and leaf.null_path:
                nulled[leaf.null_path] = leaf
                _set(target, leaf.null_path, None)
                continue
            _set(target, leaf.path, value)
            if leaf.kind == "money" and self.currency_cell is not None:
                self.cells[f"{pointer}/currency"] = self.currency_cell


def _set(target: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    for key in path[:-1]:
        nxt = target.get(key)
        if not isinstance(nxt, dict):
            nxt = target[key] = {}
        target = nxt
    target[path[-1]] = value


def _get(data: dict[str, Any], path: tuple[str, ...]) -> Any:
    for key in path:
        if not isinstance(data, dict):
            return None
        data = data.get(key)  # type: ignore[assignment]
    return data


def _hashable(value: Any) -> Any:
    return value.strip().lower() if isinstance(value, str) else value


def _strip_unit(text: str) -> str:
    return re.sub(r"\s*\([^)]*\)\s*$", "", text)


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", _strip_unit(text).lower()).strip()


def _field(pointer: str) -> str:
    return ".".join(p for p in pointer.split("/") if p)
