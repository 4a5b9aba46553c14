"""Rule files that stand for several rules: one rule written once over a list of variants.

A rule file may carry `variants:`, a list of mappings from names to words. The file then
stands for one rule per variant: every `${name}` in the rest of the file (its id, category,
condition, templates and test cases) is replaced by that variant's value. The rule id of
each must begin with the file's name and a hyphen, so a rule can still be found from its id.
This is how one judgement applies to each part of a programme without a file per part.
"""

from __future__ import annotations

import re
from typing import Any

TOKEN = re.compile(r"\$\{([a-z_]+)\}")
KEY = "variants"


class VariantError(ValueError):
    """A variants list that is malformed, or a token that no variant defines."""

    def __init__(self, message: str, pointer: str) -> None:
        super().__init__(message)
        self.pointer = pointer


def expand(data: Any) -> list[Any]:
    """The rule data a file stands for: itself, or one copy per variant with tokens replaced."""
    if not isinstance(data, dict) or KEY not in data:
        return [data]
    variants = data[KEY]
    if not isinstance(variants, list) or not variants:
        raise VariantError("variants must be a non-empty list of mappings", f"/{KEY}")
    rest = {k: v for k, v in data.items() if k != KEY}
    expanded = []
    for i, variant in enumerate(variants):
        if not isinstance(variant, dict) or not all(
            isinstance(k, str) and TOKEN.fullmatch(f"${{{k}}}") and isinstance(v, str)
            for k, v in variant.items()
        ):
            raise VariantError("a variant maps lower-case names to text", f"/{KEY}/{i}")
        expanded.append(_substitute(rest, variant, i))
    return expanded


def _substitute(value: Any, variant: dict[str, str], index: int) -> Any:
    if isinstance(value, str):

        def replace(match: re.Match[str]) -> str:
            name = match.group(1)
            if name not in variant:
                raise VariantError(f"variant {index + 1} does not define ${{{name}}}", f"/{KEY}/{index}")
            return variant[name]

        return TOKEN.sub(replace, value)
    if isinstance(value, dict):
        return {_substitute(k, variant, index): _substitute(v, variant, index) for k, v in value.items()}
    if isinstance(value, list):
        return [_substitute(v, variant, index) for v in value]
    return value
