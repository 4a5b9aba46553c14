"""The programme workbook in a real spreadsheet program, and its drop-downs and input messages.

LibreOffice opens the blank template and a converted example headless and saves them again: it
must do so without repair, and what it saves must keep every sheet, the values, the drop-downs,
and check exactly as the YAML it came from. CI installs LibreOffice, so there a missing
`soffice` fails these tests; elsewhere they are skipped.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLES
from openpyxl import load_workbook  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]
from openpyxl.utils.cell import coordinate_from_string  # type: ignore[import-untyped]

from govcheck.workbook.cellmap import CellMap
from govcheck.workbook.fields import Leaf
from govcheck.workbook.layout import Form, Table, header, sheet_named, sheets
from govcheck.workbook.read import parse
from govcheck.workbook.write import SPARE_ROWS

NGSS = EXAMPLES / "ngss.yaml"
TIMEOUT = 120
CURRENCY = "GBP"  # the template's, and the NGSS example's


def govcheck(*args: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "govcheck", *args],
        capture_output=True,
        cwd=cwd,
        env={**os.environ, "NO_COLOR": "1"},
        timeout=TIMEOUT,
    )


@pytest.fixture(scope="module")
def soffice() -> str:
    found = shutil.which("soffice")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) is not installed; CI installs it to run these tests")
        pytest.skip("LibreOffice (soffice) is not installed")
    return found


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The workbooks as users get them from the command line: the blank template and NGSS."""
    where = tmp_path_factory.mktemp("made")
    template = govcheck("template", "xlsx", "-o", "template.xlsx", cwd=where)
    assert template.returncode == 0, template.stderr.decode()
    converted = govcheck("convert", str(NGSS), "-o", "ngss.xlsx", cwd=where)
    assert converted.returncode == 0, converted.stderr.decode()
    return {"template": where / "template.xlsx", "ngss": where / "ngss.xlsx"}


def libreoffice_resave(soffice: str, source: Path, where: Path) -> Path:
    """`source` opened and saved again as XLSX by LibreOffice, headless, with a user profile of
    its own (so parallel runs do not share one); it must not need repairing."""
    out = where / "out"
    out.mkdir()
    command = [
        soffice, "--headless", "--norestore", f"-env:UserInstallation={(where / 'lo').as_uri()}",
        "--convert-to", "xlsx", "--outdir", str(out), str(source),
    ]  # fmt: skip
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True, cwd=where
    )
    try:
        stdout, stderr = process.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        pytest.fail(f"LibreOffice did not convert {source.name} in {TIMEOUT} s")
    finally:
        try:  # anything LibreOffice left behind in the group started here
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    said = (stdout + stderr).decode("utf-8", "replace")
    assert process.returncode == 0, said
    assert f"convert {source}" in said and "Error" not in said and "repair" not in said.lower(), said
    resaved = out / source.name
    assert resaved.is_file() and resaved.stat().st_size > 0, said
    return resaved


