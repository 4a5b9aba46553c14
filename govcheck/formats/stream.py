"""The streaming side of formats: what a writer is told, and the verdict built up as it goes.

A writer gets `start(meta)` once, `outcome(o)` for each file in input order as results
arrive, and `finish(summary)` once. It keeps only what it needs at the end (totals, a few
rule descriptions), never the reports, so memory stays flat however many files there are.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from govcheck.measures import Measures
from govcheck.report import FileError, Finding, Outcome, Report, RuleInfo, Run
from govcheck.rule import SEVERITY_ORDER, Severity

if TYPE_CHECKING:
    from govcheck.formats import Format


@dataclass(frozen=True)
class Meta:
    """What is known before the first outcome."""

    govcheck_version: str
    fail_on: Severity = Severity.high
    rules: tuple[RuleInfo, ...] = ()
    show_suppressed: bool = False
    docs_url: str | None = None  # where the rule reference is published, if it is
    all_releases: bool = False  # portfolios: every release's programmes (--all-releases)
    measures: Measures | None = None  # portfolios: early-warning figures measured apart (--measures)


@dataclass(frozen=True)
class Summary:
    """What is known after the last outcome: the verdict and its totals."""

    exit_code: int
    notices: tuple[str, ...] = ()
    files: int = 0
    errors: int = 0
    by_severity: dict[str, int] = field(default_factory=dict)  # active findings
    failing: int = 0  # active findings and evidence gaps at or above the threshold
    suppressed: int = 0  # waived or baselined findings and gaps
    gaps: int = 0  # active evidence gaps


def summary_line(summary: Summary, fail_on: Severity) -> str:
    """The run in one line: files and findings, gaps, what was suppressed or not checked, what
    fails, and the exit code that follows."""
    counts = ", ".join(f"{n} {sev}" for sev, n in summary.by_severity.items() if n) or "no findings"
    parts = [f"{_plural(summary.files, 'file')}: {counts}"]
    if summary.gaps:
        parts.append(f"{_plural(summary.gaps, 'evidence gap')}")
    if summary.suppressed:
        parts.append(f"{summary.suppressed} suppressed")
    if summary.errors:
        parts.append(f"{summary.errors} not checked")
    parts.append(f"{summary.failing} at or above {fail_on.value}")
    return "; ".join(parts) + f" (exit {summary.exit_code})"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


class Out(Protocol):
    """Where a writer writes: a text stream, a file being written, or a console converter."""

    def write(self, text: str, /) -> int: ...


class Writer(Protocol):
    def start(self, meta: Meta) -> None: ...

    def outcome(self, outcome: Outcome) -> None: ...

    def finish(self, summary: Summary) -> None: ...


def fails(finding: Finding, threshold: Severity) -> bool:
    """The one verdict every format shows: an active finding at or above the threshold fails."""
    return finding.active and finding.severity.rank >= threshold.rank


def reported(report: Report, fail_on: Severity) -> tuple[Finding, ...]:
    """What the CI formats list: every finding, and the evidence gaps that fail the run.

    A gap is a note that part of the description is missing, not a problem to fix, unless
    configuration raised its severity to the threshold: then it fails, and shows, like a finding.
    """
    return (*report.findings, *(g for g in report.gaps if fails(g, fail_on)))


class Tally:
    """The exit code and totals, built up one outcome at a time (nothing else is kept)."""

    def __init__(self, fail_on: Severity) -> None:
        self.fail_on = fail_on
        self.files = 0
        self.errors = 0
        self.failing = 0
        self.suppressed = 0
        self.gaps = 0
        self.by_severity = {s.value: 0 for s in reversed(SEVERITY_ORDER)}

    def add(self, outcome: Outcome) -> None:
        self.files += 1
        if isinstance(outcome, FileError):
            self.errors += 1
            return
        for f in outcome.findings:
            if f.active:
                self.by_severity[f.severity.value] += 1
        for gap, items in ((False, outcome.findings), (True, outcome.gaps)):
            for f in items:
                if not f.active:
                    self.suppressed += 1
                    continue
                self.gaps += gap
                self.failing += f.severity.rank >= self.fail_on.rank

    @property
    def exit_code(self) -> int:
        if self.errors:
            return 2
        return 1 if self.failing else 0

    def summary(self, notices: tuple[str, ...] = ()) -> Summary:
        return Summary(
            exit_code=self.exit_code,
            notices=notices,
            files=self.files,
            errors=self.errors,
            by_severity=dict(self.by_severity),
            failing=self.failing,
            suppressed=self.suppressed,
            gaps=self.gaps,
        )


def feed(
    writers: Iterable[Writer],
    meta: Meta,
    outcomes: Iterable[Outcome],
    notices: Callable[[], tuple[str, ...]],
) -> Summary:
    """Drive writers over outcomes as they arrive; `notices` is asked once they are all in."""
    writers = list(writers)
    tally = Tally(meta.fail_on)
    for w in writers:
        w.start(meta)
    for o in outcomes:
        tally.add(o)
        for w in writers:
            w.outcome(o)
    summary = tally.summary(notices())
    for w in writers:
        w.finish(summary)
    return summary


def render_run(fmt: Format, run: Run, *, show_suppressed: bool = False) -> str:
    """A whole Run through a streaming format, as one string (for the API and tests)."""
    out = io.StringIO()
    meta = Meta(
        run.govcheck_version,
        run.fail_on,
        run.rules,
        show_suppressed,
        all_releases=run.all_releases,
        measures=run.measures,
    )
    feed([fmt.open(out)], meta, run.outcomes, lambda: run.notices)
    return out.getvalue()


class Buffered:
    """A format that renders a whole Run at once (HTML, the portfolio summaries), as a writer.

    It keeps every outcome until the end: use it only where the format needs them all.
    """

    def __init__(self, fmt: Format, out: Out) -> None:
        self.fmt = fmt
        self.out = out
        self.meta: Meta | None = None
        self.outcomes: list[Outcome] = []

    def start(self, meta: Meta) -> None:
        self.meta = meta

    def outcome(self, outcome: Outcome) -> None:
        self.outcomes.append(outcome)

    def finish(self, summary: Summary) -> None:
        assert self.meta is not None
        run = Run(
            govcheck_version=self.meta.govcheck_version,
            outcomes=tuple(self.outcomes),
            fail_on=self.meta.fail_on,
            rules=self.meta.rules,
            notices=summary.notices,
            all_releases=self.meta.all_releases,
            measures=self.meta.measures,
        )
        self.outcomes = []
        rendered = self.fmt.render(run)
        if isinstance(rendered, bytes):
            write_bytes = getattr(self.out, "write_bytes", None)
            if write_bytes is None:
                raise TypeError(f"{self.fmt.name} is a binary format and needs a file")
            write_bytes(rendered)
        else:
            self.out.write(rendered)
