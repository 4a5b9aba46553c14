"""The JSON Schema of the programme format, generated from the models, for editors.

It is made to accept and refuse what govcheck's validator accepts and refuses, as far as a
JSON Schema can see. Editors (yaml-language-server) read YAML 1.2, where `yes` is text and
`2016-05-20` is a string; govcheck reads YAML 1.1, where `yes` is true and an unquoted date
is a date. So, in the schema:

- a yes/no field also takes the words YAML 1.1 reads as booleans (`yes`, `no`, `on`, `off`);
- a text field refuses those words and anything YAML 1.1 reads as a date, which govcheck
  would not take as text;
- a date is an ISO date between 1900 and 2100;
- a number is finite.

What no JSON Schema can see: whether a value was quoted (govcheck refuses a quoted date and a
quoted `yes` for a yes/no field, and takes a quoted `'yes'` as text), whether a whole
number was written as `2.0` (govcheck wants `2`), and text such as `1e3` that YAML 1.2 reads
as a number, and `.nan`, which JSON cannot carry. Cross-field rules (dates in order, one
currency, checkpoints within the total) are checked only by govcheck.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from govcheck import __version__
from govcheck.model import EARLIEST, LATEST, UNKNOWN, Programme

#: What YAML 1.1 reads as booleans beyond YAML 1.2's true/false.
YAML11_BOOL_WORDS = tuple(
    form for word in ("yes", "no", "on", "off") for form in (word, word.capitalize(), word.upper())
)
#: What YAML 1.1 (PyYAML's timestamp resolver) reads as a date or a date and time.
YAML11_TIMESTAMP = r"^[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?([Tt \t]|$)"
DATE_PATTERN = r"^(19[0-9][0-9]|20[0-9][0-9]|2100)-[0-9][0-9]-[0-9][0-9]$"
_NOT_DESCRIBED = {"const": UNKNOWN, "description": "Not described (the same as leaving the field out)."}


def _allow_unknown(definition: dict[str, Any]) -> None:
    """Every optional property of an object may also be written `unknown`, as the model allows."""
    required = set(definition.get("required", ()))
    for name, prop in definition.get("properties", {}).items():
        if name in required:
            continue
        keep = {k: prop.pop(k) for k in ("default", "description", "title") if k in prop}
        options = prop.pop("anyOf", None) or [dict(prop)]
        prop.clear()
        prop.update(keep, anyOf=[*options, _NOT_DESCRIBED])


def programme_schema() -> str:
    if (EARLIEST.year, LATEST.year) != (1900, 2100):  # pragma: no cover - a reminder, not a branch
        raise AssertionError("the date range changed: update DATE_PATTERN")
    schema = Programme.model_json_schema(mode="validation")
    for definition in [schema, *schema.get("$defs", {}).values()]:
        _allow_unknown(definition)
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://govcheck.dev/schema/programme-{__version__}.json",
        **_as_govcheck_reads(schema),
    }
    schema["title"] = "govcheck programme description"
    return json.dumps(schema, indent=2, sort_keys=False)


def _as_govcheck_reads(node: Any) -> Any:
    """The generated schema, adjusted node by node to the way govcheck reads YAML."""
    if isinstance(node, list):
        return [_as_govcheck_reads(n) for n in node]
    if not isinstance(node, dict):
        return node
    node = {k: _as_govcheck_reads(v) for k, v in node.items()}
    kind = node.get("type")
    if kind == "boolean":
        keep = {k: v for k, v in node.items() if k != "type"}
        return {**keep, "anyOf": [{"type": "boolean"}, {"enum": list(YAML11_BOOL_WORDS)}]}
    if kind == "number" and "maximum" not in node:
        return {**node, "maximum": sys.float_info.max}  # finite: YAML's .inf is refused
    if kind == "string" and node.get("format") == "date":
        return {**node, "pattern": DATE_PATTERN}
    if kind == "string" and not {"enum", "const", "format"} & set(node):
        # Text and names (a length, no pattern) cannot be `unknown` where they are required; where
        # they are optional, `unknown` is the separate alternative `_allow_unknown` adds.
        refused = [*YAML11_BOOL_WORDS, *([UNKNOWN] if "minLength" in node and "pattern" not in node else [])]
        return {**node, "not": {"anyOf": [{"enum": refused}, {"pattern": YAML11_TIMESTAMP}]}}
    return node
