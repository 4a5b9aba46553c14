"""Evidence gaps are worked out once for each way of leaving rules open and shared by the
programmes that leave them so (govcheck.gapnotes): what a report says must never depend on
which programmes the checker saw before, or how many ways it keeps."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import EXAMPLES

from govcheck import gapnotes, gaps
from govcheck.checker import Checker
from govcheck.facts import derive
from govcheck.gaps import flatten
from govcheck.importers.schedule.evidence import attach
from govcheck.model import Programme
from govcheck.report import Report
from govcheck.validation import validate
from govcheck.yamlsource import load

#: Descriptions of many shapes: the examples and the real cases.
DESCRIPTIONS = sorted(
    p for p in [*EXAMPLES.glob("*.yaml"), *(EXAMPLES / "real").glob("*.yaml")] if not p.name.startswith("_")
)


def shifted(path: Path, tmp_path: Path, lines: int, spent: int) -> Path:
    """`path` with `lines` comment lines on top (every location moves down) and another amount
    spent to date: the same shape of description, in another file, with other figures."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["costs"]["spent_to_date"]["amount"] = spent
    out = tmp_path / f"{path.stem}-{lines}.yaml"
    out.write_text("# moved\n" * lines + yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return out


def fresh(path: Path) -> Report:
    report = Checker().check_path(path)
    assert isinstance(report, Report)
    return report


def test_a_programme_of_a_shape_seen_before_gets_its_own_locations(tmp_path: Path) -> None:
    checker = Checker()
    first = shifted(EXAMPLES / "ngss.yaml", tmp_path, 0, 94_000_000)
    second = shifted(EXAMPLES / "ngss.yaml", tmp_path, 7, 90_000_000)
    a, b = checker.check_path(first), checker.check_path(second)
    assert isinstance(a, Report) and isinstance(b, Report) and a.gaps
    assert [g.model_dump(exclude={"location"}) for g in a.gaps] == [
        g.model_dump(exclude={"location"}) for g in b.gaps
    ]
    for ga, gb in zip(a.gaps, b.gaps, strict=True):
        assert gb.location.file == str(second) and ga.location.file == str(first)
        # A part the description gives is 7 lines further down; one it leaves out is its start.
        assert gb.location.line == (ga.location.line + 7 if ga.location.line > 1 else 1)
    assert any(g.location.line > 1 for g in a.gaps)
    assert b == fresh(second)


@pytest.mark.parametrize("kept", [1, 3, gapnotes.KEPT])
def test_reports_do_not_depend_on_what_the_checker_saw_before(
    kept: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One checker over every description, twice over (so shapes are met again after others,
    and, with few kept, after being forgotten), gives each the report a new checker gives."""
    monkeypatch.setattr(gapnotes, "KEPT", kept)
    alone = {p: fresh(p) for p in DESCRIPTIONS}
    checker = Checker()
    for path in [*DESCRIPTIONS, *reversed(DESCRIPTIONS)]:
        assert checker.check_path(path) == alone[path], path.name


def test_rules_left_open_are_exactly_those_whose_condition_is_undetermined() -> None:
    """Only conditions that read both known and unknown facts are evaluated; the others are
    settled by three-valued logic alone. On every description, the rules left open are those
    whose condition evaluates to undetermined, each with the facts it reads that are unknown."""
    checker = Checker()
    notes = gapnotes.GapNotes(checker.catalogue.rules, checker._gaps.severity)
    fired = {r.rule.id for r in checker.catalogue.rules[::5]}  # some rules fired, as the engine says
    mixed = whole = 0
    for path in DESCRIPTIONS:
        source = load(str(path))
        programme, plan = attach(validate(Programme, source), source.path, checker._parameters)
        facts = flatten(derive(programme, programme.next_gate, plan).model_dump())
        found = {rule.id: unknown for rule, unknown in notes._undetermined(fired, facts, None, programme)}
        expected = {
            rule.id: tuple(name for name in condition.reads if facts.get(name) is None)
            for rule, condition in notes._rules
            if rule.id not in fired
            and (rule.requires is None or gaps.not_given(programme, rule.requires) is None)
            and condition.truth(facts) is None
        }
        assert found == expected, path.name
        reads = {rule.id: condition.reads for rule, condition in notes._rules}
        whole += sum(len(unknown) == len(reads[rule]) for rule, unknown in found.items())
        mixed += sum(len(unknown) < len(reads[rule]) for rule, unknown in found.items())
    assert mixed and whole, "the descriptions leave no rule open both ways: the test shows nothing"
