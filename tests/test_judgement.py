"""Judgement no stronger than its basis, through the command line: assessments of quality,
sized scope changes, accepted exceptions, realised loss, the basis every conclusion states,
and the one-line errors for misused fields."""

from __future__ import annotations

import datetime as dt
import html
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import ROOT, run_cli

from govcheck.ruletest import base_programme, merge

D = dt.date
GMPP_FIXTURES = ROOT / "tests" / "fixtures" / "gmpp"
SHARED_GMPP = ROOT.parent / "shared" / "data" / "gmpp"


def gbp(amount: float) -> dict[str, Any]:
    return {"amount": float(amount), "currency": "GBP"}


def write(tmp_path: Path, patch: dict[str, Any], name: str = "p.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(merge(base_programme().data, patch), sort_keys=False))
    return path


def report_of(path: Path, *args: str) -> tuple[int, dict[str, Any]]:
    result = run_cli("check", str(path), "-f", "json", *args)
    assert result.returncode in (0, 1), result.stderr
    (report,) = json.loads(result.stdout)
    return result.returncode, report


def rule_ids(report: dict[str, Any]) -> set[str]:
    return {f["rule_id"] for f in report["findings"]}


def test_a_fully_described_programme_with_nothing_above_low_is_green(tmp_path: Path) -> None:
    code, report = report_of(write(tmp_path, {}))
    assert code == 0
    assert not [f for f in report["findings"] if f["severity"] in ("medium", "high", "critical")]
    assert report["rating"] == "Green"
    assert report["rating_basis"] == {
        "kind": "reported",
        "strength": "moderate",
        "rests_on": "the programme's own figures, forecasts and described arrangements",
    }


def test_without_any_independent_rating_a_described_programme_is_not_capped_at_amber(tmp_path: Path) -> None:
    # Before Gate 2 no gateway review is yet due: the evidence decides.
    _, report = report_of(write(tmp_path, {"gateway_reviews": [], "history": [], "next_gate": 1}))
    assert report["rating"] == "Green"
    # Past it, the missing independent review is a finding of its own.
    _, report = report_of(write(tmp_path, {"gateway_reviews": [], "history": [], "next_gate": 3}))
    assert rule_ids(report) == {"no-gateway-review"}
    assert report["rating"] == "Amber/Green"


def test_an_independent_unrealistic_business_case_is_a_business_case_finding(tmp_path: Path) -> None:
    patch = {
        "assessments": [
            {
                "part": "business_case",
                "by": "NAO",
                "date": D(2025, 5, 1),
                "verdict": "unrealistic",
                "basis": "The benefits rested on take-up assumptions with no evidence behind them",
            }
        ]
    }
    code, report = report_of(write(tmp_path, patch))
    assert code == 1
    (finding,) = [
        f for f in report["findings"] if f["rule_id"] == "assessed-serious-weaknesses-business-case"
    ]
    assert finding["category"] == "business_case"
    assert finding["severity"] == "high"
    assert finding["message"].startswith("On 1 May 2025, the NAO judged the business case unrealistic")
    assert finding["location"]["path"] == "/assessments"
    # An independent judgement that a part is unrealistic puts delivery in doubt.
    assert report["rating"] == "Amber/Red"
    assert report["rating_basis"]["kind"] == "independent"
    # A judgement is not a loss: value for money is at risk, not yet not achieved.
    assert report["value_for_money"]["conclusion"] == "at_risk"


def test_the_same_judgement_by_the_programme_itself_weighs_less(tmp_path: Path) -> None:
    patch = {
        "assessments": [
            {
                "part": "business_case",
                "by": "programme",
                "date": D(2025, 5, 1),
                "verdict": "unrealistic",
                "basis": "Our own review found the take-up assumptions optimistic",
            }
        ]
    }
    _, report = report_of(write(tmp_path, patch))
    (finding,) = [f for f in report["findings"] if f["rule_id"].startswith("assessed-")]
    assert (finding["rule_id"], finding["severity"]) == ("assessed-weaknesses-business-case", "medium")
    assert "programme's own assessment" in finding["message"]
    assert report["rating"] == "Amber/Green"


def test_a_scope_cut_of_half_with_a_budget_cut_of_seven_per_cent_is_a_finding(tmp_path: Path) -> None:
    patch = {
        "changes": [
            {
                "date": D(2024, 9, 1),
                "summary": "Half of the regional sites dropped",
                "scope": "reduced",
                "scope_share": 0.5,
                "budget": "reduced",
                "budget_change": gbp(7e6),
            }
        ]
    }
    code, report = report_of(write(tmp_path, patch))
    assert code == 0  # a medium finding: below the default --fail-on high
    (finding,) = [f for f in report["findings"] if f["rule_id"] == "descoped-small-saving"]
    assert "scope was cut by 50% while its budget was cut by only 7%" in finding["message"]
    assert finding["evidence"]["value.descope_budget_share"] == 0.07


def test_an_accepted_exception_is_reported_and_does_not_drive_the_conclusions(tmp_path: Path) -> None:
    no_case = {"business_case": {"stage": "none", "approved": False, "cases": []}}
    _, plain = report_of(write(tmp_path, no_case, "plain.yaml"))
    assert plain["rating"] == "Amber" and plain["rating_because"] == ["business-case-missing"]

    accepted = {
        **no_case,
        "exceptions": [
            {
                "rule": "business-case-missing",
                "reason": "Launched within days of a national emergency; the NAO accepted the justification",
                "accepted_by": "Permanent Secretary, as Accounting Officer",
                "basis": "emergency",
                "date": D(2024, 3, 20),
            }
        ],
    }
    path = write(tmp_path, accepted, "accepted.yaml")
    code, report = report_of(path)
    (finding,) = [f for f in report["findings"] if f["rule_id"] == "business-case-missing"]
    assert finding["accepted"] == {
        "reason": "Launched within days of a national emergency; the NAO accepted the justification",
        "accepted_by": "Permanent Secretary, as Accounting Officer",
        "basis": "emergency",
        "date": "2024-03-20",
    }
    assert report["rating"] == "Green"
    assert "business-case-missing" not in report["rating_because"]
    assert "business-case-missing" not in report["value_for_money"]["because"]
    assert code == 1  # still a high finding for --fail-on: a CI gate waives it with a waiver
    for fmt, text in (
        ("markdown", "Accepted as an exception"),
        ("terminal", "accepted by Permanent Secretary"),
    ):
        result = run_cli("check", str(path), "-f", fmt)
        assert text in " ".join(result.stdout.split()), fmt


def test_an_active_programme_with_cost_growth_and_slip_only_is_at_risk(tmp_path: Path) -> None:
    patch = {
        "costs": {"whole_life": {"baseline": gbp(120e6), "forecast": gbp(180e6)}},
        "milestones": [
            {"name": "Design complete", "baseline": D(2023, 3, 31), "actual": D(2023, 3, 20)},
            {"name": "First agency live", "baseline": D(2024, 12, 31), "forecast": D(2026, 6, 30)},
            {"name": "Closure", "baseline": D(2027, 3, 31), "forecast": D(2028, 9, 30)},
        ],
        "history": [
            {"date": D(2023, 3, 31), "whole_life_cost": gbp(120e6), "planned_end_date": D(2027, 3, 31)}
        ],
        "planned_end_date": D(2028, 9, 30),
    }
    _, report = report_of(write(tmp_path, patch))
    assert {"whole-life-cost-growth-large", "milestones-slipped-badly"} <= rule_ids(report)
    vfm = report["value_for_money"]
    assert vfm["conclusion"] == "at_risk"
    assert vfm["basis"]["kind"] != "realised"


def test_a_realised_loss_is_not_achieved_and_says_so(tmp_path: Path) -> None:
    patch = {
        "contracts": [
            {
                "name": "Main build contract",
                "supplier": "Builder plc",
                "main": True,
                "status": "terminated",
                "date": D(2025, 2, 1),
                "termination_costs": gbp(12e6),
            }
        ]
    }
    _, report = report_of(write(tmp_path, patch))
    assert {"contract-terminated-with-costs", "main-contract-terminated"} <= rule_ids(report)
    vfm = report["value_for_money"]
    assert vfm["conclusion"] == "not_achieved"
    assert vfm["because"] == ["contract-terminated-with-costs"]
    assert vfm["basis"] == {
        "kind": "realised",
        "strength": "strong",
        "rests_on": "losses or failures that have happened",
    }


def test_an_auditors_stated_conclusion_is_a_basis_for_not_achieved(tmp_path: Path) -> None:
    patch = {
        "audit_conclusions": [
            {
                "by": "NAO",
                "date": D(2025, 3, 1),
                "conclusion": "not_achieved",
                "basis": "The programme has not delivered value for money to date",
            }
        ]
    }
    _, report = report_of(write(tmp_path, patch))
    vfm = report["value_for_money"]
    assert (vfm["conclusion"], vfm["because"]) == ("not_achieved", ["auditor-concluded-not-achieved"])
    assert vfm["basis"]["kind"] == "independent"


def test_markdown_lists_each_finding_on_a_line_of_its_own(tmp_path: Path) -> None:
    patch = {
        "business_case": {"stage": "none", "approved": False, "cases": []},
        "leadership": {"sro": None},
        "exceptions": [
            {"rule": "no-sro", "reason": "Interim", "accepted_by": "Permanent Secretary", "basis": "other"}
        ],
    }
    result = run_cli("check", str(write(tmp_path, patch)), "-f", "markdown")
    numbered = [line for line in result.stdout.splitlines() if line[:1].isdigit() and ". **" in line]
    (report,) = json.loads(run_cli("check", str(write(tmp_path, patch)), "-f", "json").stdout)
    assert len(numbered) == len(report["findings"]) == 2
    assert "Accepted as an exception" in numbered[0] + numbered[1]


def test_a_judgement_is_quoted_once(tmp_path: Path) -> None:
    basis = '"The plan was optimistic"; "the dates were never achievable".'
    patch = {
        "assessments": [
            {"part": "schedule", "by": "NAO", "date": D(2025, 1, 1), "verdict": "unrealistic", "basis": basis}
        ]
    }
    _, report = report_of(write(tmp_path, patch))
    (finding,) = [f for f in report["findings"] if f["rule_id"].startswith("assessed-")]
    assert finding["message"].endswith(': "The plan was optimistic"; "the dates were never achievable".')


@pytest.mark.parametrize("fmt", ["terminal", "markdown", "html"])
def test_every_human_format_states_the_basis_of_both_conclusions(tmp_path: Path, fmt: str) -> None:
    delivered = {"outputs": [{"name": "Sites", "unit": "sites", "planned": 10, "due": 6, "delivered": 6}]}
    result = run_cli("check", str(write(tmp_path, delivered)), "-f", fmt)
    assert result.returncode == 0, result.stderr
    text = " ".join(html.unescape(result.stdout).split())
    assert text.count("the programme's own figures, forecasts and described arrangements") >= 2
    assert "moderate basis" in text or "basis is moderate" in text


# --- portfolio figures alone never conclude more than at risk -------------------------------------


def _imported_verdicts(tmp_path: Path, releases: list[Path]) -> list[dict[str, Any]]:
    out = tmp_path / "imported"
    result = run_cli("import", "gmpp", *map(str, releases), "--output-dir", str(out))
    assert result.returncode == 0, result.stderr
    checked = run_cli("check", str(out), "-f", "json")
    assert checked.returncode in (0, 1), checked.stderr
    return json.loads(checked.stdout)


def test_imported_releases_are_never_not_achieved_from_their_figures(tmp_path: Path) -> None:
    reports = _imported_verdicts(tmp_path, sorted(GMPP_FIXTURES.glob("*.csv")))
    assert reports and all("error" not in r for r in reports)
    assert {r["value_for_money"]["conclusion"] for r in reports} <= {"at_risk", "not_yet_determinable"}


def test_the_shared_releases_are_never_not_achieved(tmp_path: Path) -> None:
    releases = sorted(SHARED_GMPP.glob("*.csv"))
    if not releases:
        pytest.skip(f"the shared GMPP releases are not beside the checkout ({SHARED_GMPP})")
    reports = _imported_verdicts(tmp_path, releases)
    assert len(reports) == 612
    assert not [r["programme"]["id"] for r in reports if r["value_for_money"]["conclusion"] == "not_achieved"]


# --- misused fields: one located line, exit 2 -----------------------------------------------------

ASSESSMENT = {
    "part": "schedule",
    "by": "IPA",
    "date": D(2025, 1, 10),
    "verdict": "weaknesses",
    "basis": "Slipping",
}
EXCEPTION = {"rule": "no-sro", "reason": "Interim", "accepted_by": "Permanent Secretary", "basis": "other"}


@pytest.mark.parametrize(
    ("patch", "field", "words"),
    [
        (
            {"assessments": [{k: v for k, v in ASSESSMENT.items() if k != "by"}]},
            "assessments.0.by",
            "required",
        ),
        (
            {"assessments": [{k: v for k, v in ASSESSMENT.items() if k != "date"}]},
            "assessments.0.date",
            "required",
        ),
        ({"assessments": [{**ASSESSMENT, "verdict": "dreadful"}]}, "assessments.0.verdict", "sound"),
        (
            {"assessments": [{**ASSESSMENT, "date": D(2025, 7, 1)}]},
            "assessments",
            "after the assessment_date",
        ),
        (
            {
                "changes": [
                    {
                        "date": D(2024, 1, 1),
                        "summary": "Cut",
                        "scope": "reduced",
                        "budget": "reduced",
                        "budget_change": gbp(100.5e6),
                    }
                ]
            },
            "changes",
            "more than the budget",
        ),
        (
            {"changes": [{"date": D(2024, 1, 1), "summary": "Cut", "scope_share": 1.5}]},
            "changes.0.scope_share",
            "1",
        ),
        (
            {"exceptions": [{k: v for k, v in EXCEPTION.items() if k != "reason"}]},
            "exceptions.0.reason",
            "required",
        ),
        (
            {"exceptions": [{k: v for k, v in EXCEPTION.items() if k != "accepted_by"}]},
            "exceptions.0.accepted_by",
            "required",
        ),
        ({"exceptions": [{**EXCEPTION, "rule": "no-sroo"}]}, "exceptions.0.rule", "did you mean 'no-sro'"),
        ({"contracts": [{"name": "Build", "status": "terminated"}]}, "contracts.0.date", "needs the date"),
        (
            {
                "audit_conclusions": [
                    {
                        "by": "programme",
                        "date": D(2025, 1, 1),
                        "conclusion": "achieved",
                        "basis": "We did well",
                    }
                ]
            },
            "audit_conclusions.0.by",
            "independent",
        ),
    ],
)
def test_misused_fields_give_one_located_line_and_exit_2(
    tmp_path: Path, patch: dict[str, Any], field: str, words: str
) -> None:
    path = write(tmp_path, patch)
    result = run_cli("check", str(path), "-f", "compact")
    assert result.returncode == 2, result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"govcheck: {path}:") and f" {field}: " in lines[0] and words in lines[0], (
        lines[0]
    )
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("stage", [None, "unknown"])
def test_approval_with_the_stage_not_described_is_accepted(tmp_path: Path, stage: str | None) -> None:
    data = base_programme().data
    case = {"approved": True, "approved_by": "HM Treasury"}
    if stage:
        case["stage"] = stage
    data = {**data, "business_case": case}
    path = tmp_path / "p.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    _, report = report_of(path)
    assert "business-case-missing" not in rule_ids(report)
    assert any("business case" in g["title"] for g in report["gaps"])


def test_a_rule_pack_variant_with_an_undefined_token_is_a_rule_error(tmp_path: Path) -> None:
    source = (ROOT / "rules" / "judgement" / "assessed-weaknesses.yaml").read_text()
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "assessed-weaknesses.yaml").write_text(source.replace("${label}", "${lable}", 1))
    result = run_cli("check", str(write(tmp_path, {})), "--rules-dir", str(pack))
    assert result.returncode == 2
    (line,) = result.stderr.strip().splitlines()
    assert "assessed-weaknesses.yaml:" in line and "${lable}" in line and "variants" in line
