"""Gateway reviews, their recommendations, and who owns the programme."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, StrictInt, model_validator

from govcheck.model.base import Count, Date, Dated, Name, Rating, Strict, Text, described

#: Who owns the programme: chooses who the report addresses, who approves and who assures.
OrganisationType = Literal[
    "central_department", "arms_length_body", "local_authority", "nhs_body", "devolved_administration"
]


class Organisation(Strict):
    type: OrganisationType = Field(description="The kind of body that owns the programme.")
    short_name: Name | None = Field(
        default=None,
        description="How the report refers to the body after naming it once, e.g. 'the council'. "
        "Defaults to the usual form for its type; central bodies are named each time.",
    )


class Recommendation(Dated):
    """One recommendation of a review, and what has become of it."""

    text: Text
    status: Literal["open", "in_progress", "closed"]
    priority: Literal["critical", "essential", "recommended"] | None = Field(
        default=None, description="The IPA's urgency: critical (do now), essential (do by), recommended."
    )
    owner: Name | None = None
    due: Date | None = Field(default=None, description="When it was to be done by.")
    closed_on: Date | None = None

    @model_validator(mode="after")
    def _closed(self) -> Recommendation:
        if self.closed_on is not None and self.status != "closed":
            raise ValueError(f"closed_on is given, but status is {self.status}")
        return self


class GatewayReview(Dated):
    gate: StrictInt = Field(ge=0, le=5)
    date: Date
    rating: Rating
    recommendations_open: Count = Field(
        default=0, description="How many were open; counted from `recommendations` when they are listed."
    )
    recommendations: tuple[Recommendation, ...] = ()

    @model_validator(mode="after")
    def _count_agrees(self) -> GatewayReview:
        if described(self, "recommendations") and described(self, "recommendations_open"):
            still_open = sum(1 for r in self.recommendations if r.status != "closed")
            if still_open != self.recommendations_open:
                raise ValueError(
                    f"recommendations_open is {self.recommendations_open}, "
                    f"but {still_open} of the recommendations listed are not closed"
                )
        return self

    @property
    def open_count(self) -> int:
        if described(self, "recommendations") and not described(self, "recommendations_open"):
            return sum(1 for r in self.recommendations if r.status != "closed")
        return self.recommendations_open
