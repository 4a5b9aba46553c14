"""The portfolio as CSV, for spreadsheets: one row per file, in input order, written as it arrives.

A file that could not be checked is a row with only its source and its error. Cells that a
spreadsheet would run as a formula are prefixed with a quote (OWASP CSV injection guidance).
"""

from __future__ import annotations

import csv
from typing import Any

from govcheck.formats import Format
from govcheck.formats.stream import Meta, Out, Summary
from govcheck.portfolio import row
from govcheck.report import FileError, Outcome
from govcheck.templating import printable

COLUMNS = (
    "source",
    "id",
    "name",
    "department",
    "rating",
    "value_for_money",
    "critical",
    "high",
    "medium",
    "low",
    "info",
    "worst",
    "error",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> str:
    """Text a spreadsheet will not run as a formula, with control characters made inert."""
    text = printable(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


class CsvWriter:
    def __init__(self, out: Out) -> None:
        self.csv = csv.writer(out, lineterminator="\n")

    def start(self, meta: Meta) -> None:
        self.csv.writerow(COLUMNS)

    def outcome(self, outcome: Outcome) -> None:
        if isinstance(outcome, FileError):
            cells = {"source": outcome.source, "error": outcome.text}
            self.csv.writerow([csv_cell(cells.get(c, "")) for c in COLUMNS])
        else:
            r = row(outcome)
            self.csv.writerow([csv_cell(getattr(r, c)) for c in COLUMNS])

    def finish(self, summary: Summary) -> None:
        pass


FORMAT = Format(name="csv", writer=CsvWriter, suffix=".csv")
