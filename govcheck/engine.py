"""The rule engine adapter: the only module that imports durable-rules.

It keeps the engine inside the narrow pattern where it is safe: facts not events, one
session per document deleted afterwards, a sentinel fact so that a clean document never
reaches the engine's crash on deleting an untouched session, a discriminator (`kind`) in
every pattern so no rule can match the engine's own state fact, exceptions raised from the
returned state, and no global host or timer threads. One Engine per process; build it once
(for example in a worker initialiser) and call `run` for each document.
"""

from __future__ import annotations

import copy
import itertools
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from govcheck.errors import EngineError

if sys.version_info >= (3, 13):  # pragma: no cover - exercised only on unsupported Pythons
    raise ImportError(
        "govcheck needs Python 3.11 or 3.12: durable-rules, its rule engine, does not import on 3.13+"
    )

import warnings

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    import durable_rules_engine as _rules

Pattern = dict[str, Any]
RULESET = "govcheck"
#: Floats the engine can read: it rejects JSON numbers written with an exponent and no decimal
#: point, which is how Python writes floats from 1e16 up and below 1e-4.
FLOAT_MAX = 1e15
FLOAT_MIN = 1e-4


@dataclass(frozen=True)
class EngineRule:
    """A finding rule: fires once when the programme fact matches `pattern`."""

    id: str
    pattern: Pattern
    rank: int
    category: str


@dataclass(frozen=True)
class EngineConclusion:
    """A conclusion rule, fed by finding facts, area tallies or the programme fact."""

    id: str
    topic: str
    result: str
    trigger: str  # "finding" | "areas" | "programme"
    pattern: Pattern
    min_rank: int = 0  # for "areas": the severity rank its tally counts from


@dataclass
class Outcome:
    """What one document produced: rule ids that fired and, per topic, result -> because."""

    fired: list[str] = field(default_factory=list)
    conclusions: dict[str, dict[str, set[str]]] = field(default_factory=dict)


class _Ruleset:
    """One ruleset driven directly through the engine's C interface, synchronously.

    durable's Python host would, for every action, decode the matched facts, re-encode the
    session state and re-assert it (which is also what lets a careless rule match the state
    fact forever). Actions here never change the state, so none of that is needed: an action
    gets the engine's message as text and reads from it only what it uses.
    """

    def __init__(self, name: str, rules: dict[str, tuple[dict[str, Any], Callable[[str, str], None]]]):
        definition = {rule: copy.deepcopy(spec) for rule, (spec, _) in rules.items()}
        self._actions = {rule: action for rule, (_, action) in rules.items()}
        self._handle = _rules.create_ruleset(name, json.dumps(definition, ensure_ascii=False))

    def assert_facts(self, facts: list[Pattern]) -> None:
        """Assert facts into their session and run every action they make ready, in order."""
        _, state = _rules.assert_facts(self._handle, json.dumps(facts, ensure_ascii=False))
        started = _rules.start_action_for_state(self._handle, state)
        message = started[1] if started else None
        while message:
            name = message[2 : message.index('"', 2)]  # '{"<rule name>":{...}}'
            try:
                self._actions[name](name, message)
            except BaseException:
                _rules.abandon_action(self._handle, state)
                raise
            message = _rules.complete_and_start_action(self._handle, state)

    def delete_state(self, sid: str) -> None:
        _rules.delete_state(self._handle, sid)


