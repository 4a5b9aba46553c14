"""One programme description (v2 format) from one project followed across releases.

What the releases say is written; everything else is left out, which the format reads as
"not described". The latest release gives the description's current state; earlier ones
its history. The latest release's own IPA and SRO ratings are reference ratings, never
evidence; earlier releases' ratings go in the history, where rules may use them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from govcheck.importers.gmpp_cells import Value
from govcheck.importers.gmpp_match import Entry

PUBLISHER = "Infrastructure and Projects Authority"
CURRENCY = "GBP"
MILESTONE = "Project end"


@dataclass(frozen=True, slots=True)
class Description:
    """A programme description and what the file's header comment says about it."""

    id: str
    data: dict[str, Any]
    sources: tuple[str, ...]  # one line per release: file, row, snapshot date
    notes: tuple[str, ...]  # values read with a note, and fields left out with a reason


def slug(department: str, name: str) -> str:
    text = unicodedata.normalize("NFKD", f"{department} {name}").encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return words[:90].rstrip("-") or "project"


def _money(amount: Decimal) -> dict[str, Any]:
    return {"amount": float(amount), "currency": CURRENCY}


def _fy(entry: Entry) -> str:
    year = entry.release.fiscal_year
    return f"{year}-{(year + 1) % 100:02d}"


def build(entries: tuple[Entry, ...], identifier: str) -> Description:
    latest = entries[-1]
    p = latest.project
    notes: list[str] = []

    def keep(label: str, value: Value[Any], entry: Entry = latest) -> Any:
        if value.value is None and value.reason:
            notes.append(f"{label} ({_fy(entry)}): not described: {value.reason}")
        elif value.value is not None and value.note:
            notes.append(f"{label} ({_fy(entry)}): {value.note}")
        return value.value

    notes.extend(f"{n} ({_fy(latest)})" for n in p.notes)
    data: dict[str, Any] = {
        "id": identifier,
        "name": p.name,
        "department": p.department,
    }
    description = keep("description", p.description)
    if description is None:
        earlier = next((e for e in reversed(entries[:-1]) if e.project.description.value), None)
        if earlier is not None:
            description = earlier.project.description.value
            notes.append(f"description: from the {_fy(earlier)} release")
    if description is not None:
        data["description"] = description
    data["assessment_date"] = latest.release.snapshot
    sro = keep("SRO name", p.sro_name)
    if sro is not None:
        data["leadership"] = {"sro": {"name": sro}}
    start = keep("start date", p.start)
    end = keep("end date", p.end)
    if start is not None and start > latest.release.snapshot:
        notes.append(f"start date {start.isoformat()} is after the snapshot date; left out")
        start = None
    if start is not None:
        data["start_date"] = start
    if end is not None and start is not None and end < start:
        notes.append(f"end date {end.isoformat()} is before the start date; left out")
        end = None
    if end is not None:
        data["planned_end_date"] = end
    ends = [(e, e.project.end.value) for e in entries if e.project.end.value is not None]
    if ends and end is not None:
        data["milestones"] = [{"name": MILESTONE, "baseline": ends[0][1], "forecast": end}]
    costs = _costs(entries, keep, notes)
    if costs:
        data["costs"] = costs
    for e in entries[:-1]:
        for label, value in (("IPA rating", e.project.ipa), ("SRO rating", e.project.sro)):
            keep(label, value, e)
    history = [h for h in (_history(e, e is not latest) for e in entries) if len(h) > 1]
    if history:
        data["history"] = history
    ratings = [
        {"by": by, "rating": rating, "date": latest.release.snapshot}
        for by, rating in (("IPA", keep("IPA rating", p.ipa)), ("SRO", keep("SRO rating", p.sro)))
        if rating is not None
    ]
    if ratings:
        data["reference_ratings"] = ratings
    benefits = keep("benefits", p.benefits)
    if benefits is not None:
        notes.append(
            f"benefits ({_fy(latest)}): total baseline benefits £{benefits / Decimal(10**6):,.2f}m "
            "published; the format has no field for a whole-life benefits total without its yearly profile"
        )
    data["sources"] = [
        {
            "title": e.release.title,
            "publisher": PUBLISHER,
            "date": e.release.snapshot,
            "reference": e.release.path.name,
        }
        for e in entries
    ]
    sources = tuple(
        f"{e.release.path.name} {'column' if e.release.orientation == 'columns' else 'row'} "
        f"{e.project.position} (as at {e.release.snapshot.isoformat()}, dated by its {e.release.dated_by}; "
        f"department as published: {e.project.department_as_published or e.project.department})"
        for e in entries
    )
    return Description(identifier, data, sources, tuple(dict.fromkeys(notes)))


def _costs(entries: tuple[Entry, ...], keep: Any, notes: list[str]) -> dict[str, Any]:
    latest = entries[-1]
    current = keep("whole-life cost", latest.project.whole_life_cost)
    for label, value in (
        ("annual budget", latest.project.budget),
        ("annual forecast", latest.project.forecast),
    ):
        keep(label, value)
    if current is None:
        return {}
    first = next(
        e.project.whole_life_cost.value for e in entries if e.project.whole_life_cost.value is not None
    )
    return {"whole_life": {"baseline": _money(first), "forecast": _money(current)}}


def _history(entry: Entry, with_ratings: bool) -> dict[str, Any]:
    p = entry.project
    item: dict[str, Any] = {"date": entry.release.snapshot}
    if p.whole_life_cost.value is not None:
        item["whole_life_cost"] = _money(p.whole_life_cost.value)
    if p.end.value is not None:
        item["planned_end_date"] = p.end.value
    if p.budget.value is not None:
        item["annual_budget"] = _money(p.budget.value)
    if p.forecast.value is not None:
        item["annual_forecast"] = _money(p.forecast.value)
    ratings = [{"by": by, "rating": v.value} for by, v in (("IPA", p.ipa), ("SRO", p.sro)) if v.value]
    if with_ratings and ratings:
        item["ratings"] = ratings
    return item
