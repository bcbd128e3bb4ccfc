"""Invariants of the model, checked by hypothesis on generated councils."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import prioritize as pz
from prioritize.model.categories import MANDATORY_EXCLUDED
from tests.conftest import make_council

CRITERIA = pz.load_criteria("customer-operations")
SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

councils = st.builds(
    make_council,
    n_requirements=st.integers(2, 15),
    n_members=st.integers(4, 8),  # the first four cover every owner department
    seed=st.integers(0, 10_000),
)


def run(
    requirements: pd.DataFrame,
    scores: pd.DataFrame,
    members: pd.DataFrame,
    criteria: pz.CriteriaSet = CRITERIA,
    aggregation: str = "mean",
) -> pz.Evaluation:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", pz.IncompleteScoresWarning)
        return pz.evaluate(criteria, requirements, scores, members=members, aggregation=aggregation)


def by_id(ev: pz.Evaluation) -> pd.DataFrame:
    return ev.table.sort_index()


@SETTINGS
@given(council=councils, data=st.data(), aggregation=st.sampled_from(["mean", "median", "trimmed"]))
def test_permuting_requirements_members_and_rows_changes_nothing(
    council: tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame], data: st.DataObject, aggregation: str
) -> None:
    requirements, scores, members = council
    base = run(requirements, scores, members, aggregation=aggregation)
    req_order = data.draw(st.permutations(range(len(requirements))))
    member_order = data.draw(st.permutations(range(len(members))))
    row_order = np.random.default_rng(data.draw(st.integers(0, 99))).permutation(len(scores))
    shuffled = run(
        requirements.iloc[list(req_order)],
        scores.iloc[row_order],
        members.iloc[list(member_order)],
        aggregation=aggregation,
    )
    a, b = by_id(base), by_id(shuffled)
    pd.testing.assert_frame_equal(a.drop(columns="score"), b.drop(columns="score"))
    np.testing.assert_allclose(a["score"], b["score"], rtol=0, atol=1e-12)


@SETTINGS
@given(council=councils, factor=st.floats(1e-3, 1e3))
def test_scaling_all_weights_changes_nothing(
    council: tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame], factor: float
) -> None:
    requirements, scores, members = council
    scaled = CRITERIA.with_weights({c.id: c.weight * factor for c in CRITERIA})
    a = by_id(run(requirements, scores, members))
    b = by_id(run(requirements, scores, members, criteria=scaled))
    np.testing.assert_allclose(a["score"], b["score"], atol=1e-12)
    assert (a["category"] == b["category"]).all()
    assert (a["rank"] == b["rank"]).all()


@SETTINGS
@given(council=councils, data=st.data())
def test_raising_a_benefit_score_never_lowers_the_priority(
    council: tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame], data: st.DataObject
) -> None:
    requirements, scores, members = council
    benefit = [c.id for c in CRITERIA if c.direction == "benefit"]
    candidates = scores.index[scores["criterion"].isin(benefit) & (scores["score"] < 5)]
    if candidates.empty:
        return
    row = data.draw(st.sampled_from(list(candidates)))
    raised = scores.copy()
    raised.loc[row, "score"] = data.draw(st.integers(int(scores.loc[row, "score"]) + 1, 5))
    rid = scores.loc[row, "requirement_id"]
    before = run(requirements, scores, members).table.loc[rid, "score"]
    after = run(requirements, raised, members).table.loc[rid, "score"]
    assert after >= before - 1e-12


@SETTINGS
@given(council=councils)
def test_utilities_in_unit_interval_rank_agrees_with_score_mandatory_is_never_rejected(
    council: tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame],
) -> None:
    ev = run(*council)
    u = ev.utilities.to_numpy()
    assert np.all((u >= 0) & (u <= 1))
    table = ev.table
    scores = table["score"].to_numpy()
    for rank, score in zip(table["rank"], scores, strict=True):
        assert rank == 1 + np.sum(scores > score + 1e-9)
    mandatory = table[table["mandatory"]]
    assert not mandatory["category"].astype(str).isin(MANDATORY_EXCLUDED).any()
    for axis in ("value", "effort", "urgency"):
        assert table[axis].between(0, 1).all()


@SETTINGS
@given(council=councils, aggregation=st.sampled_from(["mean", "median", "trimmed"]))
def test_identical_members_agree_with_any_one_of_them(
    council: tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame], aggregation: str
) -> None:
    requirements, scores, members = council
    first = members["id"].iloc[0]
    one = scores[scores["member"] == first]
    clones = pd.concat([one.assign(member=m) for m in members["id"]], ignore_index=True)
    crowd = run(requirements, clones, members, aggregation=aggregation)
    expected = one.pivot(index="requirement_id", columns="criterion", values="score")
    expected = expected.loc[crowd.aggregated.index, list(CRITERIA.ids)]
    np.testing.assert_array_equal(crowd.aggregated.to_numpy(), expected.to_numpy())


def test_evaluation_is_frozen() -> None:
    ev = pz.evaluate_example()
    with pytest.raises(AttributeError):
        ev.aggregation = "median"  # type: ignore[misc]
    with pytest.raises(ValueError, match="read-only"):
        ev.utility_array[0, 0] = 1.0
