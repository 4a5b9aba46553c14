"""The compact format, for CI logs: one line per active finding, then a one-line summary.

    FILE:LINE:COL: SEVERITY RULE-ID message
    FILE:LINE:COL: FIELD: message          (a file that could not be checked)

A file error is the error line govcheck prints on standard error, without its `govcheck: `
prefix, so one problem-matcher pattern, `^(.+?):(\\d+):(\\d+): (.*)$`, reads both. In a
workbook the place is a sheet and cell, `FILE:Sheet!C4: ...`, for findings and errors alike.
Programme text is folded onto one line and control characters are escaped as `\\xNN`, so no
message can forge a line or move the cursor. Evidence gaps that fail the run (raised with
`--evidence-gaps`) follow a file's findings, as `SEVERITY evidence-gap`; the others, and
waived and baselined findings, are counted in the summary.
"""

from __future__ import annotations

import re
from typing import Any

from govcheck.formats import Format
from govcheck.formats.stream import Meta, Out, Summary, summary_line
from govcheck.report import FileError, Outcome
from govcheck.rule import Severity

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def one_line(text: Any) -> str:
    """Text on one line: whitespace runs folded to a space, other control characters escaped."""
    return _CONTROL.sub(_escape, " ".join(str(text).split()))


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


class CompactWriter:
    def __init__(self, out: Out) -> None:
        self.out = out
        self.fail_on = Severity.high

    def start(self, meta: Meta) -> None:
        self.fail_on = meta.fail_on

    def outcome(self, outcome: Outcome) -> None:
        if isinstance(outcome, FileError):
            self.out.write(one_line(outcome.text) + "\n")
            return
        failing_gaps = (g for g in outcome.gaps if g.severity.rank >= self.fail_on.rank)
        for f in (*outcome.findings, *failing_gaps):
            if f.active:
                loc = f.location
                where = one_line(loc.where) if loc.cell else f"{one_line(loc.file)}:{loc.line}:{loc.column}"
                self.out.write(f"{where}: {f.severity.value} {f.rule_id} {one_line(f.message)}\n")

    def finish(self, summary: Summary) -> None:
        self.out.write(summary_line(summary, self.fail_on) + "\n")


FORMAT = Format(name="compact", writer=CompactWriter, suffix=".txt")
