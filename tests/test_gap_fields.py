"""Evidence gaps name the fields of the description that are not described, never facts.

Each fact declares the fields it is derived from (`reads`, next to the facts in
govcheck/facts); a gap note names those the description does not give, in the format's own
names, grouped by the part of the description they belong to. A fact that is not known while
everything it reads is described (nothing of the kind is due, say) leaves no note, and a part
that is described is never blamed for another part's silence.
"""

from __future__ import annotations

import datetime as dt
import re
import types
import typing
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import EXAMPLES
from pydantic import BaseModel

from govcheck import gaps
from govcheck.catalogue import load_catalogue
from govcheck.checker import Checker
from govcheck.conditions import facts_named
from govcheck.errors import GovcheckError
from govcheck.facts import SECTIONS as FACT_GROUPS
from govcheck.facts import ProgrammeFacts, derive, fact_fields
from govcheck.facts.common import Facts
from govcheck.gates import field_exists
from govcheck.model import Programme
from govcheck.report import Report
from govcheck.ruletest import base_programme, merge
from govcheck.validation import validate
from govcheck.yamlsource import Source, load

D = dt.date


def programme(patch: dict[str, Any] | None = None, drop: tuple[str, ...] = ()) -> tuple[Programme, Source]:
    """The healthy base programme of the rule cases (rules/_base.yaml), patched."""
    data = merge(base_programme().data, patch or {})
    for name in drop:
        data.pop(name)
    source = Source(path="programme.yaml", data=data)
    return validate(Programme, source), source


def report(checker: Checker, patch: dict[str, Any] | None = None, drop: tuple[str, ...] = ()) -> Report:
    return checker.check_programme(*programme(patch, drop))


def noted(r: Report) -> dict[str, tuple[list[str], list[str]]]:
    """Title -> (fields not described, rules left open)."""
    return {g.title: (g.evidence["not_described"], g.evidence["rules"]) for g in r.gaps}


# --- the declarations ----------------------------------------------------------------------------


def read_by_the_catalogue() -> set[str]:
    catalogue = load_catalogue()
    named: set[str] = set()
    for r in catalogue.rules:
        named |= facts_named(r.rule.when)
    for line in (*catalogue.conclusions.value_for_money, *catalogue.conclusions.rating):
        if line.programme is not None:
            named |= facts_named(line.programme)
    return named


def groups() -> dict[str, type[Facts]]:
    found: dict[str, type[Facts]] = {"": ProgrammeFacts}
    for name, field in ProgrammeFacts.model_fields.items():
        if isinstance(field.annotation, type) and issubclass(field.annotation, Facts):
            found[name] = field.annotation
    return found


def test_every_fact_a_rule_or_conclusion_reads_declares_its_fields() -> None:
    named = read_by_the_catalogue()
    assert named, "the catalogue reads no facts"
    undeclared = sorted(name for name in named if not gaps.fields_read(name))
    assert undeclared == [], f"declare `reads` for these facts in govcheck/facts: {undeclared}"


def test_every_fact_declares_its_fields() -> None:
    # Not only the ones read today: a rule added tomorrow must not find a fact without them.
    undeclared = sorted(name for name in fact_fields(lists=True) if gaps.reads(name) is None)
    assert undeclared == []


def test_declarations_name_facts_that_exist() -> None:
    for group, model in groups().items():
        stray = set(model.reads) - set(model.model_fields)
        assert not stray, f"{group or 'ProgrammeFacts'}.reads names no fact: {sorted(stray)}"


def _annotation_is_list(annotation: Any) -> bool:
    if typing.get_origin(annotation) is tuple:
        return True
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return any(_annotation_is_list(a) for a in typing.get_args(annotation))
    return False


