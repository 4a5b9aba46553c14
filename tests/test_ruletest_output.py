"""`govcheck rules test` says which case failed, where it is, and why."""

from __future__ import annotations

from pathlib import Path

from conftest import run_cli

RULE = """\
id: three-open-risks
title: Three or more open risks
severity: low
category: risk
references: [{framework: nao-programmes, question: "7 Risk"}]
description: A rule whose cases are wrong on purpose.
when: {fact: risk.open, gt: 2}
location: /risk_management
finding: "{{ fact.risk.open }} open risks."
recommendation: Review them.
tests:
  pass:
    - {name: two open risks, programme: {}}
    - name: three open risks, wrongly expected to pass
      programme: {risk_management: {risks: [{title: a}, {title: b}, {title: c}]}}
  fail:
    - name: two open risks, wrongly expected to fail
      programme: {}
      contains: [open risks]
    - name: wrong text expected
      programme: {risk_management: {risks: [{title: a}, {title: b}, {title: c}]}}
      contains: [four open risks]
"""


def test_each_failing_case_is_named_with_its_file_line_kind_and_reason(tmp_path: Path) -> None:
    rule = tmp_path / "pack" / "risk" / "three-open-risks.yaml"
    rule.parent.mkdir(parents=True)
    rule.write_text(RULE)
    result = run_cli("rules", "--rules-dir", str(tmp_path / "pack"), "test")
    assert result.returncode == 1
    lines = [line for line in result.stdout.splitlines() if line.startswith("FAIL")]
    assert lines == [
        f"FAIL three-open-risks [three open risks, wrongly expected to pass]: {rule}:14, pass case: "
        "expected no finding, but the rule fired: 3 open risks.",
        f"FAIL three-open-risks [two open risks, wrongly expected to fail]: {rule}:17, fail case: "
        "expected a finding, but the rule did not fire",
        f"FAIL three-open-risks [wrong text expected]: {rule}:20, fail case: "
        "the finding does not contain 'four open risks'; it reads: 3 open risks.",
    ]
    assert result.stdout.rstrip().endswith(" passed, 3 failed")
