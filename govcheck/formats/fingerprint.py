"""Stable identities for findings, shared by the CI formats (SARIF, GitLab Code Quality).

A fingerprint hashes what a finding is about, not where it happens to sit: the file, the rule,
the JSON pointer of the field concerned and the programme's id. Line and column numbers are left
out on purpose, so a finding keeps its identity when unrelated lines are added or removed above
it, and CI systems can tell a new finding from one they have already seen.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import PurePath

from govcheck.report import FileError, Report

VERSION = "govcheck/v1"
FILE_ERROR = "file-error"


def posix_path(file: str) -> str:
    """A path as CI systems want it: forward slashes, as the finding gives it otherwise."""
    return PurePath(file).as_posix() if file else file


def fingerprint(file: str, rule_id: str, pointer: str, programme_id: str) -> str:
    """The stable identity of one finding: a SHA-256 hex digest of what it is about."""
    key = json.dumps(
        [VERSION, posix_path(file), rule_id, pointer, programme_id], ensure_ascii=False, separators=(",", ":")
    )
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def report_fingerprints(report: Report) -> list[str]:
    """The fingerprints of a report's findings, then of its evidence gaps, in order.

    One rule fires at most once per programme, but internal errors share a rule id and pointer;
    a repeat gets its occurrence number added so every finding keeps a distinct fingerprint.
    """
    seen: dict[str, int] = {}
    out = []
    for f in (*report.findings, *report.gaps):
        base = fingerprint(f.location.file, f.rule_id, f.location.path, report.programme.id)
        n = seen.get(base, 0)
        seen[base] = n + 1
        out.append(
            base
            if n == 0
            else fingerprint(f.location.file, f.rule_id, f"{f.location.path}#{n + 1}", report.programme.id)
        )
    return out


def error_fingerprint(error: FileError) -> str:
    """A file that could not be checked: stable while it fails the same way at the same field."""
    return fingerprint(error.source, FILE_ERROR, error.field or "", "")
