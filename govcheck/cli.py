"""The command line: parses arguments, calls the library, maps errors to exit codes.

Exit codes: 0 no finding at or above the threshold; 1 findings at or above it; 2 invalid
input, rules, configuration or usage (one line on stderr naming file, line and field);
130 interrupted (Ctrl-C, SIGINT); 143 terminated (SIGTERM).
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from govcheck import __version__, gctune
from govcheck.errors import GovcheckError
from govcheck.importers.command import import_group
from govcheck.rule import Severity
from govcheck.signals import Interrupted, ignore_stop_signals, stop_on_signals
from govcheck.workbook.command import convert, template

if TYPE_CHECKING:
    from govcheck.measures import Measures
    from govcheck.report import Outcome
    from govcheck.session import Session

F = TypeVar("F", bound=Callable[..., object])
EXIT_INVALID = 2
SEVERITIES = [s.value for s in Severity]


def fail(exc: GovcheckError | str) -> NoReturn:
    click.echo(f"govcheck: {exc}", err=True)
    raise SystemExit(EXIT_INVALID)


class _Main(click.Group):
    """The command group, run so that faults end in an exit code and one line, not a traceback:
    Ctrl-C exits 130 and SIGTERM 143 (128 + the signal) whichever process gets the signal,
    text the output encoding cannot show is escaped, and an engine that cannot be imported is
    named with its fix (exit 2)."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        _escape_unencodable()
        try:
            with stop_on_signals():
                return super().main(*args, **kwargs)
        except Interrupted as stop:
            ignore_stop_signals()
            _say(f"govcheck: interrupted by {stop.name}")
            raise SystemExit(stop.exit_code) from None
        except ImportError as exc:
            if not str(exc).startswith("govcheck: "):
                raise
            _say(str(exc))
            raise SystemExit(EXIT_INVALID) from None


def _escape_unencodable() -> None:
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper) and stream.errors == "strict":
            stream.reconfigure(errors="backslashreplace")


def _say(line: str) -> None:
    try:
        click.echo(line, err=True)
    except (OSError, ValueError):  # standard error closed: the exit code still tells
        pass


@click.group(cls=_Main, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="govcheck")
def main() -> None:
    """Check public-sector programme descriptions against governance rules."""


def _format_names() -> list[str]:
    from govcheck.formats import names

    return names()


def _check_options(default_format: str):  # type: ignore[no-untyped-def]
    def decorate(f):  # type: ignore[no-untyped-def]
        options = [
            click.argument("inputs", nargs=-1, required=True),
            click.option(
                "--format",
                "-f",
                "formats",
                multiple=True,
                metavar="FORMAT[=PATH]",
                help=f"Report format, repeatable; FORMAT=PATH writes that format to a file. "
                f"Default: {default_format}. Formats: {', '.join(_format_names())}.",
            ),
            click.option(
                "--output",
                "-o",
                type=click.Path(path_type=Path),
                help="Write the (single) report to this file instead of standard output.",
            ),
            click.option(
                "--gate",
                type=click.IntRange(0, 5),
                help="Gate under review (default: each programme's next_gate).",
            ),
            click.option(
                "--fail-on",
                type=click.Choice(SEVERITIES),
                help="Exit 1 at or above this severity [default: high].",
            ),
            click.option(
                "--evidence-gaps",
                type=click.Choice(SEVERITIES),
                help="Severity of notes on evidence not described [default: low]; "
                "raise it (with --fail-on) to require a complete description.",
            ),
            click.option(
                "--jobs", "-j", type=click.IntRange(1, 256), help="Worker processes [default: all cores]."
            ),
            click.option(
                "--config",
                "config_path",
                type=click.Path(path_type=Path, dir_okay=False),
                help="Configuration file [default: nearest .govcheck.yaml or pyproject.toml].",
            ),
            click.option(
                "--rules-dir",
                "rules_dirs",
                multiple=True,
                type=click.Path(path_type=Path),
                help="Extra rule directory, repeatable.",
            ),
            click.option(
                "--waivers",
                type=click.Path(path_type=Path, dir_okay=False),
                help="Waiver file [default: .govcheck-waivers.yaml if present].",
            ),
            click.option(
                "--baseline",
                type=click.Path(path_type=Path, dir_okay=False),
                help="Only findings not in this baseline fail the run.",
            ),
            click.option(
                "--progress/--no-progress",
                default=None,
                help="Progress bar [default: on when standard error is a terminal].",
            ),
            click.option(
                "--show-suppressed",
                is_flag=True,
                help="List waived and baselined findings in the terminal report (default: count them).",
            ),
        ]
        for option in reversed(options):
            f = option(f)
        return f

    return decorate


