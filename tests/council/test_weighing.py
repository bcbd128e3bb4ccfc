"""The council's weights debate: proposals side by side, the aggregate, Kendall's W over
the members' orders of criteria, each department's weights and the ranking under them, and
the proposals' spread against the exact stability intervals."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

import prioritize as pz
from prioritize.council.analysis import reweight
from prioritize.council.weighing import PROPOSAL_COLUMNS, Proposals, aggregations_for
from prioritize.sensitivity import stability_intervals
from prioritize.weights import pairwise_matrix


def _proposals(rows: dict[str, tuple[str, str, dict[str, object], dict[str, float]]]) -> Proposals:
    """member -> (department, method, answer, weights)."""
    frame = pd.DataFrame(
        [
            (m, dept, method, json.dumps(answer), json.dumps(weights), np.nan, "why", "t", 1)
            for m, (dept, method, answer, weights) in rows.items()
        ],
        columns=list(PROPOSAL_COLUMNS),
    )
    ids = list(next(iter(rows.values()))[3])
    return Proposals.trusted(frame, ids)


@pytest.fixture
def evaluation() -> pz.Evaluation:
    return pz.evaluate_example()


def _even(evaluation: pz.Evaluation, heavy: str, share: float) -> dict[str, float]:
    ids = list(evaluation.criteria.ids)
    rest = (1 - share) / (len(ids) - 1)
    return {c: share if c == heavy else rest for c in ids}


def test_the_debate_shows_every_proposal_the_aggregate_and_the_agreement(
    evaluation: pz.Evaluation,
) -> None:
    ids = list(evaluation.criteria.ids)
    a = _even(evaluation, ids[0], 0.5)
    b = _even(evaluation, ids[1], 0.5)
    c = _even(evaluation, ids[0], 0.4)
    proposals = _proposals(
        {
            "ann": ("Legal", "points", {}, a),
            "bob": ("Finance", "points", {}, b),
            "cy": ("Legal", "points", {}, c),
        }
    )
    debate = pz.weights_debate(proposals, evaluation)
    side = debate.side_by_side
    assert list(side.index) == ["ann", "bob", "cy", "council", "current"]
    mean = np.mean([[a[i], b[i], c[i]] for i in ids], axis=1)
    np.testing.assert_allclose(side.loc["council"].to_numpy(), mean, atol=1e-15)
    np.testing.assert_allclose(
        side.loc["current"].to_numpy(), evaluation.weights.to_numpy(), atol=1e-15
    )
    # Kendall's W of the three orders of criteria, by the library's own function
    assert debate.agreement == pytest.approx(pz.kendall_w(proposals.weights.to_numpy()))
    # a department's weights are its members' mean; its ranking is the evaluation under them
    legal = (pd.Series(a) + pd.Series(c)) / 2
    np.testing.assert_allclose(debate.departments.loc["Legal", ids].to_numpy(), legal[ids])
    expected = reweight(evaluation, legal.to_dict()).table["rank"]
    pd.testing.assert_series_equal(
        debate.department_ranks["Legal"],
        expected.reindex(evaluation.table.index),
        check_names=False,
    )


def test_a_spread_wider_than_the_stability_interval_is_flagged(evaluation: pz.Evaluation) -> None:
    ids = list(evaluation.criteria.ids)
    intervals = stability_intervals(evaluation)
    first = ids[0]
    wide = _even(evaluation, first, min(0.99, float(intervals.at[first, "upper"]) + 0.05))
    current = evaluation.weights.to_dict()
    proposals = _proposals(
        {"ann": ("Legal", "points", {}, current), "bob": ("Sales", "points", {}, wide)}
    )
    stability = pz.weights_debate(proposals, evaluation).stability
    assert bool(stability.at[first, "wider"])
    assert stability.at[first, "proposed_max"] > stability.at[first, "upper"]
    # one proposal equal to the current weights alone stays inside every interval
    alone = _proposals({"ann": ("Legal", "points", {}, current)})
    assert not pz.weights_debate(alone, evaluation).stability["wider"].any()
    assert pz.weights_debate(alone, evaluation).agreement is None


def test_aij_and_aip_apply_only_when_every_proposal_is_ahp() -> None:
    criteria = ["a", "b", "c"]
    judgements = [["a", "b", 3], ["a", "c", 5], ["b", "c", 2]]
    matrix = pairwise_matrix(judgements, criteria)
    weights = pz.ahp_weights(matrix).weights.to_dict()
    both = _proposals(
        {
            "ann": ("Legal", "ahp", {"judgements": judgements}, weights),
            "bob": ("IT", "ahp", {"judgements": judgements}, weights),
        }
    )
    assert aggregations_for(both) == ("mean", "median", "aij", "aip")
    # AIJ of identical members is each member's weights
    np.testing.assert_allclose(
        both.aggregate("aij").weights[criteria].to_numpy(),
        [weights[c] for c in criteria],
        atol=1e-12,
    )
    mixed = _proposals(
        {
            "ann": ("Legal", "ahp", {"judgements": judgements}, weights),
            "bob": ("IT", "points", {}, {"a": 0.2, "b": 0.3, "c": 0.5}),
        }
    )
    assert aggregations_for(mixed) == ("mean", "median")
    with pytest.raises(pz.ValidationError, match="AHP"):
        mixed.aggregate("aij")
