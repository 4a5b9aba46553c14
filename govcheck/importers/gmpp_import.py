"""`govcheck import gmpp`: releases in, one programme description per project out.

Every row of every release is either imported (as a project's current state or as its
history) or reported on standard error as `FILE:ROW: project NAME: reason`. A file that
cannot be read is reported in one line and makes the exit code 2; the other files are
still imported. Two releases dated the same day (govcheck.importers.gmpp_dating) make the
exit code 2 too: both are named with the evidence that dated each, the better-dated one is
imported, and every row of the other is listed and counted as not imported. Output depends
only on the inputs: same files, byte-identical results.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from govcheck.importers import departments
from govcheck.importers.gmpp_build import build, slug
from govcheck.importers.gmpp_cells import clip
from govcheck.importers.gmpp_dating import OVERRIDE, date_release, fiscal_year_of
from govcheck.importers.gmpp_layout import Layout, detect
from govcheck.importers.gmpp_match import Entry, Problem, follow
from govcheck.importers.gmpp_read import UnreadableFile, read_release
from govcheck.importers.gmpp_release import Release, is_five_point, read_snapshots
from govcheck.importers.gmpp_write import render, write

EXIT_OK = 0
EXIT_INVALID = 2


@dataclass(frozen=True, slots=True)
class Outcome:
    exit_code: int
    written: tuple[str, ...]
    rows_imported: int
    rows_reported: int


def _distinct(paths: Sequence[Path]) -> list[Path]:
    """One file named twice (relative, ./, absolute, through a link) is one file: the first name stands."""
    seen: set[object] = set()
    out = []
    for path in paths:
        try:
            st = path.stat()
            key: object = (st.st_dev, st.st_ino)
        except OSError:  # not there or unreadable: reported when it is read
            key = str(path)
        if key not in seen:
            seen.add(key)
            out.append(path)
    return out


def run(
    paths: Sequence[Path],
    output_dir: Path,
    snapshots: Mapping[str, dt.date],
    say: Callable[[str], None],
) -> Outcome:
    failed = False
    releases: list[Release] = []
    problems: list[Problem] = []
    for path in _distinct(paths):
        try:
            release, skipped = _release(path, snapshots.get(path.name), say)
        except UnreadableFile as exc:
            where = f"{path}:{exc.line}" if exc.line else str(path)
            say(f"govcheck: {where}: {exc.message}")
            failed = True
            continue
        problems.extend(skipped)
        releases.append(release)
    unique: list[Release] = []
    # Two releases as at one date: the one dated by the stronger evidence is imported (then the
    # first by file name); the other is named, with what dated each, and each of its rows is
    # reported as not imported (and counted in the summary). An input problem: exit code 2.
    order = sorted(releases, key=lambda r: (r.snapshot, r.dating_rank, r.path.name, r.label))
    for release in order:
        clash = next((r for r in unique if r.snapshot == release.snapshot), None)
        if clash is None:
            unique.append(release)
            continue
        date = release.snapshot.isoformat()
        same = " and holds the same projects" if release.projects == clash.projects else ""
        say(
            f"govcheck: {release.label}: a release as at {date} is already given ({clash.label}, dated by "
            f"its {clash.dated_by}){same}; {release.label} was dated by its {release.dated_by}; its "
            f"{len(release.projects)} rows are not imported (listed below); if it is another release, "
            f"give --snapshot {release.path.name}=YYYY-MM-DD"
        )
        problems.extend(
            Problem(
                release.label,
                p.position,
                p.name,
                f"not imported: its release is dated {date}, as is {clash.label}",
            )
            for p in release.projects
        )
        failed = True
    releases = unique
    if not releases:
        return Outcome(EXIT_INVALID, (), 0, len(problems))
    tracks, dropped, unsure = follow(releases)
    problems.extend(dropped)
    descriptions = [
        build(entries, ident) for entries, ident in zip(tracks, _identifiers(tracks), strict=True)
    ]
    descriptions.sort(key=lambda d: d.id)
    try:
        output_dir.mkdir(parents=True, exist_ok=True)
        for d in descriptions:
            write(output_dir, f"{d.id}.yaml", render(d))
    except OSError as exc:
        say(f"govcheck: {output_dir}: cannot write: {exc.strerror or exc}")
        return Outcome(EXIT_INVALID, (), 0, 0)
    except Exception as exc:  # noqa: BLE001 - write_atomic raises GovcheckError with its own message
        say(f"govcheck: {exc}")
        return Outcome(EXIT_INVALID, (), 0, 0)
    for p in sorted(problems, key=lambda p: (p.label, p.position)):
        say(f"govcheck: {p.line()}")
    for p in sorted(unsure, key=lambda p: (p.label, p.position)):
        say(f"govcheck: {p.line()}")
    _report_departments(releases, say)
    imported = sum(len(t) for t in tracks)
    say(
        f"govcheck: imported {len(descriptions)} projects from {imported} rows of {len(releases)} "
        f"release{'s' if len(releases) != 1 else ''} into {output_dir}; {len(problems)} rows not imported"
        f"{' (listed above)' if problems else ''}; {len(unsure)} matches across releases to check"
    )
    return Outcome(
        EXIT_INVALID if failed else EXIT_OK,
        tuple(f"{d.id}.yaml" for d in descriptions),
        imported,
        len(problems),
    )


def _release(
    path: Path, override: dt.date | None, say: Callable[[str], None]
) -> tuple[Release, list[Problem]]:
    sheets = read_release(path)
    for sheet in sheets:
        if sheet.odd_lines:
            shown = ", ".join(map(str, sheet.odd_lines[:5])) + (
                " and more" if len(sheet.odd_lines) > 5 else ""
            )
            say(
                f"govcheck: {path}:{sheet.odd_lines[0]}: the file is UTF-8 but {len(sheet.odd_lines)} "
                f"{'line is' if len(sheet.odd_lines) == 1 else 'lines are'} not (line {shown}); "
                "read as Windows-1252: check the text of those rows"
            )
    found = [(layout, sheet.name) for sheet in sheets if (layout := detect(sheet)) is not None]
    if not found:
        raise UnreadableFile(
            "no header row or column names the projects (a project name and department, "
            "a rating, dates or costs)"
        )
    layout, sheet_name = max(found, key=lambda f: len(f[0].records))
    sheet = next(s for s in sheets if s.name == sheet_name)
    label = str(path) if len(sheets) == 1 else f"{path}[{sheet_name}]"
    for other, name in found:
        if name != sheet_name:
            say(
                f"govcheck: {path}[{name}]: another sheet of projects ({len(other.records)} rows) is not "
                "read; save it as a file of its own to import it"
            )
    _report_ignored(label, layout, say)
    projects, skipped = read_snapshots(layout)
    five = is_five_point(layout, projects)
    ids = [p.gmpp_id for p in projects if p.gmpp_id]
    dating, undecided = date_release(sheet, layout, path, ids, five)
    if override is not None:
        snapshot, year, rank = override, fiscal_year_of(override), OVERRIDE
        dated_by = f"--snapshot {path.name}={override.isoformat()}"
        if dating is not None and dating.snapshot != override:
            dated_by += f" (the release itself says {dating.snapshot.isoformat()}, by {dating.reason})"
    elif dating is None:
        why = f" ({'; '.join(undecided)})" if undecided else ""
        raise UnreadableFile(
            "cannot tell which financial year the release is for, nor the date it is as at (no "
            "quarter label such as '25/26 Q4' or 'as at' date in its cells, no year in its file "
            f"name, budget headers or IDs{why}); "
            "name the file after the year, e.g. gmpp_2024_25.csv, or give --snapshot NAME=YYYY-MM-DD"
        )
    else:
        snapshot, year, rank, dated_by = dating.snapshot, dating.fiscal_year, dating.rank, dating.reason
        if dating.conflicts or undecided:
            say(
                f"govcheck: {label}: dated {snapshot.isoformat()} by its {dated_by}; "
                + "; ".join([*dating.conflicts, *undecided])
                + ": check, or give --snapshot"
            )
    release = Release(
        path=path,
        label=label,
        orientation=layout.orientation,
        fiscal_year=year,
        snapshot=snapshot,
        five_point=five,
        has_ids=bool(ids),
        projects=tuple(projects),
        dated_by=dated_by,
        dating_rank=rank,
    )
    return release, [Problem(label, s.position, s.name, s.reason) for s in skipped]


def _report_departments(releases: list[Release], say: Callable[[str], None]) -> None:
    """Name each department spelling not in the table: it is written as published."""
    unknown: dict[str, int] = {}
    for release in releases:
        for p in release.projects:
            if departments.lookup(p.department_as_published) is None:
                unknown[p.department_as_published] = unknown.get(p.department_as_published, 0) + 1
    for spelling, count in sorted(unknown.items()):
        say(
            f"govcheck: department {spelling!r} ({count} row{'s' if count != 1 else ''}) is not in the table "
            "of departments (govcheck/importers/departments.py); written as published"
        )


def _report_ignored(label: str, layout: Layout, say: Callable[[str], None]) -> None:
    axis = "row" if layout.orientation == "columns" else "column"
    for position, header in layout.ignored:
        say(f"govcheck: {label}: {axis} {position} ({clip(header, 60)!r}) is not a field the importer reads")


def _identifiers(tracks: list[tuple[Entry, ...]]) -> list[str]:
    """The file name (and id) of each project: its latest GMPP ID, else a slug of department and
    name; a clash (two projects of one name) gets -2, -3 in order of first appearance."""
    taken: set[str] = set()
    result: list[str] = []
    order = sorted(
        range(len(tracks)), key=lambda i: (tracks[i][0].release.snapshot, tracks[i][0].project.position)
    )
    chosen: dict[int, str] = {}
    for i in order:
        latest = tracks[i][-1].project
        ident_id = next((e.project.gmpp_id for e in reversed(tracks[i]) if e.project.gmpp_id), None)
        # Without an ID: a slug of the department's one name (so a spelling that drifts between
        # releases never renames the file) and the project's name.
        base = ident_id or slug(latest.department, latest.name)
        ident, n = base, 1
        while ident.lower() in taken:
            n += 1
            ident = f"{base}-{n}"
        taken.add(ident.lower())
        chosen[i] = ident
    result.extend(chosen[i] for i in range(len(tracks)))
    return result
