"""SARIF 2.1.0, for code-scanning tools (GitHub code scanning, Azure DevOps, IDE viewers).

One SARIF run per govcheck run: the rule catalogue as the driver's rules, one result per finding
(waived and baselined ones carry a suppression), and files that could not be checked as
tool execution notifications.

Levels follow the run's verdict: `error` for exactly the active findings at or above
`--fail-on`, `warning` for other findings of medium severity or above, `note` for the rest.
Results are written as they arrive; the driver's rules and the invocation (exit code,
notifications) follow them, since only then is everything known.

A place in a workbook (`Costs!C4`) has no text region: its physical location names the file
alone, and the cell is its first logical location, of kind `element` (a cell is an element of
the sheet's XML), followed by the JSON pointer of the field as for any other finding.
"""

from __future__ import annotations

import json
import re
from pathlib import PurePath
from typing import Any
from urllib.parse import quote

from govcheck.formats import Format
from govcheck.formats.fingerprint import FILE_ERROR, VERSION, posix_path, report_fingerprints
from govcheck.formats.jsontext import ArrayWriter, indented
from govcheck.formats.stream import Meta, Out, Summary, reported
from govcheck.report import FileError, Finding, Location, Outcome, Report, RuleInfo
from govcheck.rule import Severity

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
NOTICE = "notice"
NOTIFICATIONS = (
    {"id": FILE_ERROR, "shortDescription": {"text": "A programme file could not be read or validated."}},
    {"id": NOTICE, "shortDescription": {"text": "A run-level notice, e.g. an expired or unused waiver."}},
)


def level(severity: Severity, fail_on: Severity = Severity.high, *, active: bool = True) -> str:
    if active and severity.rank >= fail_on.rank:
        return "error"
    return "warning" if severity.rank >= Severity.medium.rank else "note"


def rule_name(rule_id: str) -> str:
    """business-case-missing -> BusinessCaseMissing: SARIF's name is an identifier, the id's words."""
    return "".join(part[:1].upper() + part[1:] for part in rule_id.split("-") if part)


def help_uri(docs_url: str, rule: RuleInfo) -> str:
    """The rule's section of the published rule reference; rules outside the catalogue (evidence
    gaps, internal errors) have none, and link to the reference itself."""
    return f"{docs_url}#{rule.id}" if rule.source else docs_url


_NOT_UTF8 = re.compile(rb"\\x([0-9a-f]{2})")  # a byte escape_name could not show as UTF-8


def artifact_uri(file: str) -> str:
    """The finding's file as a URI reference: relative, forward slashes, percent-encoded. A name
    shown with bytes that are not UTF-8 escaped (`bad\\xff.yaml`, govcheck.reading.escape_name)
    is encoded from those bytes (`bad%FF.yaml`), so the URI names the file itself."""
    raw = _NOT_UTF8.sub(lambda m: bytes.fromhex(m.group(1).decode()), posix_path(file).encode("utf-8"))
    path = PurePath(file)
    if path.is_absolute():
        return path.as_uri() if raw == file.encode("utf-8") else "file://" + quote(raw, safe="/")
    # quote() leaves only unreserved characters and "/", so no segment can read as a scheme.
    return quote(raw, safe="/")


def rule_json(
    rule: RuleInfo, fail_on: Severity = Severity.high, docs_url: str | None = None
) -> dict[str, Any]:
    """A reporting descriptor. Help links are written only where the rule reference is published
    (`docs_url` in configuration): govcheck writes no address it cannot vouch for."""
    out: dict[str, Any] = {
        "id": rule.id,
        "name": rule_name(rule.id),
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": rule.description},
        "help": {"text": rule.description},
        "defaultConfiguration": {"level": level(rule.severity, fail_on)},
        "properties": {
            "severity": rule.severity.value,
            "category": rule.category,
            "tags": list(dict.fromkeys(["governance", rule.category])),  # SARIF wants them unique
            "references": list(rule.references),
        },
    }
    if docs_url:
        out["helpUri"] = help_uri(docs_url, rule)
    return out


def _rule_from_finding(f: Finding) -> RuleInfo:
    """A finding whose rule is not in the run's catalogue (an internal error): describe it from itself."""
    return RuleInfo(
        id=f.rule_id,
        title=f.title,
        description=f.title,
        severity=f.severity,
        category=f.category,
        references=f.references,
        source="",
    )


def region(loc: Location) -> dict[str, int]:
    # YAML marks and SARIF agree: 1-based lines and columns, the end column just past the region.
    return {
        "startLine": loc.line,
        "startColumn": loc.column,
        "endLine": loc.end_line,
        "endColumn": loc.end_column,
    }


def _pointer_name(pointer: str) -> str:
    token = pointer.rsplit("/", 1)[-1]
    return token.replace("~1", "/").replace("~0", "~") or "/"


def cell_location(cell: str) -> dict[str, str]:
    """A workbook cell as a logical location: `C4`, within `Costs!C4`."""
    return {"name": cell.rsplit("!", 1)[-1], "fullyQualifiedName": cell, "kind": "element"}


