"""One invocation: configuration, rules, a batch check, waivers and baseline, as one Run."""

from __future__ import annotations

import datetime as dt
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from govcheck import __version__
from govcheck.baseline import apply_baseline, load_baseline
from govcheck.batch import Settings, check_all, expand
from govcheck.config import find_config, load_config
from govcheck.report import Run
from govcheck.rule import Severity
from govcheck.waivers import DEFAULT_FILE, apply_waivers, load_waivers
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


def run_check(opts: Options) -> Run:
    """Check everything `opts` names. Raises GovcheckError for bad rules or configuration."""
    config_file = opts.config_path or find_config()
    config = load_config(config_file)
    settings = Settings(
        rules_dirs=tuple(config.resolve(d) for d in config.rules_dirs) + opts.rules_dirs,
        enable=config.enable,
        disable=config.disable,
        severity=tuple(sorted((k, v.value) for k, v in config.severity.items())),
        gate=opts.gate if opts.gate is not None else config.gate,
        config_name=display_path(config_file) if config_file else "configuration",
        charts=opts.charts,
        gap_severity=opts.evidence_gaps or (config.evidence_gaps or Severity.low).value,
    )
    checker = settings.checker()  # bad rules fail here, once, before any worker starts
    with _progress(opts) as advance:
        outcomes = check_all(opts.inputs, settings, jobs=opts.jobs, checker=checker, progress=advance)
    notices: tuple[str, ...] = ()
    waiver_file = opts.waivers or (Path(config.resolve(config.waivers)) if config.waivers else None)
    if waiver_file is None and Path(DEFAULT_FILE).is_file():
        waiver_file = Path(DEFAULT_FILE)
    if opts.use_waivers and waiver_file is not None:
        source, waivers = load_waivers(waiver_file)
        outcomes, found = apply_waivers(outcomes, waivers, source, opts.today)
        notices += found
    baseline_file = opts.baseline or (Path(config.resolve(config.baseline)) if config.baseline else None)
    if baseline_file is not None:
        source, keys = load_baseline(baseline_file)
        outcomes, found = apply_baseline(outcomes, keys, source)
        notices += found
    return Run(
        govcheck_version=__version__,
        outcomes=outcomes,
        fail_on=Severity(opts.fail_on) if opts.fail_on else (config.fail_on or Severity.high),
        rules=checker.catalogue.info(),
        notices=notices,
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
