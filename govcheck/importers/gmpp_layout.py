"""Finding the fields of a GMPP release by what its headers mean.

Releases differ: projects as columns (2012-2017, the field names down the first column) or
as rows (later releases); header wordings change from year to year and get shortened.
Each header is normalised (lower case, whitespace collapsed, parenthesised explanations
set aside) and matched against HEADER_PATTERNS, one row per field, first match wins. A
header is never matched by its position or its exact text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from govcheck.importers.gmpp_read import Cell, Sheet

# The one table of header patterns. Each row: field, a regex the header's head (its text
# outside parentheses) must match, an optional second regex it must also match, and an
# optional regex that rules the field out. Fields named "-" are recognised and ignored.
HEADER_PATTERNS: tuple[tuple[str, str, str | None, str | None], ...] = (
    # Narratives and commentary: read by people, not by rules. Their headers are not trusted
    # either (2022-23's variance narrative names 2021/22).
    ("-", r"\b(narrative|commentary|comments?|explanation|notes?|footnotes?)\b", None, None),
    # The published variance is never used: its sign convention changed between releases.
    ("-", r"\bvariance\b", None, None),
    (
        "gmpp_id",
        r"\b(id|identifier|ref|reference|code)\b(\s*(number|no\.?))?",
        None,
        r"\bname\b|\bdep(artmen)?t",
    ),
    # Only the release's own ratings: "previous DCA" and the like are not read.
    (
        "sro_rating",
        r"\bsro\b|senior responsible",
        r"delivery confidence|\bdca\b|\brag\b|\brating\b",
        r"\b(previous|prior|last|earlier)\b",
    ),
    (
        "ipa_rating",
        r"delivery confidence|\bdca\b|\brag\b|\brating\b",
        None,
        r"\b(previous|prior|last|earlier)\b",
    ),
    ("sro_name", r"\bsro\b|senior responsible (owner|officer)", None, r"e-?mail|phone|grade|tenure"),
    ("name", r"\b(project|programme|scheme)\s*(name|title)\b|^(name|project|programme)$", None, None),
    ("department", r"\bdepartment\b|^dept\b|\borganisation\b|\bministry\b", None, None),
    ("category", r"\bcategory\b|\bsector\b", None, None),
    ("description", r"\bdescription\b|\baims?\b|\bpurpose\b|\bobjectives?\b", None, None),
    ("start_date", r"\bstart\b", r"\bdate\b", None),
    ("end_date", r"\b(end|completion|finish)\b", r"\bdate\b", None),
    ("whole_life_cost", r"whole[- ]?life|\bwlc\b|lifetime cost", None, None),
    ("benefits", r"\bbenefits?\b", None, None),
    ("annual_forecast", r"\bforecast\b|\boutturn\b", None, None),
    ("annual_budget", r"\bbudget\b|\bbaseline\b", None, None),
)
FIELDS = tuple(dict.fromkeys(f for f, *_ in HEADER_PATTERNS if f != "-"))
_COMPILED = tuple(
    (field, re.compile(a), re.compile(b) if b else None, re.compile(x) if x else None)
    for field, a, b, x in HEADER_PATTERNS
)
MAX_FIELD_ROWS = 500
MONEY_FIELDS = ("annual_budget", "annual_forecast", "whole_life_cost", "benefits")
_YEAR = re.compile(r"\b(?:fy\s*)?((?:19|20)\d{2})\s*[/-]\s*(?:(?:19|20)?(\d{2}))\b")
# A header's price base: never a release's date.
PRICE_BASE = re.compile(
    r"(?:\bpresented\s+)?(?:\b(?:in|at)\s+)?(?:\bfy\s*)?\b(?:19|20)\d{2}\s*[/-]\s*(?:19|20)?\d{2}\s*"
    r"(?:real\s+|constant\s+|cash\s+)?(?:terms|prices)\b"
    r"|\b(?:real|constant)\s+(?:terms|prices)\s*[(,:]?\s*(?:price\s+base\s*(?:year)?\s*:?\s*)?"
    r"(?:19|20)\d{2}\s*[/-]\s*(?:19|20)?\d{2}"
    r"|\bprice[- ]?base\s*(?:year)?\s*:?\s*(?:19|20)\d{2}\s*[/-]\s*(?:19|20)?\d{2}",
    re.I,
)
_REAL = re.compile(r"\b(?:in\s+)?(\d{4}\s*[/-]\s*\d{2,4})?\s*(real|constant)\s+(?:terms|prices)", re.I)


@dataclass(frozen=True, slots=True)
class Column:
    field: str
    header: str
    index: int
    scale: Decimal  # pounds per unit of the header (GMPP publishes £m)
    prices: str | None  # e.g. "in 2024/25 real prices", said by the header


@dataclass(frozen=True, slots=True)
class Record:
    """One project as published: its position (row, or column for projects-as-columns) and cells."""

    position: int
    cells: dict[str, Cell]


@dataclass(frozen=True, slots=True)
class Layout:
    orientation: Literal["rows", "columns"]
    columns: tuple[Column, ...]
    fiscal_year: int | None  # first calendar year of the financial year named in the headers
    ignored: tuple[tuple[int, str], ...]  # (position, header) not recognised
    records: tuple[Record, ...]
    header_at: int = 0  # 0-based index of the header row (or column, for projects as columns)


def normalise_header(text: str) -> tuple[str, str]:
    """(head, full): full is lower case with whitespace collapsed; head leaves out parentheses."""
    full = " ".join(text.replace("\u00a0", " ").lower().split())
    head = " ".join(re.sub(r"\([^)]*\)?", " ", full).split())
    return head or full, full


def classify(header: str) -> str | None:
    """The field a header names, "-" for a recognised header that is not used, None if unknown."""
    head, _ = normalise_header(header)
    if not head or len(head) > 400:
        return None
    for field, must, also, never in _COMPILED:
        if must.search(head) and (also is None or also.search(head)) and not (never and never.search(head)):
            return field
    return None


def _scale(full: str) -> Decimal:
    if re.search(r"£\s*(bn|billion)|\bbn\b|billion", full):
        return Decimal(10**9)
    if re.search(r"£\s*(k|000|'000|thousands?)\b|£000", full):
        return Decimal(10**3)
    if re.search(r"£\s*(m|mn|million)\b|£m|\bmillion\b", full):
        return Decimal(10**6)
    if re.search(r"£\s*\)|\(£\)|\bpounds\b", full):
        return Decimal(1)
    return Decimal(10**6)


def _prices(full: str) -> str | None:
    m = _REAL.search(full)
    if not m:
        base = PRICE_BASE.search(full)
        year = re.search(r"(?:19|20)\d{2}\s*[/-]\s*(?:19|20)?\d{2}", base[0]) if base else None
        return f"in {year[0].replace(' ', '')} prices" if year else None
    return f"in {m[1].replace(' ', '')} real prices" if m[1] else "in real terms"


def _line(cells: tuple[Cell, ...]) -> list[str]:
    return [c.text for c in cells]


def _columns_of(headers: list[str]) -> tuple[dict[str, list[int]], list[tuple[int, str]]]:
    found: dict[str, list[int]] = {}
    ignored: list[tuple[int, str]] = []
    for i, h in enumerate(headers):
        field = classify(h)
        if field is None:
            if h.strip():
                ignored.append((i, h))
        elif field != "-":
            found.setdefault(field, []).append(i)
    return found, ignored


def _score(found: dict[str, list[int]]) -> int:
    if "name" not in found:
        return 0
    return len(found) + (2 if "department" in found else 0)


def detect(sheet: Sheet) -> Layout | None:
    """The layout of a sheet, or None if no header row or column names the projects."""
    rows = [_line(r) for r in sheet.rows]
    best: tuple[int, Literal["rows", "columns"], int] | None = None
    for i, row in enumerate(rows[:15]):
        score = _score(_columns_of(row)[0])
        if score >= 4 and (best is None or score > best[0]):
            best = (score, "rows", i)
    # Projects as columns: the field names run down one of the first columns; such a release
    # has tens of fields, so a sheet of more rows than MAX_FIELD_ROWS is not read this way.
    width = max((len(r) for r in rows), default=0) if len(rows) <= MAX_FIELD_ROWS else 0
    for j in range(min(width, 5)):
        column = [r[j] if j < len(r) else "" for r in rows]
        score = _score(_columns_of(column)[0])
        if score >= 4 and (best is None or score > best[0]):
            best = (score, "columns", j)
    if best is None:
        return None
    _, orientation, at = best
    if orientation == "rows":
        grid = [list(sheet.rows[k]) for k in range(at, len(sheet.rows))]
        offset = at + 1  # 1-based position of the header row
    else:
        cells = [list(r) for r in sheet.rows]
        width = max(len(r) for r in cells)
        grid = [[r[j] if j < len(r) else Cell("") for r in cells] for j in range(at, width)]
        offset = at + 1
    headers = [c.text for c in grid[0]]
    found, ignored = _columns_of(headers)
    body = grid[1:]
    columns: list[Column] = []
    for field, indices in found.items():
        # Where two headers name one field, the one with most cells filled wins (a footnote
        # that mentions whole-life costs is not the whole-life cost column); ties: the first.
        index = max(indices, key=lambda i: (sum(1 for r in body if i < len(r) and r[i].text.strip()), -i))
        _, full = normalise_header(headers[index])
        columns.append(Column(field, headers[index], index, _scale(full), _prices(full)))
        ignored.extend((i, headers[i]) for i in indices if i != index)
    records = tuple(
        Record(offset + k + 1, {c.field: r[c.index] if c.index < len(r) else Cell("") for c in columns})
        for k, r in enumerate(body)
    )
    return Layout(
        orientation=orientation,
        columns=tuple(sorted(columns, key=lambda c: c.index)),
        fiscal_year=_fiscal_year(headers, found),
        ignored=tuple((i + 1, h) for i, h in sorted(ignored)),
        records=records,
        header_at=at,
    )


def _fiscal_year(headers: list[str], found: dict[str, list[int]]) -> int | None:
    """The financial year the release's in-year figures are for, from the budget and forecast
    headers only (narrative headers are not trusted), never from a price base ("Presented in
    2024/25 Real Prices")."""
    years: list[int] = []
    for field in ("annual_budget", "annual_forecast"):
        for i in found.get(field, []):
            m = _YEAR.search(normalise_header(PRICE_BASE.sub(" ", headers[i]))[1])
            if m and (int(m[1]) + 1) % 100 == int(m[2]):
                years.append(int(m[1]))
    return max(years) if years else None
