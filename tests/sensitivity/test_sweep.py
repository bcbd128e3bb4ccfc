"""Weight sweeps and the tornado, against brute-force re-evaluation on grids."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import prioritize as pz
from prioritize.engine.matrix import measures
from prioritize.engine.scoring import priority
from prioritize.sensitivity import sweep, tornado
from prioritize.sensitivity.lines import sweep_lines
from tests.sensitivity.support import (
    criteria_mapping,
    current_codes,
    evaluation_from_utilities,
    load,
    state,
    swept,
)

MEASURE_NAMES = ("value", "effort", "urgency", "net_value", "score")


@pytest.fixture(scope="module")
def example() -> pz.Evaluation:
    return pz.evaluate_example()


def test_sweep_rows_equal_core_re_evaluation(example: pz.Evaluation) -> None:
    weights = example.weights.to_numpy()
    for k, cid in enumerate(example.criteria.ids):
        result = sweep(example, cid, points=11)
        grid = np.unique(np.append(np.linspace(0, 1, 11), weights[k]))
        assert np.allclose(np.sort(result.table["weight"].unique()), grid)
        for t, rows in result.table.groupby("weight"):
            rank, tied, code = state(example, swept(weights, k, float(t)))
            position = example.table.index.get_indexer(rows["requirement"])
            assert np.allclose(
                rows["score"],
                priority(example.utility_array, swept(weights, k, float(t)))[position],
                atol=1e-12,
            )
            assert (rows["rank"].to_numpy() == rank[position]).all()
            assert (rows["tied"].to_numpy() == tied[position]).all()
            assert (rows["category"].cat.codes.to_numpy() == code[position]).all()


def test_the_council_weight_reproduces_the_evaluation(example: pz.Evaluation) -> None:
    result = sweep(example, "legal_necessity", points=3)
    here = result.table[np.isclose(result.table["weight"], 0.12)].set_index("requirement")
    table = example.table
    assert np.allclose(here.loc[table.index, "score"], table["score"], atol=1e-12)
    assert (here.loc[table.index, "rank"].to_numpy() == table["rank"].to_numpy()).all()
    assert (
        here.loc[table.index, "category"].astype(str).to_numpy()
        == table["category"].astype(str).to_numpy()
    ).all()


def test_score_lines_are_exact(example: pz.Evaluation) -> None:
    result = sweep(example, "customer_impact", points=[0.0, 0.3, 1.0])
    weights = example.weights.to_numpy()
    for t in (0.0, 0.37, 0.9, 1.0):
        exact = priority(example.utility_array, swept(weights, 0, t))
        line = result.intercept.to_numpy() + result.slope.to_numpy() * t
        assert np.allclose(line, exact, atol=1e-13)


def test_category_changes_happen_where_reported(example: pz.Evaluation) -> None:
    weights = example.weights.to_numpy()
    seen = 0
    for k, cid in enumerate(example.criteria.ids):
        changes = sweep(example, cid, points=2).category_changes
        for _, row in changes.iterrows():
            i = example.table.index.get_loc(row["requirement"])
            t = row["weight"]
            step = min(1e-7, t / 2, (1 - t) / 2)  # stay inside [0, 1]
            before = state(example, swept(weights, k, t - step))[2][i]
            after = state(example, swept(weights, k, t + step))[2][i]
            assert pz.CATEGORIES[before] == row["before"]
            assert pz.CATEGORIES[after] == row["after"]
            seen += 1
    assert seen > 5  # the example does move categories


def test_no_unreported_category_change_on_a_fine_grid(example: pz.Evaluation) -> None:
    weights = example.weights.to_numpy()
    grid = np.linspace(0, 1, 801)[1:-1]
    for k, cid in enumerate(example.criteria.ids):
        changes = sweep(example, cid, points=2).category_changes
        codes = np.array([state(example, swept(weights, k, t))[2] for t in grid])
        moved = (codes[1:] != codes[:-1]).sum()
        reported = sum((changes["weight"] > grid[0]) & (changes["weight"] < grid[-1]))
        assert moved == reported, cid


def _brute_rank_extremes(
    utility: np.ndarray, weights: np.ndarray, k: int, grid: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    stack = np.array([swept(weights, k, t) for t in grid])
    score = stack @ utility.T  # (P, n)
    rank = 1 + (score[:, None, :] > score[:, :, None]).sum(axis=2)  # strict: ties share
    return rank.min(axis=0), rank.max(axis=0)


def test_tornado_rank_extremes_match_a_fine_grid(example: pz.Evaluation) -> None:
    table = tornado(example)
    weights = example.weights.to_numpy()
    grid = np.linspace(0, 1, 20001)[1:-1]
    for k, cid in enumerate(example.criteria.ids):
        rows = table.xs(cid, level="criterion").loc[example.table.index]
        best, worst = _brute_rank_extremes(example.utility_array, weights, k, grid)
        assert (rows["best_rank"].to_numpy() == best).all(), cid
        assert (rows["worst_rank"].to_numpy() == worst).all(), cid
        ends = priority(
            example.utility_array, np.array([swept(weights, k, 0.0), swept(weights, k, 1.0)])
        )
        assert np.allclose(rows["score_at_zero"], ends[0], atol=1e-12)
        assert np.allclose(rows["score_at_one"], ends[1], atol=1e-12)


def test_tornado_orders_criteria_by_mean_rank_swing(example: pz.Evaluation) -> None:
    table = tornado(example)
    swing = table["rank_swing"].groupby(level="criterion", sort=False).mean()
    assert list(swing.index) == list(dict.fromkeys(table.index.get_level_values(0)))
    assert (np.diff(swing.to_numpy()) <= 1e-12).all()
    counted = table["category_changes"].groupby(level="criterion").sum()
    for cid in example.criteria.ids:
        assert counted[cid] == len(sweep(example, cid, points=2).category_changes)


def test_bad_sweep_requests_are_validation_errors(example: pz.Evaluation) -> None:
    with pytest.raises(pz.ValidationError, match="unknown criterion"):
        sweep(example, "no_such_criterion")
    with pytest.raises(pz.ValidationError, match="too few"):
        sweep(example, "customer_impact", points=1)
    with pytest.raises(pz.ValidationError, match=r"\[0, 1\]"):
        sweep(example, "customer_impact", points=[0.2, 1.5])


# Edge cases of the sweep itself: zero weights, all weight on one criterion, one criterion,
# an axis nobody weighs.
EDGE_RULES = [
    {
        "category": "Immediate control",
        "when": {"urgency": {"at_least": 0.6}, "effort": {"below": 0.5}},
    },
    {"category": "Harmful requirement", "when": {"net_value": {"below": 0.0}}},
    {"category": "High-value improvement", "when": {"score": {"at_least": 0.55}}},
    {"category": "Limited enhancement", "when": {}},
]
EDGE_AXES = {
    "value": ([0, 1], "utility"),
    "effort": ([2, 3], "burden"),
    "urgency": ([1, 3], "utility"),
}


@pytest.mark.parametrize(
    "weights",
    [
        [0.4, 0.3, 0.2, 0.1],
        [0.0, 0.5, 0.5, 0.0],  # zero weights, and the value axis at half weight
        [1.0, 0.0, 0.0, 0.0],  # everything on one criterion
        [0.0, 0.0, 0.6, 0.4],  # the value axis weighs nothing at the council's weights
    ],
)
def test_lines_match_core_measures_everywhere(weights: list[float]) -> None:
    criteria = load(criteria_mapping(weights, axes=EDGE_AXES, rules=EDGE_RULES))
    utility = np.random.default_rng(3).random((12, 4))
    evaluation = evaluation_from_utilities(criteria, utility)
    w = evaluation.weights.to_numpy()
    grid = np.array([0.0, 1e-9, 0.2, 0.5, 0.77, 1 - 1e-9, 1.0])
    for k in range(4):
        lines = sweep_lines(evaluation, k)
        got = lines.measures_at(grid)
        for p, t in enumerate(grid):
            expected = measures(evaluation.utility_array, swept(w, k, t), criteria)
            for name in MEASURE_NAMES:
                assert np.allclose(got[name][:, p], expected[name], atol=1e-9), (k, t, name)


def test_a_single_criterion_never_moves() -> None:
    criteria = load(criteria_mapping([1.0]))
    evaluation = evaluation_from_utilities(criteria, np.array([[0.2], [0.9], [0.5]]))
    result = sweep(evaluation, "c0", points=5)
    assert (result.slope == 0).all()
    ranks = result.table.groupby("requirement")["rank"].nunique()
    assert (ranks == 1).all()


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    levels=st.sampled_from([0, 3, 5]),
    zero=st.integers(-1, 3),
    t=st.floats(0, 1, allow_subnormal=False),
)
def test_lines_equal_core_measures_property(seed: int, levels: int, zero: int, t: float) -> None:
    rng = np.random.default_rng(seed)
    utility = rng.random((7, 4))
    if levels:  # coarse utilities make ties and values exactly on thresholds
        utility = np.round(utility * (levels - 1)) / (levels - 1)
    weights = rng.dirichlet(np.ones(4))
    if zero >= 0:
        weights[zero] = 0.0
    criteria = load(criteria_mapping(list(weights), axes=EDGE_AXES, rules=EDGE_RULES))
    evaluation = evaluation_from_utilities(criteria, utility)
    w = evaluation.weights.to_numpy()
    for k in range(4):
        got = sweep_lines(evaluation, k).measures_at(np.array([t]))
        expected = measures(evaluation.utility_array, swept(w, k, t), criteria)
        for name in MEASURE_NAMES:
            assert np.allclose(got[name][:, 0], expected[name], atol=1e-9)
    # at the council's weight the lines give back the evaluation's categories
    for k in range(4):
        lines = sweep_lines(evaluation, k)
        assert np.allclose(
            lines.intercept + lines.slope * lines.weight,
            evaluation.table["score"].to_numpy(),
            atol=1e-12,
        )
    assert (state(evaluation, w)[2] == current_codes(evaluation)).all()
