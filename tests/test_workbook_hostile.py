"""Hostile programme workbooks through the real command line.

Every workbook is built here, from the NGSS example written as a workbook and then broken with
openpyxl or by editing its zip. Each is checked in a batch beside a good YAML description: the
bad workbook must end in exit code 2 with one `govcheck:` line on standard error naming the file
and the cell that was broken and saying what is wrong, never a traceback, and the good file must
still be checked and reported.
"""

from __future__ import annotations

import functools
import io
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLES
from openpyxl import load_workbook  # type: ignore[import-untyped]

from govcheck.reading import MAX_BYTES
from govcheck.workbook.read import parse
from govcheck.workbook.write import write
from govcheck.yamlsource import load

NGSS = EXAMPLES / "ngss.yaml"
HEALTHY = EXAMPLES / "healthy.yaml"
GOOD_ID = "fwsm"  # the id of examples/healthy.yaml


@functools.cache
def ngss_bytes() -> bytes:
    """The NGSS example as a workbook: every case starts from it."""
    return write(load(NGSS).data).content


def govcheck(*args: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "govcheck", *args],
        capture_output=True,
        cwd=cwd,
        env={**os.environ, "NO_COLOR": "1"},
        timeout=120,
    )


def edited(tmp_path: Path, edit: Callable[[Any], None], name: str = "bad.xlsx") -> Path:
    """The NGSS workbook with `edit` applied to it through openpyxl, saved as `name`."""
    book = load_workbook(io.BytesIO(ngss_bytes()))
    edit(book)
    path = tmp_path / name
    book.save(path)
    return path


