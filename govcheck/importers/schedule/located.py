"""Where findings on a schedule point, and the analysis parameters rule options set."""

from __future__ import annotations

from typing import Any

from govcheck.catalogue import Catalogue
from govcheck.errors import RuleError
from govcheck.importers.schedule.evidence import PARAMETERS, ScheduleEvidence
from govcheck.importers.schedule.model import Kind
from govcheck.report import Location
from govcheck.rule import Rule
from govcheck.yamlsource import Source


def in_schedule(
    plan: ScheduleEvidence, rule: Rule, source: Source, location: Location, evidence: dict[str, Any]
) -> tuple[Location, list[dict[str, Any]]]:
    """Where a finding on the schedule points: the schedule file, at the first activity its check
    names (else its first line); a milestone finding there, at the milestone its evidence names,
    only when the description itself names no milestones. And every activity the check names,
    for JSON and SARIF."""
    offenders = plan.assessment.checks[rule.activities].offenders if rule.activities else ()
    if rule.location.startswith("/milestones"):
        if source.locate("/milestones")[0]:
            return location, []
        named = {v for v in evidence.values() if isinstance(v, str)}
        milestones = [a for a in plan.current.activities if a.kind is Kind.milestone]
        offenders = tuple([a for a in milestones if a.label in named] or milestones)[:1]
    line = offenders[0].line if offenders else 1
    here = Location(
        file=plan.current.path, line=line, column=1, end_line=line, end_column=1, path=rule.location
    )
    return here, [{"id": a.id, "name": a.name, "line": a.line} for a in offenders]


def parameters(catalogue: Catalogue) -> dict[str, float]:
    """The schedule analysis parameters that rule options set (`parameter:`)."""
    found: dict[str, float] = {}
    for r in catalogue.rules:
        for name, option in r.rule.options.items():
            if option.parameter is None:
                continue
            if option.parameter not in PARAMETERS:
                raise RuleError(
                    f"option {name!r} sets an unknown parameter {option.parameter!r}; "
                    f"known: {', '.join(PARAMETERS)}",
                    file=r.path,
                    line=r.line,
                    field=f"options.{name}.parameter",
                )
            found[option.parameter] = option.effective
    return found
