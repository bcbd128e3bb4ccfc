"""Members' weight proposals in the store: blind until the reveal like scores, written only
by their member, every version kept; the facilitator adopts the council's weights (or
others, with a rationale) as a hash-chained entry of the decision log whose basis the audit
rebuilds."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from sqlalchemy.exc import DBAPIError

from prioritize.council.decisions import ADOPT_WEIGHTS, latest_decisions
from prioritize.errors import PermissionDenied, ValidationError
from prioritize.store import ConflictError, verify_log
from tests.databases import drop_append_only, raw
from tests.store.council import Council

POINTS_M01 = {"points": {"impact": 20, "legal": 60, "cost": 20}}
POINTS_M02 = {"points": {"impact": 30, "legal": 10, "cost": 60}}
RANKS_F01 = {"ranks": {"impact": 1, "legal": 2, "cost": 3}}


def _history(path: object, round_id: int) -> list[tuple[str, int, str]]:
    with raw(path) as conn:
        return conn.execute(
            "SELECT member, version, weights FROM proposal_history WHERE round_id = ? ORDER BY id",
            (round_id,),
        ).fetchall()


def test_a_proposal_is_blind_until_the_reveal(council_db: Council) -> None:
    round_id = council_db.scoring
    mine = council_db.session("m01").propose_weights(round_id, "points", POINTS_M01, "law first")
    assert mine.members == ["m01"]
    assert mine.weights.loc["m01"].to_dict() == pytest.approx(
        {"impact": 0.2, "legal": 0.6, "cost": 0.2}, abs=1e-15
    )
    assert mine.table.at["m01", "department"] == "Legal"
    # nobody else reads it while scoring, the facilitator included
    assert len(council_db.session("m02").weight_proposals(round_id)) == 0
    assert len(council_db.session("f01").weight_proposals(round_id)) == 0
    council_db.session("m02").propose_weights(round_id, "points", POINTS_M02, "cost matters")
    facilitator = council_db.session("f01")
    facilitator.reveal(round_id)
    everyone = council_db.session("o01").weight_proposals(round_id)
    assert everyone.members == ["m01", "m02"]
    assert everyone.table.at["m02", "reason"] == "cost matters"


def test_a_change_names_the_version_read_and_every_version_is_kept(council_db: Council) -> None:
    round_id = council_db.scoring
    m01 = council_db.session("m01")
    m01.propose_weights(round_id, "points", POINTS_M01, "law first")
    with pytest.raises(ConflictError, match="version 1"):
        m01.propose_weights(round_id, "rank", RANKS_F01, "changed my mind")
    changed = m01.propose_weights(round_id, "rank", RANKS_F01, "changed my mind", version=1)
    assert changed.table.at["m01", "version"] == 2
    assert changed.table.at["m01", "method"] == "rank"
    # rank-order centroid weights for three criteria (Barron & Barrett 1996)
    assert changed.weights.loc["m01"].tolist() == pytest.approx(
        [11 / 18, 5 / 18, 2 / 18], abs=1e-12
    )
    with pytest.raises(ConflictError):
        m01.propose_weights(round_id, "points", POINTS_M01, "again", version=1)
    rows = _history(council_db.path, round_id)
    assert [(m, v) for m, v, _ in rows] == [("m01", 1), ("m01", 2)]
    assert json.loads(rows[0][2]) == pytest.approx({"impact": 0.2, "legal": 0.6, "cost": 0.2})


def test_the_proposal_history_refuses_updates_and_deletes(council_db: Council) -> None:
    council_db.session("m01").propose_weights(council_db.scoring, "points", POINTS_M01, "law")
    with raw(council_db.path) as conn:
        with pytest.raises(DBAPIError, match="append-only"):
            conn.execute("UPDATE proposal_history SET weights = '{}'")
        with pytest.raises(DBAPIError, match="append-only"):
            conn.execute("DELETE FROM proposal_history")


@pytest.mark.parametrize(
    ("method", "answer", "reason", "message"),
    [
        ("points", {"points": {"impact": 20, "legal": 60, "cost": 19}}, "why", "99"),
        ("points", POINTS_M01, "   ", "needs a reason"),
        ("votes", POINTS_M01, "why", "votes"),
        ("points", {"points": {"impact": 50, "legal": 50}}, "why", "cost"),
    ],
)
def test_a_bad_proposal_is_refused_and_nothing_is_written(
    council_db: Council, method: str, answer: dict[str, object], reason: str, message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        council_db.session("m01").propose_weights(council_db.scoring, method, answer, reason)
    assert _history(council_db.path, council_db.scoring) == []


def test_only_scoring_members_propose_and_only_while_the_round_takes_scores(
    council_db: Council,
) -> None:
    with pytest.raises(PermissionDenied):
        council_db.session("o01").propose_weights(council_db.scoring, "points", POINTS_M01, "x")
    with pytest.raises(PermissionDenied):
        council_db.session("x01").propose_weights(council_db.scoring, "points", POINTS_M01, "x")
    with pytest.raises(ValidationError, match="draft"):
        council_db.session("m01").propose_weights(council_db.draft, "points", POINTS_M01, "x")


def _propose_in_debate(council_db: Council) -> int:
    round_id = council_db.debate
    council_db.session("m01").propose_weights(round_id, "points", POINTS_M01, "law first")
    council_db.session("m02").propose_weights(round_id, "points", POINTS_M02, "cost matters")
    return round_id


def test_adopting_the_council_mean_sets_the_weights_and_logs_the_basis(
    council_db: Council,
) -> None:
    round_id = _propose_in_debate(council_db)
    facilitator = council_db.session("f01")
    proposals = facilitator.weight_proposals(round_id)
    mean = proposals.aggregate("mean").weights
    assert mean.to_dict() == pytest.approx({"impact": 0.25, "legal": 0.35, "cost": 0.4})
    entry = facilitator.adopt_weights(round_id, mean.to_dict())
    assert entry.outcome == ADOPT_WEIGHTS and entry.adopts_weights
    assert entry.category == "mean" and not entry.override and entry.rank == 2
    assert entry.requirement_id == "" and entry.proposals_upto is not None
    assert facilitator.criteria(round_id).weights.to_dict() == pytest.approx(mean.to_dict())
    log = facilitator.decisions(round_id)
    assert log["outcome"].tolist()[-1] == ADOPT_WEIGHTS
    assert len(latest_decisions(log)) == len(log) - 1  # it decides no requirement
    # the chain goes on: a requirement decided after the adoption rests on the new weights
    facilitator.record_decision(round_id, "R1", "approve")
    check = verify_log(council_db.path)
    assert check.ok, check.problems


def test_the_median_is_recognised_and_other_weights_need_a_rationale(
    council_db: Council,
) -> None:
    round_id = _propose_in_debate(council_db)
    council_db.session("f01").propose_weights(round_id, "rank", RANKS_F01, "impact first")
    facilitator = council_db.session("f01")
    median = facilitator.weight_proposals(round_id).aggregate("median").weights
    assert facilitator.adopt_weights(round_id, median.to_dict()).category == "median"
    other = {"impact": 0.5, "legal": 0.25, "cost": 0.25}
    with pytest.raises(ValidationError, match="rationale"):
        facilitator.adopt_weights(round_id, other)
    before = facilitator.criteria(round_id).weights
    # nothing half-written: the refused adoption left the weights as they were
    assert before.to_dict() == pytest.approx(median.to_dict())
    entry = facilitator.adopt_weights(round_id, other, "the board's strategy puts impact first")
    assert entry.override and entry.category == "other"
    assert verify_log(council_db.path).ok


def test_only_the_facilitator_adopts_and_only_during_the_debate(council_db: Council) -> None:
    round_id = _propose_in_debate(council_db)
    with pytest.raises(PermissionDenied):
        council_db.session("m01").adopt_weights(round_id, {"impact": 1, "legal": 1, "cost": 1})
    with pytest.raises(ValidationError, match="scoring"):
        council_db.session("f01").adopt_weights(
            council_db.scoring, {"impact": 1, "legal": 1, "cost": 1}, "x"
        )
    with pytest.raises(ValidationError, match="nope"):
        council_db.session("f01").adopt_weights(round_id, {"nope": 1}, "x")


def test_a_proposal_edited_behind_the_store_is_named(council_db: Council) -> None:
    round_id = _propose_in_debate(council_db)
    with raw(council_db.path) as conn:
        conn.execute(
            "UPDATE weight_proposals SET reason = 'forged' WHERE round_id = ? AND member = 'm02'",
            (round_id,),
        )
    check = verify_log(council_db.path)
    assert not check.ok
    assert any("weight proposal of m02 differs from its history" in p for p in check.problems)


def test_a_rewritten_proposal_history_breaks_the_adoption_that_rested_on_it(
    council_db: Council,
) -> None:
    round_id = _propose_in_debate(council_db)
    facilitator = council_db.session("f01")
    mean = facilitator.weight_proposals(round_id).aggregate("mean").weights
    entry = facilitator.adopt_weights(round_id, mean.to_dict())
    with raw(council_db.path) as conn:
        drop_append_only(conn, "proposal_history")
        conn.execute(
            "UPDATE proposal_history SET reason = 'forged' WHERE round_id = ? AND member = 'm01'",
            (round_id,),
        )
        conn.execute(
            "UPDATE weight_proposals SET reason = 'forged' WHERE round_id = ? AND member = 'm01'",
            (round_id,),
        )
    check = verify_log(council_db.path)
    assert not check.ok
    assert any(
        f"entry {entry.seq}" in p and "weights or proposals it rested on" in p
        for p in check.problems
    )


def test_weights_adopted_then_proposals_changed_keep_the_adoption_valid(
    council_db: Council,
) -> None:
    round_id = _propose_in_debate(council_db)
    facilitator = council_db.session("f01")
    facilitator.adopt_weights(
        round_id, facilitator.weight_proposals(round_id).aggregate("mean").weights.to_dict()
    )
    # a member revises during the debate: the adoption rests on the proposals it saw
    council_db.session("m01").propose_weights(
        round_id,
        "points",
        {"points": {"impact": 40, "legal": 40, "cost": 20}},
        "heard R2",
        version=1,
    )
    assert verify_log(council_db.path).ok


def test_proposals_read_back_as_the_members_weights(council_db: Council) -> None:
    round_id = _propose_in_debate(council_db)
    weights = council_db.session("f01").weight_proposals(round_id).weights
    expected = pd.DataFrame(
        [[0.2, 0.6, 0.2], [0.3, 0.1, 0.6]],
        index=["m01", "m02"],
        columns=["impact", "legal", "cost"],
    )
    np.testing.assert_allclose(weights.to_numpy(), expected.to_numpy(), atol=1e-15)
    assert list(weights.index) == ["m01", "m02"]
