"""A generated portfolio with a few broken files, checked in parallel through the CLI."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from conftest import ROOT, run_cli


def _generate(out: Path, count: int, invalid: int) -> list[Path]:
    spec = importlib.util.spec_from_file_location("generate", ROOT / "benchmarks" / "generate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.generate(out, count, seed=7, invalid=invalid)


def _check_portfolio(tmp_path: Path, count: int, invalid: int) -> None:
    corpus = tmp_path / "portfolio"
    _generate(corpus, count, invalid)
    files = sorted(p.name for p in corpus.glob("*.yaml"))
    one = run_cli("check", "portfolio", "-f", "json", "--jobs", "1", cwd=tmp_path)
    two = run_cli("check", "portfolio", "-f", "json", "--jobs", "2", cwd=tmp_path)
    assert one.returncode == two.returncode == 2
    assert one.stdout == two.stdout, "output differs between --jobs 1 and --jobs 2"
    reports = json.loads(one.stdout)
    assert [Path(r["programme"]["source"]).name for r in reports] == files, "a file was dropped or repeated"
    errors = [r for r in reports if "error" in r]
    assert len(errors) == invalid
    assert all(Path(r["programme"]["source"]).name.startswith("invalid") for r in errors)
    # every broken file is named on standard error with its own one-line message
    for r in errors:
        assert r["error"]["text"] in one.stderr
    assert all("findings" in r for r in reports if "error" not in r)


def test_generated_portfolio_is_checked_whole_and_identically_in_parallel(tmp_path: Path) -> None:
    _check_portfolio(tmp_path, count=120, invalid=4)


@pytest.mark.slow
def test_two_thousand_programme_portfolio(tmp_path: Path) -> None:
    _check_portfolio(tmp_path, count=2000, invalid=6)
