"""The terminal report: rich markup from a template, one outcome at a time, printed by rich.

Waived and baselined findings are counted, not printed, unless `show_suppressed` is set
(`--show-suppressed`): CI logs show what needs fixing.
"""

from __future__ import annotations

import shutil

from govcheck.formats import Format
from govcheck.formats.stream import Meta, Out, Summary, summary_line
from govcheck.report import Outcome
from govcheck.rule import Severity
from govcheck.vocab import RATING_MEANING, RATING_STYLE, SEVERITY_STYLE, VFM_SENTENCES

__all__ = ["FORMAT", "RATING_STYLE", "SEVERITY_STYLE", "console_width", "to_console_text"]


def console_width() -> int:
    return min(shutil.get_terminal_size((100, 24)).columns, 120)


class TerminalWriter:
    def __init__(self, out: Out) -> None:
        from govcheck.templating import report_environment

        self.out = out
        self.template = report_environment().get_template("terminal.j2")
        self.width = console_width()
        self.show_suppressed = False
        self.fail_on = Severity.high
        self.count = 0

    def start(self, meta: Meta) -> None:
        self.show_suppressed = meta.show_suppressed
        self.fail_on = meta.fail_on

    def outcome(self, outcome: Outcome) -> None:
        if self.count:
            self.out.write("\n")
        self.count += 1
        self.out.write(
            self.template.render(
                o=outcome,
                width=self.width,
                show_suppressed=self.show_suppressed,
                rating_style=RATING_STYLE,
                severity_style=SEVERITY_STYLE,
                vfm=VFM_SENTENCES,
                meaning=RATING_MEANING,
            )
        )

    def finish(self, summary: Summary) -> None:
        from govcheck.templating import rich_escape

        self.out.write("\n" + rich_escape(summary_line(summary, self.fail_on)) + "\n")


FORMAT = Format(name="terminal", writer=TerminalWriter, suffix=".txt", console=True)


def to_console_text(markup: str, *, color: bool, width: int | None = None) -> str:
    """Turn rich markup into ANSI (colour) or plain text."""
    return ConsoleText(color=color, width=width).convert(markup)


class ConsoleText:
    """One rich console, reused to turn successive pieces of markup into text."""

    def __init__(self, *, color: bool, width: int | None = None) -> None:
        from rich.console import Console

        self.color = color
        self.console = Console(
            record=True,
            force_terminal=color,
            no_color=not color,
            width=width or 1000,
            file=_Null(),
            highlight=False,
            soft_wrap=True,
        )

    def convert(self, markup: str) -> str:
        self.console.print(markup, end="")
        return self.console.export_text(styles=self.color, clear=True)


class _Null:
    def write(self, _: str) -> int:
        return 0

    def flush(self) -> None:
        pass
