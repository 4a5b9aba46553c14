"""The engine adapter's action loop: what fires, conclusions from the tally, failures contained."""

from __future__ import annotations

import pytest

from govcheck.engine import Engine, EngineConclusion, EngineRule
from govcheck.errors import EngineError

RULES = [
    EngineRule(id="a", pattern={"x": 1}, rank=3, category="governance"),
    EngineRule(id="b", pattern={"$or": [{"y": 1}, {"z": 1}]}, rank=1, category="cost"),
]
CONCLUSIONS = [
    EngineConclusion(
        id="t:0", topic="t", result="worst", trigger="finding", min_rank=3, categories=("cost",)
    ),
    EngineConclusion(id="t:1", topic="t", result="bad", trigger="areas", min_rank=1, at_least=2),
    EngineConclusion(id="t:2", topic="t", result="poor", trigger="finding", min_rank=3),
    EngineConclusion(id="t:3", topic="t", result="odd", trigger="programme", pattern={"w": 1}),
]


def test_rules_fire_once_and_conclusion_lines_read_the_tally() -> None:
    engine = Engine(RULES, CONCLUSIONS)
    out = engine.run({"x": 1, "y": 1, "z": 1, "w": 0})
    assert sorted(out.fired) == ["a", "b"]  # b matched by two paths, reported once
    assert out.conclusions == {"t": {"bad": {"a", "b"}, "poor": {"a"}}}
    out = engine.run({"x": 0, "y": 1, "w": 1})
    assert out.fired == ["b"] and out.conclusions == {"t": {"odd": set()}}
    assert engine.run({"x": 0}).fired == []  # a clean document: nothing fires, nothing crashes


def test_a_failing_action_is_an_engine_error_and_the_next_document_is_checked() -> None:
    engine = Engine(RULES, CONCLUSIONS)
    actions = engine._ruleset._actions
    original = actions["r:a"]

    def boom(name: str, message: str) -> None:
        raise RuntimeError("broken action")

    actions["r:a"] = boom
    with pytest.raises(EngineError, match="broken action"):
        engine.run({"x": 1})
    actions["r:a"] = original
    assert engine.run({"x": 1}).fired == ["a"]


def test_sessions_are_deleted_after_each_document() -> None:
    engine = Engine(RULES, CONCLUSIONS)
    for i in range(3000):  # the engine refuses a 1,025th live session
        assert engine.run({"x": i % 2}).fired == (["a"] if i % 2 else [])


def test_realised_findings_and_accepted_ones_in_the_tally() -> None:
    rules = [
        EngineRule(id="loss", pattern={"x": 1}, rank=3, category="value_for_money", realised=True),
        EngineRule(id="risk", pattern={"y": 1}, rank=3, category="cost"),
    ]
    lines = [
        EngineConclusion(id="v:0", topic="v", result="lost", trigger="finding", min_rank=3, realised=True),
        EngineConclusion(id="v:1", topic="v", result="risky", trigger="finding", min_rank=3),
    ]
    engine = Engine(rules, lines)
    out = engine.run({"x": 1, "y": 1})
    assert out.conclusions == {"v": {"lost": {"loss"}, "risky": {"loss", "risk"}}}
    assert out.lines == {"v:0", "v:1"}
    # A risk alone is no loss.
    assert engine.run({"x": 0, "y": 1}).conclusions == {"v": {"risky": {"risk"}}}
    # An accepted finding is reported but counts towards nothing.
    out = engine.run({"x": 1, "y": 0}, accepted=frozenset({"loss"}))
    assert out.fired == ["loss"] and out.conclusions == {} and out.lines == set()


def test_a_fact_the_engine_cannot_hold_is_refused_not_crashed() -> None:
    engine = Engine(RULES, CONCLUSIONS)
    wide = {f"g{i}": {f"f{j}": j for j in range(30)} for i in range(9)}  # 279 properties
    with pytest.raises(EngineError, match="at most 240"):
        engine.run(wide)
    assert engine.run({"x": 1}).fired == ["a"]
