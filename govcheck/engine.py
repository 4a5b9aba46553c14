"""The rule engine adapter: the only module that imports durable-rules.

It keeps the engine inside the narrow pattern where it is safe: facts not events, one
session per document deleted afterwards, a sentinel fact so that a clean document never
reaches the engine's crash on deleting an untouched session, a discriminator (`kind`) in
every pattern so no rule can match the engine's own state fact, and actions run synchronously
through the engine's C interface (no global host, no timer threads; an action that raises is
abandoned and its exception raised). One Engine per process; build it once (for example in a
worker initialiser) and call `run` for each document.

A document's session, from its first fact to its deletion, runs with stop signals held (they
wait and are delivered as soon as it is over): an exception raised by a signal handler in the
middle of it would leave a session the engine cannot delete without corrupting its memory
(seen as `munmap_chunk(): invalid pointer` and an abort when Ctrl-C or SIGTERM fell there).
"""

from __future__ import annotations

import copy
import itertools
import json
import shlex
import sys
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from govcheck.errors import EngineError
from govcheck.signals import signals_blocked

#: How to rebuild the engine for this interpreter where its released sdist needs help: on
#: Python 3.13 and later it calls PyEval_CallObject, which 3.13 removed; the macro maps it onto
#: its replacement, and pip must not reuse a wheel it built earlier without it.
ENGINE_FIX = (
    f"CPPFLAGS=-DPyEval_CallObject=PyObject_CallObject {shlex.quote(sys.executable)} -m pip install "
    "--no-cache-dir --force-reinstall --no-deps durable-rules==2.0.28"
)

try:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        import durable_rules_engine as _rules
except ImportError as exc:  # pragma: no cover - exercised only with a broken engine build
    raise ImportError(
        f"govcheck: the rule engine durable-rules does not import on Python "
        f"{sys.version_info.major}.{sys.version_info.minor} ({exc}); rebuild it with: {ENGINE_FIX}"
    ) from None

Pattern = dict[str, Any]
RULESET = "govcheck"
#: Floats the engine can read: it rejects JSON numbers written with an exponent and no decimal
#: point, which is how Python writes floats from 1e16 up and below 1e-4.
FLOAT_MAX = 1e15
FLOAT_MIN = 1e-4
#: Properties a fact may hold, nested ones counted: beyond about 252 the engine crashes.
MAX_PROPERTIES = 240


@dataclass(frozen=True)
class EngineRule:
    """A finding rule: fires once when the programme fact matches `pattern`."""

    id: str
    pattern: Pattern
    rank: int
    category: str
    realised: bool = False


@dataclass(frozen=True)
class EngineConclusion:
    """A conclusion line: fires on the findings tally ("finding": some finding at or above
    `min_rank`, in one of `categories` if any are given, of realised loss or failure only if
    `realised`; "areas": findings at or above `min_rank` in at least `at_least` categories) or
    on the programme fact (`pattern`)."""

    id: str
    topic: str
    result: str
    trigger: str  # "finding" | "areas" | "programme"
    pattern: Pattern = field(default_factory=dict)
    min_rank: int = 0
    categories: tuple[str, ...] = ()
    at_least: int = 0
    realised: bool = False


