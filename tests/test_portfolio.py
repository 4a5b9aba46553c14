"""The portfolio view: agreement statistics, optimism gap, movement, order, and every export."""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import re
import shutil
import zipfile
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLES, run_cli, with_script
from markupsafe import escape
from openpyxl import load_workbook

from govcheck import __version__
from govcheck.agreement import agreement, average_ranks, canonical, ordinal, spearman
from govcheck.checker import Checker
from govcheck.formats import render
from govcheck.formats.portfolio import HEADERS
from govcheck.portfolio import summary
from govcheck.report import ProgrammeRef, Report, Run

HOSTILE = '=HYPERLINK("http://x","<script>alert(1)</script>")'
HOSTILE_DEPT = '"><img src=x onerror=alert(2)>'


RELEASE = "2024-03-31"  # the assessment date of every variant(), and of its reference ratings


@pytest.fixture(scope="module")
def reports() -> dict[str, Report]:
    checker = Checker()
    return {name: checker.check_path(EXAMPLES / f"{name}.yaml") for name in ("ngss", "troubled", "healthy")}  # type: ignore[misc]


def variant(
    base: Report,
    *,
    name: str,
    department: str = "Dept A",
    source: str | None = None,
    ipa: str | None = None,
    sro: str | None = None,
    history: tuple[dict[str, Any], ...] = (),
    now: dict[str, Any] | None = None,
) -> Report:
    """`base` renamed, with reference ratings and history; `now` adds the current release's own
    figures as a history entry at the assessment date, as the GMPP importer writes them."""
    refs = tuple(
        {"by": by, "rating": rating, "date": RELEASE} for by, rating in (("IPA", ipa), ("SRO", sro)) if rating
    )
    programme = ProgrammeRef(
        **{
            **base.programme.model_dump(),
            "name": name,
            "department": department,
            "source": source or f"{name}.yaml",
            "id": re.sub(r"\W", "-", name),
            "assessment_date": RELEASE,
            "reference_ratings": refs,
            # As the importer writes it: the release it is as at, cited.
            "sources": ({"title": "GMPP data", "publisher": "IPA", "date": RELEASE},),
            "history": (*history, *([{"date": RELEASE, **now}] if now else [])),
        },
    )
    return base.model_copy(update={"programme": programme})


def make_run(*outcomes: Report) -> Run:
    return Run(govcheck_version=__version__, outcomes=outcomes)


# --------------------------------------------------------------------------------------------
# Agreement statistics


def test_average_ranks_share_ties() -> None:
    assert average_ranks([10, 20, 20, 30]) == [1, 2.5, 2.5, 4]
    assert average_ranks([3, 3, 3]) == [2, 2, 2]
    assert average_ranks([5, 1, 4]) == [3, 1, 2]


def test_spearman_against_hand_computed_and_reference_values() -> None:
    # No ties: d = (-1, 1, -1, 1, 0), rho = 1 - 6 * 4 / (5 * 24) = 0.8.
    assert spearman([1, 2, 3, 4, 5], [2, 1, 4, 3, 5]) == pytest.approx(0.8)
    # Ties on both sides: ranks (1.5, 1.5, 3, 4) and (1, 2.5, 2.5, 4); r = 3.75 / 4.5 = 5/6.
    assert spearman([1, 1, 2, 3], [1, 2, 2, 3]) == pytest.approx(5 / 6)
    # The worked example of scipy.stats.spearmanr's documentation: 0.8207826816681233.
    assert spearman([1, 2, 3, 4, 5], [5, 6, 7, 8, 7]) == pytest.approx(0.8207826816681233, abs=1e-12)
    assert spearman([1, 2, 3], [3, 2, 1]) == pytest.approx(-1)
    assert spearman([1, 2, 3], [10, 100, 1000]) == pytest.approx(1)
    # A constant ranks nothing: rho is undefined, not 0.
    assert spearman([3, 3, 3], [1, 2, 3]) is None
    assert spearman([1], [1]) is None


def test_one_ordinal_scale_for_five_and_three_point_ratings() -> None:
    assert [ordinal(r) for r in ("Green", "Amber/Green", "Amber", "Amber/Red", "Red")] == [1, 2, 3, 4, 5]
    assert ordinal("amber / red") == 4 and canonical(" RED") == "Red"
    assert ordinal("Exempt under Section 43") is None and ordinal("") is None and ordinal(None) is None


def test_confusion_table_and_exact_agreement() -> None:
    pairs = [
        ("Red", "Red"),
        ("Red", "Amber"),
        ("Amber/Red", "Amber"),
        ("Green", "Green"),
        ("Amber", "exempt"),
    ]
    a = agreement(pairs)
    assert a.n == 4 and a.exact == 2
    assert a.confusion.rows == ("Green", "Amber/Red", "Red")
    assert a.confusion.columns == ("Green", "Amber", "Red")
    assert a.confusion.counts == ((1, 0, 0), (0, 1, 0), (0, 1, 1))
    assert a.confusion.count("Red", "Amber") == 1
    assert a.rho == pytest.approx(spearman([5, 5, 4, 1], [5, 3, 3, 1]))


