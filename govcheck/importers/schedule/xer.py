"""Primavera P6 XER files: the header, the encoding and the tables, strictly.

An XER file is lines of tab-separated fields: `ERMHDR` and the P6 version on line 1, then for
each table `%T` and its name, `%F` and the field names, `%R` rows, and `%E` after the last
table. The tables a schedule needs (PROJECT, CALENDAR, TASK, TASKPRED, TASKRSRC) are kept and
checked row by row: a row with a different number of fields than its `%F` line, a table with
no `%F` line, a file with no `%E` (truncated) or without a PROJECT or TASK table is an error
on the line concerned. Other tables are skipped without being split. P6 writes cp1252 text
(usually): UTF-8 is tried first, then cp1252. Interpreting the tables is `xer_build`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from types import MappingProxyType

from govcheck.importers.schedule.common import Limits, Where, too_many
from govcheck.importers.schedule.model import Schedule
from govcheck.importers.schedule.xer_build import build

#: P6 releases whose XER files are read: 8.x to 25.x (from 2020 on numbered year.month).
KNOWN_MAJOR_VERSIONS = range(8, 26)
WANTED = frozenset({"PROJECT", "CALENDAR", "TASK", "TASKPRED", "TASKRSRC"})
REQUIRED = ("PROJECT", "TASK")
_VERSION = re.compile(r"(\d{1,3})\.\d{1,3}(?:\.\d{1,3})*")
_COUNTED = MappingProxyType({"TASK": "activities", "TASKPRED": "links"})


@dataclass(slots=True)
class Table:
    """A kept table: its `%T` line, field names, and rows as written (`%R` first)."""

    name: str
    line: int
    fields: tuple[str, ...] = ()
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    has_fields: bool = False


def read_xer(data: bytes, name: str, limits: Limits) -> Schedule:
    """The schedule in XER `data` (shown to users as `name`)."""
    lines = _decode(data).split("\n")
    version(lines[0], name)
    return build(_tables(lines, name, limits), name)


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def version(header: str, name: str) -> str:
    """The P6 version on line 1, if it is one this reader knows."""
    fields = header.rstrip("\r").split("\t")
    text = fields[1].strip() if len(fields) > 1 else ""
    match = _VERSION.fullmatch(text)
    if fields[0] != "ERMHDR" or match is None or int(match.group(1)) not in KNOWN_MAJOR_VERSIONS:
        known = f"{KNOWN_MAJOR_VERSIONS[0]}.x to {KNOWN_MAJOR_VERSIONS[-1]}.x"
        raise Where(name, 1).error(f"unknown XER version {text[:40]!r}: P6 {known} are read")
    return text


def _tables(lines: list[str], name: str, limits: Limits) -> dict[str, Table]:
    """The kept tables, up to the `%E` line."""
    tables: dict[str, Table] = {}
    table: Table | None = None
    limit = 0
    for number, line in enumerate(lines[1:], start=2):
        tag = line[:2]
        if tag == "%R":
            if table is None or not table.has_fields:
                raise Where(name, number).error("a %R row before the %F line of its table")
            if table.name not in WANTED:
                continue
            row = line.rstrip("\r").split("\t")
            if len(row) != len(table.fields) + 1:
                raise _width(name, number, table, len(row) - 1)
            table.rows.append((number, row))
            if len(table.rows) > limit > 0:
                raise too_many(_COUNTED[table.name], limit, Where(name, number))
        elif tag == "%T":
            _complete(table, name)
            table = Table(line.rstrip("\r").partition("\t")[2].strip(), number)
            if table.name in tables:
                raise Where(name, number).error(f"table {table.name} appears twice")
            if table.name in WANTED:
                tables[table.name] = table
            limit = {"TASK": limits.activities, "TASKPRED": limits.links}.get(table.name, 0)
        elif tag == "%F":
            if table is None or table.has_fields:
                raise Where(name, number).error("a %F line that does not follow a %T line")
            table.fields = tuple(f.strip() for f in line.rstrip("\r").split("\t")[1:])
            table.has_fields = True
        elif tag == "%E":
            _complete(table, name)
            _required(tables, name, number)
            return tables
        elif line.strip() and table is not None and table.name in WANTED:
            raise Where(name, number).error(f"a line that is not a %R row in table {table.name}")
    last = len(lines) - (lines[-1].strip() == "")  # the last line, not the empty string after it
    raise Where(name, last).error("no %E line at the end: the file is truncated")


def _complete(table: Table | None, name: str) -> None:
    if table is not None and not table.has_fields:
        raise Where(name, table.line).error(f"table {table.name} has no %F line (truncated?)")


def _required(tables: dict[str, Table], name: str, number: int) -> None:
    for required in REQUIRED:
        if required not in tables:
            raise Where(name, number).error(f"no {required} table: not a schedule export")


def _width(name: str, number: int, table: Table, width: int) -> Exception:
    expected = len(table.fields)
    truncated = " (truncated?)" if width < expected else ""
    return Where(name, number).error(
        f"a {table.name} row with {width} fields where its %F line names {expected}{truncated}"
    )
