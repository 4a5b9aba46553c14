"""GitHub Actions workflow commands: one annotation line per active finding.

`::error file=F,line=L,col=C,endLine=E,endColumn=EC,title=T::message`, escaped the way the
Actions toolkit escapes (`escapeData` and `escapeProperty` in @actions/core): a message cannot
end the line, and a property value cannot end its property or the property list, so programme
text can never start a command of its own. Other control characters become U+FFFD, so none
reaches the log raw.

The level is the run's verdict: `error` for exactly the active findings at or above
`--fail-on`, `warning` for other findings of medium severity or above, `notice` for the rest.
Waived and baselined findings are left out: annotations list what needs fixing.

In a workbook, `line` and `col` are the cell's row and column number, and the message opens with
the sheet and cell (`Costs!C4: ...`), as the compact format and error lines name the place.
"""

from __future__ import annotations

import re
from typing import Any

from govcheck.formats import Format
from govcheck.formats.fingerprint import posix_path
from govcheck.formats.stream import Meta, Out, Summary, fails, reported
from govcheck.report import FileError, Finding, Outcome
from govcheck.rule import Severity

_CONTROL = re.compile(r"[\x00-\x09\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def level(f: Finding, fail_on: Severity) -> str:
    if fails(f, fail_on):
        return "error"
    return "warning" if f.severity.rank >= Severity.medium.rank else "notice"


def escape_data(text: str) -> str:
    text = _CONTROL.sub("\ufffd", text)
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(name: str, message: str, properties: dict[str, Any]) -> str:
    props = ",".join(
        f"{key}={escape_property(str(value))}" for key, value in properties.items() if value is not None
    )
    return f"::{name}{' ' + props if props else ''}::{escape_data(message)}"


def _at(cell: str | None, message: str) -> str:
    """The message, opening with the sheet and cell when the place is one in a workbook."""
    return f"{cell}: {message}" if cell else message


def finding_line(f: Finding, fail_on: Severity = Severity.high) -> str:
    loc = f.location
    return command(
        level(f, fail_on),
        _at(loc.cell, f.message),
        {
            "file": posix_path(loc.file),
            "line": loc.line,
            "col": loc.column,
            "endLine": loc.end_line,
            "endColumn": loc.end_column,
            "title": f"{f.title} ({f.rule_id})",
        },
    )


def error_line(e: FileError) -> str:
    message = f"{e.field}: {e.message}" if e.field else e.message
    return command(
        "error",
        _at(e.cell, message),
        {
            "file": posix_path(e.source),
            "line": e.line,
            "col": e.column if e.line is not None else None,
            "title": "govcheck could not check this file",
        },
    )


class GithubWriter:
    def __init__(self, out: Out) -> None:
        self.out = out
        self.fail_on = Severity.high

    def start(self, meta: Meta) -> None:
        self.fail_on = meta.fail_on

    def outcome(self, outcome: Outcome) -> None:
        if isinstance(outcome, FileError):
            self.out.write(error_line(outcome) + "\n")
            return
        for f in reported(outcome, self.fail_on):
            if f.active:
                self.out.write(finding_line(f, self.fail_on) + "\n")

    def finish(self, summary: Summary) -> None:
        for notice in summary.notices:
            self.out.write(command("warning", notice, {"title": "govcheck"}) + "\n")


FORMAT = Format(name="github", writer=GithubWriter, suffix=".txt")
