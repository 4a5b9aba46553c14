"""`govcheck import gmpp`: dating releases from their own cells (never from a price base), two
releases claiming one date, one name per department, and links across gaps of several years.

The fixtures in tests/fixtures/gmpp_traps imitate the traps of releases not shared here:
`latest_release.csv` is built like the 2025-26 release (money headers "Presented in 2024/25
Real Prices", a "Reporting period" column of "25/26 Q4", narratives naming other quarters, no
year in its file name)."""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import run_cli
from test_import_gmpp import _import

from govcheck.importers import departments
from govcheck.importers.gmpp_dating import (
    file_year,
    quarter_labels,
    snapshot_wording,
    without_price_base,
)
from govcheck.importers.gmpp_layout import classify
from govcheck.importers.gmpp_match import department_family

TRAPS = Path(__file__).parent / "fixtures" / "gmpp_traps"




def _load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _summary_counts(line: str) -> tuple[int, int, int]:
    """(rows imported, rows not imported, matches to check) from the summary line."""
    imported = int(line.split(" rows of ")[0].rsplit(" ", 1)[1])
    not_imported = int(line.split("; ")[1].split(" rows not imported")[0])
    to_check = int(line.rsplit("; ", 1)[1].split(" matches")[0])
    return imported, not_imported, to_check


# --- the pieces of evidence ----------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "25/26 Q4",
        "2025-26 Q4",
        "Q4 2025/26",
        "Q4 25/26",
        "2025/26 Q4",
        "Q4 FY25/26",
        "Quarter 4 2025-26",
        "2025/2026 Q4",
    ],
)
def test_quarter_labels_in_their_spellings(text: str) -> None:
    assert [(y, q) for y, q, _ in quarter_labels(text)] == [(2025, 4)]


def test_gmpp_id_entry_quarters_and_dates_are_not_quarter_labels() -> None:
    assert quarter_labels("MOD_0135_2526-Q4") == []
    assert quarter_labels("2025-02-28") == []
    assert quarter_labels("24/26 Q4") == []  # not one financial year


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("Data as at 31 March 2025", dt.date(2025, 3, 31)),
        ("as at 31/03/2025", dt.date(2025, 3, 31)),
        ("As of 30th September 2014", dt.date(2014, 9, 30)),
        ("position at March 2025", dt.date(2025, 3, 31)),
    ],
)
def test_snapshot_wording(text: str, date: dt.date) -> None:
    assert [d for d, _ in snapshot_wording(text)] == [date]


@pytest.mark.parametrize(
    "header",
    [
        "Financial Year Baseline (£m) (Presented in 2024/25 Real Prices)",
        "Forecast (£m, 2021/22 prices)",
        "Baseline £m real terms, price base 2024/25",
        "Budget (£m) in 2024-25 constant prices",
    ],
)
def test_a_price_base_year_is_removed_before_a_header_is_read_for_its_year(header: str) -> None:
    assert "2024" not in without_price_base(header) and "2021" not in without_price_base(header)
    assert classify(header) in {"annual_budget", "annual_forecast"}


def test_file_names() -> None:
    assert file_year(Path("gmpp_2025_26.csv")) == (2025, None)
    assert file_year(Path("GMPP 2025-26 Q2.xlsx")) == (2025, 2)
    assert file_year(Path("uk_2014.csv")) is None
    assert file_year(Path("latest_release.csv")) is None


# --- a release built like 2025-26 ----------------------------------------------------------


def test_quarter_labels_date_the_release_never_its_price_base(tmp_path: Path) -> None:
    """Before: the 2025-26 release was dated by the price base of its money headers (2024/25),
    clashed with the 2024-25 release and lost all its rows, with "0 rows not imported"."""
    code, lines, out = _import(tmp_path, TRAPS / "latest_release.csv", TRAPS / "gmpp_2024_25.csv")
    assert code == 0, lines
    assert not any("already given" in line or "not imported:" in line for line in lines)
    imported, not_imported, _ = _summary_counts(lines[-1])
    assert (imported, not_imported) == (5, 0)
    assert "of 2 releases" in lines[-1]
    data = _load(out / "MOD_0001_2122-Q1.yaml")
    assert [s["date"] for s in data["sources"]] == [dt.date(2025, 3, 31), dt.date(2026, 3, 31)]
    assert data["assessment_date"] == dt.date(2026, 3, 31)
    assert data["sources"][-1]["title"].startswith("Government Major Projects Portfolio data 2025-26")
    text = (out / "MOD_0001_2122-Q1.yaml").read_text(encoding="utf-8")
    # Which evidence dated each release is in the file; the price base is kept as a note.
    assert "dated by its quarter label '25/26 Q4' in 3 cells" in text
    assert "dated by its file name gmpp_2024_25.csv" in text
    assert "in 2024/25 real prices" in text
    # The narrative's "24/25 Q4", "Q4 2026/27" and "As at 31 March 2024" date nothing.
    assert _load(out / "DFT_0002_2526-Q1.yaml")["assessment_date"] == dt.date(2026, 3, 31)


