"""The portfolio dashboard in a real browser at 1366x768: the latest release by default, an
as-at filter, one entry per department, rows that open into their reasons and history, no
horizontal overflow, and sorting 1,000 rows in under 100 ms, measured in the page.

The page is the product's own; a probe script is added to a copy of it, with its hash added to
the copy's Content-Security-Policy (as tests/test_portfolio.py does), and writes what it finds
into the DOM for --dump-dom to return. The product page carries no test code."""

from __future__ import annotations

import json
import re
import statistics
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLES, with_script

from govcheck import __version__
from govcheck.checker import Checker
from govcheck.formats import render
from govcheck.portfolio import summary
from govcheck.report import ProgrammeRef, Report, Run

LATEST = "2024-03-31"
EARLIER = "2016-09-30"
SORT_BUDGET_MS = 100

#: Spellings of the same department, as GMPP releases give them.
DEPARTMENTS = ("MoD", "MOD", "DfT", "DFT", "Home Office", "HM Treasury", "Cabinet Office")


@pytest.fixture(scope="module")
def reports() -> dict[str, Report]:
    checker = Checker()
    return {name: checker.check_path(EXAMPLES / f"{name}.yaml") for name in ("ngss", "troubled", "healthy")}  # type: ignore[misc]


def programme(base: Report, i: int, as_at: str) -> Report:
    """`base` as programme i of a release as at `as_at`: IPA and SRO ratings now, and (for most)
    two earlier releases with ratings, whole-life cost and planned end."""
    ratings = ("Green", "Amber/Green", "Amber", "Amber/Red", "Red")
    year = int(as_at[:4])
    history: list[dict[str, Any]] = []
    if i % 5:  # every fifth programme is in its first release: its change columns are n/a
        history = [
            {
                "date": f"{year - 2}-03-31",
                "whole_life_cost": 100.0 + i,
                "planned_end_date": f"{year + 2}-03-31",
                "ratings": [{"by": "IPA", "rating": ratings[i % 5]}, {"by": "SRO", "rating": "Green"}],
            },
            {
                "date": f"{year - 1}-03-31",
                "whole_life_cost": 110.0 + i,
                "planned_end_date": f"{year + 2}-09-30",
                "ratings": [{"by": "IPA", "rating": ratings[(i + 1) % 5]}],
            },
            {"date": as_at, "whole_life_cost": 100.0 + i * 1.5, "planned_end_date": f"{year + 3}-03-31"},
        ]
    data = base.programme.model_dump()
    data.update(
        name=f"Programme {i:04d} " + "with a long descriptive name " * (i % 3),
        department=DEPARTMENTS[i % len(DEPARTMENTS)],
        source=f"p{i:04d}-{as_at}.yaml",
        id=f"p{i:04d}-{as_at}",
        assessment_date=as_at,
        reference_ratings=(
            {"by": "IPA", "rating": ratings[(i + 2) % 5], "date": as_at},
            {"by": "SRO", "rating": "Green", "date": as_at},
        ),
        history=tuple(history),
        sources=({"title": "GMPP data", "publisher": "IPA", "date": as_at},),  # an import cites its release
    )
    return base.model_copy(update={"programme": ProgrammeRef(**data)})


def portfolio(reports: dict[str, Report], latest: int, earlier: int) -> Run:
    bases = [reports[n] for n in ("ngss", "troubled", "healthy")]
    outcomes = [programme(bases[i % 3], i, LATEST) for i in range(latest)]
    outcomes += [programme(bases[i % 3], i, EARLIER) for i in range(latest, latest + earlier)]
    return Run(govcheck_version=__version__, outcomes=tuple(outcomes))


