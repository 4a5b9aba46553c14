"""The council example before Gate 3, with its previous assessment: the HTML report in a browser."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import EXAMPLES, run_cli
from test_html import chromium, png_size, run_chromium

COUNCIL = EXAMPLES / "westborough-case-management.yaml"
PREVIOUS = EXAMPLES / "history" / "westborough-case-management-2026-04.yaml"
CENTRAL = ("HM Treasury", "Parliament", "accounting officer", "centre of government", "the department")


def test_the_council_report_opens_with_readiness_and_ends_with_the_annex(tmp_path: Path) -> None:
    page = tmp_path / "council.html"
    result = run_cli("check", str(COUNCIL), "--since", str(PREVIOUS), "-f", "html", "-o", str(page))
    assert result.returncode in (0, 1), result.stderr
    browser = chromium()
    shot = tmp_path / "council.png"
    run_chromium(browser, tmp_path, page, f"--screenshot={shot}", "--window-size=1280,2000")
    assert png_size(shot) == (1280, 2000) and shot.stat().st_size > 50_000
    dom = run_chromium(browser, tmp_path, page, "--dump-dom").stdout
    order = [
        dom.index("Ready for Gate 3: "),
        dom.index("Summary</h2>"),
        dom.index("Recommendations</h2>"),
        dom.index("Gate 3 questions</h2>"),
        dom.index("Since the assessment of 15 April 2026</h2>"),
        dom.index("Annex: progress on the recommendations"),
    ]
    assert order == sorted(order)
    assert "The SRO's own rating" in dom and "more optimistic than govcheck's" in dom
    assert len(re.findall(r'class="state state-(evidenced|concerns|not_described)"', dom)) >= 10
    assert 'class="act-first"' in dom
    section = re.search(r'id="[^"]*-recs".*?</section>', dom, re.S)
    assert section is not None
    recommendations = re.sub(r"<[^>]+>", " ", section.group(0))
    assert "The council should" in recommendations
    assert not [w for w in CENTRAL if w in recommendations]


def test_the_council_report_reads_as_written_for_a_council() -> None:
    markdown = run_cli("check", str(COUNCIL), "--since", str(PREVIOUS), "-f", "markdown").stdout
    assert markdown.count("Westborough Borough Council") == 1
    body = markdown.split("## Sources")[0]
    assert not [w for w in CENTRAL if w in body]