class Engine:
    def __init__(self, rules: Sequence[EngineRule], conclusions: Sequence[EngineConclusion]) -> None:
        self._rules = {r.id: r for r in rules}
        self._sessions = itertools.count()
        self._outcome = Outcome()
        self._areas: dict[int, set[str]] = {}
        self._pending: list[Pattern] = []
        self._kinds: set[str] = set()
        self._thresholds = sorted({c.min_rank for c in conclusions if c.trigger == "areas"})
        ruleset: dict[str, tuple[dict[str, Any], Callable[[str, str], None]]] = {}
        for r in rules:
            ruleset[f"r:{r.id}"] = ({"all": [{"m": _kind("programme", r.pattern)}]}, self._on_rule(r))
        for c in conclusions:
            ruleset[f"c:{c.id}"] = (
                {"all": [{"m": _kind(_FACT_KIND[c.trigger], c.pattern)}]},
                self._on_conclusion(c),
            )
        # The sentinel: a no-op action runs in every session, so the engine never deletes an
        # untouched one (which crashes it), and queued actions are flushed synchronously.
        # Facts that match nothing (a clean programme, an unconcluded finding) are normal here:
        # the engine reports them as unhandled after running every action that did match.
        noop: Callable[[str, str], None] = lambda name, message: None  # noqa: E731
        ruleset["sentinel"] = ({"all": [{"m": {"kind": "end"}}]}, noop)
        self._ruleset = _Ruleset(RULESET, ruleset)

    def run(self, programme: Pattern) -> Outcome:
        """Evaluate one programme fact (nested dict of typed scalars) and return what fired."""
        sid = f"doc{next(self._sessions)}"
        self._outcome, self._areas, self._pending, self._kinds = Outcome(), {}, [], set()
        try:
            self._assert([{**_readable(programme), "kind": "programme", "id": "programme", "sid": sid}])
            # Findings (and tallies of the areas they fall in) go back into the same session in
            # one batch, where the conclusion rules consume them: one round trip, not one each.
            # The sentinel closes the batch.
            self._assert(
                [*({**f, "sid": sid} for f in self._pending), {"kind": "end", "id": "end", "sid": sid}]
            )
        finally:
            try:
                self._ruleset.delete_state(sid)
            except Exception:  # noqa: BLE001 - a failed cleanup must not hide the real error
                pass
        outcome, self._outcome = self._outcome, Outcome()
        for results in outcome.conclusions.values():
            for result, because in results.items():
                results[result] = self._resolve_areas(because, outcome.fired)
        return outcome

    def _resolve_areas(self, because: set[str], fired: list[str]) -> set[str]:
        """The rules a conclusion rests on: those behind each finding kind it matched, and for
        an areas conclusion every finding at or above its severity threshold."""
        resolved = set()
        for marker in because:
            if marker.startswith(_AREAS):
                threshold = int(marker.removeprefix(_AREAS))
                resolved.update(r for r in fired if self._rules[r].rank >= threshold)
            else:
                category, rank = marker.removeprefix(_KIND).rsplit(":", 1)
                resolved.update(
                    r
                    for r in fired
                    if self._rules[r].category == category and self._rules[r].rank == int(rank)
                )
        return resolved

    def _assert(self, facts: list[Pattern]) -> None:
        try:
            self._ruleset.assert_facts(facts)
        except Exception as exc:
            raise EngineError(f"rule engine failed: {exc}") from exc

    def _on_rule(self, rule: EngineRule) -> Callable[[str, str], None]:
        def run(name: str, message: str) -> None:
            # An `any` condition compiles to several engine paths; more than one may match.
            if rule.id in self._outcome.fired:
                return
            self._outcome.fired.append(rule.id)
            # One finding fact per category and severity: a conclusion line needs only to know
            # that such a finding exists; which rules it rests on is resolved when the run ends.
            kind = f"f:{rule.category}:{rule.rank}"
            if kind not in self._kinds:
                self._kinds.add(kind)
                self._pending.append(
                    {"kind": "finding", "id": kind, "rank": rule.rank, "category": rule.category}
                )
            for threshold in self._thresholds:
                seen = self._areas.setdefault(threshold, set())
                if rule.rank >= threshold and rule.category not in seen:
                    seen.add(rule.category)
                    self._pending.append(
                        {
                            "kind": "tally",
                            "id": f"t:{threshold}:{len(seen)}",
                            "min_rank": threshold,
                            "areas": len(seen),
                        }
                    )

        return run

    def _on_conclusion(self, conclusion: EngineConclusion) -> Callable[[str, str], None]:
        def run(name: str, message: str) -> None:
            fact = json.loads(message)[name]["m"] if conclusion.trigger != "programme" else {}
            because = self._outcome.conclusions.setdefault(conclusion.topic, {}).setdefault(
                conclusion.result, set()
            )
            if conclusion.trigger == "finding":
                because.add(f"{_KIND}{fact['category']}:{int(fact['rank'])}")
            elif conclusion.trigger == "areas":
                because.add(f"{_AREAS}{int(fact['min_rank'])}")

        return run


_AREAS = "areas>="
_KIND = "kind="
_FACT_KIND = {"finding": "finding", "areas": "tally", "programme": "programme"}


def _readable(value: Any) -> Any:
    """Bring floats into the range the engine reads: tiny ones to 0, huge ones to +-FLOAT_MAX.

    Facts are counts, shares and sums of money, so the clamping never changes a comparison
    with a threshold inside the same range (which conditions.check enforces)."""
    if isinstance(value, dict):
        return {k: _readable(v) for k, v in value.items()}
    if isinstance(value, float):
        if abs(value) < FLOAT_MIN:
            return 0.0
        return max(-FLOAT_MAX, min(FLOAT_MAX, value))
    return value


def _kind(kind: str, pattern: Pattern) -> Pattern:
    """Every pattern names the kind of fact it is for: the engine's state fact has none."""
    return {"$and": [{"kind": kind}, pattern]} if pattern else {"kind": kind}
