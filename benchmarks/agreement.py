"""Agreement of govcheck's delivery confidence ratings with the IPA's, beside two baselines.

    python benchmarks/agreement.py DIR... [--jobs N] [--json]
    python benchmarks/agreement.py --early-warning RELEASE... [--held-out RELEASE]... [--jobs N] [--json]
        [--write FILE]

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

A DIR that does not exist, is not a directory or holds no programme files (*.yaml, *.yml) is
reported in one line, and the exit code is 2.

With --early-warning the arguments are GMPP release files (CSV or XLSX), in any order. For
each release t but the last, the releases up to t are imported alone (`govcheck import gmpp`), so every
description is as at t, and the projects in release t are checked; each is followed to
release t+1 by the importer's own matching (the row or column of release t that both imports
name). The outcome is "in trouble at t+1": the IPA rates it Red there, or worse than at t (on
the three-point scale when either release uses it). Scores, fixed before measuring, higher
meaning more worrying:

- govcheck rating: govcheck's rating at t, Green 1 to Red 5;
- govcheck rating + findings: the same, ties broken by active findings weighted by severity
  (critical 8, high 4, medium 2, low 1): rank + W / (W + 1);
- IPA rating at t: the IPA's rating at t (Amber, the middle, where it gave none);
- always Amber: a constant (AUROC 0.5, precision the base rate).

Each is scored by AUROC (ties count a half) and by precision among the 20 highest (ties at
the cut broken at random, in expectation), per pair of releases, and pooled over the pairs
whose t+1 is a development release and over those whose t+1 is named by --held-out (pooled
AUROC over all project-pairs; pooled precision the mean of the pairs'). Two populations: the
projects the IPA rated at t+1, and those it rated at both t and t+1. Pooled groups also give
AUROC for the outcome's two halves (Red at t+1; worse than at t), to read the figures by.
A description's text is removed before checking, since one names the IPA's current rating
(no rule reads it).

--write FILE also writes the pooled figures of the projects rated at t+1 as a small JSON
document (the releases, their dates and which are held out; per group each score's AUROC and
precision among the top 20, with n and the projects in trouble; the govcheck version), which
`govcheck portfolio ... --measures FILE` shows beside the agreement with the IPA.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import re
import subprocess
import sys
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from govcheck.agreement import (  # noqa: E402
    SCALE,
    agreement,
    auroc,
    canonical,
    downgraded,
    ordinal,
    precision_at_k,
    trouble_next,
)
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


# --------------------------------------------------------------------------------------------
# Directories


def problem_with_dir(text: str) -> str | None:
    """Why DIR cannot be measured, in a few words, or None."""
    from govcheck.batch import _programme_file

    path = Path(text)
    if not path.exists():
        return "no such directory"
    if not path.is_dir():
        return "not a directory"
    if not any(_programme_file(p) for p in path.rglob("*")):
        return "no programme files (*.yaml, *.yml) in this directory"
    return None


# --------------------------------------------------------------------------------------------
# Early warning

SCORES = ("govcheck rating", "govcheck rating + findings", "IPA rating at t", "always Amber")
WEIGHTS = {"critical": 8, "high": 4, "medium": 2, "low": 1}
TOP = 20
# A header line naming a release row: "#   FILE row N (as at YYYY-MM-DD[, how it was dated ...])"
_SOURCE = re.compile(r"^#\s+\S.*?\s(row|column) (\d+) \(as at (\d{4}-\d{2}-\d{2})\b")


@dataclass(frozen=True)
class Release:
    path: Path
    snapshot: dt.date
    five_point: bool


@dataclass(frozen=True)
class Case:
    """One project followed from release t to t+1."""

    scores: tuple[float, ...]  # in the order of SCORES
    ipa_before: str | None
    ipa_after: str
    trouble: bool
    red: bool  # the IPA rates it Red at t+1
    down: bool | None  # worse at t+1 than at t; None if not rated at t


def releases(paths: Sequence[str], work: Path) -> list[Release]:
    """The releases, oldest first, dated as the importer dates them: each imported alone (through
    the command line only), its date the descriptions' `assessment_date`; five-point if any
    rating in it is Amber/Green or Amber/Red."""
    import yaml

    out = []
    for i, text in enumerate(paths):
        alone = work / f"alone-{i}"
        import_releases([Path(text)], alone)
        dates, five = set(), False
        for path in alone.glob("*.yaml"):
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            dates.add(str(data.get("assessment_date")))
            ranks = {ordinal(str(r.get("rating"))) for r in data.get("reference_ratings") or ()}
            five = five or bool(ranks & {2, 4})
        if len(dates) != 1:
            raise SystemExit(f"agreement.py: {text}: cannot tell the release's date ({sorted(dates)})")
        out.append(Release(Path(text), dt.date.fromisoformat(dates.pop()), five))
    return sorted(out, key=lambda r: r.snapshot)


def import_releases(paths: Sequence[Path], out: Path) -> None:
    cmd = [sys.executable, "-m", "govcheck", "import", "gmpp", *map(str, paths), "--output-dir", str(out)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"agreement.py: import failed ({done.returncode}): {done.stderr.strip()[-500:]}")


def source_key(text: str, snapshot: dt.date) -> tuple[str, int] | None:
    """The row or column of the release dated `snapshot` that a description's header names."""
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        m = _SOURCE.match(line)
        if m and m.group(3) == snapshot.isoformat():
            return m.group(1), int(m.group(2))
    return None


