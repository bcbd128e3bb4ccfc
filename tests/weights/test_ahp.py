"""AHP weights and consistency: Saaty's published example and tables, the algebra of
consistent matrices, power iteration against numpy.linalg.eig, and the batched form."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prioritize.errors import ValidationError
from prioritize.weights import (
    CONSISTENCY_LIMIT,
    MAX_AHP_CRITERIA,
    RANDOM_INDEX,
    ahp_weights,
    ahp_weights_many,
)
from prioritize.weights import ahp as ahp_module
from tests.weights.support import consistent, eig_principal, random_reciprocal

F = Fraction
DRINKS = ["Coffee", "Wine", "Tea", "Beer", "Soda", "Milk", "Water"]
# Saaty, T. L. (2008) "Decision making with the analytic hierarchy process", Int. J.
# Services Sciences 1(1):83-98, table 2 "Which drink is consumed more in the U.S.?".
# Checked: every cell pair of the matrix as published is exactly reciprocal (Fractions).
DRINKS_MATRIX = [
    [F(1), F(9), F(5), F(2), F(1), F(1), F(1, 2)],
    [F(1, 9), F(1), F(1, 3), F(1, 9), F(1, 9), F(1, 9), F(1, 9)],
    [F(1, 5), F(3), F(1), F(1, 3), F(1, 4), F(1, 3), F(1, 9)],
    [F(1, 2), F(9), F(3), F(1), F(1, 2), F(1), F(1, 3)],
    [F(1), F(9), F(4), F(2), F(1), F(2), F(1, 2)],
    [F(1), F(9), F(3), F(1), F(1, 2), F(1), F(1, 3)],
    [F(2), F(9), F(9), F(3), F(2), F(3), F(1)],
]
DRINKS_PRIORITIES = [0.177, 0.019, 0.042, 0.116, 0.190, 0.129, 0.327]
DRINKS_CR = 0.022


def test_the_drinks_matrix_as_published_is_reciprocal() -> None:
    assert all(DRINKS_MATRIX[i][j] * DRINKS_MATRIX[j][i] == 1 for i in range(7) for j in range(7))


def test_saaty_drinks_priorities_and_consistency() -> None:
    result = ahp_weights(DRINKS_MATRIX, DRINKS)
    assert list(result.weights.index) == DRINKS
    # published to 3 digits: each within half a unit of the last digit shown
    assert np.abs(result.weights.to_numpy() - DRINKS_PRIORITIES).max() <= 0.0005 + 1e-9
    assert round(result.consistency_ratio, 3) == DRINKS_CR
    assert result.random_index == 1.32
    assert result.lambda_max == pytest.approx(7 + 6 * result.consistency_index)
    assert not result.inconsistent


def test_random_index_is_saatys_table() -> None:
    # Saaty, T. L. (1980) The Analytic Hierarchy Process, McGraw-Hill, table 1.7.
    published = {3: 0.58, 4: 0.90, 5: 1.12, 6: 1.24, 7: 1.32, 8: 1.41, 9: 1.45, 10: 1.49}
    assert {n: RANDOM_INDEX[n] for n in published} == published
    assert max(RANDOM_INDEX) == MAX_AHP_CRITERIA == 15
    assert CONSISTENCY_LIMIT == 0.10


def test_a_dataframe_names_the_criteria_and_its_columns_follow_the_index() -> None:
    matrix = pd.DataFrame([[1, 1 / 3], [3, 1]], index=["a", "b"], columns=["a", "b"])
    reordered = matrix.loc[:, ["b", "a"]]
    assert ahp_weights(reordered).weights.to_dict() == pytest.approx({"a": 0.25, "b": 0.75})


def test_two_criteria_are_always_consistent() -> None:
    result = ahp_weights([[1, 7], [1 / 7, 1]])
    assert list(result.weights.index) == ["C1", "C2"]
    assert result.consistency_ratio == 0.0 and result.consistency_index == 0.0


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(0.01, 100.0), min_size=2, max_size=12))
def test_a_consistent_matrix_returns_its_weights_and_cr_zero(raw: list[float]) -> None:
    weights = np.array(raw) / sum(raw)
    result = ahp_weights(consistent(weights))
    assert np.abs(result.weights.to_numpy() - weights).max() < 1e-12
    assert abs(result.consistency_ratio) < 1e-12


@settings(max_examples=60, deadline=None)
@given(st.integers(2, 15), st.integers(0, 2**32 - 1))
def test_power_iteration_agrees_with_eig(n: int, seed: int) -> None:
    matrix = random_reciprocal(np.random.default_rng(seed), n)
    expected, lambda_max = eig_principal(matrix)
    result = ahp_weights(matrix)
    assert np.abs(result.weights.to_numpy() - expected).max() < 1e-9
    assert result.lambda_max == pytest.approx(lambda_max, abs=1e-9)


def test_the_eig_fallback_gives_the_same_weights(monkeypatch: pytest.MonkeyPatch) -> None:
    cube = np.stack([random_reciprocal(np.random.default_rng(s), 8) for s in range(5)])
    iterated, iterated_cr = ahp_weights_many(cube)
    monkeypatch.setattr(ahp_module, "_MAX_ITERATIONS", 1)
    fallen_back, fallen_back_cr = ahp_weights_many(cube)
    assert np.abs(fallen_back - iterated).max() < 1e-9
    assert np.abs(fallen_back_cr - iterated_cr).max() < 1e-9


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 12), st.integers(2, 10), st.integers(0, 2**32 - 1))
def test_many_equals_one_by_one(k: int, n: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    cube = np.stack([random_reciprocal(rng, n) for _ in range(k)])
    weights, ratios = ahp_weights_many(cube)
    assert weights.shape == (k, n) and ratios.shape == (k,)
    assert not weights.flags.writeable
    for member in range(k):
        one = ahp_weights(cube[member])
        assert np.abs(weights[member] - one.weights.to_numpy()).max() < 1e-12
        assert ratios[member] == pytest.approx(one.consistency_ratio, abs=1e-12)
    assert np.all(weights >= 0)
    assert np.abs(weights.sum(axis=1) - 1).max() < 1e-12


def test_worst_judgement_is_the_perturbed_pair() -> None:
    weights = np.array([0.4, 0.25, 0.15, 0.1, 0.06, 0.04])
    matrix = consistent(weights)
    matrix[1, 4] *= 5  # b over e: 25/6 as consistent, 125/6 as judged
    matrix[4, 1] = 1 / matrix[1, 4]
    result = ahp_weights(matrix, list("abcdef"))
    table = result.worst_judgements
    assert list(table.columns) == [
        "more",
        "less",
        "judgement",
        "consistent",
        "error",
        "contradicts",
    ]
    assert len(table) == 15
    assert list(table.loc[0, ["more", "less"]]) == ["b", "e"]
    assert table.loc[0, "judgement"] == pytest.approx(125 / 6)
    assert table["error"].is_monotonic_decreasing


def test_a_judgement_the_weights_reverse_is_flagged() -> None:
    # a > b, b > c strongly, but c > a: the weights cannot honour all three
    result = ahp_weights([[1, 9, 1 / 9], [1 / 9, 1, 9], [9, 1 / 9, 1]], ["a", "b", "c"])
    assert result.inconsistent
    assert result.worst_judgements["contradicts"].any()
    flagged = result.worst_judgements[result.worst_judgements["contradicts"]]
    assert (flagged["consistent"] < 1).all() and (flagged["judgement"] > 1).all()


def test_a_non_reciprocal_cell_is_named_with_both_values() -> None:
    matrix: list[list[float]] = [[1, 3, 5], [1 / 3, 1, 2], [1 / 5, 1 / 3, 1]]
    with pytest.raises(ValidationError) as caught:
        ahp_weights(matrix, ["cost", "risk", "value"])
    text = str(caught.value)
    assert "not reciprocal" in text
    assert "row 'risk', column 'value'" in text
    assert "2.0" in text and "0.333" in text


@pytest.mark.parametrize(
    ("matrix", "says"),
    [
        ([[1, 0], [0, 1]], "positive"),
        ([[1, -2], [-0.5, 1]], "positive"),
        ([[1, np.inf], [0, 1]], "finite"),
        ([[1, 2, 3], [0.5, 1, 1]], "square"),
        ([[2, 1], [1, 2]], "itself must be 1"),
        ([[1]], "2 to 15"),
        ([["a", "b"], ["c", "d"]], "numbers"),
    ],
)
def test_bad_matrices_are_refused(matrix: Any, says: str) -> None:
    with pytest.raises(ValidationError, match=says):
        ahp_weights(matrix)


def test_more_than_fifteen_criteria_are_refused() -> None:
    with pytest.raises(ValidationError, match="2 to 15"):
        ahp_weights(np.ones((16, 16)))


def test_a_dataframe_with_different_rows_and_columns_is_refused() -> None:
    matrix = pd.DataFrame(np.ones((2, 2)), index=["a", "b"], columns=["a", "c"])
    with pytest.raises(ValidationError, match="same criteria"):
        ahp_weights(matrix)


def test_a_batch_names_the_member_of_a_bad_cell() -> None:
    cube = np.stack([np.ones((3, 3)), np.ones((3, 3))])
    cube[1, 0, 2] = 4
    with pytest.raises(ValidationError, match=r"member 1, row 'C1', column 'C3'"):
        ahp_weights_many(cube)
