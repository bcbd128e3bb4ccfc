"""Aggregation, utilities, priority and ranking, each against a brute-force oracle."""

from __future__ import annotations

import math
import statistics

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from prioritize.engine.scoring import aggregate, priority, rank_with_ties, utilities

cells = arrays(
    np.float64,
    st.tuples(st.integers(1, 4), st.integers(1, 4), st.integers(1, 9)),
    elements=st.one_of(st.just(math.nan), st.integers(1, 5).map(float)),
)


def trimmed_by_hand(values: list[float], trim: float) -> float:
    ordered = sorted(values)
    cut = math.floor(trim * len(ordered))
    kept = ordered[cut : len(ordered) - cut]
    return sum(kept) / len(kept)


@settings(max_examples=150, deadline=None)
@given(cube=cells, trim=st.sampled_from([0.0, 0.1, 0.2, 0.25, 0.4]))
def test_aggregations_match_brute_force(cube: np.ndarray, trim: float) -> None:
    mean = aggregate(cube, "mean")
    median = aggregate(cube, "median")
    trimmed = aggregate(cube, "trimmed", trim=trim)
    for index in np.ndindex(cube.shape[:-1]):
        values = [v for v in cube[index] if not math.isnan(v)]
        if not values:
            assert math.isnan(mean[index]) and math.isnan(median[index])
            assert math.isnan(trimmed[index])
            continue
        assert mean[index] == pytest.approx(statistics.fmean(values))
        assert median[index] == pytest.approx(statistics.median(values))
        assert trimmed[index] == pytest.approx(trimmed_by_hand(values, trim))


def test_trimmed_mean_drops_the_outlier() -> None:
    assert aggregate(np.array([1.0, 4.0, 4.0, 4.0, 5.0]), "trimmed", trim=0.2) == 4.0
    assert aggregate(np.array([1.0, 4.0, 4.0, 4.0, 5.0]), "mean") == pytest.approx(3.6)


def test_unknown_aggregation() -> None:
    with pytest.raises(ValueError, match="unknown aggregation"):
        aggregate(np.ones((1, 2)), "mode")


def test_utilities_follow_direction_and_scale(tiny) -> None:  # type: ignore[no-untyped-def]
    # impact: benefit 1..5; legal: benefit 1..5; cost: cost 0..10
    u = utilities(np.array([[1.0, 5.0, 0.0], [3.0, 2.0, 7.5]]), tiny)
    assert u.tolist() == [[0.0, 1.0, 1.0], [0.5, 0.25, 0.25]]


@settings(max_examples=100, deadline=None)
@given(
    arrays(np.float64, st.tuples(st.integers(1, 6), st.integers(1, 5)), elements=st.floats(0, 1)),
    arrays(np.float64, 5, elements=st.floats(0.01, 10)),
)
def test_priority_is_the_weighted_sum(utility: np.ndarray, raw: np.ndarray) -> None:
    w = raw[: utility.shape[1]]
    score = priority(utility, w)
    for i in range(utility.shape[0]):
        by_hand = sum(w[j] * utility[i, j] for j in range(len(w))) / sum(w)
        assert score[i] == pytest.approx(by_hand)
    stacked = priority(utility, np.vstack([w, 2 * w]))
    assert stacked.shape == (2, utility.shape[0])
    np.testing.assert_allclose(stacked[0], stacked[1])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([0.0, 0.1, 0.25, 0.5, 0.75, 1.0]), min_size=1, max_size=12))
def test_rank_with_ties_against_brute_force(values: list[float]) -> None:
    rank, tied = rank_with_ties(np.array(values))
    for i, v in enumerate(values):
        assert rank[i] == 1 + sum(1 for x in values if x > v)
        assert tied[i] == (sum(1 for x in values if x == v) > 1)


def test_float_noise_is_a_tie_not_an_order() -> None:
    a = 0.1 + 0.2
    b = 0.3
    assert a != b
    rank, tied = rank_with_ties(np.array([a, b, 0.1]))
    assert rank.tolist() == [1, 1, 3] and tied.tolist() == [True, True, False]
