"""Agreement: van der Eijk's ordinal agreement, the disagreement table (spread, rwg,
polarisation), and invariants shared by every consensus measure (identical members agree,
relabelling members changes nothing)."""

from __future__ import annotations

import itertools
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import prioritize as pz
from prioritize.council.agreement import DISAGREEMENT_COLUMNS, disagreement, ordinal_agreement
from prioritize.council.concordance import concordance
from prioritize.council.flags import debate_flags
from prioritize.errors import ValidationError
from tests.conftest import make_council, tiny_criteria_mapping
from tests.council.support import score_frame

# --- van der Eijk's agreement --------------------------------------------------------------


def brute_agreement(counts: list[int]) -> float:
    """Van der Eijk (2001), layer by layer and triple by triple."""
    k, f, total, agreement = len(counts), list(counts), sum(counts), 0.0
    while any(x > 0 for x in f):
        smallest = min(x for x in f if x > 0)
        pattern = [int(x > 0) for x in f]
        size = sum(pattern)
        tu = tdu = 0
        for a, b, c in itertools.combinations(range(k), 3):
            triple = (pattern[a], pattern[b], pattern[c])
            tu += triple in ((1, 1, 0), (0, 1, 1))
            tdu += triple == (1, 0, 1)
        u = 1.0 if tu + tdu == 0 else ((k - 2) * tu - (k - 1) * tdu) / ((k - 2) * (tu + tdu))
        agreement += smallest * size / total * u * (1 - (size - 1) / (k - 1))
        f = [x - smallest if x > 0 else 0 for x in f]
    return agreement


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(0, 9), min_size=3, max_size=9).filter(lambda f: sum(f) > 0))
def test_ordinal_agreement_equals_the_brute_force(counts: list[int]) -> None:
    fast = float(ordinal_agreement(np.array(counts)))
    assert fast == pytest.approx(brute_agreement(counts), abs=1e-12)
    assert fast == pytest.approx(float(ordinal_agreement(np.array(counts[::-1]))), abs=1e-12)
    assert -1 - 1e-12 <= fast <= 1 + 1e-12


def test_ordinal_agreement_anchors() -> None:
    # The defining values of van der Eijk (2001): consensus 1, uniform 0, polarisation -1.
    values = ordinal_agreement(
        np.array([[0, 0, 9, 0, 0], [3, 3, 3, 3, 3], [6, 0, 0, 0, 6], [0, 0, 0, 0, 0]])
    )
    np.testing.assert_allclose(values[:3], [1.0, 0.0, -1.0], atol=1e-12)
    assert np.isnan(values[3])
    assert np.isnan(ordinal_agreement(np.array([3, 4])))


# --- disagreement ------------------------------------------------------------------------


