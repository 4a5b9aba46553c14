"""The programme workbook: its layout follows the model, every example survives a round trip,
and a workbook checks exactly as the YAML it was converted from, located at its cells."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from govcheck.checker import Checker
from govcheck.errors import InputError
from govcheck.model import Programme
from govcheck.report import Report
from govcheck.validation import validate
from govcheck.workbook import layout
from govcheck.workbook.cellmap import CellMap
from govcheck.workbook.convert import to_workbook, to_yaml, yaml_comments
from govcheck.workbook.read import parse
from govcheck.workbook.write import write
from govcheck.yamlsource import load
from govcheck.yamlsource import parse as parse_yaml

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted(p for p in (ROOT / "examples").rglob("*.yaml") if not p.name.startswith("_"))


def _described(programme: Programme) -> dict[str, Any]:
    return programme.model_dump(mode="json", exclude_unset=True)


def _book(path: Path, folder: Path) -> Path:
    """The example converted to a workbook in `folder`, with the schedules it names beside it."""
    shutil.copytree(ROOT / "examples" / "schedules", folder / "schedules", dirs_exist_ok=True)
    out = folder / f"{path.stem}.xlsx"
    out.write_bytes(write(load(path).data).content)
    return out


@pytest.fixture(scope="module")
def checker() -> Checker:
    return Checker()


def test_every_field_of_the_model_has_a_place_in_the_workbook() -> None:
    assert layout.check_complete() == []


def test_sheet_names_and_labels_are_usable() -> None:
    names = [s.name for s in layout.sheets()]
    assert len(names) == len(set(names))
    assert all(len(n) <= 31 and not set(n) & set("[]:*?/\\") for n in names)
    for sheet in layout.sheets():
        labels = [leaf.label.lower() for leaf in sheet.leaves]
        assert len(labels) == len(set(labels)), sheet.name
    parts = [part for part, _ in layout.PARTS]
    assert parts[0] == "Programme" and "Costs" in parts and "Status" in parts


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_example_survives_a_round_trip(path: Path) -> None:
    source = load(path)
    before = validate(Programme, source)
    after = validate(Programme, parse(write(source.data).content, "x.xlsx"))
    assert _described(after) == _described(before)
    # And back to YAML: the same description again.
    book = parse(write(source.data).content, "x.xlsx")
    again = parse_yaml(to_yaml(book).content.decode(), "again.yaml")
    assert _described(validate(Programme, again)) == _described(before)


@pytest.mark.parametrize("name", ["ngss.yaml", "troubled.yaml", "harbour-ticketing.yaml", "real/ajax.yaml"])
def test_a_workbook_checks_exactly_as_its_yaml(name: str, tmp_path: Path, checker: Checker) -> None:
    path = ROOT / "examples" / name
    book = _book(path, tmp_path)
    yaml_report, book_report = checker.check_path(path), checker.check_path(book)
    assert isinstance(yaml_report, Report) and isinstance(book_report, Report)

    def meaning(r: Report) -> Any:
        return (
            [(f.rule_id, f.message, f.evidence, f.location.path) for f in r.findings],
            [(g.rule_id, g.message) for g in r.gaps],
            r.rating,
            r.value_for_money,
            r.readiness,
            # The same schedule files, named from two folders.
            re.sub(
                r'"[^"]*/schedules/',
                '"',
                json.dumps(r.schedule.model_dump(mode="json") if r.schedule else None),
            ),
        )

    assert meaning(book_report) == meaning(yaml_report)
    assert all(f.location.cell is None for f in yaml_report.findings)
    in_book = [f for f in book_report.findings if not f.location.file.endswith((".xml", ".xer"))]
    assert in_book and all(f.location.file == str(book) or f.location.cell for f in in_book)
    assert all(f.location.cell for f in in_book)


@pytest.mark.parametrize("name", ["ngss.yaml", "troubled.yaml", "westborough-case-management.yaml"])
def test_findings_point_at_the_cells_that_hold_their_values(
    name: str, tmp_path: Path, checker: Checker
) -> None:
    """For each finding about one value, the cell it names holds that value."""
    path = ROOT / "examples" / name
    book = _book(path, tmp_path)
    report = checker.check_path(book)
    sheets = load_workbook(book)
    assert isinstance(report, Report)
    data = load(path).data
    checked = 0
    for f in (*report.findings, *report.gaps):
        assert f.location.cell, f.rule_id
        sheet, ref = f.location.cell.rsplit("!", 1)
        cell = sheets[sheet.strip("'")][ref]
        assert (cell.row, cell.column) == (f.location.line, f.location.column)
        value = _at(data, f.location.path)
        if isinstance(value, (str, int, float, bool, dt.date)):
            shown = {True: "yes", False: "no"}.get(value, value) if isinstance(value, bool) else value
            got = cell.value.date() if isinstance(cell.value, dt.datetime) else cell.value
            assert got == shown, (f.rule_id, f.location)
            checked += 1
        elif isinstance(value, dict) and "amount" in value:
            assert cell.value == value["amount"], (f.rule_id, f.location)
            checked += 1
    assert checked >= 2


def _at(data: Any, pointer: str) -> Any:
    for key in [k for k in pointer.split("/") if k]:
        data = data[int(key)] if isinstance(data, list) else data.get(key)
    return data


def test_a_validation_error_names_the_cell_of_the_value() -> None:
    data = load(ROOT / "examples" / "troubled.yaml").data
    data["milestones"][0]["forecast"] = dt.date(1850, 1, 1)  # outside the format's dates
    with pytest.raises(InputError) as caught:
        validate(Programme, parse(write(data).content, "n.xlsx"))
    assert caught.value.cell == "Milestones!C2"
    assert str(caught.value).startswith("n.xlsx:Milestones!C2: milestones.0.forecast: ")


def test_blank_is_not_described_and_not_in_place_is_null() -> None:
    source = parse(write({"id": "p", "name": "P", "department": "D", "assessment_date": dt.date(2026, 1, 1),
                          "leadership": {"sro": None}, "risk_management": {"risks": []},
                          "costs": {"written_off": None}}).content, "p.xlsx")  # fmt: skip
    assert source.data["leadership"] == {"sro": None}
    assert source.data["risk_management"] == {"risks": []}
    assert source.data["costs"] == {"written_off": None}
    assert "business_case" not in source.data and "milestones" not in source.data
    book = load_workbook(io.BytesIO(write({"leadership": {"sro": None}}).content))
    assert book["Leadership"]["B2"].value == "not in place"
    assert book["Leadership"]["B3"].value is None


def test_programme_text_is_never_a_formula() -> None:
    name = "=cmd|' /C calc'!A0"
    content = write(
        {"id": "p", "name": name, "department": "D", "assessment_date": dt.date(2026, 1, 1)}
    ).content
    cell = load_workbook(io.BytesIO(content))["Programme"]["B3"]
    assert cell.value == name and cell.data_type == "s"
    assert parse(content, "p.xlsx").data["name"] == name


def test_yaml_comments_travel_as_cell_notes_and_back() -> None:
    text = (
        "# About the programme\nid: p\nname: P  # its usual name\ndepartment: D\n"
        "assessment_date: 2026-01-01\n# at the end\n"
    )
    source = parse_yaml(text, "p.yaml")
    found, unplaced = yaml_comments(text, source)
    assert found == {"/id": [(0, "About the programme")], "/name": [(2, "its usual name")]}
    assert unplaced == [(5, "at the end")]
    book = parse(write(source.data, {p: "\n".join(c for _, c in found[p]) for p in found}).content, "p.xlsx")
    assert isinstance(book.root, CellMap)
    assert book.root.notes == {"/id": "About the programme", "/name": "its usual name"}
    back = to_yaml(book, book.root.notes).content.decode()
    assert "# About the programme\nid: p\n# its usual name\nname: P\n" in back


def test_a_hash_inside_a_value_is_not_a_comment() -> None:
    text = (
        "id: p\nname: 'P #1'\ndepartment: D # 2\ndescription: |\n  line # not a comment\n"
        "assessment_date: 2026-01-01\n"
    )
    found, _ = yaml_comments(text, parse_yaml(text, "p.yaml"))
    assert found == {"/department": [(2, "2")]}


def test_a_comment_on_a_whole_list_goes_on_its_first_row_and_on_an_empty_one_is_reported() -> None:
    text = (
        "id: p\nname: P\ndepartment: D\nassessment_date: 2026-01-01\n"
        "# the milestones as baselined\nmilestones:\n  - {name: Go-live, baseline: 2026-06-01}\n"
        "# none yet\nrisk_management: {risks: []}\n"
    )
    converted = to_workbook(parse_yaml(text, "p.yaml"), text)
    assert converted.carried == 1
    assert converted.dropped == ("line 8: # none yet",)
    book = parse(converted.content, "p.xlsx")
    assert isinstance(book.root, CellMap)
    assert book.root.notes == {"/milestones/0/name": "the milestones as baselined"}


def _govcheck(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "govcheck", *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )


def test_cli_template_then_check(tmp_path: Path) -> None:
    made = _govcheck("template", "xlsx", "-o", "programme.xlsx", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert "govcheck check programme.xlsx" in made.stderr
    again = _govcheck("template", "xlsx", "-o", "programme.xlsx", cwd=tmp_path)
    assert again.returncode == 2 and "already exists" in again.stderr
    checked = _govcheck("check", "programme.xlsx", cwd=tmp_path)
    assert checked.returncode == 2
    assert "programme.xlsx:Programme!B2: id: required field is missing" in checked.stderr
    assert "Traceback" not in checked.stderr


def test_cli_convert_both_ways_and_check_in_a_batch(tmp_path: Path) -> None:
    shutil.copy(ROOT / "examples" / "ngss.yaml", tmp_path / "ngss.yaml")
    shutil.copy(ROOT / "examples" / "healthy.yaml", tmp_path / "healthy.yaml")
    out = _govcheck("convert", "ngss.yaml", "-o", "ngss.xlsx", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert "comment(s) carried" in out.stderr
    assert "a comment the workbook cannot hold" in out.stderr  # the closing comments, after the last value
    back = _govcheck("convert", "ngss.xlsx", "-o", "back.yaml", cwd=tmp_path)
    assert back.returncode == 0, back.stderr
    assert "# Source: the National Audit Office" in (tmp_path / "back.yaml").read_text()
    run = _govcheck("check", "ngss.xlsx", "healthy.yaml", "back.yaml", "-f", "json", cwd=tmp_path)
    assert run.returncode == 1, run.stderr
    reports = {r["programme"]["source"]: r for r in json.loads(run.stdout)}
    assert set(reports) == {"ngss.xlsx", "healthy.yaml", "back.yaml"}
    book, yaml_ = reports["ngss.xlsx"], reports["back.yaml"]
    assert [f["rule_id"] for f in book["findings"]] == [f["rule_id"] for f in yaml_["findings"]]
    assert book["rating"] == yaml_["rating"]
    assert {f["location"]["cell"] for f in book["findings"]} >= {"Mandate!B2", "Migration!B2"}
    assert all(f["location"]["cell"] is None for f in yaml_["findings"])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("convert", "ngss.yaml", "-o", "x.txt"), "name the output .xlsx"),
        (("convert", "ngss.yaml", "-o", "x.yaml"), "is YAML already"),
        (("convert", "bad.yaml", "-o", "x.xlsx"), "bad.yaml:4:"),
        (("convert", "missing.yaml", "-o", "x.xlsx"), "missing.yaml: file not found"),
    ],
)
def test_cli_convert_refuses_with_one_line(args: tuple[str, ...], message: str, tmp_path: Path) -> None:
    shutil.copy(ROOT / "examples" / "ngss.yaml", tmp_path / "ngss.yaml")
    (tmp_path / "bad.yaml").write_text("id: b\nname: B\ndepartment: D\nassessment_date: soon\n")
    run = _govcheck(*args, cwd=tmp_path)
    assert run.returncode == 2
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], run.stderr
    assert not (tmp_path / "x.xlsx").exists()


def test_a_directory_of_workbooks_is_checked_but_not_lock_files(tmp_path: Path) -> None:
    (tmp_path / "p.xlsx").write_bytes(write(load(ROOT / "examples" / "healthy.yaml").data).content)
    (tmp_path / "~$p.xlsx").write_bytes(b"lock")
    run = _govcheck("check", str(tmp_path), "-f", "json", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert [r["programme"]["id"] for r in json.loads(run.stdout)] == ["fwsm"]


def test_the_python_api_checks_a_workbook(tmp_path: Path) -> None:
    import govcheck

    book = tmp_path / "ngss.xlsx"
    book.write_bytes(write(load(ROOT / "examples" / "ngss.yaml").data).content)
    assert govcheck.check(book).rating == govcheck.check(ROOT / "examples" / "ngss.yaml").rating
    (tmp_path / "blank.xlsx").write_bytes(write().content)
    with pytest.raises(InputError) as caught:
        govcheck.check(tmp_path / "blank.xlsx")
    assert caught.value.cell == "Programme!B2"


def test_an_empty_sheet_is_not_described_and_a_missing_one_likewise() -> None:
    book = load_workbook(io.BytesIO(write(load(ROOT / "examples" / "ngss.yaml").data).content))
    del book["Parties"]
    book.create_sheet("Parties")  # emptied by hand, heading and all
    del book["Milestones"]
    out = io.BytesIO()
    book.save(out)
    data = parse(out.getvalue(), "n.xlsx").data
    assert "parties" not in data and "milestones" not in data
    assert data["migration"]["total"] == 26
