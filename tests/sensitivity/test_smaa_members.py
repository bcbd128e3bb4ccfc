"""SMAA over the members' own weight proposals (``weights="members"``): the drawn weights
are the proposals themselves (or a Dirichlet jitter around them), so acceptability is the
share of the council's real opinions under which a requirement takes a rank or category.
Brute force: the same draws, one sample at a time through the core functions."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import prioritize as pz
from prioritize.sensitivity import sample_weights, smaa
from tests.sensitivity.support import criteria_mapping, evaluation_from_utilities, load, state

CRITERIA = ("c0", "c1", "c2")


def _evaluation(seed: int = 3, n: int = 7) -> pz.Evaluation:
    rng = np.random.default_rng(seed)
    criteria = load(criteria_mapping([0.4, 0.35, 0.25]))
    return evaluation_from_utilities(criteria, rng.random((n, len(CRITERIA))))


def _proposals(rows: list[list[float]]) -> pd.DataFrame:
    return pd.DataFrame(rows, index=[f"m{i}" for i in range(len(rows))], columns=list(CRITERIA))


def test_a_single_proposal_is_the_ranking_under_those_weights() -> None:
    evaluation = _evaluation()
    proposal = [0.7, 0.2, 0.1]
    acc = smaa(evaluation, samples=300, weights="members", proposals=_proposals([proposal]))
    rank, _, code = state(evaluation, np.array(proposal))
    n = len(evaluation.table)
    expected = np.zeros((n, n))
    expected[np.arange(n), rank - 1] = 1
    np.testing.assert_array_equal(acc.rank_acceptability.to_numpy(), expected)
    assert (acc.category_acceptability.to_numpy().argmax(axis=1) == code).all()
    assert acc.weights == "members" and acc.proposals == 1 and acc.concentration is None


def test_acceptability_equals_the_brute_force_over_the_same_draws() -> None:
    evaluation = _evaluation(seed=5, n=9)
    proposals = _proposals([[0.6, 0.3, 0.1], [0.1, 0.3, 0.6], [0.2, 0.6, 0.2]])
    samples, seed = 400, 11
    acc = smaa(evaluation, samples=samples, weights="members", proposals=proposals, seed=seed)
    # smaa's weight generator is the first of two spawned from the seed
    weight_rng = np.random.default_rng(np.random.SeedSequence(seed).spawn(2)[0])
    drawn = sample_weights(
        np.full(3, 1 / 3), samples, "members", rng=weight_rng, proposals=proposals.to_numpy()
    )
    # every draw is one member's proposal exactly
    assert {tuple(np.round(w, 12)) for w in drawn} <= {
        tuple(np.round(r, 12)) for r in proposals.to_numpy()
    }
    n = len(evaluation.table)
    ranks = np.zeros((n, n))
    categories = np.zeros((n, len(pz.CATEGORIES)))
    for w in drawn:  # the oracle: one sample at a time
        rank, _, code = state(evaluation, w)
        ranks[np.arange(n), rank - 1] += 1
        categories[np.arange(n), code] += 1
    np.testing.assert_allclose(acc.rank_acceptability.to_numpy(), ranks / samples, atol=1e-12)
    np.testing.assert_allclose(
        acc.category_acceptability.to_numpy(), categories / samples, atol=1e-12
    )


@settings(max_examples=25, deadline=None)
@given(
    rows=st.lists(
        st.lists(st.floats(0, 10, allow_nan=False), min_size=3, max_size=3).filter(
            lambda r: sum(r) > 0.1
        ),
        min_size=1,
        max_size=6,
    ),
    jitter=st.one_of(st.none(), st.floats(5, 500)),
    seed=st.integers(0, 2**16),
)
def test_members_draws_stay_on_the_simplex_and_keep_zeros(
    rows: list[list[float]], jitter: float | None, seed: int
) -> None:
    proposals = np.array(rows)
    drawn = sample_weights(
        np.full(3, 1 / 3),
        200,
        "members",
        rng=np.random.default_rng(seed),
        proposals=proposals,
        jitter=jitter,
    )
    assert drawn.shape == (200, 3)
    np.testing.assert_allclose(drawn.sum(axis=1), 1, atol=1e-12)
    assert (drawn >= 0).all()
    # a criterion no member weighs stays at 0
    nobody = proposals.sum(axis=0) == 0
    assert (drawn[:, nobody] == 0).all()


def test_the_jitter_is_centred_on_the_proposals() -> None:
    proposals = np.array([[0.5, 0.3, 0.2], [0.2, 0.2, 0.6]])
    samples = 40_000
    exact = sample_weights(
        np.full(3, 1 / 3), samples, "members", rng=np.random.default_rng(1), proposals=proposals
    )
    blurred = sample_weights(
        np.full(3, 1 / 3),
        samples,
        "members",
        rng=np.random.default_rng(1),
        proposals=proposals,
        jitter=200.0,
    )
    # same member draws (the jitter draws come after), mean within 4 standard errors
    sd = np.sqrt(0.5 * 0.5 / 201)
    assert np.abs(blurred.mean(axis=0) - exact.mean(axis=0)).max() < 4 * sd / np.sqrt(samples)
    assert blurred.std(axis=0).max() > exact.std(axis=0).max() * 0.99


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"weights": "members"}, "needs the members' weight proposals"),
        (
            {"weights": "members", "proposals": pd.DataFrame({"c0": [1.0], "c1": [1.0]})},
            "lack criteria",
        ),
        (
            {"weights": "members", "proposals": _proposals([[0.5, -0.1, 0.6]])},
            ">= 0",
        ),
        (
            {"weights": "members", "proposals": _proposals([[0.0, 0.0, 0.0]])},
            "not all 0",
        ),
        (
            {"weights": "members", "proposals": _proposals([[1, 1, 1]]), "jitter": 0},
            "jitter",
        ),
        ({"weights": "uniform", "proposals": _proposals([[1, 1, 1]])}, "weights='members'"),
    ],
)
def test_bad_member_sampling_is_refused(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(pz.ValidationError, match=message):
        smaa(_evaluation(), samples=10, **kwargs)
