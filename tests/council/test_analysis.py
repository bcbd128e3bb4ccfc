"""council/analysis.py: one flag recipe, one debate order, reweighting that keeps the
round's aggregation and trim."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

import prioritize as pz
from prioritize.council.analysis import flagged_requirements, reweight, round_flags
from prioritize.council.flags import FLAG_SEVERITY
from tests.conftest import make_council


def test_reweight_keeps_aggregation_and_trim() -> None:
    requirements, scores, members = make_council(15, 9, seed=3)
    base = pz.evaluate(
        "customer-operations",
        requirements,
        scores,
        members=members,
        aggregation="trimmed",
        trim=0.3,
    )
    weights = {c: float(w) for c, w in base.weights.items()}
    weights["customer_impact"] *= 3
    moved = reweight(base, weights)
    expected = pz.evaluate(
        base.criteria.with_weights(weights),
        requirements,
        scores,
        members=members,
        aggregation="trimmed",
        trim=0.3,
    )
    assert (moved.aggregation, moved.trim) == ("trimmed", 0.3)
    pd.testing.assert_frame_equal(moved.table, expected.table)
    # with the default trim the result would differ: the test can tell them apart
    default = pz.evaluate(
        base.criteria.with_weights(weights),
        requirements,
        scores,
        members=members,
        aggregation="trimmed",
    )
    assert not np.allclose(default.table["score"], moved.table.loc[default.table.index, "score"])


def test_the_example_round_flags_follow_the_severity_order() -> None:
    evaluation = pz.evaluate_example()
    flags = round_flags(evaluation)
    assert len(flags) > 2
    level = flags["flag"].map({k: i for i, k in enumerate(FLAG_SEVERITY)})
    for _, group in level.groupby(flags["requirement_id"].to_numpy()):
        assert list(group) == sorted(group)
    order = flagged_requirements(flags)
    worst = level.groupby(flags["requirement_id"].to_numpy()).min()
    assert list(worst.reindex(order)) == sorted(worst)


@given(
    st.lists(
        st.tuples(st.sampled_from("ABCDEFG"), st.sampled_from(FLAG_SEVERITY)),
        min_size=1,
        max_size=30,
    )
)
def test_flagged_order_matches_a_brute_force_sort(rows: list[tuple[str, str]]) -> None:
    ranks = {r: i + 1 for i, r in enumerate("ABCDEFG")}
    flags = pd.DataFrame(
        {
            "requirement_id": [r for r, _ in rows],
            "flag": [f for _, f in rows],
            "rank": [ranks[r] for r, _ in rows],
        }
    )
    ids = sorted({r for r, _ in rows})

    def key(rid: str) -> tuple[int, int, int]:
        kinds = [FLAG_SEVERITY.index(f) for r, f in rows if r == rid]
        return (min(kinds), -len(kinds), ranks[rid])

    assert flagged_requirements(flags) == sorted(ids, key=key)
