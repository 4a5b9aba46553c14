"""The early-warning figures, measured apart and shown by the portfolio (--measures FILE): the
dashboard's panel, the sentence computed from the figures, the JSON and the workbook, and a bad
or missing file, all through the command line."""

from __future__ import annotations

import copy
import json
import re
import shutil
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLES, run_cli
from openpyxl import load_workbook

from govcheck import __version__
from govcheck.measures import COMMAND, EarlyWarning, auroc_se, verdict

HOSTILE = '<script>alert("ew")</script>'


def predictors(gc: tuple[float, float], ipa: tuple[float, float], amber: tuple[float, float]) -> list[Any]:
    return [
        {"name": "govcheck rating", "role": "govcheck", "auroc": gc[0], "precision_at_20": gc[1]},
        {"name": "govcheck rating + findings", "role": "govcheck", "auroc": gc[0], "precision_at_20": gc[1]},
        {"name": "IPA rating at t", "role": "baseline", "auroc": ipa[0], "precision_at_20": ipa[1]},
        {"name": "always Amber", "role": "baseline", "auroc": amber[0], "precision_at_20": amber[1]},
    ]


#: The figures the README publishes: govcheck no better than chance on the development releases,
#: and below the IPA's current rating on the held-out ones.
BEHIND: dict[str, Any] = {
    "govcheck_early_warning": 1,
    "govcheck_version": __version__,
    "outcome": "the IPA rates the project Red at release t+1, or worse than at release t",
    "population": "the projects of each release t that the IPA rated at release t+1",
    "releases": [
        {"name": "uk_2014.csv", "date": "2013-09-30", "held_out": False},
        {"name": "uk_2015.csv", "date": "2014-09-30", "held_out": False},
        {"name": "gmpp_2022_23.csv", "date": "2023-03-31", "held_out": True},
    ],
    "development": {
        "pairs": ["uk_2014.csv -> uk_2015.csv"],
        "n": 346,
        "positives": 61,
        "predictors": predictors((0.45, 0.15), (0.32, 0.11), (0.5, 0.19)),
    },
    "held_out": {
        "pairs": ["uk_2015.csv -> gmpp_2022_23.csv"],
        "n": 194,
        "positives": 40,
        "predictors": predictors((0.56, 0.30), (0.61, 0.44), (0.5, 0.21)),
    },
}


def ahead() -> dict[str, Any]:
    """Figures in which govcheck beats both baselines on both measures, clearly above chance."""
    doc = copy.deepcopy(BEHIND)
    doc["development"]["predictors"] = predictors((0.74, 0.55), (0.60, 0.35), (0.5, 0.18))
    doc["held_out"] = None
    return doc


