"""The Report: what a check concludes about one programme; every output format renders it."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from pydantic import Field, computed_field

from govcheck.frozen import Frozen
from govcheck.importers.schedule.summary import ScheduleSummary
from govcheck.measures import Measures
from govcheck.progress import ReviewProgress
from govcheck.readiness import Readiness, act_first, refresh
from govcheck.rule import SEVERITY_ORDER, Severity
from govcheck.since import Comparison

if TYPE_CHECKING:
    from govcheck.yamlsource import Source


class Location(Frozen):
    file: str
    line: int
    column: int
    end_line: int
    end_column: int
    path: str = Field(description="JSON pointer of the field the finding is about.")
    cell: str | None = Field(
        default=None,
        description="In a workbook: the sheet and cell, e.g. `Costs!C4` (line and column are then its row "
        "and column number).",
    )

    @property
    def where(self) -> str:
        """`file:line`, or `file:Sheet!C4` in a workbook: how every human format names the place."""
        return f"{self.file}:{self.cell}" if self.cell else f"{self.file}:{self.line}"


def located(source: Source, pointer: str) -> Location:
    """Where the field at JSON pointer `pointer` of `source` is (the nearest part it gives)."""
    _, span = source.locate(pointer)
    return Location(
        file=source.path,
        line=span.line,
        column=span.column,
        end_line=span.end_line,
        end_column=span.end_column,
        path=pointer or "/",
        cell=span.cell,
    )


class Suppression(Frozen):
    kind: Literal["waiver", "baseline"]
    justification: str
    owner: str = ""
    expires: str = ""


class Acceptance(Frozen):
    """A finding accepted by an accountable person with a documented justification."""

    reason: str
    accepted_by: str
    basis: str
    date: str | None = None


class Finding(Frozen):
    rule_id: str
    title: str
    severity: Severity
    category: str
    message: str
    recommendation: str
    references: tuple[str, ...]
    evidence: dict[str, Any]
    location: Location
    suppression: Suppression | None = None
    accepted: Acceptance | None = Field(
        default=None, description="Accepted as an exception: reported, but drives no conclusion on its own."
    )

    @property
    def active(self) -> bool:
        return self.suppression is None


#: What a conclusion can rest on, strongest first, with how strong a basis it is.
BASIS: dict[str, tuple[str, str]] = {
    "realised": ("strong", "losses or failures that have happened"),
    "independent": ("strong", "independent judgements: assessments, assurance opinions or earlier ratings"),
    "reported": ("moderate", "the programme's own figures, forecasts and described arrangements"),
    "none": ("weak", "nothing decisive: too little is described to conclude more"),
}
Basis = Literal["realised", "independent", "reported", "none"]


class Conclusion(Frozen):
    conclusion: str
    basis: Basis = Field(default="none", description="What kind of evidence it rests on; see `strength`.")
    because: tuple[str, ...] = Field(default=(), description="The findings (rule ids) it rests on.")
    figures: dict[str, Any] = Field(default={}, description="The facts a programme condition read.")
    not_described: tuple[str, ...] = Field(
        default=(), description="Parts of the description, not described, that could have changed it."
    )

    @computed_field  # type: ignore[prop-decorator]
    @property
    def strength(self) -> Literal["strong", "moderate", "weak"]:
        return BASIS[self.basis][0]  # type: ignore[return-value]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def rests_on(self) -> str:
        return BASIS[self.basis][1]


class Citation(Frozen):
    title: str
    publisher: str
    date: str | None = None
    reference: str | None = None


class RatingRef(Frozen):
    by: str
    rating: str
    date: str | None = None


class Snapshot(Frozen):
    date: str
    whole_life_cost: float | None = None
    planned_end_date: str | None = None
    ratings: tuple[RatingRef, ...] = ()


class ProgrammeRef(Frozen):
    id: str
    name: str
    department: str
    source: str
    assessment_date: str
    gate: int | None
    status: str | None = Field(default=None, description="active, paused, reset, terminated, ...")
    sources: tuple[Citation, ...] = ()
    reference_ratings: tuple[RatingRef, ...] = Field(
        default=(), description="Ratings given by others (IPA, SRO), for comparison only."
    )
    history: tuple[Snapshot, ...] = ()
    organisation: str = Field(default="central_department", description="The kind of body that owns it.")
    short_name: str | None = Field(
        default=None, description="How the report refers to the body after naming it once."
    )


class BenefitPoint(NamedTuple):
    date: str
    forecast: float


class MigrationPoint(NamedTuple):
    date: str
    planned: int
    done: int | None


class MilestonePoint(NamedTuple):
    name: str
    baseline: str
    latest: str
    slip_days: int
    achieved: bool
    overdue: bool


class ChartData(Frozen):
    """Plain series for the charts of the HTML report, computed from the programme (govcheck.charts).

    Dates are ISO strings and money is in `currency`. The series are what the charts draw; the
    conclusions never read them.
    """

    currency: str
    assessment_date: str
    benefits: tuple[BenefitPoint, ...] = Field(
        default=(),
        description="Cumulative forecast, pro-rated within each year, at each date where its slope changes.",
    )
    expected_to_date: float = Field(default=0.0, description="The cumulative forecast at the assessment.")
    delivered_to_date: float | None = Field(default=None, description="None when none is reported.")
    migration_unit: str = ""
    migration_total: int = 0
    migration: tuple[MigrationPoint, ...] = Field(
        default=(), description="Cumulative planned and done at each checkpoint."
    )
    milestones: tuple[MilestonePoint, ...] = Field(
        default=(),
        description="latest: the actual, else forecast, else baseline date; slip_days: latest less baseline.",
    )


class Report(Frozen):
    govcheck_version: str
    programme: ProgrammeRef
    rating: Conclusion
    value_for_money: Conclusion
    findings: tuple[Finding, ...]
    gaps: tuple[Finding, ...] = Field(
        default=(), description="Evidence-gap notes: rules that could not be assessed, by section."
    )
    charts: ChartData | None = Field(default=None, description="Series for HTML charts; not in JSON reports.")
    readiness: Readiness | None = Field(
        default=None, description="For the gate under review, when there is one."
    )
    review_progress: ReviewProgress | None = Field(
        default=None, description="The last review held, and what has become of its recommendations."
    )
    act_first: tuple[str, ...] = Field(
        default=(), description="Rule ids of the recommendations to act on first, in order."
    )
    since: Comparison | None = Field(default=None, description="What changed since the previous assessment.")
    schedule: ScheduleSummary | None = Field(
        default=None, description="The schedule file the description names: its checks, and what moved."
    )

    def by_severity(self, *, active_only: bool = True) -> dict[str, int]:
        counts = {s.value: 0 for s in reversed(SEVERITY_ORDER)}
        for f in self.findings:
            if f.active or not active_only:
                counts[f.severity.value] += 1
        return counts

    def fails(self, threshold: Severity) -> bool:
        return any(f.active and f.severity.rank >= threshold.rank for f in (*self.findings, *self.gaps))

    @property
    def suppressed(self) -> int:
        return sum(1 for f in (*self.findings, *self.gaps) if not f.active)


class RuleInfo(Frozen):
    """A rule's metadata, for formats that describe the rules they report on (SARIF, docs)."""

    id: str
    title: str
    description: str
    severity: Severity
    category: str
    references: tuple[str, ...]
    source: str = Field(description="The rule file.")


