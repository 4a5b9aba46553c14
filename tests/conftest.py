"""Shared fixtures: paths into the repository, and one Checker per test session."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from govcheck.checker import Checker

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="session")
def checker() -> Checker:
    return Checker()


def run_cli(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the real command line, as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "govcheck", *args],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        env=env,
        timeout=300,
    )
