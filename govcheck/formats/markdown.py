"""The Markdown report, written the way the NAO writes: findings, a conclusion, recommendations.

One template renders one outcome; reports are written as they arrive, separated by rules.
"""

from __future__ import annotations

from govcheck.formats import Format
from govcheck.formats.stream import Meta, Out, Summary
from govcheck.report import Outcome
from govcheck.vocab import RATING_MEANING, VFM_SENTENCES, letters

__all__ = ["FORMAT", "RATING_MEANING", "VFM_SENTENCES", "letters"]  # html.py imports these from here


class MarkdownWriter:
    def __init__(self, out: Out) -> None:
        from govcheck.templating import report_environment

        self.out = out
        self.template = report_environment().get_template("report.md.j2")
        self.count = 0

    def start(self, meta: Meta) -> None:
        pass

    def outcome(self, outcome: Outcome) -> None:
        if self.count:
            self.out.write("---\n\n")
        self.count += 1
        self.out.write(
            self.template.render(o=outcome, vfm=VFM_SENTENCES, meaning=RATING_MEANING, letters=letters)
        )

    def finish(self, summary: Summary) -> None:
        pass


FORMAT = Format(name="markdown", writer=MarkdownWriter, suffix=".md")
