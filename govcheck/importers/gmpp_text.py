"""Free text from a GMPP cell: names, departments, descriptions.

Text is tidied (line ends normalised, control characters and spreadsheet escapes removed),
cut to the format's limits with a note, and defused: text that a spreadsheet would run as a
formula is kept as text.
"""

from __future__ import annotations

import re

from govcheck.importers.gmpp_cells import Value, not_published

MAX_TEXT = 10_000
MAX_NAME = 500

_FORMULA_START = ("=", "+", "@", "\t", "\r")
# Spreadsheet XML's escape for a control character ("_x000D_" for a carriage return), left in
# text that went through a spreadsheet on its way to CSV.
_XML_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _unescape(text: str) -> str:
    return _XML_ESCAPE.sub(lambda m: chr(int(m[1], 16)), text) if "_x" in text else text


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def defuse(text: str) -> str:
    """Text that a spreadsheet would run as a formula is kept as text: prefixed with an apostrophe,
    the spreadsheet convention for a literal."""
    if text.startswith(_FORMULA_START) or re.match(r"-\S", text):
        return "'" + text
    return text


def parse_text(text: str, *, limit: int = MAX_TEXT) -> Value[str]:
    """Free text, tidied: line ends normalised, control characters dropped, formulas defused,
    cut at `limit` characters with a note."""
    text = _unescape(text)
    cleaned = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).replace("\u00a0", " ")
    cleaned = re.sub(r"[ \t]+\n", "\n", re.sub(r"\n{3,}", "\n\n", cleaned)).strip()
    empty: Value[str] | None = not_published(cleaned) if len(cleaned) < 200 else None
    if empty is not None:
        return empty
    cleaned = defuse(cleaned)
    if len(cleaned) > limit:
        return Value(cleaned[: limit - 1] + "…", note=f"shortened from {len(cleaned):,} characters")
    return Value(cleaned)


def parse_name(text: str) -> Value[str]:
    """A project name or department: one line, at most MAX_NAME characters."""
    flat = _CONTROL.sub("", " ".join(_unescape(text).replace("\u00a0", " ").split()))
    if not flat:
        return Value(None)
    flat = defuse(flat)
    if len(flat) > MAX_NAME:
        return Value(flat[: MAX_NAME - 1] + "…", note=f"shortened from {len(flat):,} characters")
    return Value(flat)