def _model_below(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_below(arg)
        if found is not None:
            return found
    return None


def spelled_wrong(field: str) -> str | None:
    """Why `field` is not a field of the format as gaps name them, or None: dotted, with `[]`
    after every list whose items it goes into, and on nothing else."""
    if not field_exists(gaps.plain(field)):
        return "no such field in the description format"
    model: type[BaseModel] | None = Programme
    steps = field.split(".")
    for i, step in enumerate(steps):
        assert model is not None
        name = step.removesuffix("[]")
        annotation = model.model_fields[name].annotation
        last = i == len(steps) - 1
        if step.endswith("[]") and (last or not _annotation_is_list(annotation)):
            return f"`{step}`: `[]` only marks a list that the name goes into"
        if not step.endswith("[]") and not last and _annotation_is_list(annotation):
            return f"`{step}` is a list: write `{step}[]`"
        model = _model_below(annotation)
    return None


def test_every_declared_field_exists_in_the_description_format() -> None:
    wrong = []
    for group, model in groups().items():
        for fact, entries in model.reads.items():
            for entry in entries:
                assert isinstance(entry, str) or (entry and all(isinstance(f, str) for f in entry)), (
                    f"{group}.{fact}: a field, or a non-empty tuple of fields, not {entry!r}"
                )
            for field in gaps.fields_read(f"{group}.{fact}" if group else fact):
                reason = spelled_wrong(field)
                if reason:
                    wrong.append(f"{group}.{fact}: {field}: {reason}")
    assert wrong == []


def test_fact_groups_and_parts_of_the_description_agree_where_they_share_a_name() -> None:
    for name in set(FACT_GROUPS) & set(gaps.PARTS):
        assert FACT_GROUPS[name] == gaps.PARTS[name], name
    assert set(gaps.PARTS) == set(Programme.model_fields)


# --- what counts as not described ----------------------------------------------------------------


def test_a_part_left_out_is_named_by_itself() -> None:
    p, _ = programme(drop=("history", "leadership"))
    assert gaps.not_given(p, "history[].ratings") == "history"
    assert gaps.not_given(p, "leadership.sro.time_commitment") == "leadership"


def test_an_empty_list_or_a_null_part_describes_what_is_under_it() -> None:
    p, _ = programme({"history": [], "leadership": {"sro": None}})
    assert gaps.not_given(p, "history[].ratings") is None
    assert gaps.not_given(p, "leadership.sro.time_commitment") is None


def test_a_date_written_null_is_not_described_unless_null_says_something(checker: Checker) -> None:
    # README: for a date, null is the same as leaving it out, except `confirmed_on: null`
    # (never confirmed); and a milestone's `actual: null` says it was not reached.
    r = report(checker, {"governance": {"board": {"last_met": None}}})
    assert noted(r) == {"Not described: governance": (["governance.board.last_met"], ["board-not-meeting"])}
    p, _ = programme(
        {
            "parties": [{"name": "A", "role": "customer", "commitment": "committed", "confirmed_on": None}],
            "milestones": [{"name": "Go-live", "baseline": D(2025, 1, 31), "actual": None}],
        }
    )
    assert gaps.not_given(p, "parties[].confirmed_on") is None
    assert gaps.not_given(p, "milestones[].actual") is None


def test_an_item_field_is_described_only_when_every_item_gives_it() -> None:
    objectives = [
        {"text": "A", "measures": ["m"], "strategic_priority": "X"},
        {"text": "B", "measures": ["m"]},
    ]
    p, _ = programme({"objectives": objectives})
    assert gaps.not_given(p, "objectives[].strategic_priority") == "objectives[].strategic_priority"
    assert gaps.not_given(p, "objectives[].measures") is None


def test_a_fact_names_what_it_needs_before_what_could_stand_in_for_it() -> None:
    # The growth in whole-life cost needs a costed snapshot; the current forecast only
    # stands in for the latest snapshot's cost.
    uncosted, _ = programme({"history": [{"date": D(2024, 1, 1)}], "costs": {"whole_life": "unknown"}})
    assert gaps.not_described(uncosted, "history.cost_growth") == ["history[].whole_life_cost"]
    snapshot = {"date": D(2024, 1, 1), "whole_life_cost": {"amount": 100.0, "currency": "GBP"}}
    costed, _ = programme({"history": [snapshot], "costs": {"whole_life": "unknown"}})
    assert gaps.not_described(costed, "history.cost_growth") == ["costs.whole_life"]
    # Without the outputs, what is due cannot be known, whatever the planned end date says.
    p, _ = programme(drop=("outputs", "planned_end_date"))
    assert gaps.not_described(p, "outputs.due") == ["outputs"]


# --- the notes -----------------------------------------------------------------------------------


def test_a_partly_described_list_gives_a_note_in_the_formats_own_names(checker: Checker) -> None:
    objectives = [
        {"text": "A", "measures": ["m"], "strategic_priority": "X"},
        {"text": "B", "measures": ["m"]},
    ]
    r = report(checker, {"objectives": objectives})
    (gap,) = r.gaps
    assert gap.rule_id == gaps.GAP_ID and gap.category == gaps.GAP_CATEGORY
    assert gap.title == "Not described: objectives"
    assert gap.message == (
        "The description does not say enough about objectives (objectives[].strategic_priority), "
        "so 1 rule could not be assessed: objectives-not-linked-to-strategy."
    )
    assert gap.evidence == {
        "not_described": ["objectives[].strategic_priority"],
        "rules": ["objectives-not-linked-to-strategy"],
    }
    assert gap.location.path == "/objectives"
    assert "purpose." not in gap.message


def test_recommendations_not_listed_name_the_field_to_list_them_in(checker: Checker) -> None:
    review = {"gate": 3, "date": D(2023, 8, 15), "rating": "Green", "recommendations_open": 2}
    r = report(checker, {"gateway_reviews": [review]})
    assert noted(r) == {
        "Not described: gateway reviews": (
            ["gateway_reviews[].recommendations"],
            ["critical-recommendations-overdue", "review-recommendations-overdue"],
        )
    }
    assert r.gaps[0].location.path == "/gateway_reviews"
    assert r.gaps[0].recommendation.startswith(
        "Describe gateway reviews in the programme description (at /gateway_reviews)"
    )


def test_outputs_described_are_not_blamed_for_history_left_out(checker: Checker) -> None:
    # The complaint: outputs described, history left out, and the report said outputs were not.
    outputs = [{"name": "Sites", "unit": "sites", "planned": 10, "due": 6, "delivered": 6}]
    r = report(checker, {"outputs": outputs}, drop=("history",))
    assert noted(r) == {
        "Not described: history": (
            ["history"],
            [
                "cost-growth-outputs-eroded",
                "in-year-variance",
                "previous-rating-amber",
                "previous-rating-amber-red",
                "previous-rating-red",
            ],
        )
    }
    assert r.gaps[0].location.path == "/history"


def test_a_described_part_is_not_blamed_for_a_field_elsewhere(checker: Checker) -> None:
    # Milestones are described: being past the planned end date needs that date (and, once it
    # has passed, the status), which is what the note names.
    r = report(checker, drop=("planned_end_date", "status"))
    titles = noted(r)
    assert "Not described: milestones" not in titles
    assert titles["Not described: the planned end date"] == (["planned_end_date"], ["past-planned-end"])
    assert titles["Not described: status"][0] == ["status"]


def test_a_part_whose_items_do_not_all_say_is_noted(checker: Checker) -> None:
    parties = [
        {
            "name": "Agency A",
            "role": "customer",
            "commitment": "committed",
            "confirmed_on": D(2025, 5, 1),
            "needs_assessed": True,
        },
        {"name": "Agency B", "role": "customer", "confirmed_on": D(2025, 5, 1), "needs_assessed": True},
    ]
    fields, rules = noted(report(checker, {"parties": parties}))["Not described: parties"]
    assert fields == ["parties[].commitment"]
    assert {"parties-resisting", "commitment-uncertain"} <= set(rules)


def test_a_fact_unknown_for_another_reason_gives_no_note(checker: Checker) -> None:
    # A target of 0 is not a ratio: the measure is described, and nothing is missing from it.
    measure = {"measure": "Backlog", "target": 0, "actual": 5, "higher_is_better": False}
    p, source = programme({"performance": [measure]})
    assert checker.check_programme(p, source).gaps == ()
    rule = next(r.rule for r in checker.catalogue.rules if r.rule.id == "performance-below-target")
    assert gaps.unknown_facts(sorted(facts_named(rule.when)), gaps.flatten(derive(p).model_dump())) == [
        "performance.measured",
        "performance.worst_attainment",
    ]


def test_a_note_names_only_its_own_part_first(checker: Checker) -> None:
    # The part a note is about is the part of the first field not described that a fact reads.
    outputs = [{"name": "Sites", "unit": "sites", "planned": 10, "delivered": 4}]
    notes = noted(report(checker, {"outputs": outputs}, drop=("planned_end_date",)))
    assert notes["Not described: outputs"][0] == ["outputs[].due", "planned_end_date"]
    assert notes["Not described: the planned end date"] == (
        ["planned_end_date"],
        ["outputs-far-behind-after-spend", "past-planned-end"],
    )


# --- every example -------------------------------------------------------------------------------


def example_files() -> list[Path]:
    return sorted(p for p in EXAMPLES.rglob("*.yaml") if not p.name.startswith("_"))


@pytest.mark.parametrize("path", example_files(), ids=lambda p: str(p.relative_to(EXAMPLES)))
def test_example_gaps_name_only_fields_that_are_not_described(checker: Checker, path: Path) -> None:
    try:
        source = load(path)
        p = validate(Programme, source)
    except GovcheckError:
        pytest.skip("not a valid programme description")
    r = checker.check_programme(p, source)
    for gap in r.gaps:
        fields = gap.evidence["not_described"]
        assert fields, gap.title
        for field in fields:
            assert spelled_wrong(field) is None, (gap.title, field)
            # Named because it is not described: the shortest part of it not given is itself.
            assert gaps.not_given(p, field) == field, (gap.title, field)
        assert f"({', '.join(fields)})" in gap.message
        assert re.fullmatch(
            r"The description does not say enough about .+ \(.+\), so \d+ rules? could not be assessed: .+\.",
            gap.message,
        )
        section = gaps.part_of(fields[0])
        assert gap.title == f"Not described: {gaps.SECTIONS[section][1]}"
        assert gap.location.path == f"/{section}"
    titles = [g.title for g in r.gaps]
    assert len(titles) == len(set(titles))


def test_the_same_gap_in_two_files_is_placed_in_each_file(checker: Checker, tmp_path: Path) -> None:
    # A note worked out for one programme is reused for the next with the same gap: its
    # location must still be the second file's own, and its text the same.
    data = merge(base_programme().data, {})
    data["objectives"] = [{"text": o["text"]} for o in data["objectives"]]  # no measures, no priority
    first, second = tmp_path / "first.yaml", tmp_path / "second.yaml"
    first.write_text(yaml.safe_dump(data, sort_keys=False))
    second.write_text("# a comment\n# another\n" + yaml.safe_dump(data, sort_keys=True))
    one, two = checker.check_path(first), checker.check_path(second)
    assert isinstance(one, Report) and isinstance(two, Report)
    gap_one = {g.title: g for g in one.gaps}
    gap_two = {g.title: g for g in two.gaps}
    assert gap_one.keys() == gap_two.keys() and gap_one
    for title, gap in gap_two.items():
        assert gap.location.file.endswith("second.yaml")
        assert gap_one[title].location.file.endswith("first.yaml")
        assert gap.message == gap_one[title].message
    lines = {t: (gap_one[t].location.line, gap_two[t].location.line) for t in gap_one}
    assert any(a != b for a, b in lines.values()), lines


def test_the_same_rules_left_open_by_different_fields_are_noted_by_each(checker: Checker) -> None:
    # Growth in whole-life cost is unknown in both: one description's history has no cost, the
    # other's has one but no current forecast. The same rules are left open; the fields that
    # left them open differ, and so must the notes, whichever the checker saw first.
    snapshot = {"date": D(2024, 1, 1), "whole_life_cost": {"amount": 100.0, "currency": "GBP"}}
    uncosted = {"history": [{"date": D(2024, 1, 1)}], "costs": {"whole_life": "unknown"}}
    costed = {"history": [snapshot], "costs": {"whole_life": "unknown"}}
    one, two = report(checker, uncosted), report(checker, costed)
    rules = {title: left_open for title, (_, left_open) in noted(one).items()}
    assert rules == {title: left_open for title, (_, left_open) in noted(two).items()}
    assert noted(one) != noted(two)
    assert noted(one) == noted(report(Checker(), uncosted))
    assert noted(two) == noted(report(Checker(), costed))