PROBE = """
(function () {
  var out = {};
  var table = document.getElementById("programme-table");
  var form = document.getElementById("filters");
  var body = table.tBodies[0];
  function main() {
    return Array.prototype.filter.call(body.rows, function (r) { return !r.classList.contains("detail"); });
  }
  function visible() { return main().filter(function (r) { return !r.hidden; }); }
  function fits() {
    var wrap = table.parentNode;
    return {
      page: document.documentElement.scrollWidth, window: window.innerWidth,
      table: Math.round(table.getBoundingClientRect().width),
      wrap: wrap.clientWidth, wrapScroll: wrap.scrollWidth
    };
  }
  out.formShown = !form.hidden;
  out.asAt = form.elements.as_at ? form.elements.as_at.value : null;
  function values(select) {
    return Array.prototype.map.call(select.options, function (o) { return o.value; });
  }
  out.asAtOptions = form.elements.as_at ? values(form.elements.as_at) : [];
  out.departments = values(form.elements.department).slice(1);
  out.total = main().length;
  out.shownAsAt = {};
  visible().forEach(function (r) {
    out.shownAsAt[r.dataset.asAt] = (out.shownAsAt[r.dataset.asAt] || 0) + 1;
  });
  out.fitClosed = fits();

  // Open the first programme the IPA rates differently from govcheck, and the first with history.
  var rows = visible();
  function open(row) {
    var d = row.querySelector("details");
    d.open = true;
    d.dispatchEvent(new Event("toggle"));
    var detail = row.nextElementSibling;
    return {
      shown: !detail.hidden, span: detail.cells[0].colSpan,
      width: Math.round(detail.cells[0].getBoundingClientRect().width),
      text: detail.textContent.replace(/\\s+/g, " "),
      trends: detail.querySelectorAll("svg.trend").length,
      history: detail.querySelectorAll("table.history-table tbody tr").length,
      findings: detail.querySelectorAll(".row-findings li").length
    };
  }
  out.opened = [open(rows[0]), open(rows[1])];
  out.fitOpen = fits();

  // Sorting: each column's first click computes its keys; every click is timed, from the click
  // to the rows in their new order, and (separately) to the next layout.
  out.sortMs = {};
  out.layoutMs = {};
  ["govcheck", "cost_first", "critical", "programme", "as_at", "slip_first"].forEach(function (col) {
    var button = table.tHead.querySelector('th[data-col="' + col + '"] button');
    out.sortMs[col] = [];
    out.layoutMs[col] = [];
    for (var k = 0; k < 3; k++) {
      var t0 = performance.now();
      button.click();
      var t1 = performance.now();
      void document.body.offsetHeight;
      out.sortMs[col].push(Math.round((t1 - t0) * 10) / 10);
      out.layoutMs[col].push(Math.round(performance.now() - t1));
      var values = visible().map(function (r) {
        var v = r.cells[button.parentNode.cellIndex].getAttribute("data-value");
        return v;
      });
      if (col === "cost_first" && k < 2) { out["costValues" + k] = values; }
    }
  });
  out.detailsFollowRows = main().every(function (r) {
    var next = r.nextElementSibling;
    return next && next.classList.contains("detail") && next.dataset.detail === r.dataset.key;
  });

  // Every release, then one date.
  form.elements.as_at.value = "";
  form.dispatchEvent(new Event("change"));
  out.shownAll = visible().length;
  form.elements.as_at.value = "EARLIER";
  form.dispatchEvent(new Event("change"));
  out.shownEarlier = visible().length;
  form.elements.department.value = values(form.elements.department).filter(function (v) {
    return v.toLowerCase() === "mod";
  })[0];
  form.dispatchEvent(new Event("change"));
  out.earlierMoD = visible().map(function (r) { return r.dataset.department; });
  document.body.setAttribute("data-probe", JSON.stringify(out));
})();
""".replace("EARLIER", EARLIER)




def probe(tmp_path: Path, html: str) -> dict[str, Any]:
    from test_html import chromium, run_chromium

    browser = chromium()
    page = tmp_path / "probed.html"
    page.write_text(with_script(html, PROBE), encoding="utf-8")
    dom = run_chromium(browser, tmp_path, page, "--dump-dom", "--window-size=1366,768").stdout
    found = re.search(r'data-probe="([^"]*)"', dom)
    assert found, "the probe did not run"
    return json.loads(unescape(found.group(1)))  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def big(reports: dict[str, Report]) -> tuple[Run, str]:
    run = portfolio(reports, latest=1000, earlier=60)
    html = render("html-portfolio", run)
    assert isinstance(html, str)
    return run, html


