"""Evidence gaps: rules that could not be assessed because what they need is not described.

A rule whose condition is undetermined gives no finding (it must never assert an absence the
description does not state). Its unknown facts are grouped by the part of the description
they come from, and each part that is not described becomes one note.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from govcheck.conditions import facts_named
from govcheck.facts import SECTIONS
from govcheck.rule import Rule

GAP_ID = "evidence-gap"
GAP_CATEGORY = "evidence"


def unknown_facts(rule_when: Any, nested: Mapping[str, Any]) -> list[str]:
    """The facts a condition reads that are not known, in name order."""
    return sorted(name for name in facts_named(rule_when) if lookup(nested, name) is None)


def by_section(rules: Iterable[Rule], nested: Mapping[str, Any]) -> dict[str, tuple[list[str], list[Rule]]]:
    """Section -> (its unknown facts, the rules they left open), in SECTIONS order."""
    found: dict[str, tuple[list[str], list[Rule]]] = {}
    for rule in rules:
        for fact in unknown_facts(rule.when, nested):
            section = fact.split(".", 1)[0]
            facts, open_rules = found.setdefault(section, ([], []))
            if fact not in facts:
                facts.append(fact)
            if rule not in open_rules:
                open_rules.append(rule)
    return {s: found[s] for s in SECTIONS if s in found}


def message(section: str, facts: list[str], rules: list[Rule]) -> str:
    words = SECTIONS[section][1]
    ids = ", ".join(r.id for r in rules)
    count = f"{len(rules)} rule{'s' if len(rules) != 1 else ''}"
    return (
        f"The description does not say enough about {words} ({', '.join(sorted(facts))}), "
        f"so {count} could not be assessed: {ids}."
    )


def recommendation(section: str) -> str:
    return (
        f"Describe {SECTIONS[section][1]} in the programme description (at {SECTIONS[section][0]}), "
        "stating what is not in place explicitly (null, false or []), so these questions can be answered."
    )


def lookup(nested: Mapping[str, Any], dotted: str) -> Any:
    value: Any = nested
    for part in dotted.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value
