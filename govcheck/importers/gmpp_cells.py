"""Reading one GMPP cell: money, dates and ratings, as published (free text: gmpp_text).

Every parser returns a `Value`: the value, or None with the reason it is not described
(an FOI exemption, a range, text where a figure belongs), and an optional note kept beside
a value that needed interpreting (the mid value of a range, real prices).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Generic, TypeVar

T = TypeVar("T")

# Cells that say "nothing published" without a reason worth keeping.
_BLANK = re.compile(
    r"^(|-+|\u2013|\u2014|n/?a|#n/?a|none|nil|tbc|tbd|not applicable|not available|no dca|no data|"
    r"no departmental narrative|no end date|not provided|data not provided)\.?$"
)
_EXEMPT = re.compile(r"\bexempt|\bfreedom of information|\bfoi\b|\bsection\s+\d+", re.I)
_PRICES = re.compile(
    r"^\(?\s*(?:in\s+)?(?:(?P<year>\d{4}\s*[/-]\s*\d{2,4})\s+)?(?P<kind>real|nominal|cash)"
    r"(?:\s+(?:terms|prices))?(?:\s+(?P<year2>\d{4}\s*[/-]\s*\d{2,4}))?\s*(?:prices)?\s*\)?\.?$",
    re.I,
)
_NUMBER = re.compile(
    r"^(?P<neg>[-\u2212\u2013(])?\s*£?\s*(?P<neg2>[-\u2212])?\s*(?P<num>\d[\d,]*(?:\.\d+)?|\.\d+)\s*"
    r"(?P<unit>bn|billion|b|mn|million|m|k|thousand)?\)?(?![\w.])\s*(?P<rest>.*)$",
    re.I,
)
_UNITS = {
    "bn": Decimal(10**9),
    "billion": Decimal(10**9),
    "b": Decimal(10**9),
    "mn": Decimal(10**6),
    "million": Decimal(10**6),
    "m": Decimal(10**6),
    "k": Decimal(10**3),
    "thousand": Decimal(10**3),
}
_MID = re.compile(
    r"\bmid(?:dle|point|-point)?\b\s*(?:value|case|estimate)?\s*[:=-]?\s*(?P<v>.+?)\s*[,;|/]?\s*"
    r"(?=\b(?:high|low|max|min)|$)",
    re.I,
)
_RANGE_SPLIT = re.compile(r"\s+(?:to|-|\u2013|\u2014)\s+|\s*[\u2013\u2014]\s*", re.I)
# Money ranges may also be written tight: "£1.5bn-£1.9bn", "100-150".
_MONEY_RANGE_SPLIT = re.compile(
    r"\s+(?:to|-|\u2013|\u2014)\s+|\s*[\u2013\u2014]\s*|(?<=[\dmnk])\s*-\s*(?=£?\d)", re.I
)
_LABELS = re.compile(r"\b(?:low|min(?:imum)?|high|max(?:imum)?)\b\s*[:=]?", re.I)


@dataclass(frozen=True, slots=True)
class Value(Generic[T]):
    value: T | None
    reason: str | None = None  # why it is not described, when the cell said why
    note: str | None = None  # how a described value was read, when that needs saying


def clip(text: str, limit: int = 80) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _plain(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


def not_published(text: str) -> Value[T] | None:
    """A Value without a value when the cell holds no figure at all, else None."""
    plain = _plain(text)
    if _BLANK.match(plain.lower()):
        return Value(None)
    if _EXEMPT.search(plain):
        return Value(None, reason=f"exempt from publication ({clip(plain)})")
    return None


def parse_money(text: str, scale: Decimal = Decimal(10**6), *, formula: bool = False) -> Value[Decimal]:
    """An amount in pounds. `scale` is the header's unit (GMPP publishes £m); a unit in the cell
    ("£1.2bn", "£350k") takes precedence. Negative amounts are not described (money is >= 0)."""
    if formula:
        return Value(None, reason=f"a spreadsheet formula, not a figure ({clip(text, 40)})")
    empty: Value[Decimal] | None = not_published(text)
    if empty is not None:
        return empty
    plain = _plain(text)
    single = _one_amount(plain, scale)
    if single.value is not None:
        return single
    ranged = _range(
        plain, lambda part: _one_amount(part, scale), _mid_amount, "an amount", _MONEY_RANGE_SPLIT
    )
    return ranged if ranged.value is not None or single.reason == "range" else single


def _one_amount(plain: str, scale: Decimal) -> Value[Decimal]:
    m = _NUMBER.match(plain)
    if not m:
        return Value(None, reason=f"not a figure ({clip(plain, 60)})")
    rest = m["rest"].strip()
    note = None
    if rest:
        prices = _PRICES.match(rest)
        if prices is None:
            if (
                _MONEY_RANGE_SPLIT.match(" " + rest)
                or rest[:1] in "-\u2013\u2014"
                or rest.lower().startswith("to ")
            ):
                return Value(None, reason="range")
            return Value(None, reason=f"not a plain figure ({clip(plain, 60)})")
        year = prices["year"] or prices["year2"]
        note = (
            f"in {year.replace(' ', '')} {prices['kind'].lower()} prices"
            if year
            else f"in {prices['kind'].lower()} terms"
        )
    try:
        number = Decimal(m["num"].replace(",", ""))
    except InvalidOperation:
        return Value(None, reason=f"not a figure ({clip(plain, 60)})")
    unit = _UNITS.get((m["unit"] or "").lower(), scale)
    amount = number * unit
    if m["neg"] in {"-", "\u2212", "\u2013", "("} or m["neg2"]:
        return Value(None, reason=f"negative amount ({clip(plain, 40)}); money must not be negative")
    return Value(amount.quantize(Decimal("0.01")), note=note)


def _mid_amount(values: list[Decimal]) -> Decimal:
    return ((values[0] + values[-1]) / 2).quantize(Decimal("0.01"))


def parse_date(text: str, *, formula: bool = False) -> Value[dt.date]:
    """A date as published: 31/05/2010, 2025-02-28, 2025-02-28 00:00:00, March 2025; a range of
    dates gives its mid point with a note."""
    if formula:
        return Value(None, reason=f"a spreadsheet formula, not a date ({clip(text, 40)})")
    empty: Value[dt.date] | None = not_published(text)
    if empty is not None:
        return empty
    plain = _plain(text)
    single = _one_date(plain)
    if single.value is not None:
        return single
    ranged = _range(plain, _one_date, _mid_date, "a date", _RANGE_SPLIT)
    return ranged if ranged.value is not None else single


_MONTHS = {
    m: i
    for i, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for m in names
}


def _one_date(plain: str) -> Value[dt.date]:
    s = plain.strip().rstrip(".")
    if re.fullmatch(r"[2-7]\d{4}(?:\.0+)?", s):
        # A spreadsheet date serial (days since 30 December 1899) in a cell not formatted as a date.
        serial = dt.date(1899, 12, 30) + dt.timedelta(days=int(float(s)))
        return Value(serial, note=f"spreadsheet date serial {s}")
    try:
        if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00(?:\.0+)?)?)?", s):
            return _dated(int(m[1]), int(m[2]), int(m[3]), plain)
        if m := re.fullmatch(r"(\d{1,2})[/.-](\d{1,3})[/.-](\d{4})", s):
            return _dated(int(m[3]), int(m[2]), int(m[1]), plain)
        if m := re.fullmatch(r"(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\.?,?\s+(\d{4})", s):
            month = _MONTHS.get(m[2].lower())
            if month:
                return _dated(int(m[3]), month, int(m[1]), plain)
        if m := re.fullmatch(r"([A-Za-z]+)\.?,?\s+(\d{4})", s):
            month = _MONTHS.get(m[1].lower())
            if month:
                end = _month_end(int(m[2]), month)
                checked = _dated(end.year, end.month, end.day, plain)
                if checked.value is None:
                    return checked
                return Value(checked.value, note=f"end of the month published ({clip(plain, 30)})")
    except ValueError:
        return Value(None, reason=f"not a valid date ({clip(plain, 40)})")
    return Value(None, reason=f"not a date ({clip(plain, 60)})")


def _dated(year: int, month: int, day: int, plain: str) -> Value[dt.date]:
    date = dt.date(year, month, day)
    if not 1900 <= year <= 2100:
        return Value(None, reason=f"date {clip(plain, 30)} is outside 1900-2100")
    return Value(date)


def _month_end(year: int, month: int) -> dt.date:
    first_next = dt.date(year + month // 12, month % 12 + 1, 1)
    return first_next - dt.timedelta(days=1)


def _mid_date(values: list[dt.date]) -> dt.date:
    return values[0] + (values[-1] - values[0]) / 2


def _range(plain: str, one, mid, what: str, splitter: re.Pattern[str]):  # type: ignore[no-untyped-def]
    """A published range: the labelled mid value if there is one, else the mid point of the ends."""
    labelled = _MID.search(plain)
    if labelled:
        value = one(labelled["v"].strip())
        if value.value is not None:
            return Value(value.value, note=f"mid value of the published range ({clip(plain, 60)})")
    parts = [p.strip() for p in splitter.split(_LABELS.sub(" ", plain)) if p and p.strip(" ,;")]
    parts = [p.strip(" ,;") for p in parts]
    if len(parts) in (2, 3):
        values = [one(p) for p in parts]
        if all(v.value is not None for v in values):
            ordered = sorted(v.value for v in values)
            chosen = ordered[1] if len(ordered) == 3 else mid(ordered)
            return Value(chosen, note=f"mid value of the published range ({clip(plain, 60)})")
    return Value(None, reason=f"not {what} or a range ({clip(plain, 60)})")


_RATINGS = {
    "green": "Green",
    "g": "Green",
    "amber/green": "Amber/Green",
    "green/amber": "Amber/Green",
    "a/g": "Amber/Green",
    "ag": "Amber/Green",
    "amber": "Amber",
    "a": "Amber",
    "amber/red": "Amber/Red",
    "red/amber": "Amber/Red",
    "a/r": "Amber/Red",
    "ar": "Amber/Red",
    "red": "Red",
    "r": "Red",
}


def parse_rating(text: str, *, formula: bool = False) -> Value[str]:
    """A delivery confidence rating: five-point (Red ... Green) or three-point (Red/Amber/Green),
    in any case and spacing ("Amber/ Red", "AMBER-GREEN", "amber green")."""
    if formula:
        return Value(None, reason=f"a spreadsheet formula, not a rating ({clip(text, 40)})")
    plain = _plain(text)
    key = re.sub(r"\s*[/\\&+-]\s*|\s+", "/", plain.lower().strip(" .*"))
    key = key.replace("/and/", "/")
    if key in _RATINGS:
        return Value(_RATINGS[key])
    empty: Value[str] | None = not_published(text)
    if empty is not None:
        return empty
    return Value(None, reason=f"not a rating ({clip(plain, 60)})")
