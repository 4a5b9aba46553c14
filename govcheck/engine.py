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
import shlex
import sys
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from govcheck.errors import EngineError

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
        from durable import engine as _durable
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


class _SyncHost(_durable.Host):  # type: ignore[misc]
    """A host without the timer threads that would run actions later and elsewhere."""

    def _run(self) -> None:
        pass


class Engine:
    def __init__(self, rules: Sequence[EngineRule], conclusions: Sequence[EngineConclusion]) -> None:
        self._rules = {r.id: r for r in rules}
        self._sessions = itertools.count()
        self._outcome = Outcome()
        self._areas: dict[int, set[str]] = {}
        self._pending: list[Pattern] = []
        self._kinds: set[str] = set()
        self._thresholds = sorted({c.min_rank for c in conclusions if c.trigger == "areas"})
        ruleset: dict[str, Any] = {}
        for r in rules:
            ruleset[f"r:{r.id}"] = {"all": [{"m": _kind("programme", r.pattern)}], "run": self._on_rule(r)}
        for c in conclusions:
            ruleset[f"c:{c.id}"] = {
                "all": [{"m": _kind(_FACT_KIND[c.trigger], c.pattern)}],
                "run": self._on_conclusion(c),
            }
        # The sentinel: a no-op action runs in every session, so the engine never deletes an
        # untouched one (which crashes it), and queued actions are flushed synchronously.
        # Facts that match nothing (a clean programme, an unconcluded finding) are normal here:
        # the engine reports them as unhandled after running every action that did match.
        noop: Callable[[Any], None] = lambda c: None  # noqa: E731
        ruleset["sentinel"] = {"all": [{"m": {"kind": "end"}}], "run": noop}
        self._host = _SyncHost()
        # set_rulesets consumes the dict it is given (it deletes `run`); give it a copy.
        self._host.set_rulesets({RULESET: _copy_ruleset(ruleset)})

    def run(self, programme: Pattern) -> Outcome:
        """Evaluate one programme fact (nested dict of typed scalars) and return what fired."""
        sid = f"doc{next(self._sessions)}"
        self._outcome, self._areas, self._pending, self._kinds = Outcome(), {}, [], set()
        try:
            self._assert({**_readable(programme), "kind": "programme", "id": "programme", "sid": sid})
            # Findings (and tallies of the areas they fall in) go back into the same session in
            # one batch, where the conclusion rules consume them: one round trip, not one each.
            if self._pending:
                self._assert([{**f, "sid": sid} for f in self._pending])
            self._assert({"kind": "end", "id": "end", "sid": sid})
        finally:
            try:
                self._host.delete_state(RULESET, sid)
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

    def _assert(self, fact: Pattern | list[Pattern]) -> None:
        try:
            if isinstance(fact, list):
                state = self._host.assert_facts(RULESET, fact)
            else:
                state = self._host.assert_fact(RULESET, fact)
        except (_durable.MessageNotHandledException, _durable.MessageObservedException):
            return
        except Exception as exc:
            raise EngineError(f"rule engine failed: {exc}") from exc
        if isinstance(state, dict) and "exception" in state:
            raise EngineError(f"rule engine action failed: {state['exception']}")

    def _on_rule(self, rule: EngineRule) -> Callable[[Any], None]:
        def run(c: Any) -> None:
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

    def _on_conclusion(self, conclusion: EngineConclusion) -> Callable[[Any], None]:
        def run(c: Any) -> None:
            because = self._outcome.conclusions.setdefault(conclusion.topic, {}).setdefault(
                conclusion.result, set()
            )
            if conclusion.trigger == "finding":
                because.add(f"{_KIND}{c.m.category}:{int(c.m.rank)}")
            elif conclusion.trigger == "areas":
                because.add(f"{_AREAS}{int(c.m.min_rank)}")

        return run


_AREAS = "areas>="
_KIND = "kind="
_FACT_KIND = {"finding": "finding", "areas": "tally", "programme": "programme"}


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


def _copy_ruleset(ruleset: dict[str, Any]) -> dict[str, Any]:
    return {
        name: {**{k: copy.deepcopy(v) for k, v in spec.items() if k != "run"}, "run": spec["run"]}
        for name, spec in ruleset.items()
    }
