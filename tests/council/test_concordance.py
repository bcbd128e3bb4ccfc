"""Concordance: Kendall's W (reference values and a brute-force oracle) and concordance
by department."""

from __future__ import annotations

import warnings
from collections import Counter

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy import stats

import prioritize as pz
from prioritize.council.concordance import concordance, kendall_w
from prioritize.errors import ValidationError
from tests.conftest import make_council

# --- Kendall's W ---------------------------------------------------------------------------

# Source: R package DescTools, KendallW example (3 raters x 20 subjects; ratings ranked per
# rater with average ranks): W tie-corrected 0.5396569, uncorrected 0.5019.
DESCTOOLS_RATERS = [
    [3, 3, 3, 4, 5, 5, 2, 3, 5, 2, 2, 6, 1, 5, 2, 2, 1, 2, 4, 3],
    [3, 6, 4, 6, 2, 4, 2, 4, 3, 3, 2, 3, 3, 3, 2, 2, 1, 3, 3, 4],
    [2, 1, 4, 4, 3, 2, 1, 6, 1, 1, 1, 2, 3, 3, 1, 1, 3, 3, 2, 2],
]


def test_kendall_w_matches_desctools() -> None:
    assert kendall_w(DESCTOOLS_RATERS) == pytest.approx(0.5396569, abs=5e-8)
    assert kendall_w(DESCTOOLS_RATERS, correct_ties=False) == pytest.approx(0.5019, abs=5e-5)


def brute_kendall_w(ratings: np.ndarray, correct_ties: bool) -> float:
    """The textbook formula, one rater and one tie group at a time."""
    m, n = ratings.shape
    ranks = np.array([stats.rankdata(row) for row in ratings])
    sums = ranks.sum(axis=0)
    s = sum((r - m * (n + 1) / 2) ** 2 for r in sums)
    ties = sum(t**3 - t for row in ratings for t in Counter(row.tolist()).values())
    return float(12 * s / (m**2 * (n**3 - n) - (m * ties if correct_ties else 0)))


@settings(max_examples=80, deadline=None)
@given(m=st.integers(2, 7), n=st.integers(2, 9), data=st.data(), correct=st.booleans())
def test_kendall_w_equals_the_brute_force(
    m: int, n: int, data: st.DataObject, correct: bool
) -> None:
    ratings = np.array(
        data.draw(
            st.lists(st.lists(st.integers(1, 4), min_size=n, max_size=n), min_size=m, max_size=m)
        ),
        dtype=float,
    )
    assume(all(len(set(row)) > 1 for row in ratings.tolist()))
    assert kendall_w(ratings, correct_ties=correct) == pytest.approx(
        brute_kendall_w(ratings, correct), rel=1e-12
    )


def test_kendall_w_bounds_and_errors() -> None:
    assert kendall_w([[1, 2, 3, 4], [1, 2, 3, 4], [1, 2, 3, 4]]) == pytest.approx(1.0)
    assert kendall_w([[1, 2], [2, 1]]) == pytest.approx(0.0)
    with pytest.raises(ValidationError, match="raters x subjects"):
        kendall_w([[1, 2, 3]])
    with pytest.raises(ValidationError, match="finite"):
        kendall_w([[1, 2, np.nan], [1, 2, 3]])


# --- concordance -----------------------------------------------------------------------------


def test_concordance_equals_kendall_w_of_the_members_own_priorities() -> None:
    requirements, scores, members = make_council(10, 8, seed=5)
    scores = scores.drop(index=[3, 50, 77])  # some members leave a few cells blank
    evaluation = pz.evaluate("customer-operations", requirements, scores, members=members)
    result = concordance(evaluation)
    criteria = evaluation.criteria
    w = evaluation.weights.to_numpy()
    own = {}
    for member in members["id"]:  # brute force: one member, one requirement at a time
        mine = scores[scores["member"] == member].set_index(["requirement_id", "criterion"])
        row = []
        for rid in evaluation.table.index:
            total = 0.0
            for j, c in enumerate(criteria):
                x = mine["score"].get((rid, c.id), evaluation.aggregated.loc[rid, c.id])
                u = (x - c.scale.min) / c.scale.span
                total += w[j] * (1 - u if c.direction == "cost" else u)
            row.append(round(total, 9))
        own[member] = row
    ratings = np.array([own[m] for m in members["id"]])
    assert result.w == pytest.approx(kendall_w(ratings), rel=1e-12)
    assert result.members == 8 and result.requirements == 10 and result.df == 9
    assert result.chi2 == pytest.approx(8 * 9 * result.w)
    assert result.rankings.loc[:, "m00"].to_numpy() == pytest.approx(stats.rankdata(-ratings[0]))
    departments = members.set_index("id")["department"]
    for department, group in departments.groupby(departments):
        expected = (
            kendall_w(ratings[np.isin(members["id"], group.index)]) if len(group) > 1 else np.nan
        )
        got = result.by_department.loc[department, "w"]
        assert (np.isnan(got) and np.isnan(expected)) or got == pytest.approx(expected)
        assert result.by_department.loc[department, "members"] == len(group)


def test_concordance_needs_two_members() -> None:
    requirements, scores, _ = make_council(5, 1, seed=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", pz.OwnersIgnoredWarning)
        evaluation = pz.evaluate("customer-operations", requirements, scores)
    with pytest.raises(ValidationError, match="two members"):
        concordance(evaluation)
