"""SMAA against an independent, straightforward Monte Carlo (one sample at a time through
the core functions, or through ``pz.evaluate``), within sampling error; and its invariants."""

from __future__ import annotations

import importlib
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import prioritize as pz
from prioritize.sensitivity import sample_weights, smaa
from tests.sensitivity.support import (
    council_evaluation,
    council_frames,
    criteria_mapping,
    current_codes,
    evaluation_from_utilities,
    load,
    state,
)

# the module (the package's attribute of that name is the function)
smaa_module = importlib.import_module("prioritize.sensitivity.smaa")
SIGMAS = 4.0


def within_sampling_error(p: np.ndarray, q: np.ndarray, n_p: int, n_q: int) -> np.ndarray:
    """Whether two Monte Carlo shares agree within SIGMAS standard errors (pooled)."""
    pooled = (p * n_p + q * n_q) / (n_p + n_q)
    se = np.sqrt(pooled * (1 - pooled) * (1 / n_p + 1 / n_q))
    # a share seen 0 times in one run and rarely in the other: allow ~3 events of slack
    return np.abs(p - q) <= SIGMAS * se + 3 / min(n_p, n_q)


def straightforward_monte_carlo(evaluation: pz.Evaluation, draw, samples: int):  # type: ignore[no-untyped-def]
    """One sample at a time: weights from ``draw()``, ranks and categories from the core."""
    n = len(evaluation.table)
    ranks = np.zeros((n, n))
    categories = np.zeros((n, len(pz.CATEGORIES)))
    wins = np.zeros((n, n))
    for _ in range(samples):
        rank, _, code = state(evaluation, draw())
        ranks[np.arange(n), rank - 1] += 1
        categories[np.arange(n), code] += 1
        wins += rank[:, None] < rank[None, :]
    return ranks / samples, categories / samples, wins / samples


@pytest.fixture(scope="module")
def small() -> pz.Evaluation:
    return council_evaluation(8, 4, seed=5, discrete=False)


FOUR_RULES = [
    {
        "category": "Immediate control",
        "when": {"urgency": {"at_least": 0.6}, "effort": {"below": 0.5}},
    },
    {"category": "Harmful requirement", "when": {"net_value": {"below": -0.1}}},
    {"category": "High-value improvement", "when": {"score": {"at_least": 0.55}}},
    {"category": "Low-value request", "when": {"value": {"below": 0.4}}},
    {"category": "Limited enhancement", "when": {}},
]
FOUR_AXES = {
    "value": ([0, 1], "utility"),
    "effort": ([2, 3], "burden"),
    "urgency": ([1, 3], "utility"),
}


@pytest.fixture(scope="module")
def four() -> pz.Evaluation:
    """Four criteria, two of them tied in weight (rejection sampling of the ordinal region
    stays cheap: 2 of the 24 orders qualify)."""
    criteria = load(criteria_mapping([0.4, 0.25, 0.25, 0.1], axes=FOUR_AXES, rules=FOUR_RULES))
    utility = np.random.default_rng(8).random((7, 4))
    return evaluation_from_utilities(criteria, utility)


@pytest.mark.parametrize("mode", ["uniform", "council", "ordinal"])
def test_matches_a_straightforward_monte_carlo(four: pz.Evaluation, mode: str) -> None:
    result = smaa(four, samples=20_000, weights=mode, seed=3)  # type: ignore[arg-type]
    rng = np.random.default_rng(12345)
    council = four.weights.to_numpy()
    heavier = council[:, None] > council[None, :] + 1e-12  # pairs whose order must hold

    def draw() -> np.ndarray:
        if mode == "uniform":
            return rng.dirichlet(np.ones(len(council)))
        if mode == "council":
            return rng.dirichlet(100.0 * council)
        while True:  # ordinal, by rejection: uniform draws that keep the council's order
            w = rng.dirichlet(np.ones(len(council)))
            if (w[:, None] >= w[None, :])[heavier].all():
                return w

    ranks, categories, wins = straightforward_monte_carlo(four, draw, 3_000)
    assert within_sampling_error(result.rank_acceptability.to_numpy(), ranks, 20_000, 3_000).all()
    assert within_sampling_error(
        result.category_acceptability.to_numpy(), categories, 20_000, 3_000
    ).all()
    assert result.pairwise_winning is not None
    assert within_sampling_error(result.pairwise_winning.to_numpy(), wins, 20_000, 3_000).all()
    # the test is not vacuous: several categories and ranks really are uncertain here
    assert (result.category_acceptability.max(axis=1) < 0.9).sum() >= 2


