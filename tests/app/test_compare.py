"""The Compare rounds page: what moved between two revealed rounds, split exactly into the
part due to the new weights and the part due to changed scores, in words and in a chart."""

from __future__ import annotations

import re

import pytest

from prioritize.store import Store
from prioritize.store.example import ExampleImport
from tests.app.test_pages import signed_in, texts

#: Members who rate REQ-002 (One approved product and service catalogue) higher in Q3.
CONVINCED = ("m02", "m03", "m04", "m06", "m08", "m09")
RAISED = ("customer_impact", "error_reduction", "revenue_retention", "strategic_alignment")


def _second_round(store: Store) -> int:
    """Round 2 "Q3": round 1's scores, six members now rating REQ-002 high with a new
    reason, customer impact weighted more; revealed."""
    facilitator = store.session("m01", "m01-demo")
    q3 = facilitator.start_from(1, "Q3").id
    facilitator.start_scoring(q3)
    before = facilitator.scores(1)[["requirement_id", "member", "criterion", "score", "reason"]]
    for member, rows in before.groupby("member"):
        rows = rows.reset_index(drop=True)
        if member in CONVINCED:
            raised = (rows["requirement_id"] == "REQ-002") & rows["criterion"].isin(RAISED)
            rows.loc[raised, "score"] = 5.0
            rows.loc[raised, "reason"] = "The catalogue is what every other fix rests on."
        store.session(str(member), f"{member}-demo").import_scores(q3, rows)
    facilitator.set_weights(q3, {"customer_impact": 0.24})
    facilitator.reveal(q3)
    return q3


def test_the_page_names_the_biggest_move_and_its_exact_split(
    council: tuple[Store, ExampleImport],
) -> None:
    store, _ = council
    q3 = _second_round(store)
    diff = store.session("m02", "m02-demo").round_diff(1, q3)
    row = diff.table.loc["REQ-002"]
    assert row["rank_change"] > 0 and row["due_to_scores"] > 0  # the fixture does move it
    assert row["due_to_weights"] + row["due_to_scores"] == pytest.approx(row["score_change"])
    moved = diff.moved[diff.moved["status"] == "both"]
    biggest = moved["rank_change"].abs().astype(float).max()
    assert abs(row["rank_change"]) == biggest  # the requirement that moved most

    at = signed_in(store, "m02", "compare")
    assert not at.exception
    shown = texts(at)
    sentence = next(line for line in shown.splitlines() if "REQ\\-002" in line)
    rank_a, rank_b = int(row["rank_a"]), int(row["rank_b"])
    assert f"rose from rank {rank_a} to {rank_b}" in sentence
    assert "One approved product and service catalogue" in sentence
    parts = re.search(
        r"([+-]\d\.\d{3}) from the new weights, ([+-]\d\.\d{3}) from changed", sentence
    )
    assert parts is not None
    weights_part, scores_part = float(parts[1]), float(parts[2])
    assert weights_part == pytest.approx(row["due_to_weights"], abs=5e-4)
    assert scores_part == pytest.approx(row["due_to_scores"], abs=5e-4)
    assert weights_part + scores_part == pytest.approx(row["score_change"], abs=1e-3)
    assert "Customer impact" in shown  # criterion names, never ids
    assert "customer_impact" not in shown

    moved_table = at.dataframe[0].value  # moved, weights, scores
    assert moved_table.iloc[0]["Requirement"] == "REQ-002"  # biggest moves first
    assert "Jonas Weber" in moved_table.iloc[0]["Whose scores changed"]
    assert not moved_table.columns.str.contains("_").any()
    changes = at.dataframe[-1].value
    assert len(changes) == len(diff.score_changes)
    assert set(changes["Reason now"]) == {"The catalogue is what every other fix rests on."}
    assert len(at.get("plotly_chart")) == 1


def test_with_one_revealed_round_the_page_says_so(council: tuple[Store, ExampleImport]) -> None:
    store, _ = council
    facilitator = store.session("m01", "m01-demo")
    facilitator.start_scoring(facilitator.start_from(1, "Q3").id)  # blind: not comparable yet
    at = signed_in(store, "m02", "compare")
    assert not at.exception
    assert "two rounds whose scores have been revealed" in texts(at)
    assert "you can see 1 so far" in texts(at)
    assert not at.get("plotly_chart")
