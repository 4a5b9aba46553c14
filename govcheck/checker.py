"""Check programmes: load, validate, derive facts, run the engine, and build the Report."""

from __future__ import annotations

import difflib
import os
from typing import Any

from govcheck import __version__, gaps
from govcheck.bodies import body
from govcheck.catalogue import Catalogue, LoadedRule, load_catalogue
from govcheck.charts import chart_data
from govcheck.conclude import conclude, engine_conclusions, prepare_lines, rule_basis
from govcheck.conditions import MEMBERSHIP, FactValues, facts_named, memberships
from govcheck.engine import MAX_PROPERTIES, Engine, EngineRule, Outcome
from govcheck.errors import EngineError, GovcheckError, InputError, RuleError
from govcheck.facts import ProgrammeFacts, derive
from govcheck.gapnotes import GapNotes
from govcheck.gates import load_gates
from govcheck.importers.schedule.evidence import ScheduleEvidence, attach
from govcheck.importers.schedule.located import in_schedule, parameters
from govcheck.importers.schedule.summary import summarise
from govcheck.model import AcceptedException, Programme
from govcheck.progress import progress
from govcheck.readiness import act_first, assess, order
from govcheck.report import (
    Acceptance,
    Citation,
    FileError,
    Finding,
    ProgrammeRef,
    RatingRef,
    Report,
    Snapshot,
    located,
)
from govcheck.rule import Rule, Severity
from govcheck.validation import validate
from govcheck.workbook import load_programme
from govcheck.yamlsource import Source

ALL_GATES = frozenset(range(6))
INTERNAL_ERROR = "internal-error"