def test_matches_a_straightforward_monte_carlo_on_the_bundled_criteria(
    small: pz.Evaluation,
) -> None:
    result = smaa(small, samples=20_000, seed=4)
    rng = np.random.default_rng(54321)
    ranks, categories, _ = straightforward_monte_carlo(
        small, lambda: rng.dirichlet(np.ones(len(small.criteria))), 3_000
    )
    assert within_sampling_error(result.rank_acceptability.to_numpy(), ranks, 20_000, 3_000).all()
    assert within_sampling_error(
        result.category_acceptability.to_numpy(), categories, 20_000, 3_000
    ).all()


def test_rows_sum_to_one_and_labels(small: pz.Evaluation) -> None:
    result = smaa(small, samples=3_000, seed=1)
    n = len(small.table)
    assert result.rank_acceptability.shape == (n, n)
    assert list(result.rank_acceptability.columns) == list(range(1, n + 1))
    assert list(result.rank_acceptability.index) == list(small.table.index)
    assert list(result.category_acceptability.columns) == list(pz.CATEGORIES)
    assert np.allclose(result.rank_acceptability.sum(axis=1), 1)
    assert np.allclose(result.category_acceptability.sum(axis=1), 1)
    assert np.allclose(result.rank_acceptability.sum(axis=0), 1)  # no ties: one per rank
    wins = result.pairwise_winning
    assert wins is not None
    assert np.allclose(np.diag(wins), 0)
    assert np.allclose(wins + wins.T + np.eye(n), 1)  # no ties: a or b wins
    # holistic acceptability with the documented linear meta-weights
    alpha = (n - np.arange(1, n + 1)) / (n - 1)
    assert np.allclose(result.holistic, result.rank_acceptability.to_numpy() @ alpha)
    assert result.samples == 3_000 and result.seed == 1 and result.weights == "uniform"


def test_same_seed_same_result_and_another_seed_differs(small: pz.Evaluation) -> None:
    a = smaa(small, samples=2_000, seed=7, resample_members=True)
    b = smaa(small, samples=2_000, seed=7, resample_members=True)
    c = smaa(small, samples=2_000, seed=8, resample_members=True)
    pd.testing.assert_frame_equal(a.rank_acceptability, b.rank_acceptability)
    pd.testing.assert_frame_equal(a.category_acceptability, b.category_acceptability)
    pd.testing.assert_frame_equal(a.central_weights, b.central_weights)
    assert not a.rank_acceptability.equals(c.rank_acceptability)


