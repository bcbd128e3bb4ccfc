"""Exact stability intervals against brute-force re-evaluation just inside and just outside
every reported bound, and on fine grids."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import prioritize as pz
from prioritize.sensitivity import most_critical_criterion, stability_intervals
from tests.sensitivity.support import (
    council_evaluation,
    criteria_mapping,
    current_codes,
    evaluation_from_utilities,
    load,
    state,
    swept,
)

#: How far outside a bound the brute force looks for the change. Bounds are exact, but a
#: nearly flat crossing (two scores, or net value and a threshold, meeting at a shallow
#: angle) is only as precise as the floating point around it, and the core calls scores
#: within 1e-9 of each other tied: so the brute force looks a little way out, at a few
#: distances, and expects the change at one of them.
OUTSIDE = (1e-6, 1e-5, 1e-4)


def _same(evaluation: pz.Evaluation, weights: np.ndarray, scope: str, k: int | None) -> bool:
    rank, tied, _ = state(evaluation, weights)
    rank0 = evaluation.table["rank"].to_numpy()
    if scope == "ranking":
        return bool((rank == rank0).all() and (tied == evaluation.table["tied"].to_numpy()).all())
    assert k is not None
    return bool(((rank <= k) == (rank0 <= k)).all())


def check_ranking_or_top_k(evaluation: pz.Evaluation, scope: str, k: int | None = None) -> None:
    frame = stability_intervals(evaluation, scope=scope, k=k)  # type: ignore[arg-type]
    weights = evaluation.weights.to_numpy()
    assert list(frame.index) == list(evaluation.criteria.ids)
    for j, cid in enumerate(evaluation.criteria.ids):
        row = frame.loc[cid]
        lower, upper = float(row["lower"]), float(row["upper"])
        assert 0 <= lower <= row["weight"] <= upper <= 1
        width = upper - lower
        if width > 1e-5:
            edge = max(1e-6, 1e-3 * width)
            inside = np.concatenate(
                [np.linspace(lower, upper, 23)[1:-1], [lower + edge, upper - edge]]
            )
            for t in inside:
                assert _same(evaluation, swept(weights, j, t), scope, k), (cid, t, lower, upper)
        for bound, by, side in ((lower, row["lower_by"], -1), (upper, row["upper_by"], 1)):
            if not by:
                assert bound == (0 if side < 0 else 1)
                continue
            outside = [bound + side * d for d in OUTSIDE if 0 <= bound + side * d <= 1]
            if outside:
                assert not all(
                    _same(evaluation, swept(weights, j, t), scope, k) for t in outside
                ), (cid, side, bound)


def check_category(evaluation: pz.Evaluation, grid_points: int = 401) -> None:
    frame = stability_intervals(evaluation, scope="category")
    weights = evaluation.weights.to_numpy()
    current = current_codes(evaluation)
    grid = np.linspace(0, 1, grid_points)
    n = len(evaluation.table)
    assert len(frame) == n * len(evaluation.criteria)
    for j, cid in enumerate(evaluation.criteria.ids):
        rows = frame.xs(cid, level="criterion").loc[evaluation.table.index]
        lower = rows["lower"].to_numpy()
        upper = rows["upper"].to_numpy()
        assert ((lower <= rows["weight"]) & (rows["weight"] <= upper)).all()
        for t in grid:
            code = state(evaluation, swept(weights, j, t))[2]
            inside = (t > lower + 1e-6) & (t < upper - 1e-6)
            assert (code[inside] == current[inside]).all(), (cid, t)
        for side, bounds, by, beyond in (
            (-1, lower, rows["lower_by"], rows["category_below"]),
            (1, upper, rows["upper_by"], rows["category_above"]),
        ):
            has = (by != "").to_numpy()
            assert (bounds[~has] == (0 if side < 0 else 1)).all()
            for i in np.flatnonzero(has):
                found = []
                for d in (1e-7, 1e-6, 1e-5):
                    t = bounds[i] + side * d
                    if 0 < t < 1:
                        found.append(state(evaluation, swept(weights, j, t))[2][i])
                if found:
                    moved = [code for code in found if code != current[i]]
                    assert moved, (cid, side, i)
                    assert pz.CATEGORIES[moved[0]] == beyond.iloc[i], (cid, side, i)


@pytest.fixture(scope="module")
def example() -> pz.Evaluation:
    return pz.evaluate_example()


def test_ranking_intervals_on_the_example(example: pz.Evaluation) -> None:
    check_ranking_or_top_k(example, "ranking")


@pytest.mark.parametrize("k", [1, 3, 5, 10, 27])
def test_top_k_intervals_on_the_example(example: pz.Evaluation, k: int) -> None:
    check_ranking_or_top_k(example, "top-k", k)


def test_category_intervals_on_the_example(example: pz.Evaluation) -> None:
    check_category(example, grid_points=1001)


def test_intervals_agree_with_the_public_evaluate(example: pz.Evaluation) -> None:
    """The same bounds, checked through ``pz.evaluate`` with re-weighted criteria."""
    frame = stability_intervals(example, scope="top-k", k=5)
    ids = example.criteria.ids
    weights = example.weights.to_numpy()
    for cid in ("legal_necessity", "error_reduction"):
        j = ids.index(cid)
        row = frame.loc[cid]
        top = set(example.table.index[example.table["rank"] <= 5])
        for t, same in ((row["upper"] - 1e-4, True), (row["upper"] + 1e-4, False)):
            criteria = example.criteria.with_weights(
                dict(zip(ids, swept(weights, j, t), strict=True))
            )
            again = pz.evaluate(
                criteria, example.requirements, example.scores, members=example.members
            )
            assert (set(again.table.index[again.table["rank"] <= 5]) == top) is same


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("discrete", [True, False])
def test_generated_councils(seed: int, discrete: bool) -> None:
    evaluation = council_evaluation(16, 4, seed=seed, discrete=discrete)
    check_ranking_or_top_k(evaluation, "ranking")
    for k in (1, 4, 8):
        check_ranking_or_top_k(evaluation, "top-k", k)
    check_category(evaluation)


def test_a_tie_that_moves_apart_gives_a_degenerate_interval() -> None:
    # R000 and R001 tie now (0.5 each) but move at different rates with c0's weight.
    criteria = load(criteria_mapping([0.5, 0.5]))
    utility = np.array([[1.0, 0.0], [0.0, 1.0], [0.2, 0.2]])
    evaluation = evaluation_from_utilities(criteria, utility)
    assert evaluation.table["tied"].sum() == 2
    frame = stability_intervals(evaluation, scope="ranking")
    assert (frame["lower"] == 0.5).all() and (frame["upper"] == 0.5).all()
    assert frame.loc["c0", "lower_by"].startswith("tie ")
    assert (frame["change"] == 0).all()
    check_ranking_or_top_k(evaluation, "ranking")


def test_a_tie_between_identical_requirements_never_breaks() -> None:
    criteria = load(criteria_mapping([0.3, 0.7]))
    utility = np.array([[0.9, 0.1], [0.6, 0.4], [0.6, 0.4]])
    evaluation = evaluation_from_utilities(criteria, utility)
    frame = stability_intervals(evaluation, scope="ranking")
    # only the crossing of the first with the tied pair bounds the ranking
    assert (frame["change"] > 0).all()
    check_ranking_or_top_k(evaluation, "ranking")


def test_a_tie_across_position_k_that_splits_partly_keeps_the_set() -> None:
    # Ranks 1, 2, 2, 2 with k = 3: the top-3 holds all four. Moving c0's weight up, R001
    # pulls ahead of the identical pair R002 = R003; they stay tied at rank 3, so the set
    # stays until R002/R003 meet R004. Moving it down R001 drops below the pair: R001 ranks
    # 4th and leaves.
    criteria = load(criteria_mapping([0.5, 0.5]))
    utility = np.array([[1.0, 1.0], [0.8, 0.2], [0.3, 0.7], [0.3, 0.7], [0.0, 0.9]])
    evaluation = evaluation_from_utilities(criteria, utility)
    assert evaluation.table["rank"].tolist() == [1, 2, 2, 2, 5]
    frame = stability_intervals(evaluation, scope="top-k", k=3)
    assert frame.loc["c0", "lower"] == 0.5
    assert frame.loc["c0", "upper"] > 0.5
    check_ranking_or_top_k(evaluation, "top-k", 3)


def test_k_covering_everything_never_changes(example: pz.Evaluation) -> None:
    frame = stability_intervals(example, scope="top-k", k=len(example.table))
    assert (frame["lower"] == 0).all() and (frame["upper"] == 1).all()
    assert np.isinf(frame["change"]).all()
    assert most_critical_criterion(example, k=len(example.table)) is None


def test_most_critical_criterion_is_the_smallest_relative_change(example: pz.Evaluation) -> None:
    k = 5
    critical = most_critical_criterion(example, k=k)
    assert critical is not None
    weights = example.weights.to_numpy()
    top = example.table["rank"].to_numpy() <= k
    best = []
    for j, cid in enumerate(example.criteria.ids):
        w = weights[j]
        # brute force: scan relative changes on a fine grid both ways
        steps = np.linspace(0, 1, 4001)[1:] * max(w, 1 - w) / w
        found = np.inf
        for r in steps:
            for t in (w * (1 + r), w * (1 - r)):
                if 0 <= t <= 1:
                    rank = state(example, swept(weights, j, t))[0]
                    if ((rank <= k) != top).any():
                        found = min(found, r)
            if found < np.inf:
                break
        best.append((found, cid))
    brute_relative, brute_criterion = min(best)
    assert critical.criterion == brute_criterion
    assert critical.relative_change <= brute_relative + 1e-12
    resolution = max(max(w, 1 - w) / w for w in weights) / 4000  # the grid's step
    assert critical.relative_change >= brute_relative - resolution
    assert abs(critical.new_weight - critical.weight) == pytest.approx(critical.change)
    assert critical.criterion in str(critical)


def test_bad_requests_are_validation_errors(example: pz.Evaluation) -> None:
    with pytest.raises(pz.ValidationError, match="scope"):
        stability_intervals(example, scope="everything")
    with pytest.raises(pz.ValidationError, match="k"):
        stability_intervals(example, scope="top-k")
    with pytest.raises(pz.ValidationError, match="k"):
        stability_intervals(example, scope="top-k", k=0)


RULES = [
    {
        "category": "Immediate control",
        "when": {"urgency": {"at_least": 0.6}, "effort": {"below": 0.45}},
    },
    {"category": "Harmful requirement", "when": {"net_value": {"below": -0.1}}},
    {
        "category": "Strategic investment",
        "when": {"score": {"at_least": 0.6}, "effort": {"at_least": 0.5}},
    },
    {"category": "High-value improvement", "when": {"value": {"at_least": 0.55}}},
    {"category": "Low-value request", "when": {"score": {"below": 0.35}}},
    {"category": "Limited enhancement", "when": {}},
]
AXES = {
    "value": ([0, 1, 4], "utility"),
    "effort": ([2, 3], "burden"),
    "urgency": ([1, 4], "utility"),
}


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 100_000),
    levels=st.sampled_from([0, 3, 5]),
    zero=st.integers(-1, 4),
    gate=st.booleans(),
    k=st.integers(1, 9),
    permute=st.booleans(),
)
def test_intervals_property(
    seed: int, levels: int, zero: int, gate: bool, k: int, permute: bool
) -> None:
    rng = np.random.default_rng(seed)
    utility = rng.random((9, 5))
    if levels:  # coarse levels make ties, and measures sitting exactly on thresholds
        utility = np.round(utility * (levels - 1)) / (levels - 1)
    weights = rng.dirichlet(np.ones(5))
    if zero >= 0:
        weights[zero] = 0.0
    mapping = criteria_mapping(
        list(weights), axes=AXES, rules=RULES, gates={1: 0.95} if gate else None
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        evaluation = evaluation_from_utilities(load(mapping), utility)
    check_ranking_or_top_k(evaluation, "ranking")
    check_ranking_or_top_k(evaluation, "top-k", k)
    check_category(evaluation, grid_points=201)
    if permute:
        # the intervals do not depend on the order of requirements or criteria
        order = rng.permutation(9)
        ids = [f"R{i:03d}" for i in range(9)]
        again = evaluation_from_utilities(
            load(mapping), utility[order], ids=[ids[i] for i in order]
        )
        for scope in ("ranking", "category"):
            a = stability_intervals(evaluation, scope=scope)
            b = stability_intervals(again, scope=scope)
            assert np.allclose(
                a[["lower", "upper"]], b.loc[a.index, ["lower", "upper"]], atol=1e-12
            )
