"""Both conclusion tables, line by line, at their boundaries; and the value-for-money verdicts
on programmes that ended, that delivered, and that are not described.

Each programme is the healthy base programme of the rule cases (rules/_base.yaml) patched to
give exactly the findings a line reads: one that just fires the line and one that just does
not. Each case first checks the findings it produced, so that a change to a rule cannot make
a case test something other than the line it names. Checked through the public API (a file
on disk, as the command line reads it) and, for the verdicts, through the command line.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import run_cli

from govcheck.checker import Checker
from govcheck.report import Report
from govcheck.ruletest import base_programme, merge


def gbp(amount: float) -> dict[str, Any]:
    return {"amount": float(amount), "currency": "GBP"}


D = dt.date

# Patches that each give exactly the findings named (checked in every test that uses them).
HIGH = {
    "governance": ({"governance": {"board": None}}, "no-programme-board"),
    "purpose": ({"objectives": []}, "objectives-missing"),
    "risk": ({"risk_management": {"register_maintained": False}}, "no-risk-register"),
    "stakeholders": (
        {
            "parties": [
                {
                    "name": "Agency A",
                    "role": "customer",
                    "commitment": "resisting",
                    "confirmed_on": D(2025, 5, 1),
                    "needs_assessed": True,
                },
                {
                    "name": "Agency B",
                    "role": "customer",
                    "commitment": "committed",
                    "confirmed_on": D(2025, 5, 1),
                    "needs_assessed": True,
                },
            ]
        },
        "parties-resisting",
    ),
    "cost": (
        {"costs": {"whole_life": {"baseline": gbp(100e6), "forecast": gbp(130e6)}}},
        "whole-life-cost-growth-large",
    ),
    "value_for_money": ({"costs": {"written_off": gbp(6e6)}}, "spend-written-off-large"),
}
MEDIUM = {
    "governance": ({"leadership": {"sro": {"time_commitment": "part_time"}}}, "sro-part-time"),
    "purpose": (
        {
            "objectives": [
                {"text": "Reduce cost", "measures": [], "strategic_priority": "Efficient public services"}
            ]
        },
        "objectives-without-measures",
    ),
    "risk": (
        {
            "risk_management": {
                "risks": [{"title": "Supplier capacity", "owner": None, "mitigation": "Reviews"}]
            }
        },
        "risks-without-owners",
    ),
    "schedule": (
        {"milestones": [{"name": "Go-live", "baseline": D(2025, 9, 1), "forecast": D(2025, 12, 31)}]},
        "milestones-slipped",
    ),
    "value_for_money": ({"costs": {"written_off": gbp(2e6)}}, "spend-written-off"),
}
LOW_VFM = ({"delivery": {"lessons_applied": False}}, "lessons-not-applied")
CRITICAL_GOVERNANCE = ({"leadership": {"sro": None}}, "no-sro")

#: Outputs due all delivered: with the base programme's budget and benefits, `achieved`.
DELIVERED = {"outputs": [{"name": "Sites", "unit": "sites", "planned": 10, "due": 6, "delivered": 6}]}
#: Describes every part the base programme leaves out, as not in place: no evidence gaps.
COMPLETE = {
    "status": {"state": "active"},
    "costs": {"written_off": None, "termination_costs": None, "legacy_costs": None},
    "performance": [],
    "assurance": [],
    "history": [],
}
#: Outputs due not yet described as delivered: no positive evidence of delivery.
NOT_DELIVERED = {"outputs": [{"name": "Sites", "unit": "sites", "planned": 10, "due": 6}]}
#: One benefit carries the whole forecast: a low finding that no conclusion line reads.
CONCENTRATED = "benefits-concentrated"


def combine(*patches: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for patch in patches:
        out = merge(out, patch)
    return out


def write(tmp_path: Path, patch: dict[str, Any], name: str = "p.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(merge(base_programme().data, patch), sort_keys=False))
    return path


def check(checker: Checker, tmp_path: Path, patch: dict[str, Any], expect: set[str]) -> Report:
    result = checker.check_path(write(tmp_path, patch))
    assert isinstance(result, Report), result
    assert {f.rule_id for f in result.findings} == expect
    return result


def of(*items: tuple[dict[str, Any], str]) -> tuple[dict[str, Any], set[str]]:
    return combine(*(p for p, _ in items)), {r for _, r in items}


# --- value for money -----------------------------------------------------------------------------


def test_not_achieved_fires_on_a_high_value_for_money_finding(checker: Checker, tmp_path: Path) -> None:
    report = check(checker, tmp_path, *of(HIGH["value_for_money"]))
    assert report.value_for_money.conclusion == "not_achieved"
    assert report.value_for_money.because == ("spend-written-off-large",)


def test_not_achieved_does_not_fire_on_a_medium_one(checker: Checker, tmp_path: Path) -> None:
    report = check(checker, tmp_path, *of(MEDIUM["value_for_money"]))
    assert report.value_for_money.conclusion == "at_risk"


def test_not_achieved_does_not_fire_on_a_high_finding_in_another_category(
    checker: Checker, tmp_path: Path
) -> None:
    report = check(checker, tmp_path, *of(HIGH["cost"]))
    assert report.value_for_money.conclusion == "at_risk"
    assert report.value_for_money.because == ("whole-life-cost-growth-large",)


@pytest.mark.parametrize("category", ["value_for_money", "schedule"])
def test_at_risk_fires_on_a_medium_finding_in_its_categories(
    checker: Checker, tmp_path: Path, category: str
) -> None:
    patch, rules = of(MEDIUM[category])
    report = check(checker, tmp_path, combine(patch, NOT_DELIVERED), rules)
    assert report.value_for_money.conclusion == "at_risk"
    assert report.value_for_money.because == tuple(rules)


@pytest.mark.parametrize("category", ["value_for_money", "schedule"])
def test_positive_evidence_of_delivery_outweighs_a_medium_finding(
    checker: Checker, tmp_path: Path, category: str
) -> None:
    patch, rules = of(MEDIUM[category])
    report = check(checker, tmp_path, combine(patch, DELIVERED), rules)
    assert report.value_for_money.conclusion == "achieved"


def test_a_high_finding_that_is_not_a_realised_loss_is_at_risk_not_not_achieved(
    checker: Checker, tmp_path: Path
) -> None:
    # Cost growth on a programme still in delivery: a risk to value for money, not a loss yet.
    patch, rules = of(HIGH["cost"])
    report = check(checker, tmp_path, combine(patch, DELIVERED), rules)
    assert report.value_for_money.conclusion == "at_risk"


def test_at_risk_does_not_fire_on_a_low_one_or_a_medium_one_elsewhere(
    checker: Checker, tmp_path: Path
) -> None:
    patch, rules = of(LOW_VFM, MEDIUM["governance"])
    report = check(checker, tmp_path, combine(patch, DELIVERED), rules)
    assert report.value_for_money.conclusion == "achieved"


def test_at_risk_fires_on_high_findings_in_two_areas(checker: Checker, tmp_path: Path) -> None:
    patch, rules = of(HIGH["governance"], HIGH["stakeholders"])
    report = check(checker, tmp_path, combine(patch, DELIVERED), rules)
    assert report.value_for_money.conclusion == "at_risk"
    assert set(report.value_for_money.because) == rules


def test_at_risk_does_not_fire_on_a_high_finding_in_one_area_outside_its_categories(
    checker: Checker, tmp_path: Path
) -> None:
    patch, rules = of(HIGH["governance"])
    report = check(checker, tmp_path, combine(patch, DELIVERED), rules)
    assert report.value_for_money.conclusion == "achieved"


def test_achieved_names_the_figures_it_rests_on(checker: Checker, tmp_path: Path) -> None:
    silent = combine(DELIVERED, {"costs": {"written_off": "unknown"}, "performance": "unknown"})
    report = check(checker, tmp_path, silent, set())
    conclusion = report.value_for_money
    assert conclusion.conclusion == "achieved"
    assert conclusion.figures["outputs.due_delivered_share"] == 1
    assert conclusion.figures["outputs.due"] == 6
    assert conclusion.basis == "reported" and conclusion.strength == "moderate"
    assert conclusion.figures["costs.spent_share_of_budget"] == 0.55
    # Write-offs and performance are not described: a finding there could have made the
    # conclusion worse, and the conclusion says so.
    assert {"costs", "performance against targets"} <= set(
        conclusion.not_described
    )


@pytest.mark.parametrize(
    ("delivered", "expect", "conclusion"),
    [(800, set(), "achieved"), (799, {"outputs-behind-plan"}, "at_risk")],
)
def test_achieved_needs_four_fifths_of_the_outputs_due(
    checker: Checker, tmp_path: Path, delivered: int, expect: set[str], conclusion: str
) -> None:
    patch = {
        "outputs": [{"name": "Sites", "unit": "sites", "planned": 1000, "due": 1000, "delivered": delivered}]
    }
    report = check(checker, tmp_path, combine(COMPLETE, patch), expect)
    assert report.gaps == ()
    assert report.value_for_money.conclusion == conclusion
    assert report.value_for_money.not_described == ()


def test_nothing_due_yet_is_too_early(checker: Checker, tmp_path: Path) -> None:
    patch = {"outputs": [{"name": "Sites", "unit": "sites", "planned": 10, "due": 0, "delivered": 0}]}
    report = check(checker, tmp_path, combine(COMPLETE, patch), set())
    assert report.gaps == ()
    assert report.value_for_money.conclusion == "not_yet_determinable"
    assert report.value_for_money.not_described == ()


def test_outputs_not_described_leave_the_conclusion_open_and_say_so(checker: Checker, tmp_path: Path) -> None:
    report = check(checker, tmp_path, {"outputs": "unknown"}, set())
    assert report.value_for_money.conclusion == "not_yet_determinable"
    assert "outputs" in report.value_for_money.not_described


@pytest.mark.parametrize(
    ("spent", "expect", "conclusion"),
    [(100e6, set(), "achieved"), (100.01e6, {"over-budget"}, "at_risk")],
)
def test_achieved_within_budget_at_the_boundary(
    checker: Checker, tmp_path: Path, spent: float, expect: set[str], conclusion: str
) -> None:
    report = check(checker, tmp_path, combine(DELIVERED, {"costs": {"spent_to_date": gbp(spent)}}), expect)
    assert report.value_for_money.conclusion == conclusion


@pytest.mark.parametrize(
    ("forecast", "expect", "conclusion"),
    [
        (110e6, set(), "achieved"),
        # Medium growth does not outweigh delivery within budget; growth of over a quarter does.
        (110.1e6, {"whole-life-cost-growth"}, "achieved"),
        (125e6, {"whole-life-cost-growth"}, "achieved"),
        (125.01e6, {"whole-life-cost-growth-large"}, "at_risk"),
    ],
)
def test_achieved_whole_life_cost_at_the_boundary(
    checker: Checker, tmp_path: Path, forecast: float, expect: set[str], conclusion: str
) -> None:
    costs = {"costs": {"whole_life": {"baseline": gbp(100e6), "forecast": gbp(forecast)}}}
    report = check(checker, tmp_path, combine(DELIVERED, costs), expect)
    assert report.value_for_money.conclusion == conclusion


def cash_benefit(delivered: float) -> dict[str, Any]:
    return {
        "benefits": {
            "items": [
                {
                    "name": "Savings",
                    "owner": "Director of Operations",
                    "agreed_with_owner": True,
                    "forecast": [{"year_ending": D(2025, 3, 31), "amount": gbp(100e6)}],
                    "delivered_to_date": gbp(delivered),
                }
            ]
        }
    }


@pytest.mark.parametrize(
    ("delivered", "expect", "conclusion"),
    [(80e6, {CONCENTRATED}, "achieved"), (79.9e6, {CONCENTRATED, "benefits-behind-forecast"}, "at_risk")],
)
def test_achieved_cash_benefits_at_the_boundary(
    checker: Checker, tmp_path: Path, delivered: float, expect: set[str], conclusion: str
) -> None:
    report = check(checker, tmp_path, combine(DELIVERED, cash_benefit(delivered)), expect)
    assert report.value_for_money.conclusion == conclusion


def non_cash(evidence: Any) -> dict[str, Any]:
    item: dict[str, Any] = {
        "name": "Staff time released",
        "cashable": False,
        "owner": "Director of Service",
        "agreed_with_owner": True,
        "realised": True,
        "forecast": [{"year_ending": D(2027, 3, 31), "amount": gbp(1e6)}],
    }
    if evidence != "left out":
        item["evidence"] = evidence
    return {"benefits": {"items": [item]}}


def test_achieved_on_non_cash_benefits_with_evidence(checker: Checker, tmp_path: Path) -> None:
    report = check(
        checker,
        tmp_path,
        combine(DELIVERED, non_cash("Rostering records against the baseline")),
        {CONCENTRATED},
    )
    assert report.value_for_money.conclusion == "achieved"
    assert report.value_for_money.figures["noncash.evidenced"] == 1


def test_non_cash_benefits_without_evidence_are_at_risk(checker: Checker, tmp_path: Path) -> None:
    report = check(
        checker, tmp_path, combine(DELIVERED, non_cash(None)), {CONCENTRATED, "non-cash-benefits-unevidenced"}
    )
    assert report.value_for_money.conclusion == "at_risk"


def test_non_cash_evidence_not_described_is_not_yet_determinable(checker: Checker, tmp_path: Path) -> None:
    report = check(checker, tmp_path, combine(DELIVERED, non_cash("left out")), {CONCENTRATED})
    assert report.value_for_money.conclusion == "not_yet_determinable"
    assert "benefits" in report.value_for_money.not_described


# --- delivery confidence rating --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("items", "rating"),
    [
        # Red: a critical finding / not: high only.
        ([CRITICAL_GOVERNANCE], "Red"),
        # Red: high findings in four areas / not: three.
        ([HIGH["governance"], HIGH["purpose"], HIGH["risk"], HIGH["stakeholders"]], "Red"),
        ([HIGH["governance"], HIGH["purpose"], HIGH["risk"]], "Amber/Red"),
        # Amber/Red: high findings in two areas / not: one.
        ([HIGH["governance"], HIGH["purpose"]], "Amber/Red"),
        ([HIGH["governance"]], "Amber"),
        # Amber: medium findings in three areas / not: two.
        ([MEDIUM["governance"], MEDIUM["purpose"], MEDIUM["risk"]], "Amber"),
        ([MEDIUM["governance"], MEDIUM["purpose"]], "Amber/Green"),
        # Amber/Green: a medium finding / not: low only.
        ([MEDIUM["governance"]], "Amber/Green"),
        ([LOW_VFM], "Green"),
        ([], "Green"),
    ],
)
def test_rating_lines_at_their_boundaries(
    checker: Checker, tmp_path: Path, items: list[tuple[dict[str, Any], str]], rating: str
) -> None:
    report = check(checker, tmp_path, *of(*items))
    assert report.rating.conclusion == rating


def test_red_names_the_critical_finding(checker: Checker, tmp_path: Path) -> None:
    report = check(checker, tmp_path, *of(CRITICAL_GOVERNANCE, HIGH["purpose"]))
    assert report.rating.conclusion == "Red"
    assert report.rating.because == ("no-sro",)


@pytest.mark.parametrize(
    ("opinion", "finding", "rating"),
    [
        ("unachievable", "assessed-serious-weaknesses-benefits-case", "Amber/Red"),
        ("at_risk", "assessed-weaknesses-benefits-case", "Amber/Green"),
        ("achievable", None, "Green"),
    ],
)
def test_an_adverse_independent_opinion_puts_delivery_in_doubt(
    checker: Checker, tmp_path: Path, opinion: str, finding: str | None, rating: str
) -> None:
    patch = {"assurance": [{"by": "IPA", "date": D(2025, 1, 10), "subject": "benefits", "opinion": opinion}]}
    report = check(checker, tmp_path, patch, {finding} - {None})
    assert report.rating.conclusion == rating
    if rating == "Amber/Red":
        assert report.rating.figures["assessed.unrealistic"] == 1
        assert report.rating.basis == "independent"


# --- gateway history: the latest independent rating before the assessment date -------------------


#: The base programme's one gateway review (2023-08-15) is Green; its assessment date 2025-06-30.
def ipa_at(date: dt.date, rating: str) -> dict[str, Any]:
    return {"history": [{"date": date, "ratings": [{"by": "IPA", "rating": rating}]}]}


PREVIOUS_RULE = {
    "Red": {"previous-rating-red"},
    "Amber/Red": {"previous-rating-amber-red"},
    "Amber": {"previous-rating-amber"},
    "Amber/Green": set(),
    "Green": set(),
}


@pytest.mark.parametrize("earlier", ["Red", "Amber/Red", "Amber", "Amber/Green", "Green"])
def test_the_last_independent_rating_stands(checker: Checker, tmp_path: Path, earlier: str) -> None:
    # The IPA's rating at the previous release (2024-03-31) is later than the Green review.
    report = check(checker, tmp_path, ipa_at(D(2024, 3, 31), earlier), PREVIOUS_RULE[earlier])
    assert report.rating.conclusion == earlier
    if earlier != "Green":
        assert report.rating.because == ()
        assert report.rating.figures["history.independent_rank"] == [
            "Green",
            "Amber/Green",
            "Amber",
            "Amber/Red",
            "Red",
        ].index(earlier)


def test_a_later_gateway_review_takes_the_place_of_an_earlier_ipa_rating(
    checker: Checker, tmp_path: Path
) -> None:
    patch = combine(
        ipa_at(D(2023, 3, 31), "Amber"),
        {"gateway_reviews": [{"gate": 3, "date": D(2024, 1, 10), "rating": "Amber/Green"}]},
    )
    # The finding on the IPA's Amber remains, and medium findings can only make it worse.
    report = check(checker, tmp_path, patch, {"previous-rating-amber"})
    assert report.rating.conclusion == "Amber/Green"


def test_a_rating_dated_at_the_assessment_date_is_not_history(checker: Checker, tmp_path: Path) -> None:
    # That is the reference the rating is compared with: the Green review still stands.
    report = check(checker, tmp_path, ipa_at(D(2025, 6, 30), "Red"), set())
    assert report.rating.conclusion == "Green"
    # A day earlier, it is history.
    report = check(checker, tmp_path, ipa_at(D(2025, 6, 29), "Red"), {"previous-rating-red"})
    assert report.rating.conclusion == "Red"


def test_findings_make_the_rating_worse_than_the_last_independent_one(
    checker: Checker, tmp_path: Path
) -> None:
    patch, rules = of(HIGH["governance"], HIGH["purpose"])
    report = check(
        checker, tmp_path, combine(patch, ipa_at(D(2024, 3, 31), "Amber")), rules | {"previous-rating-amber"}
    )
    assert report.rating.conclusion == "Amber/Red"
    assert set(report.rating.because) == rules


@pytest.mark.parametrize(
    ("items", "rating"),
    [
        ([], "Green"),
        ([MEDIUM["governance"]], "Amber/Green"),
        ([HIGH["governance"], HIGH["purpose"]], "Amber/Red"),
    ],
)
def test_without_an_independent_rating_the_rating_rests_on_the_evidence(
    checker: Checker, tmp_path: Path, items: list[tuple[dict[str, Any], str]], rating: str
) -> None:
    # Before Gate 2 no gateway review is yet expected (no-gateway-review).
    patch, rules = of(*items)
    report = check(checker, tmp_path, combine(patch, {"gateway_reviews": [], "next_gate": 1}), rules)
    assert report.rating.conclusion == rating


@pytest.mark.parametrize(
    ("patch", "rating"),
    [
        # A core part not described, and no independent rating either: no better than Amber.
        ({"governance": "unknown", "gateway_reviews": [], "next_gate": 1}, "Amber"),
        # With an independent rating, the basis reaches Amber/Green.
        ({"governance": "unknown"}, "Amber/Green"),
        # Every core part described, no independent rating (none yet expected before Gate 2):
        # the evidence decides.
        ({"gateway_reviews": [], "next_gate": 1}, "Green"),
    ],
)
def test_thin_evidence_and_no_independent_rating_is_no_better_than_amber(
    checker: Checker, tmp_path: Path, patch: dict[str, Any], rating: str
) -> None:
    report = checker.check_path(write(tmp_path, patch))
    assert isinstance(report, Report)
    assert not [f for f in report.findings if f.severity.rank >= 2]
    assert report.rating.conclusion == rating


@pytest.mark.parametrize("section", ["governance", "business_case", "milestones", "costs", "benefits"])
def test_green_needs_the_five_core_parts_described(checker: Checker, tmp_path: Path, section: str) -> None:
    report = checker.check_path(write(tmp_path, {section: "unknown"}))
    assert isinstance(report, Report)
    assert not [f for f in report.findings if f.severity.rank >= 2]
    assert report.rating.conclusion == "Amber/Green"
    assert report.rating.figures["coverage.core"] == 4


def test_an_amber_green_review_gives_amber_green_at_best(checker: Checker, tmp_path: Path) -> None:
    review = {"gateway_reviews": [{"gate": 3, "date": D(2023, 8, 15), "rating": "Amber/Green"}]}
    assert check(checker, tmp_path, review, set()).rating.conclusion == "Amber/Green"
    patch, rules = of(MEDIUM["governance"], MEDIUM["purpose"], MEDIUM["risk"])
    assert check(checker, tmp_path, combine(review, patch), rules).rating.conclusion == "Amber"


# --- the verdicts, through the command line ----------------------------------------------------------


def cli_report(path: Path) -> tuple[int, dict[str, Any]]:
    result = run_cli("check", str(path), "-f", "json")
    assert result.returncode in (0, 1), result.stderr
    (report,) = json.loads(result.stdout)  # -f json is always a list, one entry per file
    return result.returncode, report


def test_terminated_with_spend_written_off_and_nothing_delivered_is_not_achieved(tmp_path: Path) -> None:
    patch = {
        "status": {
            "state": "terminated",
            "date": D(2025, 3, 1),
            "decided_by": "the Secretary of State",
            "reason": "The system could not be made to work",
        },
        "costs": {"spent_to_date": gbp(469e6), "written_off": gbp(400e6)},
        "outputs": [{"name": "Regional control centres", "unit": "centres", "planned": 9, "delivered": 0}],
    }
    code, report = cli_report(write(tmp_path, patch))
    assert code == 1
    vfm = report["value_for_money"]
    assert vfm["conclusion"] == "not_achieved"
    assert {"terminated-without-outputs", "spend-written-off-large"} <= set(vfm["because"])
    assert report["rating"] == "Red"
    text = " ".join(f["message"] for f in report["findings"])
    assert "£400m (85% of the spending) has been written off" in text


def test_all_outputs_delivered_within_budget_with_non_cash_benefits_evidenced_is_achieved(
    tmp_path: Path,
) -> None:
    patch = combine(
        {
            "status": {"state": "closed", "date": D(2025, 6, 1)},
            "outputs": [
                {"name": "Flood defences", "unit": "schemes", "planned": 12, "delivered": 12},
                {
                    "name": "Homes better protected",
                    "unit": "homes",
                    "planned": 5000,
                    "delivered": 5200,
                    "note": "Two schemes protected more homes than modelled",
                },
            ],
            "costs": {"spent_to_date": gbp(97e6), "written_off": None},
        },
        {
            "benefits": {
                "items": [
                    {
                        "name": "Flood damages avoided",
                        "cashable": False,
                        "owner": "Director of Flood Risk",
                        "agreed_with_owner": True,
                        "realised": True,
                        "evidence": "Damages avoided in the 2024 floods, valued with the Multi-Coloured"
                        " Manual",
                        "forecast": [{"year_ending": D(2026, 3, 31), "amount": gbp(20e6)}],
                    }
                ]
            }
        },
    )
    code, report = cli_report(write(tmp_path, patch))
    assert code == 0, report["findings"]
    vfm = report["value_for_money"]
    assert vfm["conclusion"] == "achieved"
    assert vfm["figures"]["outputs.due_delivered_share"] == 1
    assert vfm["figures"]["noncash.evidenced"] == 1
    assert report["rating"] in {"Green", "Amber/Green"}


def test_governance_not_described_gives_gaps_and_no_absence_finding(tmp_path: Path) -> None:
    data = merge(base_programme().data, DELIVERED)
    for section in ("leadership", "mandate", "governance", "risk_management", "gateway_reviews", "assurance"):
        data.pop(section, None)
    path = tmp_path / "silent.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    code, report = cli_report(path)
    assert code == 0
    assert report["findings"] == []
    titles = {g["title"] for g in report["gaps"]}
    assert {
        "Not described: leadership",
        "Not described: governance",
        "Not described: risk management",
    } <= titles
    # Governance is one of the parts a rating rests on, and no gateway review is described
    # either: nothing shows delivery to be more than feasible. The rating says which parts it
    # could not see: a finding there could have made it worse.
    assert report["rating"] == "Amber"
    assert {"leadership", "governance", "risk management"} <= set(report["rating_not_described"])
    assert report["value_for_money"]["conclusion"] == "achieved"


# --- the table format ----------------------------------------------------------------------------------


def table(vfm: list[dict[str, Any]], rating: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"value_for_money": vfm, "rating": rating or [{"result": "Green"}]}


def test_achieved_may_come_before_a_not_yet_determinable_default() -> None:
    from govcheck.rule import Conclusions

    Conclusions.model_validate(
        table(
            [
                {"result": "not_achieved", "finding": {"min_severity": "high"}},
                {"result": "achieved", "programme": {"fact": "outputs.due_delivered_share", "gte": 0.8}},
                {"result": "not_yet_determinable"},
            ]
        )
    )


@pytest.mark.parametrize(
    "document",
    [
        # nothing outranks a realised loss: not_achieved lines come first
        table(
            [
                {"result": "at_risk", "finding": {"min_severity": "medium"}},
                {"result": "not_achieved", "finding": {"min_severity": "high", "realised": True}},
                {"result": "not_yet_determinable"},
            ]
        ),
        # a rating's default is the best rating, after every other line
        table(
            [{"result": "not_yet_determinable"}],
            [{"result": "Green", "finding": {"min_severity": "low"}}, {"result": "Amber"}],
        ),
    ],
)
def test_tables_out_of_order_are_refused(document: dict[str, Any]) -> None:
    from pydantic import ValidationError

    from govcheck.rule import Conclusions

    with pytest.raises(ValidationError, match=r"must come before every other line|worst result to the best"):
        Conclusions.model_validate(document)


def test_achieved_may_come_before_lesser_risks() -> None:
    from govcheck.rule import Conclusions

    Conclusions.model_validate(
        table(
            [
                {"result": "not_achieved", "finding": {"min_severity": "high", "realised": True}},
                {"result": "achieved", "programme": {"fact": "outputs.due_delivered_share", "gte": 0.8}},
                {"result": "at_risk", "finding": {"min_severity": "medium"}},
                {"result": "not_yet_determinable"},
            ]
        )
    )
