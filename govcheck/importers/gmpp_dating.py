"""The date a GMPP release is as at, told from the release itself, with the evidence named.

Evidence is tried in this order; the first that gives one date wins:

1. **Quarter labels** in the cells: "25/26 Q4", "2025-26 Q4", "Q4 2025/26", "Q4 FY25/26",
   "Quarter 4 2025-26". The release is as at the end of that quarter of the financial year
   (Q1 30 June, Q2 30 September, Q3 31 December, Q4 31 March).
2. **Snapshot wording**: "as at 31 March 2025", "Data as at 31/03/2025", "as of 30th September
   2014", "position at March 2025" (the end of the month).
3. **The file name**: a financial year ("gmpp_2025_26.csv", "GMPP 2025-26.xlsx"), with a quarter
   if it names one ("gmpp_2025_26_q2.csv"); without a quarter the year-end rule below applies.
4. **The in-year budget or forecast headers** ("2013/2014 Budget"), with the year-end rule.
5. **The latest entry quarter of the GMPP IDs** ("MOD_0135_2223-Q1": 2022-23), with the year-end rule.

Year-end rule (3 to 5): releases with projects as rows that publish the SRO's own rating or
only three-point ratings (2021-22 on) are as at 31 March, the year's end; the others (projects
as columns, or five-point ratings without the SRO's: the annual reports of 2013 to 2019) are as
at 30 September of the financial year's first calendar year.

Where labels and wording are read (1 and 2): the title rows above the header row (any text);
the headers, except narrative, commentary and variance headers and those about a previous
assessment; and body cells that hold nothing but a label or wording ("25/26 Q4", "Reporting
period: Q4 2025/26", "Data as at 31 March 2025"), such as a "Reporting period" column.
Sentences are never read: narratives mention past and future quarters ("the 20/21 Q4 DCA
was ..."). A label found only in body cells must be in at least two of them (one, for a
release of one project); if two dates are found equally often, that kind of evidence decides
nothing and the next is tried, and the reason says so.

The price-base year of a money header ("Presented in 2024/25 Real Prices", "2021/22 prices",
"real terms, price base 2024/25") NEVER dates a release: it is removed before a header is
read for its year. `--snapshot NAME=YYYY-MM-DD` on the command line overrides all of this.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from govcheck.importers.gmpp_cells import parse_date
from govcheck.importers.gmpp_layout import PRICE_BASE, Layout, classify, normalise_header
from govcheck.importers.gmpp_read import Sheet

# Evidence ranks, strongest first; a clash between two releases keeps the better-dated one.
OVERRIDE, QUARTER, WORDING, FILE_NAME, HEADER, ID_QUARTER = range(6)
EVIDENCE = ("--snapshot", "quarter label", "snapshot wording", "file name", "budget header", "GMPP IDs")

_Y = r"(?:fy\s*)?((?:19|20)?\d{2})\s*[/-]\s*((?:19|20)?\d{2})"
_Q = r"(?:q|quarter\s*)([1-4])"
_QUARTER = re.compile(
    rf"(?<![\w/.-]){_Y}\s*[,:-]?\s*{_Q}(?![\w/])|(?<![\w/.-]){_Q}\s*[,:-]?\s*(?:of\s+)?{_Y}(?![\w/])", re.I
)
_AS_AT = re.compile(
    r"\b(?:as\s+(?:at|of)|position\s+at|snapshot(?:\s+date)?\s*:?|data\s+date\s*:?)\s*"
    r"(\d{1,2}(?:st|nd|rd|th)?\s+[a-z]+\.?,?\s+\d{4}|\d{1,2}[/.-]\d{1,2}[/.-]\d{4}|\d{4}-\d{2}-\d{2}"
    r"|[a-z]+\.?\s+\d{4})",
    re.I,
)
# Framing words allowed around a label or wording in a body cell that holds nothing else.
_FRAME = re.compile(
    r"^\W*(?:(?:gmpp|data|reporting|report|period|quarter|snapshot|position|as|at|of|fy|financial|year|"
    r"ending|end|date)\W*)*$",
    re.I,
)
_HEADER_YEAR = re.compile(r"\b(?:fy\s*)?((?:19|20)\d{2})\s*[/-]\s*(?:(?:19|20)?(\d{2}))\b")
_FILE_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})[_ .-]+((?:20)?\d{2})(?!\d)")
_FILE_QUARTER = re.compile(r"(?<![a-z0-9])q([1-4])(?![0-9])", re.I)
_ID_QUARTER = re.compile(r"_(\d{2})(\d{2})-Q[1-4]\b")
_PREVIOUS = re.compile(r"\b(previous|prior|last|earlier)\b", re.I)
_QUARTER_END = {1: (6, 30), 2: (9, 30), 3: (12, 31), 4: (3, 31)}


@dataclass(frozen=True, slots=True)
class Dating:
    """When a release is as at, its financial year, and what said so."""

    snapshot: dt.date
    fiscal_year: int
    rank: int  # index into EVIDENCE: lower is stronger
    reason: str  # e.g. "quarter label '25/26 Q4' in 189 cells"
    conflicts: tuple[str, ...] = ()  # weaker evidence that names another year


def fiscal_year_of(date: dt.date) -> int:
    """The first calendar year of the financial year (April to March) a date falls in."""
    return date.year if date.month >= 4 else date.year - 1


def fy_label(year: int) -> str:
    return f"{year}-{(year + 1) % 100:02d}"


def quarter_end(year: int, quarter: int) -> dt.date:
    month, day = _QUARTER_END[quarter]
    return dt.date(year + 1 if quarter == 4 else year, month, day)


def _years(first: str, second: str) -> int | None:
    a = int(first) if len(first) == 4 else 2000 + int(first)
    b = int(second) % 100
    return a if (a + 1) % 100 == b and 1990 <= a <= 2100 else None


def quarter_labels(text: str) -> list[tuple[int, int, str]]:
    """(financial year, quarter, label as written) of each quarter label in a text."""
    found = []
    for m in _QUARTER.finditer(text):
        first, second, quarter = (m[1], m[2], m[3]) if m[1] else (m[5], m[6], m[4])
        year = _years(first, second)
        if year is not None:
            found.append((year, int(quarter), " ".join(m[0].split())))
    return found


def snapshot_wording(text: str) -> list[tuple[dt.date, str]]:
    """(date, wording) of each "as at DATE" in a text."""
    found = []
    for m in _AS_AT.finditer(text):
        phrase = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", m[1], flags=re.I)
        value = parse_date(phrase).value
        if value is not None:
            found.append((value, " ".join(m[0].split())))
    return found


def without_price_base(header: str) -> str:
    return PRICE_BASE.sub(" ", header)


def header_year(layout: Layout) -> tuple[int, str] | None:
    """The financial year named in the in-year budget or forecast headers, price bases removed."""
    years: list[tuple[int, str]] = []
    for column in layout.columns:
        if column.field not in ("annual_budget", "annual_forecast"):
            continue
        _, full = normalise_header(without_price_base(column.header))
        m = _HEADER_YEAR.search(full)
        if m and (int(m[1]) + 1) % 100 == int(m[2]):
            years.append((int(m[1]), " ".join(column.header.split())[:80]))
    return max(years) if years else None


def file_year(path: Path) -> tuple[int, int | None] | None:
    """(financial year, quarter or None) named by a file name such as gmpp_2025_26_q2.csv."""
    stem = path.stem
    for m in _FILE_YEAR.finditer(stem):
        second = int(m[2]) % 100
        if (int(m[1]) + 1) % 100 == second:
            rest = stem[m.end() :]
            q = _FILE_QUARTER.search(rest) or _FILE_QUARTER.search(stem[: m.start()])
            return int(m[1]), int(q[1]) if q else None
    return None


def id_year(ids: list[str]) -> int | None:
    quarters = [
        2000 + int(q[1])
        for q in (_ID_QUARTER.search(i) for i in ids)
        if q and (int(q[1]) + 1) % 100 == int(q[2])
    ]
    return max(quarters) if quarters else None


def year_end(year: int, layout: Layout, five_point: bool) -> dt.date:
    """The year-end rule: 31 March for later releases, 30 September for 2013-2019 ones."""
    at_year_end = layout.orientation == "rows" and (
        not five_point or any(c.field == "sro_rating" for c in layout.columns)
    )
    return dt.date(year + 1, 3, 31) if at_year_end else dt.date(year, 9, 30)


def _places(sheet: Sheet, layout: Layout) -> tuple[list[str], list[str], list[str]]:
    """(title cells, header cells worth reading, body cells) of the sheet."""
    rows = [[c.text for c in r] for r in sheet.rows]
    at = layout.header_at
    if layout.orientation == "rows":
        titles = [t for r in rows[:at] for t in r if t.strip()]
        headers = rows[at] if at < len(rows) else []
        body = [t for r in rows[at + 1 :] for t in r if t.strip()]
    else:
        titles = [r[j] for r in rows for j in range(min(at, len(r))) if r[j].strip()]
        headers = [r[at] if at < len(r) else "" for r in rows]
        body = [t for r in rows for t in r[at + 1 :] if t.strip()]
    kept = [h for h in headers if h.strip() and classify(h) != "-" and not _PREVIOUS.search(h)]
    return titles, [without_price_base(h) for h in kept], body


def _bare(text: str, phrase: str) -> bool:
    """The cell holds nothing but the phrase and framing words ("Reporting period: 25/26 Q4")."""
    return len(text) <= 80 and bool(_FRAME.match(text.replace(phrase, " ", 1)))


def _decide(
    found: list[tuple[dt.date, str, bool]], records: int, what: str
) -> tuple[dt.date, str] | str | None:
    """The date most often found, with its reason; a string if evidence is tied; None if none."""
    if not found:
        return None
    counts = Counter(d for d, _, _ in found)
    strong = {d for d, _, s in found if s}
    top = max(counts.values())
    best = sorted(d for d, n in counts.items() if n == top)
    if len(best) > 1:
        named = ", ".join(d.isoformat() for d in best)
        return f"{what}s name {len(best)} dates equally often ({named})"
    date = best[0]
    if date not in strong and top < min(2, max(records, 1)):
        return None
    label = next(text for d, text, _ in found if d == date)
    where = "cell" if top == 1 else "cells"
    return date, f"{what} {label!r} in {top} {where}"


def date_release(
    sheet: Sheet, layout: Layout, path: Path, ids: list[str], five_point: bool
) -> tuple[Dating | None, list[str]]:
    """The release's dating (None if nothing dates it), and notes on evidence that decided nothing."""
    titles, headers, body = _places(sheet, layout)
    records = len(layout.records)
    notes: list[str] = []

    quarters: list[tuple[dt.date, str, bool]] = []
    wording: list[tuple[dt.date, str, bool]] = []
    for text, strong in [
        *((t, True) for t in titles),
        *((h, True) for h in headers),
        *((b, False) for b in body),
    ]:
        if len(text) > 2000:
            continue
        for year, quarter, label in quarter_labels(text):
            if strong or _bare(text, label):
                quarters.append((quarter_end(year, quarter), label, strong))
        if (
            "as " in text.lower()
            or "position" in text.lower()
            or "snapshot" in text.lower()
            or "date" in text.lower()
        ):
            for date, phrase in snapshot_wording(text):
                if strong or _bare(text, phrase):
                    wording.append((date, phrase, strong))

    candidates: list[Dating] = []
    for rank, found, what in ((QUARTER, quarters, "quarter label"), (WORDING, wording, "snapshot wording")):
        decided = _decide(found, records, what)
        if isinstance(decided, str):
            notes.append(decided)
        elif decided is not None:
            date, reason = decided
            candidates.append(Dating(date, fiscal_year_of(date), rank, reason))
    named = file_year(path)
    if named is not None:
        year, named_quarter = named
        if named_quarter is not None:
            reason = f"file name {path.name} (financial year {fy_label(year)}, quarter {named_quarter})"
            candidates.append(Dating(quarter_end(year, named_quarter), year, FILE_NAME, reason))
        else:
            reason = f"file name {path.name} (financial year {fy_label(year)}; year-end rule)"
            candidates.append(Dating(year_end(year, layout, five_point), year, FILE_NAME, reason))
    in_headers = header_year(layout)
    if in_headers is not None:
        year, header = in_headers
        reason = f"budget header {header!r} (financial year {fy_label(year)}; year-end rule)"
        candidates.append(Dating(year_end(year, layout, five_point), year, HEADER, reason))
    entered = id_year(ids)
    if entered is not None:
        reason = f"latest entry quarter of its GMPP IDs ({fy_label(entered)}; year-end rule)"
        candidates.append(Dating(year_end(entered, layout, five_point), entered, ID_QUARTER, reason))
    if not candidates:
        return None, notes
    chosen = candidates[0]
    # Weaker evidence naming another financial year is worth a look (IDs only if later: a
    # project enters the portfolio before the release that lists it).
    conflicts = tuple(
        f"its {EVIDENCE[c.rank]} says {fy_label(c.fiscal_year)}"
        for c in candidates[1:]
        if c.fiscal_year != chosen.fiscal_year
        and (c.rank != ID_QUARTER or c.fiscal_year > chosen.fiscal_year)
    )
    return Dating(chosen.snapshot, chosen.fiscal_year, chosen.rank, chosen.reason, conflicts), notes
