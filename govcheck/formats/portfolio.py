"""Portfolio formats: a terminal summary table, CSV for spreadsheets, and JSON for tools."""

from __future__ import annotations

import csv
import io
from typing import Any

from govcheck.formats import Format
from govcheck.formats.jsonout import dumps
from govcheck.portfolio import summary
from govcheck.report import Run

CSV_COLUMNS = (
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
    """Text a spreadsheet will not run as a formula (OWASP CSV injection guidance)."""
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _csv(run: Run) -> dict[str, Any]:
    data = summary(run)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for r in data["rows"]:
        writer.writerow([csv_cell(getattr(r, c)) for c in CSV_COLUMNS])
    for e in data["errors"]:
        writer.writerow([csv_cell(e.source), "", "", "", "", "", "", "", "", "", "", "", csv_cell(e.text)])
    return {"document": buffer.getvalue()}


def _json(run: Run) -> dict[str, Any]:
    data = summary(run)
    document = {
        "govcheck_version": run.govcheck_version,
        "programmes": [r.model_dump() for r in data["rows"]],
        "errors": [{"source": e.source, "error": e.text} for e in data["errors"]],
        "ratings": data["ratings"],
        "failing_categories": dict(data["failing_categories"]),
        "fail_on": data["threshold"],
    }
    return {"document": dumps(document)}


def _terminal(run: Run) -> dict[str, Any]:
    data = summary(run)
    from govcheck.formats.terminal import RATING_STYLE, SEVERITY_STYLE

    width = max([len(r.name) for r in data["rows"]] + [9])
    return {**data, "rating_style": RATING_STYLE, "severity_style": SEVERITY_STYLE, "width": min(width, 48)}


CSV = Format(name="csv", template="document.j2", context=_csv, suffix=".csv")
JSON = Format(name="portfolio-json", template="document.j2", context=_json, suffix=".json")
TERMINAL = Format(name="portfolio", template="portfolio.j2", context=_terminal, suffix=".txt")
