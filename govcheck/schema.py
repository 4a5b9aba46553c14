"""The JSON Schema of the programme format, generated from the models, for editors."""

from __future__ import annotations

import json
from typing import Any

from govcheck import __version__
from govcheck.model import UNKNOWN, Programme

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
    schema = Programme.model_json_schema(mode="validation")
    for definition in [schema, *schema.get("$defs", {}).values()]:
        _allow_unknown(definition)
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://govcheck.dev/schema/programme-{__version__}.json",
        **schema,
    }
    schema["title"] = "govcheck programme description"
    return json.dumps(schema, indent=2, sort_keys=False)
