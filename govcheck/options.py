"""Rule options: thresholds a rule declares and users may set in the configuration."""

from __future__ import annotations

from typing import Any, Union

from pydantic import BaseModel, ConfigDict, Field, StrictFloat, StrictInt

Number = Union[StrictInt, StrictFloat]
OPTION_NAME = r"^[a-z][a-z0-9_]*$"


class Option(BaseModel):
    """A threshold of a rule that users may set (`options:` in the configuration). A condition
    compares a fact with it by writing `{option: name}` where it would write a number."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    default: Number
    description: str = Field(min_length=5)
    value: Number | None = Field(default=None, description="Set by the configuration; else the default.")
    parameter: str | None = Field(
        default=None,
        pattern=OPTION_NAME,
        description="The schedule analysis parameter it also sets (e.g. high_float_days).",
    )

    @property
    def effective(self) -> int | float:
        return self.default if self.value is None else self.value


def resolve_options(value: Any, options: dict[str, Any]) -> Any:
    """`{option: name}` anywhere in a condition replaced by the option's value."""
    if isinstance(value, dict):
        if set(value) == {"option"}:
            name = value["option"]
            option = options.get(name) if isinstance(name, str) else None
            if not isinstance(option, dict):
                known = ", ".join(sorted(options)) or "none"
                raise ValueError(f"when: no option {name!r} (the rule's options: {known})")
            return option["value"] if option.get("value") is not None else option.get("default")
        return {k: resolve_options(v, options) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve_options(v, options) for v in value]
    return value
