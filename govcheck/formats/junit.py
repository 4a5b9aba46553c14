"""JUnit XML, for CI systems that show test results (Jenkins, GitLab, Azure DevOps, CircleCI).

One <testsuite> per programme file and one <testcase> per rule: a rule that found nothing
passes, an active finding is a <failure>, a waived or baselined one is <skipped>. A file that
could not be checked is a suite of its own whose one test case holds an <error>.

The template is autoescaped; the values handed to it are also stripped of the characters XML 1.0
cannot carry at all, escaped or not (control characters a YAML "\\x01" escape can produce).
"""

from __future__ import annotations

import re
from typing import Any

from govcheck.formats import Format
from govcheck.formats.fingerprint import FILE_ERROR
from govcheck.report import FileError, Finding, Report, RuleInfo, Run

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(value: Any) -> str:
    """A value as text XML 1.0 can hold: characters it forbids become U+FFFD."""
    return _NOT_XML.sub("\ufffd", str(value))


def _where(f: Finding) -> str:
    loc = f.location
    return f"{loc.file}:{loc.line}:{loc.column} ({loc.path})"


def _failure(f: Finding) -> dict[str, str]:
    text = f"{f.message}\n\nRecommendation: {f.recommendation}\n\nat {_where(f)}"
    return {"message": xml_text(f.title), "type": f.severity.value, "text": xml_text(text)}


def _skipped(f: Finding) -> dict[str, str]:
    s = f.suppression
    assert s is not None
    message = f"{s.kind}: {s.justification}" if s.justification else s.kind
    details = [f"{f.title}: {f.message}"]
    if s.owner:
        details.append(f"owner: {s.owner}")
    if s.expires:
        details.append(f"expires: {s.expires}")
    details.append(f"at {_where(f)}")
    return {"message": xml_text(message), "text": xml_text("\n".join(details))}


def _case(classname: str, name: str, file: str, findings: list[Finding]) -> dict[str, Any]:
    active = [f for f in findings if f.active]
    waived = [f for f in findings if not f.active]
    return {
        "classname": xml_text(classname),
        "name": xml_text(name),
        "file": xml_text(file),
        "line": findings[0].location.line if findings else None,
        "failures": [_failure(f) for f in active],
        # A rule is skipped only when everything it found was waived; otherwise it failed.
        "skipped": _skipped(waived[0]) if waived and not active else None,
        "error": None,
    }


def _rule_ids(rules: tuple[RuleInfo, ...], report: Report) -> list[str]:
    ids = sorted(r.id for r in rules)
    known = set(ids)
    return ids + [rid for rid in dict.fromkeys(f.rule_id for f in report.findings) if rid not in known]


def report_suite(report: Report, rules: tuple[RuleInfo, ...]) -> dict[str, Any]:
    p = report.programme
    cases = [
        _case(p.id, rule_id, p.source, [f for f in report.findings if f.rule_id == rule_id])
        for rule_id in _rule_ids(rules, report)
    ]
    properties = [
        ("programme", p.name),
        ("department", p.department),
        ("source", p.source),
        ("assessment_date", p.assessment_date),
        ("gate", "" if p.gate is None else str(p.gate)),
        ("rating", report.rating.conclusion),
        ("value_for_money", report.value_for_money.conclusion),
        ("govcheck_version", report.govcheck_version),
    ]
    return _suite(p.id or p.source, p.source, cases, properties)


def error_suite(e: FileError) -> dict[str, Any]:
    case: dict[str, Any] = {
        "classname": xml_text(e.source),
        "name": FILE_ERROR,
        "file": xml_text(e.source),
        "line": e.line,
        "failures": [],
        "skipped": None,
        "error": {"message": xml_text(e.message), "type": FILE_ERROR, "text": xml_text(e.text)},
    }
    properties = [("source", e.source)] + ([("field", e.field)] if e.field else [])
    return _suite(e.source, e.source, [case], properties)


def _suite(
    name: str, file: str, cases: list[dict[str, Any]], properties: list[tuple[str, str]]
) -> dict[str, Any]:
    return {
        "name": xml_text(name),
        "file": xml_text(file),
        "cases": cases,
        "properties": [(xml_text(k), xml_text(v)) for k, v in properties if v != ""],
        "tests": len(cases),
        "failures": sum(len(c["failures"]) for c in cases),
        "errors": sum(1 for c in cases if c["error"]),
        "skipped": sum(1 for c in cases if c["skipped"]),
    }


def _context(run: Run) -> dict[str, Any]:
    suites = [
        error_suite(o) if isinstance(o, FileError) else report_suite(o, run.rules) for o in run.outcomes
    ]
    totals = {key: sum(s[key] for s in suites) for key in ("tests", "failures", "errors", "skipped")}
    return {"suites": suites, "totals": totals}


FORMAT = Format(name="junit", template="junit.xml.j2", context=_context, suffix=".xml")
