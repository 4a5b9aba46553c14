"""Project configuration: `.govcheck.yaml`, or `[tool.govcheck]` in pyproject.toml.

Validated like programme files, with the same one-line errors.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from govcheck.errors import InputError, RuleError
from govcheck.rule import Severity
from govcheck.validation import validate
from govcheck.yamlsource import Source, display_path, load

CONFIG_NAMES = (".govcheck.yaml", ".govcheck.yml")


class Config(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    enable: tuple[str, ...] = Field(default=(), description="Only these rule ids or categories.")
    disable: tuple[str, ...] = Field(default=(), description="Rule ids or categories to skip.")
    severity: dict[str, Severity] = Field(default_factory=dict, description="Rule id -> severity.")
    rules_dirs: tuple[str, ...] = Field(default=(), description="Extra rule directories.")
    fail_on: Severity | None = None
    waivers: str | None = Field(default=None, description="Waiver file.")
    baseline: str | None = Field(default=None, description="Baseline file.")
    gate: int | None = Field(default=None, ge=0, le=5)
    evidence_gaps: Severity | None = Field(
        default=None, description="Severity of evidence-gap notes (default low)."
    )
    base_dir: str = Field(default=".", exclude=True, description="Where relative paths start.")

    def resolve(self, path: str) -> str:
        return str(Path(self.base_dir) / path)


def find_config(start: Path | None = None) -> Path | None:
    """The nearest configuration in `start` (the working directory) or its parents."""
    here = (start or Path.cwd()).resolve()
    for directory in (here, *here.parents):
        for name in CONFIG_NAMES:
            if (directory / name).is_file():
                return directory / name
        pyproject = directory / "pyproject.toml"
        if pyproject.is_file() and _has_tool_section(pyproject):
            return pyproject
    return None


def _has_tool_section(path: Path) -> bool:
    try:
        return "govcheck" in tomllib.loads(path.read_text(encoding="utf-8")).get("tool", {})
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False


def load_config(path: Path | None) -> Config:
    if path is None:
        return Config()
    base = str(path.resolve().parent)
    if path.name == "pyproject.toml":
        try:
            table = tomllib.loads(path.read_text(encoding="utf-8")).get("tool", {}).get("govcheck", {})
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise RuleError(f"cannot read configuration: {exc}", file=display_path(path)) from None
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
