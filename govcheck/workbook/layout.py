"""Which sheet and column of the programme workbook holds each field of the description.

The columns come from the programme model itself: the only thing written here is which part
of the description each sheet holds. A field added to the model appears in the workbook,
and `check_complete` (run by the tests) fails if a part of the model has no sheet.

Two kinds of sheet: a *form* holds single values, one row per field (the sections that are
one object: costs, the business case); a *table* holds a list, one row per item (milestones,
risks). A list inside a list item (a benefit's yearly forecasts) is a table of its own whose
first column names the item it belongs to by its key.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from govcheck.model import Programme
from govcheck.workbook.fields import Leaf, all_paths, item_model, label, leaves, leaves_at, replace

#: Written in a cell for "not in place" (`null`, or `[]` for a list); never a blank, which is
#: "not described". `none` is read the same way.
NOT_IN_PLACE = "not in place"

CURRENCY_LABEL = "Currency"

#: The currency a new workbook names on its Programme sheet.
DEFAULT_CURRENCY = "GBP"

#: Sections whose name a form's labels leave out: the sheet is named for them.
_SECTIONS = {"leadership", "governance", "mandate", "business_case", "migration", "costs", "benefits",
             "risk_management", "status"}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Form:
    name: str
    part: str
    paths: tuple[str, ...]  # top-level fields of the programme, dotted for a part of one
    leaves: tuple[Leaf, ...] = ()


@dataclass(frozen=True, slots=True)
class Table:
    name: str
    part: str
    path: tuple[str, ...]  # the list's keys from its owner (the programme, or a parent item)
    leaves: tuple[Leaf, ...] = ()
    parent: str | None = None  # the sheet of the items this list belongs to
    key: str | None = None  # the column naming an item, for tables of lists inside it


Sheet = Form | Table

#: (part, sheets): forms name the programme's fields they hold; tables name their list, and a
#: table of a list inside another list's items names that table and the key of its items.
PARTS: tuple[tuple[str, tuple[tuple[str, str, str | None], ...]], ...] = (
    ("Programme", (
        ("form", "Programme", "id name department organisation description assessment_date start_date "
                              "planned_end_date next_gate delivery schedule_files"),
        ("table", "Objectives", "objectives"),
        ("table", "Sources", "sources"),
    )),
    ("Leadership and governance", (
        ("form", "Leadership", "leadership.sro leadership.sponsor governance"),
        ("table", "Previous SROs", "leadership.previous_sros"),
    )),
    ("Parties and mandate", (
        ("form", "Mandate", "mandate"),
        ("table", "Parties", "parties"),
    )),
    ("Business case", (
        ("form", "Business case", "business_case"),
        ("table", "Changes", "changes"),
    )),
    ("Schedule and milestones", (("table", "Milestones", "milestones"),)),
    ("Migration", (
        ("form", "Migration", "migration.unit migration.total migration.no_new_date"),
        ("table", "Checkpoints", "migration.checkpoints"),
    )),
    ("Costs", (
        ("form", "Costs", "costs"),
        ("table", "Contracts", "contracts"),
    )),
    ("Benefits", (
        ("form", "Benefits", "benefits.realisation_plan"),
        ("table", "Benefit items", "benefits.items"),
        ("table", "Benefit forecasts", "Benefit items:forecast"),
    )),
    ("Risks", (
        ("form", "Risk management", "risk_management.register_maintained risk_management.last_reviewed"),
        ("table", "Risks", "risk_management.risks"),
    )),
    ("Assurance and reviews", (
        ("table", "Gateway reviews", "gateway_reviews"),
        ("table", "Recommendations", "Gateway reviews:recommendations"),
        ("table", "Assurance", "assurance"),
        ("table", "Assessments", "assessments"),
        ("table", "Audit conclusions", "audit_conclusions"),
        ("table", "Exceptions", "exceptions"),
    )),
    ("Outputs and outcomes", (
        ("table", "Outputs", "outputs"),
        ("table", "Performance", "performance"),
    )),
    ("Status", (
        ("form", "Status", "status"),
        ("table", "Ratings", "reference_ratings"),
        ("table", "History", "history"),
        ("table", "History ratings", "History:ratings"),
    )),
)  # fmt: skip

#: The field that names an item of a list that has lists of its own.
KEYS = {"Benefit items": "name", "Gateway reviews": "date", "History": "date"}


@functools.cache
def sheets() -> tuple[Sheet, ...]:
    """Every sheet of the workbook, in order, with its fields."""
    out: list[Sheet] = []
    by_name: dict[str, Table] = {}
    for part, specs in PARTS:
        for kind, name, spec in specs:
            assert spec is not None
            if kind == "form":
                paths = tuple(spec.split())
                rows = [leaf for p in paths for leaf in leaves_at(Programme, tuple(p.split(".")))]
                out.append(Form(name, part, paths, _form_leaves(rows)))
                continue
            parent_name, _, field = spec.rpartition(":")
            if parent_name:
                parent = by_name[parent_name]
                owner = item_model(Programme, parent.path)
                path: tuple[str, ...] = (field,)
            else:
                owner, path = Programme, tuple(spec.split("."))
            item = item_model(owner, path)
            table = Table(name, part, path, leaves(item, ()), parent_name or None, KEYS.get(name))
            by_name[name] = table
            out.append(table)
    return tuple(out)


def _form_leaves(leaves: list[Leaf]) -> tuple[Leaf, ...]:
    """A form's rows: labels without the section the sheet is named for, and "not in place" for
    an object only in its first row."""
    out, seen = [], set()
    for leaf in leaves:
        path = leaf.path[1:] if leaf.path[0] in _SECTIONS and len(leaf.path) > 1 else leaf.path
        null_path = leaf.null_path if leaf.null_path not in seen else None
        seen.add(leaf.null_path)
        out.append(
            replace(leaf, label=label(path), null_path=null_path, nullable=leaf.nullable or bool(null_path))
        )
    return tuple(out)


def sheet_named(name: str) -> Sheet | None:
    return next((s for s in sheets() if s.name == name), None)


def check_complete() -> list[str]:
    """Fields of the model that no sheet holds (an empty list when the layout is complete)."""
    held = {leaf.key for s in sheets() if isinstance(s, Form) for leaf in s.leaves}
    held |= {".".join(full_path(s)) for s in sheets() if isinstance(s, Table)}
    return [key for key in all_paths(Programme, ()) if key not in held]


def full_path(table: Table) -> tuple[str, ...]:
    """The list's keys from the programme, through the items it sits in."""
    parent = sheet_named(table.parent) if table.parent else None
    return (*full_path(parent), *table.path) if isinstance(parent, Table) else table.path


def header(leaf: Leaf, currency: str) -> str:
    if leaf.kind == "money":
        return f"{leaf.label} ({currency})"
    if leaf.share:
        return f"{leaf.label} (%)"
    return leaf.label


def parent_label(table: Table) -> str:
    parent = sheet_named(table.parent or "")
    assert isinstance(parent, Table) and parent.key
    leaf = next(leaf for leaf in parent.leaves if leaf.key == parent.key)
    return f"{parent.name}: {leaf.label.lower()}"
