"""Project configuration: `.govcheck.yaml`, or `[tool.govcheck]` in pyproject.toml.

Validated like programme files, with the same one-line errors.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, StrictFloat, StrictInt

from govcheck.errors import InputError, RuleError
from govcheck.reading import read_bytes
from govcheck.rule import Severity
from govcheck.validation import validate
from govcheck.yamlsource import Source, decode, display_path, load

CONFIG_NAMES = (".govcheck.yaml", ".govcheck.yml")
_TOML_WHERE = re.compile(r"\s*\(at line (\d+), column (\d+)\)")


class Config(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    enable: tuple[str, ...] = Field(default=(), description="Only these rule ids or categories.")
    disable: tuple[str, ...] = Field(default=(), description="Rule ids or categories to skip.")
    severity: dict[str, Severity] = Field(default_factory=dict, description="Rule id -> severity.")
    options: dict[str, dict[str, StrictInt | StrictFloat]] = Field(
        default_factory=dict, description="Rule id -> {option: value}: the rule's thresholds."
    )
    rules_dirs: tuple[str, ...] = Field(default=(), description="Extra rule directories.")
    fail_on: Severity | None = None
    waivers: str | None = Field(default=None, description="Waiver file.")
    baseline: str | None = Field(default=None, description="Baseline file.")
    gate: int | None = Field(default=None, ge=0, le=5)
    evidence_gaps: Severity | None = Field(
        default=None, description="Severity of evidence-gap notes (default low)."
    )
    docs_url: str | None = Field(
        default=None,
        pattern=r"^https://[^\s#]+$",
        description="Where the rule reference (docs/rules.md) is published, for SARIF help links.",
    )
    base_dir: str = Field(default=".", exclude=True, description="Where relative paths start.")

    def resolve(self, path: str) -> str:
        return str(Path(self.base_dir) / path)


def find_config(start: Path | None = None) -> Path | None:
    """The nearest configuration in `start` (the working directory) or its parents.

    A pyproject.toml counts when it has a [tool.govcheck] table; one that cannot be parsed is
    an error, not silently skipped, or the settings it holds would vanish without a word.
    """
    here = (start or Path.cwd()).resolve()
    for directory in (here, *here.parents):
        for name in CONFIG_NAMES:
            if (directory / name).exists():  # read, and refused there, even if not a regular file
                return directory / name
        pyproject = directory / "pyproject.toml"
        if pyproject.exists() and "govcheck" in _read_toml(pyproject).get("tool", {}):
            return pyproject
    return None


def _read_toml(path: Path) -> dict[str, Any]:
    name = display_path(path)
    try:
        return tomllib.loads(decode(read_bytes(path, name), name))
    except InputError as exc:
        raise exc.recast(RuleError) from None
    except tomllib.TOMLDecodeError as exc:
        text = str(exc)
        where = _TOML_WHERE.search(text)
        raise RuleError(
            f"TOML syntax error: {_TOML_WHERE.sub('', text).strip()}",
            file=name,
            line=int(where.group(1)) if where else None,
            column=int(where.group(2)) if where else None,
        ) from None


def load_config(path: Path | None) -> Config:
    if path is None:
        return Config()
    base = str(path.resolve().parent)
    if path.name == "pyproject.toml":
        table = _read_toml(path).get("tool", {}).get("govcheck", {})
        if not isinstance(table, dict):
            raise RuleError("[tool.govcheck] must be a table", file=display_path(path))
        source = Source(path=display_path(path), data=dict(table))
    else:
        try:
            source = load(path)
        except InputError as exc:
            raise exc.recast(RuleError) from None
    if "base_dir" in source.data:
        raise RuleError("unknown field", file=source.path, field="base_dir")
    config = validate(Config, source, RuleError)
    return config.model_copy(update={"base_dir": base})
