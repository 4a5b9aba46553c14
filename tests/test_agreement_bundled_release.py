"""The GMPP release bundled under examples/gmpp/ imports and gives a portfolio from a clone,
and carries the attribution the Open Government Licence asks for."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ROOT / "examples" / "gmpp"


def _govcheck(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "govcheck", *args], capture_output=True, text=True, check=False, cwd=ROOT
    )


def test_one_release_bundled_with_its_attribution() -> None:
    assert sorted(p.name for p in BUNDLED.iterdir()) == ["README.md", "uk_2017.csv"]
    assert (BUNDLED / "uk_2017.csv").stat().st_size < 300_000
    readme = (BUNDLED / "README.md").read_text(encoding="utf-8")
    for words in (
        "Contains public sector information licensed under the Open Government Licence v3.0.",
        "IPA Annual Report on Major Projects 2016-17",
        "Infrastructure and Projects Authority",
        "Major projects data",
        "gov.uk",
    ):
        assert words in readme


def test_bundled_release_imports_and_gives_a_portfolio(tmp_path: Path) -> None:
    out = tmp_path / "x"
    imported = _govcheck("import", "gmpp", "examples/gmpp/uk_2017.csv", "--output-dir", str(out))
    assert imported.returncode == 0, imported.stderr
    assert "imported 143 projects from 143 rows of 1 release" in imported.stderr
    assert len(list(out.glob("*.yaml"))) == 143
    portfolio = _govcheck("portfolio", str(out))
    assert portfolio.returncode == 0, portfolio.stderr
    assert "143 programmes checked" in portfolio.stdout
    table = tmp_path / "p.csv"
    assert _govcheck("portfolio", str(out), "-f", f"csv={table}").returncode == 0
    with table.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 143 and sum(1 for r in rows if r["ipa_rating"]) == 137


def test_check_of_examples_reads_no_csv() -> None:
    result = _govcheck("check", "examples/", "-f", "compact")
    assert "uk_2017.csv" not in result.stdout + result.stderr
