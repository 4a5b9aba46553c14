"""Errors that the CLI reports as one line and exit code 2: bad input, bad rules, bad usage."""

from __future__ import annotations


class GovcheckError(Exception):
    """A problem with something the user gave us, located as precisely as we can."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        column: int | None = None,
        field: str | None = None,
        cell: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.column = column
        self.field = field
        self.cell = cell  # a workbook's sheet and cell, e.g. "Costs!C4": shown in place of line and column

    def recast(self, cls: type[GovcheckError]) -> GovcheckError:
        """The same problem reported as another kind (e.g. a rule file that failed to load)."""
        return cls(
            self.message, file=self.file, line=self.line, column=self.column, field=self.field, cell=self.cell
        )

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = self.file
            if self.cell is not None:
                where += f":{self.cell}"
            elif self.line is not None:
                where += f":{self.line}"
                if self.column is not None:
                    where += f":{self.column}"
            where += ": "
        field = f"{self.field}: " if self.field else ""
        # One line, always: newlines in a message would break CI log parsing.
        return " ".join(f"{where}{field}{self.message}".split())


class InputError(GovcheckError):
    """A programme description that cannot be read or does not validate."""


class RuleError(GovcheckError):
    """A rule file, rule pack or configuration that is not valid."""


class EngineError(Exception):
    """The rule engine failed while evaluating a document."""
