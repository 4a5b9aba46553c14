"""The bundled examples reach the conclusions their sources reach, through the real CLI."""

from __future__ import annotations

import json

from conftest import ROOT, run_cli


def test_ngss_matches_the_nao_findings() -> None:
    result = run_cli("check", "examples/ngss.yaml", "--format", "json")
    assert result.returncode == 1, result.stderr
    (report,) = json.loads(result.stdout)
    categories = {f["category"] for f in report["findings"]}
    assert {"business_case", "governance", "stakeholders", "schedule"} <= categories
    assert categories & {"benefits", "value_for_money"}
    assert report["value_for_money"]["conclusion"] == "not_achieved"
    assert report["value_for_money"]["because"]
    assert report["rating"] in {"Red", "Amber/Red"}
    text = " ".join(f["message"] for f in report["findings"])
    assert "2 of 26" in text
    assert "£90m" in text and "£94m" in text
    assert "Four of" in text or "four of" in text


def test_healthy_example_is_clean_and_green() -> None:
    result = run_cli("check", "examples/healthy.yaml", "--format", "json")
    assert result.returncode == 0, result.stdout + result.stderr
    (report,) = json.loads(result.stdout)
    assert all(f["severity"] in {"low", "info"} for f in report["findings"])
    assert report["rating"] == "Green"
    vfm = report["value_for_money"]
    assert vfm["conclusion"] == "achieved"
    # Resting on positive evidence, every part of which is described.
    assert vfm["figures"]["outputs.due_delivered_share"] == 1
    assert vfm["figures"]["costs.spent_share_of_budget"] <= 1
    assert vfm["not_described"] == [] and report["rating_not_described"] == []


def test_troubled_example_fails_differently_from_ngss() -> None:
    result = run_cli("check", "examples/troubled.yaml", "--format", "json")
    assert result.returncode == 1
    ids = {f["rule_id"] for f in json.loads(result.stdout)[0]["findings"]}
    assert "business-case-missing" not in ids
    assert ids & {"milestones-slipped-badly", "whole-life-cost-growth-severe", "over-budget"}
    (report,) = json.loads(result.stdout)
    # Cost up by two-fifths, scope cut and a slip of two and a half years: buying less, later, for
    # more; and with the whole budget spent, nothing of what was due delivered: a realised loss.
    assert "cost-growth-outputs-eroded" in ids
    assert report["value_for_money"]["conclusion"] == "not_achieved"
    assert report["value_for_money"]["because"] == ["outputs-far-behind-after-spend"]
    assert report["value_for_money"]["basis"]["kind"] == "realised"
    assert report["rating"] == "Red"


def test_json_contract_shape() -> None:
    result = run_cli("check", "examples/ngss.yaml", "examples/healthy.yaml", "-f", "json")
    reports = json.loads(result.stdout)
    assert isinstance(reports, list) and len(reports) == 2
    for report in reports:
        assert set(report) >= {
            "govcheck_version",
            "programme",
            "rating",
            "value_for_money",
            "findings",
            "summary",
        }
        assert set(report["programme"]) >= {"id", "name", "source"}
        assert set(report["summary"]["by_severity"]) == {"critical", "high", "medium", "low", "info"}
        for f in report["findings"]:
            assert set(f) >= {
                "rule_id",
                "title",
                "severity",
                "category",
                "message",
                "recommendation",
                "references",
                "evidence",
                "location",
            }
            assert set(f["location"]) >= {"file", "line", "column", "path"}
            assert f["location"]["line"] >= 1 and f["location"]["path"].startswith("/")


def test_the_readme_json_contract_names_every_key_the_report_has() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    contract = json.loads(readme.split("The JSON report is a contract:\n\n```json\n", 1)[1].split("```", 1)[0])
    (report,) = json.loads(run_cli("check", "examples/ngss.yaml", "-f", "json").stdout)
    assert set(report) == set(contract)
    for key in ("programme", "value_for_money", "rating_basis", "summary"):
        assert set(report[key]) == set(contract[key]), key
    finding_keys = set(contract["findings"][0])
    assert all(set(f) <= finding_keys for f in report["findings"])
    assert {"rule_id", "severity", "category", "evidence"} <= set(report["gaps"][0])
