"""Following projects across releases.

Releases are taken oldest first (by snapshot date, then file name). Each project of a release
joins the first of these that applies, among ALL the projects followed so far (not only those
of the previous release, so links are made across gaps of several years) that no other
project of the same release has joined:

1. the same normalised GMPP ID (case and known prefix aliases ignored: DfT_/DFT_, DoH_/DH_);
2. the same normalised name (lower case, punctuation, "the", "programme", "project" and
   parenthesised asides such as "(formerly UKCMRI)" ignored) in the same department family
   (one table, govcheck.importers.departments: a department with its predecessors, other
   successors and agencies, e.g. DoH/DH/DHSC, DECC/BIS/BEIS/DESNZ/DSIT/HMLR, DCLG/DLUHC/MHCLG,
   FCO/DFID/FCDO, DIT/DBT); two projects with different GMPP IDs never match by name;
3. names sharing at least 80% of their words, in the same department family (reported as
   unsure; tried only where the family has at most FUZZY_LIMIT earlier projects); ties go
   to the project seen most recently, then to the one first seen earliest.

A name shared by several earlier projects of the family (and not told apart by the exact
name), or found only in another department, is not matched: the project starts afresh and
the near miss is reported. Likely missed links are reported too: a project that starts
afresh while an earlier project of its family, absent from this release, has a nearly
identical name (one name is the other with words added; at least half the words, and two,
shared; or an acronym of one spells out words of the other: "HMCTS Reform" and "Her
Majesty's Courts and Tribunals Services (HMCTS) Reform Programme"). All these reports are
the "matches across releases to check" of the summary. A project with an ID already taken
in the same release is reported and not imported. The result
depends only on the inputs, never on the order of the files on the command line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from govcheck.importers import departments
from govcheck.importers.gmpp_release import Release, Snapshot

_DROP = {"the", "programme", "program", "project", "and", "of", "for"}
SIMILAR = 0.8
LIKELY = 0.5  # words shared by names reported as a possible missed link (not matched)
FUZZY_LIMIT = 5_000  # above this many earlier projects in a family, names must match exactly


@dataclass(frozen=True, slots=True)
class Entry:
    release: Release
    project: Snapshot


@dataclass(slots=True)
class _Track:
    order: int
    entries: list[Entry] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    key: str = ""  # name_key of the latest entry
    family: str = ""  # department_family of the latest entry

    @property
    def last(self) -> Entry:
        return self.entries[-1]

    def add(self, entry: Entry) -> None:
        self.entries.append(entry)
        if entry.project.gmpp_id:
            self.ids.add(entry.project.gmpp_id)
        self.key = name_key(entry.project.name)
        self.family = department_family(entry.project.department)


@dataclass(frozen=True, slots=True)
class Problem:
    """A row not imported, or a match worth checking: `FILE:ROW: project NAME: text`."""

    label: str
    position: int
    name: str
    text: str

    def line(self) -> str:
        return f"{self.label}:{self.position}: project {self.name}: {self.text}"


def department_family(department: str) -> str:
    """The family of a department (one table: govcheck.importers.departments)."""
    return departments.family(department)


def _dept(p: Snapshot) -> str:
    published = p.department_as_published or p.department
    return published if published == p.department else f"{published}, now {p.department}"


def name_key(name: str) -> str:
    text = re.sub(r"\([^)]*\)", " ", name.lower()).replace("&", " and ")
    words = [w for w in re.findall(r"[a-z0-9]+", text) if w not in _DROP]
    return " ".join(words)


def _similar(a: str, b: str) -> float:
    x, y = set(a.split()), set(b.split())
    return len(x & y) / len(x | y) if x and y else 0.0


def follow(releases: list[Release]) -> tuple[list[tuple[Entry, ...]], list[Problem], list[Problem]]:
    """(projects, each its entries oldest first; rows not imported; unsure matches)."""
    tracks: list[_Track] = []
    dropped: list[Problem] = []
    unsure: list[Problem] = []
    for release in sorted(releases, key=lambda r: (r.snapshot, r.label)):
        claimed: set[int] = set()
        seen_ids: dict[str, int] = {}
        index = _Index(tracks)
        earlier = len(tracks)
        fresh: list[tuple[Snapshot, _Track]] = []
        for project in release.projects:
            if project.gmpp_id and project.gmpp_id in seen_ids:
                dropped.append(
                    Problem(
                        release.label,
                        project.position,
                        project.name,
                        f"GMPP ID {project.gmpp_id} already used by row {seen_ids[project.gmpp_id]}; "
                        "not imported",
                    )
                )
                continue
            if project.gmpp_id:
                seen_ids[project.gmpp_id] = project.position
            track, doubt = _find(project, index, claimed)
            if doubt:
                unsure.append(Problem(release.label, project.position, project.name, doubt))
            if track is None:
                track = _Track(order=len(tracks))
                tracks.append(track)
                if doubt is None:
                    fresh.append((project, track))
            track.add(Entry(release, project))
            claimed.add(track.order)
        ended = [t for t in tracks[:earlier] if t.order not in claimed]
        for project, _ in fresh:
            missed = _missed_link(project, ended)
            if missed:
                unsure.append(Problem(release.label, project.position, project.name, missed))
    return [tuple(t.entries) for t in tracks], dropped, unsure


def _acronyms(words: list[str]) -> set[str]:
    """Initials of each run of two to eight consecutive words ("courts tribunals service": "cts")."""
    plain = [w for w in words if len(w) > 1]
    return {
        "".join(w[0] for w in plain[i:j])
        for i in range(len(plain))
        for j in range(i + 2, min(len(plain), i + 8) + 1)
    }


def _near(a: str, b: str) -> str | None:
    """Why two different name keys are probably one project's, or None."""
    x, y = a.split(), b.split()
    sx, sy = set(x), set(y)
    shared = sx & sy
    small, large = (sx, sy) if len(sx) <= len(sy) else (sy, sx)
    if len(small) >= 2 and small <= large:
        return "one name is the other with words added"
    for short, long_words, long_set in ((sx, y, sy), (sy, x, sx)):
        spelled = {w for w in short - long_set if len(w) >= 3} & _acronyms(long_words)
        if spelled and (short - long_set) <= spelled | {"s"}:
            return f"{sorted(spelled)[0].upper()!r} spells out words of the other name"
    if len(shared) >= 2 and len(shared) / len(sx | sy) >= LIKELY:
        return f"{len(shared) / len(sx | sy):.0%} of words shared"
    return None


