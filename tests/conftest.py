"""Shared fixtures: paths into the repository, and one Checker per test session."""

from __future__ import annotations

import base64
import hashlib
import re
import subprocess
import sys
from pathlib import Path

import pytest

from govcheck.checker import Checker

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
#: The `govcheck` command as installed beside this interpreter (it ends without the
#: interpreter's teardown, govcheck/launch.py), and `python -m govcheck` (it ends by SystemExit).
CONSOLE = Path(sys.executable).with_name("govcheck")
ENTRY_POINTS = {"govcheck": [str(CONSOLE)], "python -m govcheck": [sys.executable, "-m", "govcheck"]}


@pytest.fixture(scope="session")
def checker() -> Checker:
    return Checker()


def run_cli(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the real command line, as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "govcheck", *args],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        env=env,
        timeout=300,
    )


def with_script(html: str, script: str) -> str:
    """A test copy of a page with `script` added and allowed by its hash in the page's CSP:
    the product page itself never carries test code."""
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    csp = re.search(r"script-src ([^\"]*)\"", html)
    assert csp is not None
    html = html.replace(csp.group(0), f'script-src {csp.group(1)} &#39;sha256-{digest}&#39;"', 1)
    return html.replace("</body>", f"<script>{script}</script></body>", 1)


def modules_loaded(*args: str, prefix: str) -> tuple[int, set[str]]:
    """Run the command line with `args` in a fresh interpreter: its exit code, and the modules
    whose names start with `prefix` that it loaded."""
    probe = (
        "import runpy, sys\n"
        f"sys.argv = ['govcheck', *{list(args)!r}]\n"
        "code = 0\n"
        "try:\n"
        "    runpy.run_module('govcheck', run_name='__main__')\n"
        "except SystemExit as exc:\n"
        "    code = exc.code\n"
        f"loaded = sorted(m for m in sys.modules if m.startswith({prefix!r}))\n"
        "print(code, ' '.join(loaded), file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    code, _, loaded = result.stderr.strip().splitlines()[-1].partition(" ")
    return int(code), set(loaded.split())