class FileError(Frozen):
    """A file that could not be checked, and why; it takes a row in every report."""

    source: str
    message: str
    line: int | None = None
    column: int | None = None
    field: str | None = None
    cell: str | None = Field(default=None, description="In a workbook: the sheet and cell, e.g. `Costs!C4`.")
    text: str = Field(description="The one-line error as printed.")


Outcome = Report | FileError


def suppress(
    outcomes: tuple[Outcome, ...], decide: Callable[[Finding], Suppression | None]
) -> tuple[Outcome, ...]:
    """Mark the active findings that `decide` suppresses; everything else passes unchanged."""
    return tuple(suppress_one(o, decide) for o in outcomes)


def suppress_one(outcome: Outcome, decide: Callable[[Finding], Suppression | None]) -> Outcome:
    """`suppress` for one outcome (its findings and evidence gaps), as outcomes stream past."""
    if not isinstance(outcome, Report):
        return outcome
    update: dict[str, Any] = {}
    for name in ("findings", "gaps"):
        marked = []
        changed = False
        for f in getattr(outcome, name):
            reason = decide(f) if f.active else None
            changed |= reason is not None
            marked.append(f if reason is None else f.model_copy(update={"suppression": reason}))
        if changed:
            update[name] = tuple(marked)
    if "findings" in update:  # what is waived or baselined no longer blocks, nor comes first
        findings = update["findings"]
        update["act_first"] = act_first(findings)
        if outcome.readiness is not None:
            update["readiness"] = refresh(outcome.readiness, findings)
    return outcome.model_copy(update=update) if update else outcome


class Run(Frozen):
    """Everything one invocation produced, in input order: what every format renders."""

    govcheck_version: str
    outcomes: tuple[Outcome, ...]
    fail_on: Severity = Severity.high
    rules: tuple[RuleInfo, ...] = ()
    notices: tuple[str, ...] = Field(default=(), description="Run-level messages, e.g. expired waivers.")
    all_releases: bool = Field(
        default=False, description="Portfolios: every release's programmes, not only the latest release's."
    )
    measures: Measures | None = Field(
        default=None, description="Portfolios: early-warning figures measured apart (--measures)."
    )

    @property
    def reports(self) -> tuple[Report, ...]:
        return tuple(o for o in self.outcomes if isinstance(o, Report))

    @property
    def errors(self) -> tuple[FileError, ...]:
        return tuple(o for o in self.outcomes if isinstance(o, FileError))

    @property
    def exit_code(self) -> int:
        if self.errors:
            return 2
        return 1 if any(r.fails(self.fail_on) for r in self.reports) else 0
