"""One rating scale: what descriptions may say, what facts carry and what reports rank."""

from __future__ import annotations

from typing import get_args

from govcheck.facts.assurance import GatewayFacts
from govcheck.model import Rating
from govcheck.vocab import RATING_RANK, RATING_SCALE, RATINGS_WORST_FIRST, RatingName


def test_descriptions_facts_and_reports_share_one_rating_scale() -> None:
    assert tuple(r.value for r in Rating) == RATING_SCALE == get_args(RatingName)
    assert GatewayFacts.model_fields["last_rating"].annotation == RatingName | None
    assert RATINGS_WORST_FIRST[0] == "Red" and RATING_RANK["Green"] == 0 and RATING_RANK["Red"] == 4