# --------------------------------------------------------------------------------------------
# Rows: references, optimism gap, movement, order


def test_optimism_gap(reports: dict[str, Report]) -> None:
    red = reports["ngss"]  # govcheck: Red
    assert red.rating.conclusion == "Red"
    run = make_run(
        variant(red, name="sro rosier", ipa="Amber", sro="Green"),
        variant(red, name="sro darker", ipa="Green", sro="Red"),
        variant(red, name="no ipa", sro="Amber"),
        variant(red, name="no sro", ipa="Amber"),
    )
    rows = {r.name: r for r in summary(run).rows}
    rosier = rows["sro rosier"]
    assert (rosier.sro_above_ipa, rosier.sro_above_govcheck, rosier.optimism_gap) == (2, 4, 4)
    darker = rows["sro darker"]
    assert darker.sro_above_ipa == -4 and darker.sro_above_govcheck == 0 and darker.optimism_gap == 0
    # Without the IPA's rating the gap is measured against govcheck's alone.
    assert rows["no ipa"].sro_above_ipa is None and rows["no ipa"].optimism_gap == 2
    assert rows["no sro"].optimism_gap == 0 and rows["no sro"].sro is None
    assert summary(run).optimistic == 2


def test_movement_since_the_previous_release(reports: dict[str, Report]) -> None:
    history = (
        {
            "date": "2022-03-31",
            "whole_life_cost": 50.0,
            "planned_end_date": "2026-03-31",
            "ratings": [{"by": "IPA", "rating": "Green"}],
        },
        {
            "date": "2023-03-31",
            "whole_life_cost": 80.0,
            "planned_end_date": "2027-03-31",
            "ratings": [{"by": "IPA", "rating": "Amber"}, {"by": "SRO", "rating": "Green"}],
        },
    )
    moved = variant(
        reports["troubled"],
        name="moved",
        ipa="Red",
        sro="Amber",
        history=history,
        now={"whole_life_cost": 100.0, "planned_end_date": "2027-09-30"},
    )
    first = variant(reports["troubled"], name="first release", ipa="Amber")
    rows = {r.name: r for r in summary(make_run(moved, first)).rows}
    m = rows["moved"].movement
    assert m is not None
    assert m.since == "2023-03-31"  # the latest earlier release, not the first
    assert (m.rating_by, m.rating_before, m.rating_now, m.rating_steps, m.direction) == (
        "IPA",
        "Amber",
        "Red",
        2,
        "worse",
    )
    assert m.cost_growth == pytest.approx(0.25)
    assert m.slip_days == 183
    assert rows["first release"].movement is None


def test_movement_reads_the_current_release_from_history(reports: dict[str, Report]) -> None:
    """The history's entry at the assessment date is the current release, not the previous one;
    without it, only the rating can move."""
    base = reports["troubled"]
    today = RELEASE
    history = (
        {
            "date": "2000-03-31",
            "whole_life_cost": 40.0,
            "planned_end_date": "2010-01-01",
            "ratings": [{"by": "SRO", "rating": "Green"}],
        },
        {"date": today, "whole_life_cost": 50.0, "planned_end_date": "2010-01-11"},
    )
    moved = variant(base, name="moved", sro="Amber/Red", history=history)
    (r,) = summary(make_run(moved)).rows
    m = r.movement
    assert m is not None and m.since == "2000-03-31"
    assert (m.rating_by, m.rating_steps, m.direction) == ("SRO", 3, "worse")
    assert m.cost_growth == pytest.approx(0.25) and m.slip_days == 10
    assert r.ipa_before is None
    (bare,) = summary(make_run(variant(base, name="bare", sro="Red", history=history[:1]))).rows
    assert bare.movement is not None and bare.movement.direction == "worse"
    assert bare.movement.cost_growth is None and bare.movement.slip_days is None


def test_rows_are_sorted_worst_first(reports: dict[str, Report]) -> None:
    same = reports["troubled"]
    run = make_run(
        reports["healthy"],
        variant(same, name="b same findings"),
        reports["troubled"],
        reports["ngss"],
        variant(same, name="a same findings"),
    )
    # The two variants share a release's date that ngss's 2016 date is before, but ngss cites
    # no release at its own date: it is assessed on its own, and never left out as superseded.
    assert summary(run).earlier == ()
    rows = summary(run).rows
    assert [r.rating for r in rows] == ["Red"] * 4 + ["Green"]
    # Among the Reds: more findings at the most severe level first, then by name.
    counts = [tuple(r.counts.values()) for r in rows[:4]]
    assert counts == sorted(counts, reverse=True)
    ties = [r.name for r in rows if tuple(r.counts.values()) == tuple(row_of(same).counts.values())]
    assert ties == sorted(ties, key=str.casefold) and len(ties) == 3


def row_of(report: Report) -> Any:
    (r,) = summary(make_run(report)).rows
    return r


