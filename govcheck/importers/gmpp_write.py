"""Writing programme descriptions as YAML files: safe dumper, stable order, a header comment
naming the releases the description rests on and how each figure was read."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from govcheck.importers.gmpp_build import Description

LICENCE = "Contains public sector information licensed under the Open Government Licence v3.0."
_UNSAFE_IN_COMMENT = re.compile(r"[^\x20-\x7e\u00a0-\ud7ff\ue000-\ufffd]")


try:
    from yaml import CSafeDumper as _Base
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeDumper as _Base  # type: ignore[assignment]


class _Dumper(_Base):
    """The safe dumper, without anchors and aliases: every value is written where it is used."""

    def ignore_aliases(self, data: object) -> bool:
        return True


def _comment(text: str) -> str:
    """One comment line: anything YAML could read as a line break or control is replaced."""
    indent = len(text) - len(text.lstrip(" "))
    return "# " + " " * indent + _UNSAFE_IN_COMMENT.sub(" ", " ".join(text.split()))


def render(description: Description) -> str:
    lines = [
        _comment("Imported with `govcheck import gmpp` from Government Major Projects Portfolio data"),
        _comment("published by the Infrastructure and Projects Authority."),
        _comment(LICENCE),
        _comment("Source releases (oldest first):"),
        *(_comment(f"  {s}") for s in description.sources),
        _comment("What the releases do not say is left out: it is not described."),
    ]
    if description.notes:
        lines.append(_comment("How figures were read, and what was left out and why:"))
        lines.extend(_comment(f"  - {n}") for n in description.notes)
    body = yaml.dump(
        description.data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
    )
    return "\n".join(lines) + "\n" + body


def write(directory: Path, name: str, text: str) -> None:
    from govcheck.output import write_atomic

    write_atomic(directory / name, text)
