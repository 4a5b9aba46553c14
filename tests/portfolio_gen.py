"""A large portfolio of known shape for the dashboard's browser test and its benchmark
(benchmarks/dashboard.py): `latest` programmes as at one release and `earlier` last seen in an
earlier one, drawn from three examples, with ratings, departments in several spellings and
(for most) a history of cost, end date and ratings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from govcheck import __version__
from govcheck.checker import Checker
from govcheck.report import ProgrammeRef, Report, Run

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
BASES = ("ngss", "troubled", "healthy")
LATEST = "2024-03-31"
EARLIER = "2016-09-30"

#: Spellings of the same department, as GMPP releases give them.
DEPARTMENTS = ("MoD", "MOD", "DfT", "DFT", "Home Office", "HM Treasury", "Cabinet Office")


def base_reports() -> dict[str, Report]:
    """The three examples the portfolio's programmes are drawn from, checked."""
    checker = Checker()
    return {name: checker.check_path(EXAMPLES / f"{name}.yaml") for name in BASES}  # type: ignore[misc]


def programme(base: Report, i: int, as_at: str) -> Report:
    """`base` as programme i of a release as at `as_at`: IPA and SRO ratings now, and (for most)
    two earlier releases with ratings, whole-life cost and planned end."""
    ratings = ("Green", "Amber/Green", "Amber", "Amber/Red", "Red")
    year = int(as_at[:4])
    history: list[dict[str, Any]] = []
    if i % 5:  # every fifth programme is in its first release: its change columns are n/a
        history = [
            {
                "date": f"{year - 2}-03-31",
                "whole_life_cost": 100.0 + i,
                "planned_end_date": f"{year + 2}-03-31",
                "ratings": [{"by": "IPA", "rating": ratings[i % 5]}, {"by": "SRO", "rating": "Green"}],
            },
            {
                "date": f"{year - 1}-03-31",
                "whole_life_cost": 110.0 + i,
                "planned_end_date": f"{year + 2}-09-30",
                "ratings": [{"by": "IPA", "rating": ratings[(i + 1) % 5]}],
            },
            {"date": as_at, "whole_life_cost": 100.0 + i * 1.5, "planned_end_date": f"{year + 3}-03-31"},
        ]
    data = base.programme.model_dump()
    data.update(
        name=f"Programme {i:04d} " + "with a long descriptive name " * (i % 3),
        department=DEPARTMENTS[i % len(DEPARTMENTS)],
        source=f"p{i:04d}-{as_at}.yaml",
        id=f"p{i:04d}-{as_at}",
        assessment_date=as_at,
        reference_ratings=(
            {"by": "IPA", "rating": ratings[(i + 2) % 5], "date": as_at},
            {"by": "SRO", "rating": "Green", "date": as_at},
        ),
        history=tuple(history),
        sources=({"title": "GMPP data", "publisher": "IPA", "date": as_at},),  # an import cites its release
    )
    return base.model_copy(update={"programme": ProgrammeRef(**data)})


def portfolio(reports: dict[str, Report], latest: int, earlier: int) -> Run:
    bases = [reports[n] for n in BASES]
    outcomes = [programme(bases[i % 3], i, LATEST) for i in range(latest)]
    outcomes += [programme(bases[i % 3], i, EARLIER) for i in range(latest, latest + earlier)]
    return Run(govcheck_version=__version__, outcomes=tuple(outcomes))
