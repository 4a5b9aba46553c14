"""How long the portfolio dashboard takes to sort, measured in a real browser.

    python benchmarks/dashboard.py [--latest 1000] [--earlier 60] [--repeat 5]

The page is `govcheck portfolio -f html-portfolio`'s own, for the portfolio that
tests/test_dashboard_browser.py uses (tests/portfolio_gen.py): `--latest` programmes shown and
`--earlier` left out by the as-at filter. A copy of the page carries a probe that clicks each of
six column headings three times (ascending, descending, ascending; the first click computes the
column's keys) and times each click in the page with `performance.now()`, from the click to the
rows in their new order, then to the next layout. Chromium is started `--repeat` times; the
figures are the median and the worst of all clicks, with issue 18's target of 100 ms a sort.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from html import unescape
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from conftest import with_script  # noqa: E402
from portfolio_gen import base_reports, portfolio  # noqa: E402
from test_html import CHROMIUM_FLAGS  # noqa: E402

from govcheck.formats import render  # noqa: E402

TARGET_MS = 100
COLUMNS = ("govcheck", "cost_first", "critical", "programme", "as_at", "slip_first")

PROBE = """
(function () {
  var table = document.getElementById("programme-table");
  var out = {sort: [], layout: []};
  COLUMNS.forEach(function (col) {
    var button = table.tHead.querySelector('th[data-col="' + col + '"] button');
    for (var k = 0; k < 3; k++) {
      var t0 = performance.now();
      button.click();
      var t1 = performance.now();
      void document.body.offsetHeight;
      out.sort.push(t1 - t0);
      out.layout.push(performance.now() - t1);
    }
  });
  document.body.setAttribute("data-probe", JSON.stringify(out));
})();
""".replace("COLUMNS", json.dumps(COLUMNS))


def measure(browser: str, page: Path, profile: Path) -> dict[str, list[float]]:
    result = subprocess.run(
        [browser, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--dump-dom", "--window-size=1366,768",
         page.as_uri()],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    found = re.search(r'data-probe="([^"]*)"', result.stdout)
    if result.returncode or not found:
        sys.exit(f"dashboard.py: the probe did not run (chromium exit {result.returncode})")
    return json.loads(unescape(found.group(1)))  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latest", type=int, default=1000)
    parser.add_argument("--earlier", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    browser = shutil.which("chromium")
    if browser is None:
        sys.exit("dashboard.py: chromium is not on PATH (Debian: apt-get install chromium)")
    html = render("html-portfolio", portfolio(base_reports(), args.latest, args.earlier))
    assert isinstance(html, str)
    sort: list[float] = []
    layout: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "dashboard.html"
        page.write_text(with_script(html, PROBE), encoding="utf-8")
        for n in range(args.repeat):
            out = measure(browser, page, Path(tmp) / f"profile-{n}")
            sort += out["sort"]
            layout += out["layout"]
    version = subprocess.run([browser, "--version"], capture_output=True, text=True, check=False).stdout
    print(f"{args.latest:,} rows shown of {args.latest + args.earlier:,}; {version.strip()}")
    print(f"{len(sort)} clicks ({len(COLUMNS)} columns x 3, {args.repeat} browser runs)")
    print(
        f"sort, ms:          median {statistics.median(sort):6.1f}   worst {max(sort):6.1f}   "
        f"target median < {TARGET_MS}: {'met' if statistics.median(sort) < TARGET_MS else 'MISSED'}"
    )
    print(f"layout after, ms:  median {statistics.median(layout):6.1f}   worst {max(layout):6.1f}")


if __name__ == "__main__":
    main()