class Checker:
    """Checks programmes against a catalogue. Build one per process and reuse it."""

    def __init__(
        self,
        catalogue: Catalogue | None = None,
        *,
        gate: int | None = None,
        charts: bool = False,
        gap_severity: Severity = Severity.low,
    ) -> None:
        self.catalogue = catalogue or load_catalogue()
        self.gate = gate
        self.charts = charts  # chart series, for the HTML reports: only computed when asked for
        rules = [_engine_rule(r) for r in self.catalogue.rules]
        conclusions = engine_conclusions(self.catalogue)
        self._engine = Engine(rules, conclusions)
        self._needed = _fields_needed(self.catalogue)
        self._members = _memberships(self.catalogue)
        groups = {name.partition(".")[0] for name in self._needed}
        size = len(self._needed) + len(groups) + len(self._members) + 4  # + membership, kind, id, sid
        if size > MAX_PROPERTIES:
            raise RuleError(
                f"the rules read {size} facts together; the rule engine takes at most {MAX_PROPERTIES}"
            )
        self._parameters = parameters(self.catalogue)
        self._by_id = {r.rule.id: r for r in self.catalogue.rules}
        self._basis = {r.rule.id: rule_basis(r.rule) for r in self.catalogue.rules}
        self._gaps = GapNotes(self.catalogue.rules, gap_severity)
        table = self.catalogue.conclusions
        self._lines = {
            "rating": prepare_lines(table.rating),
            "value_for_money": prepare_lines(table.value_for_money),
        }
        self.gates = load_gates()

    def check_path(self, path: str | os.PathLike[str]) -> Report | FileError:
        """Check one file; a file that cannot be read or validated becomes a FileError."""
        try:
            return self.check_source(load_programme(path))
        except GovcheckError as exc:
            return file_error(exc, str(path))

    def check_source(self, source: Source) -> Report:
        programme = validate(Programme, source)
        self._check_exceptions(programme, source)
        return self.check_programme(programme, source)

    def _check_exceptions(self, programme: Programme, source: Source) -> None:
        """An accepted exception must name a rule of the catalogue."""
        for i, exception in enumerate(programme.exceptions):
            if exception.rule not in self._by_id:
                hint = difflib.get_close_matches(exception.rule, list(self._by_id), n=1)
                _, span = source.locate(f"/exceptions/{i}/rule")
                raise InputError(
                    f"no rule {exception.rule!r} in the catalogue"
                    + (f"; did you mean {hint[0]!r}?" if hint else ""),
                    file=source.path,
                    line=span.line,
                    column=span.column,
                    field=f"exceptions.{i}.rule",
                    cell=span.cell,
                )

    def check_programme(self, programme: Programme, source: Source | None = None) -> Report:
        """The report on one validated programme. Schedule files it names are read relative to
        `source`; one that cannot be read raises InputError."""
        source = source or Source(path="<programme>", data={})
        gate = self.gate if self.gate is not None else programme.next_gate
        programme, plan = attach(programme, source.path, self._parameters)
        facts = derive(programme, gate, plan)
        flat = gaps.flatten(facts.model_dump())
        accepted = {e.rule: e for e in programme.exceptions}
        try:
            outcome = self._engine.run(self._engine_fact(flat), frozenset(accepted))
        except EngineError as exc:
            failed = [_internal(str(exc), source)]
            return self._report(programme, source, gate, failed, Outcome(), flat, plan)
        findings = [
            self._finding(self._by_id[rule_id], flat, facts, programme, source, accepted.get(rule_id), plan)
            for rule_id in dict.fromkeys(outcome.fired)
        ]
        return self._report(programme, source, gate, findings, outcome, flat, plan)

    def _engine_fact(self, flat: FactValues) -> dict[str, Any]:
        fact = _project(flat, self._needed)
        if self._members:
            fact[MEMBERSHIP] = {
                key: value in values
                for key, (name, values) in self._members.items()
                if (value := flat.get(name)) is not None
            }
        return fact

    def _report(
        self,
        programme: Programme,
        source: Source,
        gate: int | None,
        findings: list[Finding],
        outcome: Outcome,
        flat: FactValues,
        plan: ScheduleEvidence | None = None,
    ) -> Report:
        questions = self.gates.get(gate)
        findings = order(findings, questions)
        found = self._gaps.find(outcome.fired, flat, gate, programme, source)
        worst = found.worst
        table = self.catalogue.conclusions
        return Report(
            govcheck_version=__version__,
            programme=_reference(programme, source, gate),
            rating=conclude("rating", table.rating, self._lines["rating"], outcome, worst, flat, self._basis),
            value_for_money=conclude(
                "value_for_money",
                table.value_for_money,
                self._lines["value_for_money"],
                outcome,
                worst,
                flat,
                self._basis,
            ),
            findings=tuple(findings),
            gaps=self._gaps.notes(found, source),
            charts=chart_data(programme) if self.charts else None,
            readiness=assess(questions, programme, findings) if questions else None,
            review_progress=progress(programme),
            act_first=act_first(findings),
            schedule=summarise(plan, (r.rule for r in self.catalogue.rules), outcome.fired) if plan else None,
        )

    def _finding(
        self,
        loaded: LoadedRule,
        flat: FactValues,
        facts: ProgrammeFacts,
        programme: Programme,
        source: Source,
        exception: AcceptedException | None = None,
        plan: ScheduleEvidence | None = None,
    ) -> Finding:
        rule = loaded.rule
        context = template_context(programme, facts, rule)
        try:
            message = " ".join(loaded.finding.render(context).split())
            recommendation = " ".join(loaded.recommendation.render(context).split())
        except Exception as exc:  # noqa: BLE001 - a broken rule must not cost the other findings
            return _internal(f"rule {rule.id} ({loaded.path}) failed to render: {exc}", source)
        location = located(source, rule.location)
        evidence = {name: _plain(flat.get(name)) for name in rule.evidence}
        if plan is not None and rule.location.startswith(("/schedule_files", "/milestones")):
            location, listed = in_schedule(plan, rule, source, location, evidence)
            if rule.activities:
                evidence["activities"] = listed
        return Finding(
            rule_id=rule.id,
            title=rule.title,
            severity=rule.severity,
            category=rule.category.value,
            message=message,
            recommendation=recommendation,
            references=tuple(str(r) for r in rule.references),
            evidence=evidence,
            location=location,
            accepted=_acceptance(exception) if exception else None,
        )


