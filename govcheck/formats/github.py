"""GitHub Actions workflow commands: one annotation line per active finding.

`::error file=F,line=L,col=C,endLine=E,endColumn=EC,title=T::message`, escaped the way the
Actions toolkit escapes (`escapeData` and `escapeProperty` in @actions/core): a message cannot
end the line, and a property value cannot end its property or the property list, so programme
text can never start a command of its own.
"""

from __future__ import annotations

from typing import Any

from govcheck.formats import Format
from govcheck.formats.fingerprint import posix_path
from govcheck.report import FileError, Finding, Run
from govcheck.rule import Severity

COMMANDS = {
    Severity.critical: "error",
    Severity.high: "error",
    Severity.medium: "warning",
    Severity.low: "notice",
    Severity.info: "notice",
}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(name: str, message: str, properties: dict[str, Any]) -> str:
    props = ",".join(
        f"{key}={escape_property(str(value))}" for key, value in properties.items() if value is not None
    )
    return f"::{name}{' ' + props if props else ''}::{escape_data(message)}"


def finding_line(f: Finding) -> str:
    loc = f.location
    return command(
        COMMANDS[f.severity],
        f.message,
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
        message,
        {
            "file": posix_path(e.source),
            "line": e.line,
            "col": e.column if e.line is not None else None,
            "title": "govcheck could not check this file",
        },
    )


def lines(run: Run) -> list[str]:
    out = []
    for o in run.outcomes:
        if isinstance(o, FileError):
            out.append(error_line(o))
        else:
            out.extend(finding_line(f) for f in o.findings if f.active)
    out.extend(command("warning", n, {"title": "govcheck"}) for n in run.notices)
    return out


def _context(run: Run) -> dict[str, Any]:
    return {"lines": lines(run)}


FORMAT = Format(name="github", template="github.txt.j2", context=_context, suffix=".txt")
