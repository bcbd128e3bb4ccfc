"""Do the exact one-at-a-time intervals and SMAA tell the same story?

Issue 3 asks: a placement whose category interval covers [0, 1] for every criterion should
have category acceptability 1 under uniform weights (members not resampled). That holds
when every rule tests one and the same measure, the score or one axis: the category is then
a function of that one number, whose whole range over the simplex the sweeps already run
through (the score is linear and reaches each criterion's utility at its vertex; an axis is
a weighted mean of its criteria and reaches each of them). It is a theorem there, tested
below on generated data.

It does not hold in general, and the tests below pin two counterexamples down with exact
numbers: a rule joining two measures fed by different criteria (``urgency >= 0.7 and
effort < 0.5``), and a rule on net value alone (value minus effort, again two groups of
criteria). Moving one weight at a time moves one axis at a time; weightings that move both
at once can reach another category though no single sweep does. The intervals answer "how
far can this one weight go", SMAA answers "over all weightings"; the report says so.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import prioritize as pz
from prioritize.sensitivity import smaa, stability_intervals
from tests.sensitivity.support import (
    criteria_mapping,
    evaluation_from_utilities,
    load,
    state,
)


def full_interval_placements(evaluation: pz.Evaluation) -> np.ndarray:
    frame = stability_intervals(evaluation, scope="category")
    full = (frame["lower"] == 0) & (frame["upper"] == 1)
    return (
        full.groupby(level="requirement", sort=False).all().loc[evaluation.table.index].to_numpy()
    )


def acceptability_of_current(evaluation: pz.Evaluation, samples: int, seed: int = 0) -> np.ndarray:
    result = smaa(evaluation, samples=samples, weights="uniform", seed=seed, pairwise=False)
    return result.acceptability_of(evaluation.table["category"]).to_numpy()


def test_bundled_example() -> None:
    evaluation = pz.evaluate_example()
    full = full_interval_placements(evaluation)
    accept = acceptability_of_current(evaluation, 20_000)
    assert full.sum() >= 5  # the check is not vacuous on the example
    assert (accept[full] == 1).all()


SINGLE_MEASURE_AXES = {
    "value": ([0, 1, 2], "utility"),
    "effort": ([2, 3], "burden"),
    "urgency": ([3, 4], "utility"),
}


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 100_000),
    measure=st.sampled_from(["score", "value", "effort"]),
    levels=st.sampled_from([0, 3, 5]),
    thresholds=st.lists(st.floats(0.05, 0.95), min_size=1, max_size=3, unique=True),
    gate=st.booleans(),
)
def test_single_measure_rules_agree_with_smaa(
    seed: int, measure: str, levels: int, thresholds: list[float], gate: bool
) -> None:
    rng = np.random.default_rng(seed)
    utility = rng.random((12, 5))
    if levels:
        utility = np.round(utility * (levels - 1)) / (levels - 1)
    weights = rng.dirichlet(np.ones(5))
    cuts = sorted(thresholds, reverse=True)
    names = ["High-value improvement", "Low-value request", "Strategic investment"]
    rules = [
        {"category": names[i], "when": {measure: {"at_least": cut}}} for i, cut in enumerate(cuts)
    ]
    rules.append({"category": "Limited enhancement", "when": {}})
    mapping = criteria_mapping(
        list(weights), axes=SINGLE_MEASURE_AXES, rules=rules, gates={4: 0.9} if gate else None
    )
    evaluation = evaluation_from_utilities(load(mapping), utility)
    full = full_interval_placements(evaluation)
    accept = acceptability_of_current(evaluation, 4_000, seed=seed)
    assert (accept[full] == 1).all()


def _two_by_two(rules: list[dict[str, object]], utility: list[float]) -> pz.Evaluation:
    """Criteria a, b feed value and urgency; c, d feed effort (as burden); equal weights."""
    mapping = criteria_mapping(
        [0.25, 0.25, 0.25, 0.25],
        axes={
            "value": ([0, 1], "utility"),
            "effort": ([2, 3], "burden"),
            "urgency": ([0, 1], "utility"),
        },
        rules=rules,
    )
    return evaluation_from_utilities(load(mapping), np.array([utility]))


def test_counterexample_two_measures_in_one_rule() -> None:
    # urgency = mean of (1.0, 0.2) = 0.6; effort = mean of burdens (0.8, 0.3) = 0.55.
    # Sweeping a or b moves urgency over (0.2, 1) with effort fixed at 0.55; sweeping c or d
    # moves effort over (0.3, 0.8) with urgency fixed at 0.6: never both, so never
    # Immediate control. Jointly: urgency >= 0.7 iff r = w_a / (w_a + w_b) >= 0.625 and
    # effort < 0.5 iff s = w_c / (w_c + w_d) < 0.4; under uniform weights r and s are
    # independent uniforms, so P(Immediate control) = 0.375 * 0.4 = 0.15.
    rules = [
        {
            "category": "Immediate control",
            "when": {"urgency": {"at_least": 0.7}, "effort": {"below": 0.5}},
        },
        {"category": "Limited enhancement", "when": {}},
    ]
    evaluation = _two_by_two(rules, [1.0, 0.2, 0.2, 0.7])
    assert evaluation.table["category"].iloc[0] == "Limited enhancement"
    assert full_interval_placements(evaluation).all()
    accept = acceptability_of_current(evaluation, 20_000)[0]
    assert accept == pytest.approx(0.85, abs=4 * np.sqrt(0.15 * 0.85 / 20_000))
    # one weighting that moves both axes at once, through the public evaluate
    criteria = evaluation.criteria.with_weights({"c0": 0.45, "c1": 0.05, "c2": 0.05, "c3": 0.45})
    again = pz.evaluate(criteria, evaluation.requirements, evaluation.scores)
    assert again.table["category"].iloc[0] == "Immediate control"
    assert again.table["urgency"].iloc[0] == pytest.approx(0.92)
    assert again.table["effort"].iloc[0] == pytest.approx(0.35)


def test_counterexample_net_value_alone() -> None:
    # value = mean of (0.5, 1.0) = 0.75; effort = mean of burdens (0.0, 0.6) = 0.3.
    # One weight at a time: value stays >= 0.5 with effort 0.3, or effort stays <= 0.6 with
    # value 0.75: net value never below 0.15. Jointly value = 1 - r / 2 and
    # effort = 0.6 (1 - s) with r, s independent uniforms; net value < 0 iff
    # r > 0.8 + 1.2 s, of probability int_0^(1/6) (0.2 - 1.2 s) ds = 1/60.
    rules = [
        {"category": "Harmful requirement", "when": {"net_value": {"below": 0.0}}},
        {"category": "Limited enhancement", "when": {}},
    ]
    evaluation = _two_by_two(rules, [0.5, 1.0, 1.0, 0.4])
    assert evaluation.table["net_value"].iloc[0] == pytest.approx(0.45)
    assert full_interval_placements(evaluation).all()
    accept = acceptability_of_current(evaluation, 20_000)[0]
    p = 1 / 60
    assert accept == pytest.approx(1 - p, abs=4 * np.sqrt(p * (1 - p) / 20_000))
    code = state(evaluation, np.array([0.49, 0.01, 0.01, 0.49]))[2][0]
    assert pz.CATEGORIES[code] == "Harmful requirement"
