"""The words every report uses: the delivery confidence scale and value-for-money results.

One place for them, so formats read the same wording and stop importing each other. The
rating scale is the IPA's five-point delivery confidence assessment; three-point ratings
(2022 onwards) use the same names Red, Amber and Green.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Literal, get_args

#: A rating's name, as facts and reports carry it (descriptions read it as `model.Rating`).
RatingName = Literal["Green", "Amber/Green", "Amber", "Amber/Red", "Red"]
#: Best first, as the IPA lists it.
RATING_SCALE: tuple[str, ...] = get_args(RatingName)
#: Worst first, as summaries count them.
RATINGS_WORST_FIRST: tuple[str, ...] = tuple(reversed(RATING_SCALE))

#: 0 Green to 4 Red.
RATING_RANK = MappingProxyType({name: i for i, name in enumerate(RATING_SCALE)})


def rating_gap(theirs: str, ours: str) -> str:
    """How another rating stands beside govcheck's, in words: 'two steps more optimistic'."""
    steps = RATING_RANK[ours] - RATING_RANK[theirs]
    if steps == 0:
        return "the same as govcheck's"
    size = ("one step", "two steps", "three steps", "four steps")[abs(steps) - 1]
    return f"{size} {'more' if steps > 0 else 'less'} optimistic than govcheck's"


RATING_MEANING = MappingProxyType(
    {
        "Green": "successful delivery appears highly likely",
        "Amber/Green": "successful delivery appears probable, with constant attention",
        "Amber": "successful delivery appears feasible, but significant issues need management attention",
        "Amber/Red": "successful delivery is in doubt, with major risks in several key areas",
        "Red": "successful delivery appears unachievable without urgent action",
    }
)

#: Value-for-money results, worst first.
VFM_RESULTS: tuple[str, ...] = ("not_achieved", "at_risk", "not_yet_determinable", "achieved")

#: "<programme name> <sentence>."
VFM_SENTENCES = MappingProxyType(
    {
        "not_achieved": "has not achieved value for money to date",
        "at_risk": "is at risk of not achieving value for money",
        "not_yet_determinable": (
            "cannot yet be shown to achieve value for money: no benefits were due by the assessment date"
        ),
        "achieved": "is, on the evidence given, on course to achieve value for money",
    }
)

VFM_LABELS = MappingProxyType(
    {
        "not_achieved": "Not achieved",
        "at_risk": "At risk",
        "not_yet_determinable": "Not yet determinable",
        "achieved": "Achieved",
    }
)

#: rich styles for the terminal formats.
RATING_STYLE = MappingProxyType(
    {
        "Green": "bold white on green",
        "Amber/Green": "bold black on yellow3",
        "Amber": "bold black on dark_orange",
        "Amber/Red": "bold white on red3",
        "Red": "bold white on red",
    }
)
SEVERITY_STYLE = MappingProxyType(
    {
        "critical": "bold white on red",
        "high": "bold red",
        "medium": "yellow",
        "low": "cyan",
        "info": "dim",
    }
)


def letters(n: int) -> str:
    """a, b, ... z, aa, ab: the lettering of NAO recommendations (n counts from 0)."""
    out = ""
    n += 1
    while n:
        n, rest = divmod(n - 1, 26)
        out = chr(ord("a") + rest) + out
    return out
