"""One value of a description as a workbook cell, and back.

A blank cell is *not described*. `not in place` (or `none`) is `null`, or `[]` for a list,
where the field allows it; `no` is `false`. Dates are date cells and numbers number cells:
text that looks like one is refused with a message saying so, so that what the board typed is
what is checked.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from govcheck.workbook.fields import Leaf
from govcheck.workbook.layout import NOT_IN_PLACE

_NULLS = {NOT_IN_PLACE, "none"}
_TRUE = {"yes", "true"}
_FALSE = {"no", "false"}


class CellProblem(ValueError):
    """A cell that cannot be read as its field's kind; the message is for the user."""


def to_cell(leaf: Leaf, value: Any) -> Any:
    """The cell value that stands for `value` (a description's plain data) in `leaf`'s cell."""
    if value is None:
        return NOT_IN_PLACE
    if leaf.kind == "money":
        return value["amount"] if isinstance(value, dict) else value
    if leaf.kind == "lines":
        return "\n".join(str(v) for v in value) if value else NOT_IN_PLACE
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value


def from_cell(leaf: Leaf, value: Any, currency: str | None) -> Any:
    """The description's value for a cell, which is not blank (see `is_blank`)."""
    text = value.strip() if isinstance(value, str) else None
    if says_not_in_place(value) and leaf.nullable and text not in leaf.choices:
        return [] if leaf.kind == "lines" else None
    kind = leaf.kind
    if kind == "lines":
        lines = [line.strip() for line in str(value).splitlines()]
        return [line for line in lines if line]
    if kind == "bool":
        if isinstance(value, bool):
            return value
        if text is not None and text.lower() in _TRUE | _FALSE:
            return text.lower() in _TRUE
        raise CellProblem(f"expected yes or no, found {_show(value)}")
    if kind == "date":
        if isinstance(value, dt.datetime):
            if value.time() != dt.time(0):
                raise CellProblem(f"expected a date, found a date and time ({value.isoformat(sep=' ')})")
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            raise CellProblem(f"a date typed as text ({_show(value)}); enter it as a date, e.g. 2026-03-31")
        raise CellProblem(f"expected a date, found {_show(value)}")
    if kind in ("int", "number", "money"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise CellProblem(f"text in a number column ({_show(value)}); enter a number")
        number: int | float = int(value) if isinstance(value, float) and value.is_integer() else value
        if kind == "int" and isinstance(number, float):
            raise CellProblem(f"expected a whole number, found {value}")
        if kind == "money":
            if not currency:
                raise CellProblem("an amount of money, but the workbook gives no currency (Programme sheet)")
            return {"amount": number, "currency": currency}
        return number
    if isinstance(value, (dt.date, dt.datetime)):
        raise CellProblem(f"expected text, found a date ({value.isoformat()})")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value if isinstance(value, str) else str(value)


def says_not_in_place(value: Any) -> bool:
    return isinstance(value, str) and value.strip().lower() in _NULLS


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _show(value: Any) -> str:
    text = str(value)
    return repr(text if len(text) <= 40 else f"{text[:39]}…")
