"""Reading a GMPP release into a grid of text cells: CSV (any of the encodings the publisher
has used) or XLSX, with the limits that keep hostile files from costing memory or time.

A file that cannot be read at all raises `UnreadableFile` (the command prints one line and
exits 2). Nothing here interprets the cells: that is `gmpp_layout` and `gmpp_cells`.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_XLSX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_XLSX_RATIO = 200  # uncompressed / compressed, per zip member
MAX_XLSX_MEMBERS = 10_000
MAX_ROWS = 20_000  # a release lists hundreds of projects
MAX_COLUMNS = 5_000
MAX_SHEETS = 50


class UnreadableFile(Exception):
    """The file cannot be read as a release; the message names where, if known."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass(frozen=True, slots=True)
class Cell:
    """One cell as text; `formula` marks a spreadsheet formula (kept as text, never evaluated)."""

    text: str
    formula: bool = False


Row = tuple[Cell, ...]


@dataclass(frozen=True, slots=True)
class Sheet:
    name: str  # "" for a CSV file
    rows: tuple[Row, ...]
    encoding: str  # "utf-8-sig", "utf-8", "cp1252", "mixed" or "xlsx"
    odd_lines: tuple[int, ...] = ()  # with "mixed": the lines read as cp1252, the rest being UTF-8


def read_release(path: Path) -> tuple[Sheet, ...]:
    """Every sheet of the file (one for a CSV file), as text cells."""
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise UnreadableFile("is a directory, not a release file")
        if size > MAX_FILE_BYTES:
            raise UnreadableFile(f"file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,}")
        raw = path.read_bytes()
    except FileNotFoundError:
        raise UnreadableFile("file not found") from None
    except PermissionError:
        raise UnreadableFile("permission denied") from None
    except OSError as exc:
        raise UnreadableFile(f"cannot read file: {exc.strerror or exc}") from None
    if raw.startswith(b"PK\x03\x04"):
        return _read_xlsx(raw)
    if path.suffix.lower() in {".xlsx", ".xlsm"}:
        raise UnreadableFile("not an XLSX file (no zip signature)")
    return (_read_csv(raw),)


def decode(raw: bytes) -> tuple[str, str, tuple[int, ...]]:
    """The text, the encoding it was read with (UTF-8 with or without a BOM, else cp1252), and
    the lines read differently from the rest: a UTF-8 file with some lines in cp1252 (rows
    pasted in from another file) is read line by line, "mixed", and those lines are named."""
    if raw.startswith(codecs.BOM_UTF8):
        return raw[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace"), "utf-8-sig", ()
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16", errors="replace"), "utf-16", ()
    try:
        return raw.decode("utf-8"), "utf-8", ()
    except UnicodeDecodeError:
        pass
    parts: list[str] = []
    odd: list[int] = []
    utf8_beyond_ascii = False
    for number, line in enumerate(raw.splitlines(keepends=True), start=1):
        try:
            parts.append(line.decode("utf-8"))
            utf8_beyond_ascii = utf8_beyond_ascii or not line.isascii()
        except UnicodeDecodeError:
            parts.append(line.decode("cp1252", errors="replace"))
            odd.append(number)
    if utf8_beyond_ascii:
        return "".join(parts), "mixed", tuple(odd)
    # cp1252 leaves five bytes undefined; they become U+FFFD rather than failing the file.
    return raw.decode("cp1252", errors="replace"), "cp1252", ()


def _read_csv(raw: bytes) -> Sheet:
    if b"\x00" in raw[:65536] and not raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        raise UnreadableFile("binary content (NUL byte); expected CSV text or an XLSX workbook", line)
    text, encoding, odd = decode(raw)
    try:
        rows = _parse_csv(text, strict=True)
    except _CsvProblem as problem:
        if problem.unterminated:
            raise UnreadableFile(
                "broken CSV quoting: a quoted cell is never closed, so rows cannot be told apart",
                problem.line,
            ) from None
        # Text after a closing quote ('"a"b'): cells are still delimited; read leniently.
        rows = _parse_csv(text, strict=False)
    return Sheet("", rows, encoding, odd)


class _CsvProblem(Exception):
    def __init__(self, message: str, line: int, unterminated: bool) -> None:
        super().__init__(message)
        self.line = line
        self.unterminated = unterminated


def _parse_csv(text: str, *, strict: bool) -> tuple[Row, ...]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=strict)
    rows: list[Row] = []
    start = 1
    try:
        for record in reader:
            if len(rows) >= MAX_ROWS:
                raise UnreadableFile(f"more than {MAX_ROWS:,} rows", reader.line_num)
            if len(record) > MAX_COLUMNS:
                raise UnreadableFile(f"more than {MAX_COLUMNS:,} columns", reader.line_num)
            rows.append(tuple(Cell(c) for c in record))
            start = reader.line_num + 1
    except csv.Error as exc:
        message = str(exc)
        if "field larger than field limit" in message:
            raise UnreadableFile(
                f"a cell is over {csv.field_size_limit():,} characters (or a quote is never closed)",
                start,
            ) from None
        if not strict:
            raise UnreadableFile(f"broken CSV: {message}", start) from None
        raise _CsvProblem(message, start, "unexpected end of data" in message) from None
    return tuple(rows)


