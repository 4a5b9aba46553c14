"""JUnit XML, for CI systems that show test results (Jenkins, GitLab, Azure DevOps, CircleCI).

One <testsuite> per programme file and one <testcase> per rule. The verdict is the run's: an
active finding at or above `--fail-on` is a <failure>; an active finding below it leaves its
test case passing, with the finding as a warning in <system-out>; a rule whose findings were
all waived or baselined is <skipped>, and so is a rule that could not be assessed because what
it reads is not described (its evidence gap is the reason). A file that could not be checked is
a suite of its own whose one test case holds an <error>.

Suites are written as they arrive, to a spool (memory, then a temporary file), because the
root element carries the totals; the spool is copied out at the end.

The template is autoescaped; the values handed to it are also stripped of the characters XML 1.0
cannot carry at all, escaped or not (control characters a YAML "\\x01" escape can produce).
"""

from __future__ import annotations

import re
import shutil
import tempfile
from typing import Any

from govcheck.formats import Format
from govcheck.formats.fingerprint import FILE_ERROR
from govcheck.formats.stream import Meta, Out, Summary, fails, reported
from govcheck.report import FileError, Finding, Outcome, Report, RuleInfo
from govcheck.rule import Severity

SPOOL_BYTES = 1 << 20
TOTALS = ("tests", "failures", "errors", "skipped")

# What XML 1.0 forbids, and the C1 controls it allows but a terminal would act on.
_NOT_XML = re.compile("[^\t\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(value: Any) -> str:
    """A value as text XML 1.0 can hold: characters it forbids become U+FFFD."""
    return _NOT_XML.sub("\ufffd", str(value))


def _where(f: Finding) -> str:
    """`file:line:column (pointer)`, or `file:Sheet!C4 (pointer)` in a workbook (its `line`
    attribute is then the cell's row)."""
    loc = f.location
    place = loc.where if loc.cell else f"{loc.file}:{loc.line}:{loc.column}"
    return f"{place} ({loc.path})"


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


def _warning(f: Finding) -> str:
    return f"{f.severity.value}: {f.title}: {f.message} at {_where(f)}"


def _not_assessed(gap: Finding) -> dict[str, str]:
    return {"message": xml_text(f"not assessed: {gap.title}"), "text": xml_text(gap.message)}


def _case(
    classname: str,
    name: str,
    file: str,
    findings: list[Finding],
    fail_on: Severity,
    gap: Finding | None = None,
) -> dict[str, Any]:
    """A rule's test case; `gap` is the evidence gap that left the rule unassessed, if one did."""
    active = [f for f in findings if f.active]
    failing = [f for f in active if fails(f, fail_on)]
    below = [f for f in active if not fails(f, fail_on)]
    waived = [f for f in findings if not f.active]
    return {
        "classname": xml_text(classname),
        "name": xml_text(name),
        "file": xml_text(file),
        "line": findings[0].location.line if findings else None,
        "failures": [_failure(f) for f in failing],
        # A rule is skipped when everything it found was waived or baselined, or when what it reads
        # is not described: it was not assessed, which is not a pass.
        "skipped": (
            _skipped(waived[0])
            if waived and not active
            else _not_assessed(gap)
            if gap is not None and not findings
            else None
        ),
        "error": None,
        "warnings": xml_text("\n".join(_warning(f) for f in below)),
    }


def _rule_ids(rules: tuple[RuleInfo, ...], found: tuple[Finding, ...]) -> list[str]:
    ids = sorted(r.id for r in rules)
    known = set(ids)
    return ids + [rid for rid in dict.fromkeys(f.rule_id for f in found) if rid not in known]


def report_suite(
    report: Report, rules: tuple[RuleInfo, ...], fail_on: Severity = Severity.high
) -> dict[str, Any]:
    p = report.programme
    found = reported(report, fail_on)
    gaps = {rule_id: g for g in report.gaps for rule_id in g.evidence.get("rules", ())}
    cases = [
        _case(p.id, rule_id, p.source, [f for f in found if f.rule_id == rule_id], fail_on, gaps.get(rule_id))
        for rule_id in _rule_ids(rules, found)
    ]
    properties = [
        ("programme", p.name),
        ("department", p.department),
        ("source", p.source),
        ("assessment_date", p.assessment_date),
        ("gate", "" if p.gate is None else str(p.gate)),
        ("rating", report.rating.conclusion),
        ("rating_basis", f"{report.rating.strength}: {report.rating.rests_on}"),
        ("value_for_money", report.value_for_money.conclusion),
        ("value_for_money_basis", f"{report.value_for_money.strength}: {report.value_for_money.rests_on}"),
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
        "warnings": "",
    }
    properties = [("source", e.source)] + ([("field", e.field)] if e.field else [])
    properties += [("cell", e.cell)] if e.cell else []
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


class JunitWriter:
    def __init__(self, out: Out) -> None:
        from govcheck.templating import report_environment

        self.out = out
        self.template = report_environment().get_template("junit.xml.j2")
        self.spool = tempfile.SpooledTemporaryFile(SPOOL_BYTES, mode="w+", encoding="utf-8", newline="\n")
        self.totals = dict.fromkeys(TOTALS, 0)
        self.rules: tuple[RuleInfo, ...] = ()
        self.fail_on = Severity.high

    def start(self, meta: Meta) -> None:
        self.rules = meta.rules
        self.fail_on = meta.fail_on

    def outcome(self, outcome: Outcome) -> None:
        suite = (
            error_suite(outcome)
            if isinstance(outcome, FileError)
            else report_suite(outcome, self.rules, self.fail_on)
        )
        for key in TOTALS:
            self.totals[key] += suite[key]
        self.spool.write(self.template.render(s=suite))

    def finish(self, summary: Summary) -> None:
        t = self.totals
        self.out.write(
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<testsuites name="govcheck" tests="{t["tests"]}" failures="{t["failures"]}" '
            f'errors="{t["errors"]}" skipped="{t["skipped"]}">\n'
        )
        self.spool.seek(0)
        shutil.copyfileobj(self.spool, self.out)
        self.spool.close()
        self.out.write("</testsuites>\n")


FORMAT = Format(name="junit", writer=JunitWriter, suffix=".xml")
