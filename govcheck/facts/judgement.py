"""Facts on the quality of the programme's parts and on its contracts.

Judgements come from `assessments` and from the assurance opinions on the programme's
forecasts, read as assessments of the schedule, cost estimate, benefits case and delivery
capability. For each part the judgement that counts is the latest independent one as of the
assessment date; a self-assessment counts only where no independent judgement of that part is
described, and weighs less (NAO Framework question 8: independent assurance for the SRO).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

from pydantic import Field, create_model

from govcheck.facts.common import Facts, Reads, described
from govcheck.model import PARTS, VERDICTS, Programme
from govcheck.model.judgement import SELF
from govcheck.templating import the

#: Finding weight of a verdict, 0 none to 3 high, by whether the assessor is independent.
#: A self-assessment never outweighs an independent one: it counts one step lower.
WEIGHT = {
    True: {"sound": 0, "weaknesses": 2, "significant_weaknesses": 3, "unrealistic": 3},
    False: {"sound": 0, "weaknesses": 1, "significant_weaknesses": 2, "unrealistic": 2},
}
#: Assurance opinions on a forecast, read as judgements of the part that made it.
OPINION_PART = {
    "schedule": "schedule",
    "cost": "cost_estimate",
    "benefits": "benefits_case",
    "delivery": "delivery_capability",
}
OPINION_VERDICT = {
    "achievable": "sound",
    "at_risk": "weaknesses",
    "unachievable": "unrealistic",
    "not_credible": "unrealistic",
}

#: How each kind of assessor is named in a finding, where the body's own name is not given.
BY_WORDS = {
    "NAO": "the NAO",
    "PAC": "the Committee of Public Accounts",
    "IPA": "the IPA",
    "HM Treasury": "HM Treasury",
    "internal audit": "internal audit",
    "external audit": "the external auditor",
    "independent review": "an independent review",
    "programme": "the programme itself",
}

Verdict = Literal["sound", "weaknesses", "significant_weaknesses", "unrealistic"]


def _part_fields() -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for part in PARTS:
        words = part.replace("_", " ")
        fields[f"{part}_weight"] = (
            int | None,
            Field(description=f"0 none or sound, 1 low, 2 medium, 3 high: the {words} as judged."),
        )
        fields[f"{part}_verdict"] = (
            Verdict | None,
            Field(description=f"The judgement of the {words} that counts."),
        )
        fields[f"{part}_by"] = (str | None, Field(description="Who made it: the body's name, or its kind."))
        fields[f"{part}_independent"] = (
            bool | None,
            Field(description="Made by someone other than the programme."),
        )
        fields[f"{part}_date"] = (str | None, Field(description="When it was made."))
        fields[f"{part}_basis"] = (str | None, Field(description="The words it rests on."))
    return fields


class _Judged(Facts):
    # Judgements come from assessments and from assurance opinions: not known only when
    # neither is described (a part no one judged weighs 0, and has no verdict).
    reads: ClassVar[Reads] = {
        name: (("assessments", "assurance"),) for name in ("independent", "unrealistic", *_part_fields())
    }


AssessedFacts: type[Facts] = create_model(
    "AssessedFacts",
    __base__=_Judged,
    __doc__="The judgement that counts for each part of the programme.",
    independent=(int | None, Field(description="Parts whose judgement that counts is independent.")),
    unrealistic=(
        int | None,
        Field(description="Parts independently judged unrealistic (unachievable, not credible)."),
    ),
    **_part_fields(),
)


class AuditFacts(Facts):
    latest: Literal["not_achieved", "at_risk", "achieved", "not_yet_determinable", "none"] | None = Field(
        description="The latest auditor's conclusion on value for money by the assessment date; none if none."
    )
    by: str | None
    date: str | None
    basis: str | None

    reads: ClassVar[Reads] = {name: ("audit_conclusions",) for name in ("latest", "by", "date", "basis")}


class ContractFacts(Facts):
    contracts: int | None
    main_terminated: bool | None = Field(description="The main delivery contract was terminated.")
    terminated: int | None = Field(description="Contracts terminated by the assessment date.")
    terminated_names: tuple[str, ...]
    termination_costs: float | None = Field(description="Paid to end contracts; 0 when none.")
    first_terminated: str | None = Field(description="When the first of them was terminated.")

    reads: ClassVar[Reads] = {
        name: ("contracts",)
        for name in (
            "contracts",
            "main_terminated",
            "terminated",
            "terminated_names",
            "termination_costs",
            "first_terminated",
        )
    }


@dataclass(frozen=True)
class _Judgement:
    part: str
    independent: bool
    by: str
    date: dt.date
    verdict: str
    basis: str


def _judgements(p: Programme) -> list[_Judgement] | None:
    found: list[_Judgement] | None = None
    if described(p, "assessments"):
        found = [
            _Judgement(
                a.part,
                a.by != SELF,
                the(a.assessor, False) if a.assessor else BY_WORDS[a.by],
                a.date,
                a.verdict,
                a.basis,
            )
            for a in p.assessments
        ]
    if described(p, "assurance"):
        found = (found or []) + [
            _Judgement(
                OPINION_PART[o.subject],
                True,
                the(o.by, False),
                o.date,
                OPINION_VERDICT[o.opinion],
                o.summary or f"{o.subject} judged {o.opinion.replace('_', ' ')}",
            )
            for o in p.assurance
        ]
    return found


def _words(text: str) -> str:
    """A basis as findings quote it: without a full stop or quotation marks of its own around it."""
    return text.strip().rstrip(".").strip().strip('"\u201c\u201d').strip()


def _counts(j: _Judgement) -> tuple[bool, dt.date, int]:
    """Which judgement of a part counts: independent first, then the latest, then the worst."""
    return (j.independent, j.date, VERDICTS.index(j.verdict))


def assessed(p: Programme) -> Any:
    judgements = _judgements(p)
    if judgements is None:
        return AssessedFacts.model_validate(dict.fromkeys(AssessedFacts.model_fields))
    held = [j for j in judgements if j.date <= p.assessment_date]
    values: dict[str, Any] = {}
    counted: list[_Judgement] = []
    for part in PARTS:
        on = [j for j in held if j.part == part]
        j = max(on, key=_counts) if on else None
        if j is not None:
            counted.append(j)
        values |= {
            f"{part}_weight": WEIGHT[j.independent][j.verdict] if j else 0,
            f"{part}_verdict": j.verdict if j else None,
            f"{part}_by": j.by if j else None,
            f"{part}_independent": j.independent if j else None,
            f"{part}_date": j.date.isoformat() if j else None,
            f"{part}_basis": _words(j.basis) if j else None,
        }
    return AssessedFacts.model_validate(
        {
            "independent": sum(j.independent for j in counted),
            "unrealistic": sum(j.independent and j.verdict == "unrealistic" for j in counted),
            **values,
        }
    )


def audit(p: Programme) -> AuditFacts:
    if not described(p, "audit_conclusions"):
        return AuditFacts(latest=None, by=None, date=None, basis=None)
    latest = max(p.audit_conclusions, key=lambda c: c.date, default=None)
    if latest is None:
        return AuditFacts(latest="none", by=None, date=None, basis=None)
    return AuditFacts(
        latest=latest.conclusion,
        by=the(latest.assessor, False) if latest.assessor else BY_WORDS[latest.by],
        date=latest.date.isoformat(),
        basis=_words(latest.basis),
    )


def contracts(p: Programme) -> ContractFacts:
    if not described(p, "contracts"):
        return ContractFacts(
            contracts=None,
            main_terminated=None,
            terminated=None,
            terminated_names=(),
            termination_costs=None,
            first_terminated=None,
        )
    ended = [c for c in p.contracts if c.status == "terminated" and c.date and c.date <= p.assessment_date]
    return ContractFacts(
        contracts=len(p.contracts),
        main_terminated=any(c.main for c in ended),
        terminated=len(ended),
        terminated_names=tuple(c.name for c in ended),
        termination_costs=float(sum(c.termination_costs.amount for c in ended if c.termination_costs)),
        first_terminated=min(c.date for c in ended if c.date).isoformat() if ended else None,
    )
