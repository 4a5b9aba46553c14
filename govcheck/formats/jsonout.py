"""The JSON report: a contract other tools read (see the README).

Always a list, one entry per file in input order, whatever the command and however many
files: a report, or `{"programme": {"source"}, "error": {...}}` for a file that could not be
checked. Entries are written as they arrive; the document is byte for byte what
`json.dumps(entries, indent=2, ensure_ascii=False)` would give, plus a final newline.
"""

from __future__ import annotations

import json
from typing import Any, TextIO

from govcheck.formats import Format
from govcheck.formats.stream import Meta, Summary
from govcheck.report import FileError, Finding, Outcome, Report


def finding_json(f: Finding) -> dict[str, Any]:
    out: dict[str, Any] = {
        "rule_id": f.rule_id,
        "title": f.title,
        "severity": f.severity.value,
        "category": f.category,
        "message": f.message,
        "recommendation": f.recommendation,
        "references": list(f.references),
        "evidence": f.evidence,
        "location": f.location.model_dump(),
    }
    if f.suppression is not None:
        out["suppressed"] = f.suppression.model_dump()
    return out


def report_json(r: Report | FileError) -> dict[str, Any]:
    if isinstance(r, FileError):
        return {
            "programme": {"source": r.source},
            "error": {
                "message": r.message,
                "line": r.line,
                "column": r.column,
                "field": r.field,
                "text": r.text,
            },
        }
    return {
        "govcheck_version": r.govcheck_version,
        "programme": r.programme.model_dump(),
        "rating": r.rating.conclusion,
        "rating_because": list(r.rating.because),
        "value_for_money": {
            "conclusion": r.value_for_money.conclusion,
            "because": list(r.value_for_money.because),
        },
        "findings": [finding_json(f) for f in r.findings],
        "summary": {"by_severity": r.by_severity(), "suppressed": r.suppressed},
    }


def dumps(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)


def indented(value: Any, level: int, *, sort_keys: bool = False) -> str:
    """`value` as indented JSON, to sit `level` levels deep in a larger indented document."""
    text = json.dumps(value, indent=2, ensure_ascii=False, sort_keys=sort_keys)
    # JSON strings never hold a raw newline, so every newline here is layout.
    return text.replace("\n", "\n" + "  " * level)


class ArrayWriter:
    """A JSON array written one item at a time, laid out as json.dumps(indent=2) lays it out."""

    def __init__(self, out: TextIO, level: int = 0, *, sort_keys: bool = False) -> None:
        self.out = out
        self.level = level
        self.sort_keys = sort_keys
        self.count = 0

    def open(self) -> None:
        self.out.write("[")

    def item(self, value: Any) -> None:
        pad = "  " * (self.level + 1)
        self.out.write(("\n" if self.count == 0 else ",\n") + pad)
        self.out.write(indented(value, self.level + 1, sort_keys=self.sort_keys))
        self.count += 1

    def close(self) -> None:
        self.out.write("\n" + "  " * self.level + "]" if self.count else "]")


class JsonWriter:
    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.array = ArrayWriter(out)

    def start(self, meta: Meta) -> None:
        self.array.open()

    def outcome(self, outcome: Outcome) -> None:
        self.array.item(report_json(outcome))

    def finish(self, summary: Summary) -> None:
        self.array.close()
        self.out.write("\n")


FORMAT = Format(name="json", writer=JsonWriter, suffix=".json")