def _without_description(text: str) -> str:
    """The file without its top-level `description` (a block ends at the next top-level line)."""
    out, skipping = [], False
    for line in text.splitlines(keepends=True):
        if skipping and (line[:1].isspace() or not line.strip()):
            continue
        skipping = line.startswith("description:")
        if not skipping:
            out.append(line)
    return "".join(out)


def _ipa(ratings: Any) -> str | None:
    for r in ratings or ():
        if str(r.get("by", "")).upper() == "IPA" and canonical(str(r.get("rating"))):
            return canonical(str(r.get("rating")))
    return None


def current(directory: Path, snapshot: dt.date) -> dict[tuple[str, int], tuple[Path, str, dict[str, Any]]]:
    """Descriptions whose latest release is the one dated `snapshot`, by their row in it."""
    import yaml

    out = {}
    for path in sorted(directory.glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        data = yaml.safe_load(text)
        if str(data.get("assessment_date")) != snapshot.isoformat():
            continue
        key = source_key(text, snapshot)
        if key is not None:
            out[key] = (path, text, data)
    return out


def finer(r: Row) -> float:
    w = sum(WEIGHTS[s] * int(getattr(r, s)) for s in WEIGHTS)
    return (ordinal(r.rating) or 3) + w / (w + 1)


def cases(
    before: Release, after: Release, dirs: dict[dt.date, Path], work: Path, jobs: int | None
) -> list[Case]:
    """Projects of release `before`, scored as at it, with their outcome at release `after`."""
    from govcheck.batch import Settings, iter_check

    now = current(dirs[before.snapshot], before.snapshot)
    nxt = {}  # projects whose latest release is `after`, by their row in `before`
    for path, text, data in current(dirs[after.snapshot], after.snapshot).values():
        back = source_key(text, before.snapshot)
        if back is not None:
            nxt[back] = (path, text, data)
    if now and not nxt:
        print(
            f"agreement.py: no project of {before.path.name} followed to {after.path.name}: "
            "the import's header comments no longer name release rows as expected",
            file=sys.stderr,
        )
    view = work / f"view-{before.snapshot}"
    view.mkdir()
    names = {}
    for key, (path, text, _data) in now.items():
        if key in nxt:
            (view / path.name).write_text(_without_description(text), encoding="utf-8")
            names[path.name] = key
    collapse = not (before.five_point and after.five_point)
    out = []
    for outcome in iter_check([str(view)], Settings(), jobs=jobs):
        if not isinstance(outcome, Report):
            print(f"govcheck: {outcome.text}", file=sys.stderr)
            continue
        r = row(outcome)
        key = names[Path(r.source).name]
        ipa_before = r.ipa.rating if r.ipa else None
        ipa_after = _ipa(nxt[key][2].get("reference_ratings"))
        trouble = trouble_next(ipa_before, ipa_after, collapse=collapse)
        if trouble is None or ipa_after is None:
            continue
        scores = (float(ordinal(r.rating) or 3), finer(r), float(ordinal(ipa_before) or 3), 3.0)
        red = ordinal(ipa_after) == len(SCALE)
        down = downgraded(ipa_before, ipa_after, collapse=collapse)
        out.append(Case(scores, ipa_before, ipa_after, trouble, red, down))
    return out


def _scored(cs: Sequence[Case]) -> dict[str, Any]:
    labels = [c.trouble for c in cs]
    return {
        "n": len(cs),
        "in_trouble": sum(labels),
        "scores": {
            name: {
                "auroc": auroc([c.scores[i] for c in cs], labels),
                f"precision_at_{TOP}": precision_at_k([c.scores[i] for c in cs], labels, TOP),
            }
            for i, name in enumerate(SCORES)
        },
    }


def _pooled(per_pair: Sequence[tuple[str, Sequence[Case]]]) -> dict[str, Any]:
    everything = [c for _, cs in per_pair for c in cs]
    out = _scored(everything)
    for name in SCORES:
        got = [_scored(cs)["scores"][name][f"precision_at_{TOP}"] for _, cs in per_pair if cs]
        got = [g for g in got if g is not None]
        out["scores"][name][f"precision_at_{TOP}"] = sum(got) / len(got) if got else None
    out["pairs"] = [label for label, _ in per_pair]
    # The two halves of the outcome, for reading the figures above (not a different target):
    # Red at t+1, and worse than at t (over the projects rated at t).
    rated = [c for c in everything if c.down is not None]
    out["components"] = {
        "red_at_t+1": {
            "n": len(everything),
            "positive": sum(c.red for c in everything),
            "auroc": {
                name: auroc([c.scores[i] for c in everything], [c.red for c in everything])
                for i, name in enumerate(SCORES)
            },
        },
        "worse_than_at_t": {
            "n": len(rated),
            "positive": sum(bool(c.down) for c in rated),
            "auroc": {
                name: auroc([c.scores[i] for c in rated], [bool(c.down) for c in rated])
                for i, name in enumerate(SCORES)
            },
        },
    }
    return out


def early_warning(paths: Sequence[str], held_out: Sequence[str], jobs: int | None) -> dict[str, Any]:
    return measure_early_warning(paths, held_out, jobs)[1]


def measure_early_warning(
    paths: Sequence[str], held_out: Sequence[str], jobs: int | None
) -> tuple[list[Release], dict[str, Any]]:
    """(the releases, oldest first; the figures by population, release pair and group)."""
    held = {Path(h).resolve() for h in held_out}
    with tempfile.TemporaryDirectory(prefix="govcheck-ew-") as tmp:
        work = Path(tmp)
        rs = releases(paths, work)
        dirs = {}
        for i, r in enumerate(rs):  # each release's projects as at it: the releases up to it alone
            dirs[r.snapshot] = work / f"upto-{r.snapshot}"
            import_releases([x.path for x in rs[: i + 1]], dirs[r.snapshot])
        pairs = []
        for before, after in itertools.pairwise(rs):
            label = f"{before.path.name} -> {after.path.name}"
            group = "held_out" if after.path.resolve() in held else "development"
            pairs.append((label, group, cases(before, after, dirs, work, jobs)))
    result: dict[str, Any] = {}
    for population, both in (("rated at t+1", False), ("rated at t and t+1", True)):

        def keep(c: Case, both: bool = both) -> bool:
            return not both or c.ipa_before is not None

        block: dict[str, Any] = {}
        for label, group, cs in pairs:
            block[label] = dict(_scored([c for c in cs if keep(c)]), group=group)
        for group in ("development", "held_out"):
            chosen = [(label, [c for c in cs if keep(c)]) for label, g, cs in pairs if g == group]
            if chosen:
                block[group] = _pooled(chosen)
        result[population] = block
    return rs, result


#: The population and scores the measures file gives (`govcheck portfolio --measures FILE`).
HEADLINE = "rated at t+1"
GOVCHECK_SCORES = ("govcheck rating", "govcheck rating + findings")


def measures_document(
    rs: Sequence[Release], held_out: Sequence[str], result: dict[str, Any]
) -> dict[str, Any]:
    """The headline figures as the small document `govcheck portfolio --measures` reads
    (govcheck/measures.py validates it): what was measured, on which releases, and per group
    (development, held out) each score's AUROC and precision among the top 20, with n and the
    projects in trouble."""
    from govcheck import __version__

    held = {Path(h).resolve() for h in held_out}
    block = result[HEADLINE]

    def group(name: str) -> dict[str, Any] | None:
        g = block.get(name)
        if g is None:
            return None
        return {
            "pairs": g["pairs"],
            "n": g["n"],
            "positives": g["in_trouble"],
            "predictors": [
                {
                    "name": score,
                    "role": "govcheck" if score in GOVCHECK_SCORES else "baseline",
                    "auroc": g["scores"][score]["auroc"],
                    "precision_at_20": g["scores"][score][f"precision_at_{TOP}"],
                }
                for score in SCORES
            ],
        }

    return {
        "govcheck_early_warning": 1,
        "govcheck_version": __version__,
        "outcome": "the IPA rates the project Red at release t+1, or worse than at release t",
        "population": "the projects of each release t that the IPA rated at release t+1",
        "releases": [
            {"name": r.path.name, "date": r.snapshot.isoformat(), "held_out": r.path.resolve() in held}
            for r in rs
        ],
        "development": group("development"),
        "held_out": group("held_out"),
    }


def _num(x: float | None, pct: bool = False) -> str:
    if x is None:
        return "-"
    return f"{x:.0%}" if pct else f"{x:.2f}"


def early_table(result: dict[str, Any]) -> str:
    lines = [f"outcome: IPA rating at t+1 is Red or worse than at t; AUROC, precision among top {TOP}"]
    for population, block in result.items():
        lines.append("")
        lines.append(f"== projects {population}")
        for label, m in block.items():
            tag = f" ({m['group']})" if "group" in m else " (pooled: " + ", ".join(m["pairs"]) + ")"
            lines.append(f"{label}{tag}: n {m['n']}, in trouble {m['in_trouble']}")
            for name, f in m["scores"].items():
                lines.append(
                    f"  {name:<28} AUROC {_num(f['auroc']):>5}  "
                    f"precision@{TOP} {_num(f[f'precision_at_{TOP}'], pct=True):>4}"
                )
            for part, c in m.get("components", {}).items():
                aurocs = ", ".join(f"{name} {_num(v)}" for name, v in c["auroc"].items())
                lines.append(f"  {part} only (n {c['n']}, {c['positive']} positive): AUROC {aurocs}")
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    from govcheck.batch import Settings, iter_check

    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "dirs", nargs="+", help="directories of programme files (release files with --early-warning)"
    )
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument(
        "--early-warning",
        action="store_true",
        help="arguments are GMPP releases: does a score at one release flag trouble at the next?",
    )
    parser.add_argument(
        "--held-out",
        action="append",
        default=[],
        metavar="RELEASE",
        help="with --early-warning: a release whose ratings are held out (repeatable)",
    )
    parser.add_argument(
        "--write",
        metavar="FILE",
        help="with --early-warning: also write the headline figures to FILE (JSON), for "
        "`govcheck portfolio ... --measures FILE`",
    )
    args = parser.parse_args(argv)
    if args.write and not args.early_warning:
        print("agreement.py: --write needs --early-warning", file=sys.stderr)
        return 2
    if args.early_warning:
        for text in [*args.dirs, *args.held_out]:
            if not Path(text).is_file():
                print(f"agreement.py: {text}: no such release file", file=sys.stderr)
                return 2
        if len(args.dirs) < 2:
            print("agreement.py: --early-warning needs at least two releases", file=sys.stderr)
            return 2
        if args.write and not Path(args.write).resolve().parent.is_dir():
            print(f"agreement.py: {args.write}: no such directory to write to", file=sys.stderr)
            return 2
        rs, ew = measure_early_warning(args.dirs, args.held_out, args.jobs)
        sys.stdout.write(json.dumps(ew, indent=2) + "\n" if args.json else early_table(ew))
        if args.write:
            from govcheck.measures import EarlyWarning

            document = json.dumps(measures_document(rs, args.held_out, ew), indent=2) + "\n"
            EarlyWarning.model_validate_json(document)  # what the portfolio will read, checked
            Path(args.write).write_text(document, encoding="utf-8")
            print(f"agreement.py: wrote the early-warning figures to {args.write}", file=sys.stderr)
        return 0
    for text in args.dirs:
        problem = problem_with_dir(text)
        if problem:
            print(f"agreement.py: {text}: {problem}", file=sys.stderr)
            return 2
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
