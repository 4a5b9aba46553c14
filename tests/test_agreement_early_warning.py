"""Early warning (govcheck/agreement.py: auroc, precision_at_k, trouble_next) and the
benchmark's command line (benchmarks/agreement.py): hand-checked small inputs."""

from __future__ import annotations

import csv
import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from govcheck.agreement import auroc, downgraded, precision_at_k, three_point, trouble_next

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "benchmarks" / "agreement.py"


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("agreement_bench", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


# --- AUROC ------------------------------------------------------------------------------------


def test_auroc_perfect_reversed_and_constant() -> None:
    assert auroc([1, 2, 3, 4], [False, False, True, True]) == 1.0
    assert auroc([4, 3, 2, 1], [False, False, True, True]) == 0.0
    assert auroc([3, 3, 3, 3], [False, True, False, True]) == 0.5


def test_auroc_ties_count_a_half() -> None:
    # positives 2 and 3, negatives 1 and 2: pairs (2>1) 1, (2=2) 0.5, (3>1) 1, (3>2) 1 -> 3.5 / 4
    assert auroc([1, 2, 2, 3], [False, True, False, True]) == pytest.approx(0.875)
    # positives 5, 3; negatives 3, 3, 1: 5 beats all (3), 3 ties two (1) and beats one (1) -> 5 / 6
    assert auroc([5, 3, 3, 3, 1], [True, True, False, False, False]) == pytest.approx(5 / 6)


def test_auroc_undefined_without_both_classes() -> None:
    assert auroc([1, 2], [True, True]) is None
    assert auroc([1, 2], [False, False]) is None
    assert auroc([], []) is None
    with pytest.raises(ValueError):
        auroc([1, 2], [True])


# --- precision among the top k ------------------------------------------------------------------


def test_precision_at_k_without_ties() -> None:
    assert precision_at_k([9, 8, 7, 1], [True, False, True, True], 2) == 0.5
    assert precision_at_k([9, 8, 7, 1], [True, False, True, True], 3) == pytest.approx(2 / 3)


def test_precision_at_k_ties_at_the_cut_in_expectation() -> None:
    # 5 is in (a positive); one place left among three 4s holding one positive: 1 + 1/3, over 2
    assert precision_at_k([5, 4, 4, 4, 1], [True, True, False, False, True], 2) == pytest.approx(2 / 3)
    # a constant gives the base rate
    assert precision_at_k([3, 3, 3, 3], [True, False, False, False], 2) == pytest.approx(0.25)


def test_precision_at_k_fewer_items_than_k_and_empty() -> None:
    assert precision_at_k([2, 1], [True, False], 20) == 0.5
    assert precision_at_k([], [], 20) is None
    assert precision_at_k([1], [True], 0) is None


# --- the outcome ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("before", "after", "collapse", "expected"),
    [
        ("Amber", "Red", False, True),  # Red at t+1
        ("Red", "Red", False, True),  # still Red counts: it is Red at t+1
        ("Green", "Amber", False, True),  # worse
        ("Amber/Red", "Amber", False, False),  # better
        ("Amber", "Amber", False, False),
        (None, "Red", False, True),  # no rating at t: only Red can be seen
        (None, "Amber", False, False),
        ("Exempt under Section 43", "Amber/Red", False, False),
        ("Amber", None, False, None),  # no rating at t+1: outcome unknown
        ("Amber", "", False, None),
        ("Amber/Green", "Amber", True, False),  # five-point to three-point: both Amber
        ("Amber/Red", "Amber", True, False),
        ("Amber/Green", "Red", True, True),
        ("Green", "Amber", True, True),
        ("amber / red", "RED", False, True),
    ],
)
def test_trouble_next(before: str | None, after: str | None, collapse: bool, expected: bool | None) -> None:
    assert trouble_next(before, after, collapse=collapse) is expected


def test_downgraded() -> None:
    assert downgraded("Amber", "Amber/Red") is True
    assert downgraded("Red", "Red") is False
    assert downgraded("Amber/Red", "Amber") is False
    assert downgraded(None, "Red") is None and downgraded("Amber", "exempt") is None
    assert downgraded("Amber/Green", "Amber", collapse=True) is False
    assert downgraded("Amber/Green", "Amber") is True


