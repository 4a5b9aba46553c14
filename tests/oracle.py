"""The reference meaning of a rule condition, in plain Python, for differential tests.

It evaluates a condition over flat facts (`group.field` -> value) the way a reader of the
rule would: equality never equates a boolean with a number or a string with a number, which
is exactly where the engine's own comparisons may not be trusted (see conditions.py).
"""

from __future__ import annotations

from typing import Any

from govcheck.rule import AllOf, AnyOf, Condition, NotOf


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    return type(value).__name__


def same(left: Any, right: Any) -> bool:
    """Equal values of the same kind: True is not 1, "9" is not 9, but 1 is 1.0."""
    return _kind(left) == _kind(right) and bool(left == right)


def evaluate(cond: Condition, facts: dict[str, Any]) -> bool:
    """The reference meaning of a condition over flat facts (`group.field` keys), in plain Python."""
    if isinstance(cond, NotOf):
        return not evaluate(cond.not_, facts)
    if isinstance(cond, AllOf):
        return all(evaluate(c, facts) for c in cond.all)
    if isinstance(cond, AnyOf):
        return any(evaluate(c, facts) for c in cond.any)
    left, right = facts[cond.fact], cond.value
    match cond.op:
        case "eq":
            return same(left, right)
        case "ne":
            return not same(left, right)
        case "lt":
            return bool(left < right)
        case "lte":
            return bool(left <= right)
        case "gt":
            return bool(left > right)
        case "gte":
            return bool(left >= right)
        case "in":
            return any(same(left, v) for v in right)
        case _:
            return not any(same(left, v) for v in right)
