"""Agreement of govcheck's delivery confidence ratings with the IPA's, beside two baselines.

    python benchmarks/agreement.py DIR... [--jobs N] [--json]

DIR holds programme files with `reference_ratings` (and, for the second baseline, `history`),
as `govcheck import gmpp` writes them. Every programme with an IPA reference rating counts.
For each release (the programmes' assessment date) and for all together it prints Spearman's
rho and the share given exactly the IPA's rating, for:

- govcheck: the rating govcheck gives;
- always Amber: the same rating for every programme (rho is undefined for a constant, so
  only its exact share means anything);
- same as last release: the IPA's own rating at the previous release, over the programmes
  whose history has one; govcheck's figures on that same subset are printed beside it, so the
  two are compared on the same programmes.

Ratings of the five-point and three-point scales share one ordinal scale (govcheck/agreement.py).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from govcheck.agreement import agreement  # noqa: E402
from govcheck.portfolio import Row, row  # noqa: E402
from govcheck.report import Report  # noqa: E402


def _figures(pairs: Sequence[tuple[str, str]]) -> dict[str, Any]:
    a = agreement(pairs)
    return {"n": a.n, "rho": a.rho, "exact_share": a.exact_share}


def measures(rows: Iterable[Row]) -> dict[str, dict[str, Any]]:
    """Per release date and "all": govcheck, always Amber, same as last release (and govcheck on
    the programmes that baseline can score)."""
    groups: dict[str, list[Row]] = defaultdict(list)
    for r in rows:
        if r.ipa is not None:
            groups[r.ipa.date or "undated"].append(r)
            groups["all"].append(r)
    out = {}
    for key in sorted(groups, key=lambda k: (k == "all", k)):
        rs = groups[key]
        ipa = [r.ipa.rating for r in rs if r.ipa]
        with_previous = [r for r in rs if r.ipa and r.ipa_before]
        out[key] = {
            "govcheck": _figures([(r.rating, i) for r, i in zip(rs, ipa, strict=True)]),
            "always_amber": _figures([("Amber", i) for i in ipa]),
            "same_as_last_release": _figures(
                [(r.ipa_before.rating, r.ipa.rating) for r in with_previous if r.ipa_before and r.ipa]
            ),
            "govcheck_where_last_release_rated": _figures(
                [(r.rating, r.ipa.rating) for r in with_previous if r.ipa]
            ),
        }
    return out


def _cell(f: dict[str, Any]) -> str:
    rho = "undefined" if f["rho"] is None else f"{f['rho']:+.2f}"
    share = "-" if f["exact_share"] is None else f"{f['exact_share']:.0%}"
    return f"rho {rho:>9}  same {share:>4}  n {f['n']}"


def table(result: dict[str, dict[str, Any]]) -> str:
    lines = []
    for key, m in result.items():
        lines.append(f"{key}")
        lines.append(f"  govcheck                       {_cell(m['govcheck'])}")
        lines.append(f"  always Amber                   {_cell(m['always_amber'])}")
        lines.append(f"  same as last release           {_cell(m['same_as_last_release'])}")
        lines.append(f"  govcheck, same programmes      {_cell(m['govcheck_where_last_release_rated'])}")
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    from govcheck.batch import Settings, iter_check

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dirs", nargs="+", help="directories of programme files")
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args(argv)
    rows, errors = [], 0
    for outcome in iter_check(args.dirs, Settings(), jobs=args.jobs):
        if isinstance(outcome, Report):
            rows.append(row(outcome))
        else:
            errors += 1
            print(f"govcheck: {outcome.text}", file=sys.stderr)
    result = measures(rows)
    print(f"{len(rows)} programmes checked, {errors} not checked", file=sys.stderr)
    if not result:
        print("no programme has an IPA reference rating: nothing to compare", file=sys.stderr)
    sys.stdout.write(json.dumps(result, indent=2) + "\n" if args.json else table(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