def location_json(loc: Location) -> dict[str, Any]:
    pointer = {"name": _pointer_name(loc.path), "fullyQualifiedName": loc.path}
    if loc.cell:
        return {
            "physicalLocation": {"artifactLocation": {"uri": artifact_uri(loc.file)}},
            "logicalLocations": [cell_location(loc.cell), pointer],
        }
    return {
        "physicalLocation": {"artifactLocation": {"uri": artifact_uri(loc.file)}, "region": region(loc)},
        "logicalLocations": [pointer],
    }


def result_json(
    f: Finding, report: Report, rule_index: int, fingerprint: str, fail_on: Severity = Severity.high
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "ruleId": f.rule_id,
        "ruleIndex": rule_index,
        "level": level(f.severity, fail_on, active=f.active),
        "message": {"text": f.message},
        "locations": [location_json(f.location)],
        "partialFingerprints": {VERSION: fingerprint},
        "properties": {
            "title": f.title,
            "severity": f.severity.value,
            "category": f.category,
            "recommendation": f.recommendation,
            "references": list(f.references),
            "evidence": f.evidence,
            "jsonPointer": f.location.path,
            "programme": {"id": report.programme.id, "name": report.programme.name},
        },
    }
    if f.suppression is not None:
        s = f.suppression
        out["suppressions"] = [
            {
                "kind": "external",
                "status": "accepted",
                "justification": s.justification,
                "properties": {"govcheckKind": s.kind, "owner": s.owner, "expires": s.expires},
            }
        ]
    return out


def error_json(e: FileError) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": {"uri": artifact_uri(e.source)}}
    location: dict[str, Any] = {"physicalLocation": physical}
    if e.cell:
        location["logicalLocations"] = [cell_location(e.cell)]
    elif e.line is not None and e.line >= 1:
        physical["region"] = {"startLine": e.line}
        if e.column is not None and e.column >= 1:
            physical["region"]["startColumn"] = e.column
    out: dict[str, Any] = {
        "level": "error",
        "message": {"text": e.text},
        "locations": [location],
        "descriptor": {"id": FILE_ERROR, "index": 0},
    }
    if e.field:
        out["properties"] = {"field": e.field}
    return out


class SarifWriter:
    def __init__(self, out: Out) -> None:
        self.out = out
        self.results = ArrayWriter(out, 3, sort_keys=True)
        self.fail_on = Severity.high
        self.version = ""
        self.docs_url: str | None = None
        self.rules: list[RuleInfo] = []
        self.index: dict[str, int] = {}
        self.notifications: list[dict[str, Any]] = []
        self.errors = 0

    def start(self, meta: Meta) -> None:
        self.fail_on = meta.fail_on
        self.version = meta.govcheck_version
        self.docs_url = meta.docs_url
        self.rules = sorted(meta.rules, key=lambda r: r.id)
        self.index = {r.id: i for i, r in enumerate(self.rules)}
        self.out.write(
            "{\n"
            f'  "$schema": {json.dumps(SCHEMA_URI)},\n'
            '  "version": "2.1.0",\n'
            '  "runs": [\n'
            "    {\n"
            # PyYAML counts columns in characters, not UTF-16 code units (SARIF's default).
            '      "columnKind": "unicodeCodePoints",\n'
            '      "results": '
        )
        self.results.open()

    def outcome(self, outcome: Outcome) -> None:
        if isinstance(outcome, FileError):
            self.errors += 1
            self.notifications.append(error_json(outcome))
            return
        shown = set(map(id, reported(outcome, self.fail_on)))
        for f, fp in zip((*outcome.findings, *outcome.gaps), report_fingerprints(outcome), strict=True):
            if id(f) not in shown:
                continue
            if f.rule_id not in self.index:
                self.index[f.rule_id] = len(self.rules)
                self.rules.append(_rule_from_finding(f))
            self.results.item(result_json(f, outcome, self.index[f.rule_id], fp, self.fail_on))

    def finish(self, summary: Summary) -> None:
        self.results.close()
        notifications = self.notifications + [
            {"level": "warning", "message": {"text": n}, "descriptor": {"id": NOTICE, "index": 1}}
            for n in summary.notices
        ]
        invocation: dict[str, Any] = {"executionSuccessful": not self.errors, "exitCode": summary.exit_code}
        if notifications:
            invocation["toolExecutionNotifications"] = notifications
        driver: dict[str, Any] = {
            "name": "govcheck",
            "version": self.version,
            "rules": [rule_json(r, self.fail_on, self.docs_url) for r in self.rules],
            "notifications": list(NOTIFICATIONS),
        }
        if self.docs_url:
            driver["informationUri"] = self.docs_url
        tool = {"driver": driver}
        self.out.write(
            f',\n      "tool": {indented(tool, 3, sort_keys=True)}'
            f',\n      "invocations": {indented([invocation], 3, sort_keys=True)}'
            "\n    }\n  ]\n}\n"
        )


FORMAT = Format(name="sarif", writer=SarifWriter, suffix=".sarif")
