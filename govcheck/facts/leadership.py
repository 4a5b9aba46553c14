"""Facts on purpose, leadership, mandate and governance (NAO questions 1, 8, 9, 13)."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar, Literal

from pydantic import Field

from govcheck.facts.common import Facts, Reads, at_least, described, months, years_before
from govcheck.model import Programme


class PurposeFacts(Facts):
    objectives: int | None = Field(description="Objectives stated.")
    without_measures: int | None = Field(description="Objectives with no measure of success.")
    without_priority: int | None = Field(description="Objectives not linked to a strategic priority.")

    reads: ClassVar[Reads] = {
        "objectives": ("objectives",),
        "without_measures": ("objectives[].measures",),
        "without_priority": ("objectives[].strategic_priority",),
    }


class LeadershipFacts(Facts):
    has_sro: bool | None = Field(description="A Senior Responsible Owner is named.")
    sro: str | None = Field(description="The SRO's name.")
    sro_time: Literal["full_time", "part_time", "none"] | None = Field(description="none: no SRO.")
    sro_changes_3y: int | None = Field(description="SROs who left in the three years to the assessment.")
    has_sponsor: bool | None = Field(description="A sponsor is named.")

    reads: ClassVar[Reads] = {
        "has_sro": ("leadership.sro",),
        "sro": ("leadership.sro",),
        # An SRO whose time commitment is not given (or `unknown`): not known.
        "sro_time": ("leadership.sro", "leadership.sro.time_commitment"),
        "sro_changes_3y": ("leadership.previous_sros",),
        "has_sponsor": ("leadership.sponsor",),
    }


class MandateFacts(Facts):
    can_direct: bool | None = Field(description="The programme can direct its participants.")
    participation: Literal["mandatory", "voluntary", "mixed"] | None
    has_authority: bool | None = Field(description="An authority to direct participants is named.")
    decision_rights: int | None = Field(description="Decision rights written down.")
    incentives: bool | None = Field(description="Participants have incentives to take part.")
    participants: int | None = Field(description="Customers and delivery partners.")

    reads: ClassVar[Reads] = {
        "can_direct": ("mandate.can_direct_participants",),
        "participation": ("mandate.participation",),
        "has_authority": ("mandate.authority",),
        "decision_rights": ("mandate.decision_rights",),
        "incentives": ("mandate.incentives_for_participants",),
        "participants": ("parties",),
    }


class GovernanceFacts(Facts):
    has_board: bool | None
    months_since_board: float | None = Field(description="Months since the board last met.")
    independent_assurance: bool | None
    change_control: bool | None

    reads: ClassVar[Reads] = {
        "has_board": ("governance.board",),
        "months_since_board": ("governance.board", "governance.board.last_met"),
        "independent_assurance": ("governance.independent_assurance",),
        "change_control": ("governance.change_control",),
    }


def purpose(p: Programme) -> PurposeFacts:
    if not described(p, "objectives"):
        return PurposeFacts(objectives=None, without_measures=None, without_priority=None)
    return PurposeFacts(
        objectives=len(p.objectives),
        without_measures=at_least(not o.measures if described(o, "measures") else None for o in p.objectives),
        without_priority=at_least(
            o.strategic_priority is None if described(o, "strategic_priority") else None for o in p.objectives
        ),
    )


def leadership(p: Programme) -> LeadershipFacts:
    lead = p.leadership if described(p, "leadership") else None
    has_sro = lead.sro is not None if described(lead, "sro") else None
    sro = lead.sro if lead and has_sro else None
    time: Literal["full_time", "part_time", "none"] | None = None
    if has_sro is False:
        time = "none"
    elif sro is not None and sro.time_commitment != "unknown":
        time = sro.time_commitment
    since = years_before(p.assessment_date, 3)
    return LeadershipFacts(
        has_sro=has_sro,
        sro=sro.name if sro else None,
        sro_time=time,
        sro_changes_3y=(
            sum(1 for f in lead.previous_sros if since <= f.end <= p.assessment_date)
            if lead and described(lead, "previous_sros")
            else None
        ),
        has_sponsor=lead.sponsor is not None if lead and described(lead, "sponsor") else None,
    )


def mandate(p: Programme) -> MandateFacts:
    m = p.mandate if described(p, "mandate") else None

    def given(name: str) -> bool:
        return described(m, name)

    return MandateFacts(
        can_direct=m.can_direct_participants if m and given("can_direct_participants") else None,
        participation=m.participation if m and given("participation") else None,
        has_authority=m.authority is not None if m and given("authority") else None,
        decision_rights=len(m.decision_rights) if m and given("decision_rights") else None,
        incentives=m.incentives_for_participants if m and given("incentives_for_participants") else None,
        participants=(
            sum(1 for x in p.parties if x.role in ("customer", "delivery_partner"))
            if described(p, "parties")
            else None
        ),
    )


def governance(p: Programme, today: dt.date) -> GovernanceFacts:
    g = p.governance if described(p, "governance") else None
    has_board = g.board is not None if g and described(g, "board") else None
    board = g.board if g and has_board else None
    return GovernanceFacts(
        has_board=has_board,
        months_since_board=months(today, board.last_met) if board else None,
        independent_assurance=g.independent_assurance
        if g and described(g, "independent_assurance")
        else None,
        change_control=g.change_control if g and described(g, "change_control") else None,
    )
