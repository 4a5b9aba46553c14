"""The HTML reports: escaped, self-contained, accessible charts, and they render in a real browser."""

from __future__ import annotations

import json
import os
import re
import shutil
import struct
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import EXAMPLES
from markupsafe import escape

from govcheck import __version__
from govcheck.charts import chart_data
from govcheck.checker import Checker
from govcheck.facts import expected_to_date
from govcheck.formats import names, render
from govcheck.formats.html.scales import name_lines, nice_range
from govcheck.model import Programme
from govcheck.portfolio import summary
from govcheck.report import Run
from govcheck.templating import report_environment
from govcheck.validation import validate
from govcheck.yamlsource import load

HOSTILE_NAME = "<script>alert(1)</script>{{ 7*7 }}"
HOSTILE_MILESTONE = '<img src=x onerror=alert(2)> & "quoted" {% raw %}'


@pytest.fixture(scope="module")
def checker() -> Checker:
    """HTML reports draw charts: this checker computes their series, as the CLI does for -f html."""
    return Checker(charts=True)


def make_run(checker: Checker, *paths: Path | str) -> Run:
    """Built as cli.py builds it."""
    return Run(
        govcheck_version=__version__,
        outcomes=tuple(checker.check_path(p) for p in paths),
        rules=checker.catalogue.info(),
    )


def hostile_programme(tmp_path: Path) -> Path:
    """examples/ngss.yaml with programme text that would run, or be compiled, if it were not escaped."""
    text = (EXAMPLES / "ngss.yaml").read_text(encoding="utf-8")
    assert "\nname: Next Generation Shared Services\n" in text
    text = text.replace("\nname: Next Generation Shared Services\n", f"\nname: '{HOSTILE_NAME}'\n")
    text = text.replace("department: Cabinet Office", "department: '</title><script>alert(3)</script>'")
    text += (
        "\nmilestones:\n"
        f"  - name: '{HOSTILE_MILESTONE}'\n"
        "    baseline: 2015-01-01\n"
        "    forecast: 2016-09-01\n"
    )
    path = tmp_path / "hostile.yaml"
    path.write_text(text, encoding="utf-8")
    return path