def rezipped(
    raw: bytes, change: Callable[[str, bytes], bytes] | None = None, extra: dict[str, Any] | None = None
) -> bytes:
    """The zip `raw` with each member passed through `change`, and `extra` members added (name ->
    bytes, or (bytes, compression))."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(raw)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = source.read(info.filename)
            target.writestr(info.filename, change(info.filename, data) if change else data)
        for member, content in (extra or {}).items():
            data, compression = content if isinstance(content, tuple) else (content, zipfile.ZIP_DEFLATED)
            target.writestr(member, data, compress_type=compression)
    return out.getvalue()


def batch(tmp_path: Path, bad: Path) -> tuple[subprocess.CompletedProcess[bytes], list[dict[str, Any]]]:
    """Check the bad workbook in a batch with a good YAML description, as JSON."""
    shutil.copy(HEALTHY, tmp_path / "healthy.yaml")
    result = govcheck("check", bad.name, "healthy.yaml", "-f", "json", cwd=tmp_path)
    assert b"Traceback" not in result.stderr and b"Traceback" not in result.stdout, result.stderr.decode()
    reports = json.loads(result.stdout)
    assert len(reports) == 2, reports
    good = next(r for r in reports if r["programme"].get("source") == "healthy.yaml")
    assert "error" not in good and good["programme"]["id"] == GOOD_ID
    assert isinstance(good["findings"], list) and "summary" in good
    return result, reports


def refused(tmp_path: Path, bad: Path, cell: str | None, *message: str) -> dict[str, Any]:
    """Assert `bad` is refused in a batch, at `cell` (None: the file as a whole), with a message
    holding each of `message`; the good file is still reported. The JSON error is returned."""
    result, reports = batch(tmp_path, bad)
    stderr = result.stderr.decode("utf-8")
    assert result.returncode == 2, (result.returncode, stderr)
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    (line,) = lines
    where = f"govcheck: {bad.name}:{cell}: " if cell else f"govcheck: {bad.name}: "
    assert line.startswith(where), line
    for part in message:
        assert part in line, (part, line)
    (entry,) = [r for r in reports if r["programme"].get("source") == bad.name]
    error: dict[str, Any] = entry["error"]
    assert error["cell"] == cell, error
    assert error["text"] == line.removeprefix("govcheck: ")
    assert error["message"] and error["message"] in line
    return error


def xml_member(raw: bytes, needle: bytes) -> str:
    """The name of the one zip member whose content holds `needle`."""
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        (found,) = [n for n in archive.namelist() if needle in archive.read(n)]
    return found


# --- Formulas --------------------------------------------------------------------------------------


def test_a_formula_with_a_cached_value_is_read_as_that_value(tmp_path: Path) -> None:
    # openpyxl writes a formula with no value; give it the value a spreadsheet program would have
    # calculated, as Excel saves it: <c r="B3"><f>47000000*2</f><v>94000000</v></c>.
    written = edited(tmp_path, lambda book: book["Costs"].__setitem__("B3", "=47000000*2"), "formula.xlsx")
    raw = written.read_bytes()
    member = xml_member(raw, b"<f>47000000*2</f>")

    def cache(name: str, data: bytes) -> bytes:
        if name != member:
            return data
        cell = re.search(rb'<c r="B3"[^>]*>.*?</c>', data)
        assert cell is not None, data
        return data.replace(cell.group(0), b'<c r="B3"><f>47000000*2</f><v>94000000</v></c>')

    written.write_bytes(rezipped(raw, cache))
    source = parse(written.read_bytes(), "formula.xlsx")
    assert source.data["costs"]["spent_to_date"] == {"amount": 94000000, "currency": "GBP"}

    shutil.copy(NGSS, tmp_path / "ngss.yaml")
    result, reports = batch(tmp_path, written)
    assert result.returncode == 1, result.stderr.decode()  # NGSS has high findings; nothing is an error
    assert result.stderr.decode().strip() == ""
    book = next(r for r in reports if r["programme"].get("source") == "formula.xlsx")
    assert "error" not in book
    original = govcheck("check", "ngss.yaml", "-f", "json", cwd=tmp_path)
    (expected,) = json.loads(original.stdout)
    rule_ids = sorted(f["rule_id"] for f in expected["findings"])
    assert rule_ids and sorted(f["rule_id"] for f in book["findings"]) == rule_ids


def test_a_formula_with_no_cached_value_is_refused_at_its_cell(tmp_path: Path) -> None:
    bad = edited(tmp_path, lambda book: book["Costs"].__setitem__("B3", "=1+1"))
    refused(tmp_path, bad, "Costs!B3", "a formula with no calculated value")


def test_a_formula_whose_cached_value_is_an_error_is_refused_at_its_cell(tmp_path: Path) -> None:
    written = edited(tmp_path, lambda book: book["Costs"].__setitem__("B3", "=1/0"))
    raw = written.read_bytes()
    member = xml_member(raw, b"<f>1/0</f>")

    def cache(name: str, data: bytes) -> bytes:
        cell = re.search(rb'<c r="B3"[^>]*>.*?</c>', data) if name == member else None
        return data.replace(cell.group(0), b'<c r="B3" t="e"><f>1/0</f><v>#DIV/0!</v></c>') if cell else data

    written.write_bytes(rezipped(raw, cache))
    refused(tmp_path, written, "Costs!B3", "costs.spent_to_date", "'#DIV/0!'")


# --- Cells, columns, rows and sheets --------------------------------------------------------------


@pytest.mark.parametrize(
    ("sheet", "cells", "cell"),
    [
        ("Parties", "A2:A3", "Parties!A2"),  # a table's data rows
        ("Parties", "B4:C4", "Parties!B4"),
        ("Costs", "B3:C3", "Costs!B3"),  # a form's value column
        ("Costs", "B3:B4", "Costs!B3"),
    ],
)
def test_merged_cells_over_data(tmp_path: Path, sheet: str, cells: str, cell: str) -> None:
    bad = edited(tmp_path, lambda book: book[sheet].merge_cells(cells))
    refused(tmp_path, bad, cell, f"merged cells over data ({cells})", "unmerge")


@pytest.mark.parametrize(
    ("sheet", "ref", "field"),
    [("Costs", "B3", "costs.spent_to_date"), ("Migration", "B3", "migration.total")],
)
def test_text_in_a_number_column(tmp_path: Path, sheet: str, ref: str, field: str) -> None:
    bad = edited(tmp_path, lambda book: book[sheet].__setitem__(ref, "lots"))
    refused(tmp_path, bad, f"{sheet}!{ref}", field, "text in a number column ('lots')", "enter a number")


def test_text_in_a_table_number_column(tmp_path: Path) -> None:
    bad = edited(tmp_path, lambda book: book["Benefit forecasts"].__setitem__("C4", "lots"))
    refused(tmp_path, bad, "'Benefit forecasts'!C4", "text in a number column ('lots')")


def test_a_date_typed_as_text(tmp_path: Path) -> None:
    bad = edited(tmp_path, lambda book: book["Programme"].__setitem__("B8", "31/03/2016"))
    refused(tmp_path, bad, "Programme!B8", "assessment_date", "a date typed as text ('31/03/2016')")


def test_an_unknown_sheet_has_a_did_you_mean(tmp_path: Path) -> None:
    bad = edited(tmp_path, lambda book: setattr(book["Milestones"], "title", "Milestone"))
    refused(tmp_path, bad, "Milestone!A1", "unknown sheet 'Milestone'", "did you mean 'Milestones'?")


def test_an_unknown_column_has_a_did_you_mean(tmp_path: Path) -> None:
    bad = edited(tmp_path, lambda book: book["Milestones"].__setitem__("C1", "Forcast"))
    refused(tmp_path, bad, "Milestones!C1", "unknown column 'Forcast'", "did you mean 'Forecast'?")


def test_an_unknown_field_label_on_a_form(tmp_path: Path) -> None:
    bad = edited(tmp_path, lambda book: book["Costs"].__setitem__("A3", "Spent so far"))
    refused(tmp_path, bad, "Costs!A3", "unknown field 'Spent so far' on the Costs sheet")


def test_a_row_with_no_key(tmp_path: Path) -> None:
    def edit(book: Any) -> None:
        import datetime as dt

        book["Milestones"]["C2"] = dt.datetime(2017, 3, 31)  # a forecast, but no name

    bad = edited(tmp_path, edit)
    refused(tmp_path, bad, "Milestones!A2", "a row with no key", "Name is blank")


def test_duplicate_ids(tmp_path: Path) -> None:
    def edit(book: Any) -> None:
        ws = book["Benefit items"]
        ws["A3"] = ws["A2"].value
        ws["B3"] = "no"

    bad = edited(tmp_path, edit)
    name = "Efficiency savings to customer departments"
    refused(tmp_path, bad, "'Benefit items'!A3", f"duplicate ID {name}: also in row 2")


def test_a_child_row_naming_a_parent_that_does_not_exist(tmp_path: Path) -> None:
    bad = edited(tmp_path, lambda book: book["Benefit forecasts"].__setitem__("A5", "Savings from nowhere"))
    refused(
        tmp_path, bad, "'Benefit forecasts'!A5", "no row of the Benefit items sheet has name Savings from"
    )


# --- The file itself --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "member"),
    [
        ("bad.xlsm", "xl/vbaProject.bin"),
        ("bad.xlsx", "xl/vbaProject.bin"),  # named as a plain workbook: refused all the same
        ("bad.xlsm", "xl/macrosheets/sheet1.xml"),  # an Excel 4.0 macro sheet
    ],
)
def test_a_macro_enabled_workbook_is_refused_and_never_run(tmp_path: Path, name: str, member: str) -> None:
    bad = tmp_path / name
    # Were this ever executed it would leave a file behind; it cannot be, and is never even loaded.
    payload = b'Attribute VB_Name = "ThisWorkbook"\nSub Workbook_Open()\nShell "touch ran"\nEnd Sub\n'
    bad.write_bytes(rezipped(ngss_bytes(), extra={member: payload}))
    error = refused(tmp_path, bad, None, "macro-enabled workbook", member, "never runs macros")
    assert error["line"] is None
    assert not (tmp_path / "ran").exists()


def test_a_zip_bomb_is_refused_before_it_is_expanded(tmp_path: Path) -> None:
    bad = tmp_path / "bad.xlsx"
    bomb = b"\0" * (4 * 1024 * 1024)  # deflates about a thousandfold, well past 200x and 1 MiB
    bad.write_bytes(rezipped(ngss_bytes(), extra={"xl/media/bomb.bin": bomb}))
    with zipfile.ZipFile(bad) as archive:
        info = archive.getinfo("xl/media/bomb.bin")
        assert info.file_size > 1024 * 1024 and info.file_size / info.compress_size > 200
    refused(tmp_path, bad, None, "'xl/media/bomb.bin' expands", "zip bomb")


def test_a_file_over_the_read_limit_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.xlsx"
    # A real workbook made large with a stored (uncompressed) part: not a bomb, only too big.
    padding = os.urandom(MAX_BYTES)
    bad.write_bytes(rezipped(ngss_bytes(), extra={"xl/media/padding.bin": (padding, zipfile.ZIP_STORED)}))
    assert bad.stat().st_size > MAX_BYTES
    refused(tmp_path, bad, None, f"the limit is {MAX_BYTES:,}")


def _truncated(raw: bytes) -> bytes:
    return raw[: len(raw) // 2]


def _corrupted(raw: bytes) -> bytes:
    """The zip with the compressed bytes of its sheets overwritten; its directory intact."""
    out = bytearray(raw)
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        for info in archive.infolist():
            if info.filename.startswith("xl/worksheets/"):
                start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
                out[start : start + info.compress_size] = b"\xff" * info.compress_size
    return bytes(out)


UNREADABLE = "not a readable XLSX workbook"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param(lambda raw: b"id: ngss\nname: a workbook?\n", f"{UNREADABLE} (damaged zip)", id="yaml"),
        pytest.param(lambda raw: os.urandom(4096), f"{UNREADABLE} (damaged zip)", id="random-bytes"),
        pytest.param(lambda raw: b"", "file is empty; expected a programme workbook", id="empty"),
        pytest.param(_truncated, f"{UNREADABLE} (damaged zip)", id="truncated-zip"),
        pytest.param(_corrupted, f"{UNREADABLE} (damaged compressed data)", id="corrupted-zip"),
        pytest.param(
            lambda raw: rezipped(raw, lambda name, data: b"" if name == "xl/workbook.xml" else data),
            f"{UNREADABLE} (malformed XML in one of its parts)",
            id="empty-workbook-part",
        ),
    ],
)
def test_a_file_that_is_not_a_workbook(
    tmp_path: Path, content: Callable[[bytes], bytes], message: str
) -> None:
    """Named .xlsx, so refused as a workbook, whatever it holds."""
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(content(ngss_bytes()))
    refused(tmp_path, bad, None, message)


def test_the_blank_template_checked_as_it_is(tmp_path: Path) -> None:
    made = govcheck("template", "xlsx", "-o", "bad.xlsx", cwd=tmp_path)
    assert made.returncode == 0, made.stderr.decode()
    refused(tmp_path, tmp_path / "bad.xlsx", "Programme!B2", "id: required field is missing")


def test_the_unbroken_workbook_checks_like_its_yaml(tmp_path: Path) -> None:
    """The control: the workbook every case starts from is itself fine."""
    good = tmp_path / "ngss.xlsx"
    good.write_bytes(ngss_bytes())
    result, reports = batch(tmp_path, good)
    assert result.returncode == 1 and result.stderr.decode().strip() == ""
    book = next(r for r in reports if r["programme"].get("source") == "ngss.xlsx")
    assert book["programme"]["id"] == "ngss" and book["findings"]
