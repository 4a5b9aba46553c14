"""Who a report addresses, and who approves and assures, by the kind of body that owns the programme.

A central department is named each time, as the NAO writes; a council or an NHS trust is
named once, in the report's heading, and then called "the council" or "the trust".
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

from govcheck.model import Programme


@dataclass(frozen=True)
class Wording:
    label: str
    short: str | None  # after the heading: "the council"; None: the body's name each time
    approver: str  # who approves its investment decisions
    assurer: str  # who assures it independently
    centre: str  # who can set binding rules for the bodies it depends on
    accountable_to: str  # who it answers to for its spending
    finance_officer: str  # who answers for its financial propriety


WORDING = MappingProxyType(
    {
        "central_department": Wording(
            "central government department",
            None,
            "its investment committee and, beyond its delegated limits, HM Treasury",
            "the Infrastructure and Projects Authority",
            "the centre of government",
            "Parliament",
            "its accounting officer",
        ),
        "arms_length_body": Wording(
            "arm's-length body",
            None,
            "its sponsor department and, beyond delegated limits, HM Treasury",
            "its sponsor department's assurance and the Infrastructure and Projects Authority",
            "its sponsor department",
            "its sponsor department and Parliament",
            "its accounting officer",
        ),
        "local_authority": Wording(
            "local authority",
            "the council",
            "the council's cabinet or the committee responsible",
            "internal audit",
            "the council's cabinet and corporate leadership team",
            "its elected members and local taxpayers",
            "its section 151 officer",
        ),
        "nhs_body": Wording(
            "NHS body",
            "the trust",
            "the trust board, and NHS England where its approval is required",
            "internal audit",
            "NHS England",
            "the trust board and NHS England",
            "its director of finance",
        ),
        "devolved_administration": Wording(
            "devolved administration",
            None,
            "the administration's finance ministers",
            "the administration's own gateway assurance",
            "the administration's centre",
            "its legislature",
            "its accountable officer",
        ),
    }
)


@dataclass(frozen=True)
class Body:
    """The owning body, as rule templates address it: `{{ body | the }} should ...`."""

    name: str
    type: str
    short: str | None
    approver: str
    assurer: str
    centre: str
    accountable_to: str
    finance_officer: str

    @property
    def introduced(self) -> str:
        """The body's name, with how the report refers to it after: 'Westborough Council ("the council")'."""
        return f'{self.name} ("{self.short}")' if self.short else self.name


def body(p: Programme) -> Body:
    kind = p.organisation.type if p.organisation else "central_department"
    w = WORDING[kind]
    short = (p.organisation.short_name if p.organisation else None) or w.short
    return Body(
        p.department, kind, short, w.approver, w.assurer, w.centre, w.accountable_to, w.finance_officer
    )