def test_dashboard_at_1366_pixels(big: tuple[Run, str], tmp_path: Path) -> None:
    run, html = big
    out = probe(tmp_path, html)
    data = summary(run)
    assert data.as_at == LATEST and len(data.rows) == 1000 and len(data.earlier) == 60

    # The latest release by default; the as-at filter offers every release and each date.
    assert out["formShown"]
    assert out["asAt"] == "current"
    assert out["asAtOptions"] == ["current", "", LATEST, EARLIER]
    assert out["total"] == 1060 and out["shownAsAt"] == {LATEST: 1000}
    assert out["shownAll"] == 1060 and out["shownEarlier"] == 60

    # One entry per department, whatever its spellings.
    departments = [d.casefold() for d in out["departments"]]
    assert departments == ["cabinet office", "dft", "hm treasury", "home office", "mod"]
    assert data.departments == tuple(out["departments"])
    mod = next(d for d in out["departments"] if d.casefold() == "mod")
    assert set(out["earlierMoD"]) == {mod} and len(out["earlierMoD"]) == sum(
        1 for r in data.earlier if r.department.casefold() == "mod"
    )

    # An opened row spans the table and gives reasons, findings with figures, and history.
    for opened in out["opened"]:
        assert opened["shown"] and opened["span"] == html.count("<col data-col=")
        assert opened["width"] >= out["fitOpen"]["table"] - 2
        assert "Rating:" in opened["text"] and "Basis:" in opened["text"]
        assert "Value for money:" in opened["text"] and "Findings" in opened["text"]
        assert opened["findings"] > 0 and opened["history"] >= 1
    disagreeing = 0
    for r, opened in zip(data.rows, out["opened"], strict=False):
        assert r.ipa is not None
        if r.ipa.rating != r.rating:
            disagreeing += 1
            assert "Why govcheck disagrees with the IPA" in opened["text"]
            assert f"the IPA rated it {r.ipa.rating} as at {LATEST}" in opened["text"]
        else:
            assert "Why govcheck disagrees" not in opened["text"]
    assert disagreeing, "neither opened row disagrees with the IPA: the generator changed"
    assert any(o["trends"] == 1 and o["history"] == 3 for o in out["opened"])

    # Fits 1366px: neither the page nor the table scrolls sideways, closed or opened.
    for fit in (out["fitClosed"], out["fitOpen"]):
        assert fit["window"] == 1366
        assert fit["page"] <= fit["window"], fit
        assert fit["wrapScroll"] <= fit["wrap"], fit

    # Sorting 1,060 rows (1,000 shown), measured in the page from the click to the rows in their
    # new order: the median of 18 clicks (six columns, each ascending, descending, ascending;
    # the first computes the column's keys) under the budget; the worst allowed a loaded
    # machine's spikes.
    times = sorted(t for ts in out["sortMs"].values() for t in ts)
    assert len(times) == 18, out["sortMs"]
    assert statistics.median(times) < SORT_BUDGET_MS, out["sortMs"]
    assert times[-1] < 4 * SORT_BUDGET_MS, out["sortMs"]
    assert out["detailsFollowRows"]
    # Missing values sort last in both directions.
    for k in (0, 1):
        values = out[f"costValues{k}"]
        missing = [i for i, v in enumerate(values) if v == ""]
        assert missing and missing == list(range(len(values) - len(missing), len(values)))
    numbers = [float(v) for v in out["costValues0"] if v != ""]
    assert numbers == sorted(numbers)
    numbers = [float(v) for v in out["costValues1"] if v != ""]
    assert numbers == sorted(numbers, reverse=True)
    print(f"sort ms {out['sortMs']}; layout after, ms {out['layoutMs']}; widths {out['fitOpen']}")


def test_dashboard_page_itself_carries_no_test_code(big: tuple[Run, str]) -> None:
    _, html = big
    assert html.lower().count("<script") == 1
    assert "performance.now" not in html and "data-probe" not in html


def test_dashboard_says_what_it_leaves_out_and_its_baseline(big: tuple[Run, str]) -> None:
    run, html = big
    data = summary(run)
    assert (
        "<strong>60 programmes left out</strong>: last seen in an earlier release (60 as at 2016-09-30)"
        in html
    )
    assert "govcheck portfolio --all-releases" in html
    b, g = data.baseline, data.agreement_on_baseline_rows
    assert b is not None and g is not None and b.n == g.n == sum(1 for r in data.rows if r.ipa_before)
    assert f'<td class="num" id="rho-baseline">{b.rho:.2f}</td>' in html
    assert f'<td class="num" id="rho-govcheck-same-rows">{g.rho:.2f}</td>' in html
    verdict = re.search(r'<p class="verdict" id="baseline-verdict"[^>]*>(.*?)</p>', html, flags=re.S)
    assert verdict
    higher = "govcheck's is higher" if (g.rho or 0) > (b.rho or 0) else "the baseline's is higher"
    assert f"Spearman's rho: {higher}." in unescape(verdict.group(1))
    # With every release asked for, nothing is left out, and the page says so.
    everything = render_all(run)
    assert "left out</strong>" not in everything and "Every release's programmes are shown" in everything


def render_all(run: Run) -> str:
    html = render("html-portfolio", run.model_copy(update={"all_releases": True}))
    assert isinstance(html, str)
    return html
