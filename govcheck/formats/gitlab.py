"""GitLab Code Quality: a JSON array of issues, shown in merge requests and pipelines.

Active findings only: GitLab has no notion of a waived issue, and a waiver means it should not
be raised again. A file that could not be checked is a blocker issue, so it cannot look clean.
Fingerprints are the stable ones SARIF uses: GitLab compares them between the source and target
branches to tell new issues from old, so they must not change when unrelated lines move.

Each issue has its finding's own severity, whatever `--fail-on` is (the job's exit code carries
the verdict): critical is `blocker`, high `critical`, medium `major`, low `minor`, info `info`.
Evidence gaps are listed when they fail the run. Issues are written as they arrive. In a
workbook, `lines.begin` is the cell's row and the description opens with the sheet and cell
(`Costs!C4: ...`); a file error's description is its error line, which names the cell already.
"""

from __future__ import annotations

from typing import Any

from govcheck.formats import Format
from govcheck.formats.fingerprint import FILE_ERROR, error_fingerprint, posix_path, report_fingerprints
from govcheck.formats.jsontext import ArrayWriter
from govcheck.formats.stream import Meta, Out, Summary, reported
from govcheck.report import FileError, Finding, Outcome
from govcheck.rule import Severity

SEVERITY = {
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
        "description": f"{f.location.cell}: {f.message}" if f.location.cell else f.message,
        "content": {"body": f"**{f.title}.** {f.recommendation}"},
        "fingerprint": fingerprint,
        "severity": SEVERITY[f.severity],
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
                self.array.item(issue_json(f, fp))

    def finish(self, summary: Summary) -> None:
        self.array.close()
        self.out.write("\n")


FORMAT = Format(name="gitlab", writer=GitlabWriter, suffix=".json")
