"""The portfolio dashboard in a real browser at 1366x768: the latest release by default, an
as-at filter, one entry per department, rows that open into their reasons and history, no
horizontal overflow, and sorting with missing values last. How long a sort of 1,000 rows takes
is measured by benchmarks/dashboard.py, not here.

The page is the product's own; a probe script is added to a copy of it, with its hash added to
the copy's Content-Security-Policy (as tests/test_portfolio.py does), and writes what it finds
into the DOM for --dump-dom to return. The product page carries no test code."""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from conftest import with_script
from portfolio_gen import EARLIER, LATEST, base_reports, portfolio

from govcheck.formats import render
from govcheck.portfolio import summary
from govcheck.report import Report, Run


@pytest.fixture(scope="module")
def reports() -> dict[str, Report]:
    return base_reports()


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

  // Sorting: each column three times (ascending, descending, ascending).
  out.sorted = {};
  ["govcheck", "cost_first", "critical", "programme", "as_at", "slip_first"].forEach(function (col) {
    var button = table.tHead.querySelector('th[data-col="' + col + '"] button');
    out.sorted[col] = [];
    for (var k = 0; k < 3; k++) {
      button.click();
      out.sorted[col].push(visible().map(function (r) {
        return r.cells[button.parentNode.cellIndex].getAttribute("data-value");
      }));
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

    # Sorting keeps each detail row after its programme, and missing values sort last in both
    # directions; a third click sorts as the first did.
    assert out["detailsFollowRows"]
    for col, clicks in out["sorted"].items():
        assert len(clicks) == 3 and all(len(values) == 1000 for values in clicks), col
        assert clicks[2] == clicks[0], col
    values = out["sorted"]["cost_first"]
    for k in (0, 1):
        missing = [i for i, v in enumerate(values[k]) if v == ""]
        assert missing and missing == list(range(len(values[k]) - len(missing), len(values[k])))
    numbers = [float(v) for v in values[0] if v != ""]
    assert numbers == sorted(numbers) and numbers != sorted(numbers, reverse=True)
    numbers = [float(v) for v in values[1] if v != ""]
    assert numbers == sorted(numbers, reverse=True)


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
