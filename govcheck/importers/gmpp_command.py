"""`govcheck import gmpp FILE... --output-dir DIR`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import click

from govcheck.importers.gmpp_import import run


def _snapshot_overrides(values: Sequence[str]) -> dict[str, dt.date]:
    overrides: dict[str, dt.date] = {}
    for value in values:
        name, sep, date = value.rpartition("=")
        try:
            overrides[name] = dt.date.fromisoformat(date)
        except ValueError:
            name = ""
        if not sep or not name:
            raise click.BadParameter(f"{value!r}: expected FILENAME=YYYY-MM-DD", param_hint="--snapshot")
    return overrides


@click.command("gmpp")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--output-dir",
    "-d",
    required=True,
    type=click.Path(path_type=Path, file_okay=False),
    help="Directory for the programme descriptions (created if missing).",
)
@click.option(
    "--snapshot",
    "snapshots",
    multiple=True,
    metavar="FILENAME=YYYY-MM-DD",
    help="The date a release is as at, where it cannot be told from the release (repeatable).",
)
def command(files: Sequence[Path], output_dir: Path, snapshots: Sequence[str]) -> None:
    """Import Government Major Projects Portfolio releases (CSV or XLSX), one file per project.

    Projects are followed across the releases given: each is written once, as of the latest
    release that includes it, with its history from the earlier ones. Rows that cannot be
    imported are listed on standard error as FILE:ROW: project NAME: reason.
    """
    outcome = run(
        list(files), output_dir, _snapshot_overrides(snapshots), lambda line: click.echo(line, err=True)
    )
    raise SystemExit(outcome.exit_code)
