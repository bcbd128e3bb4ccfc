"""The council's weights in the open: the members' proposals side by side, their spread
and agreement, the aggregated council weights, each department's weights and what the
ranking would be under them, and whether the council's disagreement on a weight is wider
than the interval that keeps the ranking.

Conventions (choices a reader should know):

* A proposal's weights are normalised to sum 1 (the method yields them so).
* Agreement on the order of criteria is Kendall's W with the tie correction, members as
  raters and criteria as subjects, read from the weights (equal weights are tied).
* A department's weights are the mean of its members' normalised proposals; the ranking
  under them keeps everything else of the council's evaluation (scores, aggregation).
* "Wider than stable": the proposals' range on a criterion reaches outside the exact
  interval in which that criterion's weight keeps the whole ranking (the others rescaled
  proportionally, as in :func:`~prioritize.sensitivity.stability_intervals`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from prioritize.council.analysis import reweight
from prioritize.council.concordance import kendall_w
from prioritize.errors import Problem, ValidationError
from prioritize.model.evaluation import Evaluation
from prioritize.sensitivity.stability import stability_intervals
from prioritize.weights import AGGREGATIONS, CouncilWeights, aggregate_weights, pairwise_matrix

__all__ = [
    "PROPOSAL_COLUMNS",
    "Proposals",
    "WeightsDebate",
    "aggregations_for",
    "weights_debate",
]

#: A proposals table's columns (one row per member), as the store reads them.
PROPOSAL_COLUMNS: tuple[str, ...] = (
    "member",
    "department",
    "method",
    "answer",
    "weights",
    "consistency_ratio",
    "reason",
    "time",
    "version",
)


@dataclass(frozen=True, slots=True)
class Proposals:
    """The members' weight proposals for one round's criteria.

    Attributes
    ----------
    criteria
        The round's criteria ids, in order.
    table
        One row per member, indexed by member: ``department, method, answer`` (the
        canonical JSON text of what the member answered), ``weights`` (the JSON text of the
        weights it yields), ``consistency_ratio`` (AHP only, else NaN), ``reason, time,
        version``.
    weights
        Members x criteria: each member's normalised weights.
    """

    criteria: tuple[str, ...]
    table: pd.DataFrame
    weights: pd.DataFrame

    @classmethod
    def trusted(cls, frame: pd.DataFrame, criteria: Sequence[str]) -> Proposals:
        """Proposals from rows the store validated when it wrote them
        (:data:`PROPOSAL_COLUMNS`)."""
        table = frame.set_index("member")
        table.index.name = "member"
        ids = tuple(str(c) for c in criteria)
        rows = [json.loads(text) for text in table["weights"]]
        weights = pd.DataFrame(
            [[float(row.get(c, 0.0)) for c in ids] for row in rows],
            index=table.index,
            columns=list(ids),
            dtype=float,
        )
        return cls(ids, table, weights)

    def __len__(self) -> int:
        return len(self.table)

    @property
    def members(self) -> list[str]:
        """The members who proposed, in table order."""
        return [str(m) for m in self.table.index]

    @property
    def all_ahp(self) -> bool:
        """Whether every proposal is an AHP one (so AIJ can aggregate their judgements)."""
        return len(self) > 0 and bool((self.table["method"] == "ahp").all())

    def judgements(self) -> dict[str, pd.DataFrame]:
        """Each AHP proposal's reciprocal matrix, by member."""
        return {
            str(member): pairwise_matrix(json.loads(answer)["judgements"], self.criteria)
            for member, answer, method in zip(
                self.table.index, self.table["answer"], self.table["method"], strict=True
            )
            if method == "ahp"
        }

    def aggregate(self, method: str = "mean") -> CouncilWeights:
        """The council's weights by ``method`` (see :func:`aggregations_for`)."""
        if len(self) == 0:
            raise ValidationError(
                Problem(
                    "there are no weight proposals to aggregate",
                    column="proposals",
                    expected="at least one member's proposal",
                )
            )
        if method == "aij":
            if not self.all_ahp:
                raise ValidationError(
                    Problem(
                        "AIJ aggregates AHP judgements: every proposal must be an AHP one",
                        column="method",
                        value=method,
                        expected=" or ".join(aggregations_for(self)),
                    )
                )
            return aggregate_weights(self.judgements(), "aij", criteria=list(self.criteria))
        return aggregate_weights(self.weights, method)


