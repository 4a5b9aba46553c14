"""Derived facts: what rules compare, computed in Python from a validated programme.

The engine cannot count, subtract dates or test for absence, so everything of that kind is
computed here into flat, typed, always-present values. Unknown numbers are -1 and come with
a boolean saying whether they are known, so a rule never compares a missing value.
"""

from __future__ import annotations

import datetime as dt
import typing
from collections import Counter
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from govcheck.model import Commitment, Money, Programme, Stage

STAGE_RANK = {Stage.none: 0, Stage.soc: 1, Stage.obc: 2, Stage.fbc: 3, Stage.pbc: 3}
#: The business case stage a gate expects (IPA gateway: gate 1 SOC, gate 2 OBC, gate 3 on FBC).
GATE_STAGE = {0: "none", 1: "soc", 2: "obc", 3: "fbc", 4: "fbc", 5: "fbc"}
RATING_RANK = {"Green": 0, "Amber/Green": 1, "Amber": 2, "Amber/Red": 3, "Red": 4}
ACTIVE = {Commitment.committed, Commitment.supportive}
DAYS_PER_MONTH = 30.4375


class Facts(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class PurposeFacts(Facts):
    objectives: int = Field(description="Objectives stated.")
    without_measures: int = Field(description="Objectives with no measure of success.")
    without_priority: int = Field(description="Objectives not linked to a strategic priority.")


class LeadershipFacts(Facts):
    has_sro: bool = Field(description="A Senior Responsible Owner is named.")
    sro: str = Field(description="The SRO's name, or empty.")
    sro_time: Literal["full_time", "part_time", "unknown", "none"] = Field(description="none: no SRO.")
    sro_changes_3y: int = Field(description="SROs who left in the three years to the assessment.")
    has_sponsor: bool = Field(description="A sponsor is named.")


class MandateFacts(Facts):
    can_direct: bool = Field(description="The programme can direct its participants.")
    participation: Literal["mandatory", "voluntary", "mixed"]
    has_authority: bool = Field(description="An authority to direct participants is named.")
    decision_rights: int = Field(description="Decision rights written down.")
    incentives: bool = Field(description="Participants have incentives to take part.")
    participants: int = Field(description="Customers and delivery partners.")


class GovernanceFacts(Facts):
    has_board: bool
    board_met_known: bool = Field(description="The board's last meeting date is given.")
    months_since_board: float = Field(description="Months since the board last met; -1 unknown.")
    independent_assurance: bool
    change_control: bool


class BusinessCaseFacts(Facts):
    stage: Literal["none", "soc", "obc", "fbc", "pbc"]
    stage_rank: int = Field(description="0 none, 1 SOC, 2 OBC, 3 FBC or PBC.")
    required_stage: Literal["none", "soc", "obc", "fbc"] = Field(description="What the gate expects.")
    required_rank: int = Field(description="Rank of required_stage; 0 when no gate is given.")
    behind_gate: bool = Field(description="The stage is below what the gate expects.")
    approved: bool
    approved_by: str
    cases: int = Field(description="How many of the five cases it covers.")
    missing_cases: tuple[str, ...] = Field(description="The five-case model cases not covered.")
    options_appraised: int
    includes_do_minimum: bool
    optimism_bias_applied: bool
    funding_secured: bool
    update_known: bool = Field(description="last_updated is given.")
    months_since_update: float = Field(description="-1 when unknown.")


class StakeholderFacts(Facts):
    parties: int
    customers: int
    exited: int = Field(description="Parties that have exited.")
    exited_customers: int
    exited_names: tuple[str, ...]
    exited_share: float = Field(description="Share of customers that exited; 0 with no customers.")
    resisting: int
    resisting_names: tuple[str, ...]
    uncommitted: int = Field(description="Remaining parties neutral or of unknown commitment.")
    uncommitted_names: tuple[str, ...]
    supportive_share: float = Field(description="Share of remaining parties committed or supportive.")
    unconfirmed_12m: int = Field(description="Remaining parties not confirmed in the last 12 months.")
    needs_not_assessed: int = Field(description="Customers whose needs were not matched to the solution.")
    worst_group: str = Field(description="The group that lost the largest share of its customers.")
    worst_group_customers: int
    worst_group_exited: int
    worst_group_remaining: tuple[str, ...]


class MigrationFacts(Facts):
    has_plan: bool
    unit: str
    total: int
    checkpoint: str = Field(description="Date of the latest checkpoint with progress reported.")
    planned: int = Field(description="Units planned to have moved by that checkpoint.")
    done: int = Field(description="Units moved by then.")
    done_share_of_planned: float = Field(description="done / planned; 1 when nothing was planned.")
    done_share_of_total: float
    shortfall: int


class ScheduleFacts(Facts):
    milestones: int
    interim: int = Field(description="Milestones that are not a whole-service go-live.")
    big_bang: bool = Field(description="Big-bang approach, or a go-live with no interim milestone.")
    approach: Literal["phased", "big_bang", "unknown"]
    max_slip_days: int = Field(description="Largest forecast or actual slip past baseline, in days.")
    worst_milestone: str
    slipped_90: int = Field(description="Milestones slipped by more than 90 days.")
    overdue: int = Field(description="Milestones past their forecast with no actual date.")
    overdue_names: tuple[str, ...]
    end_known: bool
    past_planned_end: bool


class CostFacts(Facts):
    has_budget: bool
    budget: float
    spent_known: bool
    spent: float
    spent_share_of_budget: float = Field(description="spent / budget; 0 when either is unknown.")
    has_whole_life: bool
    whole_life_baseline: float
    whole_life_forecast: float
    whole_life_growth: float = Field(description="forecast / baseline - 1; 0 when unknown.")
    has_contingency: bool


class BenefitFacts(Facts):
    items: int
    realisation_plan: bool
    without_owner: int
    not_agreed: int
    forecast_total: float
    annual_forecast: float = Field(description="The largest yearly forecast across all benefits.")
    expected_to_date: float = Field(description="Forecast pro-rated to the assessment date.")
    due: bool = Field(description="Some benefit was forecast by the assessment date.")
    delivered_known: bool
    delivered: float
    delivery_share: float = Field(description="delivered / expected_to_date; 1 when none due.")
    largest_share: float = Field(description="Share of the forecast resting on the largest benefit.")
    largest_name: str


class ValueFacts(Facts):
    invested: float = Field(description="Spent to date.")
    net_to_date: float = Field(description="Benefits delivered less spent to date.")
    cost_exceeds_savings: bool = Field(description="Benefits are due and spend exceeds them.")
    descoped_without_saving: int = Field(description="Scope reductions with no budget reduction.")


class RiskFacts(Facts):
    has_register: bool
    open: int
    unowned: int
    unmitigated: int
    high_open: int = Field(description="Open risks of high likelihood and high impact.")
    review_known: bool
    months_since_review: float


class GatewayFacts(Facts):
    reviews: int
    last_gate: int = Field(description="-1 when none held.")
    last_rating: Literal["", "Green", "Amber/Green", "Amber", "Amber/Red", "Red"] = Field(
        description="Empty when none held."
    )
    last_rating_rank: int = Field(description="0 Green to 4 Red; -1 when none held.")
    open_recommendations: int


class DeliveryFacts(Facts):
    lessons_applied: bool
    market_engagement: bool


class ProgrammeFacts(Facts):
    """Every fact a rule condition may name, as `group.field`."""

    gate: int = Field(description="Gate under review, 0-5; -1 when none is given.")
    currency: str
    purpose: PurposeFacts
    leadership: LeadershipFacts
    mandate: MandateFacts
    governance: GovernanceFacts
    business_case: BusinessCaseFacts
    stakeholders: StakeholderFacts
    migration: MigrationFacts
    schedule: ScheduleFacts
    costs: CostFacts
    benefits: BenefitFacts
    value: ValueFacts
    risk: RiskFacts
    gateway: GatewayFacts
    delivery: DeliveryFacts


def years_before(day: dt.date, years: int) -> dt.date:
    """The same calendar day `years` earlier; 29 February falls back to the 28th."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def _months(later: dt.date, earlier: dt.date | None) -> float:
    return -1.0 if earlier is None else round((later - earlier).days / DAYS_PER_MONTH, 2)


def _amount(money: Money | None) -> float:
    return money.amount if money else 0.0


def _share(part: float, whole: float, empty: float) -> float:
    return round(part / whole, 4) if whole else empty


def derive(p: Programme, gate: int | None = None) -> ProgrammeFacts:
    """Compute the facts for `p` as of its assessment date, for `gate` (else its next gate)."""
    gate = p.next_gate if gate is None else gate
    today = p.assessment_date
    return ProgrammeFacts(
        gate=-1 if gate is None else gate,
        currency=p.currency or "GBP",
        purpose=_purpose(p),
        leadership=_leadership(p),
        mandate=_mandate(p),
        governance=_governance(p, today),
        business_case=_business_case(p, gate, today),
        stakeholders=_stakeholders(p, today),
        migration=_migration(p),
        schedule=_schedule(p, today),
        costs=_costs(p),
        benefits=_benefits(p, today),
        value=_value(p, today),
        risk=_risk(p, today),
        gateway=_gateway(p),
        delivery=DeliveryFacts(
            lessons_applied=p.delivery.lessons_applied, market_engagement=p.delivery.market_engagement
        ),
    )


def _purpose(p: Programme) -> PurposeFacts:
    return PurposeFacts(
        objectives=len(p.objectives),
        without_measures=sum(1 for o in p.objectives if not o.measures),
        without_priority=sum(1 for o in p.objectives if not o.strategic_priority),
    )


def _leadership(p: Programme) -> LeadershipFacts:
    sro = p.leadership.sro
    since = years_before(p.assessment_date, 3)
    return LeadershipFacts(
        has_sro=sro is not None,
        sro=sro.name if sro else "",
        sro_time=sro.time_commitment if sro else "none",
        sro_changes_3y=sum(1 for f in p.leadership.previous_sros if since <= f.end <= p.assessment_date),
        has_sponsor=p.leadership.sponsor is not None,
    )


def _mandate(p: Programme) -> MandateFacts:
    m = p.mandate
    return MandateFacts(
        can_direct=m.can_direct_participants,
        participation=m.participation,
        has_authority=m.authority is not None,
        decision_rights=len(m.decision_rights),
        incentives=m.incentives_for_participants,
        participants=sum(1 for x in p.parties if x.role in ("customer", "delivery_partner")),
    )


def _governance(p: Programme, today: dt.date) -> GovernanceFacts:
    board = p.governance.board
    met = board.last_met if board else None
    return GovernanceFacts(
        has_board=board is not None,
        board_met_known=met is not None,
        months_since_board=_months(today, met),
        independent_assurance=p.governance.independent_assurance,
        change_control=p.governance.change_control,
    )


def _business_case(p: Programme, gate: int | None, today: dt.date) -> BusinessCaseFacts:
    bc = p.business_case
    required = GATE_STAGE.get(gate, "none") if gate is not None else "none"
    required_rank = STAGE_RANK[Stage(required)]
    return BusinessCaseFacts(
        stage=bc.stage.value,
        stage_rank=STAGE_RANK[bc.stage],
        required_stage=required,
        required_rank=required_rank,
        behind_gate=STAGE_RANK[bc.stage] < required_rank,
        approved=bc.approved,
        approved_by=bc.approved_by or "",
        cases=len(bc.cases),
        missing_cases=tuple(
            c
            for c in ("strategic", "economic", "commercial", "financial", "management")
            if c not in {x.value for x in bc.cases}
        ),
        options_appraised=bc.options_appraised,
        includes_do_minimum=bc.includes_do_minimum,
        optimism_bias_applied=bc.optimism_bias_applied,
        funding_secured=bc.funding_secured,
        update_known=bc.last_updated is not None,
        months_since_update=_months(today, bc.last_updated),
    )


def _stakeholders(p: Programme, today: dt.date) -> StakeholderFacts:
    parties = p.parties
    customers = [x for x in parties if x.role == "customer"]
    remaining = [x for x in parties if x.commitment is not Commitment.exited]
    exited = [x for x in parties if x.commitment is Commitment.exited]
    resisting = [x for x in parties if x.commitment is Commitment.resisting]
    uncommitted = [x for x in remaining if x.commitment in (Commitment.neutral, Commitment.unknown)]
    cutoff = years_before(today, 1)
    groups = Counter(x.group for x in customers if x.group)
    group_exits = Counter(x.group for x in customers if x.group and x.commitment is Commitment.exited)
    worst = max(groups, key=lambda g: (group_exits[g] / groups[g], group_exits[g], g), default="")
    exited_customers = sum(1 for x in customers if x.commitment is Commitment.exited)
    return StakeholderFacts(
        parties=len(parties),
        customers=len(customers),
        exited=len(exited),
        exited_customers=exited_customers,
        exited_names=tuple(x.name for x in exited),
        exited_share=_share(exited_customers, len(customers), 0.0),
        resisting=len(resisting),
        resisting_names=tuple(x.name for x in resisting),
        uncommitted=len(uncommitted),
        uncommitted_names=tuple(x.name for x in uncommitted),
        supportive_share=_share(sum(1 for x in remaining if x.commitment in ACTIVE), len(remaining), 1.0),
        unconfirmed_12m=sum(1 for x in remaining if x.confirmed_on is None or x.confirmed_on < cutoff),
        needs_not_assessed=sum(1 for x in customers if not x.needs_assessed),
        worst_group=worst or "",
        worst_group_customers=groups[worst] if worst else 0,
        worst_group_exited=group_exits[worst] if worst else 0,
        worst_group_remaining=tuple(
            x.name for x in customers if worst and x.group == worst and x.commitment is not Commitment.exited
        ),
    )


def _migration(p: Programme) -> MigrationFacts:
    m = p.migration
    reported = [c for c in (m.checkpoints if m else ()) if c.done is not None and c.date <= p.assessment_date]
    last = reported[-1] if reported else None
    planned = last.planned if last else 0
    done = (last.done or 0) if last else 0
    total = m.total if m else 0
    return MigrationFacts(
        has_plan=m is not None,
        unit=m.unit if m else "",
        total=total,
        checkpoint=last.date.isoformat() if last else "",
        planned=planned,
        done=done,
        done_share_of_planned=_share(done, planned, 1.0),
        done_share_of_total=_share(done, total, 1.0),
        shortfall=max(planned - done, 0),
    )


def _schedule(p: Programme, today: dt.date) -> ScheduleFacts:
    slips: list[tuple[int, str]] = []
    overdue = []
    for ms in p.milestones:
        latest = ms.actual or ms.forecast or ms.baseline
        slips.append(((latest - ms.baseline).days, ms.name))
        if ms.actual is None and (ms.forecast or ms.baseline) < today:
            overdue.append(ms.name)
    worst = max(slips, default=(0, ""))
    interim = sum(1 for ms in p.milestones if not ms.go_live)
    go_live = any(ms.go_live for ms in p.milestones)
    end = p.planned_end_date
    return ScheduleFacts(
        milestones=len(p.milestones),
        interim=interim,
        big_bang=p.delivery.approach == "big_bang" or (go_live and interim == 0),
        approach=p.delivery.approach,
        max_slip_days=max(worst[0], 0),
        worst_milestone=worst[1] if worst[0] > 0 else "",
        slipped_90=sum(1 for days, _ in slips if days > 90),
        overdue=len(overdue),
        overdue_names=tuple(overdue),
        end_known=end is not None,
        past_planned_end=end is not None and end < today,
    )


def _costs(p: Programme) -> CostFacts:
    c = p.costs
    budget, spent = _amount(c.budget), _amount(c.spent_to_date)
    wl = c.whole_life
    base, forecast = (wl.baseline.amount, wl.forecast.amount) if wl else (0.0, 0.0)
    return CostFacts(
        has_budget=c.budget is not None,
        budget=budget,
        spent_known=c.spent_to_date is not None,
        spent=spent,
        spent_share_of_budget=_share(spent, budget, 0.0),
        has_whole_life=wl is not None,
        whole_life_baseline=base,
        whole_life_forecast=forecast,
        whole_life_growth=round(forecast / base - 1, 4) if base else 0.0,
        has_contingency=c.contingency is not None and c.contingency.amount > 0,
    )


def expected_to_date(p: Programme, today: dt.date) -> float:
    """Benefits forecast up to `today`, each yearly amount pro-rated over its twelve months."""
    total = 0.0
    for item in p.benefits.items:
        for year in item.forecast:
            start = years_before(year.year_ending, 1)
            if today >= year.year_ending:
                total += year.amount.amount
            elif today > start:
                total += year.amount.amount * (today - start).days / (year.year_ending - start).days
    return round(total, 2)


def _benefits(p: Programme, today: dt.date) -> BenefitFacts:
    items = p.benefits.items
    totals = {b.name: sum(y.amount.amount for y in b.forecast) for b in items}
    forecast_total = sum(totals.values())
    by_year: Counter[dt.date] = Counter()
    for b in items:
        for y in b.forecast:
            by_year[y.year_ending] += y.amount.amount  # type: ignore[assignment]
    expected = expected_to_date(p, today)
    delivered = sum(_amount(b.delivered_to_date) for b in items)
    largest = max(totals, key=lambda k: totals[k], default="")
    return BenefitFacts(
        items=len(items),
        realisation_plan=p.benefits.realisation_plan,
        without_owner=sum(1 for b in items if not b.owner),
        not_agreed=sum(1 for b in items if not b.agreed_with_owner),
        forecast_total=forecast_total,
        annual_forecast=max(by_year.values(), default=0.0),
        expected_to_date=expected,
        due=expected > 0,
        delivered_known=any(b.delivered_to_date is not None for b in items),
        delivered=delivered,
        delivery_share=_share(delivered, expected, 1.0),
        largest_share=_share(totals.get(largest, 0.0), forecast_total, 0.0),
        largest_name=largest,
    )


def _value(p: Programme, today: dt.date) -> ValueFacts:
    spent = _amount(p.costs.spent_to_date)
    delivered = sum(_amount(b.delivered_to_date) for b in p.benefits.items)
    due = expected_to_date(p, today) > 0
    return ValueFacts(
        invested=spent,
        net_to_date=round(delivered - spent, 2),
        cost_exceeds_savings=due and p.costs.spent_to_date is not None and spent > delivered,
        descoped_without_saving=sum(1 for c in p.changes if c.scope == "reduced" and c.budget != "reduced"),
    )


def _risk(p: Programme, today: dt.date) -> RiskFacts:
    rm = p.risk_management
    open_risks = [r for r in rm.risks if r.status == "open"]
    return RiskFacts(
        has_register=rm.register_maintained,
        open=len(open_risks),
        unowned=sum(1 for r in open_risks if not r.owner),
        unmitigated=sum(1 for r in open_risks if not r.mitigation),
        high_open=sum(1 for r in open_risks if r.likelihood == r.impact == "high"),
        review_known=rm.last_reviewed is not None,
        months_since_review=_months(today, rm.last_reviewed),
    )


def _gateway(p: Programme) -> GatewayFacts:
    held = sorted((r for r in p.gateway_reviews if r.date <= p.assessment_date), key=lambda r: r.date)
    last = held[-1] if held else None
    return GatewayFacts(
        reviews=len(held),
        last_gate=last.gate if last else -1,
        last_rating=last.rating.value if last else "",
        last_rating_rank=RATING_RANK[last.rating.value] if last else -1,
        open_recommendations=last.recommendations_open if last else 0,
    )


def fact_fields(
    model: type[BaseModel] = ProgrammeFacts, prefix: str = "", *, lists: bool = False
) -> dict[str, Any]:
    """Every fact as `group.field` -> its annotation: scalars (what conditions may compare),
    and with `lists` also the lists of names that templates and evidence may quote."""
    found: dict[str, Any] = {}
    for name, field in model.model_fields.items():
        ann: Any = field.annotation
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            found.update(fact_fields(ann, f"{prefix}{name}.", lists=lists))
        elif ann in (bool, int, float, str) or typing.get_origin(ann) is Literal:
            found[f"{prefix}{name}"] = ann
        elif lists:
            found[f"{prefix}{name}"] = ann
    return found
