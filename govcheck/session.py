"""One invocation: configuration, rules, a batch check, waivers and baseline, streamed or as one Run."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from govcheck import __version__
from govcheck.baseline import BaselineCheck, load_baseline
from govcheck.batch import Settings, expand, iter_check
from govcheck.catalogue import load_catalogue
from govcheck.checker import INTERNAL_ERROR, file_error
from govcheck.config import find_config, load_config
from govcheck.errors import GovcheckError
from govcheck.model import Programme
from govcheck.report import FileError, Outcome, Report, Run, suppress_one
from govcheck.rule import Severity
from govcheck.since import compare
from govcheck.validation import validate
from govcheck.waivers import DEFAULT_FILE, WaiverCheck, check_rule_ids, read_waivers
from govcheck.workbook import load_programme
from govcheck.yamlsource import display_path


@dataclass(frozen=True)
class Options:
    inputs: tuple[str, ...]
    gate: int | None = None
    fail_on: str | None = None
    evidence_gaps: str | None = None
    jobs: int | None = None
    config_path: Path | None = None
    rules_dirs: tuple[str, ...] = ()
    waivers: Path | None = None
    baseline: Path | None = None
    progress: bool = False
    use_waivers: bool = True
    charts: bool = False
    today: dt.date | None = None
    since: Path | None = None


class Session:
    """One invocation, prepared: configuration read, rules loaded, waivers and baseline read.

    Everything that can be wrong with the invocation itself fails here, as a GovcheckError,
    before any file is checked. `outcomes()` then streams one outcome per file, in input
    order, with waivers and baseline applied; `notices()` is ready once it is exhausted.
    """

    def __init__(self, opts: Options) -> None:
        config_file = opts.config_path or find_config()
        config = load_config(config_file)
        self.opts = opts
        self.settings = Settings(
            rules_dirs=tuple(config.resolve(d) for d in config.rules_dirs) + opts.rules_dirs,
            enable=config.enable,
            disable=config.disable,
            severity=tuple(sorted((k, v.value) for k, v in config.severity.items())),
            options=tuple(sorted((k, tuple(sorted(v.items()))) for k, v in config.options.items())),
            gate=opts.gate if opts.gate is not None else config.gate,
            config_name=display_path(config_file) if config_file else "configuration",
            charts=opts.charts,
            gap_severity=opts.evidence_gaps or (config.evidence_gaps or Severity.low).value,
        )
        self.checker = self.settings.checker()  # bad rules fail here, once, before any worker starts
        self._deaths: list[str] = []  # worker processes that died, as the batch met them
        self.fail_on = Severity(opts.fail_on) if opts.fail_on else (config.fail_on or Severity.high)
        self.docs_url = config.docs_url
        self.rules = self.checker.catalogue.info()
        self.checks: list[WaiverCheck | BaselineCheck] = []
        waiver_file = opts.waivers or (Path(config.resolve(config.waivers)) if config.waivers else None)
        if waiver_file is None and Path(DEFAULT_FILE).is_file():
            waiver_file = Path(DEFAULT_FILE)
        if opts.use_waivers and waiver_file is not None:
            source, waivers = read_waivers(waiver_file)
            # Against every rule there is, so a waiver for a rule disabled in configuration is no error.
            known = {r.rule.id for r in load_catalogue(self.settings.rules_dirs).rules} | {INTERNAL_ERROR}
            check_rule_ids(source, waivers, known)
            self.checks.append(WaiverCheck(waivers, source.path, opts.today))
        baseline_file = opts.baseline or (Path(config.resolve(config.baseline)) if config.baseline else None)
        if baseline_file is not None:
            name, keys = load_baseline(baseline_file)
            self.checks.append(BaselineCheck(keys, name))

        self.previous = self._previous(opts.since) if opts.since else None

    def _previous(self, path: Path) -> tuple[Programme, Report]:
        """The previous description, checked: it must be valid, as must the one input it is set beside."""
        if len(self.opts.inputs) != 1 or not Path(self.opts.inputs[0]).is_file():
            raise GovcheckError(
                "--since compares one programme file with its previous description: give one file"
            )
        source = load_programme(path)
        programme = validate(Programme, source)
        report = self._suppressed(self.checker.check_source(source))
        assert isinstance(report, Report)  # check_source raises rather than return an error
        return programme, report

    def _suppressed(self, outcome: Outcome) -> Outcome:
        for check in self.checks:
            outcome = suppress_one(outcome, check.decide)
        return outcome

    def _compared(self, outcome: Outcome) -> Outcome:
        if self.previous is None or not isinstance(outcome, Report):
            return outcome
        before, then = self.previous
        try:
            now = validate(Programme, load_programme(self.opts.inputs[0]))
        except GovcheckError as exc:
            return file_error(exc, self.opts.inputs[0])
        if now.id != before.id:
            return FileError(
                source=outcome.programme.source,
                message=f"describes programme {now.id!r}, but --since names {before.id!r}",
                text=f"{outcome.programme.source}: describes programme {now.id!r}, "
                f"but the --since file describes {before.id!r}",
            )
        if before.assessment_date > now.assessment_date:
            return FileError(
                source=outcome.programme.source,
                message="the --since description is assessed after this one",
                text=f"{outcome.programme.source}: assessed {now.assessment_date}, before the --since "
                f"description ({before.assessment_date})",
            )
        return outcome.model_copy(update={"since": compare(before, then, now, outcome)})

    def outcomes(self) -> Iterator[Outcome]:
        opts = self.opts
        with _progress(opts) as advance:
            for outcome in iter_check(
                opts.inputs, self.settings, jobs=opts.jobs, checker=self.checker, notice=self._deaths.append
            ):
                yield self._compared(self._suppressed(outcome))
                if advance:
                    advance(1)

    def notices(self) -> tuple[str, ...]:
        return (*self._deaths, *(n for check in self.checks for n in check.notices()))


def run_check(opts: Options) -> Run:
    """Check everything `opts` names, keeping every outcome. Raises GovcheckError for bad rules
    or configuration; see Session to stream instead."""
    session = Session(opts)
    outcomes = tuple(session.outcomes())
    return Run(
        govcheck_version=__version__,
        outcomes=outcomes,
        fail_on=session.fail_on,
        rules=session.rules,
        notices=session.notices(),
    )


def _progress(opts: Options) -> Any:
    if not opts.progress:
        return nullcontext(None)
    total = len(expand(opts.inputs))
    if total < 2:
        return nullcontext(None)
    return _Bar(total)


class _Bar:
    def __init__(self, total: int) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

        self.progress = Progress(
            "checking",
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        self.task = self.progress.add_task("check", total=total)

    def __enter__(self) -> Any:
        self.progress.start()
        return lambda n: self.progress.advance(self.task, n)

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()
