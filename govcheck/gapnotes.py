"""The evidence gaps of programmes checked against one catalogue (see govcheck.gaps): the rules
a programme left open, and a note for each part of the description they need.

What is the same for every programme is worked out once for the run: each rule's condition
prepared, the rules of each gate and the facts they read, and what each fact is derived from.
The gaps themselves are worked out once for each way of leaving rules open (the rules, the
facts of each that are not known, and which of the fields those facts are derived from the
description gives): descriptions of the same shape, such as the projects of one GMPP release,
share them. Only the location of each note differs from file to file.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import TypeVar

from pydantic import BaseModel

from govcheck import gaps
from govcheck.catalogue import LoadedRule
from govcheck.conclude import severest
from govcheck.conditions import FactValues, Prepared, prepare
from govcheck.report import Finding, located
from govcheck.rule import Rule, Severity
from govcheck.yamlsource import Source

#: Ways of leaving rules open kept for reuse across the programmes of a run (then begun again):
#: enough for the shapes of a GMPP release, little memory where every file has its own.
KEPT = 128
#: Notes kept for reuse across those ways (the same part, fields and rules left open recur in
#: different ways of leaving rules open, and one note object serves them all).
NOTES_KEPT = 4096

Sections = dict[str, tuple[list[str], list[Rule]]]
#: The rules left open, each with the facts it reads that are not known.
OpenRules = tuple[tuple[str, tuple[str, ...]], ...]
K = TypeVar("K")
V = TypeVar("V")


@dataclass(frozen=True)
class Found:
    """The evidence gaps of one way of leaving rules open, shared by the programmes that leave
    them so: never changed once made."""

    sections: Sections
    #: Part -> category -> the highest severity rank among the rules it left open (severest).
    worst: dict[str, dict[str, int]]
    #: Each part's note, located in the first programme that needed it.
    notes: tuple[tuple[str, Finding], ...]


class GapNotes:
    def __init__(self, rules: Sequence[LoadedRule], severity: Severity) -> None:
        self.severity = severity
        self._rules = [(r.rule, prepare(r.rule.when)) for r in rules]
        self._declared = {f: gaps.declared(f) for _, c in self._rules for f in c.reads}
        self._at_gate: dict[int | None, list[tuple[Rule, Prepared, frozenset[str]]]] = {}
        self._fields: dict[OpenRules, tuple[str, ...]] = {}
        self._found: dict[tuple[OpenRules, tuple[str | None, ...]], Found] = {}
        self._notes: dict[tuple[str, tuple[str, ...], tuple[str, ...]], Finding] = {}

    def find(
        self,
        fired: Collection[str],
        facts: FactValues,
        gate: int | None,
        programme: BaseModel,
        source: Source,
    ) -> Found:
        """The parts of the description not described enough (gaps.by_section), from the rules
        that did not fire (`fired`: those that did) but might have."""
        open_rules = self._undetermined(set(fired), facts, gate, programme)
        key = tuple((rule.id, unknown) for rule, unknown in open_rules)
        fields = self._fields.get(key)
        if fields is None:
            fields = self._keep(self._fields, key, self._fields_read(open_rules), KEPT)
        given = {field: gaps.not_given(programme, field) for field in fields}
        shape = (key, tuple(given.values()))
        found = self._found.get(shape)
        if found is None:
            sections = gaps.by_section(open_rules, programme, self._declared.__getitem__, given.__getitem__)
            notes = tuple((s, self._note(s, names, rules, source)) for s, (names, rules) in sections.items())
            found = self._keep(self._found, shape, Found(sections, severest(sections), notes), KEPT)
        return found

    def notes(self, found: Found, source: Source) -> tuple[Finding, ...]:
        """The notes of `found`, each located in `source`."""
        return tuple(
            note.model_copy(update={"location": located(source, gaps.SECTIONS[section][0])})
            for section, note in found.notes
        )

    def _undetermined(
        self, fired: set[str], facts: FactValues, gate: int | None, programme: BaseModel
    ) -> list[tuple[Rule, tuple[str, ...]]]:
        """Rules that did not fire but might have, had what they read been described (rules on
        evidence a description may attach apply only when it is attached), each with the facts
        it reads that are not known. Conditions are three-valued (Kleene): one whose facts are
        all known is settled, and one whose facts are all unknown is not, so only a condition
        reading both is evaluated."""
        at_gate = self._at_gate.get(gate)
        if at_gate is None:
            at_gate = self._at_gate[gate] = [
                (r, c, frozenset(c.reads)) for r, c in self._rules if gate is None or gate in r.gates
            ]
        unknown = {name for name in self._declared if facts.get(name) is None}
        attached: dict[str, bool] = {}
        found = []
        for rule, condition, reads in at_gate:
            if rule.id in fired or reads.isdisjoint(unknown):
                continue
            if rule.requires is not None:
                if rule.requires not in attached:
                    attached[rule.requires] = gaps.not_given(programme, rule.requires) is None
                if not attached[rule.requires]:
                    continue
            if reads <= unknown or condition.truth(facts) is None:
                found.append((rule, tuple(name for name in condition.reads if name in unknown)))
        return found

    def _fields_read(self, open_rules: list[tuple[Rule, tuple[str, ...]]]) -> tuple[str, ...]:
        """Every field the unknown facts of `open_rules` are derived from, once each."""
        return tuple(
            dict.fromkeys(
                field
                for fact in dict.fromkeys(f for _, unknown in open_rules for f in unknown)
                for group in self._declared[fact]
                for field in group
            )
        )

    def _note(self, section: str, fields: list[str], rules: list[Rule], source: Source) -> Finding:
        """One part of the description (`section`), the fields of it not described, in the
        format's names, and the rules they left open; located in each file by `notes`."""
        key = (section, tuple(fields), tuple(r.id for r in rules))
        note = self._notes.get(key)
        if note is None:
            note = Finding(
                rule_id=gaps.GAP_ID,
                title=f"Not described: {gaps.SECTIONS[section][1]}",
                severity=self.severity,
                category=gaps.GAP_CATEGORY,
                message=gaps.message(section, fields, rules),
                recommendation=gaps.recommendation(section),
                references=tuple(dict.fromkeys(str(ref) for r in rules for ref in r.references)),
                evidence={"not_described": fields, "rules": [r.id for r in rules]},
                location=located(source, gaps.SECTIONS[section][0]),
            )
            self._keep(self._notes, key, note, NOTES_KEPT)
        return note

    @staticmethod
    def _keep(kept: dict[K, V], key: K, value: V, limit: int) -> V:
        if len(kept) >= limit:
            kept.clear()
        kept[key] = value
        return value