def template_context(programme: Programme, facts: ProgrammeFacts, rule: Rule | None = None) -> dict[str, Any]:
    """What a rule's finding and recommendation templates see (catalogue.TEMPLATE_NAMES)."""
    option = rule.values if rule else {}
    return {"fact": facts, "programme": programme, "body": body(programme), "option": option}


def _acceptance(e: AcceptedException) -> Acceptance:
    return Acceptance(
        reason=e.reason, accepted_by=e.accepted_by, basis=e.basis, date=e.date.isoformat() if e.date else None
    )


def file_error(exc: GovcheckError, path: str) -> FileError:
    return FileError(
        source=exc.file or path,
        message=exc.message,
        line=exc.line,
        column=exc.column,
        field=exc.field,
        cell=exc.cell,
        text=str(exc),
    )


def _internal(message: str, source: Source) -> Finding:
    return Finding(
        rule_id=INTERNAL_ERROR,
        title="govcheck could not evaluate a rule",
        severity=Severity.high,
        category="internal",
        message=message,
        recommendation="Report this with the programme file and the rule concerned.",
        references=(),
        evidence={},
        location=located(source, ""),
    )


def _reference(programme: Programme, source: Source, gate: int | None) -> ProgrammeRef:
    who = body(programme)
    return ProgrammeRef(
        id=programme.id,
        name=programme.name,
        department=programme.department,
        source=source.path,
        assessment_date=programme.assessment_date.isoformat(),
        gate=gate,
        status=programme.status.state if programme.status else None,
        sources=tuple(
            Citation(
                title=c.title,
                publisher=c.publisher,
                date=c.date.isoformat() if c.date else None,
                reference=c.reference,
            )
            for c in programme.sources
        ),
        reference_ratings=tuple(
            RatingRef(by=r.by, rating=r.rating.value, date=r.date.isoformat())
            for r in programme.reference_ratings
        ),
        organisation=who.type,
        short_name=who.short,
        history=tuple(
            Snapshot(
                date=h.date.isoformat(),
                whole_life_cost=h.whole_life_cost.amount if h.whole_life_cost else None,
                planned_end_date=h.planned_end_date.isoformat() if h.planned_end_date else None,
                ratings=tuple(RatingRef(by=r.by, rating=r.rating.value) for r in h.ratings),
            )
            for h in programme.history
        ),
    )


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def _engine_rule(loaded: LoadedRule) -> EngineRule:
    rule = loaded.rule
    pattern = loaded.pattern
    if frozenset(rule.gates) != ALL_GATES:
        gates = {"$or": [{"$nex": {"gate": 1}}, *({"gate": g} for g in sorted(set(rule.gates)))]}
        pattern = {"$and": [gates, pattern]}
    return EngineRule(
        id=rule.id,
        pattern=pattern,
        rank=rule.severity.rank,
        category=rule.category.value,
        realised=rule.realised,
    )


def _memberships(catalogue: Catalogue) -> dict[str, tuple[str, frozenset[Any]]]:
    found: dict[str, tuple[str, frozenset[Any]]] = {}
    for r in catalogue.rules:
        found.update(memberships(r.rule.when))
    for line in (*catalogue.conclusions.value_for_money, *catalogue.conclusions.rating):
        if line.programme is not None:
            found.update(memberships(line.programme))
    return found


def _fields_needed(catalogue: Catalogue) -> frozenset[str]:
    needed = {"gate"}
    for r in catalogue.rules:
        needed |= facts_named(r.rule.when)
    for line in (*catalogue.conclusions.value_for_money, *catalogue.conclusions.rating):
        if line.programme is not None:
            needed |= facts_named(line.programme)
    return frozenset(needed)


def _project(flat: FactValues, needed: frozenset[str]) -> dict[str, Any]:
    """Only the facts some condition reads go to the engine: it serialises every fact it gets."""
    out: dict[str, Any] = {}
    for dotted in needed:
        head, _, tail = dotted.partition(".")
        if tail:
            out.setdefault(head, {})[tail] = flat[dotted]
        else:
            out[head] = flat[dotted]
    return out
