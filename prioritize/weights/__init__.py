"""Criterion weights: eliciting them from each member and combining them for the council.

This package owns the weight methods -- 100 points, SWING, rank order centroid and AHP
pairwise comparison (:mod:`~prioritize.weights.elicit`, :mod:`~prioritize.weights.ahp`) --
and the council's aggregation of the members' weights
(:mod:`~prioritize.weights.aggregate`). They are pure functions from answers to weights;
storing the answers is the store's business, showing them the app's.

What a weight means here: the value of moving a criterion from the worst to the best level
of its scale, relative to the same move on the other criteria (a swing weight). A weight
is not the "importance" of a criterion in the abstract: Keeney (2002, "Common mistakes in
making value trade-offs", Operations Research 50(6)) warns that importance weights asked
without the ranges in view are meaningless, since a criterion whose options barely differ
deserves little weight however important it sounds. The questions the app asks name the
scale's ends for that reason.
"""

from __future__ import annotations

from prioritize.weights.aggregate import AGGREGATIONS, CouncilWeights, aggregate_weights
from prioritize.weights.ahp import (
    CONSISTENCY_LIMIT,
    MAX_AHP_CRITERIA,
    RANDOM_INDEX,
    SAATY_SCALE,
    AHPResult,
    ahp_weights,
    ahp_weights_many,
    pairs,
    pairwise_matrix,
)
from prioritize.weights.elicit import (
    METHODS,
    Elicited,
    elicit,
    point_weights,
    rank_order_centroid,
    swing_weights,
)

__all__ = [
    "AGGREGATIONS",
    "CONSISTENCY_LIMIT",
    "MAX_AHP_CRITERIA",
    "METHODS",
    "RANDOM_INDEX",
    "SAATY_SCALE",
    "AHPResult",
    "CouncilWeights",
    "Elicited",
    "aggregate_weights",
    "ahp_weights",
    "ahp_weights_many",
    "elicit",
    "pairs",
    "pairwise_matrix",
    "point_weights",
    "rank_order_centroid",
    "swing_weights",
]
