"""The Markdown report, written the way the NAO writes: findings, a conclusion, recommendations."""

from __future__ import annotations

from typing import Any

from govcheck.formats import Format
from govcheck.report import Run

VFM_SENTENCES = {
    "not_achieved": "has not achieved value for money to date",
    "at_risk": "is at risk of not achieving value for money",
    "not_yet_determinable": (
        "cannot yet be shown to achieve value for money: no benefits were due by the assessment date"
    ),
    "achieved": "is, on the evidence given, on course to achieve value for money",
}
RATING_MEANING = {
    "Green": "successful delivery appears highly likely",
    "Amber/Green": "successful delivery appears probable, with constant attention",
    "Amber": "successful delivery appears feasible, but significant issues need management attention",
    "Amber/Red": "successful delivery is in doubt, with major risks in several key areas",
    "Red": "successful delivery appears unachievable without urgent action",
}


def letters(n: int) -> str:
    """a, b, ... z, aa, ab: the lettering of NAO recommendations."""
    out = ""
    n += 1
    while n:
        n, rest = divmod(n - 1, 26)
        out = chr(ord("a") + rest) + out
    return out


def _context(run: Run) -> dict[str, Any]:
    return {"run": run, "vfm": VFM_SENTENCES, "meaning": RATING_MEANING, "letters": letters}


FORMAT = Format(name="markdown", template="report.md.j2", context=_context, suffix=".md")
