"""The terminal report: rich markup from a template, printed by rich."""

from __future__ import annotations

import shutil
from typing import Any

from govcheck.formats import Format
from govcheck.formats.markdown import RATING_MEANING, VFM_SENTENCES
from govcheck.report import Run

RATING_STYLE = {
    "Green": "bold white on green",
    "Amber/Green": "bold black on yellow3",
    "Amber": "bold black on dark_orange",
    "Amber/Red": "bold white on red3",
    "Red": "bold white on red",
}
SEVERITY_STYLE = {
    "critical": "bold white on red",
    "high": "bold red",
    "medium": "yellow",
    "low": "cyan",
    "info": "dim",
}


def console_width() -> int:
    return min(shutil.get_terminal_size((100, 24)).columns, 120)


def _context(run: Run) -> dict[str, Any]:
    return {
        "run": run,
        "width": console_width(),
        "rating_style": RATING_STYLE,
        "severity_style": SEVERITY_STYLE,
        "vfm": VFM_SENTENCES,
        "meaning": RATING_MEANING,
    }


FORMAT = Format(name="terminal", template="terminal.j2", context=_context, suffix=".txt")


def to_console_text(markup: str, *, color: bool, width: int | None = None) -> str:
    """Turn the template's rich markup into ANSI (colour) or plain text."""
    from rich.console import Console

    console = Console(
        record=True,
        force_terminal=color,
        no_color=not color,
        width=width or 1000,
        file=_Null(),
        highlight=False,
        soft_wrap=True,
    )
    console.print(markup, end="")
    return console.export_text(styles=color)


class _Null:
    def write(self, _: str) -> int:
        return 0

    def flush(self) -> None:
        pass
