"""Check rule conditions against the fact schema and compile them to engine patterns.

Patterns are plain JSON-able dicts in the engine's condition syntax; this module never
imports the engine. Type checking here is what keeps the engine's coercions (a string
compared with a number compares as text, `true == 1`) from ever being reached.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from govcheck.facts import fact_fields
from govcheck.rule import AllOf, AnyOf, Compare, Condition, NotOf

Pattern = dict[str, Any]

_NEGATE = {
    "eq": "ne",
    "ne": "eq",
    "lt": "gte",
    "gte": "lt",
    "gt": "lte",
    "lte": "gt",
    "in": "not_in",
    "not_in": "in",
}
_ENGINE_OP = {"ne": "$neq", "lt": "$lt", "lte": "$lte", "gt": "$gt", "gte": "$gte"}
#: `in` lists longer than this are not expanded into one engine path per value (the engine's
#: network grows with every path, and a few hundred values take minutes to build); membership
#: is tested once per programme instead, into a flag under MEMBERSHIP that the pattern reads.
IN_EXPAND_LIMIT = 8
MEMBERSHIP = "member"


class ConditionError(ValueError):
    """A condition that names an unknown fact or compares it with the wrong kind of value."""


def facts_named(cond: Condition) -> set[str]:
    if isinstance(cond, Compare):
        return {cond.fact}
    if isinstance(cond, NotOf):
        return facts_named(cond.not_)
    children = cond.all if isinstance(cond, AllOf) else cond.any
    return set().union(*(facts_named(c) for c in children))


def check_fact(name: str, schema: dict[str, Any]) -> Any:
    if name not in schema:
        hint = difflib.get_close_matches(name, list(schema), n=1, cutoff=0.6)
        raise ConditionError(f"unknown fact {name!r}" + (f"; did you mean {hint[0]!r}?" if hint else ""))
    return schema[name]


def check(cond: Condition, schema: dict[str, Any] | None = None) -> None:
    """Raise ConditionError unless every comparison names a known fact with a value of its type."""
    schema = fact_fields() if schema is None else schema
    if isinstance(cond, Compare):
        ann = check_fact(cond.fact, schema)
        values = cond.value if cond.op in ("in", "not_in") else (cond.value,)
        for v in values:
            _check_value(cond.fact, ann, v)
        return
    if isinstance(cond, NotOf):
        check(cond.not_, schema)
        return
    for child in cond.all if isinstance(cond, AllOf) else cond.any:
        check(child, schema)


def _check_value(name: str, ann: Any, value: Any) -> None:
    if typing.get_origin(ann) is Literal:
        choices = typing.get_args(ann)
        if value not in choices or not isinstance(value, str):
            raise ConditionError(f"{name} is one of {', '.join(map(repr, choices))}; got {value!r}")
        return
    if isinstance(value, float) and value and not 1e-4 <= abs(value) <= 1e15:
        raise ConditionError(f"{name}: {value!r} is outside the range the engine reads (1e-4 to 1e15)")
    ok = {
        bool: isinstance(value, bool),
        int: isinstance(value, int) and not isinstance(value, bool),
        float: isinstance(value, (int, float)) and not isinstance(value, bool),
        str: isinstance(value, str),
    }[ann]
    if not ok:
        raise ConditionError(f"{name} is a {ann.__name__}; cannot compare it with {value!r}")


def compile_condition(cond: Condition, negate: bool = False) -> Pattern:
    """Compile to the engine's syntax, pushing any `not` down to the comparisons.

    Facts that are not known are left out of what the engine sees, and no comparison matches
    a missing field, so the pattern matches when the condition is *definitely* true.
    """
    if isinstance(cond, NotOf):
        return compile_condition(cond.not_, not negate)
    if isinstance(cond, Compare):
        op = _NEGATE[cond.op] if negate else cond.op
        return compare(cond.fact, op, cond.value)
    is_all = isinstance(cond, AllOf) != negate
    children = cond.all if isinstance(cond, AllOf) else cond.any
    parts = [compile_condition(c, negate) for c in children]
    return parts[0] if len(parts) == 1 else {"$and" if is_all else "$or": parts}


#: Facts by dotted name (`group.name`); a fact absent or None is not known.
FactValues = Mapping[str, Any]


@dataclass(frozen=True)
class Prepared:
    """A condition prepared once for every programme: the facts it reads, in name order, and its
    three-valued (Kleene) truth, None when the facts that are known do not settle it. Used only
    for what the engine cannot say, that a rule is *undetermined*; the engine alone decides
    what fires."""

    reads: tuple[str, ...]
    truth: Callable[[FactValues], bool | None]


def prepare(cond: Condition) -> Prepared:
    return Prepared(reads=tuple(sorted(facts_named(cond))), truth=_truth(cond))


def _truth(cond: Condition) -> Callable[[FactValues], bool | None]:
    if isinstance(cond, NotOf):
        inner = _truth(cond.not_)

        def negated(facts: FactValues) -> bool | None:
            value = inner(facts)
            return None if value is None else not value

        return negated
    if isinstance(cond, Compare):
        name, test, operand = cond.fact, _OPS[cond.op], cond.value

        def compared(facts: FactValues) -> bool | None:
            value = facts.get(name)
            return None if value is None else test(value, operand)

        return compared
    parts = tuple(_truth(c) for c in (cond.all if isinstance(cond, AllOf) else cond.any))
    decisive = isinstance(cond, AnyOf)  # True settles `any`; False settles `all`

    def combined(facts: FactValues) -> bool | None:
        unsettled = False
        for part in parts:
            value = part(facts)
            if value is None:
                unsettled = True
            elif value == decisive:
                return decisive
        return None if unsettled else not decisive

    return combined


_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "eq": lambda a, b: a == b,
    "ne": lambda a, b: a != b,
    "lt": lambda a, b: a < b,
    "lte": lambda a, b: a <= b,
    "gt": lambda a, b: a > b,
    "gte": lambda a, b: a >= b,
    "in": lambda a, b: a in b,
    "not_in": lambda a, b: a not in b,
}


def membership_key(fact: str, values: tuple[Any, ...]) -> str:
    digest = hashlib.sha256(json.dumps([fact, sorted({repr(v) for v in values})]).encode()).hexdigest()[:12]
    return f"m{digest}"


def memberships(cond: Condition) -> dict[str, tuple[str, frozenset[Any]]]:
    """The long `in` lists of a condition: flag name -> (fact, values)."""
    if isinstance(cond, Compare):
        if cond.op in ("in", "not_in") and len(set(cond.value)) > IN_EXPAND_LIMIT:
            return {membership_key(cond.fact, cond.value): (cond.fact, frozenset(cond.value))}
        return {}
    if isinstance(cond, NotOf):
        return memberships(cond.not_)
    found: dict[str, tuple[str, frozenset[Any]]] = {}
    for child in cond.all if isinstance(cond, AllOf) else cond.any:
        found.update(memberships(child))
    return found


def compare(fact: str, op: str, value: Any) -> Pattern:
    if op == "eq":
        return {fact: value}
    if op in ("in", "not_in"):
        values = tuple(dict.fromkeys(value))
        if len(values) > IN_EXPAND_LIMIT:
            return {f"{MEMBERSHIP}.{membership_key(fact, values)}": op == "in"}
        parts = [compare(fact, "eq" if op == "in" else "ne", v) for v in values]
        return parts[0] if len(parts) == 1 else {"$or" if op == "in" else "$and": parts}
    return {_ENGINE_OP[op]: {fact: value}}