class Outline(HTMLParser):
    """What the tests look for in a page: elements, figures and what each figure holds."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.figures: list[dict[str, int]] = []
        self._figure_depth = 0
        self._svg_first_child: list[str] = []
        self._in_svg = 0
        self._svgs = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "figure":
            self.figures.append({"svg": 0, "svg_img": 0, "table": 0, "figcaption": 0})
            self._figure_depth += 1
        elif self._figure_depth:
            figure = self.figures[-1]
            if tag == "svg":
                figure["svg"] += 1
                figure["svg_img"] += dict(attrs).get("role") == "img"
            elif tag in figure:
                figure[tag] += 1
        if self._in_svg == 1 and len(self._svg_first_child) < self._svgs:
            self._svg_first_child.append(tag)
        if tag == "svg":
            self._in_svg += 1
            self._svgs += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "figure":
            self._figure_depth -= 1
        if tag == "svg":
            self._in_svg -= 1

    def count(self, tag: str) -> int:
        return sum(1 for t, _ in self.tags if t == tag)


def outline(html: str) -> Outline:
    parser = Outline()
    parser.feed(html)
    parser.close()
    return parser


def without_dashboard_script(html: str) -> str:
    """The dashboard's one inline script (its own, allowed by hash) taken out; every other page
    must have none."""
    script = report_environment().get_template("html/dashboard.js").render()
    return html.replace(f"<script>{script}</script>", "", 1)


def assert_self_contained(html: str) -> None:
    lowered = html.lower()
    assert "<script" not in lowered
    assert "<link" not in lowered
    assert "@import" not in lowered
    assert "url(" not in lowered
    assert "<iframe" not in lowered and "<object" not in lowered and "<embed" not in lowered
    for tag, attrs in outline(html).tags:
        for attr in ("src", "href", "xlink:href", "action", "srcset"):
            value = attrs.get(attr)
            if value is not None:
                assert value.startswith("#"), f"<{tag} {attr}={value!r}> points outside the file"


def assert_accessible_figures(html: str) -> Outline:
    page = outline(html)
    assert page.figures, "no figures"
    for figure in page.figures:
        assert figure["svg"] == figure["svg_img"] == 1, figure
        assert figure["table"] == 1, figure
        assert figure["figcaption"] == 1, figure
    assert page._svg_first_child == ["title"] * page.count("svg"), "every chart's first child is its <title>"
    return page


# --------------------------------------------------------------------------------------------
# Escaping


@pytest.mark.parametrize("fmt", ["html", "html-portfolio"])
def test_programme_text_is_escaped_never_run_or_compiled(checker: Checker, tmp_path: Path, fmt: str) -> None:
    run = make_run(checker, hostile_programme(tmp_path), EXAMPLES / "healthy.yaml")
    report = run.reports[0]
    assert report.programme.name == HOSTILE_NAME
    html = render(fmt, run)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;{{ 7*7 }}" in html
    assert "&lt;/title&gt;&lt;script&gt;alert(3)&lt;/script&gt;" in html
    if fmt == "html":  # the dashboard lists programmes, not their milestones
        assert "&lt;img src=x onerror=alert(2)&gt; &amp; &#34;quoted&#34; {% raw %}" in html
    html = without_dashboard_script(html)
    assert "<script" not in html.lower()
    assert "<img" not in html.lower()
    assert "alert(1)</script>" not in html
    assert "{{ 7*7 }}" in html and ">49<" not in html
    assert_self_contained(html)


def test_html_templates_are_autoescaped() -> None:
    env = report_environment()
    templates = [t for t in env.list_templates() if t.startswith("html/") and t.endswith(".j2")]
    assert {"html/report.html.j2", "html/portfolio.html.j2", "html/_macros.html.j2"} <= set(templates)
    assert env.loader is not None and callable(env.autoescape)
    for name in templates:
        assert env.autoescape(name), name
        source = env.loader.get_source(env, name)[0]
        assert not re.search(r"\|\s*safe\b|Markup\(|autoescape\s+false", source), name
    assert "{{" not in env.loader.get_source(env, "html/style.css")[0]


# --------------------------------------------------------------------------------------------
# The single-programme report


def test_report_follows_the_nao_structure(checker: Checker) -> None:
    run = make_run(checker, EXAMPLES / "ngss.yaml")
    html = render("html", run)
    report = run.reports[0]
    active = [f for f in report.findings if f.active]
    headings = re.findall(r"<h2[^>]*>(.*?)</h2>", html)
    assert headings[:5] == [
        "Summary",
        "The programme in figures",
        "Key findings",
        "Conclusion on value for money",
        "Recommendations",
    ]
    assert f'<span class="seg r-{report.rating.conclusion.split("/")[0].lower()}">' in html
    assert "has not achieved value for money to date" in html
    assert html.count('class="finding"') == len(active)
    for i, f in enumerate(active, start=1):
        assert f'id="p1-finding-{i}"' in html
        assert f"{f.location.file}:{f.location.line}" in html
    basis = sorted(i for i, f in enumerate(active, start=1) if f.rule_id in report.value_for_money.because)
    assert basis and f"This conclusion rests on {'finding' if len(basis) == 1 else 'findings'}" in html
    for n in basis:
        assert f'<a href="#p1-finding-{n}">{n}</a>' in html
    assert re.search(r'<ol class="recommendations" type="a"', html)
    assert '<span class="letter" aria-hidden="true">b</span>' in html
    assert_self_contained(html)
    assert "@media print" in html and "@page" in html


def test_every_chart_is_an_image_with_a_title_and_a_table(checker: Checker) -> None:
    run = make_run(checker, EXAMPLES / "healthy.yaml")
    html = render("html", run)
    page = assert_accessible_figures(html)
    assert len(page.figures) == 3
    ids = [attrs["id"] for _, attrs in page.tags if attrs.get("id")]
    assert len(ids) == len(set(ids)), "element ids are unique"
    for _, attrs in page.tags:
        for ref in (attrs.get("aria-labelledby") or "").split():
            assert ref in ids
    c = run.reports[0].charts
    assert c is not None
    # The table behind Figure 1 holds the same numbers the line is drawn from.
    assert "£88.6m" in html and "£10.3m" in html and "£10.6m" in html
    assert len(re.findall(r'class="slip-', html)) == len(c.milestones)
    assert len(re.findall(r'class="bar-planned', html)) == len(c.migration)


def test_report_without_chart_data_still_renders(checker: Checker) -> None:
    run = make_run(checker, EXAMPLES / "ngss.yaml")
    bare = run.model_copy(update={"outcomes": (run.reports[0].model_copy(update={"charts": None}),)})
    html = render("html", bare)
    assert "<svg" not in html and "Key findings" in html


def test_a_file_that_cannot_be_checked_gets_a_section(checker: Checker, tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: broken\nname: [unclosed <b>\n", encoding="utf-8")
    html = render("html", make_run(checker, broken, EXAMPLES / "ngss.yaml"))
    assert "not checked" in html.lower() and "broken.yaml" in html
    assert "<b>" not in html


# --------------------------------------------------------------------------------------------
# Chart data and geometry


def test_chart_data_from_the_programme(checker: Checker) -> None:
    ngss: Programme = validate(Programme, load(EXAMPLES / "ngss.yaml"))
    c = chart_data(ngss)
    assert c.currency == "GBP"
    assert c.expected_to_date == expected_to_date(ngss, ngss.assessment_date)
    assert c.delivered_to_date == 90_000_000
    values = [p.forecast for p in c.benefits]
    assert values == sorted(values) and values[0] == 0 and values[-1] == 484_000_000
    assert (ngss.assessment_date.isoformat(), c.expected_to_date) in c.benefits
    assert c.migration == (("2016-05-20", 26, 2),) and c.migration_total == 26
    troubled = checker.check_path(EXAMPLES / "troubled.yaml")
    assert troubled.charts is not None  # type: ignore[union-attr]
    (go_live,) = troubled.charts.milestones  # type: ignore[union-attr]
    assert go_live.slip_days == 917 and not go_live.achieved


def test_json_does_not_carry_chart_data(checker: Checker) -> None:
    run = make_run(checker, EXAMPLES / "healthy.yaml")
    assert run.reports[0].charts is not None
    (document,) = json.loads(render("json", run))
    assert "charts" not in document
    assert "charts" not in json.dumps(document)


def test_scales_and_labels() -> None:
    assert nice_range(0, 484e6) == (0, 500e6, 100e6)
    assert nice_range(0, 26, integer=True) == (0, 30, 10)
    assert nice_range(-19, 15, integer=True)[:2] == (-20, 20)
    assert nice_range(0, 0) == (0, 1, 0.2)
    assert name_lines("Short", 36) == ("Short",)
    first, second = name_lines("Go-live for all tribunal venues and case types, " * 3, 36)
    assert len(first) <= 36 and len(second) <= 36 and second.endswith("…")


def test_geometry_stays_inside_the_canvas(checker: Checker) -> None:
    for name in ("ngss", "healthy", "troubled"):
        html = render("html", make_run(checker, EXAMPLES / f"{name}.yaml"))
        for svg in re.findall(r"<svg.*?</svg>", html, flags=re.S):
            width, height = map(float, re.search(r'viewBox="0 0 (\S+) (\S+)"', svg).groups())  # type: ignore[union-attr]
            for attr, limit in (
                ("x", width),
                ("x1", width),
                ("x2", width),
                ("cx", width),
                ("y", height),
                ("y1", height),
                ("y2", height),
                ("cy", height),
            ):
                for value in re.findall(rf'\s{attr}="(-?[\d.]+)"', svg):
                    assert -1 <= float(value) <= limit + 1, (name, attr, value)
            for points in re.findall(r'points="([^"]*)"', svg):
                for pair in points.split():
                    x, y = map(float, pair.split(","))
                    assert 0 <= x <= width and 0 <= y <= height


# --------------------------------------------------------------------------------------------
# The portfolio dashboard


def test_portfolio_dashboard(checker: Checker, tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: broken\nname: [unclosed\n", encoding="utf-8")
    paths = [EXAMPLES / "ngss.yaml", EXAMPLES / "healthy.yaml", broken, EXAMPLES / "troubled.yaml"]
    run = make_run(checker, *paths)
    assert "html" in names() and "html-portfolio" in names()
    html = render("html-portfolio", run)
    assert_self_contained(without_dashboard_script(html))
    assert_accessible_figures(html)
    data = summary(run)
    # Summary table: one row per programme, worst first (rating, then active findings), each
    # with its findings collapsed. Both troubled examples are Red; acms has more findings.
    assert [(r.id, r.rating) for r in data.rows] == [("acms", "Red"), ("ngss", "Red"), ("fwsm", "Green")]
    positions = [html.index(f"<summary>{r.name}</summary>") for r in data.rows]
    assert positions == sorted(positions)
    # The rating distribution and the categories failing most agree with portfolio.summary.
    assert "govcheck: " + ", ".join(f"{k} {n}" for k, n in reversed(list(data.ratings.items()))) + "." in html
    for category, n in data.failing_categories:
        assert f"{category.replace('_', ' ')}: {n} failing" in html
    # The heatmap has a text value in every cell.
    heat = re.search(r'<table class="heatmap">.*?</table>', html, flags=re.S)
    assert heat
    cells = re.findall(r'<td class="sev-(\w+)">(\w+)</td>', heat.group(0))
    assert len(cells) == len(data.rows) * len(data.categories)
    assert all(cls == text for cls, text in cells)
    # The error table lists the file that could not be checked, with its message.
    (error,) = run.errors
    assert "Files not checked" in html and str(escape(error.message)) in html
    # No programme's full report is embedded: they stay one command away.
    assert "Conclusion on value for money" not in html


# --------------------------------------------------------------------------------------------
# A real browser

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--enable-logging=stderr",
    "--v=0",
)


def chromium() -> str:
    path = shutil.which("chromium")
    if path is None:
        if os.environ.get("GOVCHECK_REQUIRE_BROWSER") == "1":
            pytest.fail("GOVCHECK_REQUIRE_BROWSER=1 but chromium is not on PATH")
        pytest.skip(
            "chromium is not on PATH (Debian: apt-get install chromium); "
            "set GOVCHECK_REQUIRE_BROWSER=1 to make this a failure"
        )
    return path


def run_chromium(browser: str, tmp_path: Path, page: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"
    result = subprocess.run(
        [browser, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *extra, page.as_uri()],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    page_errors = [line for line in result.stderr.splitlines() if "CONSOLE" in line or "Uncaught" in line]
    assert not page_errors, page_errors
    return result


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.mark.parametrize(
    ("fmt", "files", "figures"),
    [
        ("html", ["healthy.yaml"], 3),
        ("html-portfolio", ["ngss.yaml", "healthy.yaml", "troubled.yaml"], 2),
    ],
)
def test_renders_in_chromium(
    checker: Checker, tmp_path: Path, fmt: str, files: list[str], figures: int
) -> None:
    browser = chromium()
    page = tmp_path / "report.html"
    page.write_text(render(fmt, make_run(checker, *(EXAMPLES / f for f in files))), encoding="utf-8")

    shot = tmp_path / "report.png"
    run_chromium(browser, tmp_path, page, f"--screenshot={shot}", "--window-size=1280,2000")
    assert shot.is_file()
    assert png_size(shot) == (1280, 2000)
    assert shot.stat().st_size > 50_000, "the screenshot is (nearly) blank"

    dom = run_chromium(browser, tmp_path, page, "--dump-dom").stdout
    assert dom.count("<figure") == figures
    assert len(re.findall(r'<svg[^>]*role="img"', dom)) == figures
    assert len(re.findall(r"<svg[^>]*>\s*<title", dom)) == figures
    assert dom.count("<table") >= figures
    assert 'class="rating' in dom and "Delivery confidence" in dom
