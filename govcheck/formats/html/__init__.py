"""The HTML reports: one self-contained file each, inline CSS and SVG, nothing fetched.

`html` is the Markdown report's structure with figures (charts.py); `html-portfolio` is a
dashboard of many programmes (dashboard.py) with one inline script, allowed by its hash in the
page's Content-Security-Policy. Chart geometry is computed in Python; the templates
(templates/html/, autoescaped) only draw what they are given, and programme text reaches them
as values, always escaped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from govcheck.formats import Format
from govcheck.formats.html.charts import (
    SERIOUS_SLIP_DAYS,
    BenefitsChart,
    MigrationChart,
    SlipChart,
    benefits_chart,
    migration_chart,
    slip_chart,
)
from govcheck.formats.html.dashboard import dashboard_context, rating_class
from govcheck.formats.html.scales import short_date
from govcheck.formats.markdown import RATING_MEANING, VFM_SENTENCES, letters
from govcheck.portfolio import SEVERITIES, summary
from govcheck.report import ChartData, FileError, Report, Run
from govcheck.templating import report_environment

VFM_LABELS = {
    "not_achieved": "Not achieved",
    "at_risk": "At risk",
    "not_yet_determinable": "Not yet determinable",
    "achieved": "Achieved",
}
SCRIPT = "html/dashboard.js"


@dataclass(frozen=True)
class Charts:
    data: ChartData
    benefits: BenefitsChart | None
    migration: MigrationChart | None
    slip: SlipChart | None

    @property
    def any(self) -> bool:
        return any((self.benefits, self.migration, self.slip))


@dataclass(frozen=True)
class Item:
    """One outcome of the run, numbered for anchors and element ids."""

    index: int
    report: Report | None = None
    error: FileError | None = None
    charts: Charts | None = None
    numbers: dict[str, int] = field(default_factory=dict)

    @property
    def anchor(self) -> str:
        return f"p{self.index}"


def _item(index: int, outcome: Report | FileError) -> Item:
    if isinstance(outcome, FileError):
        return Item(index=index, error=outcome)
    charts = None
    if outcome.charts is not None:
        c = outcome.charts
        charts = Charts(c, benefits_chart(c), migration_chart(c), slip_chart(c))
    numbers = {f.rule_id: i for i, f in enumerate((f for f in outcome.findings if f.active), start=1)}
    return Item(index=index, report=outcome, charts=charts, numbers=numbers)


def _common(run: Run) -> dict[str, Any]:
    return {
        "run": run,
        "vfm": VFM_SENTENCES,
        "vfm_label": VFM_LABELS,
        "meaning": RATING_MEANING,
        "letters": letters,
        "severities": SEVERITIES,
        "rating_class": rating_class,
        "short_date": short_date,
        "serious_slip": SERIOUS_SLIP_DAYS,
    }


def _single(run: Run) -> dict[str, Any]:
    items = [_item(i, o) for i, o in enumerate(run.outcomes, start=1)]
    return {**_common(run), "items": items, "portfolio": False, "script_src": ""}


def _portfolio(run: Run) -> dict[str, Any]:
    from govcheck.formats.early_warning import panel
    from govcheck.formats.portfolio import generated_at

    script = report_environment().get_template(SCRIPT).render()
    return {
        **_common(run),
        **dashboard_context(run, summary(run), script),
        "items": run.outcomes,
        "portfolio": True,
        "generated": generated_at(),
        "early_warning": panel(run),
    }


FORMAT = Format(name="html", template="html/report.html.j2", context=_single, suffix=".html")
PORTFOLIO = Format(
    name="html-portfolio", template="html/portfolio.html.j2", context=_portfolio, suffix=".html"
)