def test_three_point() -> None:
    assert [three_point(r) for r in ("Green", "Amber/Green", "Amber", "Amber/Red", "Red")] == [1, 3, 3, 3, 5]
    assert three_point("exempt") is None


# --- the command line -------------------------------------------------------------------------------


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args], capture_output=True, text=True, check=False, cwd=ROOT
    )


def test_missing_directory_exit_2_one_line(tmp_path: Path) -> None:
    result = _run(str(tmp_path / "nonexistent"))
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.strip().splitlines() == [
        f"agreement.py: {tmp_path / 'nonexistent'}: no such directory"
    ]


def test_empty_directory_exit_2_one_line(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("not a programme\n")
    (tmp_path / "_skipped.yaml").write_text("id: x\n")  # `_*` files are not programmes
    result = _run(str(tmp_path))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "no programme files" in lines[0] and str(tmp_path) in lines[0]


def test_file_instead_of_directory_exit_2(tmp_path: Path) -> None:
    f = tmp_path / "a.yaml"
    f.write_text("id: x\n")
    result = _run(str(f))
    assert result.returncode == 2 and result.stderr.strip().endswith("not a directory")


def test_early_warning_missing_release_or_too_few_exit_2(tmp_path: Path) -> None:
    result = _run("--early-warning", str(tmp_path / "missing.csv"), str(tmp_path / "other.csv"))
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1
    one = tmp_path / "gmpp_2021_22.csv"
    one.write_text("x\n")
    result = _run("--early-warning", str(one))
    assert result.returncode == 2 and "at least two releases" in result.stderr


def test_source_key_reads_both_header_forms() -> None:
    import datetime as dt

    key = _bench().source_key
    text = (
        "# Source releases (oldest first):\n"
        "#   uk_2014.csv column 17 (as at 2013-09-30)\n"
        "#   gmpp_2022_23.csv row 44 (as at 2023-03-31, dated by its file name gmpp_2022_23.csv "
        "(financial year 2022-23; year-end rule); department as published: DESNZ)\n"
        "id: X\n"
        "#   late.csv row 9 (as at 2024-03-31)\n"  # after the header: not read
    )
    assert key(text, dt.date(2013, 9, 30)) == ("column", 17)
    assert key(text, dt.date(2023, 3, 31)) == ("row", 44)
    assert key(text, dt.date(2024, 3, 31)) is None


def test_description_removed_before_checking() -> None:
    strip = _bench()._without_description
    text = "# c\nid: X\ndescription: 'The IPA rates it RED,\n  still'\nname: Y\n"
    assert strip(text) == "# c\nid: X\nname: Y\n"


# --- early warning end to end, on three tiny three-point releases ---------------------------------

HEADER = [
    "GMPP ID Number",
    "Project Name",
    "Department",
    "Description / Aims",
    "IPA Delivery Confidence Assessment",
    "SRO Delivery Confidence Assessment",
    "Project - End Date (Latest Approved End Date)",
    "TOTAL Baseline Whole Life Costs (£m) (including Non-Government Costs)",
]
# project -> IPA rating in 2021-22, 2022-23, 2023-24
RATINGS = {
    "DFT_0001": ("Amber", "Red", "Red"),  # Red at both next releases
    "DFT_0002": ("Green", "Amber", "Green"),  # worse, then better
    "DFT_0003": ("Amber", "Amber", "Amber"),  # never in trouble
    "DFT_0004": ("", "Amber", ""),  # no rating at t+1 in the second pair: left out
}


def _releases(directory: Path) -> list[Path]:
    paths = []
    for i, year in enumerate(("2021_22", "2022_23", "2023_24")):
        path = directory / f"gmpp_{year}.csv"
        with path.open("w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(HEADER)
            for gid, ratings in RATINGS.items():
                # The description names a rating, as one real release does: it must not be read.
                w.writerow(
                    [
                        gid,
                        f"Project {gid[-1]}",
                        "DfT",
                        "Rated RED by the IPA",
                        ratings[i],
                        "",
                        "31/03/2030",
                        "100",
                    ]
                )
        paths.append(path)
    return paths


def test_early_warning_end_to_end(tmp_path: Path) -> None:
    bench = _bench()
    paths = _releases(tmp_path)
    result: dict[str, Any] = bench.early_warning([str(p) for p in reversed(paths)], [str(paths[2])], jobs=1)
    block = result["rated at t+1"]
    first = block["gmpp_2021_22.csv -> gmpp_2022_23.csv"]
    second = block["gmpp_2022_23.csv -> gmpp_2023_24.csv"]
    assert first["group"] == "development" and second["group"] == "held_out"
    # 2022 -> 2023: 0001 Red, 0002 Green -> Amber: 2 of 3 rated (0004 had no rating at t: counted)
    assert (first["n"], first["in_trouble"]) == (4, 2)
    # 2023 -> 2024: 0001 Red; 0002 better; 0003 same; 0004 unrated at t+1
    assert (second["n"], second["in_trouble"]) == (3, 1)
    # IPA at t: 0001 Red (5) above Amber (3), Amber: perfect; precision over the 3 is 1 of 3
    ipa = second["scores"]["IPA rating at t"]
    assert ipa["auroc"] == 1.0 and ipa["precision_at_20"] == pytest.approx(1 / 3)
    assert second["scores"]["always Amber"]["auroc"] == 0.5
    # govcheck's view at t rests on the IPA's rating before t (history), never on the one at t
    assert set(second["scores"]) == set(bench.SCORES)
    assert block["held_out"]["n"] == 3 and block["development"]["n"] == 4
    both = result["rated at t and t+1"]["gmpp_2021_22.csv -> gmpp_2022_23.csv"]
    assert both["n"] == 3
    # the halves of the outcome, pooled: in the held-out pair 0001 is Red, nothing is worse
    parts = block["held_out"]["components"]
    assert (parts["red_at_t+1"]["n"], parts["red_at_t+1"]["positive"]) == (3, 1)
    assert (parts["worse_than_at_t"]["n"], parts["worse_than_at_t"]["positive"]) == (3, 0)
    assert parts["worse_than_at_t"]["auroc"]["IPA rating at t"] is None
    table = bench.early_table(result)
    assert "AUROC" in table and "precision@20" in table and "red_at_t+1 only" in table


def test_early_warning_writes_the_measures_file_the_portfolio_reads(tmp_path: Path) -> None:
    from govcheck import __version__
    from govcheck.measures import load_measures

    paths = _releases(tmp_path)
    out = tmp_path / "measures.json"
    result = _run("--early-warning", *map(str, paths), "--held-out", str(paths[2]), "--write", str(out))
    assert result.returncode == 0, result.stderr
    assert "AUROC" in result.stdout  # the table still goes to standard output
    m = load_measures(out).early_warning
    assert m.govcheck_version == __version__
    assert [(r.name, r.date.isoformat(), r.held_out) for r in m.releases] == [
        ("gmpp_2021_22.csv", "2022-03-31", False),
        ("gmpp_2022_23.csv", "2023-03-31", False),
        ("gmpp_2023_24.csv", "2024-03-31", True),
    ]
    assert m.development is not None and m.held_out is not None
    assert (m.development.n, m.development.positives) == (4, 2)
    assert (m.held_out.n, m.held_out.positives) == (3, 1)
    assert m.held_out.pairs == ("gmpp_2022_23.csv -> gmpp_2023_24.csv",)
    figures = {p.name: (p.role, p.auroc, p.precision_at_20) for p in m.held_out.predictors}
    assert figures["IPA rating at t"] == ("baseline", 1.0, pytest.approx(1 / 3))
    assert figures["always Amber"][:2] == ("baseline", 0.5)
    assert figures["govcheck rating"][0] == figures["govcheck rating + findings"][0] == "govcheck"


def test_write_needs_early_warning_and_a_directory(tmp_path: Path) -> None:
    result = _run(str(tmp_path), "--write", str(tmp_path / "m.json"))
    assert result.returncode == 2 and result.stderr.strip() == "agreement.py: --write needs --early-warning"
    paths = _releases(tmp_path)
    result = _run("--early-warning", *map(str, paths), "--write", str(tmp_path / "no" / "m.json"))
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1
    assert "no such directory to write to" in result.stderr