def test_agreement_only_over_programmes_with_an_ipa_rating(reports: dict[str, Report]) -> None:
    run = make_run(
        variant(reports["ngss"], name="a", ipa="Red"),
        variant(reports["troubled"], name="b", ipa="Amber"),
        variant(reports["healthy"], name="c", ipa="Green"),
        variant(reports["healthy"], name="d", sro="Green"),
    )
    data = summary(run)
    assert data.agreement is not None and data.agreement.n == 3 and data.agreement.exact == 2
    assert data.agreement.rho == pytest.approx(spearman([5, 5, 1], [5, 3, 1]))
    assert data.ipa_ratings == {"Red": 1, "Amber/Red": 0, "Amber": 1, "Amber/Green": 0, "Green": 1}
    assert summary(make_run(reports["ngss"])).agreement is None


def test_agreement_benchmark_against_its_baselines(reports: dict[str, Report]) -> None:
    import sys

    sys.path.insert(0, str(EXAMPLES.parent / "benchmarks"))
    from agreement import measures, table  # type: ignore[import-not-found]

    def before(rating: str) -> tuple[dict[str, Any], ...]:
        return ({"date": "2023-03-31", "ratings": [{"by": "IPA", "rating": rating}]},)

    run = make_run(
        variant(reports["ngss"], name="a", ipa="Red", history=before("Amber")),
        variant(reports["troubled"], name="b", ipa="Amber", history=before("Amber")),
        variant(reports["healthy"], name="c", ipa="Green", history=before("Green")),
        variant(reports["healthy"], name="d", ipa="Amber"),
        variant(reports["healthy"], name="e", sro="Amber"),
    )
    result = measures(summary(run).rows)
    assert list(result) == ["2024-03-31", "all"]
    m = result["all"]
    assert m["govcheck"]["n"] == 4
    assert m["govcheck"]["rho"] == pytest.approx(spearman([5, 5, 1, 1], [5, 3, 1, 3]))
    assert m["always_amber"] == {"n": 4, "rho": None, "exact_share": 0.5}
    assert m["same_as_last_release"]["n"] == 3
    assert m["same_as_last_release"]["rho"] == pytest.approx(spearman([3, 3, 1], [5, 3, 1]))
    assert m["same_as_last_release"]["exact_share"] == pytest.approx(2 / 3)
    assert m["govcheck_where_last_release_rated"]["n"] == 3
    assert "always Amber" in table(result) and "undefined" in table(result)


# --------------------------------------------------------------------------------------------
# Exports


def hostile_run(reports: dict[str, Report]) -> Run:
    return make_run(
        variant(reports["ngss"], name=HOSTILE, department=HOSTILE_DEPT, ipa="Amber", sro="Green"),
        variant(reports["healthy"], name="Plain", department="-2+3", ipa="Green"),
    )


def test_csv_columns_values_and_formula_guard(reports: dict[str, Report]) -> None:
    text = render("csv", hostile_run(reports))
    assert isinstance(text, str)
    lines = list(csv.reader(io.StringIO(text)))
    assert tuple(lines[0]) == HEADERS
    first = dict(zip(HEADERS, lines[1], strict=True))
    assert (
        first["name"] == "'" + HOSTILE and first["ipa_rating"] == "Amber" and first["sro_rating"] == "Green"
    )
    assert first["optimism_gap"] == "4" and first["rating"] == "Red"
    second = dict(zip(HEADERS, lines[2], strict=True))
    assert second["department"] == "'-2+3"
    assert not any(cell.startswith(("=", "+", "@")) for line in lines for cell in line)
    assert [c for line in lines for c in line if c.startswith("-")] == []


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_defuses_every_formula_start_and_keeps_rows_whole(reports: dict[str, Report], start: str) -> None:
    name = f"{start}cmd|' /C calc'!A0"
    run = make_run(variant(reports["ngss"], name=f"Safe name\r{name}", department=name, ipa="Amber"))
    text = render("csv", run)
    assert isinstance(text, str)
    # Read as a spreadsheet reads it: a carriage return inside a field must not start a new row.
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert len(rows) == 2
    row = dict(zip(HEADERS, rows[1], strict=True))
    assert row["department"] == "'" + name
    assert row["name"] == f"Safe name\r{name}"
    assert all(line.startswith('"') for line in text.replace("\r", "").splitlines())


def test_csv_keeps_negative_figures_numeric(reports: dict[str, Report]) -> None:
    history = ({"date": "2023-03-31", "whole_life_cost": 200.0, "planned_end_date": "2028-01-11"},)
    shrunk = variant(
        reports["ngss"],
        name="-shrunk",
        ipa="Amber",
        history=history,
        now={"whole_life_cost": 150.0, "planned_end_date": "2028-01-01"},
    )
    text = render("csv", make_run(shrunk))
    assert isinstance(text, str)
    row = dict(zip(HEADERS, list(csv.reader(io.StringIO(text)))[1], strict=True))
    assert row["cost_growth"] == "-0.25" and row["slip_days"] == "-10" and row["name"] == "'-shrunk"


