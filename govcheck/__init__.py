"""govcheck: check public-sector programme descriptions against governance rules."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

__version__ = "0.1.0"

if TYPE_CHECKING:
    from govcheck.model import Programme
    from govcheck.report import Report


def check(programme: str | os.PathLike[str] | Programme, *, gate: int | None = None) -> Report:
    """Check one programme (a path to its YAML or workbook, or a Programme) with the bundled rules.

    Raises `govcheck.errors.InputError` when the file, or a schedule file it names, cannot be
    read or does not validate. A Programme given directly has its schedule files read relative
    to the working directory.
    """
    from govcheck.checker import Checker
    from govcheck.errors import InputError
    from govcheck.model import Programme
    from govcheck.report import FileError

    checker = Checker(gate=gate, charts=True)
    if isinstance(programme, Programme):
        return checker.check_programme(programme)
    result = checker.check_path(programme)
    if isinstance(result, FileError):
        raise InputError(
            result.message,
            file=result.source,
            line=result.line,
            column=result.column,
            field=result.field,
            cell=result.cell,
        )
    return result


__all__ = ["__version__", "check"]
