"""The engine adapter's action loop: what fires, conclusions from the tally, failures contained."""

from __future__ import annotations

import signal
import threading
import time

import pytest

from govcheck.engine import Engine, EngineConclusion, EngineRule
from govcheck.errors import EngineError
from govcheck.signals import Interrupted, stop_on_signals

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


class _Stopped(BaseException):
    pass


@pytest.mark.skipif(not hasattr(signal, "pthread_sigmask"), reason="stop signals cannot be held here")
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["sigint", "sigterm"])
def test_a_stop_signal_during_a_session_waits_until_the_session_is_over(signum: int) -> None:
    """An exception from a signal handler in the middle of a session would leave one the engine
    cannot delete without corrupting its memory: the signal is held until the session is over,
    then delivered, and the engine goes on checking."""
    engine = Engine(RULES, CONCLUSIONS)
    actions = engine._ruleset._actions
    original = actions["r:a"]
    after_signal: list[str] = []

    def stopped_here(name: str, message: str) -> None:
        signal.pthread_kill(threading.get_ident(), signum)
        after_signal.append(name)  # a handler let through would have raised before this line
        original(name, message)

    def stop(signum: int, frame: object) -> None:
        raise _Stopped(signum)

    previous = signal.signal(signum, stop)
    try:
        actions["r:a"] = stopped_here
        with pytest.raises(_Stopped):
            engine.run({"x": 1, "y": 1})
        assert after_signal == ["r:a"]
        assert signum not in signal.pthread_sigmask(signal.SIG_BLOCK, [])  # held no longer
        actions["r:a"] = original
        out = engine.run({"x": 1, "y": 1, "z": 1, "w": 0})
        assert sorted(out.fired) == ["a", "b"] and out.conclusions == {
            "t": {"bad": {"a", "b"}, "poor": {"a"}}
        }
    finally:
        signal.signal(signum, previous)


@pytest.mark.skipif(not hasattr(signal, "pthread_kill"), reason="needs pthread_kill")
def test_a_stop_taken_by_another_thread_during_a_session_is_delivered_after_it() -> None:
    """A stop signal for the process may be taken by any thread that does not hold it (a
    progress display's, say); its handler still runs in the main thread, where the command's
    handler puts it off until the session is over."""
    engine = Engine(RULES, CONCLUSIONS)
    actions = engine._ruleset._actions
    original = actions["r:a"]
    other_ready, other_done = threading.Event(), threading.Event()
    other = threading.Thread(target=lambda: (other_ready.set(), other_done.wait(10)), daemon=True)
    other.start()
    other_ready.wait(10)
    after_signal: list[str] = []
    outcomes: list[list[str]] = []

    def stopped_here(name: str, message: str) -> None:
        assert other.ident is not None
        signal.pthread_kill(other.ident, signal.SIGTERM)
        time.sleep(0.05)  # the other thread takes it; the main thread's handler is due
        after_signal.append(name)
        original(name, message)

    actions["r:a"] = stopped_here
    try:
        with stop_on_signals(), pytest.raises(Interrupted):
            outcomes.append(sorted(engine.run({"x": 1, "y": 1}).fired))
            time.sleep(5)  # the stop, put off, arrives here
    finally:
        other_done.set()
    assert after_signal == ["r:a"] and outcomes == [["a", "b"]]