def test_polarisation_tells_two_camps_from_one_wide_spread() -> None:
    criteria = pz.load_criteria(tiny_criteria_mapping())
    two_camps = [1, 1, 1, 1, 1, 5, 5, 5, 5, 5]
    spread = [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    d = disagreement(
        score_frame({("R1", "impact"): two_camps, ("R2", "impact"): spread}), criteria=criteria
    )
    camps, wide = d.loc[("R1", "impact")], d.loc[("R2", "impact")]
    assert camps["polarisation"] == pytest.approx(1.0)
    assert wide["polarisation"] == pytest.approx(0.0)
    assert (camps["low"], camps["high"]) == (5, 5)
    # A variance-based measure cannot tell them apart as clearly: both have rwg 0.
    assert camps["rwg"] == wide["rwg"] == 0.0


def brute_disagreement(scores: pd.DataFrame, criteria: pz.CriteriaSet) -> pd.DataFrame:
    rows = {}
    for (rid, cid), cell in scores.groupby(["requirement_id", "criterion"]):
        x = cell["score"].to_numpy(dtype=float)
        scale = criteria[str(cid)].scale
        levels = int(scale.max - scale.min + 1)
        var = x.var(ddof=1) if len(x) > 1 else np.nan
        counts = [
            int((np.rint(x) == level).sum()) for level in range(int(scale.min), int(scale.max) + 1)
        ]
        agreement = brute_agreement(counts)
        rows[(rid, cid)] = {
            "n": len(x),
            "mean": x.mean(),
            "std": np.sqrt(var),
            "min": x.min(),
            "max": x.max(),
            "range": np.ptp(x),
            "iqr": np.percentile(x, 75) - np.percentile(x, 25),
            "rwg": min(max(1 - var / ((levels**2 - 1) / 12), 0), 1) if len(x) > 1 else np.nan,
            "agreement": agreement,
            "polarisation": max(0.0, -agreement),
            "low": int((x < (scale.min + scale.max) / 2).sum()),
            "high": int((x > (scale.min + scale.max) / 2).sum()),
        }
    return pd.DataFrame.from_dict(rows, orient="index")


def test_disagreement_equals_the_brute_force() -> None:
    _requirements, scores, members = make_council(9, 7, seed=11)
    criteria = pz.load_criteria("customer-operations")
    scores = scores.sample(frac=0.85, random_state=3)  # gaps: cells with 4 to 7 scores
    fast = disagreement(scores, criteria=criteria, members=members)
    brute = brute_disagreement(scores, criteria)
    fast = fast.loc[brute.index]
    for column in brute.columns:
        np.testing.assert_allclose(
            fast[column].to_numpy(dtype=float),
            brute[column].to_numpy(dtype=float),
            atol=1e-12,
            err_msg=column,
        )
    assert list(fast.columns) == list(DISAGREEMENT_COLUMNS)
    np.testing.assert_allclose(
        fast["weight"].groupby(level="criterion").first().reindex(criteria.ids), criteria.weights
    )


def test_owners_only_reads_the_scores_that_count() -> None:
    criteria = pz.load_criteria(tiny_criteria_mapping())
    members = pd.DataFrame(
        {
            "id": ["a", "b", "c"],
            "name": ["A", "B", "C"],
            "department": ["Legal", "Sales", "Finance"],
        }
    )
    scores = score_frame({("R1", "legal"): [5, 1, 1]}).replace({"m0": "a", "m1": "b", "m2": "c"})
    everyone = disagreement(scores, criteria=criteria, members=members)
    owners = disagreement(scores, criteria=criteria, members=members, owners_only=True)
    assert everyone.loc[("R1", "legal"), "n"] == 3
    assert owners.loc[("R1", "legal"), "n"] == 1
    assert np.isnan(owners.loc[("R1", "legal"), "std"])
    with pytest.raises(ValidationError, match="members"):
        disagreement(scores, criteria=criteria, owners_only=True)
    with pytest.raises(ValidationError, match="criteria"):
        disagreement(scores)


# --- properties: identical members, permuted members ----------------------------------------


@settings(max_examples=30, deadline=None)
@given(n_members=st.integers(2, 6), data=st.data())
def test_identical_members_agree_perfectly(n_members: int, data: st.DataObject) -> None:
    criteria = pz.load_criteria("customer-operations")
    n_req = data.draw(st.integers(3, 6))
    one = np.array(
        data.draw(
            st.lists(
                st.lists(st.integers(1, 5), min_size=len(criteria), max_size=len(criteria)),
                min_size=n_req,
                max_size=n_req,
            )
        ),
        dtype=float,
    )
    rows = [
        (f"R{r}", f"m{m}", cid, one[r, j])
        for m in range(n_members)
        for r in range(n_req)
        for j, cid in enumerate(criteria.ids)
    ]
    scores = pd.DataFrame(rows, columns=["requirement_id", "member", "criterion", "score"])
    requirements = pd.DataFrame(
        {"id": [f"R{r}" for r in range(n_req)], "title": [f"T{r}" for r in range(n_req)]}
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", pz.OwnersIgnoredWarning)
        evaluation = pz.evaluate(criteria, requirements, scores)
    d = disagreement(evaluation)
    assert (d["std"] == 0).all() and (d["range"] == 0).all() and (d["iqr"] == 0).all()
    assert (d["rwg"] == 1).all() and (d["polarisation"] == 0).all()
    assert (d["agreement"] == 1).all()
    assume(not evaluation.table["tied"].all())  # all tied: W is undefined (NaN)
    assert concordance(evaluation).w == pytest.approx(1.0)


def _relabelled(seed: int, order: list[int]) -> pz.Evaluation:
    requirements, scores, members = make_council(8, 6, seed=seed)
    mapping = {f"m{i:02d}": f"p{order[i]:02d}" for i in range(6)}
    scores = scores.assign(member=scores["member"].map(mapping)).sample(
        frac=1.0, random_state=order[0]
    )
    members = members.assign(id=members["id"].map(mapping)).iloc[order]
    return pz.evaluate("customer-operations", requirements, scores, members=members)


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 50), order=st.permutations(list(range(6))))
def test_permuting_members_changes_nothing(seed: int, order: list[int]) -> None:
    base = _relabelled(seed, list(range(6)))
    permuted = _relabelled(seed, list(order))
    pd.testing.assert_frame_equal(disagreement(base), disagreement(permuted))
    a, b = concordance(base), concordance(permuted)
    assert a.w == pytest.approx(b.w, abs=1e-12)
    pd.testing.assert_frame_equal(a.by_department, b.by_department)
    pd.testing.assert_frame_equal(debate_flags(base), debate_flags(permuted))
