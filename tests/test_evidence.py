"""Evidence states: "not described" is never read as "not in place".

A part of the description that is left out (or written `unknown`) gives evidence-gap notes and
no finding that asserts an absence; `null`, `false` or `[]` say that the thing is not in place,
and the rule fires. Checked through the real command line and the public API.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from conftest import EXAMPLES, run_cli

import govcheck
from govcheck.ruletest import base_programme, merge

ABSENCE_RULES = {
    "no-sro",
    "no-programme-board",
    "no-independent-assurance",
    "no-change-control",
    "no-risk-register",
    "no-budget",
    "no-benefits-defined",
    "no-milestones",
    "objectives-missing",
}


def write(tmp_path: Path, patch: dict[str, Any], name: str = "p.yaml") -> Path:
    """The healthy base programme of the rule cases, patched (`None` writes `null`)."""
    data = merge(base_programme().data, patch)
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def report_of(stdout: str) -> dict[str, Any]:
    document = json.loads(stdout)
    return document[0] if isinstance(document, list) else document


def test_governance_not_described_gives_gap_notes_and_no_absence_finding(tmp_path: Path) -> None:
    data = base_programme().data
    for section in ("leadership", "mandate", "governance", "risk_management", "gateway_reviews"):
        data.pop(section)
    path = tmp_path / "silent.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    result = run_cli("check", str(path), "-f", "json")
    assert result.returncode == 0, result.stdout + result.stderr
    report = report_of(result.stdout)
    assert {f["rule_id"] for f in report["findings"]} & ABSENCE_RULES == set()
    titles = {g["title"] for g in report["gaps"]}
    assert {
        "Not described: leadership",
        "Not described: governance",
        "Not described: risk management",
    } <= titles
    assert all(g["rule_id"] == "evidence-gap" and g["severity"] == "low" for g in report["gaps"])
    governance = next(g for g in report["gaps"] if g["title"] == "Not described: governance")
    assert {"no-programme-board", "no-independent-assurance", "no-change-control"} <= set(
        governance["evidence"]["rules"]
    )


def test_unknown_is_the_same_as_leaving_out(tmp_path: Path) -> None:
    data = base_programme().data
    omitted = dict(data)
    omitted.pop("governance")
    (tmp_path / "omitted.yaml").write_text(yaml.safe_dump(omitted, sort_keys=False))
    (tmp_path / "unknown.yaml").write_text(yaml.safe_dump({**data, "governance": "unknown"}, sort_keys=False))
    a = govcheck.check(tmp_path / "omitted.yaml")
    b = govcheck.check(tmp_path / "unknown.yaml")
    assert [g.message for g in a.gaps] == [g.message for g in b.gaps] != []
    assert a.findings == b.findings


def test_explicit_not_in_place_fires_the_absence_rule(tmp_path: Path) -> None:
    path = write(
        tmp_path, {"leadership": {"sro": None}, "governance": {"board": None, "independent_assurance": False}}
    )
    report = govcheck.check(path)
    assert {"no-sro", "no-programme-board", "no-independent-assurance"} <= {
        f.rule_id for f in report.findings
    }
    assert not any(g.title == "Not described: governance" for g in report.gaps)


def test_a_board_can_require_a_complete_description(tmp_path: Path) -> None:
    data = base_programme().data
    data.pop("risk_management")
    path = tmp_path / "gappy.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    assert run_cli("check", str(path), "-f", "json").returncode == 0
    strict = run_cli("check", str(path), "-f", "json", "--evidence-gaps", "high")
    assert strict.returncode == 1, strict.stdout
    assert {g["severity"] for g in report_of(strict.stdout)["gaps"]} == {"high"}
    (tmp_path / ".govcheck.yaml").write_text("evidence_gaps: medium\nfail_on: medium\n")
    configured = run_cli("check", "gappy.yaml", "-f", "json", cwd=tmp_path)
    assert configured.returncode == 1, configured.stdout + configured.stderr
    # A complete description passes the same gate.
    assert (
        run_cli(
            "check", "examples/healthy.yaml", "--evidence-gaps", "critical", "--fail-on", "low"
        ).returncode
        == 0
    )


def test_conclusions_name_what_was_not_described(tmp_path: Path) -> None:
    data = base_programme().data
    data.pop("benefits")
    path = tmp_path / "no-benefits.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    report = govcheck.check(path)
    assert "benefits" in report.value_for_money.not_described
    assert report.value_for_money.conclusion != "not_achieved"


def test_ngss_claims_no_absence_the_article_does_not_report() -> None:
    result = run_cli("check", "examples/ngss.yaml", "-f", "json")
    report = report_of(result.stdout)
    asserted = {f["rule_id"] for f in report["findings"] if f["severity"] in {"medium", "high", "critical"}}
    assert (
        asserted & {"no-sro", "no-programme-board", "no-risk-register", "no-independent-assurance"} == set()
    )
    gap_rules = {r for g in report["gaps"] for r in g["evidence"]["rules"]}
    assert {"no-sro", "no-programme-board", "no-risk-register"} <= gap_rules


def test_sources_and_reference_ratings_reach_the_json_report(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        {
            "sources": [
                {"title": "Annual report", "publisher": "National Audit Office", "date": "2025-06-01"}
            ],
            "reference_ratings": [{"by": "IPA", "rating": "Amber", "date": "2025-03-31"}],
        },
    )
    text = path.read_text().replace("'2025-06-01'", "2025-06-01").replace("'2025-03-31'", "2025-03-31")
    path.write_text(text)
    result = run_cli("check", str(path), "-f", "json")
    programme = report_of(result.stdout)["programme"]
    assert programme["sources"][0]["publisher"] == "National Audit Office"
    assert programme["reference_ratings"] == [{"by": "IPA", "rating": "Amber", "date": "2025-03-31"}]
    markdown = run_cli("check", str(path), "-f", "markdown").stdout
    assert "## Sources" in markdown and "National Audit Office, *Annual report*" in markdown


def test_examples_describe_everything_they_rely_on() -> None:
    for name in ("healthy.yaml", "troubled.yaml"):
        assert govcheck.check(EXAMPLES / name).gaps == (), name
