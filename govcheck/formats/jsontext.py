"""JSON written a piece at a time, laid out exactly as `json.dumps(indent=2)` lays it out."""

from __future__ import annotations

import json
import re
from typing import Any

import orjson

from govcheck.formats.stream import Out

_C1 = re.compile("[\x7f-\x9f]")
#: A C1 control in UTF-8, searched for in the bytes first (with DEL): from its literal start
#: this is ten times faster than the class above over a whole report.
_C1_UTF8 = re.compile(b"\xc2[\x80-\x9f]")
#: Types orjson would write that json.dumps refuses: passed through, so they are refused as before.
_REFUSE = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS
_DIGITS = b"0123456789"
_NUMBER_PART = _DIGITS + b"."
_NEGATIVE_EXPONENT = re.compile(rb"e-[0-9]")  # a literal start: searched fast


def dumps(value: Any, *, sort_keys: bool = False) -> str:
    """The text of `json.dumps(value, indent=2, ensure_ascii=False, sort_keys=sort_keys)`,
    byte for byte, encoded by orjson (many times faster). What orjson cannot write the same
    way (integers beyond 64 bits, keys that are not text, lone surrogates, floats under 1e-4)
    goes to json.dumps. One difference is kept on purpose: a number that is not finite is
    written `null`, valid JSON, where json.dumps would write `NaN` or `Infinity`."""
    return _encode(value, sort_keys).decode("utf-8", "surrogatepass")


def _encode(value: Any, sort_keys: bool) -> bytes:
    """`dumps` in UTF-8 (a lone surrogate, which only json.dumps writes, kept as it is)."""
    option = orjson.OPT_INDENT_2 | _REFUSE | (orjson.OPT_SORT_KEYS if sort_keys else 0)
    try:
        data = orjson.dumps(value, option=option)
    except orjson.JSONEncodeError:
        data = None
    if data is None or _tiny_float(data):
        text = json.dumps(value, indent=2, ensure_ascii=False, sort_keys=sort_keys)
        return text.encode("utf-8", "surrogatepass")
    return data


def _tiny_float(data: bytes) -> bool:
    """Whether orjson may have written a float under 1e-4, in full (`0.00001`) or with a
    one-digit exponent (`1e-7`), where Python writes `1e-05` and `1e-07`; Python's own forms
    never look like these. (Text that looks like them only costs the slower encoder.) Searched
    from literal starts: a pattern starting with a digit class costs 20 times the encoding."""
    i = data.find(b"0.0000")
    while i != -1:
        if i == 0 or data[i - 1] not in _NUMBER_PART:
            return True
        i = data.find(b"0.0000", i + 1)
    for found in _NEGATIVE_EXPONENT.finditer(data):
        i = found.start()
        if i > 0 and data[i - 1] in _DIGITS and not data[i + 3 : i + 4].isdigit():
            return True
    return False


def indented(value: Any, level: int, *, sort_keys: bool = False) -> str:
    """`value` as indented JSON, to sit `level` levels deep in a larger indented document.

    Text stays as it is (not \\u-escaped) except DEL and the C1 controls, which json.dumps
    leaves raw and a terminal would act on: they are escaped, so the value is unchanged.
    """
    data = _encode(value, sort_keys)
    text = data.decode("utf-8", "surrogatepass")
    if b"\x7f" in data or _C1_UTF8.search(data):
        text = _C1.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    # JSON strings never hold a raw newline, so every newline here is layout.
    return text.replace("\n", "\n" + "  " * level)


class ArrayWriter:
    """A JSON array written one item at a time, laid out as json.dumps(indent=2) lays it out."""

    def __init__(self, out: Out, level: int = 0, *, sort_keys: bool = False) -> None:
        self.out = out
        self.level = level
        self.sort_keys = sort_keys
        self.count = 0

    def open(self) -> None:
        self.out.write("[")

    def item(self, value: Any) -> None:
        pad = "  " * (self.level + 1)
        self.out.write(("\n" if self.count == 0 else ",\n") + pad)
        self.out.write(indented(value, self.level + 1, sort_keys=self.sort_keys))
        self.count += 1

    def close(self) -> None:
        self.out.write("\n" + "  " * self.level + "]" if self.count else "]")
