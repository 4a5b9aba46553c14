"""GitLab Code Quality: a JSON array of issues, shown in merge requests and pipelines.

Active findings only: GitLab has no notion of a waived issue, and a waiver means it should not
be raised again. A file that could not be checked is a blocker issue, so it cannot look clean.
Fingerprints are the stable ones SARIF uses: GitLab compares them between the source and target
branches to tell new issues from old, so they must not change when unrelated lines move.
"""

from __future__ import annotations

import json
from typing import Any

from govcheck.formats import Format
from govcheck.formats.fingerprint import FILE_ERROR, error_fingerprint, posix_path, report_fingerprints
from govcheck.report import FileError, Finding, Run
from govcheck.rule import Severity

SEVERITIES = {
    Severity.info: "info",
    Severity.low: "minor",
    Severity.medium: "major",
    Severity.high: "critical",
    Severity.critical: "blocker",
}


def issue_json(f: Finding, fingerprint: str) -> dict[str, Any]:
    return {
        "type": "issue",
        "check_name": f.rule_id,
        "description": f.message,
        "content": {"body": f"**{f.title}.** {f.recommendation}"},
        "fingerprint": fingerprint,
        "severity": SEVERITIES[f.severity],
        "location": {
            "path": posix_path(f.location.file),
            "lines": {"begin": f.location.line, "end": f.location.end_line},
        },
    }


def error_json(e: FileError) -> dict[str, Any]:
    return {
        "type": "issue",
        "check_name": FILE_ERROR,
        "description": e.text,
        "fingerprint": error_fingerprint(e),
        "severity": "blocker",
        "location": {"path": posix_path(e.source), "lines": {"begin": e.line or 1}},
    }


def issues(run: Run) -> list[dict[str, Any]]:
    out = []
    for o in run.outcomes:
        if isinstance(o, FileError):
            out.append(error_json(o))
            continue
        out.extend(
            issue_json(f, fp) for f, fp in zip(o.findings, report_fingerprints(o), strict=True) if f.active
        )
    return out


def _context(run: Run) -> dict[str, Any]:
    return {"document": json.dumps(issues(run), indent=2, ensure_ascii=False, sort_keys=True)}


FORMAT = Format(name="gitlab", template="gitlab.json.j2", context=_context, suffix=".json")