def test_chunking_does_not_change_the_result(
    small: pz.Evaluation, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = smaa(small, samples=1_001, seed=2, resample_members=True)
    monkeypatch.setattr(smaa_module, "_CHUNK_ELEMENTS", 37)  # many odd-sized chunks
    pieces = smaa(small, samples=1_001, seed=2, resample_members=True)
    pd.testing.assert_frame_equal(whole.rank_acceptability, pieces.rank_acceptability)
    pd.testing.assert_frame_equal(whole.category_acceptability, pieces.category_acceptability)
    pd.testing.assert_series_equal(whole.confidence, pieces.confidence)


def test_zero_width_uncertainty_gives_the_deterministic_result(small: pz.Evaluation) -> None:
    result = smaa(small, samples=500, weights="council", concentration=1e12)
    rank = small.table["rank"].to_numpy()
    assert np.allclose(result.rank_acceptability.to_numpy()[np.arange(len(rank)), rank - 1], 1)
    codes = current_codes(small)
    assert np.allclose(result.category_acceptability.to_numpy()[np.arange(len(rank)), codes], 1)
    first = small.table.index[0]
    assert result.confidence[first] == 1
    assert np.allclose(result.central_weights.loc[first], small.weights, atol=1e-4)
    assert result.central_weights.drop(index=first).isna().all().all()


def test_a_unanimous_council_resamples_to_the_same_result() -> None:
    criteria = pz.load_criteria("customer-operations")
    requirements, scores, members = council_frames(6, 4, criteria, seed=9)
    first = scores["member"] == "m00"
    unanimous = (
        scores[first]
        .drop(columns="member")
        .merge(members[["id"]].rename(columns={"id": "member"}), how="cross")
    )
    evaluation = pz.evaluate(criteria, requirements, unanimous, members=members)
    plain = smaa(evaluation, samples=1_500, seed=4)
    resampled = smaa(evaluation, samples=1_500, seed=4, resample_members=True)
    assert np.allclose(plain.rank_acceptability, resampled.rank_acceptability)
    assert np.allclose(plain.category_acceptability, resampled.category_acceptability)


def _expanded_evaluation(
    criteria: pz.CriteriaSet,
    requirements: pd.DataFrame,
    scores: pd.DataFrame,
    members: pd.DataFrame,
    picks: dict[tuple[str, ...], list[str]],
    aggregation: str,
) -> pz.Evaluation:
    """The council made of the drawn members (one copy per draw), through pz.evaluate."""
    rows = []
    member_rows = []
    for pool_criteria, drawn in picks.items():
        for copy, member in enumerate(drawn):
            alias = f"{member}#{'/'.join(pool_criteria)[:20]}#{copy}"
            part = scores[(scores["member"] == member) & scores["criterion"].isin(pool_criteria)]
            rows.append(part.assign(member=alias))
            member_rows.append(members[members["id"] == member].assign(id=alias))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return pz.evaluate(
            criteria,
            requirements,
            pd.concat(rows, ignore_index=True),
            members=pd.concat(member_rows, ignore_index=True),
            aggregation=aggregation,
        )


@pytest.mark.parametrize("aggregation", ["mean", "median"])
def test_member_resampling_matches_a_straightforward_bootstrap(aggregation: str) -> None:
    criteria = pz.load_criteria("customer-operations")
    requirements, scores, members = council_frames(
        6, 6, criteria, seed=21, departments=("Legal", "Finance", "IT", "Operations", "Sales")
    )
    evaluation = pz.evaluate(
        criteria, requirements, scores, members=members, aggregation=aggregation
    )
    result = smaa(
        evaluation,
        samples=6_000,
        weights="council",
        concentration=1e9,
        resample_members=True,
        seed=5,
    )
    # The pools, written out: owners count for their criteria; everybody else for the rest.
    department = dict(zip(members["id"], members["department"], strict=True))
    pools: dict[tuple[str, ...], list[str]] = {}
    for criterion in criteria:
        owners = {o.casefold() for o in criterion.owners}
        counting = tuple(
            m for m in members["id"] if not owners or department[m].casefold() in owners
        )
        pools.setdefault(counting, []).append(criterion.id)
    rng = np.random.default_rng(99)
    n = len(evaluation.table)
    samples = 150
    ranks = np.zeros((n, n))
    categories = np.zeros((n, len(pz.CATEGORIES)))
    for _ in range(samples):
        picks = {
            tuple(crit): list(rng.choice(pool, size=len(pool), replace=True))
            for pool, crit in pools.items()
        }
        again = _expanded_evaluation(
            criteria, requirements, scores, members, picks, aggregation
        ).table.loc[evaluation.table.index]
        ranks[np.arange(n), again["rank"].to_numpy() - 1] += 1
        categories[np.arange(n), again["category"].cat.codes.to_numpy()] += 1
    assert within_sampling_error(
        result.rank_acceptability.to_numpy(), ranks / samples, 6_000, samples
    ).all()
    assert within_sampling_error(
        result.category_acceptability.to_numpy(), categories / samples, 6_000, samples
    ).all()
    # resampling the members really moves something in this council
    assert (result.rank_acceptability.max(axis=1) < 1).any()


def test_gates_are_re_read_on_each_drawn_council() -> None:
    # R0 is harmful (net value < 0) unless mandatory. Its legal gate (1.0, owned by Legal)
    # holds only when both Legal draws are m0 (who gave 1.0; m1 gave 0.0): probability
    # 1/4, and a mandatory requirement skips the harmful rule.
    mapping = criteria_mapping(
        [0.4, 0.4, 0.2],
        axes={"value": ([0], "utility"), "effort": ([1], "burden"), "urgency": ([2], "utility")},
        rules=[
            {"category": "Harmful requirement", "when": {"net_value": {"below": 0.0}}},
            {"category": "Limited enhancement", "when": {}},
        ],
        owners={2: ["Legal"]},
        gates={2: 1.0},
    )
    criteria = load(mapping)
    rows = []
    for member, legal in (("m0", 1.0), ("m1", 0.0), ("m2", 0.5)):
        rows += [("R0", member, "c0", 0.1), ("R0", member, "c1", 0.0), ("R0", member, "c2", legal)]
    scores = pd.DataFrame(rows, columns=["requirement_id", "member", "criterion", "score"])
    members = pd.DataFrame(
        {
            "id": ["m0", "m1", "m2"],
            "name": ["a", "b", "c"],
            "department": ["Legal", "Legal", "Sales"],
        }
    )
    evaluation = pz.evaluate(
        criteria, pd.DataFrame({"id": ["R0"], "title": ["R0"]}), scores, members=members
    )
    assert not evaluation.table["mandatory"].iloc[0]
    result = smaa(evaluation, samples=20_000, seed=3, resample_members=True)
    share = result.category_acceptability.loc["R0", "Limited enhancement"]
    assert share == pytest.approx(0.25, abs=4 * np.sqrt(0.25 * 0.75 / 20_000))
    fixed = smaa(evaluation, samples=2_000, seed=3)
    assert fixed.category_acceptability.loc["R0", "Harmful requirement"] == 1


def test_a_cell_a_draw_leaves_empty_keeps_the_council_aggregate() -> None:
    criteria = pz.load_criteria("customer-operations")
    requirements, scores, members = council_frames(5, 5, criteria, seed=3)
    # Only m00 scores R000 on customer_impact: a draw without m00 leaves that cell empty.
    gap = (
        (scores["requirement_id"] == "R000")
        & (scores["criterion"] == "customer_impact")
        & (scores["member"] != "m00")
    )
    evaluation = pz.evaluate(criteria, requirements, scores[~gap], members=members)
    result = smaa(evaluation, samples=400, seed=0, resample_members=True)
    assert any("kept the council's aggregate" in note for note in result.notes)
    assert np.allclose(result.category_acceptability.sum(axis=1), 1)


def test_samplers() -> None:
    rng = np.random.default_rng(0)
    council = np.array([0.4, 0.2, 0.2, 0.0, 0.2])
    uniform = sample_weights(council, 40_000, "uniform", rng=rng)
    assert np.allclose(uniform.sum(axis=1), 1)
    assert np.allclose(uniform.mean(axis=0), 0.2, atol=4 * 0.16 / np.sqrt(40_000))
    around = sample_weights(council, 40_000, "council", concentration=50, rng=rng)
    assert (around[:, 3] == 0).all()
    sd = np.sqrt(council * (1 - council) / 51)
    assert np.allclose(around.mean(axis=0), council, atol=4 * sd.max() / np.sqrt(40_000) + 1e-12)
    assert np.allclose(around.std(axis=0), sd, rtol=0.05)
    ordinal = sample_weights(council, 40_000, "ordinal", rng=rng)
    assert (ordinal[:, 3] == 0).all()
    assert (ordinal[:, 0] >= ordinal[:, [1, 2, 4]].max(axis=1)).all()
    # the three criteria tied at 0.2 are interchangeable: same marginals, every order
    tied = ordinal[:, [1, 2, 4]]
    assert np.allclose(tied.mean(axis=0), tied.mean(), atol=4 * tied.std() / np.sqrt(40_000))
    orders = pd.Series(map(tuple, np.argsort(tied, axis=1))).value_counts(normalize=True)
    assert len(orders) == 6 and np.allclose(orders, 1 / 6, atol=0.01)
    # uniform on the ordered region: the largest of a uniform 4-simplex point has mean
    # (1/4)(1 + 1/2 + 1/3 + 1/4) = 25/48 (order statistics of the Dirichlet(1, ..., 1))
    assert ordinal[:, 0].mean() == pytest.approx(25 / 48, abs=4 * 0.12 / np.sqrt(40_000))


def test_confidence_and_central_weights(small: pz.Evaluation) -> None:
    result = smaa(small, samples=5_000, seed=11)
    has = result.central_weights.dropna().index
    assert len(has) >= 2
    for rid in has:
        w = result.central_weights.loc[rid].to_numpy()
        assert w.sum() == pytest.approx(1)
        score = small.utility_array @ w
        is_first = score[small.table.index.get_loc(rid)] >= score.max() - 1e-9
        assert result.confidence[rid] == float(is_first)
    never = result.rank_acceptability[1] == 0
    assert result.confidence[never].isna().all()


def test_ties_share_the_best_rank() -> None:
    criteria = load(criteria_mapping([0.5, 0.5]))
    evaluation = evaluation_from_utilities(criteria, np.array([[0.9, 0.1], [0.9, 0.1], [0.2, 0.3]]))
    result = smaa(evaluation, samples=2_000, seed=0)
    assert np.allclose(result.rank_acceptability.sum(axis=1), 1)
    a, b = evaluation.table.index[:2]
    assert result.rank_acceptability.loc[a].equals(result.rank_acceptability.loc[b])
    # the tied pair shares the best rank of its group: "1, 1, 3" or "1, 2, 2", never 3rd
    assert result.rank_acceptability.loc[a, 3] == 0
    assert result.rank_acceptability.loc[evaluation.table.index[2], 2] == 0
    assert 0 < result.rank_acceptability.loc[a, 2] < 1
    assert result.pairwise_winning is not None
    assert result.pairwise_winning.loc[a, b] == 0 == result.pairwise_winning.loc[b, a]


def test_pairwise_is_skipped_for_many_requirements_unless_asked() -> None:
    criteria = load(criteria_mapping([0.5, 0.3, 0.2]))
    utility = np.random.default_rng(0).random((smaa_module.PAIRWISE_AUTO_LIMIT + 1, 3))
    evaluation = evaluation_from_utilities(criteria, utility)
    skipped = smaa(evaluation, samples=20)
    assert skipped.pairwise_winning is None
    assert any("pairwise" in note for note in skipped.notes)
    forced = smaa(evaluation, samples=20, pairwise=True)
    assert forced.pairwise_winning is not None


@pytest.mark.parametrize(
    "kwargs",
    [{"samples": 0}, {"samples": 2.5}, {"weights": "flat"}, {"concentration": -1.0}, {"seed": -3}],
)
def test_bad_arguments_are_validation_errors(
    small: pz.Evaluation, kwargs: dict[str, object]
) -> None:
    with pytest.raises(pz.ValidationError):
        smaa(small, **kwargs)  # type: ignore[arg-type]


@settings(max_examples=15, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    mode=st.sampled_from(["uniform", "council", "ordinal"]),
    resample=st.booleans(),
)
def test_permuting_requirements_permutes_the_result(seed: int, mode: str, resample: bool) -> None:
    criteria = pz.load_criteria("customer-operations")
    requirements, scores, members = council_frames(7, 5, criteria, seed=seed, discrete=False)
    order = np.random.default_rng(seed).permutation(len(requirements))
    shuffled = requirements.iloc[order]
    a = smaa(
        pz.evaluate(criteria, requirements, scores, members=members),
        samples=300,
        weights=mode,
        seed=seed,
        resample_members=resample,
    )  # type: ignore[arg-type]
    b = smaa(
        pz.evaluate(criteria, shuffled, scores.sample(frac=1, random_state=seed), members=members),
        samples=300,
        weights=mode,
        seed=seed,  # type: ignore[arg-type]
        resample_members=resample,
    )
    ids = a.rank_acceptability.index
    assert np.allclose(a.rank_acceptability, b.rank_acceptability.loc[ids])
    assert np.allclose(a.category_acceptability, b.category_acceptability.loc[ids])
    assert a.pairwise_winning is not None and b.pairwise_winning is not None
    assert np.allclose(a.pairwise_winning, b.pairwise_winning.loc[ids, ids])