@pytest.fixture(scope="module")
def portfolio(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two programmes with the IPA's rating, so the dashboard has its agreement with the IPA."""
    where = tmp_path_factory.mktemp("portfolio")
    for name, rating in (("ngss", "Red"), ("healthy", "Green")):
        text = (EXAMPLES / f"{name}.yaml").read_text(encoding="utf-8")
        text += f"\nreference_ratings:\n  - {{by: IPA, rating: {rating}, date: 2025-03-31}}\n"
        (where / f"{name}.yaml").write_text(text, encoding="utf-8")
    return where


def dashboard(where: Path, document: dict[str, Any] | None, *extra: str) -> str:
    """The dashboard made with `document` as the measures file (or none)."""
    args = ["portfolio", "programmes", "-f", "html-portfolio=d.html", *extra]
    if document is not None:
        (where / "m.json").write_text(json.dumps(document), encoding="utf-8")
        args += ["--measures", "m.json"]
    result = run_cli(*args, cwd=where)
    assert result.returncode == 1, result.stderr  # ngss has high findings
    assert result.stderr == ""
    return (where / "d.html").read_text(encoding="utf-8")


def text_of(html: str) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def panel(html: str) -> str:
    found = re.search(r'<section aria-labelledby="early-warning".*?</section>', html, flags=re.S)
    assert found, "no early-warning panel"
    return found.group(0)


def verdicts(html: str) -> list[str]:
    found = re.findall(r'<p class="verdict" data-early-warning-verdict>(.*?)</p>', html)
    return [text_of(v) for v in found]


@pytest.fixture()
def where(portfolio: Path, tmp_path: Path) -> Path:
    shutil.copytree(portfolio, tmp_path / "programmes")
    return tmp_path


def test_panel_gives_the_figures_beside_the_agreement(where: Path) -> None:
    html = dashboard(where, BEHIND)
    ew = panel(html)
    # Beside the rank agreement: the section right after it.
    assert html.index('id="agreement"') < html.index('id="early-warning"') < html.index('id="charts"')
    table = text_of(re.search(r'<table class="data early-warning-table".*?</table>', ew, flags=re.S).group(0))  # type: ignore[union-attr]
    assert "Development releases: n 346, 61 in trouble, 1 release pair" in table
    assert "Held-out releases: n 194, 40 in trouble, 1 release pair" in table
    assert "govcheck rating 0.45 15% 0.56 30%" in table
    assert "IPA rating at t (baseline) 0.32 11% 0.61 44%" in table
    assert "always Amber (baseline) 0.50 19% 0.50 21%" in table
    note = text_of(ew)
    assert (
        "uk_2014.csv (as at 2013-09-30); uk_2015.csv (as at 2014-09-30); "
        "gmpp_2022_23.csv (as at 2023-03-31, held out)"
    ) in note
    assert f"Measured with govcheck {__version__}." in note and "m.json" in note
    assert "not supplied" not in note


def test_sentence_when_govcheck_does_not_beat_the_baselines(where: Path) -> None:
    html = dashboard(where, BEHIND)
    development, held_out = verdicts(html)
    assert development.startswith(
        "On the development releases (346 projects, 61 in trouble) govcheck rating is no better than "
        "chance as an early warning (AUROC 0.45; 0.5 is chance): above IPA rating at t (0.32), below "
        "always Amber (0.50)."
    )
    assert (
        "Among the 20 it flags first, 15% are in trouble: above IPA rating at t (11%), "
        "below always Amber (19%)."
    ) in development
    assert development.endswith(
        "It does not beat the baselines: always Amber does as well or better on AUROC and "
        "precision among the top 20."
    )
    margin = 2 * auroc_se(0.56, 40, 154)
    assert (
        "govcheck rating is not clearly better than chance as an early warning "
        f"(AUROC 0.56; 0.5 is chance; two standard errors: ±{margin:.2f})"
    ) in held_out
    assert "below IPA rating at t (0.61), above always Amber (0.50)" in held_out
    assert "It does not beat the baselines: IPA rating at t does as well or better" in held_out


def test_sentence_when_govcheck_beats_the_baselines(where: Path) -> None:
    html = dashboard(where, ahead())
    (development,) = verdicts(html)
    margin = 2 * auroc_se(0.74, 61, 346 - 61)
    assert 0.74 - 0.5 > margin
    assert (
        "govcheck rating is better than chance as an early warning "
        f"(AUROC 0.74; 0.5 is chance; two standard errors: ±{margin:.2f}): "
        "above IPA rating at t (0.60), above always Amber (0.50)."
    ) in development
    assert development.endswith("It beats every baseline on both measures.")
    assert "does not beat" not in development and "no better than chance" not in development
    assert "Held-out releases" not in panel(html)  # none were measured: none is shown


def test_sentence_follows_the_figures_not_the_wording() -> None:
    """Level figures, as shown, are not beaten; the sentence is computed, not looked up."""
    doc = copy.deepcopy(BEHIND)
    doc["development"]["predictors"] = predictors((0.604, 0.2), (0.601, 0.2), (0.5, 0.1))
    text = verdict(EarlyWarning.model_validate_json(json.dumps(doc)))[0]
    assert "level with IPA rating at t (0.60)" in text and "level with IPA rating at t (20%)" in text
    assert text.endswith("IPA rating at t does as well or better on AUROC and precision among the top 20.")


def test_without_measures_the_panel_says_so_and_how_to_make_them(where: Path) -> None:
    html = dashboard(where, None, "-f", "portfolio-json=p.json", "-f", "xlsx=p.xlsx")
    ew = panel(html)
    assert "The early-warning measure was not supplied, so no figures are shown." in text_of(ew)
    assert f"<code>{COMMAND}</code>" in ew and "--measures measures.json" in ew
    assert "<table" not in ew and "%" not in text_of(ew)
    assert json.loads((where / "p.json").read_text(encoding="utf-8"))["early_warning"] is None
    sheet = {r[0]: r[1] for r in load_workbook(where / "p.xlsx")["Early warning"].iter_rows(values_only=True)}
    assert sheet["early warning"] == "not supplied" and COMMAND in sheet["note"]


def test_json_and_workbook_carry_the_same_figures(where: Path) -> None:
    dashboard(where, BEHIND, "-f", "portfolio-json=p.json", "-f", "xlsx=p.xlsx")
    document = json.loads((where / "p.json").read_text(encoding="utf-8"))["early_warning"]
    assert document["source"] == "m.json" and document["figures"] == BEHIND
    assert document["verdict"] == verdict(EarlyWarning.model_validate_json(json.dumps(BEHIND)))
    rows = list(load_workbook(where / "p.xlsx")["Early warning"].iter_rows(values_only=True))
    assert ("early warning", "m.json") == rows[0][:2]
    assert [r[1] for r in rows if r[0] == "verdict"] == document["verdict"]
    releases = [r[:3] for r in rows if r[0] and str(r[0]).endswith(".csv")]
    assert releases == [(x["name"], x["date"], "yes" if x["held_out"] else "no") for x in BEHIND["releases"]]
    figures = [r[:7] for r in rows if r[0] in ("development", "held_out")]
    assert ("development", "govcheck rating", "govcheck", 0.45, 0.15, 346, 61) in figures
    assert ("held_out", "IPA rating at t", "baseline", 0.61, 0.44, 194, 40) in figures
    assert len(figures) == 8


def test_terminal_gives_the_sentences(where: Path) -> None:
    (where / "m.json").write_text(json.dumps(BEHIND), encoding="utf-8")
    result = run_cli("portfolio", "programmes", "--measures", "m.json", cwd=where)
    assert result.returncode == 1, result.stderr
    assert "Early warning: On the development releases (346 projects, 61 in trouble)" in result.stdout
    plain = run_cli("portfolio", "programmes", cwd=where)
    assert "Early warning" not in plain.stdout


def test_text_from_the_file_is_escaped(where: Path) -> None:
    doc = copy.deepcopy(BEHIND)
    doc["outcome"] = HOSTILE
    doc["releases"][0]["name"] = HOSTILE
    doc["development"]["predictors"][2]["name"] = HOSTILE
    html = dashboard(where, doc)
    ew = panel(html)
    assert "<script" not in ew
    # The outcome, the release, the table's row and the sentence that names the baseline.
    assert ew.count("&lt;script&gt;alert(&#34;ew&#34;)&lt;/script&gt;") >= 4
    assert html.lower().count("<script") == 1  # the dashboard's own


def test_an_older_measurement_says_which_version_measured_it(where: Path) -> None:
    doc = copy.deepcopy(BEHIND)
    doc["govcheck_version"] = "0.0.1"
    html = dashboard(where, doc)
    assert "Measured with govcheck 0.0.1; this page was made with govcheck" in text_of(panel(html))


# --------------------------------------------------------------------------------------------
# A bad or missing measures file: one line naming the file and the field, exit 2


def _broken(change: Any) -> dict[str, Any]:
    doc = copy.deepcopy(BEHIND)
    change(doc)
    return doc


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "govcheck: missing.json: measures file not found"),
        ("{not json", "govcheck: m.json: not valid JSON: "),
        ("[]", "govcheck: m.json: "),
        (
            _broken(lambda d: d["development"]["predictors"][0].update(auroc=1.5)),
            "govcheck: m.json: development.predictors[0].auroc: input should be less than or equal to 1",
        ),
        (
            _broken(lambda d: d["held_out"]["predictors"][1].update(auroc="0.5")),
            "govcheck: m.json: held_out.predictors[1].auroc: ",
        ),
        (
            _broken(lambda d: d.pop("releases")),
            "govcheck: m.json: releases: required field is missing",
        ),
        (
            _broken(lambda d: d["development"].update(positives=400)),
            "govcheck: m.json: development: positives (400) cannot exceed n (346)",
        ),
        (
            _broken(lambda d: d.update(govcheck_early_warning=2)),
            "govcheck: m.json: govcheck_early_warning: not a govcheck early-warning file of version 1",
        ),
        (
            _broken(lambda d: d["releases"][0].update(date="31/03/2023")),
            "govcheck: m.json: releases[0].date: ",
        ),
        (
            _broken(lambda d: d.update(extra=1)),
            "govcheck: m.json: extra: unknown field",
        ),
        (
            _broken(lambda d: [p.update(role="baseline") for p in d["development"]["predictors"]]),
            "govcheck: m.json: development: no predictor has role 'govcheck'",
        ),
    ],
)
def test_bad_measures_file_one_line_exit_2(where: Path, content: Any, expected: str) -> None:
    name = "missing.json"
    if content is not None:
        name = "m.json"
        text = content if isinstance(content, str) else json.dumps(content)
        (where / name).write_text(text, encoding="utf-8")
    result = run_cli("portfolio", "programmes", "--measures", name, "-f", "html-portfolio=d.html", cwd=where)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(expected), lines
    assert result.stdout == "" and not (where / "d.html").exists()


def test_a_directory_is_not_a_measures_file(where: Path) -> None:
    result = run_cli("portfolio", "programmes", "--measures", "programmes", cwd=where)
    assert result.returncode == 2
    assert result.stderr.splitlines() == ["govcheck: programmes: is a directory, not a file"]
