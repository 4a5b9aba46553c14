"""JSON written a piece at a time, laid out exactly as `json.dumps(indent=2)` lays it out."""

from __future__ import annotations

import json
import re
from typing import Any

import orjson

from govcheck.formats.stream import Out

_C1 = re.compile("[\x7f-\x9f]")
#: Types orjson would write that json.dumps refuses: passed through, so they are refused as before.
_REFUSE = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS
#: orjson writes a float under 1e-4 in full (`0.00001`) or with a one-digit exponent (`1e-7`)
#: where Python writes `1e-05` and `1e-07`; Python's own forms never look like these.
_TINY = re.compile(rb"0\.0000|e-\d(?!\d)")


def dumps(value: Any, *, sort_keys: bool = False) -> str:
    """The text of `json.dumps(value, indent=2, ensure_ascii=False, sort_keys=sort_keys)`,
    byte for byte, encoded by orjson (many times faster). What orjson cannot write the same
    way (integers beyond 64 bits, keys that are not text, lone surrogates, floats under 1e-4)
    goes to json.dumps. One difference is kept on purpose: a number that is not finite is
    written `null`, valid JSON, where json.dumps would write `NaN` or `Infinity`."""
    option = orjson.OPT_INDENT_2 | _REFUSE | (orjson.OPT_SORT_KEYS if sort_keys else 0)
    try:
        data = orjson.dumps(value, option=option)
    except orjson.JSONEncodeError:
        data = None
    if data is None or _TINY.search(data):
        return json.dumps(value, indent=2, ensure_ascii=False, sort_keys=sort_keys)
    return data.decode("utf-8")


def indented(value: Any, level: int, *, sort_keys: bool = False) -> str:
    """`value` as indented JSON, to sit `level` levels deep in a larger indented document.

    Text stays as it is (not \\u-escaped) except DEL and the C1 controls, which json.dumps
    leaves raw and a terminal would act on: they are escaped, so the value is unchanged.
    """
    text = dumps(value, sort_keys=sort_keys)
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
