"""Check programmes: load, validate, derive facts, run the engine, and build the Report."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

from govcheck import __version__
from govcheck.catalogue import Catalogue, LoadedRule, load_catalogue
from govcheck.charts import chart_data
from govcheck.conditions import compile_condition, facts_named
from govcheck.engine import Engine, EngineConclusion, EngineRule, Outcome
from govcheck.errors import EngineError, GovcheckError
from govcheck.facts import ProgrammeFacts, derive
from govcheck.model import Programme
from govcheck.report import Conclusion, FileError, Finding, Location, ProgrammeRef, Report
from govcheck.rule import Severity
from govcheck.validation import validate
from govcheck.yamlsource import Source, Span, load

ALL_GATES = frozenset(range(6))
INTERNAL_ERROR = "internal-error"


class Checker:
    """Checks programmes against a catalogue. Build one per process and reuse it."""

    def __init__(
        self, catalogue: Catalogue | None = None, *, gate: int | None = None, charts: bool = False
    ) -> None:
        self.catalogue = catalogue or load_catalogue()
        self.gate = gate
        self.charts = charts  # chart series, for the HTML reports: only computed when asked for
        rules = [_engine_rule(r) for r in self.catalogue.rules]
        conclusions = _engine_conclusions(self.catalogue)
        self._engine = Engine(rules, conclusions)
        self._needed = _fields_needed(self.catalogue)

    def check_path(self, path: str | os.PathLike[str]) -> Report | FileError:
        """Check one file; a file that cannot be read or validated becomes a FileError."""
        try:
            return self.check_source(load(path))
        except GovcheckError as exc:
            return file_error(exc, str(path))

    def check_source(self, source: Source) -> Report:
        programme = validate(Programme, source)
        return self.check_programme(programme, source)

    def check_programme(self, programme: Programme, source: Source | None = None) -> Report:
        source = source or Source(path="<programme>", data={})
        gate = self.gate if self.gate is not None else programme.next_gate
        facts = derive(programme, gate)
        nested = facts.model_dump()
        try:
            outcome = self._engine.run(_project(nested, self._needed))
        except EngineError as exc:
            return self._report(programme, source, gate, [_internal(str(exc), source)], Outcome())
        by_id = {r.rule.id: r for r in self.catalogue.rules}
        findings = [
            self._finding(by_id[rule_id], nested, facts, programme, source)
            for rule_id in dict.fromkeys(outcome.fired)
        ]
        return self._report(programme, source, gate, findings, outcome)

    def _report(
        self,
        programme: Programme,
        source: Source,
        gate: int | None,
        findings: list[Finding],
        outcome: Outcome,
    ) -> Report:
        findings.sort(key=lambda f: (-f.severity.rank, f.category, f.rule_id))
        table = self.catalogue.conclusions
        return Report(
            govcheck_version=__version__,
            programme=ProgrammeRef(
                id=programme.id,
                name=programme.name,
                department=programme.department,
                source=source.path,
                assessment_date=programme.assessment_date.isoformat(),
                gate=gate,
            ),
            rating=_conclude(table.rating, outcome.conclusions.get("rating", {})),
            value_for_money=_conclude(table.value_for_money, outcome.conclusions.get("value_for_money", {})),
            findings=tuple(findings),
            charts=chart_data(programme) if self.charts else None,
        )

    def _finding(
        self,
        loaded: LoadedRule,
        nested: dict[str, Any],
        facts: ProgrammeFacts,
        programme: Programme,
        source: Source,
    ) -> Finding:
        rule = loaded.rule
        context = {"fact": facts, "programme": programme}
        try:
            message = " ".join(loaded.finding.render(context).split())
            recommendation = " ".join(loaded.recommendation.render(context).split())
        except Exception as exc:  # noqa: BLE001 - a broken rule must not cost the other findings
            return _internal(f"rule {rule.id} ({loaded.path}) failed to render: {exc}", source)
        _, span = source.locate(rule.location)
        return Finding(
            rule_id=rule.id,
            title=rule.title,
            severity=rule.severity,
            category=rule.category.value,
            message=message,
            recommendation=recommendation,
            references=tuple(str(r) for r in rule.references),
            evidence={name: _lookup(nested, name) for name in rule.evidence},
            location=_location(source, rule.location, span),
        )


def file_error(exc: GovcheckError, path: str) -> FileError:
    return FileError(
        source=exc.file or path,
        message=exc.message,
        line=exc.line,
        column=exc.column,
        field=exc.field,
        text=str(exc),
    )


def _location(source: Source, pointer: str, span: Span) -> Location:
    return Location(
        file=source.path,
        line=span.line,
        column=span.column,
        end_line=span.end_line,
        end_column=span.end_column,
        path=pointer or "/",
    )


def _internal(message: str, source: Source) -> Finding:
    _, span = source.locate("")
    return Finding(
        rule_id=INTERNAL_ERROR,
        title="govcheck could not evaluate a rule",
        severity=Severity.high,
        category="internal",
        message=message,
        recommendation="Report this with the programme file and the rule concerned.",
        references=(),
        evidence={},
        location=_location(source, "", span),
    )


def _lookup(nested: dict[str, Any], dotted: str) -> Any:
    value: Any = nested
    for part in dotted.split("."):
        value = value[part]
    return list(value) if isinstance(value, tuple) else value


def _conclude(table: Sequence[Any], fired: dict[str, set[str]]) -> Conclusion:
    for line in table:
        if line.result in fired:
            return Conclusion(conclusion=line.result, because=tuple(sorted(fired[line.result])))
    return Conclusion(conclusion=table[-1].result)


def _engine_rule(loaded: LoadedRule) -> EngineRule:
    rule = loaded.rule
    pattern = loaded.pattern
    if frozenset(rule.gates) != ALL_GATES:
        gates = {"$or": [{"gate": -1}, *({"gate": g} for g in sorted(set(rule.gates)))]}
        pattern = {"$and": [gates, pattern]}
    return EngineRule(id=rule.id, pattern=pattern, rank=rule.severity.rank, category=rule.category.value)


def _engine_conclusions(catalogue: Catalogue) -> list[EngineConclusion]:
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


def _fields_needed(catalogue: Catalogue) -> frozenset[str]:
    needed = {"gate"}
    for r in catalogue.rules:
        needed |= facts_named(r.rule.when)
    for line in (*catalogue.conclusions.value_for_money, *catalogue.conclusions.rating):
        if line.programme is not None:
            needed |= facts_named(line.programme)
    return frozenset(needed)


def _project(nested: dict[str, Any], needed: frozenset[str]) -> dict[str, Any]:
    """Only the facts some condition reads go to the engine: it serialises every fact it gets."""
    out: dict[str, Any] = {}
    for dotted in needed:
        head, _, tail = dotted.partition(".")
        if tail:
            out.setdefault(head, {})[tail] = nested[head][tail]
        else:
            out[head] = nested[head]
    return out
