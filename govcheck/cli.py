"""The command line: parses arguments, calls the library, maps errors to exit codes.

Exit codes: 0 no finding at or above the threshold; 1 findings at or above it; 2 invalid
input, rules, configuration or usage.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import click

from govcheck import __version__
from govcheck.errors import GovcheckError
from govcheck.rule import Severity

EXIT_INVALID = 2


def fail(exc: GovcheckError | str) -> None:
    click.echo(f"govcheck: {exc}", err=True)
    raise SystemExit(EXIT_INVALID)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="govcheck")
def main() -> None:
    """Check public-sector programme descriptions against governance rules."""


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "-f", "fmt", type=click.Choice(["terminal", "markdown", "json"]), default="terminal",
              show_default=True, help="Report format.")
@click.option("--output", "-o", type=click.Path(path_type=Path), help="Write the report to a file.")
@click.option("--gate", type=click.IntRange(0, 5), help="Gate under review (default: each programme's next_gate).")
@click.option("--fail-on", type=click.Choice([s.value for s in Severity]), default="high", show_default=True,
              help="Exit 1 when a finding is at or above this severity.")
def check(files: Sequence[Path], fmt: str, output: Path | None, gate: int | None, fail_on: str) -> None:
    """Check programme FILES and report findings."""
    from govcheck.checker import Checker
    from govcheck.formats import render
    from govcheck.output import write_report
    from govcheck.report import FileError, Run

    try:
        checker = Checker(gate=gate)
    except GovcheckError as exc:
        fail(exc)
    outcomes = tuple(checker.check_path(f) for f in files)
    for o in outcomes:
        if isinstance(o, FileError):
            click.echo(f"govcheck: {o.text}", err=True)
    run = Run(govcheck_version=__version__, outcomes=outcomes, fail_on=Severity(fail_on))
    try:
        write_report(render(fmt, run), fmt, output)
    except GovcheckError as exc:
        fail(exc)
    raise SystemExit(run.exit_code)


@main.group(invoke_without_command=True)
@click.pass_context
def rules(ctx: click.Context) -> None:
    """List the rule catalogue (or see: rules show, rules test)."""
    if ctx.invoked_subcommand is not None:
        return
    from rich.console import Console
    from rich.table import Table

    catalogue = _catalogue()
    table = Table(title=f"govcheck rules ({len(catalogue.rules)})", title_justify="left")
    for col in ("id", "severity", "category", "gates", "title"):
        table.add_column(col)
    for r in catalogue.rules:
        rule = r.rule
        table.add_row(rule.id, rule.severity.value, rule.category.value,
                      ",".join(map(str, rule.gates)), rule.title)
    Console(highlight=False).print(table)


@rules.command("show")
@click.argument("rule_id")
def rules_show(rule_id: str) -> None:
    """Explain one rule: what it checks, why, and its sources."""
    from rich.console import Console
    from rich.markup import escape

    loaded = _catalogue().get(rule_id)
    if loaded is None:
        fail(f"no rule with id {rule_id!r}; run 'govcheck rules' for the list")
        return
    r = loaded.rule
    console = Console(highlight=False)
    console.print(f"[bold]{r.id}[/]: {escape(r.title)}")
    console.print(f"severity {r.severity.value} · category {r.category.value} · gates "
                  f"{', '.join(map(str, r.gates))} · {escape(loaded.path)}")
    console.print()
    console.print(escape(r.description))
    console.print()
    for ref in r.references:
        console.print(f"  - {escape(str(ref))}")


@rules.command("test")
def rules_test() -> None:
    """Run the test cases written beside every rule."""
    from govcheck.ruletest import run_cases

    failed = 0
    results = list(run_cases(_catalogue()))
    for res in results:
        if not res.ok:
            failed += 1
            click.echo(f"FAIL {res.rule_id} [{res.case}]: {res.problem}")
    click.echo(f"{len(results) - failed} passed, {failed} failed")
    raise SystemExit(1 if failed else 0)


def _catalogue():  # type: ignore[no-untyped-def]
    from govcheck.catalogue import load_catalogue

    try:
        return load_catalogue()
    except GovcheckError as exc:
        fail(exc)


if __name__ == "__main__":  # pragma: no cover
    main(sys.argv[1:])