def test_quarters_named_in_narratives_never_date_a_release(tmp_path: Path) -> None:
    """The shared 2021-22 release names "20/21 Q4" in its narratives more often than any other
    quarter; sentences are not read, so its file name dates it."""
    path = tmp_path / "gmpp_2021_22.csv"
    header = ["GMPP ID Number", "Project Name", "Department", "IPA DCA", "SRO DCA", "Departmental narrative"]
    rows = [
        [f"CO_{i}", f"Project {i}", "CO", "Amber", "Red", f"The 20/21 Q4 DCA was Red (Q{i % 4 + 1} 19/20)."]
        for i in range(6)
    ]
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([header, *rows])
    code, lines, out = _import(tmp_path, path)
    assert code == 0, lines
    assert _load(out / "CO_1.yaml")["assessment_date"] == dt.date(2022, 3, 31)


def test_quarter_label_outranks_the_file_name_and_the_disagreement_is_said(tmp_path: Path) -> None:
    misnamed = tmp_path / "gmpp_2024_25_v2.csv"
    shutil.copy(TRAPS / "latest_release.csv", misnamed)
    code, lines, out = _import(tmp_path, misnamed)
    assert code == 0
    assert _load(out / "MOD_0001_2122-Q1.yaml")["assessment_date"] == dt.date(2026, 3, 31)
    assert any(
        "dated 2026-03-31 by its quarter label '25/26 Q4'" in line and "its file name says 2024-25" in line
        for line in lines
    )


def test_snapshot_wording_in_a_title_row_dates_a_release(tmp_path: Path) -> None:
    code, lines, out = _import(tmp_path, TRAPS / "as_at_march_2025.csv")
    assert code == 0, lines
    data = _load(out / "HO_0005_2223-Q1.yaml")
    assert data["assessment_date"] == dt.date(2025, 3, 31)
    assert "snapshot wording 'as at 31 March 2025'" in (out / "HO_0005_2223-Q1.yaml").read_text(
        encoding="utf-8"
    )


def test_snapshot_override_still_wins(tmp_path: Path) -> None:
    code, _, out = _import(
        tmp_path, TRAPS / "latest_release.csv", snapshots={"latest_release.csv": dt.date(2025, 12, 31)}
    )
    assert code == 0
    assert _load(out / "MOD_0001_2122-Q1.yaml")["assessment_date"] == dt.date(2025, 12, 31)


# --- two releases claiming one date --------------------------------------------------------


@pytest.mark.parametrize("reverse", [False, True])
def test_two_releases_as_at_one_date_are_named_with_their_evidence_and_rows_counted(
    tmp_path: Path, reverse: bool
) -> None:
    files = [TRAPS / "gmpp_2024_25.csv", TRAPS / "as_at_march_2025.csv"]
    code, lines, out = _import(tmp_path, *(reversed(files) if reverse else files))
    assert code == 2  # an input problem; the other release is still imported
    clash = [line for line in lines if "is already given" in line]
    assert len(clash) == 1
    # Both files named, with what dated each: the wording outranks the file name.
    assert "gmpp_2024_25.csv: a release as at 2025-03-31 is already given" in clash[0]
    assert "as_at_march_2025.csv, dated by its snapshot wording 'as at 31 March 2025'" in clash[0]
    assert "gmpp_2024_25.csv was dated by its file name gmpp_2024_25.csv" in clash[0]
    assert "its 2 rows are not imported" in clash[0]
    # Every row left out is listed and counted.
    assert (
        sum(
            "gmpp_2024_25.csv:" in line and "not imported: its release is dated 2025-03-31" in line
            for line in lines
        )
        == 2
    )
    imported, not_imported, _ = _summary_counts(lines[-1])
    assert (imported, not_imported) == (3, 2)
    assert "2 rows not imported (listed above)" in lines[-1]
    assert sorted(p.name for p in out.glob("*.yaml")) == [
        "CO_0006_2324-Q2.yaml",
        "DFE_0007_2324-Q3.yaml",
        "HO_0005_2223-Q1.yaml",
    ]


def test_a_clash_resolved_with_snapshot(tmp_path: Path) -> None:
    code, lines, _ = _import(
        tmp_path,
        TRAPS / "gmpp_2024_25.csv",
        TRAPS / "as_at_march_2025.csv",
        snapshots={"gmpp_2024_25.csv": dt.date(2024, 3, 31)},
    )
    assert code == 0 and _summary_counts(lines[-1])[:2] == (5, 0)


def test_cli_clash_exit_2_and_summary(tmp_path: Path) -> None:
    result = run_cli(
        "import",
        "gmpp",
        str(TRAPS / "gmpp_2024_25.csv"),
        str(TRAPS / "as_at_march_2025.csv"),
        "--output-dir",
        str(tmp_path / "out"),
    )
    assert result.returncode == 2
    assert "; 2 rows not imported (listed above);" in result.stderr.splitlines()[-1]
    assert len(list((tmp_path / "out").glob("*.yaml"))) == 3


# --- one name per department ---------------------------------------------------------------


