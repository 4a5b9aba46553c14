"""What a workbook cell means, told where the board types: the input message on every cell,
the drop-down of every closed vocabulary, and the checks a spreadsheet program makes as
values are typed (dates in range, whole numbers, shares from 0 to 1)."""

from __future__ import annotations

from typing import Any

from openpyxl.worksheet.datavalidation import DataValidation  # type: ignore[import-untyped]
from openpyxl.worksheet.worksheet import Worksheet  # type: ignore[import-untyped]

from govcheck.model import EARLIEST, LATEST
from govcheck.workbook.fields import Leaf
from govcheck.workbook.layout import CURRENCY_LABEL, DEFAULT_CURRENCY, NOT_IN_PLACE, Table, sheet_named


def meaning(leaf: Leaf | None, currency: str, table: Table | None = None) -> str:
    if leaf is None:
        if table is None:
            return (
                f"The currency of every amount in the workbook, an ISO 4217 code such as {DEFAULT_CURRENCY}."
            )
        parent = sheet_named(table.parent or "")
        return f"Which of the {parent.name if parent else ''} rows this row belongs to, by its key."
    words = [leaf.description.rstrip(".") + "." if leaf.description else ""]
    words.append(_example(leaf, currency))
    if leaf.required and len(leaf.path) == 1:
        words.append("Required.")
    elif leaf.required:
        words.append(f"Required if any {_label_of(leaf.path[-2])} field is given.")
    if leaf.null_path:
        words.append(f"Write '{NOT_IN_PLACE}' if there is no {_label_of(leaf.null_path[-1])}.")
    elif leaf.nullable:
        words.append(
            f"Write '{NOT_IN_PLACE}' if there is none."
            if leaf.kind != "lines"
            else f"'{NOT_IN_PLACE}' if there are none."
        )
    if not leaf.required:
        words.append("Blank: not described.")
    return " ".join(w for w in words if w)


def _label_of(key: str) -> str:
    return " ".join(key.split("_")).replace("sro", "SRO")


def _example(leaf: Leaf, currency: str) -> str:
    if leaf.kind == "choice":
        return "One of: " + ", ".join(leaf.choices) + "."
    if leaf.kind == "lines":
        return "One per line (Alt+Enter)" + (": " + ", ".join(leaf.choices) if leaf.choices else "") + "."
    return {
        "date": "A date, e.g. 2026-03-31.",
        "money": f"An amount in {currency}, e.g. 1500000.",
        "int": "A whole number, e.g. 12.",
        "number": "A share, e.g. 25%." if leaf.share else "A number, e.g. 95.",
        "bool": "yes or no.",
        "text": "",
    }[leaf.kind]


def validate(ws: Worksheet, leaf: Leaf, ref: str, currency: str) -> None:
    extra = [NOT_IN_PLACE] if leaf.nullable else []
    strict = not leaf.nullable
    kwargs: dict[str, Any]
    if leaf.kind == "choice":
        kwargs = {"type": "list", "formula1": _choices([*leaf.choices, *extra])}
        strict = True
    elif leaf.kind == "bool":
        kwargs = {"type": "list", "formula1": _choices(["yes", "no", *extra])}
        strict = True
    elif leaf.kind == "date":
        first, last = (f"DATE({d.year},{d.month},{d.day})" for d in (EARLIEST, LATEST))
        kwargs = {"type": "date", "operator": "between", "formula1": first, "formula2": last}
    elif leaf.kind == "int":
        kwargs = {"type": "whole", "operator": "between", "formula1": "0", "formula2": "10000000"}
    elif leaf.kind == "money" or leaf.share:
        kwargs = {
            "type": "decimal",
            "operator": "between",
            "formula1": "0",
            "formula2": "1" if leaf.share else "1E+12",
        }
    elif leaf.kind == "number":
        kwargs = {"type": "decimal", "operator": "between", "formula1": "-1E+12", "formula2": "1E+12"}
    else:
        kwargs = {}
    dv = DataValidation(
        allow_blank=True,
        showInputMessage=True,
        promptTitle=leaf.label[:32],
        prompt=meaning(leaf, currency)[:255],
        showErrorMessage=bool(kwargs),
        errorStyle="stop" if strict else "warning",
        errorTitle=leaf.label[:32],
        error=_example(leaf, currency)[:255] or "Not a value this field takes.",
        **kwargs,
    )
    dv.add(ref)
    ws.add_data_validation(dv)


def validate_currency(ws: Worksheet, ref: str) -> None:
    dv = DataValidation(type="textLength", operator="equal", formula1="3", allow_blank=True,
                        showErrorMessage=True, error="An ISO 4217 code: three capital letters, e.g. GBP.",
                        showInputMessage=True, promptTitle=CURRENCY_LABEL,
                        prompt=meaning(None, DEFAULT_CURRENCY))  # fmt: skip
    dv.add(ref)
    ws.add_data_validation(dv)


def _choices(values: list[str]) -> str:
    text = ",".join(values)
    assert len(text) <= 255 and '"' not in text, text  # Excel's limit for a list written inline
    return f'"{text}"'
