"""Viewpoints against ``pz.evaluate`` run on one department's scores alone."""

from __future__ import annotations

import dataclasses
import warnings

import numpy as np
import pandas as pd
import pytest

import prioritize as pz
from prioritize.sensitivity import viewpoints
from tests.sensitivity.support import council_frames


def _without_owners(criteria: pz.CriteriaSet) -> pz.CriteriaSet:
    return dataclasses.replace(
        criteria, criteria=tuple(dataclasses.replace(c, owners=()) for c in criteria.criteria)
    )


@pytest.fixture(scope="module")
def example() -> pz.Evaluation:
    return pz.evaluate_example()


def test_each_department_alone_equals_evaluate_on_its_scores(example: pz.Evaluation) -> None:
    result = viewpoints(example, k=5)
    members = example.members
    assert members is not None
    scores = example.scores.table
    open_criteria = _without_owners(example.criteria)
    for department, rows in result.table.groupby(level="viewpoint"):
        ids = members.table.index[members.table["department"] == department]
        own = scores[scores["member"].isin(ids)]
        alone = pz.evaluate(open_criteria, example.requirements, own, members=members)
        got = rows.droplevel("viewpoint").loc[alone.table.index]
        assert np.allclose(got["score"], alone.table["score"], atol=1e-12)
        assert (got["rank"].to_numpy() == alone.table["rank"].to_numpy()).all()
        assert (
            got["category"].astype(str).to_numpy() == alone.table["category"].astype(str).to_numpy()
        ).all()
        assert (got["mandatory"].to_numpy() == alone.table["mandatory"].to_numpy()).all()
        assert (got["coverage"] == 1).all()


def test_flags_and_summary_are_consistent(example: pz.Evaluation) -> None:
    result = viewpoints(example, k=5)
    table = result.table
    council = example.table
    ids = table.index.get_level_values("requirement")
    assert (table["council_rank"].to_numpy() == council.loc[ids, "rank"].to_numpy()).all()
    changed = table["category"].astype(str) != table["council_category"].astype(str)
    assert (table["changed_category"] == changed).all()
    assert (table["left_top_k"] == ((table["council_rank"] <= 5) & (table["rank"] > 5))).all()
    assert (table["entered_top_k"] == ((table["council_rank"] > 5) & (table["rank"] <= 5))).all()
    flips = result.flips
    assert (flips["changed_category"] | flips["left_top_k"]).all()
    assert len(flips) == int((table["changed_category"] | table["left_top_k"]).sum())
    by_view = table.groupby(level="viewpoint")
    assert (result.summary["changed_category"] == by_view["changed_category"].sum()).all()
    assert (result.summary["left_top_k"] == by_view["left_top_k"].sum()).all()
    assert result.summary.loc["Sales", "members"] == 2
    # requirements come in the council's rank order, every viewpoint for each
    assert list(dict.fromkeys(ids)) == list(council.index)
    assert len(flips) > 0  # the example's departments do disagree


def test_missing_cells_keep_the_council_aggregate() -> None:
    criteria = pz.load_criteria("customer-operations")
    requirements, scores, members = council_frames(6, 5, criteria, seed=4)
    # Sales (m04) did not score R000 at all, nor R001 on customer_impact
    drop = (scores["member"] == "m04") & (
        (scores["requirement_id"] == "R000")
        | ((scores["requirement_id"] == "R001") & (scores["criterion"] == "customer_impact"))
    )
    evaluation = pz.evaluate(criteria, requirements, scores[~drop], members=members)
    result = viewpoints(evaluation, k=3)
    sales = result.table.xs("Sales", level="viewpoint")
    assert sales.loc["R000", "coverage"] == 0
    assert sales.loc["R001", "coverage"] == pytest.approx(0.9)
    assert sales.loc["R000", "score"] == pytest.approx(evaluation.table.loc["R000", "score"])
    # R001: Sales' own scores, except customer_impact which is the council's aggregate
    own = scores[(scores["member"] == "m04") & (scores["requirement_id"] == "R001")]
    raw = own.set_index("criterion")["score"].reindex(list(criteria.ids))
    raw["customer_impact"] = evaluation.aggregated.loc["R001", "customer_impact"]
    low = np.array([c.scale.min for c in criteria])
    span = np.array([c.scale.span for c in criteria])
    cost = np.array([c.direction == "cost" for c in criteria])
    u = (raw.to_numpy() - low) / span
    u = np.where(cost, 1 - u, u)
    assert sales.loc["R001", "score"] == pytest.approx(float(u @ evaluation.weights))


def test_by_member_needs_no_departments() -> None:
    criteria = pz.load_criteria("customer-operations")
    requirements, scores, _ = council_frames(5, 3, criteria, seed=2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", pz.OwnersIgnoredWarning)
        evaluation = pz.evaluate(criteria, requirements, scores)
    with pytest.raises(pz.ValidationError, match="members"):
        viewpoints(evaluation)
    result = viewpoints(evaluation, by="member", k=2)
    assert sorted(result.summary.index) == ["m00", "m01", "m02"]
    for member in ("m00", "m02"):
        with pytest.warns(pz.OwnersIgnoredWarning):
            alone = pz.evaluate(criteria, requirements, scores[scores["member"] == member])
        got = result.table.xs(member, level="viewpoint").loc[alone.table.index]
        assert np.allclose(got["score"], alone.table["score"])


@pytest.mark.parametrize("kwargs", [{"by": "role"}, {"k": 0}])
def test_bad_arguments(example: pz.Evaluation, kwargs: dict[str, object]) -> None:
    with pytest.raises(pz.ValidationError):
        viewpoints(example, **kwargs)  # type: ignore[arg-type]


def test_viewpoints_use_the_evaluation_aggregation() -> None:
    criteria = pz.load_criteria("customer-operations")
    requirements, scores, members = council_frames(6, 10, criteria, seed=8)
    evaluation = pz.evaluate(criteria, requirements, scores, members=members, aggregation="median")
    result = viewpoints(evaluation, k=3)
    ids = members["id"][members["department"] == "Legal"]
    alone = pz.evaluate(
        _without_owners(criteria),
        requirements,
        scores[scores["member"].isin(ids)],
        members=members,
        aggregation="median",
    )
    got = result.table.xs("Legal", level="viewpoint").loc[alone.table.index]
    assert np.allclose(got["score"], alone.table["score"])
    assert isinstance(result.table, pd.DataFrame) and result.by == "department"