@dataclass
class Outcome:
    """What one document produced: rule ids that fired and, per topic, result -> because."""

    fired: list[str] = field(default_factory=list)
    conclusions: dict[str, dict[str, set[str]]] = field(default_factory=dict)
    lines: set[str] = field(default_factory=set)  # the ids of the conclusion lines that fired


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
        self._fired: dict[str, None] = {}
        self._accepted: frozenset[str] = frozenset()
        self._lines: set[str] = set()
        self._conclusions: dict[str, dict[str, set[str]]] = {}
        self._thresholds = sorted({c.min_rank for c in conclusions if c.trigger == "areas"})
        named = {category for c in conclusions for category in c.categories}
        self._categories = sorted({r.category for r in rules} | named)
        ruleset: dict[str, tuple[dict[str, Any], Callable[[str, str], None]]] = {}
        for r in rules:
            ruleset[f"r:{r.id}"] = ({"all": [{"m": _kind("programme", r.pattern)}]}, self._on_rule(r))
        for c in conclusions:
            kind = "programme" if c.trigger == "programme" else "findings"
            ruleset[f"c:{c.id}"] = ({"all": [{"m": _kind(kind, _tally_pattern(c))}]}, self._on_conclusion(c))
        # The sentinel: a no-op action runs in every session, so the engine never deletes an
        # untouched one (which crashes it). Facts that match nothing (a clean programme) are
        # normal here: the engine reports them as unhandled after queuing every action that did.
        noop: Callable[[str, str], None] = lambda name, message: None  # noqa: E731
        ruleset["sentinel"] = ({"all": [{"m": {"kind": "end"}}]}, noop)
        self._ruleset = _Ruleset(RULESET, ruleset)

    def run(self, programme: Pattern, accepted: frozenset[str] = frozenset()) -> Outcome:
        """Evaluate one programme fact (nested dict of typed scalars) and return what fired.

        Findings of the `accepted` rules (accepted exceptions) are reported as fired but left out
        of what the conclusions read: on their own they drive no conclusion."""
        size = _properties(programme)
        if size > MAX_PROPERTIES:
            raise EngineError(f"the rules read {size} facts; the rule engine takes at most {MAX_PROPERTIES}")
        sid = f"doc{next(self._sessions)}"
        self._fired, self._conclusions, self._accepted, self._lines = {}, {}, accepted, set()
        with signals_blocked():
            self._session(sid, programme)
        return Outcome(fired=list(self._fired), conclusions=self._conclusions, lines=self._lines)

    def _session(self, sid: str, programme: Pattern) -> None:
        try:
            self._assert([{**_readable(programme), "kind": "programme", "id": "programme", "sid": sid}])
            # What the findings add up to goes back into the same session as one fact, where the
            # conclusion rules match it: each conclusion line fires at most once. The sentinel
            # closes the batch.
            self._assert([self._tally(sid), {"kind": "end", "id": "end", "sid": sid}])
        finally:
            try:
                self._ruleset.delete_state(sid)
            except Exception:  # noqa: BLE001 - a failed cleanup must not hide the real error
                pass

    def _tally(self, sid: str) -> Pattern:
        """The findings as conclusion lines read them: the highest severity rank overall and per
        category (of all findings, and of realised loss or failure), and per severity threshold
        the number of categories with findings at or above it. Accepted findings do not count."""
        ranks = dict.fromkeys(self._categories, -1)
        realised = dict.fromkeys(self._categories, -1)
        for rule in self._counted():
            ranks[rule.category] = max(ranks[rule.category], rule.rank)
            if rule.realised:
                realised[rule.category] = max(realised[rule.category], rule.rank)
        tally: Pattern = {
            "kind": "findings",
            "id": "findings",
            "sid": sid,
            "top": max(ranks.values(), default=-1),
        }
        tally.update({f"rank_{c}": r for c, r in ranks.items()})
        tally.update({f"realised_{c}": r for c, r in realised.items()})
        tally["realised_top"] = max(realised.values(), default=-1)
        tally.update({f"areas_{t}": sum(r >= t for r in ranks.values()) for t in self._thresholds})
        return tally

    def _counted(self) -> list[EngineRule]:
        return [self._rules[r] for r in self._fired if r not in self._accepted]

    def _assert(self, facts: list[Pattern]) -> None:
        try:
            self._ruleset.assert_facts(facts)
        except Exception as exc:
            raise EngineError(f"rule engine failed: {exc}") from exc

    def _on_rule(self, rule: EngineRule) -> Callable[[str, str], None]:
        def run(name: str, message: str) -> None:
            # An `any` condition compiles to several engine paths; more than one may match.
            self._fired[rule.id] = None

        return run

    def _on_conclusion(self, conclusion: EngineConclusion) -> Callable[[str, str], None]:
        def run(name: str, message: str) -> None:
            self._lines.add(conclusion.id)
            because = self._conclusions.setdefault(conclusion.topic, {}).setdefault(conclusion.result, set())
            # The rules the line rests on: every finding its trigger counts.
            if conclusion.trigger == "finding":
                because.update(
                    r.id
                    for r in self._counted()
                    if r.rank >= conclusion.min_rank
                    and (not conclusion.categories or r.category in conclusion.categories)
                    and (r.realised or not conclusion.realised)
                )
            elif conclusion.trigger == "areas":
                because.update(r.id for r in self._counted() if r.rank >= conclusion.min_rank)

        return run


def _tally_pattern(c: EngineConclusion) -> Pattern:
    """A conclusion line's trigger as a pattern on the findings tally (or, for a programme
    trigger, the programme fact)."""
    if c.trigger == "finding":
        prefix = "realised_" if c.realised else "rank_"
        if not c.categories:
            return {"$gte": {"realised_top" if c.realised else "top": c.min_rank}}
        parts = [{"$gte": {f"{prefix}{category}": c.min_rank}} for category in c.categories]
        return parts[0] if len(parts) == 1 else {"$or": parts}
    if c.trigger == "areas":
        return {"$gte": {f"areas_{c.min_rank}": c.at_least}}
    return c.pattern


def _properties(fact: Pattern) -> int:
    """The properties of a fact as the engine counts them: every key, nested ones included."""
    return sum(1 + (_properties(v) if isinstance(v, dict) else 0) for v in fact.values())


def _readable(value: Any) -> Any:
    """Leave out unknown (None) facts, so that no comparison can match them, and bring floats
    into the range the engine reads: tiny ones to 0, huge ones to +-FLOAT_MAX.

    Facts are counts, shares and sums of money, so the clamping never changes a comparison
    with a threshold inside the same range (which conditions.check enforces)."""
    if isinstance(value, dict):
        return {k: _readable(v) for k, v in value.items() if v is not None}
    if isinstance(value, float):
        if abs(value) < FLOAT_MIN:
            return 0.0
        return max(-FLOAT_MAX, min(FLOAT_MAX, value))
    return value


def _kind(kind: str, pattern: Pattern) -> Pattern:
    """Every pattern names the kind of fact it is for: the engine's state fact has none."""
    return {"$and": [{"kind": kind}, pattern]} if pattern else {"kind": kind}
