"""The two conclusions: the conclusion lines as the engine runs them, and what a table's first
line that fired concludes, what it rests on, and what was not described that could have
changed it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from govcheck import gaps
from govcheck.catalogue import Catalogue
from govcheck.conditions import FactValues, Prepared, compile_condition, facts_named, prepare
from govcheck.engine import EngineConclusion, Outcome
from govcheck.report import BASIS, Basis, Conclusion
from govcheck.rule import Rule


def prepare_lines(table: Sequence[Any]) -> tuple[Prepared | None, ...]:
    """Each line's programme condition prepared once (None for a line on findings)."""
    return tuple(prepare(line.programme) if line.programme is not None else None for line in table)


def conclude(
    topic: str,
    table: Sequence[Any],
    prepared: Sequence[Prepared | None],
    outcome: Outcome,
    worst: dict[str, dict[str, int]],
    facts: FactValues,
    bases: dict[str, Basis],
) -> Conclusion:
    """The first line that fired, the kind of evidence it rests on (`bases`: each rule's), and the
    parts not described that left a worse line open. `prepared`: the lines' conditions
    (prepare_lines); `worst`: the evidence gaps (severest); `facts`: the programme's, by dotted name."""
    fired = outcome.conclusions.get(topic, {})
    left_open: list[str] = []
    for i, line in enumerate(table):
        if f"{topic}:{i}" in outcome.lines:
            because = tuple(sorted(fired[line.result]))
            return Conclusion(
                conclusion=line.result,
                basis=_line_basis(topic, table, prepared, line.result, because, outcome.lines, bases),
                because=because,
                figures=_figures(table, prepared, line.result, facts),
                not_described=tuple(dict.fromkeys(left_open)),
            )
        left_open += _open_sections(line, prepared[i], worst, facts)
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
    prepared: Sequence[Prepared | None],
    result: str,
    because: tuple[str, ...],
    fired: set[str],
    bases: dict[str, Basis],
) -> Basis:
    """The strongest kind of evidence among the findings the result rests on, or that the
    programme conditions of its lines that fired read."""
    kinds = {bases[r] for r in because if r in bases}
    for i, (line, condition) in enumerate(zip(table, prepared, strict=True)):
        if line.result == result and condition is not None and f"{topic}:{i}" in fired:
            kinds.add(_facts_basis(condition.reads))
    return next((k for k in BASIS if k in kinds), "none")


#: Facts that hold someone else's judgement of the programme rather than its own figures.
INDEPENDENT_FACTS = ("assessed.", "audit.", "history.independent", "history.previous_ipa", "gateway.")


def _facts_basis(names: Iterable[str]) -> Basis:
    return "independent" if any(n.startswith(INDEPENDENT_FACTS) for n in names) else "reported"


def rule_basis(rule: Rule) -> Basis:
    """A rule on someone else's judgement rests on that judgement, whatever it records."""
    kind = _facts_basis(facts_named(rule.when))
    return "realised" if rule.realised and kind != "independent" else kind


def _figures(
    table: Sequence[Any], prepared: Sequence[Prepared | None], result: str, facts: FactValues
) -> dict[str, Any]:
    """The facts read by the programme conditions of the lines giving `result`."""
    names = sorted(
        set().union(
            *(
                c.reads
                for line, c in zip(table, prepared, strict=True)
                if line.result == result and c is not None
            )
        )
    )
    return {name: _plain(facts.get(name)) for name in names}


def severest(sections: dict[str, tuple[list[str], list[Rule]]]) -> dict[str, dict[str, int]]:
    """Each part of the evidence gaps (gaps.by_section) -> category -> the highest severity rank
    among the rules it left open."""
    worst: dict[str, dict[str, int]] = {}
    for section, (_, rules) in sections.items():
        ranks = worst[section] = {}
        for r in rules:
            category, rank = r.category.value, r.severity.rank
            if ranks.get(category, -1) < rank:
                ranks[category] = rank
    return worst


def _open_sections(
    line: Any, condition: Prepared | None, worst: dict[str, dict[str, int]], facts: FactValues
) -> list[str]:
    """The parts not described that leave a conclusion line undetermined (`worst`: severest)."""
    if condition is not None:
        if condition.truth(facts) is not None:
            return []
        return [gaps.SECTIONS[f.split(".", 1)[0]][1] for f in gaps.unknown_facts(condition.reads, facts)]
    match = line.finding or line.areas
    if match is None:
        return []
    only = {c.value for c in getattr(match, "categories", ())}  # empty: every category
    least = match.min_severity.rank
    return [
        gaps.SECTIONS[section][1]
        for section, ranks in worst.items()
        if any(rank >= least and (not only or category in only) for category, rank in ranks.items())
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
