"""The JSON Schema of the programme format, generated from the models, for editors."""

from __future__ import annotations

import json

from govcheck import __version__
from govcheck.model import Programme


def programme_schema() -> str:
    schema = Programme.model_json_schema(mode="validation")
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://govcheck.dev/schema/programme-{__version__}.json",
        **schema,
    }
    schema["title"] = "govcheck programme description"
    return json.dumps(schema, indent=2, sort_keys=False)
