"""The early-warning figures (govcheck/measures.py) as each portfolio format gives them: a panel
of the dashboard, a sheet of the workbook, a block of the JSON, lines of the terminal summary.

Each gives the figures and the sentences computed from them when a measures file was given;
when none was, the panel and the sheet say the measure was not supplied and how to make it (the
JSON gives null, and the terminal nothing).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from govcheck.measures import COMMAND, NOT_SUPPLIED, EarlyWarning, Group, Measures
from govcheck.report import Run


@dataclass(frozen=True)
class Panel:
    """What the dashboard's early-warning panel shows."""

    measures: Measures | None
    command: str
    sentences: tuple[str, ...]
    #: (predictor name, role, {group key: (AUROC, precision@20)}) in the file's order.
    rows: tuple[tuple[str, str, dict[str, tuple[float | None, float | None]]], ...]
    #: (key, label, figures) for the groups measured.
    groups: tuple[tuple[str, str, Group], ...]
    #: The govcheck that measured the figures, when it is not the one making the page.
    other_version: str | None


GROUP_LABELS = (("development", "Development releases"), ("held_out", "Held-out releases"))


def _groups(m: EarlyWarning) -> tuple[tuple[str, str, Group], ...]:
    return tuple((key, label, g) for key, label in GROUP_LABELS if (g := getattr(m, key)) is not None)


def panel(run: Run) -> Panel:
    if run.measures is None:
        return Panel(None, COMMAND, (), (), (), None)
    m = run.measures.early_warning
    groups = _groups(m)
    names: list[tuple[str, str]] = []
    for _, _, g in groups:
        names += [(p.name, p.role) for p in g.predictors if (p.name, p.role) not in names]
    rows = tuple(
        (
            name,
            role,
            {
                key: (p.auroc, p.precision_at_20)
                for key, _, g in groups
                for p in g.predictors
                if p.name == name
            },
        )
        for name, role in names
    )
    other = m.govcheck_version if m.govcheck_version != run.govcheck_version else None
    return Panel(run.measures, COMMAND, tuple(run.measures.verdict()), rows, groups, other)


def json_block(run: Run) -> dict[str, Any] | None:
    """The figures as given, with their file and the sentences; None when none were supplied."""
    if run.measures is None:
        return None
    return {
        "source": run.measures.source,
        "figures": run.measures.early_warning.model_dump(mode="json"),
        "verdict": run.measures.verdict(),
    }


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 4)


def sheet_lines(run: Run) -> list[list[Any]]:
    """The workbook's `Early warning` sheet: what was measured, on which releases, the figures."""
    if run.measures is None:
        return [["early warning", "not supplied"], ["note", NOT_SUPPLIED]]
    m = run.measures.early_warning
    lines: list[list[Any]] = [
        ["early warning", run.measures.source],
        ["outcome", m.outcome],
        ["population", m.population],
        ["measured with govcheck", m.govcheck_version],
        *(["verdict", s] for s in run.measures.verdict()),
        [],
        ["release", "date", "held out"],
        *([r.name, r.date.isoformat(), "yes" if r.held_out else "no"] for r in m.releases),
        [],
        ["group", "predictor", "role", "auroc", "precision_at_20", "n", "positives", "pairs"],
    ]
    for key, _, g in _groups(m):
        lines += [
            [key, p.name, p.role, _round(p.auroc), _round(p.precision_at_20), g.n, g.positives, len(g.pairs)]
            for p in g.predictors
        ]
    return lines


def terminal_lines(run: Run) -> list[tuple[str, str]]:
    """(label, text) for the terminal summary's head: the sentences, when figures were supplied
    (the terminal stays as it was for a portfolio without them)."""
    if run.measures is None:
        return []
    return [("early warning", s) for s in run.measures.verdict()]
