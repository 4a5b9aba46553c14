"""The two conclusions: the conclusion lines as the engine runs them, and what a table's first
line that fired concludes, what it rests on, and what was not described that could have
changed it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from govcheck import gaps
from govcheck.catalogue import Catalogue
from govcheck.conditions import compile_condition, evaluate, facts_named
from govcheck.engine import EngineConclusion, Outcome
from govcheck.report import BASIS, Basis, Conclusion
from govcheck.rule import Category, Rule


def conclude(
    topic: str,
    table: Sequence[Any],
    outcome: Outcome,
    sections: dict[str, tuple[list[str], list[Rule]]],
    nested: dict[str, Any],
    bases: dict[str, Basis],
) -> Conclusion:
    """The first line that fired, the kind of evidence it rests on (`bases`: each rule's), and the
    parts not described that left a worse line open."""
    fired = outcome.conclusions.get(topic, {})
    left_open: list[str] = []
    for i, line in enumerate(table):
        if f"{topic}:{i}" in outcome.lines:
            because = tuple(sorted(fired[line.result]))
            return Conclusion(
                conclusion=line.result,
                basis=_line_basis(topic, table, line.result, because, outcome.lines, bases),
                because=because,
                figures=_figures(table, line.result, nested),
                not_described=tuple(dict.fromkeys(left_open)),
            )
        left_open += _open_sections(line, sections, nested)
    return Conclusion(
        conclusion=table[-1].result,
        # The best rating is reached by ruling the others out on described evidence; the
        # value-for-money default is reached when nothing decides it.
        basis="reported" if topic == "rating" else "none",
        not_described=tuple(dict.fromkeys(left_open)),
    )


def _line_basis(
    topic: str,
    table: Sequence[Any],
    result: str,
    because: tuple[str, ...],
    fired: set[str],
    bases: dict[str, Basis],
) -> Basis:
    """The strongest kind of evidence among the findings the result rests on, or that the
    programme conditions of its lines that fired read."""
    kinds = {bases[r] for r in because if r in bases}
    for i, line in enumerate(table):
        if line.result == result and line.programme is not None and f"{topic}:{i}" in fired:
            kinds.add(_facts_basis(facts_named(line.programme)))
    return next((k for k in BASIS if k in kinds), "none")


#: Facts that hold someone else's judgement of the programme rather than its own figures.
INDEPENDENT_FACTS = ("assessed.", "audit.", "history.independent", "history.previous_ipa", "gateway.")


def _facts_basis(names: set[str] | frozenset[str]) -> Basis:
    return "independent" if any(n.startswith(INDEPENDENT_FACTS) for n in names) else "reported"


def rule_basis(rule: Rule) -> Basis:
    """A rule on someone else's judgement rests on that judgement, whatever it records."""
    kind = _facts_basis(facts_named(rule.when))
    return "realised" if rule.realised and kind != "independent" else kind


def _figures(table: Sequence[Any], result: str, nested: dict[str, Any]) -> dict[str, Any]:
    """The facts read by the programme conditions of the lines giving `result`."""
    names = sorted(
        set().union(
            *(facts_named(line.programme) for line in table if line.result == result and line.programme)
        )
    )
    return {name: _plain(gaps.lookup(nested, name)) for name in names}


def _open_sections(
    line: Any, sections: dict[str, tuple[list[str], list[Rule]]], nested: dict[str, Any]
) -> list[str]:
    """The parts not described that leave a conclusion line undetermined."""
    if line.programme is not None:
        if evaluate(line.programme, lambda name: gaps.lookup(nested, name)) is not None:
            return []
        return [gaps.SECTIONS[f.split(".", 1)[0]][1] for f in gaps.unknown_facts(line.programme, nested)]
    match = line.finding or line.areas
    if match is None:
        return []
    categories = {c.value for c in getattr(match, "categories", ())} or {c.value for c in Category}
    return [
        gaps.SECTIONS[section][1]
        for section, (_, rules) in sections.items()
        if any(r.category.value in categories and r.severity.rank >= match.min_severity.rank for r in rules)
    ]


def engine_conclusions(catalogue: Catalogue) -> list[EngineConclusion]:
    found = []
    for topic in ("value_for_money", "rating"):
        for i, line in enumerate(getattr(catalogue.conclusions, topic)):
            common = {"id": f"{topic}:{i}", "topic": topic, "result": line.result, "trigger": line.trigger}
            if line.finding is not None:
                found.append(
                    EngineConclusion(
                        **common,
                        min_rank=line.finding.min_severity.rank,
                        categories=tuple(c.value for c in line.finding.categories),
                        realised=line.finding.realised,
                    )
                )
            elif line.areas is not None:
                found.append(
                    EngineConclusion(
                        **common, min_rank=line.areas.min_severity.rank, at_least=line.areas.at_least
                    )
                )
            elif line.programme is not None:
                found.append(EngineConclusion(**common, pattern=compile_condition(line.programme)))
    return found


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value
