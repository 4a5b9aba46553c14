"""The gate question files: valid, naming only rules and fields that exist, covering every rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from govcheck.catalogue import load_catalogue
from govcheck.errors import RuleError
from govcheck.gates import GATE_NAMES, described_field, field_exists, load_gates
from govcheck.model import Programme

CATALOGUE = load_catalogue()
RULE_IDS = [r.rule.id for r in CATALOGUE.rules]
GATES = load_gates(rule_ids=RULE_IDS)


def test_every_gate_has_a_file() -> None:
    assert sorted(GATES.by_gate) == sorted(GATE_NAMES)


@pytest.mark.parametrize("gate", sorted(GATE_NAMES))
def test_every_rule_that_applies_at_the_gate_bears_on_a_question(gate: int) -> None:
    named = {rule for q in GATES.by_gate[gate].questions for rule in q.rules}
    applies = {r.rule.id for r in CATALOGUE.rules if gate in r.rule.gates}
    assert sorted(applies - named) == []


@pytest.mark.parametrize("gate", sorted(GATE_NAMES))
def test_each_gate_asks_about_all_five_cases(gate: int) -> None:
    assert {q.area.value for q in GATES.by_gate[gate].questions} == {
        "strategic",
        "economic",
        "commercial",
        "financial",
        "management",
    }


def test_field_names_are_checked() -> None:
    assert field_exists("business_case.stage")
    assert field_exists("parties.commitment")
    assert field_exists("gateway_reviews.recommendations.due")
    assert not field_exists("business_case.stag")
    assert not field_exists("parties.commitment.level")
    assert not field_exists("Business_case")


def _gate_file(tmp_path: Path, body: str) -> Path:
    directory = tmp_path / "gates"
    directory.mkdir()
    (directory / "gate-3.yaml").write_text(body, encoding="utf-8")
    return directory


GOOD = """\
gate: 3
name: Investment decision
source: {title: Gate 3 review workbook, publisher: IPA}
questions:
  - number: "1"
    area: strategic
    question: Is the need still clear and agreed?
    evidence: An updated strategic case with objectives.
    source: Core questions, strategic case
    rules: [%s]
    fields: [%s]
"""


def test_an_unknown_rule_is_a_located_error(tmp_path: Path) -> None:
    directory = _gate_file(tmp_path, GOOD % ("objectives-mising", "objectives"))
    with pytest.raises(RuleError) as err:
        load_gates(directory, RULE_IDS)
    assert "no rule 'objectives-mising' in the catalogue; did you mean 'objectives-missing'?" in str(
        err.value
    )
    assert err.value.line == 10


def test_an_unknown_field_is_a_located_error(tmp_path: Path) -> None:
    directory = _gate_file(tmp_path, GOOD % ("objectives-missing", "objective"))
    with pytest.raises(RuleError) as err:
        load_gates(directory, RULE_IDS)
    assert "no field 'objective'" in str(err.value) and err.value.line == 11


def test_a_gate_in_the_wrong_file_is_an_error(tmp_path: Path) -> None:
    directory = _gate_file(
        tmp_path, (GOOD % ("objectives-missing", "objectives")).replace("gate: 3", "gate: 2")
    )
    with pytest.raises(RuleError, match=r"gate 2 is in a file named gate-3\.yaml"):
        load_gates(directory, RULE_IDS)


def test_described_field_follows_lists_and_stated_absence() -> None:
    base = {"id": "x", "name": "X", "department": "D", "assessment_date": "2026-01-01"}
    import datetime as dt

    base["assessment_date"] = dt.date(2026, 1, 1)
    p = Programme.model_validate(
        {**base, "parties": [{"name": "A", "role": "customer", "commitment": "committed"}]}
    )
    assert described_field(p, "parties.commitment")
    assert not described_field(p, "parties.needs_assessed")
    assert not described_field(p, "business_case.stage")
    empty = Programme.model_validate({**base, "parties": []})
    assert described_field(empty, "parties.commitment")
