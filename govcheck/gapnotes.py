"""The evidence gaps of programmes checked against one catalogue (see govcheck.gaps): the rules
a programme left open, and a note for each part of the description they need.

What is the same for every programme is worked out once for the run: each rule's condition
prepared, the rules of each gate, what each fact is derived from, and the text of each note
(kept for each part, fields and rules; only the location differs from file to file).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from pydantic import BaseModel

from govcheck import gaps
from govcheck.catalogue import LoadedRule
from govcheck.conditions import FactValues, Prepared, prepare
from govcheck.report import Finding, located
from govcheck.rule import Rule, Severity
from govcheck.yamlsource import Source

#: Notes kept for reuse across the programmes of a run (then begun again).
NOTES_KEPT = 4096

Sections = dict[str, tuple[list[str], list[Rule]]]


class GapNotes:
    def __init__(self, rules: Sequence[LoadedRule], severity: Severity) -> None:
        self.severity = severity
        self._rules = [(r.rule, prepare(r.rule.when)) for r in rules]
        self._declared = {f: gaps.declared(f) for _, c in self._rules for f in c.reads}
        self._at_gate: dict[int | None, list[tuple[Rule, Prepared]]] = {}
        self._notes: dict[tuple[str, tuple[str, ...], tuple[str, ...]], Finding] = {}

    def sections(
        self, fired: Collection[str], facts: FactValues, gate: int | None, programme: BaseModel
    ) -> Sections:
        """The parts of the description not described enough (gaps.by_section), from the rules
        that did not fire (`fired`: those that did) but might have."""
        return gaps.by_section(
            self._undetermined(set(fired), facts, gate, programme), programme, self._declared.__getitem__
        )

    def notes(self, sections: Sections, source: Source) -> tuple[Finding, ...]:
        return tuple(self._note(s, fields, rules, source) for s, (fields, rules) in sections.items())

    def _undetermined(
        self, fired: set[str], facts: FactValues, gate: int | None, programme: BaseModel
    ) -> list[tuple[Rule, list[str]]]:
        """Rules that did not fire but might have, had what they read been described (rules on
        evidence a description may attach apply only when it is attached), each with the facts
        it reads that are not known."""
        if gate not in self._at_gate:
            self._at_gate[gate] = [(r, c) for r, c in self._rules if gate is None or gate in r.gates]
        attached: dict[str, bool] = {}
        found = []
        for rule, condition in self._at_gate[gate]:
            if rule.id in fired:
                continue
            if rule.requires is not None:
                if rule.requires not in attached:
                    attached[rule.requires] = gaps.not_given(programme, rule.requires) is None
                if not attached[rule.requires]:
                    continue
            if condition.truth(facts) is None:
                found.append((rule, gaps.unknown_facts(condition.reads, facts)))
        return found

    def _note(self, section: str, fields: list[str], rules: list[Rule], source: Source) -> Finding:
        """One part of the description (`section`), the fields of it not described, in the
        format's names, and the rules they left open."""
        location = located(source, gaps.SECTIONS[section][0])
        key = (section, tuple(fields), tuple(r.id for r in rules))
        note = self._notes.get(key)
        if note is None:
            if len(self._notes) >= NOTES_KEPT:
                self._notes.clear()
            note = self._notes[key] = Finding(
                rule_id=gaps.GAP_ID,
                title=f"Not described: {gaps.SECTIONS[section][1]}",
                severity=self.severity,
                category=gaps.GAP_CATEGORY,
                message=gaps.message(section, fields, rules),
                recommendation=gaps.recommendation(section),
                references=tuple(dict.fromkeys(str(ref) for r in rules for ref in r.references)),
                evidence={"not_described": fields, "rules": [r.id for r in rules]},
                location=location,
            )
        return note.model_copy(update={"location": location})