def test_xlsx_is_text_never_formulas_and_reproducible(
    reports: dict[str, Report], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    run = hostile_run(reports)
    data = render("xlsx", run)
    assert isinstance(data, bytes) and data == render("xlsx", run)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheets = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/"))
        assert "<f>" not in sheets and "<f " not in sheets
        assert {i.date_time for i in z.infolist()} == {(2023, 11, 14, 22, 13, 20)}
        core = z.read("docProps/core.xml").decode()
        stamps = re.findall(r"<dcterms:(created|modified)[^>]*>([^<]*)<", core)
        assert stamps == [("created", "2023-11-14T22:13:20Z"), ("modified", "2023-11-14T22:13:20Z")]
    book = load_workbook(io.BytesIO(data))
    programmes = book["Programmes"]
    header = [c.value for c in programmes[1]]
    assert tuple(header) == HEADERS
    row = {h: c for h, c in zip(header, programmes[2], strict=True)}
    assert row["name"].value == "'" + HOSTILE and row["name"].data_type == "s"
    assert row["department"].value == HOSTILE_DEPT
    assert row["evidence_gaps"].value == len(reports["ngss"].gaps) > 0
    assert row["high"].value == reports["ngss"].by_severity()["high"] > 0 and row["high"].data_type == "n"
    about = {r[0].value: r[1].value for r in book["Agreement"].iter_rows() if r[0].value}
    assert about["generated"] == "2023-11-14 22:13 UTC"
    assert about["programmes with an IPA rating"] == 2


def test_xlsx_needs_a_path_and_works_from_the_command_line(tmp_path: Path) -> None:
    for name in ("ngss", "healthy"):
        shutil.copy(EXAMPLES / f"{name}.yaml", tmp_path / f"{name}.yaml")
    out = tmp_path / "p.xlsx"
    result = run_cli("portfolio", ".", "-f", f"xlsx={out}", "-f", "csv", cwd=tmp_path)
    assert result.returncode == 1, result.stderr  # ngss has high findings
    assert load_workbook(out)["Programmes"]["C2"].value == "Next Generation Shared Services"
    assert result.stdout.splitlines()[0].startswith('"source","id","name"')
    binary = run_cli("portfolio", ".", "-f", "xlsx", cwd=tmp_path)
    assert binary.returncode == 2 and binary.stdout == ""
    assert binary.stderr.strip().count("\n") == 0 and "give it a path" in binary.stderr


def test_portfolio_json_carries_references_and_agreement(reports: dict[str, Report]) -> None:
    document = json.loads(render("portfolio-json", hostile_run(reports)))  # type: ignore[arg-type]
    first = document["programmes"][0]
    assert first["ipa"]["rating"] == "Amber" and first["optimism_gap"] == 4
    assert document["agreement_with_ipa"]["n"] == 2


def test_terminal_summary_shows_references(reports: dict[str, Report]) -> None:
    text = render("portfolio", hostile_run(reports))
    assert isinstance(text, str)
    assert "IPA" in text and "SRO" in text and "Agreement with the IPA" in text
    assert "Optimism gaps" in text


def test_terminal_summary_shows_movement(reports: dict[str, Report]) -> None:
    history = (
        {
            "date": "2023-03-31",
            "whole_life_cost": 80.0,
            "planned_end_date": "2027-01-01",
            "ratings": [{"by": "IPA", "rating": "Green"}],
        },
    )
    moved = variant(
        reports["ngss"],
        name="Moved",
        ipa="Amber",
        history=history,
        now={"whole_life_cost": 100.0, "planned_end_date": "2027-06-01"},
    )
    text = render("portfolio", make_run(moved, variant(reports["healthy"], name="New", ipa="Green")))
    assert isinstance(text, str)
    assert re.search(r"Moved .* worse \+25% \+151d ", text)
    assert re.search(r"New .* first release ", text)


# --------------------------------------------------------------------------------------------
# The dashboard


def script_of(html: str) -> str:
    (script,) = re.findall(r"<script>(.*?)</script>", html, flags=re.S)
    return script


def test_dashboard_escapes_and_allows_only_its_own_script(reports: dict[str, Report]) -> None:
    html = render("html-portfolio", hostile_run(reports))
    assert isinstance(html, str)
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img" not in html and "&#34;&gt;&lt;img src=x onerror=alert(2)&gt;" in html
    assert html.lower().count("<script") == 1
    script = script_of(html)
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', html)
    assert csp is not None
    assert unescape(csp.group(1)) == (
        f"default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'sha256-{digest}'"
    )
    for forbidden in ("<link", "@import", "url(", "http://", "https://", 'src="'):
        assert forbidden not in html.replace(str(escape(HOSTILE)), ""), forbidden


def test_dashboard_filters_sorting_and_agreement(reports: dict[str, Report]) -> None:
    run = make_run(
        variant(reports["ngss"], name="A", department="Cabinet Office", ipa="Red", sro="Amber"),
        variant(reports["troubled"], name="B", department="Ministry of Justice", ipa="Amber", sro="Green"),
        variant(reports["healthy"], name="C", department="Environment Agency", ipa="Green", sro="Green"),
    )
    html = render("html-portfolio", run)
    assert isinstance(html, str)
    for name in ("department", "rating", "category"):
        assert f'<select name="{name}">' in html
    for dept in ("Cabinet Office", "Ministry of Justice", "Environment Agency"):
        assert f"<option>{dept}</option>" in html and f'data-department="{dept}"' in html
    assert '<option value="business_case">Business case</option>' in html
    rows = re.findall(
        r'<tr data-key="\d+" data-order="\d+" data-department="[^"]*" data-rating="([^"]*)"', html
    )
    assert rows == ["Red", "Red", "Green"]
    # One button per column: programme, department, as at, govcheck; IPA, SRO, optimism gap;
    # value for money; five severities; evidence gaps.
    assert html.count("data-sort disabled") == 4 + 3 + 1 + 5 + 1
    # Agreement: rho and the confusion table.
    rho = summary(run).agreement.rho  # type: ignore[union-attr]
    assert f'<strong id="rho">{rho:.2f}</strong>' in html
    assert 'id="confusion"' in html and "govcheck \\ IPA" in html
    # Each programme's findings are collapsed into its row; no full report is embedded.
    assert html.count("<details>") == 3 and "Conclusion on value for money" not in html
    gaps = reports["ngss"].gaps
    assert gaps and all(str(escape(g.title)) in html for g in gaps)


def test_dashboard_generated_time_is_its_only_varying_part(
    reports: dict[str, Report], monkeypatch: pytest.MonkeyPatch
) -> None:
    run = make_run(reports["ngss"], reports["healthy"])
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    fixed = render("html-portfolio", run)
    assert fixed == render("html-portfolio", run)
    assert "2023-11-14 22:13 UTC" in fixed and 'datetime="2023-11-14T22:13:20+00:00"' in fixed
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    now = render("html-portfolio", run)
    assert isinstance(now, str) and isinstance(fixed, str)
    strip = re.compile(r'datetime="[^"]*"|\d{4}-\d\d-\d\d \d\d:\d\d UTC')
    assert strip.sub("", now) == strip.sub("", fixed)


def test_dashboard_stays_small_for_250_programmes(reports: dict[str, Report]) -> None:
    base = reports["ngss"]  # 22 active findings: a heavy programme
    run = make_run(
        *(
            variant(
                base,
                name=f"Programme {i:03d} " + "with a long descriptive name " * 2,
                department=f"Department {i % 17}",
                ipa=("Red", "Amber", "Green")[i % 3],
                sro="Green",
            )
            for i in range(250)
        )
    )
    html = render("html-portfolio", run)
    assert isinstance(html, str)
    assert len(html.encode()) < 2_000_000, len(html.encode())
    assert html.count("<details>") == 250


# --------------------------------------------------------------------------------------------
# In a real browser: the page's own script runs under its CSP, filters and sorts; no two chart
# labels overlap. A probe, allowed by its own hash, reads the rendered page and reports.

PROBE = """
(function () {
  var out = {errors: [], overlaps: []};
  document.querySelectorAll("svg").forEach(function (svg, s) {
    var boxes = Array.prototype.map.call(svg.querySelectorAll("text"), function (t) {
      var b = t.getBBox();
      return {x0: b.x, y0: b.y, x1: b.x + b.width, y1: b.y + b.height, text: t.textContent};
    });
    for (var i = 0; i < boxes.length; i++) {
      for (var j = i + 1; j < boxes.length; j++) {
        var a = boxes[i], b = boxes[j];
        if (a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1) {
          out.overlaps.push([s, a.text, b.text]);
        }
      }
    }
  });
  var form = document.getElementById("filters");
  var rows = function () {
    var body = document.getElementById("programme-table").tBodies[0];
    return Array.prototype.slice.call(body.querySelectorAll(":scope > tr:not(.detail)"));
  };
  var visible = function () { return rows().filter(function (r) { return !r.hidden; }); };
  out.formShown = !form.hidden;
  out.total = rows().length;
  form.elements.department.value = "Department 1";
  form.dispatchEvent(new Event("change"));
  out.byDepartment = visible().map(function (r) { return r.dataset.department; });
  out.heatShown = document.querySelectorAll("tr[data-heat]:not([hidden])").length;
  out.shown = document.getElementById("shown").textContent;
  form.elements.department.value = "";
  form.elements.rating.value = "Green";
  form.dispatchEvent(new Event("change"));
  out.byRating = visible().map(function (r) { return r.dataset.rating; });
  form.elements.rating.value = "";
  form.elements.category.value = "governance";
  form.dispatchEvent(new Event("change"));
  out.byCategory = visible().map(function (r) { return r.dataset.categories; });
  form.elements.category.value = "";
  form.dispatchEvent(new Event("change"));
  var buttons = document.querySelectorAll("#programme-table th button");
  var byLabel = {};
  buttons.forEach(function (b) { byLabel[b.textContent] = b; });
  byLabel["Programme"].click();
  out.sortedByName = visible().map(function (r) { return r.querySelector("summary").textContent; });
  byLabel["Programme"].click();
  out.sortedByNameDown = visible().map(function (r) { return r.querySelector("summary").textContent; });
  document.body.setAttribute("data-probe", JSON.stringify(out));
})();
"""




def test_dashboard_in_chromium(
    reports: dict[str, Report], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from test_html import chromium, png_size, run_chromium

    browser = chromium()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    ratings = ("Red", "Amber", "Green")
    bases = ("ngss", "troubled", "healthy")
    run = make_run(
        *(
            variant(
                reports[bases[i % 3]],
                name=f"Programme {i:02d} " + "of a long descriptive name " * (i % 3),
                department=f"Department {i % 4}",
                ipa=ratings[(i + 1) % 3],
                sro="Green",
            )
            for i in range(30)
        )
    )
    html = render("html-portfolio", run)
    assert isinstance(html, str)
    page = tmp_path / "dashboard.html"
    page.write_text(html, encoding="utf-8")
    shot = tmp_path / "dashboard.png"
    run_chromium(browser, tmp_path, page, f"--screenshot={shot}", "--window-size=1280,2400")
    assert png_size(shot) == (1280, 2400)
    assert shot.stat().st_size > 50_000, "the screenshot is (nearly) blank"

    probed = tmp_path / "probed.html"
    probed.write_text(with_script(html, PROBE), encoding="utf-8")
    dom = run_chromium(browser, tmp_path, probed, "--dump-dom").stdout
    found = re.search(r'data-probe="([^"]*)"', dom)
    assert found, "the probe did not run"
    out = json.loads(unescape(found.group(1)))
    assert out["overlaps"] == []
    assert out["formShown"] and out["total"] == 30
    assert out["byDepartment"] == ["Department 1"] * 8 and out["heatShown"] == 8 and out["shown"] == "8 of 30"
    data = summary(run)
    assert out["byRating"] == ["Green"] * data.ratings["Green"] and data.ratings["Green"] == 10
    governance = [r for r in data.rows if "governance" in r.categories]
    assert governance and len(out["byCategory"]) == len(governance)
    assert all("governance" in c.split() for c in out["byCategory"])
    names = [r.name for r in data.rows]
    assert out["sortedByName"] == sorted(names, key=str.lower)
    assert out["sortedByNameDown"] == sorted(names, key=str.lower, reverse=True)


def test_portfolio_command_reads_reference_ratings_and_history(tmp_path: Path) -> None:
    """Through the command line, from programme files in the v2 format."""
    text = (EXAMPLES / "troubled.yaml").read_text(encoding="utf-8").replace("\nhistory: []\n", "\n")
    text += (
        "\nreference_ratings:\n"
        "  - {by: IPA, rating: Amber, date: 2025-11-14}\n"
        "  - {by: SRO, rating: Green, date: 2025-11-14}\n"
        "history:\n"
        "  - date: 2024-11-14\n"
        "    whole_life_cost: {amount: 40000000, currency: GBP}\n"
        "    planned_end_date: 2026-06-30\n"
        "    ratings: [{by: IPA, rating: Amber/Green}]\n"
        "  - date: 2025-11-14\n"
        "    whole_life_cost: {amount: 50000000, currency: GBP}\n"
        "    planned_end_date: 2027-06-30\n"
    )
    (tmp_path / "troubled.yaml").write_text(text, encoding="utf-8")
    shutil.copy(EXAMPLES / "healthy.yaml", tmp_path / "healthy.yaml")
    out = tmp_path / "p.csv"
    page = tmp_path / "p.html"
    result = run_cli(
        "portfolio", ".", "-f", f"csv={out}", "-f", f"html-portfolio={page}", "-f", "portfolio", cwd=tmp_path
    )
    assert result.returncode == 1, result.stderr  # troubled has high findings
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert [r["source"] for r in rows] == ["troubled.yaml", "healthy.yaml"]
    troubled = rows[0]
    assert (troubled["ipa_rating"], troubled["sro_rating"], troubled["optimism_gap"]) == (
        "Amber",
        "Green",
        "4",
    )
    assert (troubled["previous_release"], troubled["rating_before"], troubled["rating_movement"]) == (
        "2024-11-14",
        "Amber/Green",
        "worse",
    )
    assert (troubled["cost_growth"], troubled["slip_days"]) == ("0.25", "365")
    assert rows[1]["ipa_rating"] == "" and rows[1]["previous_release"] == ""
    assert "Agreement with the IPA (1 programme" in result.stdout
    html = page.read_text(encoding="utf-8")
    assert "▼ worse" in html and "+25%" in html and "+365" in html


# --------------------------------------------------------------------------------------------
# As at a release: the latest by default, every release on request


def at(base: Report, name: str, as_at: str, **kwargs: Any) -> Report:
    """variant(), as at another date (its reference ratings dated there too)."""
    r = variant(base, name=name, **kwargs)
    refs = tuple(x.model_copy(update={"date": as_at}) for x in r.programme.reference_ratings)
    sources = tuple(c.model_copy(update={"date": as_at}) for c in r.programme.sources)
    programme = r.programme.model_copy(
        update={"assessment_date": as_at, "reference_ratings": refs, "sources": sources}
    )
    return r.model_copy(update={"programme": programme})


def test_a_hand_written_portfolio_loses_nothing(reports: dict[str, Report]) -> None:
    """Programmes that do not cite a release at their as-at date are never left out as superseded,
    even when two share a date and another is older."""
    plain = [r.model_copy(update={"programme": r.programme.model_copy(update={"sources": ()})}) for r in (
        at(reports["troubled"], "a", "2025-06-30"), at(reports["healthy"], "b", "2025-06-30"),
        at(reports["ngss"], "c", "2016-05-20"))]
    data = summary(make_run(*plain))
    assert data.as_at is None and len(data.rows) == 3 and data.left_out == ()


def test_latest_release_by_default_and_what_is_left_out(reports: dict[str, Report]) -> None:
    run = make_run(
        variant(reports["ngss"], name="now a", ipa="Red"),
        variant(reports["healthy"], name="now b", ipa="Green"),
        at(reports["troubled"], "old a", "2016-09-30", ipa="Amber"),
        at(reports["troubled"], "old b", "2016-09-30"),
        at(reports["healthy"], "older", "2013-09-30"),
        at(reports["healthy"], "newer, alone", "2025-01-01"),
    )
    data = summary(run)
    assert data.as_at == RELEASE and not data.all_releases
    assert sorted(r.name for r in data.rows) == ["newer, alone", "now a", "now b"]
    assert data.left_out == (("2016-09-30", 2), ("2013-09-30", 1))
    assert data.agreement is not None and data.agreement.n == 2  # over the programmes shown
    everything = summary(run, all_releases=True)
    assert len(everything.rows) == 6 and everything.earlier == () and everything.left_out == ()
    # Every format says so.
    text = render("portfolio", run)
    assert isinstance(text, str)
    text = re.sub(r"\[/?bold\]|\[/\]", "", text)
    assert text.startswith(f"As at: {RELEASE} (the latest release)\n")
    assert "Left out: 3 programmes last seen in an earlier release (2016-09-30: 2, 2013-09-30: 1)" in text
    document = json.loads(render("portfolio-json", run))  # type: ignore[arg-type]
    assert document["as_at"] == RELEASE and document["left_out"][0] == {
        "as_at": "2016-09-30",
        "programmes": 2,
    }
    lines = list(csv.DictReader(io.StringIO(render("csv", run))))  # type: ignore[arg-type]
    assert len(lines) == 3 and {r["as_at"] for r in lines} == {RELEASE, "2025-01-01"}
    html = render("html-portfolio", run)
    assert isinstance(html, str)
    assert "<strong>3 programmes left out</strong>" in html
    # The dashboard holds the left-out rows too, hidden, for its as-at filter.
    assert html.count('data-current="0" hidden') == 3 and html.count('data-current="1"') == 3
    assert '<option value="current" selected>Latest release (2024-03-31), 3</option>' in html


def test_all_releases_from_the_command_line(tmp_path: Path) -> None:
    for name, date in (("ngss", "2016-09-30"), ("healthy", "2026-12-31"), ("troubled", "2026-12-31")):
        text = (EXAMPLES / f"{name}.yaml").read_text(encoding="utf-8")
        text = re.sub(r"(?m)^assessment_date: .*$", f"assessment_date: {date}", text)
        text = re.sub(r"(?m)^sources:(.|\n)*?(?=^\S)", "", text)  # each cites its release instead
        text += f"\nsources:\n  - {{title: GMPP data, publisher: IPA, date: {date}}}\n"
        (tmp_path / f"{name}.yaml").write_text(text, encoding="utf-8")
    default = run_cli("portfolio", ".", "-f", "csv", cwd=tmp_path)
    assert default.returncode == 1, default.stderr
    assert sorted(r["id"] for r in csv.DictReader(io.StringIO(default.stdout))) == ["acms", "fwsm"]
    every = run_cli("portfolio", ".", "--all-releases", "-f", "csv", cwd=tmp_path)
    assert sorted(r["id"] for r in csv.DictReader(io.StringIO(every.stdout))) == ["acms", "fwsm", "ngss"]
    terminal = run_cli("portfolio", ".", cwd=tmp_path)
    assert "Left out: 1 programme last seen in an earlier release (2016-09-30: 1)" in terminal.stdout


def test_change_since_the_first_release_is_what_the_findings_measure(reports: dict[str, Report]) -> None:
    history = (
        {"date": "2021-03-31", "ratings": [{"by": "IPA", "rating": "Green"}]},  # no cost, no end yet
        {"date": "2022-03-31", "whole_life_cost": 80.0, "planned_end_date": "2026-03-31"},
        {"date": "2023-03-31", "whole_life_cost": 100.0, "planned_end_date": "2027-03-31"},
    )
    moved = variant(
        reports["troubled"],
        name="moved",
        ipa="Red",
        history=history,
        now={"whole_life_cost": 120.0, "planned_end_date": "2027-09-30"},
    )
    (r,) = summary(make_run(moved)).rows
    assert r.as_at == RELEASE
    assert r.movement is not None and r.first is not None
    assert r.movement.cost_growth == pytest.approx(0.2) and r.movement.slip_days == 183
    # Since the first release that gives each figure, as the GMPP importer sets the baseline.
    assert r.first.since == "2021-03-31" and r.first.cost_before == 80.0
    assert r.first.cost_growth == pytest.approx(0.5) and r.first.slip_days == 548
    assert (r.first.rating_before, r.first.direction) == ("Green", "worse")
    row = dict(zip(HEADERS, list(csv.reader(io.StringIO(render("csv", make_run(moved)))))[1], strict=True))  # type: ignore[arg-type]
    assert (row["first_release"], row["cost_growth_since_first"], row["slip_days_since_first"]) == (
        "2021-03-31",
        "0.5",
        "548",
    )
    assert (row["cost_growth"], row["slip_days"]) == ("0.2", "183")
    html = render("html-portfolio", make_run(moved))
    assert isinstance(html, str)
    for header in ("since first release", "since last release", "days, since first release"):
        assert f'<span class="span-note">{header}</span>' in html
    assert ">+50%</td>" in html and ">+548</td>" in html and ">+20%</td>" in html


def test_baseline_same_rating_as_the_last_release(reports: dict[str, Report]) -> None:
    def before(rating: str) -> tuple[dict[str, Any], ...]:
        return ({"date": "2023-03-31", "ratings": [{"by": "IPA", "rating": rating}]},)

    run = make_run(
        variant(reports["ngss"], name="a", ipa="Red", history=before("Red")),
        variant(reports["troubled"], name="b", ipa="Amber", history=before("Amber")),
        variant(reports["healthy"], name="c", ipa="Green", history=before("Green")),
        variant(reports["healthy"], name="d", ipa="Amber"),
    )
    data = summary(run)
    b, g = data.baseline, data.agreement_on_baseline_rows
    assert b is not None and g is not None and b.n == g.n == 3  # d has no previous rating
    assert b.rho == pytest.approx(1.0) and b.exact == 3
    assert g.rho == pytest.approx(spearman([5, 5, 1], [5, 3, 1])) and g.exact == 2
    html = render("html-portfolio", run)
    assert isinstance(html, str)
    assert f'id="rho-baseline">{b.rho:.2f}<' in html and f'id="rho-govcheck-same-rows">{g.rho:.2f}<' in html
    text = unescape(html)
    assert "Spearman's rho: the baseline's is higher. Same rating: the baseline's is higher." in text
    assert "govcheck agrees with the IPA less than simply repeating the IPA's last rating does." in text
    document = json.loads(render("portfolio-json", run))  # type: ignore[arg-type]
    assert document["baseline_same_as_last_release"]["n"] == 3


def test_one_department_entry_per_department(reports: dict[str, Report]) -> None:
    run = make_run(
        variant(reports["ngss"], name="a", department="MoD"),
        variant(reports["ngss"], name="b", department="MoD"),
        variant(reports["ngss"], name="c", department="MOD"),
        variant(reports["ngss"], name="d", department="DfT"),
    )
    data = summary(run)
    assert data.departments == ("DfT", "MoD")
    html = render("html-portfolio", run)
    assert isinstance(html, str)
    assert html.count("<option>MoD</option>") == 1 and "<option>MOD</option>" not in html
    assert html.count('data-department="MoD"') == 3


def test_expanded_row_gives_reasons_history_and_why_it_disagrees(reports: dict[str, Report]) -> None:
    history = (
        {
            "date": "2022-03-31",
            "whole_life_cost": 50.0,
            "planned_end_date": "2026-03-31",
            "ratings": [{"by": "IPA", "rating": "Green"}, {"by": "SRO", "rating": "Green"}],
        },
        {
            "date": "2023-03-31",
            "whole_life_cost": 80.0,
            "planned_end_date": "2027-03-31",
            "ratings": [{"by": "IPA", "rating": "Amber"}],
        },
    )
    red = reports["ngss"]
    run = make_run(
        variant(
            red,
            name="disagrees",
            ipa="Green",
            sro="Green",
            history=history,
            now={"whole_life_cost": 100.0, "planned_end_date": "2027-09-30"},
        ),
        variant(red, name="agrees", ipa="Red"),
    )
    html = render("html-portfolio", run)
    assert isinstance(html, str)
    templates = re.findall(r"<template>(.*?)</template>", html, flags=re.S)
    assert len(templates) == 2
    (first,) = (unescape(t) for t in templates if "disagrees.yaml" in t)
    (second,) = (unescape(t) for t in templates if "agrees.yaml" in t and "disagrees.yaml" not in t)
    assert "Why govcheck disagrees with the IPA." in first and "Why govcheck disagrees" not in second
    assert "the IPA rated it Green as at 2024-03-31" in first
    from govcheck.explain import reasons

    for line in reasons(red, red.rating):
        assert line in first
    assert f"Basis: {red.rating.strength}, {red.rating.rests_on}" in first
    assert f"Basis: {red.value_for_money.strength}, {red.value_for_money.rests_on}" in first
    for f in (f for f in red.findings if f.active):
        assert f.message in first
    # The ratings across releases, drawn and tabulated, with cost and end date.
    assert first.count('<svg class="trend"') == 1 and '<svg class="trend"' not in second
    assert re.search(r'<svg class="trend"[^>]*role="img"[^>]*><title', first)
    for cells in (("2022-03-31", "Green", "Green", "£0.0m"), ("2024-03-31 (now)", "Green", "Green")):
        assert all(c in first for c in cells)
    assert "2027-09-30" in first and "2026-03-31" in first