@pytest.fixture(scope="module", params=["template", "ngss"])
def resaved(
    request: pytest.FixtureRequest,
    soffice: str,
    made: dict[str, Path],
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[str, Path, Path]:
    """(kind, the workbook govcheck wrote, the same saved again by LibreOffice)."""
    kind = request.param
    return kind, made[kind], libreoffice_resave(soffice, made[kind], tmp_path_factory.mktemp(f"lo-{kind}"))


def validations(ws: Any) -> set[tuple[Any, ...]]:
    """A sheet's data validations, as what a user sees of them: the cells, the kind, the list
    offered, the input message and the error."""
    return {
        (
            str(dv.sqref),
            dv.type,
            dv.formula1 if dv.type == "list" else None,
            dv.promptTitle,
            dv.prompt,
            bool(dv.showInputMessage),
            bool(dv.allow_blank),
            bool(dv.showErrorMessage),
            dv.errorTitle,
            dv.error,
            dv.errorStyle or "stop",  # stop is the default, whether written or not
        )
        for dv in ws.data_validations.dataValidation
    }


def validation_at(ws: Any, ref: str) -> Any:
    (found,) = [dv for dv in ws.data_validations.dataValidation if ref in dv.sqref]
    return found


# --- LibreOffice --------------------------------------------------------------------------------

CHOSEN: dict[str, dict[str, Any]] = {
    "template": {
        "About!A1": "Programme description workbook",
        "Programme!A2": "ID",
        "Programme!B2": None,
        "Programme!A18": "Currency",
        "Programme!B18": CURRENCY,
        "Parties!B1": "Role",
        "Milestones!E1": "Go live",
        "'Benefit forecasts'!A1": "Benefit items: name",
    },
    "ngss": {
        "Programme!B2": "ngss",
        "Programme!B8": dt.datetime(2016, 5, 20),
        "Costs!B3": 94000000,
        "Migration!B3": 26,
        "Mandate!B3": "no",
        "Parties!A2": "Department for Culture, Media & Sport",
        "Parties!C2": "exited",
        "'Benefit forecasts'!B2": dt.datetime(2014, 11, 1),
        "'Benefit forecasts'!C5": 15000000,
        "Checkpoints!C2": 2,
    },
}


def test_libreoffice_opens_and_saves_the_workbook_keeping_it_whole(resaved: tuple[str, Path, Path]) -> None:
    kind, original, again = resaved
    before, after = load_workbook(original), load_workbook(again)
    assert after.sheetnames == before.sheetnames
    for ref, value in CHOSEN[kind].items():
        sheet, cell = ref.rsplit("!", 1)
        sheet = sheet.strip("'")
        assert before[sheet][cell].value == value, ref
        assert after[sheet][cell].value == value, ref
    for ws in before:
        kept = after[ws.title]
        for row in ws.iter_rows():
            for cell in row:
                assert kept[cell.coordinate].value == cell.value, (ws.title, cell.coordinate)
        assert validations(kept) == validations(ws), ws.title
    role = validation_at(after["Parties"], "B2")
    assert role.type == "list" and "customer" in role.formula1 and "supplier" in role.formula1
    assert validation_at(after["Milestones"], "E2").formula1 == '"yes,no"'
    assert validation_at(after["Milestones"], "C2").type == "date"


def test_libreoffice_saved_workbook_checks_as_before(resaved: tuple[str, Path, Path], tmp_path: Path) -> None:
    kind, original, again = resaved
    if kind == "template":
        # The blank template is refused as it was before: it has no id.
        shutil.copy(again, tmp_path / "template.xlsx")
        result = govcheck("check", "template.xlsx", "-f", "json", cwd=tmp_path)
        stderr = result.stderr.decode()
        assert result.returncode == 2 and "Traceback" not in stderr, stderr
        assert stderr.startswith("govcheck: template.xlsx:Programme!B2: id: required field is missing")
        return
    # What LibreOffice saved reads as the same description, with the same notes.
    read_again, read_before = (
        parse(again.read_bytes(), "ngss.xlsx"),
        parse(original.read_bytes(), "ngss.xlsx"),
    )
    assert read_again.data == read_before.data
    assert isinstance(read_again.root, CellMap) and isinstance(read_before.root, CellMap)
    assert read_again.root.notes == read_before.root.notes and read_before.root.notes
    shutil.copy(again, tmp_path / "resaved.xlsx")
    shutil.copy(NGSS, tmp_path / "ngss.yaml")
    rule_ids = {}
    for name in ("resaved.xlsx", "ngss.yaml"):
        result = govcheck("check", name, "-f", "json", cwd=tmp_path)
        assert result.returncode == 1, result.stderr.decode()  # NGSS has high findings
        (report,) = json.loads(result.stdout)
        rule_ids[name] = sorted(f["rule_id"] for f in report["findings"])
    assert rule_ids["resaved.xlsx"] == rule_ids["ngss.yaml"] and rule_ids["ngss.yaml"]


# --- Drop-downs and input messages, read with openpyxl ------------------------------------------------


@pytest.fixture(scope="module")
def template(made: dict[str, Path]) -> Any:
    return load_workbook(made["template"])


def placed(book: Any) -> list[tuple[str, Leaf, str]]:
    """(sheet, leaf, the first cell of its values) for every value of the template's layout."""
    found = []
    for sheet in sheets():
        ws = book[sheet.name]
        if isinstance(sheet, Form):
            rows = {ws.cell(r, 1).value: r for r in range(2, ws.max_row + 1)}
            found += [(sheet.name, leaf, f"B{rows[header(leaf, CURRENCY)]}") for leaf in sheet.leaves]
        else:
            assert isinstance(sheet, Table)
            columns = {ws.cell(1, c).value: c for c in range(1, ws.max_column + 1)}
            found += [
                (sheet.name, leaf, f"{get_column_letter(columns[header(leaf, CURRENCY)])}2")
                for leaf in sheet.leaves
            ]
    return found


def test_the_template_offers_closed_vocabularies_as_drop_downs(template: Any) -> None:
    role = validation_at(template["Parties"], "B2")
    assert template["Parties"]["B1"].value == "Role"
    assert role.type == "list" and role.formula1 == '"customer,supplier,delivery_partner,sponsor,other"'
    assert template["Milestones"]["E1"].value == "Go live"
    assert validation_at(template["Milestones"], "E2").formula1 == '"yes,no"'
    checked = 0
    for name, leaf, ref in placed(template):
        if leaf.kind not in ("choice", "bool"):
            continue
        dv = validation_at(template[name], ref)
        offered = dv.formula1.strip('"').split(",")
        expected = list(leaf.choices) if leaf.kind == "choice" else ["yes", "no"]
        assert dv.type == "list" and offered[: len(expected)] == expected, (name, leaf.label, dv.formula1)
        assert offered[len(expected) :] == (["not in place"] if leaf.nullable else []), (name, leaf.label)
        assert len(dv.formula1) <= 257, (name, leaf.label)  # Excel's limit for a list written inline
        assert dv.showErrorMessage and dv.errorStyle == "stop", (name, leaf.label)
        checked += 1
    assert checked > 40


def test_the_template_validates_dates_as_dates(template: Any) -> None:
    assert validation_at(template["Programme"], "B8").type == "date"  # Assessment date
    for column in "BCD":  # Baseline, Forecast, Actual
        assert validation_at(template["Milestones"], f"{column}2").type == "date"
    dates = [(name, leaf, ref) for name, leaf, ref in placed(template) if leaf.kind == "date"]
    assert len(dates) > 30
    for name, leaf, ref in dates:
        dv = validation_at(template[name], ref)
        assert dv.type == "date" and dv.operator == "between", (name, leaf.label)
        assert dv.formula1.startswith("DATE(") and dv.formula2.startswith("DATE("), (name, leaf.label)


def test_the_template_explains_every_value_in_an_input_message(template: Any) -> None:
    for name, leaf, ref in placed(template):
        ws = template[name]
        dv = validation_at(ws, ref)
        assert dv.showInputMessage and dv.prompt and dv.promptTitle, (name, leaf.label)
        assert len(dv.prompt) <= 255 and len(dv.promptTitle) <= 32, (name, leaf.label)  # Excel's limits
        assert len(dv.prompt) < 255 or dv.prompt.endswith("."), ("cut short", name, leaf.label, dv.prompt)
        assert len(dv.error or "") <= 255 and len(dv.errorTitle or "") <= 32, (name, leaf.label)
        column, row = coordinate_from_string(ref)
        if isinstance(sheet_named(name), Table):  # the whole column, the rows to fill in included
            assert row == 2 and f"{column}{SPARE_ROWS + 1}" in dv.sqref, (name, leaf.label, dv.sqref)
    every = [dv for ws in template for dv in ws.data_validations.dataValidation]
    assert every and all(len(dv.prompt or "") <= 255 and len(dv.promptTitle or "") <= 32 for dv in every)
