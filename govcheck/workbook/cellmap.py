"""Where each value of a workbook description is: its sheet and cell."""

from __future__ import annotations

import re
from dataclasses import dataclass

from govcheck.yamlsource import Span


@dataclass(frozen=True, slots=True)
class Cell:
    sheet: str
    row: int
    column: int

    @property
    def ref(self) -> str:
        from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

        name = f"'{self.sheet}'" if re.search(r"[^A-Za-z0-9_]", self.sheet) else self.sheet
        return f"{name}!{get_column_letter(self.column)}{self.row}"

    def span(self) -> Span:
        return Span(self.row, self.column, self.row, self.column + 1, self.ref)


@dataclass(frozen=True, slots=True)
class CellMap:
    """Where each value of the description is: JSON pointer -> cell."""

    cells: dict[str, Cell]
    first: Cell
    notes: dict[str, str]  # the notes on its cells, by the pointer of the value they annotate

    def locate(self, pointer: str) -> tuple[str, Span]:
        """The cell of `pointer`, or of its nearest enclosing value that has one."""
        found = pointer
        while found and found not in self.cells:
            found = found.rpartition("/")[0]
        return found, self.cells.get(found, self.first).span()
