"""Pairwise judgements as a member answers them: the pairs asked and the matrix built."""

from __future__ import annotations

import numpy as np
import pytest

from prioritize.errors import ValidationError
from prioritize.weights import pairs, pairwise_matrix

CRITERIA = ["cost", "risk", "value"]


def test_pairs_are_each_criterion_against_every_later_one() -> None:
    assert pairs(CRITERIA) == [("cost", "risk"), ("cost", "value"), ("risk", "value")]
    assert len(pairs([f"c{i}" for i in range(15)])) == 105


def test_the_matrix_is_reciprocal_whichever_way_a_pair_is_given() -> None:
    matrix = pairwise_matrix(
        [["value", "cost", 5], ("cost", "risk", 3), ["risk", "value", 1]], CRITERIA
    )
    assert list(matrix.index) == CRITERIA and list(matrix.columns) == CRITERIA
    assert matrix.loc["value", "cost"] == 5 and matrix.loc["cost", "value"] == pytest.approx(0.2)
    assert matrix.loc["cost", "risk"] == 3 and matrix.loc["risk", "cost"] == pytest.approx(1 / 3)
    assert matrix.loc["risk", "value"] == 1
    assert np.allclose(matrix.to_numpy() * matrix.to_numpy().T, 1.0)


def test_a_real_intensity_between_the_integers_is_accepted() -> None:
    matrix = pairwise_matrix([["cost", "risk", 2.5]], ["cost", "risk"])
    assert matrix.loc["risk", "cost"] == pytest.approx(0.4)


def test_a_missing_pair_is_named() -> None:
    with pytest.raises(ValidationError, match=r"1 pair.* not judged") as caught:
        pairwise_matrix([["cost", "risk", 3], ["cost", "value", 5]], CRITERIA)
    assert caught.value.first.value == "risk / value"


def test_a_pair_given_twice_in_either_order_is_refused() -> None:
    judgements = [
        ["cost", "risk", 3],
        ["risk", "cost", 2],
        ["cost", "value", 1],
        ["risk", "value", 1],
    ]
    with pytest.raises(ValidationError, match="'cost' / 'risk' is judged twice"):
        pairwise_matrix(judgements, CRITERIA)


@pytest.mark.parametrize("intensity", [10, 0.5, 0, -3, "3", True, None, float("nan")])
def test_an_intensity_outside_one_to_nine_or_not_a_number_is_refused(intensity: object) -> None:
    with pytest.raises(ValidationError, match="from 1 to 9"):
        pairwise_matrix([["cost", "risk", intensity]], ["cost", "risk"])


def test_unknown_and_repeated_criteria_are_refused() -> None:
    with pytest.raises(ValidationError, match="unknown criterion") as caught:
        pairwise_matrix([["cost", "speed", 3]], ["cost", "risk"])
    assert caught.value.first.value == "'speed'"
    with pytest.raises(ValidationError, match="with itself"):
        pairwise_matrix([["cost", "cost", 1], ["cost", "risk", 1]], ["cost", "risk"])


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(ValidationError) as caught:
        pairwise_matrix([["cost", "speed", 3], ["cost", "value", 12], "oops"], CRITERIA)
    messages = [p.message for p in caught.value.problems]
    assert any("unknown criterion" in m for m in messages)
    assert any("from 1 to 9" in m for m in messages)
    assert any("triple" in m for m in messages)
    assert any("not judged" in m for m in messages)
