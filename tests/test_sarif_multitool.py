"""SARIF as its reference validator reads it: the SARIF Multitool, `validate --config default`.

The Multitool is Microsoft's .NET tool, published on npm as @microsoft/sarif-multitool; CI
installs it and names it in GOVCHECK_SARIF_MULTITOOL. Elsewhere this test runs when that
variable (or `sarif-multitool` on the PATH) finds it, and is skipped otherwise.

Errors fail the test. Of the warnings, two are expected and stated in the README: no
`informationUri` unless a documentation address is configured (govcheck writes no address it
cannot vouch for), and no `region` for a finding in a workbook (a cell is its logical location).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import EXAMPLES, run_cli

from govcheck.workbook.write import write
from govcheck.yamlsource import load

EXPECTED_WARNINGS = {"SARIF2005", "SARIF2017"}


def _multitool() -> str:
    found = os.environ.get("GOVCHECK_SARIF_MULTITOOL") or shutil.which("sarif-multitool")
    if not found:
        if os.environ.get("CI"):
            pytest.fail("CI installs the SARIF Multitool and names it in GOVCHECK_SARIF_MULTITOOL")
        pytest.skip("the SARIF Multitool is not installed (npm install @microsoft/sarif-multitool)")
    return found


def _validate(tool: str, sarif: Path, tmp_path: Path) -> list[tuple[str, str]]:
    """(rule id, level) of every problem the Multitool reports."""
    log = tmp_path / f"{sarif.stem}.validation.sarif"
    done = subprocess.run(
        [tool, "validate", "--config", "default", "--output", str(log), str(sarif)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    run = json.loads(log.read_text(encoding="utf-8"))["runs"][0]
    levels = {
        r["id"]: r.get("defaultConfiguration", {}).get("level", "warning")
        for r in run["tool"]["driver"]["rules"]
    }
    return [
        (r["ruleId"], r.get("level") or levels.get(r["ruleId"], "warning")) for r in run.get("results", [])
    ]


@pytest.mark.parametrize("docs_url", [None, "https://docs.example.org/govcheck/rules"])
def test_sarif_passes_the_multitool(tmp_path: Path, docs_url: str | None) -> None:
    tool = _multitool()
    (tmp_path / "ngss.xlsx").write_bytes(write(load(EXAMPLES / "ngss.yaml").data).content)
    (tmp_path / "broken.yaml").write_text("id: b\nname: B\ndepartment: D\nassessment_date: soon\n")
    if docs_url:
        (tmp_path / ".govcheck.yaml").write_text(f"docs_url: {docs_url}\n")
    files = [str(EXAMPLES / n) for n in ("ngss.yaml", "troubled.yaml", "healthy.yaml")]
    result = run_cli(
        "check", *files, "ngss.xlsx", "broken.yaml", "-f", "sarif", "-o", "out.sarif", cwd=tmp_path
    )
    assert result.returncode == 2, result.stderr
    problems = _validate(tool, tmp_path / "out.sarif", tmp_path)
    assert [p for p in problems if p[1] == "error"] == []
    assert {rule for rule, _ in problems} <= EXPECTED_WARNINGS
    assert ("SARIF2005", "warning") in problems if not docs_url else ("SARIF2005", "warning") not in problems
    assert ("SARIF2017", "warning") in problems  # the workbook's cells