@main.command()
@_check_options("terminal")
@click.option(
    "--since",
    type=click.Path(path_type=Path, dir_okay=False),
    help="The previous description of the same programme: report what changed since (one file only).",
)
def check(**options: object) -> None:
    """Check programme files (files, directories or globs) and report findings."""
    _run(default_format="terminal", **options)  # type: ignore[arg-type]


@main.command()
@_check_options("portfolio")
@click.option(
    "--all-releases",
    is_flag=True,
    help="Show every release's programmes [default: only the latest release's: programmes "
    "last seen in an earlier release are left out, and counted].",
)
@click.option(
    "--measures",
    type=click.Path(path_type=Path),
    help="Early-warning figures measured apart (JSON, from benchmarks/agreement.py --early-warning "
    "--write FILE), shown beside the agreement with the IPA.",
)
def portfolio(**options: object) -> None:
    """Check a portfolio and summarise it: ratings, conclusions, categories that fail most.

    Export with -f csv=PATH, -f portfolio-json=PATH or -f html-portfolio=PATH.
    """
    _run(default_format="portfolio", **options)  # type: ignore[arg-type]


def _run(
    *,
    default_format: str,
    inputs: Sequence[str],
    formats: Sequence[str],
    output: Path | None,
    gate: int | None,
    fail_on: str | None,
    evidence_gaps: str | None,
    jobs: int | None,
    config_path: Path | None,
    rules_dirs: Sequence[Path],
    waivers: Path | None,
    baseline: Path | None,
    progress: bool | None,
    show_suppressed: bool,
    since: Path | None = None,
    all_releases: bool = False,
    measures: Path | None = None,
) -> NoReturn:
    with gctune.start_up():
        from govcheck.formats import get
        from govcheck.formats.stream import Meta
        from govcheck.output import emit
        from govcheck.session import Options, Session

    targets = [(get(name), path) for name, path in _targets(formats or (default_format,), output)]
    for fmt, path in targets:
        if fmt.binary and path is None:
            fail(f"{fmt.name} is a binary format: give it a path, -f {fmt.name}=PATH")
    try:
        figures = _measures(measures)
        session = Session(
            Options(
                inputs=tuple(inputs),
                gate=gate,
                fail_on=fail_on,
                evidence_gaps=evidence_gaps,
                jobs=jobs,
                config_path=config_path,
                rules_dirs=tuple(str(d) for d in rules_dirs),
                waivers=waivers,
                baseline=baseline,
                progress=progress if progress is not None else sys.stderr.isatty(),
                charts=any(fmt.needs_charts for fmt, _ in targets),
                since=since,
            )
        )
        meta = Meta(
            __version__,
            session.fail_on,
            session.rules,
            show_suppressed,
            session.docs_url,
            all_releases,
            figures,
        )
        summary = emit(targets, meta, _echo_errors(session.outcomes()), _echo_notices(session))
    except GovcheckError as exc:
        fail(exc)
    raise SystemExit(summary.exit_code)


def _measures(path: Path | None) -> Measures | None:
    """The early-warning figures of --measures, read before any programme is checked."""
    if path is None:
        return None
    from govcheck.measures import load_measures

    return load_measures(path)


def _echo_errors(outcomes: Iterator[Outcome]) -> Iterator[Outcome]:
    """Each file that could not be checked, as one line on standard error, as it arrives."""
    from govcheck.report import FileError

    for outcome in outcomes:
        if isinstance(outcome, FileError):
            click.echo(f"govcheck: {outcome.text}", err=True)
        yield outcome


def _echo_notices(session: Session) -> Callable[[], tuple[str, ...]]:
    def notices() -> tuple[str, ...]:
        found = session.notices()
        for notice in found:
            click.echo(f"govcheck: {notice}", err=True)
        return found

    return notices


