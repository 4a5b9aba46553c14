"""The JSON report: a contract other tools read (see the README).

Always a list, one entry per file in input order, whatever the command and however many
files: a report, or `{"programme": {"source"}, "error": {...}}` for a file that could not be
checked. Entries are written as they arrive, laid out as
`json.dumps(entries, indent=2, ensure_ascii=False)` lays them out, with DEL and the C1
control characters escaped, plus a final newline.
"""

from __future__ import annotations

from typing import Any

from govcheck.formats import Format
from govcheck.formats.jsontext import ArrayWriter
from govcheck.formats.stream import Meta, Out, Summary
from govcheck.report import Conclusion, FileError, Finding, Outcome, Report
from govcheck.vocab import rating_gap


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
    if f.accepted is not None:
        out["accepted"] = f.accepted.model_dump()
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
                "cell": r.cell,
                "text": r.text,
            },
        }
    return {
        "govcheck_version": r.govcheck_version,
        "programme": r.programme.model_dump(),
        "rating": r.rating.conclusion,
        "rating_because": list(r.rating.because),
        "rating_basis": _basis(r.rating),
        "rating_figures": r.rating.figures,
        "rating_not_described": list(r.rating.not_described),
        "ratings_beside": [
            {**ref.model_dump(), "gap": rating_gap(ref.rating, r.rating.conclusion)}
            for ref in r.programme.reference_ratings
        ],
        "value_for_money": {
            "conclusion": r.value_for_money.conclusion,
            "basis": _basis(r.value_for_money),
            "because": list(r.value_for_money.because),
            "figures": r.value_for_money.figures,
            "not_described": list(r.value_for_money.not_described),
        },
        "findings": [finding_json(f) for f in r.findings],
        "gaps": [finding_json(g) for g in r.gaps],
        "act_first": list(r.act_first),
        "readiness": r.readiness.model_dump(mode="json") if r.readiness else None,
        "review_progress": r.review_progress.model_dump(mode="json") if r.review_progress else None,
        "since": r.since.model_dump(mode="json") if r.since else None,
        "schedule": r.schedule.model_dump(mode="json") if r.schedule else None,
        "summary": {"by_severity": r.by_severity(), "suppressed": r.suppressed},
    }


def _basis(c: Conclusion) -> dict[str, str]:
    return {"kind": c.basis, "strength": c.strength, "rests_on": c.rests_on}


class JsonWriter:
    def __init__(self, out: Out) -> None:
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
