"""`govcheck template xlsx` and `govcheck convert`: the workbook for boards, and YAML for CI."""

from __future__ import annotations

from pathlib import Path

import click

from govcheck.errors import GovcheckError, InputError
from govcheck.workbook import WORKBOOK_SUFFIXES, load_programme


@click.command("template")
@click.argument("kind", type=click.Choice(["xlsx"]))
@click.option(
    "--output", "-o", type=click.Path(path_type=Path, dir_okay=False), default=Path("programme.xlsx"),
    show_default=True, help="The workbook to write.",
)  # fmt: skip
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def template(kind: str, output: Path, force: bool) -> None:
    """Write a blank programme workbook to fill in: a sheet per part of the description, with
    drop-downs and a note on every cell. Check it with `govcheck check programme.xlsx`."""
    from govcheck.cli import fail
    from govcheck.output import write_atomic
    from govcheck.workbook.write import write

    if output.exists() and not force:
        fail(f"{output}: already exists (use --force to overwrite)")
    try:
        write_atomic(output, write().content)
    except GovcheckError as exc:
        fail(exc)
    click.echo(f"govcheck: wrote {output}; fill it in, then run: govcheck check {output}", err=True)


@click.command("convert")
@click.argument("source", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--output", "-o", type=click.Path(path_type=Path, dir_okay=False), required=True,
    help="The file to write: a workbook (.xlsx) from YAML, or YAML (.yaml, .yml) from a workbook.",
)  # fmt: skip
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def convert(source: Path, output: Path, force: bool) -> None:
    """Convert a programme description from YAML to a workbook, or from a workbook to YAML.

    The description must be valid; what comes out checks exactly as what went in. Comments
    travel as cell notes and back; any that cannot are listed."""
    from govcheck.cli import fail
    from govcheck.output import write_atomic
    from govcheck.workbook.cellmap import CellMap
    from govcheck.workbook.convert import to_workbook, to_yaml
    from govcheck.yamlsource import read_text

    to_book = output.suffix.lower() in WORKBOOK_SUFFIXES
    if not to_book and output.suffix.lower() not in (".yaml", ".yml"):
        fail(f"{output}: name the output .xlsx (a workbook) or .yaml (YAML)")
    if output.exists() and not force:
        fail(f"{output}: already exists (use --force to overwrite)")
    try:
        loaded = load_programme(source)
        from_book = isinstance(loaded.root, CellMap)
        if from_book == to_book:
            kind = "a workbook" if from_book else "YAML"
            raise InputError(f"is {kind} already; convert it to the other kind", file=loaded.path)
        if to_book:
            converted = to_workbook(loaded, read_text(source))
        else:
            assert isinstance(loaded.root, CellMap)
            converted = to_yaml(loaded, loaded.root.notes)
        write_atomic(output, converted.content)
    except GovcheckError as exc:
        fail(exc)
    carried = f"; {converted.carried} comment(s) carried" if converted.carried else ""
    click.echo(f"govcheck: wrote {output}{carried}", err=True)
    for line in converted.dropped:
        click.echo(
            f"govcheck: {loaded.path}: {line}: a comment the workbook cannot hold (not carried)", err=True
        )