def _targets(specs: Sequence[str], output: Path | None) -> list[tuple[str, Path | None]]:
    from govcheck.output import same_destination

    known = _format_names()
    targets: list[tuple[str, Path | None]] = []
    for spec in specs:
        name, sep, path = spec.partition("=")
        if name not in known:
            raise click.BadParameter(
                f"unknown format {name!r}; choose from {', '.join(known)}", param_hint="--format"
            )
        if sep and not path:
            raise click.BadParameter(f"{spec!r}: give a path after '='", param_hint="--format")
        targets.append((name, Path(path) if sep else None))
    to_stdout = [t for t in targets if t[1] is None]
    if len(to_stdout) > 1:
        raise click.BadParameter(
            "only one format can go to standard output; give the others =PATH", param_hint="--format"
        )
    if output is not None:
        if not to_stdout:
            raise click.BadParameter("--output needs a format without =PATH", param_hint="--output")
        targets = [(n, output if p is None else p) for n, p in targets]
    for i, (fmt, place) in enumerate(targets):
        for other, other_place in targets[:i]:
            if same_destination(place, other_place):
                where = "standard output" if place is None else str(place)
                raise click.BadParameter(
                    f"{other} and {fmt} would both be written to {where}; give each its own path",
                    param_hint="--format",
                )
    return targets


