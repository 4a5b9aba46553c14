"""Facts on the business case and on the parties who must buy in (NAO questions 3, 4, 5)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import ClassVar, Literal

from pydantic import Field

from govcheck.facts.common import Facts, Reads, at_least, described, months, share, years_before
from govcheck.model import Commitment, Programme, Stage

STAGE_RANK = {Stage.none: 0, Stage.soc: 1, Stage.obc: 2, Stage.fbc: 3, Stage.pbc: 3}
#: The business case stage a gate expects (IPA gateway: gate 1 SOC, gate 2 OBC, gate 3 on FBC).
GATE_STAGE = {0: "none", 1: "soc", 2: "obc", 3: "fbc", 4: "fbc", 5: "fbc"}
ACTIVE = {Commitment.committed, Commitment.supportive}
FIVE_CASES = ("strategic", "economic", "commercial", "financial", "management")


class BusinessCaseFacts(Facts):
    stage: Literal["none", "soc", "obc", "fbc", "pbc"] | None
    stage_rank: int | None = Field(description="0 none, 1 SOC, 2 OBC, 3 FBC or PBC.")
    required_stage: Literal["none", "soc", "obc", "fbc"] = Field(description="What the gate expects.")
    required_rank: int = Field(description="Rank of required_stage; 0 when no gate is given.")
    behind_gate: bool | None = Field(description="The stage is below what the gate expects.")
    approved: bool | None
    approved_by: str | None
    cases: int | None = Field(description="How many of the five cases it covers.")
    missing_cases: tuple[str, ...] = Field(description="The five-case model cases not covered.")
    options_appraised: int | None
    includes_do_minimum: bool | None
    optimism_bias_applied: bool | None
    funding_secured: bool | None
    months_since_update: float | None = Field(description="Months since the case was last updated.")

    reads: ClassVar[Reads] = {
        "stage": ("business_case.stage",),
        "stage_rank": ("business_case.stage",),
        "required_stage": ("next_gate",),
        "required_rank": ("next_gate",),
        "behind_gate": ("business_case.stage",),
        # Approval not given: not approved if the stage is none, else not known.
        "approved": (("business_case.approved", "business_case.stage"),),
        "approved_by": ("business_case.approved_by",),
        "cases": ("business_case.cases",),
        "missing_cases": ("business_case.cases",),
        "options_appraised": ("business_case.options_appraised",),
        "includes_do_minimum": ("business_case.includes_do_minimum",),
        "optimism_bias_applied": ("business_case.optimism_bias_applied",),
        "funding_secured": ("business_case.funding_secured",),
        "months_since_update": ("business_case.last_updated",),
    }


class StakeholderFacts(Facts):
    parties: int | None
    customers: int | None
    exited: int | None = Field(description="Parties that have exited.")
    exited_customers: int | None
    exited_names: tuple[str, ...]
    exited_share: float | None = Field(description="Share of customers that exited.")
    resisting: int | None
    resisting_names: tuple[str, ...]
    uncommitted: int | None = Field(description="Remaining parties that are neutral.")
    uncommitted_names: tuple[str, ...]
    supportive_share: float | None = Field(
        description="Share of remaining parties, of stated commitment, committed or supportive."
    )
    unconfirmed_12m: int | None = Field(description="Remaining parties not confirmed in the last 12 months.")
    needs_not_assessed: int | None = Field(
        description="Customers whose needs were not matched to the solution."
    )
    worst_group: str | None = Field(description="The group that lost the largest share of its customers.")
    worst_group_customers: int | None
    worst_group_exited: int | None
    worst_group_remaining: tuple[str, ...]

    # A party whose commitment is not given (or `unknown`) may be any of them.
    reads: ClassVar[Reads] = {
        "parties": ("parties",),
        "customers": ("parties",),
        "exited": ("parties[].commitment",),
        "exited_customers": ("parties[].commitment",),
        "exited_names": ("parties",),
        "exited_share": ("parties[].commitment",),
        "resisting": ("parties[].commitment",),
        "resisting_names": ("parties",),
        "uncommitted": ("parties[].commitment",),
        "uncommitted_names": ("parties",),
        "supportive_share": ("parties[].commitment",),
        "unconfirmed_12m": ("parties[].confirmed_on",),
        "needs_not_assessed": ("parties[].needs_assessed",),
        "worst_group": ("parties[].group",),
        "worst_group_customers": ("parties[].group",),
        "worst_group_exited": ("parties[].group",),
        "worst_group_remaining": ("parties[].group",),
    }


def business_case(p: Programme, gate: int | None, today: dt.date) -> BusinessCaseFacts:
    bc = p.business_case if described(p, "business_case") else None

    def given(name: str) -> bool:
        return described(bc, name)

    required = GATE_STAGE.get(gate, "none") if gate is not None else "none"
    required_rank = STAGE_RANK[Stage(required)]
    rank = STAGE_RANK[bc.stage] if bc and given("stage") else None
    covered = {c.value for c in bc.cases} if bc and given("cases") else None
    return BusinessCaseFacts(
        stage=bc.stage.value if bc and given("stage") else None,
        stage_rank=rank,
        required_stage=required,  # type: ignore[arg-type]
        required_rank=required_rank,
        behind_gate=None if rank is None else rank < required_rank,
        approved=bc.approved if bc and given("approved") else (False if rank == 0 else None),
        approved_by=bc.approved_by if bc and given("approved_by") else None,
        cases=None if covered is None else len(covered),
        missing_cases=() if covered is None else tuple(c for c in FIVE_CASES if c not in covered),
        options_appraised=bc.options_appraised if bc and given("options_appraised") else None,
        includes_do_minimum=bc.includes_do_minimum if bc and given("includes_do_minimum") else None,
        optimism_bias_applied=bc.optimism_bias_applied if bc and given("optimism_bias_applied") else None,
        funding_secured=bc.funding_secured if bc and given("funding_secured") else None,
        months_since_update=months(today, bc.last_updated) if bc and given("last_updated") else None,
    )


def _commitment(x: object) -> Commitment | None:
    value: Commitment = x.commitment  # type: ignore[attr-defined]
    return None if value is Commitment.unknown else value


def stakeholders(p: Programme, today: dt.date) -> StakeholderFacts:
    if not described(p, "parties"):
        return StakeholderFacts(
            parties=None, customers=None, exited=None, exited_customers=None, exited_names=(),
            exited_share=None, resisting=None, resisting_names=(), uncommitted=None,
            uncommitted_names=(), supportive_share=None, unconfirmed_12m=None,
            needs_not_assessed=None, worst_group=None, worst_group_customers=None,
            worst_group_exited=None, worst_group_remaining=(),
        )  # fmt: skip
    parties = p.parties
    state = {id(x): _commitment(x) for x in parties}
    customers = [x for x in parties if x.role == "customer"]
    remaining = [x for x in parties if state[id(x)] is not Commitment.exited]
    exited = [x for x in parties if state[id(x)] is Commitment.exited]
    resisting = [x for x in parties if state[id(x)] is Commitment.resisting]
    neutral = [x for x in remaining if state[id(x)] is Commitment.neutral]
    stated = [x for x in remaining if state[id(x)] is not None]
    cutoff = years_before(today, 1)

    def states(items: list, test: object) -> list[bool | None]:  # type: ignore[type-arg]
        return [None if state[id(x)] is None else test(x) for x in items]  # type: ignore[operator]

    groups = Counter(x.group for x in customers if x.group)
    group_exits = Counter(x.group for x in customers if x.group and state[id(x)] is Commitment.exited)
    worst = max(groups, key=lambda g: (group_exits[g] / groups[g], group_exits[g], g), default=None)
    exited_customers = at_least(states(customers, lambda x: state[id(x)] is Commitment.exited))
    return StakeholderFacts(
        parties=len(parties),
        customers=len(customers),
        exited=at_least(states(parties, lambda x: state[id(x)] is Commitment.exited)),
        exited_customers=exited_customers,
        exited_names=tuple(x.name for x in exited),
        exited_share=share(exited_customers, len(customers)) if exited_customers is not None else None,
        resisting=at_least(states(parties, lambda x: state[id(x)] is Commitment.resisting)),
        resisting_names=tuple(x.name for x in resisting),
        uncommitted=at_least(states(remaining, lambda x: state[id(x)] is Commitment.neutral)),
        uncommitted_names=tuple(x.name for x in neutral),
        supportive_share=share(sum(1 for x in stated if state[id(x)] in ACTIVE), len(stated)),
        unconfirmed_12m=at_least(
            (x.confirmed_on is None or x.confirmed_on < cutoff) if described(x, "confirmed_on") else None
            for x in remaining
        ),
        needs_not_assessed=at_least(
            (not x.needs_assessed) if described(x, "needs_assessed") else None for x in customers
        ),
        worst_group=worst,
        worst_group_customers=groups[worst] if worst else None,
        worst_group_exited=group_exits[worst] if worst else None,
        worst_group_remaining=tuple(
            x.name for x in customers if worst and x.group == worst and state[id(x)] is not Commitment.exited
        ),
    )
