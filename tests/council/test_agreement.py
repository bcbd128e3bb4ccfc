"""Consensus measures: Kendall's W (reference values and a brute-force oracle), van der
Eijk's agreement, the disagreement table, concordance by department, and debate flags."""

from __future__ import annotations

import itertools
import warnings
from collections import Counter

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy import stats

import prioritize as pz
from prioritize.council.agreement import DISAGREEMENT_COLUMNS, disagreement, ordinal_agreement
from prioritize.council.concordance import concordance, kendall_w
from prioritize.council.flags import FLAG_COLUMNS, debate_flags
from prioritize.errors import ValidationError
from tests.conftest import make_council, tiny_criteria_mapping

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


def _frame(cells: dict[tuple[str, str], list[float]]) -> pd.DataFrame:
    rows = [(r, f"m{i}", c, s) for (r, c), scores in cells.items() for i, s in enumerate(scores)]
    return pd.DataFrame(rows, columns=["requirement_id", "member", "criterion", "score"])


def test_polarisation_tells_two_camps_from_one_wide_spread() -> None:
    criteria = pz.load_criteria(tiny_criteria_mapping())
    two_camps = [1, 1, 1, 1, 1, 5, 5, 5, 5, 5]
    spread = [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    d = disagreement(
        _frame({("R1", "impact"): two_camps, ("R2", "impact"): spread}), criteria=criteria
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
    scores = _frame({("R1", "legal"): [5, 1, 1]}).replace({"m0": "a", "m1": "b", "m2": "c"})
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


# --- debate flags ----------------------------------------------------------------------------

MEMBERS = pd.DataFrame(
    {
        "id": [f"m{i}" for i in range(6)],
        "name": list("ABCDEF"),
        "department": ["Sales", "Sales", "Sales", "IT", "IT", "IT"],
    }
)


def _flag_council() -> tuple[pz.CriteriaSet, pd.DataFrame, pd.DataFrame]:
    mapping = tiny_criteria_mapping()
    for item in mapping["criteria"]:
        item.pop("owners", None)
    criteria = pz.load_criteria(mapping)
    agreed = {"impact": [3] * 6, "legal": [2] * 6, "cost": [5] * 6}
    cells: dict[tuple[str, str], list[float]] = {}
    for rid in ("R1", "R2", "R3", "R4"):
        for cid, values in agreed.items():
            cells[(rid, cid)] = list(values)
    cells[("R1", "impact")] = [1, 1, 1, 5, 5, 5]  # two camps on the heaviest criterion
    cells[("R2", "impact")] = [1, 2, 3, 3, 4, 5]  # a wide spread, one camp
    cells[("R3", "legal")] = [1, 1, 1, 5, 5, 5]  # two camps on a light criterion
    cells[("R4", "impact")] = [5, 5, 5, 1, 1, 1]  # Sales and IT see R4 differently
    cells[("R4", "cost")] = [0, 0, 0, 10, 10, 10]
    scores = _frame(cells)
    requirements = pd.DataFrame({"id": ["R1", "R2", "R3", "R4"], "title": list("abcd")})
    return criteria, requirements, scores


def test_debate_flags_name_their_reasons() -> None:
    criteria, requirements, scores = _flag_council()
    evaluation = pz.evaluate(criteria, requirements, scores, members=MEMBERS)
    flags = debate_flags(evaluation)
    assert list(flags.columns) == list(FLAG_COLUMNS)
    found = set(zip(flags["requirement_id"], flags["flag"], flags["criterion"], strict=True))
    assert ("R1", "disagreement", "impact") in found
    assert ("R1", "polarised", "impact") in found
    assert ("R2", "disagreement", "impact") in found
    assert ("R2", "polarised", "impact") not in found
    assert ("R3", "polarised", "legal") in found
    assert ("R3", "disagreement", "legal") not in found  # 0.2 < the equal share 1/3
    reason = flags[(flags["requirement_id"] == "R1") & (flags["flag"] == "polarised")]
    assert (
        reason["reason"].iloc[0] == "two camps on Impact: 3 score low, 3 score high "
        "(polarisation 1.00)"
    )
    assert flags["rank"].is_monotonic_increasing


def test_viewpoint_flips_and_low_acceptability() -> None:
    criteria, requirements, scores = _flag_council()
    evaluation = pz.evaluate(criteria, requirements, scores, members=MEMBERS)
    views = {}
    for department in ("Sales", "IT"):  # each department's own evaluation
        ids = MEMBERS.loc[MEMBERS["department"] == department, "id"]
        own = pz.evaluate(criteria, requirements, scores[scores["member"].isin(ids)])
        views[department] = own.table["category"].astype(str)
    viewpoints = pd.DataFrame(views).reindex(evaluation.table.index)
    council = evaluation.table["category"].astype(str)
    differs = viewpoints.apply(lambda row: len({*row, council[row.name]}) > 1, axis=1)
    assert differs["R4"], "the test council should split on R4"
    acceptability = pd.DataFrame(0.0, index=evaluation.table.index, columns=pz.CATEGORIES)
    for rid, category in council.items():
        acceptability.loc[rid, category] = 0.9
    acceptability.loc["R2", council["R2"]] = 0.3
    other = next(c for c in pz.CATEGORIES if c != council["R2"])
    acceptability.loc["R2", other] = 0.6
    flags = debate_flags(evaluation, viewpoints=viewpoints, acceptability=acceptability)
    flips = flags[flags["flag"] == "viewpoint flip"]
    assert set(flips["requirement_id"]) == set(differs[differs].index)
    r4 = flips.loc[flips["requirement_id"] == "R4", "reason"].iloc[0]
    assert f"Sales: {viewpoints.loc['R4', 'Sales']}" in r4
    assert f"IT: {viewpoints.loc['R4', 'IT']}" in r4
    low = flags[flags["flag"] == "low acceptability"]
    assert list(low["requirement_id"]) == ["R2"]
    assert low["reason"].iloc[0] == (
        f"{council['R2']} in only 30% of the sampled cases "
        f"(threshold 50%); otherwise most often {other} (60%)"
    )


def test_a_unanimous_council_has_nothing_to_debate() -> None:
    requirements, scores, members = make_council(5, 4, seed=2)
    first = scores.groupby(["requirement_id", "criterion"])["score"].transform("first")
    evaluation = pz.evaluate(
        "customer-operations", requirements, scores.assign(score=first), members=members
    )
    flags = debate_flags(evaluation)
    assert flags.empty and list(flags.columns) == list(FLAG_COLUMNS)
