"""Eliciting one member's weights: 100 points, SWING, rank order centroid, and elicit()."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prioritize.errors import ValidationError
from prioritize.weights import (
    METHODS,
    elicit,
    pairs,
    point_weights,
    rank_order_centroid,
    swing_weights,
)

CRITERIA = ["cost", "risk", "value", "reach"]


def test_points_are_divided_by_100() -> None:
    weights = point_weights({"cost": 40, "risk": 35, "value": 25, "reach": 0})
    assert weights.to_dict() == {"cost": 0.4, "risk": 0.35, "value": 0.25, "reach": 0.0}
    assert weights.name == "weight"


def test_points_that_do_not_add_up_to_100_are_refused_not_rescaled() -> None:
    with pytest.raises(ValidationError) as caught:
        point_weights({"cost": 40, "risk": 35, "value": 24})
    assert "99" in str(caught.value) and "100" in str(caught.value)


@pytest.mark.parametrize("bad", [-10, float("inf"), True, "50"])
def test_points_must_be_finite_non_negative_numbers(bad: Any) -> None:
    with pytest.raises(ValidationError, match="risk"):
        point_weights({"cost": 110, "risk": bad})


def test_swing_ratings_are_divided_by_their_sum() -> None:
    weights = swing_weights({"cost": 100, "risk": 50, "value": 50, "reach": 0})
    assert weights.to_dict() == {"cost": 0.5, "risk": 0.25, "value": 0.25, "reach": 0.0}


def test_swing_without_a_100_is_refused() -> None:
    with pytest.raises(ValidationError, match="no swing is rated 100"):
        swing_weights({"cost": 90, "risk": 50})


def test_swing_outside_0_to_100_is_refused() -> None:
    with pytest.raises(ValidationError, match="from 0 to 100"):
        swing_weights({"cost": 100, "risk": 120})


@pytest.mark.parametrize("n", range(2, 11))
def test_roc_matches_barron_and_barretts_formula(n: int) -> None:
    weights = rank_order_centroid([f"c{k}" for k in range(1, n + 1)]).to_numpy()
    expected = [sum(1 / i for i in range(k, n + 1)) / n for k in range(1, n + 1)]
    assert np.abs(weights - expected).max() < 1e-15
    assert weights.sum() == pytest.approx(1.0)


def test_roc_published_values() -> None:
    # Barron, F. H. & Barrett, B. E. (1996) "Decision quality using ranked attribute
    # weights", Management Science 42(11):1515-1523, table 1.
    three = rank_order_centroid(["a", "b", "c"]).round(4).tolist()
    four = rank_order_centroid({"a": 1, "b": 2, "c": 3, "d": 4}).round(4).tolist()
    assert three == [0.6111, 0.2778, 0.1111]
    assert four == [0.5208, 0.2708, 0.1458, 0.0625]


def test_tied_ranks_share_the_weights_of_their_positions() -> None:
    sports = rank_order_centroid({"a": 1, "b": 2, "c": 2, "d": 4})
    dense = rank_order_centroid({"a": 1, "b": 2, "c": 2, "d": 3})
    grouped = rank_order_centroid(["a", ["b", "c"], "d"])
    assert sports.to_dict() == pytest.approx(dense.to_dict())
    assert sports.to_dict() == pytest.approx(grouped.to_dict())
    assert sports["b"] == pytest.approx((0.2708 + 0.1458) / 2, abs=1e-4)
    assert list(rank_order_centroid(["a", {"c", "b"}]).index) == ["a", "b", "c"]


@pytest.mark.parametrize(
    "order",
    [{"a": 0}, {"a": 1.5}, {"a": True}, {"a": "1"}, [], {}, ["a", "a"], ["a", ["b", "a"]], "ab"],
)
def test_bad_rank_orders_are_refused(order: Any) -> None:
    with pytest.raises(ValidationError):
        rank_order_centroid(order)


def _ahp_answer(criteria: list[str]) -> dict[str, object]:
    return {"judgements": [[a, b, 2] for a, b in pairs(criteria)]}


@pytest.mark.parametrize(
    ("method", "answer"),
    [
        ("points", {"points": {"reach": 10, "value": 20, "risk": 30, "cost": 40}}),
        ("swing", {"ratings": {"reach": 25, "value": 50, "risk": 75, "cost": 100}}),
        ("rank", {"ranks": {"reach": 4, "value": 3, "risk": 2, "cost": 1}}),
        ("ahp", _ahp_answer(CRITERIA)),
    ],
)
def test_elicit_orders_weights_as_the_criteria_through_a_json_round_trip(
    method: str, answer: dict[str, object]
) -> None:
    elicited = elicit(method, json.loads(json.dumps(answer)), CRITERIA)
    assert elicited.method == method
    assert list(elicited.weights.index) == CRITERIA
    assert elicited.weights.sum() == pytest.approx(1.0)
    # every answer above puts cost first and reach last
    assert elicited.weights.idxmax() == "cost" and elicited.weights.idxmin() == "reach"
    assert (elicited.consistency_ratio is None) == (method != "ahp")


def test_elicit_names_missing_and_unknown_criteria() -> None:
    with pytest.raises(ValidationError) as caught:
        elicit(
            "points", {"points": {"cost": 50, "risk": 25, "speed": 25}}, ["cost", "risk", "value"]
        )
    text = str(caught.value)
    assert "missing" in text and "'value'" in text
    assert "unknown" in text and "'speed'" in text


def test_elicit_refuses_an_unknown_method_listing_the_known_ones() -> None:
    with pytest.raises(ValidationError) as caught:
        elicit("vote", {"votes": {}}, CRITERIA)
    assert all(m in str(caught.value) for m in METHODS)


def test_elicit_refuses_an_answer_under_another_key() -> None:
    with pytest.raises(ValidationError, match="'ratings'"):
        elicit("swing", {"points": {"cost": 100}}, ["cost"])


def test_elicit_refuses_bools_as_numbers() -> None:
    with pytest.raises(ValidationError, match="finite numbers"):
        elicit("swing", {"ratings": {"cost": 100, "risk": True}}, ["cost", "risk"])
    with pytest.raises(ValidationError, match="whole number"):
        elicit("rank", {"ranks": {"cost": True, "risk": 2}}, ["cost", "risk"])


def test_elicit_ahp_keeps_the_full_result() -> None:
    elicited = elicit("ahp", _ahp_answer(["a", "b", "c"]), ["a", "b", "c"])
    assert elicited.ahp is not None
    assert elicited.consistency_ratio == elicited.ahp.consistency_ratio
    # a = 2 b, b = 2 c but a = 2 c, not 4 c: for a 3 x 3 matrix lambda_max is
    # 1 + r**(1/3) + r**(-1/3) with r = a_12 a_23 / a_13 = 2 (Saaty 1980)
    lambda_max = 1 + 2 ** (1 / 3) + 2 ** (-1 / 3)
    assert elicited.ahp.lambda_max == pytest.approx(lambda_max, abs=1e-12)
    assert elicited.consistency_ratio == pytest.approx((lambda_max - 3) / 2 / 0.58, abs=1e-12)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.integers(0, 100), min_size=1, max_size=10))
def test_swing_weights_are_non_negative_and_sum_to_one(ratings: list[int]) -> None:
    answer = {f"c{i}": r for i, r in enumerate([100, *ratings])}
    weights = swing_weights(answer)
    assert (weights >= 0).all()
    assert weights.sum() == pytest.approx(1.0, abs=1e-12)