def aggregations_for(proposals: Proposals) -> tuple[str, ...]:
    """The aggregations that apply: mean and median always; AIJ and AIP when every
    proposal is an AHP one (Forman & Peniwati 1998)."""
    if proposals.all_ahp:
        return AGGREGATIONS
    return tuple(a for a in AGGREGATIONS if a not in ("aij", "aip"))


@dataclass(frozen=True, slots=True)
class WeightsDebate:
    """What the council sees about its weights after the reveal.

    Attributes
    ----------
    proposals
        The proposals it rests on.
    council
        The aggregated council weights (with the spread per criterion).
    side_by_side
        Rows: each member's normalised weights, then ``council`` (the aggregate) and
        ``current`` (the round's weights now); columns: the criteria.
    agreement
        Kendall's W (tie-corrected) of the members' orders of criteria; None with fewer
        than two proposals.
    departments
        Departments x criteria: the mean of each department's proposals.
    department_ranks
        Requirements (in the council's rank order) x ``council`` then each department: the
        rank each would have under those weights.
    stability
        Per criterion: ``weight`` (current), ``lower, upper`` (the exact interval that keeps
        the ranking), ``proposed_min, proposed_max`` and ``wider`` (the proposals reach
        outside the interval).
    """

    proposals: Proposals
    council: CouncilWeights
    side_by_side: pd.DataFrame
    agreement: float | None
    departments: pd.DataFrame
    department_ranks: pd.DataFrame
    stability: pd.DataFrame


def weights_debate(
    proposals: Proposals, evaluation: Evaluation, method: str = "mean"
) -> WeightsDebate:
    """The council's weights debate for a revealed round.

    Parameters
    ----------
    proposals
        The members' proposals (over the evaluation's criteria).
    evaluation
        The round's evaluation under its current weights.
    method
        The aggregation (one of :func:`aggregations_for`).

    Raises
    ------
    ValidationError
        No proposals, or an aggregation that does not apply.
    """
    if method not in aggregations_for(proposals) and method in AGGREGATIONS:
        raise ValidationError(
            Problem(
                f"{method.upper()} aggregates AHP proposals only: not every member used AHP",
                column="method",
                value=method,
                expected=" or ".join(aggregations_for(proposals)),
            )
        )
    council = proposals.aggregate(method)
    criteria = list(proposals.criteria)
    current = evaluation.weights.reindex(criteria).to_numpy(dtype=float)
    side = pd.concat(
        [
            proposals.weights,
            pd.DataFrame(
                [council.weights.reindex(criteria).to_numpy(dtype=float), current],
                index=["council", "current"],
                columns=criteria,
            ),
        ]
    )
    agreement = (
        kendall_w(proposals.weights.to_numpy(dtype=float))
        if len(proposals) >= 2 and len(criteria) >= 2
        else None
    )
    departments = proposals.weights.groupby(
        proposals.table["department"].astype(str), sort=True
    ).mean()
    ranks = {"council": _ranks_under(evaluation, council.weights)}
    for department, row in departments.iterrows():  # a handful of departments
        ranks[str(department)] = _ranks_under(evaluation, row)
    department_ranks = pd.DataFrame(ranks).reindex(evaluation.table.index)
    intervals = stability_intervals(evaluation)
    stability = intervals[["weight", "lower", "upper"]].reindex(criteria).copy()
    stability["proposed_min"] = proposals.weights.min().reindex(criteria)
    stability["proposed_max"] = proposals.weights.max().reindex(criteria)
    stability["wider"] = (stability["proposed_min"] < stability["lower"]) | (
        stability["proposed_max"] > stability["upper"]
    )
    return WeightsDebate(
        proposals=proposals,
        council=council,
        side_by_side=side,
        agreement=agreement,
        departments=departments,
        department_ranks=department_ranks,
        stability=stability,
    )


def _ranks_under(evaluation: Evaluation, weights: pd.Series) -> pd.Series:
    positive = {str(k): float(v) for k, v in weights.items()}
    if not np.isfinite(list(positive.values())).all() or sum(positive.values()) <= 0:
        return pd.Series(np.nan, index=evaluation.table.index)
    return reweight(evaluation, positive).table["rank"]