@main.command("baseline")
@click.argument("inputs", nargs=-1, required=True)
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path, dir_okay=False),
    default=Path(".govcheck-baseline.json"),
    show_default=True,
    help="Baseline file to write.",
)
@click.option("--config", "config_path", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--rules-dir", "rules_dirs", multiple=True, type=click.Path(path_type=Path))
@click.option("--gate", type=click.IntRange(0, 5))
def baseline_cmd(
    inputs: Sequence[str],
    output: Path,
    config_path: Path | None,
    rules_dirs: Sequence[Path],
    gate: int | None,
) -> None:
    """Record the current findings so that later runs with --baseline fail only on new ones."""
    from govcheck.baseline import baseline_document
    from govcheck.output import write_atomic
    from govcheck.session import Options, run_check

    try:
        run = run_check(
            Options(
                inputs=tuple(inputs),
                gate=gate,
                config_path=config_path,
                rules_dirs=tuple(str(d) for d in rules_dirs),
                jobs=None,
                use_waivers=False,
            )
        )
    except GovcheckError as exc:
        fail(exc)
    for error in run.errors:
        click.echo(f"govcheck: {error.text}", err=True)
    try:
        write_atomic(output, baseline_document(run.outcomes))
    except GovcheckError as exc:
        fail(exc)
    count = sum(len(r.findings) for r in run.reports)
    click.echo(f"govcheck: wrote {count} {'finding' if count == 1 else 'findings'} to {output}", err=True)
    raise SystemExit(EXIT_INVALID if run.errors else 0)


@main.command()
def schema() -> None:
    """Print the JSON Schema of the programme format (for editors and validators)."""
    from govcheck.schema import programme_schema

    click.echo(programme_schema())


#: The schema file the template's first line names, written beside it by `init`.
SCHEMA_FILE = "govcheck-programme.schema.json"


@main.command()
@click.argument("path", type=click.Path(path_type=Path, dir_okay=False), default="programme.yaml")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def init(path: Path, force: bool) -> None:
    """Write a commented programme description to start from, and beside it the JSON Schema
    its first line names (for editors), unless that is there already."""
    from govcheck.output import write_atomic
    from govcheck.resources import templates_dir
    from govcheck.schema import programme_schema

    if path.exists() and not force:
        fail(f"{path}: already exists (use --force to overwrite)")
    schema_path = path.parent / SCHEMA_FILE
    written = [path]
    try:
        write_atomic(path, (templates_dir() / "init.yaml").read_text(encoding="utf-8"))
        if force or not schema_path.exists():
            write_atomic(schema_path, programme_schema() + "\n")
            written.append(schema_path)
    except GovcheckError as exc:
        fail(exc)
    names = " and ".join(str(p) for p in written)
    click.echo(f"govcheck: wrote {names}; edit {path}, then run: govcheck check {path}", err=True)


def _rules_dir_option(f: F) -> F:
    return click.option(
        "--rules-dir",
        "rules_dirs",
        multiple=True,
        type=click.Path(path_type=Path),
        help="Extra rule directory, repeatable.",
    )(f)


@main.group(invoke_without_command=True)
@_rules_dir_option
@click.pass_context
def rules(ctx: click.Context, rules_dirs: Sequence[Path]) -> None:
    """List the rule catalogue (see also: rules show, rules test, rules docs)."""
    ctx.obj = tuple(str(d) for d in rules_dirs)
    if ctx.invoked_subcommand is not None:
        return
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    catalogue = _catalogue(ctx.obj)
    table = Table(title=f"govcheck rules ({len(catalogue.rules)})", title_justify="left")
    for col in ("id", "severity", "category", "gates", "title"):
        table.add_column(col, no_wrap=col != "title")
    for r in catalogue.rules:
        rule = r.rule
        table.add_row(
            rule.id,
            rule.severity.value,
            rule.category.value,
            ",".join(map(str, rule.gates)),
            escape(rule.title),
        )
    Console(highlight=False, width=None if sys.stdout.isatty() else 160).print(table)


@rules.command("show")
@click.argument("rule_id")
@_rules_dir_option
@click.pass_obj
def rules_show(group_dirs: tuple[str, ...], rule_id: str, rules_dirs: Sequence[Path]) -> None:
    """Explain one rule: what it checks, why, its sources and its test cases."""
    from govcheck.docs import rule_markdown
    from govcheck.output import write_text

    catalogue = _catalogue(_dirs(group_dirs, rules_dirs))
    loaded = catalogue.get(rule_id)
    if loaded is None:
        import difflib

        hint = difflib.get_close_matches(rule_id, [r.rule.id for r in catalogue.rules], n=1)
        fail(
            f"no rule with id {rule_id!r}"
            + (f"; did you mean {hint[0]!r}?" if hint else "")
            + "; run 'govcheck rules' for the list"
        )
    try:
        write_text(rule_markdown(loaded), None)
    except GovcheckError as exc:
        fail(exc)


@rules.command("test")
@_rules_dir_option
@click.pass_obj
def rules_test(group_dirs: tuple[str, ...], rules_dirs: Sequence[Path]) -> None:
    """Run the test cases written beside every rule."""
    from govcheck.ruletest import run_cases

    failed = 0
    results = list(run_cases(_catalogue(_dirs(group_dirs, rules_dirs))))
    for res in results:
        if not res.ok:
            failed += 1
            click.echo(f"FAIL {res.rule_id} [{res.case}]: {res.problem}")
    click.echo(f"{len(results) - failed} passed, {failed} failed")
    raise SystemExit(1 if failed else 0)


@rules.command("docs")
@click.option("--output", "-o", type=click.Path(path_type=Path, dir_okay=False), help="Write to a file.")
@_rules_dir_option
@click.pass_obj
def rules_docs(group_dirs: tuple[str, ...], output: Path | None, rules_dirs: Sequence[Path]) -> None:
    """Generate the rule reference (Markdown) from rule metadata and test cases."""
    from govcheck.docs import reference
    from govcheck.output import write_text

    try:
        write_text(reference(_catalogue(_dirs(group_dirs, rules_dirs))), output)
    except GovcheckError as exc:
        fail(exc)


def _dirs(group_dirs: tuple[str, ...], rules_dirs: Sequence[Path]) -> tuple[str, ...]:
    """Rule directories given before the subcommand (`rules --rules-dir X test`) or after it."""
    return group_dirs + tuple(str(d) for d in rules_dirs)


def _catalogue(rules_dirs: Sequence[str] = ()):  # type: ignore[no-untyped-def]
    from govcheck.catalogue import load_catalogue

    try:
        return load_catalogue(rules_dirs)
    except GovcheckError as exc:
        fail(exc)


main.add_command(import_group)
main.add_command(template)
main.add_command(convert)

if __name__ == "__main__":  # pragma: no cover
    main(sys.argv[1:], prog_name=os.path.basename(sys.argv[0]))