def test_one_name_per_department() -> None:
    c = departments.canonical
    assert c("MoD") == c("MOD") == c("Ministry of Defence") == c("MINISTRY OF DEFENCE") == "MOD"
    assert c("MoJ") == c("MOJ") == c("Ministry of Justice") == "MOJ"
    assert c("DfT") == c("DFT") == "DfT"
    assert {c(d) for d in ("DH", "DOH", "DoH", "DoH Capital", "DoH Non Capital", "DHSC")} == {"DHSC"}
    # Machinery-of-government changes: the current successor.
    assert {c(d) for d in ("DECC", "BIS", "BEIS", "DESNZ")} == {"DESNZ"}
    assert {c(d) for d in ("DCLG", "MHCLG", "DLUHC")} == {"MHCLG"}
    assert {c(d) for d in ("FCO", "DFID", "DfID", "FCDO")} == {"FCDO"}
    assert c("Her Majesty's Revenue and Customs") == c("HMRC") == "HMRC"
    # A split department's other successors share its family, for following projects.
    assert department_family("DSIT") == department_family("BEIS") == department_family("DECC")
    assert department_family("HMCTS") == department_family("MoJ")
    # Not in the table: written as published.
    assert (
        c("  Office  for Widgets ") == "Office for Widgets"
        and departments.lookup("Office for Widgets") is None
    )


def test_departments_written_by_one_name_with_the_published_spelling_kept(tmp_path: Path) -> None:
    code, lines, out = _import(tmp_path, *sorted(TRAPS.glob("g*.csv")), TRAPS / "latest_release.csv")
    assert code == 0, lines
    written = {_load(p)["department"] for p in out.glob("*.yaml")}
    assert written == {"MOD", "MOJ", "DfT"}
    text = (out / "MOD_0001_2122-Q1.yaml").read_text(encoding="utf-8")
    assert "department as published: MOD)" in text and "department as published: Ministry of Defence)" in text
    typhoon = out / "mod-typhoon-support.yaml"
    assert "department as published: MoD)" in typhoon.read_text(encoding="utf-8")


# --- links across gaps of several years ----------------------------------------------------


@pytest.fixture(scope="module")
def gapped(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, list[str], Path]:
    files = [
        TRAPS / n for n in ("gap_2016_17.csv", "gap_2019_20.csv", "gmpp_2024_25.csv", "latest_release.csv")
    ]
    return _import(tmp_path_factory.mktemp("gap"), *files)


def test_a_link_across_a_three_year_gap_is_made(gapped: tuple[int, list[str], Path]) -> None:
    code, _, out = gapped
    assert code == 0
    # 2016 (MoD) to 2019 (MOD): three years, no IDs, one project.
    typhoon = _load(out / "mod-typhoon-support.yaml")
    assert [s["date"] for s in typhoon["sources"]] == [dt.date(2016, 9, 30), dt.date(2019, 9, 30)]
    # HMCTS Reform: 2016 (MoJ), 2019 ("Ministry of Justice", "... Programme"), then by GMPP ID:
    # one file, not a Red one as at 2016 and a Green one as at 2026.
    reform = _load(out / "MOJ_0028_1314-Q2.yaml")
    assert [s["reference"] for s in reform["sources"]] == [
        "gap_2016_17.csv",
        "gap_2019_20.csv",
        "gmpp_2024_25.csv",
        "latest_release.csv",
    ]
    assert reform["history"][0]["ratings"] == [{"by": "IPA", "rating": "Red"}]
    assert not any("HMCTS Reform" in p.name or "hmcts-reform" in p.name for p in out.glob("moj-*.yaml"))


def test_a_likely_missed_link_across_a_gap_is_reported_and_counted(
    gapped: tuple[int, list[str], Path],
) -> None:
    _, lines, _ = gapped
    missed = [line for line in lines if "not linked, possibly the same project as" in line]
    assert len(missed) == 1
    assert (
        "gap_2019_20.csv:4: project Her Majesty's Courts and Tribunals Service (HMCTS) Compliance"
        in missed[0]
    )
    assert (
        "gap_2016_17.csv:4 (HMCTS Compliance & Enforcement, MoJ, now MOJ), last seen as at 2016-09-30"
        in missed[0]
    )
    assert "'HMCTS' spells out words of the other name" in missed[0]
    assert _summary_counts(lines[-1]) == (11, 0, 1)
    assert lines[-1].endswith("; 1 matches across releases to check")


def test_same_name_in_another_department_across_a_gap_is_reported(tmp_path: Path) -> None:
    def release(name: str, rows: list[list[str]]) -> Path:
        path = tmp_path / name
        with path.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows(
                [["Project Name", "Department", "IPA DCA", "Start date", "End date"], *rows]
            )
        return path

    a = release("gmpp_2016_17.csv", [["Digital Platform", "DWP", "Amber", "01/04/2015", "31/03/2020"]])
    b = release("gmpp_2019_20.csv", [["Digital Platform", "HMRC", "Red", "01/04/2015", "31/03/2022"]])
    code, lines, out = _import(tmp_path, a, b)
    assert code == 0 and len(list(out.glob("*.yaml"))) == 2
    assert any("a project of the same name is in another department" in line for line in lines)
    assert lines[-1].endswith("; 1 matches across releases to check")
