"""One name per government department: the one table of departments the importers use.

Releases spell one department many ways ("MoD", "MOD", "Ministry of Defence"; "DH", "DOH",
"DoH Capital", "DoH Non Capital") and departments are renamed, merged and split by
machinery-of-government changes. `DEPARTMENTS` below is the single definition; each row:

- `name`: the canonical name written to `department` (the department's current GOV.UK
  abbreviation: MOD, MOJ, DfT, DHSC, ...);
- `full`: its full name;
- `spellings`: every spelling and abbreviation read as this department, including the names
  of the departments it succeeded;
- `family`: the departments between which a project can move without being a new project
  (used to follow projects by name across releases); by default the department itself.

**Rule for renamed, merged and split departments: map to the current successor.** A spelling
of a department that no longer exists maps to the department that succeeded it, following
the chain of changes to today (DCLG -> MHCLG -> DLUHC -> MHCLG; DECC and BIS -> BEIS -> DESNZ;
DFID and FCO -> FCDO; DIT -> DBT; DExEU -> CO; NOMS -> HMPPS). Where a department was split,
its spelling maps to the successor that took its name-bearing core, DESNZ for BEIS, and the
other successors (DSIT, for BEIS's science work) share its family, so a project that moved from
BEIS to DSIT is still followed. The published spelling is never lost: each imported file's
header comment names the department as each release spelt it. The date of a release is not
used to choose a successor (DECC in 2014 and BEIS in 2019 both read as DESNZ): simpler, and the
same project gets the same name in every release.

Agencies and non-ministerial departments published as the department (VOA, HMLR, HMCTS, NCA)
keep their own name; their family is their parent or sponsoring department's, so a project
listed under the agency in one release and under the department in another is still followed.

A spelling not in the table is written as published (whitespace collapsed) and named in the
import's output, so that it can be added here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Department:
    name: str
    full: str
    spellings: tuple[str, ...]
    family: str = ""

    @property
    def group(self) -> str:
        return self.family or self.name


DEPARTMENTS: tuple[Department, ...] = (
    Department("MOD", "Ministry of Defence", ("MoD", "Defence", "Ministry of Defense")),
    Department("MOJ", "Ministry of Justice", ("MoJ", "Justice")),
    Department("HMCTS", "HM Courts & Tribunals Service", ("HM Courts and Tribunals Service", "HMCS"), "MOJ"),
    Department(
        "HMPPS",
        "HM Prison and Probation Service",
        ("NOMS", "National Offender Management Service", "HM Prison Service"),
        "MOJ",
    ),
    Department("HO", "Home Office", ()),
    Department("HMRC", "HM Revenue & Customs", ("HM Revenue and Customs", "Revenue and Customs")),
    Department("VOA", "Valuation Office Agency", (), "HMRC"),
    Department("HMT", "HM Treasury", ("Treasury", "HM Treasury", "UKGI", "UK Government Investments")),
    Department("DWP", "Department for Work and Pensions", ("Work and Pensions",)),
    Department("CO", "Cabinet Office", ("Cab Office", "DExEU", "Department for Exiting the European Union")),
    Department("CCS", "Crown Commercial Service", (), "CO"),
    Department(
        "DfT",
        "Department for Transport",
        ("Transport", "DVLA", "Driver and Vehicle Licensing Agency", "Highways England", "National Highways"),
    ),
    Department(
        "DESNZ",
        "Department for Energy Security and Net Zero",
        (
            "BEIS",
            "Department for Business, Energy and Industrial Strategy",
            "DECC",
            "Department of Energy and Climate Change",
            "BIS",
            "Department for Business, Innovation and Skills",
        ),
    ),
    Department(
        "DSIT",
        "Department for Science, Innovation and Technology",
        ("Science, Innovation and Technology",),
        "DESNZ",
    ),
    # HM Land Registry: sponsored by BIS, BEIS, then DSIT; its projects moved between them.
    Department("HMLR", "HM Land Registry", ("Land Registry",), "DESNZ"),
    Department("DBT", "Department for Business and Trade", ("DIT", "Department for International Trade")),
    Department(
        "Defra",
        "Department for Environment, Food & Rural Affairs",
        ("Environment Agency", "EA"),
    ),
    Department(
        "DCMS",
        "Department for Culture, Media and Sport",
        ("Department for Digital, Culture, Media and Sport", "DDCMS"),
    ),
    Department(
        "DHSC",
        "Department of Health and Social Care",
        (
            "DH",
            "DoH",
            "Department of Health",
            "DoH Capital",
            "DoH Non Capital",
            "DoH Non-Capital",
            "DH Capital",
            "DH Non Capital",
            "Health",
        ),
    ),
    Department(
        "DfE",
        "Department for Education",
        ("Education", "DCSF", "Department for Children, Schools and Families", "DfES"),
    ),
    Department(
        "MHCLG",
        "Ministry of Housing, Communities and Local Government",
        (
            "DLUHC",
            "Department for Levelling Up, Housing and Communities",
            "DCLG",
            "Department for Communities and Local Government",
        ),
    ),
    Department(
        "FCDO",
        "Foreign, Commonwealth & Development Office",
        (
            "FCO",
            "Foreign and Commonwealth Office",
            "Foreign Office",
            "DFID",
            "Department for International Development",
        ),
    ),
    Department("ONS", "Office for National Statistics", ("UKSA", "UK Statistics Authority")),
    Department("NCA", "National Crime Agency", (), "HO"),
    Department("CPS", "Crown Prosecution Service", ()),
    Department("NS&I", "National Savings and Investments", ("NSI", "National Savings & Investments")),
    Department("FSA", "Food Standards Agency", ()),
    Department("HSE", "Health and Safety Executive", (), "DWP"),
)


def spelling_key(text: str) -> str:
    """What is left of a spelling when case, punctuation, "&"/"and", "the" and "HM"/"Her
    Majesty's" are set aside: "Ministry of Defence" and "MINISTRY OF DEFENCE" are one key."""
    text = text.upper().replace("&", " AND ")
    text = re.sub(r"\b(HER|HIS)\s+MAJESTY'?S\b", "HM", text)
    words = [w for w in re.findall(r"[A-Z0-9]+", text) if w not in {"THE", "AND"}]
    return "".join(words)


_BY_KEY: dict[str, Department] = {}
for _d in DEPARTMENTS:
    for _s in (_d.name, _d.full, *_d.spellings):
        _key = spelling_key(_s)
        assert _BY_KEY.get(_key, _d) is _d, f"{_s!r} names two departments"
        _BY_KEY[_key] = _d


def lookup(published: str) -> Department | None:
    return _BY_KEY.get(spelling_key(published))


def canonical(published: str) -> str:
    """The one name of the department a release spells `published`; unknown: as published."""
    found = lookup(published)
    return found.name if found else " ".join(published.split())


def family(published: str) -> str:
    """The department family used to follow projects by name (renames, splits, agencies)."""
    found = lookup(published)
    return found.group if found else spelling_key(published)


def full_name(published: str) -> str | None:
    found = lookup(published)
    return found.full if found else None
