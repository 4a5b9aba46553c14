"""GitLab Code Quality: a JSON array of issues, shown in merge requests and pipelines.

Active findings only: GitLab has no notion of a waived issue, and a waiver means it should not
be raised again. A file that could not be checked is a blocker issue, so it cannot look clean.
Fingerprints are the stable ones SARIF uses: GitLab compares them between the source and target
branches to tell new issues from old, so they must not change when unrelated lines move.

Severities follow the run's verdict: the active findings at or above `--fail-on` are
`critical` (`blocker` for critical ones); the rest are `major` (medium and high), `minor`
(low) or `info`. Issues are written as they arrive.
"""

from __future__ import annotations

from typing import Any

from govcheck.formats import Format
from govcheck.formats.fingerprint import FILE_ERROR, error_fingerprint, posix_path, report_fingerprints
from govcheck.formats.jsontext import ArrayWriter
from govcheck.formats.stream import Meta, Out, Summary, fails, reported
from govcheck.report import FileError, Finding, Outcome
from govcheck.rule import Severity

NOT_FAILING = {
    Severity.info: "info",
    Severity.low: "minor",
    Severity.medium: "major",
    Severity.high: "major",
    Severity.critical: "major",
}


def severity(f: Finding, fail_on: Severity) -> str:
    if fails(f, fail_on):
        return "blocker" if f.severity is Severity.critical else "critical"
    return NOT_FAILING[f.severity]


def issue_json(f: Finding, fingerprint: str, fail_on: Severity = Severity.high) -> dict[str, Any]:
    return {
        "type": "issue",
        "check_name": f.rule_id,
        "description": f.message,
        "content": {"body": f"**{f.title}.** {f.recommendation}"},
        "fingerprint": fingerprint,
        "severity": severity(f, fail_on),
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


class GitlabWriter:
    def __init__(self, out: Out) -> None:
        self.out = out
        self.array = ArrayWriter(out, sort_keys=True)
        self.fail_on = Severity.high

    def start(self, meta: Meta) -> None:
        self.fail_on = meta.fail_on
        self.array.open()

    def outcome(self, outcome: Outcome) -> None:
        if isinstance(outcome, FileError):
            self.array.item(error_json(outcome))
            return
        shown = set(map(id, reported(outcome, self.fail_on)))
        for f, fp in zip((*outcome.findings, *outcome.gaps), report_fingerprints(outcome), strict=True):
            if f.active and id(f) in shown:
                self.array.item(issue_json(f, fp, self.fail_on))

    def finish(self, summary: Summary) -> None:
        self.array.close()
        self.out.write("\n")


FORMAT = Format(name="gitlab", writer=GitlabWriter, suffix=".json")
