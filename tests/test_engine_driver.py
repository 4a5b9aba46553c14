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
