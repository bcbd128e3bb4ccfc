"""Adopting a round's weights: the facilitator sets them, and a hash-chained entry of the
decision log records what they were, which aggregation of the members' proposals they are
(or that they are other weights, with a rationale) and the basis hash of the weights and
every proposal in force (:func:`~prioritize.council.decisions.weights_fingerprint`).

The entry's ``category`` is the aggregation adopted (``mean``, ``median``, ``aij``,
``aip``) or ``other``; its ``rank`` is the number of proposals it rested on; ``override``
is set for other weights.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from prioritize.council.decisions import ADOPT_WEIGHTS, DecisionEntry
from prioritize.council.weighing import Proposals, aggregations_for
from prioritize.errors import Problem, ValidationError
from prioritize.store import connection, history, log
from prioritize.store import rounds as rounds_module
from prioritize.store.connection import Db
from prioritize.store.permissions import require_state
from prioritize.store.proposals import basis, normalised, proposals_reach, round_proposals
from prioritize.store.records import Actor, RoundInfo

__all__ = ["ADOPT_TOLERANCE", "adopt_weights", "matching_aggregate"]

#: Adopted weights within this of an aggregate (each normalised weight) are that aggregate.
ADOPT_TOLERANCE = 1e-9


def matching_aggregate(weights: Mapping[str, float], proposals: Proposals) -> str | None:
    """The aggregation of the proposals that ``weights`` are (None: other weights)."""
    if len(proposals) == 0:
        return None
    adopted = normalised(weights)
    for method in aggregations_for(proposals):
        council = proposals.aggregate(method).weights
        if all(
            abs(float(council.get(c, math.nan)) - adopted.get(c, math.nan)) <= ADOPT_TOLERANCE
            for c in proposals.criteria
        ):
            return method
    return None


def adopt_weights(
    conn: Db,
    actor: Actor,
    info: RoundInfo,
    weights: Mapping[str, float],
    rationale: str,
    dissent: str = "",
) -> DecisionEntry:
    """Set the round's weights and log the adoption (the caller's transaction).

    Adopting an aggregate of the proposals (mean, median; AIJ or AIP when all are AHP) is
    recorded with that aggregation as the entry's ``category``; any other weights are an
    override and need a rationale."""
    require_state(info, ("debate",), "adopt weights")
    proposals = round_proposals(conn, info)
    rationale = (rationale or "").strip()
    # validates every weight (known criteria, finite, >= 0, not all zero) before anything
    updated = rounds_module.set_weights(conn, info, weights, actor.id)
    raw = {str(k): float(v) for k, v in updated.items()}
    aggregation = matching_aggregate(raw, proposals)
    if aggregation is None and not rationale:
        why = (
            "there are no proposals"
            if len(proposals) == 0
            else "they are not an aggregate of the members' proposals"
        )
        raise ValidationError(
            Problem(
                f"adopting these weights needs a rationale: {why}",
                column="rationale",
                expected="why the council adopts weights other than its members' aggregate",
            )
        )
    scores_upto, weights_upto = history.history_reach(conn)
    return log.append_entry(
        conn,
        round_id=info.id,
        requirement_id="",
        outcome=ADOPT_WEIGHTS,
        category=aggregation or "other",
        rank=len(proposals),
        rationale=rationale,
        decided_by=actor.id,
        dissent=(dissent or "").strip(),
        decided_at=connection.now(),
        basis_sha256=basis(raw, proposals),
        override=aggregation is None,
        scores_upto=scores_upto,
        weights_upto=weights_upto,
        proposals_upto=proposals_reach(conn),
    )