def _missed_link(project: Snapshot, ended: list[_Track]) -> str | None:
    """A project that starts afresh, and an earlier one not in this release with a nearly
    identical name in the same department family: probably one project, not linked."""
    key = name_key(project.name)
    family = department_family(project.department)
    found: list[tuple[_Track, str]] = []
    for t in ended:
        if t.family != family or t.key == key or not t.key:
            continue
        if project.gmpp_id and t.ids and project.gmpp_id not in t.ids:
            continue  # different GMPP IDs: different projects
        why = _near(key, t.key)
        if why:
            found.append((t, why))
    if not found:
        return None
    t, why = max(found, key=lambda f: (f[0].last.release.snapshot, -f[0].order))
    e = t.last
    return (
        f"not linked, possibly the same project as {e.release.label}:{e.project.position} "
        f"({e.project.name}, {_dept(e.project)}), last seen as at {e.release.snapshot.isoformat()} "
        f"({why}): check"
    )


class _Index:
    """The projects followed before a release, by ID, by name key and by department family."""

    def __init__(self, tracks: list[_Track]) -> None:
        self.by_id = {i: t for t in tracks for i in t.ids}
        self.by_key: dict[str, list[_Track]] = {}
        self.by_family: dict[str, list[_Track]] = {}
        for t in tracks:
            self.by_key.setdefault(t.key, []).append(t)
            self.by_family.setdefault(t.family, []).append(t)


def _find(project: Snapshot, index: _Index, claimed: set[int]) -> tuple[_Track | None, str | None]:
    if project.gmpp_id:
        track = index.by_id.get(project.gmpp_id)
        if track is not None and track.order not in claimed:
            return track, None
    key = name_key(project.name)
    family = department_family(project.department)

    def available(t: _Track) -> bool:
        return t.order not in claimed and not (project.gmpp_id and t.ids and project.gmpp_id not in t.ids)

    def best(candidates: list[_Track]) -> _Track:
        return max(candidates, key=lambda t: (t.last.release.snapshot, -t.order))

    def was(t: _Track) -> str:
        e = t.last
        return f"{e.release.label}:{e.project.position} ({e.project.name}, {_dept(e.project)})"

    same_name = [t for t in index.by_key.get(key, []) if available(t)]
    same_family = [t for t in same_name if t.family == family]
    if len(same_family) > 1:
        exact = [t for t in same_family if t.last.project.name.lower() == project.name.lower()]
        if len(exact) != 1:
            shared = f"{len(same_family)} earlier projects share its name"
            return None, f"not matched: {shared}, e.g. {was(same_family[0])}"
        same_family = exact
    if same_family:
        return same_family[0], None
    if same_name:
        return None, f"not matched: a project of the same name is in another department: {was(same_name[0])}"
    in_family = index.by_family.get(family, [])
    if len(in_family) > FUZZY_LIMIT:
        return None, None
    scored = [(_similar(key, t.key), t) for t in in_family if available(t)]
    close = [(s, t) for s, t in scored if s >= SIMILAR]
    if close:
        top = max(s for s, _ in close)
        chosen = best([t for s, t in close if s == top])
        return chosen, f"unsure match by similar name ({top:.0%} of words shared): {was(chosen)}"
    return None, None
