"""The council's weights from its members' proposals: mean, median, and Forman & Peniwati's
(1998) AIJ and AIP against brute-force definitions written out with explicit loops.

Forman, E. & Peniwati, K. (1998) "Aggregating individual judgments and priorities with the
Analytic Hierarchy Process", European Journal of Operational Research 108(1):165-169.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prioritize.errors import ValidationError
from prioritize.weights import AGGREGATIONS, aggregate_weights, ahp_weights
from tests.weights.support import consistent, eig_principal, random_reciprocal

CRITERIA = ["cost", "risk", "value"]


def _proposals(rows: list[list[float]]) -> pd.DataFrame:
    return pd.DataFrame(
        rows, index=[f"m{i}" for i in range(len(rows))], columns=CRITERIA[: len(rows[0])]
    )


def test_mean_normalises_each_member_first() -> None:
    table = _proposals([[2, 1, 1], [0.2, 0.3, 0.5]])  # the first row sums to 4
    council = aggregate_weights(table, "mean")
    assert council.weights.tolist() == pytest.approx([0.35, 0.275, 0.375])
    assert list(council.proposals.loc["m0"]) == pytest.approx([0.5, 0.25, 0.25])
    assert council.members == 2 and council.consistency_ratio is None


def test_median_is_renormalised() -> None:
    table = _proposals([[0.6, 0.2, 0.2], [0.2, 0.6, 0.2], [0.2, 0.2, 0.6]])
    council = aggregate_weights(table, "median")
    # medians 0.2 each add up to 0.6, not 1
    assert council.weights.tolist() == pytest.approx([1 / 3] * 3)


def test_aip_is_the_normalised_geometric_mean_by_hand() -> None:
    rng = np.random.default_rng(7)
    raw = rng.dirichlet(np.ones(3), size=5)
    table = _proposals(raw.tolist())
    geometric = []
    for c in range(3):
        product = 1.0
        for m in range(5):
            product *= raw[m, c] / raw[m].sum()
        geometric.append(product ** (1 / 5))
    expected = [g / sum(geometric) for g in geometric]
    assert aggregate_weights(table, "aip").weights.tolist() == pytest.approx(expected, abs=1e-12)


def test_aip_a_zero_weight_is_a_veto() -> None:
    council = aggregate_weights(_proposals([[0.5, 0.5, 0.0], [0.2, 0.4, 0.4]]), "aip")
    assert council.weights["value"] == 0.0
    assert council.weights.sum() == pytest.approx(1.0)


def test_aip_of_proposals_with_no_common_positive_weight_is_refused() -> None:
    with pytest.raises(ValidationError, match="0 for every criterion"):
        aggregate_weights(_proposals([[1.0, 0.0], [0.0, 1.0]]), "aip")


def test_aij_is_the_eigenvector_of_the_geometric_mean_matrix_by_hand() -> None:
    rng = np.random.default_rng(11)
    matrices = {f"m{k}": random_reciprocal(rng, 4) for k in range(6)}
    mean = np.ones((4, 4))
    for i in range(4):
        for j in range(4):
            product = 1.0
            for matrix in matrices.values():
                product *= matrix[i, j]
            mean[i, j] = product ** (1 / len(matrices))
    expected, lambda_max = eig_principal(mean)
    council = aggregate_weights(matrices, "aij", criteria=["a", "b", "c", "d"])
    assert council.weights.tolist() == pytest.approx(expected.tolist(), abs=1e-9)
    assert council.consistency_ratio == pytest.approx((lambda_max - 4) / 3 / 0.90, abs=1e-9)
    for member, matrix in matrices.items():
        own, _ = eig_principal(matrix)
        assert list(council.proposals.loc[member]) == pytest.approx(own.tolist(), abs=1e-9)
    assert list(council.weights.index) == ["a", "b", "c", "d"]


def test_aij_aligns_dataframes_by_label() -> None:
    weights = np.array([0.5, 0.3, 0.2])
    frame = pd.DataFrame(consistent(weights), index=CRITERIA, columns=CRITERIA)
    shuffled = frame.loc[["value", "cost", "risk"], ["risk", "value", "cost"]]
    council = aggregate_weights({"ann": frame, "bob": shuffled}, "aij")
    assert council.weights.tolist() == pytest.approx(weights.tolist(), abs=1e-12)


def test_aij_refuses_members_over_other_criteria() -> None:
    one = pd.DataFrame(np.ones((2, 2)), index=["a", "b"], columns=["a", "b"])
    other = pd.DataFrame(np.ones((2, 2)), index=["a", "c"], columns=["a", "c"])
    with pytest.raises(ValidationError, match="member 'bob'"):
        aggregate_weights({"ann": one, "bob": other}, "aij")


def test_aij_names_the_member_of_a_non_reciprocal_matrix() -> None:
    bad = np.ones((3, 3))
    bad[0, 1] = 3
    with pytest.raises(ValidationError, match="member 'bob', row 'cost', column 'risk'"):
        aggregate_weights({"ann": np.ones((3, 3)), "bob": bad}, "aij", criteria=CRITERIA)


def test_the_spread_describes_the_members() -> None:
    table = _proposals([[0.1, 0.9], [0.3, 0.7], [0.5, 0.5], [0.7, 0.3]])
    spread = aggregate_weights(table).spread
    assert list(spread.columns) == ["min", "q1", "median", "q3", "max", "mean", "sd", "range"]
    cost = spread.loc["cost"]
    assert cost["min"] == pytest.approx(0.1) and cost["max"] == pytest.approx(0.7)
    assert cost["median"] == pytest.approx(0.4) and cost["range"] == pytest.approx(0.6)
    assert cost["q1"] == pytest.approx(0.25) and cost["q3"] == pytest.approx(0.55)
    assert cost["sd"] == pytest.approx(math.sqrt(0.05))  # population sd, ddof = 0


@pytest.mark.parametrize(
    ("value", "says"),
    [(-0.1, "0 or more"), (float("nan"), "finite"), (float("inf"), "finite")],
)
def test_bad_weights_name_the_member_and_criterion(value: float, says: str) -> None:
    table = _proposals([[0.5, 0.5, 0.0], [0.2, value, 0.4]])
    with pytest.raises(ValidationError, match=says) as caught:
        aggregate_weights(table)
    assert caught.value.first.row == "member 'm1'" and caught.value.first.column == "risk"


def test_a_member_with_all_zero_weights_is_refused() -> None:
    with pytest.raises(ValidationError, match="member 'm1'"):
        aggregate_weights(_proposals([[0.5, 0.5, 0.0], [0.0, 0.0, 0.0]]))


def test_no_members_and_unknown_methods_are_refused() -> None:
    with pytest.raises(ValidationError, match="no members"):
        aggregate_weights(pd.DataFrame(columns=CRITERIA, dtype=float))
    with pytest.raises(ValidationError, match="mean"):
        aggregate_weights(_proposals([[1, 1, 1]]), "mode")
    with pytest.raises(ValidationError, match="mapping member"):
        aggregate_weights({}, "aij")


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.floats(0.01, 100.0), min_size=2, max_size=10),
    st.integers(1, 8),
)
def test_identical_members_agree_with_each_of_them(raw: list[float], k: int) -> None:
    weights = np.array(raw) / sum(raw)
    labels = [f"c{i}" for i in range(len(raw))]
    table = pd.DataFrame([weights] * k, index=[f"m{i}" for i in range(k)], columns=labels)
    for method in ("mean", "median", "aip"):
        council = aggregate_weights(table, method)
        assert np.abs(council.weights.to_numpy() - weights).max() < 1e-12
    matrices = {f"m{i}": consistent(weights) for i in range(k)}
    council = aggregate_weights(matrices, "aij", criteria=labels)
    assert np.abs(council.weights.to_numpy() - weights).max() < 1e-12
    assert council.consistency_ratio is not None and abs(council.consistency_ratio) < 1e-12


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 10), st.integers(2, 10), st.integers(0, 2**32 - 1))
def test_council_weights_are_non_negative_and_sum_to_one(k: int, n: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    matrices = {f"m{i}": random_reciprocal(rng, n) for i in range(k)}
    table = pd.DataFrame(rng.random((k, n)) + 0.01, index=list(matrices))
    for method in AGGREGATIONS:
        proposals: pd.DataFrame | dict[str, np.ndarray] = matrices if method == "aij" else table
        council = aggregate_weights(proposals, method)
        assert (council.weights >= 0).all()
        assert council.weights.sum() == pytest.approx(1.0, abs=1e-12)
        assert council.members == k
        assert np.allclose(council.proposals.sum(axis=1), 1.0)


def test_aij_council_matches_ahp_weights_on_the_mean_matrix() -> None:
    rng = np.random.default_rng(3)
    matrices = {f"m{k}": random_reciprocal(rng, 5) for k in range(4)}
    mean = np.exp(np.mean([np.log(m) for m in matrices.values()], axis=0))
    direct = ahp_weights(mean)
    council = aggregate_weights(matrices, "aij")
    assert council.weights.tolist() == pytest.approx(direct.weights.tolist(), abs=1e-12)
    assert council.consistency_ratio == pytest.approx(direct.consistency_ratio, abs=1e-12)