def _read_xlsx(raw: bytes) -> tuple[Sheet, ...]:
    check_zip(raw)
    import warnings

    import openpyxl  # type: ignore[import-untyped]

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=False)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many types for a damaged workbook
        raise UnreadableFile(f"not a readable XLSX workbook ({type(exc).__name__})") from None
    try:
        sheets: list[Sheet] = []
        for ws in book.worksheets[:MAX_SHEETS]:
            rows: list[Row] = []
            for values in ws.iter_rows(values_only=True):
                if len(rows) >= MAX_ROWS:
                    raise UnreadableFile(f"sheet {ws.title!r} has more than {MAX_ROWS:,} rows")
                if len(values) > MAX_COLUMNS:
                    raise UnreadableFile(f"sheet {ws.title!r} has more than {MAX_COLUMNS:,} columns")
                rows.append(tuple(_xlsx_cell(v) for v in values))
            sheets.append(Sheet(str(ws.title), tuple(rows), "xlsx"))
    except UnreadableFile:
        raise
    except Exception as exc:  # noqa: BLE001
        raise UnreadableFile(f"damaged XLSX workbook ({type(exc).__name__})") from None
    finally:
        book.close()
    return tuple(sheets)


def check_zip(raw: bytes) -> None:
    """Refuse a zip bomb from its directory alone, before anything is decompressed (GMPP releases
    and programme workbooks alike)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except (zipfile.BadZipFile, OSError, ValueError):
        raise UnreadableFile("not a readable XLSX workbook (damaged zip)") from None
    with archive:
        members = archive.infolist()
        if len(members) > MAX_XLSX_MEMBERS:
            raise UnreadableFile(f"XLSX holds {len(members):,} parts; the limit is {MAX_XLSX_MEMBERS:,}")
        total = 0
        for info in members:
            total += info.file_size
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > 1024 * 1024 and ratio > MAX_XLSX_RATIO:
                raise UnreadableFile(
                    f"XLSX part {info.filename!r} expands {ratio:,.0f} times; refusing a likely zip bomb"
                )
        if total > MAX_XLSX_UNCOMPRESSED:
            raise UnreadableFile(f"XLSX expands to {total:,} bytes; the limit is {MAX_XLSX_UNCOMPRESSED:,}")
        if "xl/workbook.xml" not in {i.filename for i in members}:
            raise UnreadableFile("not an XLSX workbook (no xl/workbook.xml)")


def _xlsx_cell(value: object) -> Cell:
    if value is None:
        return Cell("")
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return Cell(value.date().isoformat())
        return Cell(value.isoformat(sep=" "))
    if isinstance(value, dt.date):
        return Cell(value.isoformat())
    if isinstance(value, bool):
        return Cell("TRUE" if value else "FALSE")
    if isinstance(value, float):
        return Cell(repr(value) if not value.is_integer() else str(int(value)))
    text = str(value)
    return Cell(text, formula=text.startswith("="))
