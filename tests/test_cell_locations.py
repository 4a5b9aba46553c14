"""Places in a workbook: every format names the sheet and cell (`programme.xlsx:Costs!C4`) where
it would name a line, and a report without cells renders as it always has.

The report is examples/ngss.yaml's, with one finding and one evidence gap moved into a workbook
cell, beside a workbook that could not be checked; the same report without cells is the control.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import junitparser
import pytest
from conftest import EXAMPLES

from govcheck import __version__
from govcheck.checker import Checker, file_error
from govcheck.errors import InputError
from govcheck.formats import names, render
from govcheck.report import FileError, Finding, Report, Run

SARIF_SCHEMA = Path(__file__).resolve().parent / "schemas" / "sarif-schema-2.1.0.json"
CELL = "Costs!C4"
GAP_CELL = "Costs!D7"
RULE = "business-case-missing"  # high: a failure, an error annotation, a SARIF error
GAP = "Not described: costs"
BOOK = "programme.xlsx"


def _in_cell(f: Finding, cell: str, row: int, column: int) -> Finding:
    loc = f.location.model_copy(
        update={"cell": cell, "line": row, "column": column, "end_line": row, "end_column": column + 1}
    )
    return f.model_copy(update={"location": loc})


@pytest.fixture(scope="module")
def plain(checker: Checker) -> Report:
    report = checker.check_path(EXAMPLES / "ngss.yaml")
    assert isinstance(report, Report)
    assert any(f.rule_id == RULE for f in report.findings)
    assert any(g.title == GAP for g in report.gaps)
    return report


@pytest.fixture(scope="module")
def celled(plain: Report) -> Report:
    findings = tuple(_in_cell(f, CELL, 4, 3) if f.rule_id == RULE else f for f in plain.findings)
    gaps = tuple(_in_cell(g, GAP_CELL, 7, 4) if g.title == GAP else g for g in plain.gaps)
    return plain.model_copy(update={"findings": findings, "gaps": gaps})


@pytest.fixture(scope="module")
def book_error() -> FileError:
    exc = InputError("not a number: 'tbc'", file=BOOK, line=4, column=3, field="costs.whole_life", cell=CELL)
    return file_error(exc, BOOK)


@pytest.fixture(scope="module")
def yaml_error(tmp_path_factory: pytest.TempPathFactory, checker: Checker) -> FileError:
    broken = tmp_path_factory.mktemp("cells") / "broken.yaml"
    broken.write_text("id: x\nname: y\nid: z\n", encoding="utf-8")
    error = checker.check_path(broken)
    assert isinstance(error, FileError) and error.line == 3 and error.cell is None
    return error


def _run(checker: Checker, *outcomes: Report | FileError) -> Run:
    return Run(govcheck_version=__version__, outcomes=outcomes, rules=checker.catalogue.info())


@pytest.fixture(scope="module")
def cell_run(checker: Checker, celled: Report, book_error: FileError) -> Run:
    return _run(checker, celled, book_error)


@pytest.fixture(scope="module")
def plain_run(checker: Checker, plain: Report, yaml_error: FileError) -> Run:
    return _run(checker, plain, yaml_error)


def text(fmt: str, run: Run) -> str:
    out = render(fmt, run)
    assert isinstance(out, str)
    return out


def finding(report: Report, rule_id: str = RULE) -> Finding:
    return next(f for f in report.findings if f.rule_id == rule_id)


# --- the data contract the formats rely on ---------------------------------------------------------


def test_where_and_error_text(celled: Report, plain: Report, book_error: FileError) -> None:
    assert finding(celled).location.where.endswith(f"ngss.yaml:{CELL}")
    assert finding(plain).location.where.endswith(f"ngss.yaml:{finding(plain).location.line}")
    assert book_error.cell == CELL
    assert book_error.text == f"{BOOK}:{CELL}: costs.whole_life: not a number: 'tbc'"


# --- the human formats -----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["terminal", "markdown"])
def test_human_formats_name_the_cell(fmt: str, cell_run: Run, plain: Report) -> None:
    out = text(fmt, cell_run)
    assert f"ngss.yaml:{CELL}" in out  # the finding
    assert f"ngss.yaml:{GAP_CELL}" in out  # the evidence gap
    assert f"{BOOK}:{CELL}: costs.whole_life" in out  # the workbook that could not be checked
    # Only the finding and the gap moved: the others keep their line.
    other = finding(plain, "mandate-unclear").location
    assert f"ngss.yaml:{other.line}" in out
    moved = finding(plain).location.line
    assert moved not in {f.location.line for f in (*plain.findings, *plain.gaps) if f.rule_id != RULE}
    assert not re.search(rf"ngss\.yaml:{moved}\b", out)


@pytest.mark.parametrize("fmt", ["terminal", "markdown", "html"])
def test_human_formats_without_cells_show_the_line(fmt: str, plain_run: Run, plain: Report) -> None:
    out = text(fmt, plain_run)
    loc = finding(plain).location
    assert f"{Path(loc.file).name}:{loc.line}" in out
    assert CELL not in out


def test_html_names_the_cell(cell_run: Run) -> None:
    html = text("html", cell_run)
    assert re.search(r"<code>[^<]*ngss\.yaml:Costs!C4</code>", html)
    assert f"{BOOK}:{CELL}: costs.whole_life" in html


# --- compact ---------------------------------------------------------------------------------------


def test_compact(cell_run: Run, plain_run: Run, plain: Report) -> None:
    lines = text("compact", cell_run).splitlines()
    before = text("compact", plain_run).splitlines()
    mine = next(x for x in lines if f" {RULE} " in x)
    assert re.match(rf"^.+ngss\.yaml:{re.escape(CELL)}: high {RULE} ", mine)
    book = f"{BOOK}:{CELL}: costs.whole_life: not a number: 'tbc'"
    # Without a cell, file:line:column, which the problem matcher reads.
    loc = finding(plain).location
    was = next(x for x in before if f" {RULE} " in x)
    assert re.match(rf"^.+ngss\.yaml:{loc.line}:{loc.column}: high {RULE} ", was)
    broken = next(x for x in before if "broken.yaml" in x)
    assert re.match(r"^.+broken\.yaml:3:1: id: duplicate key", broken)
    # Nothing else changes.
    assert set(before) - set(lines) == {was, broken}
    assert set(lines) - set(before) == {mine, book}


# --- JSON ------------------------------------------------------------------------------------------


def test_json(cell_run: Run, plain_run: Run) -> None:
    report, error = json.loads(text("json", cell_run))
    mine = next(f for f in report["findings"] if f["rule_id"] == RULE)
    assert mine["location"]["cell"] == CELL
    assert (mine["location"]["line"], mine["location"]["column"]) == (4, 3)
    assert (mine["location"]["end_line"], mine["location"]["end_column"]) == (4, 4)
    gap = next(g for g in report["gaps"] if g["title"] == GAP)
    assert gap["location"]["cell"] == GAP_CELL
    assert error == {
        "programme": {"source": BOOK},
        "error": {
            "message": "not a number: 'tbc'",
            "line": 4,
            "column": 3,
            "field": "costs.whole_life",
            "cell": CELL,
            "text": f"{BOOK}:{CELL}: costs.whole_life: not a number: 'tbc'",
        },
    }
    # A YAML description: every location has `cell: null`, and an error's keys are unchanged but for it.
    report, error = json.loads(text("json", plain_run))
    locations = [f["location"] for f in (*report["findings"], *report["gaps"])]
    assert all(
        set(loc) == {"file", "line", "column", "end_line", "end_column", "path", "cell"} for loc in locations
    )
    assert all(loc["cell"] is None for loc in locations)
    assert list(error["error"]) == ["message", "line", "column", "field", "cell", "text"]
    assert error["error"]["cell"] is None and error["error"]["line"] == 3


# --- JUnit -----------------------------------------------------------------------------------------


def _cases(xml: str) -> dict[tuple[str, str], Any]:
    suites = junitparser.JUnitXml.fromstring(xml)
    return {(suite.name, case.name): case for suite in suites for case in suite}


def test_junit(cell_run: Run, plain_run: Run, plain: Report) -> None:
    xml = text("junit", cell_run)
    cases = _cases(xml)
    case = cases[(plain.programme.id, RULE)]
    (failure,) = case.result
    assert failure.text.endswith(f"ngss.yaml:{CELL} ({finding(plain).location.path})")
    assert case._elem.get("line") == "4"  # the cell's row
    error_case = cases[(BOOK, "file-error")]
    assert error_case.result[0].text == f"{BOOK}:{CELL}: costs.whole_life: not a number: 'tbc'"
    assert error_case._elem.get("line") == "4"
    assert f'<property name="cell" value="{CELL}"/>' in xml
    # Without a cell: file:line:column (pointer), and no cell property.
    loc = finding(plain).location
    plain_xml = text("junit", plain_run)
    (failure,) = _cases(plain_xml)[(plain.programme.id, RULE)].result
    assert failure.text.endswith(f"ngss.yaml:{loc.line}:{loc.column} ({loc.path})")
    assert 'name="cell"' not in plain_xml and "!C4" not in plain_xml


# --- GitHub and GitLab -----------------------------------------------------------------------------


def _unescape(value: str) -> str:
    return (
        value.replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%3A", ":")
        .replace("%2C", ",")
        .replace("%25", "%")
    )


def _commands(out: str) -> list[dict[str, Any]]:
    commands = []
    for line in out.splitlines():
        m = re.match(r"^::(\w+)(?: ([^:]*))?::(.*)$", line)
        assert m, line
        props = dict(pair.split("=", 1) for pair in (m.group(2) or "").split(",") if pair)
        commands.append(
            {
                "command": m.group(1),
                "props": {k: _unescape(v) for k, v in props.items()},
                "message": _unescape(m.group(3)),
            }
        )
    return commands


def test_github(cell_run: Run, plain_run: Run, celled: Report, plain: Report) -> None:
    commands = _commands(text("github", cell_run))
    mine = next(c for c in commands if c["props"].get("title", "").endswith(f"({RULE})"))
    assert mine["command"] == "error"
    assert mine["message"] == f"{CELL}: {finding(celled).message}"
    assert mine["props"]["file"].endswith("ngss.yaml")
    assert (mine["props"]["line"], mine["props"]["col"]) == ("4", "3")  # the cell's row and column
    error = next(c for c in commands if c["props"].get("file") == BOOK)
    assert error["message"] == f"{CELL}: costs.whole_life: not a number: 'tbc'"
    assert error["props"]["line"] == "4"
    # Without a cell, the message is the finding's own.
    before = _commands(text("github", plain_run))
    mine = next(c for c in before if c["props"].get("title", "").endswith(f"({RULE})"))
    assert mine["message"] == finding(plain).message
    assert mine["props"]["line"] == str(finding(plain).location.line)


def test_gitlab(cell_run: Run, plain_run: Run, celled: Report, plain: Report) -> None:
    issues = json.loads(text("gitlab", cell_run))
    mine = next(i for i in issues if i["check_name"] == RULE)
    assert mine["description"] == f"{CELL}: {finding(celled).message}"
    assert mine["location"]["lines"] == {"begin": 4, "end": 4}
    error = next(i for i in issues if i["check_name"] == "file-error")
    assert error["description"] == f"{BOOK}:{CELL}: costs.whole_life: not a number: 'tbc'"
    assert error["location"] == {"path": BOOK, "lines": {"begin": 4}}
    before = json.loads(text("gitlab", plain_run))
    mine = next(i for i in before if i["check_name"] == RULE)
    assert mine["description"] == finding(plain).message
    assert mine["location"]["lines"]["begin"] == finding(plain).location.line


# --- SARIF -----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft7Validator:
    return jsonschema.Draft7Validator(json.loads(SARIF_SCHEMA.read_text(encoding="utf-8")))


def _valid(validator: jsonschema.Draft7Validator, document: dict[str, Any]) -> None:
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:5])


def test_sarif(cell_run: Run, plain_run: Run, plain: Report, validator: jsonschema.Draft7Validator) -> None:
    sarif = json.loads(text("sarif", cell_run))
    _valid(validator, sarif)
    results = sarif["runs"][0]["results"]
    mine = next(r for r in results if r["ruleId"] == RULE)
    (location,) = mine["locations"]
    assert "region" not in location["physicalLocation"]
    assert location["physicalLocation"]["artifactLocation"]["uri"].endswith("ngss.yaml")
    pointer = finding(plain).location.path
    assert location["logicalLocations"] == [
        {"name": "C4", "fullyQualifiedName": CELL, "kind": "element"},
        {"name": pointer.rsplit("/", 1)[-1], "fullyQualifiedName": pointer},
    ]
    # The file that could not be checked: its cell, no region.
    (note,) = sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    (location,) = note["locations"]
    assert location["physicalLocation"] == {"artifactLocation": {"uri": BOOK}}
    assert location["logicalLocations"] == [{"name": "C4", "fullyQualifiedName": CELL, "kind": "element"}]
    assert note["message"]["text"] == f"{BOOK}:{CELL}: costs.whole_life: not a number: 'tbc'"

    # Every other result is exactly as it is without cells.
    before = json.loads(text("sarif", plain_run))
    _valid(validator, before)
    others = [r for r in results if r["ruleId"] != RULE]
    assert others == [r for r in before["runs"][0]["results"] if r["ruleId"] != RULE]
    for r in before["runs"][0]["results"]:
        (location,) = r["locations"]
        assert set(location["physicalLocation"]["region"]) == {
            "startLine",
            "startColumn",
            "endLine",
            "endColumn",
        }
        assert [set(ll) for ll in location["logicalLocations"]] == [{"name", "fullyQualifiedName"}]
    (note,) = before["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert "logicalLocations" not in note["locations"][0]
    assert note["locations"][0]["physicalLocation"]["region"] == {"startLine": 3, "startColumn": 1}


# --- the portfolio formats: a workbook that could not be checked -----------------------------------


def test_portfolio_formats_name_the_cell(cell_run: Run, plain_run: Run) -> None:
    line = f"{BOOK}:{CELL}: costs.whole_life: not a number: 'tbc'"
    assert line in text("portfolio", cell_run)
    rows = list(csv.reader(io.StringIO(text("csv", cell_run))))
    assert rows[-1][0] == BOOK and rows[-1][-1] == line
    assert json.loads(text("portfolio-json", cell_run))["errors"] == [{"source": BOOK, "error": line}]
    html = text("html-portfolio", cell_run)
    assert f'<th scope="row"><code>{BOOK}</code></th><td colspan="2"><code>{CELL}</code></td>' in html
    # Without a cell, the line and column columns.
    html = text("html-portfolio", plain_run)
    assert re.search(r'broken\.yaml</code></th><td class="num">3</td><td class="num">1</td>', html)
    assert 'colspan="2"><code>' not in html


def test_xlsx_names_the_cell(cell_run: Run) -> None:
    from openpyxl import load_workbook  # type: ignore[import-untyped]

    raw = render("xlsx", cell_run)
    assert isinstance(raw, bytes)
    book = load_workbook(io.BytesIO(raw))
    last = [c.value for c in list(book["Programmes"].rows)[-1]]
    assert last[0] == BOOK and last[-1] == f"{BOOK}:{CELL}: costs.whole_life: not a number: 'tbc'"


def test_every_format_is_covered() -> None:
    covered = {
        "terminal", "compact", "markdown", "json", "portfolio", "csv", "portfolio-json", "sarif",
        "junit", "github", "gitlab", "html", "html-portfolio",
        "xlsx",
    }  # fmt: skip
    assert set(names()) == covered, "a new format: show it a cell here"
