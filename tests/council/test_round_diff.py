"""round_diff: what moved between two evaluations, split exactly into weights and scores."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import prioritize as pz
from prioritize.council.round_diff import round_diff
from prioritize.errors import ValidationError
from tests.conftest import make_council, tiny_criteria_mapping


def _evaluate(
    scores: pd.DataFrame, weights: dict[str, float] | None = None, seed: int = 4
) -> pz.Evaluation:
    requirements, _, members = make_council(10, 6, seed=seed)
    criteria = pz.load_criteria("customer-operations")
    if weights:
        criteria = criteria.with_weights(weights)
    return pz.evaluate(criteria, requirements, scores, members=members)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 1000), weight=st.floats(0.0, 1.0), changed=st.integers(0, 50))
def test_the_split_is_exact(seed: int, weight: float, changed: int) -> None:
    _, scores, _ = make_council(10, 6, seed=4)
    rng = np.random.default_rng(seed)
    later = scores.copy()
    rows = rng.choice(len(later), size=changed, replace=False)
    later.loc[later.index[rows], "score"] = rng.integers(1, 6, size=changed).astype(float)
    a = _evaluate(scores)
    b = _evaluate(later, {"customer_impact": weight, "legal_necessity": 1 - weight})
    diff = round_diff(a, b)
    c = diff.contributions
    np.testing.assert_allclose(c["due_to_weights"] + c["due_to_scores"], c["change"], atol=1e-12)
    t = diff.table
    np.testing.assert_allclose(
        t["due_to_weights"] + t["due_to_scores"], t["score_change"], atol=1e-12
    )
    np.testing.assert_allclose(t["score_b"] - t["score_a"], t["score_change"], atol=0)
    # brute force for one requirement: w_b u_b - w_a u_a per criterion
    rid = t.index[0]
    expected = b.weights * b.utilities.loc[rid] - a.weights * a.utilities.loc[rid]
    np.testing.assert_allclose(c.loc[rid, "change"].to_numpy(), expected.to_numpy(), atol=1e-12)
    movers = set(diff.score_changes["member"])
    assert movers == {m for ms in t["members_changed"] for m in ms.split(", ") if m}


def test_nothing_moves_between_equal_rounds() -> None:
    _, scores, _ = make_council(10, 6, seed=4)
    diff = round_diff(_evaluate(scores), _evaluate(scores))
    assert diff.moved.empty and diff.score_changes.empty
    assert (diff.table["score_change"] == 0).all()
    assert (diff.table["main_criterion"] == "").all()
    assert (diff.weights["change"] == 0).all()


def test_weights_only_and_scores_only() -> None:
    _, scores, _ = make_council(10, 6, seed=4)
    base = _evaluate(scores)
    reweighted = round_diff(base, _evaluate(scores, {"strategic_alignment": 0.5}))
    assert np.allclose(reweighted.contributions["due_to_scores"], 0)
    assert reweighted.weights.loc["strategic_alignment", "change"] > 0
    assert (reweighted.table["members_changed"] == "").all()
    later = scores.copy()
    picked = (later["requirement_id"] == "R0003") & (later["member"] == "m02")
    later.loc[picked & (later["criterion"] == "customer_impact"), "score"] = 5.0
    later.loc[picked & (later["criterion"] == "implementation_cost"), "score"] = 1.0
    rescored = round_diff(base, _evaluate(later))
    assert np.allclose(rescored.contributions["due_to_weights"], 0)
    assert rescored.table.loc["R0003", "members_changed"] == "m02"
    assert rescored.table.drop(index="R0003")["members_changed"].eq("").all()
    assert rescored.table.loc["R0003", "due_to_scores"] > 0
    assert rescored.table.loc["R0003", "main_criterion"] in (
        "customer_impact",
        "implementation_cost",
    )


def test_added_and_removed_requirements() -> None:
    requirements, scores, members = make_council(10, 6, seed=4)
    a = pz.evaluate(
        "customer-operations",
        requirements.iloc[:8],
        scores[scores["requirement_id"].isin(requirements["id"].iloc[:8])],
        members=members,
    )
    b = pz.evaluate(
        "customer-operations",
        requirements.iloc[2:],
        scores[scores["requirement_id"].isin(requirements["id"].iloc[2:])],
        members=members,
    )
    diff = round_diff(a, b)
    status = diff.table["status"]
    assert set(status[status == "removed"].index) == {"R0000", "R0001"}
    assert set(status[status == "added"].index) == {"R0008", "R0009"}
    assert diff.table.loc["R0008", "rank_a"] is pd.NA
    assert len(diff.table) == 10


def test_different_criteria_cannot_be_compared() -> None:
    _, scores, _ = make_council(10, 6, seed=4)
    a = _evaluate(scores)
    tiny = pz.load_criteria(tiny_criteria_mapping())
    members = pd.DataFrame(
        {"id": ["x", "y"], "name": ["X", "Y"], "department": ["Legal", "Finance"]}
    )
    tiny_scores = pd.DataFrame(
        [("R0000", m, c, 3) for m in ("x", "y") for c in ("impact", "legal", "cost")],
        columns=["requirement_id", "member", "criterion", "score"],
    )
    b = pz.evaluate(
        tiny, pd.DataFrame({"id": ["R0000"], "title": ["t"]}), tiny_scores, members=members
    )
    with pytest.raises(ValidationError, match="different criteria"):
        round_diff(a, b)
