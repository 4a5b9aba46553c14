"""A GMPP release as projects: each record read into a `Snapshot`, the release dated.

How a release is dated (quarter labels in its cells, then snapshot wording, then its file
name, then its budget headers, then its IDs; never a price-base year) is in
`govcheck.importers.gmpp_dating`. `--snapshot NAME=YYYY-MM-DD` overrides it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from govcheck.importers.departments import canonical
from govcheck.importers.gmpp_cells import (
    Value,
    clip,
    parse_date,
    parse_money,
    parse_rating,
)
from govcheck.importers.gmpp_layout import MONEY_FIELDS, Layout
from govcheck.importers.gmpp_read import Cell
from govcheck.importers.gmpp_text import parse_name, parse_text

# GMPP ID prefixes that name one department differently between releases.
ID_PREFIX_ALIASES = {"DOH": "DH"}


@dataclass(frozen=True, slots=True)
class Snapshot:
    """One project in one release, every field read (value, or reason it is not described)."""

    position: int
    gmpp_id: str | None
    name: str
    department: str  # the one name of the department (govcheck.importers.departments)
    category: Value[str]
    description: Value[str]
    start: Value[dt.date]
    end: Value[dt.date]
    ipa: Value[str]
    sro: Value[str]
    sro_name: Value[str]
    budget: Value[Decimal]
    forecast: Value[Decimal]
    whole_life_cost: Value[Decimal]
    benefits: Value[Decimal]
    notes: tuple[str, ...]
    department_as_published: str = ""  # the release's own spelling ("MoD", "DoH Non Capital")


@dataclass(frozen=True, slots=True)
class Release:
    path: Path
    label: str  # file name, with the sheet for a workbook of several sheets
    orientation: str  # "rows" or "columns": how the release lays out its projects
    fiscal_year: int
    snapshot: dt.date
    five_point: bool
    has_ids: bool
    projects: tuple[Snapshot, ...]
    dated_by: str = ""  # the evidence that dated it, e.g. "quarter label '25/26 Q4' in 189 cells"
    dating_rank: int = 0  # gmpp_dating.EVIDENCE index of that evidence: lower is stronger

    @property
    def title(self) -> str:
        fy = f"{self.fiscal_year}-{(self.fiscal_year + 1) % 100:02d}"
        return (
            f"Government Major Projects Portfolio data {fy}, as at {self.snapshot.day} {self.snapshot:%B %Y}"
        )


@dataclass(frozen=True, slots=True)
class Skipped:
    position: int
    name: str
    reason: str


def normalise_id(raw: str) -> str | None:
    """Upper case, whitespace made underscores, known prefix aliases applied ("DoH_12" = "DH_12")."""
    text = re.sub(r"\s+", "_", raw.strip()).upper()
    text = re.sub(r"[^A-Z0-9._-]", "-", text).strip("._-")
    if not text:
        return None
    prefix, sep, rest = text.partition("_")
    if sep and prefix in ID_PREFIX_ALIASES:
        text = f"{ID_PREFIX_ALIASES[prefix]}_{rest}"
    return text[:100]


def read_snapshots(layout: Layout) -> tuple[list[Snapshot], list[Skipped]]:
    scales = {c.field: (c.scale, c.prices) for c in layout.columns}
    projects: list[Snapshot] = []
    skipped: list[Skipped] = []
    for record in layout.records:
        cells = record.cells
        filled = {f: c for f, c in cells.items() if c.text.strip()}
        if not filled:
            continue  # a blank row (or column) between or after the projects
        name = parse_name(cells.get("name", Cell("")).text)
        label = name.value or clip(next(iter(filled.values())).text, 60)
        if len(filled) < 3:
            skipped.append(Skipped(record.position, label, "not a project: a note or footnote row"))
            continue
        if name.value is None:
            skipped.append(Skipped(record.position, label, "no project name"))
            continue
        department = parse_name(cells.get("department", Cell("")).text)
        if department.value is None:
            skipped.append(Skipped(record.position, name.value, "no department"))
            continue
        projects.append(_snapshot(record.position, cells, name, department.value, scales))
    return projects, skipped


def _money(
    cells: dict[str, Cell], field: str, scales: dict[str, tuple[Decimal, str | None]]
) -> Value[Decimal]:
    cell = cells.get(field, Cell(""))
    scale, prices = scales.get(field, (Decimal(10**6), None))
    value = parse_money(cell.text, scale, formula=cell.formula)
    if value.value is not None and prices and not value.note:
        return Value(value.value, note=prices)
    return value


def _snapshot(
    position: int,
    cells: dict[str, Cell],
    name: Value[str],
    department: str,
    scales: dict[str, tuple[Decimal, str | None]],
) -> Snapshot:
    def cell(field: str) -> Cell:
        return cells.get(field, Cell(""))

    raw_id = cell("gmpp_id").text
    notes = [f"name {name.note}"] if name.note else []
    money = {f: _money(cells, f, scales) for f in MONEY_FIELDS}
    return Snapshot(
        position=position,
        gmpp_id=normalise_id(raw_id) if raw_id.strip() and not cell("gmpp_id").formula else None,
        name=name.value or "",
        department=canonical(department),
        department_as_published=" ".join(department.split()),
        category=parse_name(cell("category").text),
        description=parse_text(cell("description").text),
        start=parse_date(cell("start_date").text, formula=cell("start_date").formula),
        end=parse_date(cell("end_date").text, formula=cell("end_date").formula),
        ipa=parse_rating(cell("ipa_rating").text, formula=cell("ipa_rating").formula),
        sro=parse_rating(cell("sro_rating").text, formula=cell("sro_rating").formula),
        sro_name=parse_name(cell("sro_name").text),
        budget=money["annual_budget"],
        forecast=money["annual_forecast"],
        whole_life_cost=money["whole_life_cost"],
        benefits=money["benefits"],
        notes=tuple(notes),
    )


def is_five_point(layout: Layout, projects: list[Snapshot]) -> bool:
    if any(p.ipa.value in {"Amber/Green", "Amber/Red"} for p in projects):
        return True
    return layout.orientation == "columns"
