"""The review cycle through the command line: --since, recommendations followed up, readiness, wording."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import yaml
from conftest import run_cli

from govcheck.ruletest import base_programme, merge

D = dt.date

REVIEW_THEN = {
    "gate": 3,
    "date": D(2025, 1, 20),
    "rating": "Amber",
    "recommendations": [
        {
            "text": "Re-plan the data migration",
            "status": "open",
            "priority": "essential",
            "due": D(2025, 5, 30),
        },
        {
            "text": "Appoint a benefits owner",
            "status": "open",
            "priority": "recommended",
            "due": D(2025, 9, 1),
        },
    ],
}
REVIEW_NOW = {
    **REVIEW_THEN,
    "recommendations": [
        {
            "text": "Re-plan the data migration",
            "status": "in_progress",
            "priority": "essential",
            "owner": "Programme director",
            "due": D(2025, 5, 30),
        },
        {
            "text": "Appoint a benefits owner",
            "status": "closed",
            "priority": "recommended",
            "due": D(2025, 9, 1),
            "closed_on": D(2025, 4, 2),
        },
    ],
}
PART_TIME = {"leadership": {"sro": {"time_commitment": "part_time"}}}
NO_OWNERS = {
    "risk_management": {"risks": [{"title": "Supplier failure", "owner": None, "mitigation": "Escrow"}]}
}


def write(tmp_path: Path, name: str, patch: dict[str, Any]) -> Path:
    data = merge(base_programme().data, patch)
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def pair(tmp_path: Path) -> tuple[Path, Path]:
    then = write(
        tmp_path,
        "then.yaml",
        {"assessment_date": D(2025, 3, 31), "gateway_reviews": [REVIEW_THEN], **PART_TIME},
    )
    now = write(tmp_path, "now.yaml", {"gateway_reviews": [REVIEW_NOW], **NO_OWNERS})
    return then, now


def check_json(*args: str) -> tuple[int, Any, str]:
    result = run_cli("check", *args, "-f", "json")
    return result.returncode, json.loads(result.stdout) if result.stdout else None, result.stderr


def test_since_reports_new_resolved_and_persisting_findings_and_recommendations(tmp_path: Path) -> None:
    then, now = pair(tmp_path)
    code, out, err = check_json(str(now), "--since", str(then))
    assert code in (0, 1), err
    since = out[0]["since"]
    new = {f["rule_id"] for f in since["new"]}
    resolved = {f["rule_id"] for f in since["resolved"]}
    assert "risks-without-owners" in new
    assert "review-recommendations-overdue" in new  # the migration re-plan fell due on 30 May 2025
    assert resolved == {"sro-part-time"}
    assert not new & {f["rule_id"] for f in since["persisting"]}
    assert since["recommendations_closed"] == ["Appoint a benefits owner"]
    assert since["recommendations_gone_overdue"] == ["Re-plan the data migration"]
    assert since["previous"]["assessment_date"] == "2025-03-31"
    changed = {c["field"] for c in since["changes"]}
    assert "leadership.sro.time_commitment" in changed
    assert (
        "gateway_reviews[3].recommendations[Appoint a benefits owner].status" not in changed
    )  # items named by text
    assert any(c.startswith("gateway_reviews[") and c.endswith(".status") for c in changed)


def test_the_annex_lists_the_last_reviews_recommendations(tmp_path: Path) -> None:
    _, now = pair(tmp_path)
    code, out, _ = check_json(str(now))
    assert code == 0  # an overdue recommendation is medium: below the default --fail-on high
    progress = out[0]["review_progress"]
    assert (progress["gate"], progress["open"], progress["overdue"]) == (3, 1, 1)
    assert [r["overdue"] for r in progress["recommendations"]] == [True, False]
    markdown = run_cli("check", str(now), "-f", "markdown").stdout
    assert "## Annex: progress on the recommendations of the gate 3 review (20 January 2025)" in markdown
    assert (
        "| Re-plan the data migration | essential | Programme director | 2025-05-30 "
        "| in progress, **overdue** |" in markdown
    )


def test_since_also_reads_in_the_terminal_and_markdown(tmp_path: Path) -> None:
    then, now = pair(tmp_path)
    terminal = run_cli("check", str(now), "--since", str(then)).stdout
    assert "Since 2025-03-31" in terminal and "- The Senior Responsible Owner is part-time" in terminal
    assert "closed Appoint a benefits owner" in terminal
    markdown = run_cli("check", str(now), "--since", str(then), "-f", "markdown").stdout
    assert "## Since the assessment of 31 March 2025" in markdown
    assert "- Resolved: The Senior Responsible Owner is part-time (sro-part-time)." in markdown


def test_since_needs_one_file_and_a_valid_previous_description(tmp_path: Path) -> None:
    then, now = pair(tmp_path)
    two = run_cli("check", str(now), str(now), "--since", str(then))
    assert two.returncode == 2 and two.stderr.count("\n") == 1 and "give one file" in two.stderr
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        then.read_text(encoding="utf-8").replace("assessment_date: 2025-03-31", "assessment_date: soon")
    )
    bad = run_cli("check", str(now), "--since", str(broken))
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    assert f"{broken}:" in bad.stderr and "assessment_date" in bad.stderr
    other = write(tmp_path, "other.yaml", {"id": "another-programme"})
    mismatch = run_cli("check", str(now), "--since", str(other))
    assert mismatch.returncode == 2 and "describes programme" in mismatch.stderr
    later = write(tmp_path, "later.yaml", {"assessment_date": D(2025, 9, 30)})
    reversed_ = run_cli("check", str(now), "--since", str(later))
    assert reversed_.returncode == 2 and "before the --since description" in reversed_.stderr


def test_an_overdue_critical_recommendation_blocks_the_gate(tmp_path: Path) -> None:
    review = {
        **REVIEW_THEN,
        "recommendations": [
            {
                "text": "Secure the funding for phase two",
                "status": "open",
                "priority": "critical",
                "due": D(2025, 3, 1),
            }
        ],
    }
    path = write(tmp_path, "p.yaml", {"gateway_reviews": [review]})
    code, out, _ = check_json(str(path))
    readiness = out[0]["readiness"]
    assert readiness["gate"] == 4
    assert "critical-recommendations-overdue" in {b["rule_id"] for b in readiness["blockers"]}
    assert readiness["headline"].startswith("Ready for Gate 4: not yet: 1 blocker")
    assert out[0]["act_first"][0] == "critical-recommendations-overdue"
    assert code == 1


def test_the_readiness_verdict_opens_every_human_report(tmp_path: Path) -> None:
    path = write(tmp_path, "p.yaml", {})
    code, out, _ = check_json(str(path))
    assert code == 0  # the base programme is clean
    headline = out[0]["readiness"]["headline"]
    assert headline.startswith("Ready for Gate 4: ")
    states = {q["state"] for q in out[0]["readiness"]["questions"]}
    assert states <= {"evidenced", "concerns", "not_described"}
    terminal = run_cli("check", str(path)).stdout
    assert headline in terminal.split("Delivery confidence")[0]
    markdown = run_cli("check", str(path), "-f", "markdown").stdout
    assert markdown.index(f"## {headline}") < markdown.index("## Summary")
    assert "## Gate 4 questions" in markdown
    html = tmp_path / "p.html"
    run_cli("check", str(path), "-f", "html", "-o", str(html))
    page = html.read_text(encoding="utf-8")
    assert page.index(headline) < page.index("Summary</h2>") and "Gate 4 questions" in page


def test_the_sro_rating_stands_beside_govchecks_with_the_gap(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "p.yaml",
        {"reference_ratings": [{"by": "SRO", "rating": "Green", "date": D(2025, 6, 1)}], **PART_TIME},
    )
    _, out, _ = check_json(str(path))
    beside = out[0]["ratings_beside"]
    assert beside[0]["by"] == "SRO" and beside[0]["rating"] == "Green"
    assert beside[0]["gap"] == "one step more optimistic than govcheck's"  # govcheck: Amber/Green
    assert out[0]["rating"] == "Amber/Green"
    markdown = run_cli("check", str(path), "-f", "markdown").stdout
    assert (
        "The SRO's own rating (1 June 2025): **Green**, one step more optimistic than govcheck's." in markdown
    )
    assert "Because: The Senior Responsible Owner is part-time; core parts described, of five: 5" in markdown


def test_a_council_is_named_once_then_called_the_council(tmp_path: Path) -> None:
    patch = {
        "department": "Westborough Borough Council",
        "organisation": {"type": "local_authority"},
        "mandate": {
            "participation": "voluntary",
            "can_direct_participants": False,
            "authority": None,
            "decision_rights": [],
        },
        **PART_TIME,
    }
    path = write(tmp_path, "council.yaml", patch)
    _, out, _ = check_json(str(path))
    recommendations = [f["recommendation"] for f in out[0]["findings"]]
    assert recommendations and all("Westborough" not in text for text in recommendations)
    assert any(text.startswith("The council should") for text in recommendations)
    text = " ".join(recommendations)
    assert "centre of government" not in text and "Parliament" not in text
    assert (
        "the council's cabinet and corporate leadership team" in text
    )  # who can bind the bodies it depends on
    markdown = run_cli("check", str(path), "-f", "markdown").stdout
    assert 'Westborough Borough Council ("the council")' in markdown


def test_markdown_escapes_only_what_markdown_needs(tmp_path: Path) -> None:
    path = write(tmp_path, "scms.yaml", {"name": "SCMS *phase* 2 [pilot]", **PART_TIME})
    markdown = run_cli("check", str(path), "-f", "markdown").stdout
    assert "# SCMS \\*phase\\* 2 \\[pilot\\]" in markdown
    assert "scms.yaml:" in markdown and "scms\\.yaml" not in markdown
    assert "\\-" not in markdown and "\\." not in markdown
