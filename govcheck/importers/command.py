"""The `govcheck import` command group, one subcommand per registered importer."""

from __future__ import annotations

import importlib

import click

from govcheck.importers import IMPORTERS


class _ImportGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(IMPORTERS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module = IMPORTERS.get(cmd_name)
        if module is None:
            return None
        command = importlib.import_module(module).command
        assert isinstance(command, click.Command)
        return command


@click.group("import", cls=_ImportGroup)
def import_group() -> None:
    """Import published programme data as programme descriptions (see: import gmpp)."""
