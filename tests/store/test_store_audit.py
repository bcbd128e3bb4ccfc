"""Every change is on the record: score changes are append-only, and ``verify_log`` also
recomputes each decision's basis and checks every round's criteria snapshot, so an edit
made with a database tool behind the store's back is named."""

from __future__ import annotations

import io

import pytest
from sqlalchemy.exc import DBAPIError

from prioritize.cli.main import main
from prioritize.store import verify_log
from tests.databases import drop_append_only, raw
from tests.store.council import Council
from tests.store.test_store_log import DECISIONS


@pytest.fixture
def decided(council_db: Council) -> Council:
    facilitator = council_db.session("f01")
    for requirement, outcome, rationale in DECISIONS:
        facilitator.record_decision(council_db.debate, requirement, outcome, rationale=rationale)
    return council_db


def test_a_changed_score_keeps_every_earlier_value_with_its_time(council_db: Council) -> None:
    member = council_db.session("m01")
    first = member.submit_score(council_db.scoring, "R3", "impact", 2, "first thought")
    second = member.submit_score(
        council_db.scoring, "R3", "impact", 4, "after the demo", version=first.version
    )
    history = member.score_history(council_db.scoring)
    mine = history[(history["requirement_id"] == "R3") & (history["criterion"] == "impact")]
    assert mine["score"].tolist() == [2.0, 4.0]
    assert mine["reason"].tolist() == ["first thought", "after the demo"]
    assert mine["time"].tolist() == [first.time, second.time]
    assert mine["version"].tolist() == [1, 2]


def test_the_history_is_blind_while_scoring(council_db: Council) -> None:
    council_db.session("m01").submit_score(council_db.scoring, "R3", "impact", 2, "mine")
    other = council_db.session("m02").score_history(council_db.scoring)
    assert set(other["member"]) <= {"m02"}
    revealed = council_db.session("m02").score_history(council_db.debate)
    assert {"f01", "m01", "m02"} <= set(revealed["member"])


def test_the_history_refuses_updates_and_deletes(council_db: Council) -> None:
    with raw(council_db.path) as conn:
        with pytest.raises(DBAPIError, match="append-only"):
            conn.execute("UPDATE score_history SET score = 1")
        with pytest.raises(DBAPIError, match="append-only"):
            conn.execute("DELETE FROM weight_history")


def test_an_intact_record_verifies(decided: Council) -> None:
    check = verify_log(decided.path)
    assert check.ok and check.problems == ()


def test_a_score_edited_behind_the_store_is_named(decided: Council) -> None:
    with raw(decided.path) as conn:
        conn.execute(
            "UPDATE scores SET score = 1 WHERE round_id = ? AND requirement_id = 'R1' "
            "AND member = 'm01' AND criterion = 'impact'",
            (decided.debate,),
        )
    check = verify_log(decided.path)
    assert not check.ok
    assert any("R1 by m01 on impact differs from its history" in p for p in check.problems)


def test_a_rewritten_history_breaks_the_decisions_that_rested_on_it(decided: Council) -> None:
    with raw(decided.path) as conn:
        drop_append_only(conn, "score_history")
        for table in ("score_history", "scores"):
            conn.execute(
                f"UPDATE {table} SET score = 1 WHERE round_id = ? AND requirement_id = 'R1' "
                "AND criterion = 'impact'",
                (decided.debate,),
            )
    check = verify_log(decided.path)
    assert not check.ok
    broken = [p for p in check.problems if "basis no longer matches" in p]
    assert len(broken) == len(DECISIONS)  # every decision rested on R1's scores too
    assert "entry 1 (round" in broken[0]


@pytest.mark.filterwarnings("ignore::prioritize.errors.WeightsNormalisedWarning")
def test_an_edited_criteria_snapshot_is_named(decided: Council) -> None:
    with raw(decided.path) as conn:
        (text,) = conn.execute("SELECT yaml_text FROM criteria_sets").fetchone()
        assert "weight: 0.5" in text
        conn.execute(
            "UPDATE criteria_sets SET yaml_text = ?",
            (text.replace("weight: 0.5", "weight: 0.517"),),
        )
    check = verify_log(decided.path)
    assert not check.ok
    assert any("criteria snapshot was edited" in p for p in check.problems)
    evaluation = decided.session("f01").evaluation(decided.debate)
    # the evaluation shows the snapshot under the hash of its text as it is now
    with raw(decided.path) as conn:
        (recorded,) = conn.execute(
            "SELECT criteria_sha256 FROM rounds WHERE id = ?", (decided.debate,)
        ).fetchone()
    assert evaluation.criteria.sha256 != recorded


def test_a_weight_edited_behind_the_store_is_named(decided: Council) -> None:
    with raw(decided.path) as conn:
        conn.execute("UPDATE round_weights SET weight = 0.9 WHERE criterion = 'cost'")
    check = verify_log(decided.path)
    assert any("the weight of cost differs from its history" in p for p in check.problems)


def test_weights_changed_through_the_store_keep_old_decisions_valid(decided: Council) -> None:
    decided.session("f01").set_weights(decided.debate, {"impact": 0.9})
    decided.session("f01").record_decision(decided.debate, "R2", "approve")
    assert verify_log(decided.path).ok


def test_a_head_kept_outside_the_file_catches_a_full_rewrite(decided: Council) -> None:
    out = io.StringIO()
    assert main(["log", "head", "--db", str(decided.path)], out=out) == 0
    head = out.getvalue().strip()
    assert len(head) == 64
    assert main(["log", "verify", "--db", str(decided.path), "--head", head], out=out) == 0
    # someone who can write the file cuts the last decision and fixes the recorded head
    with raw(decided.path) as conn:
        drop_append_only(conn, "decisions")
        (before,) = conn.execute("SELECT entry_hash FROM decisions WHERE seq = 3").fetchone()
        conn.execute("DELETE FROM decisions WHERE seq = 4")
        conn.execute("UPDATE log_head SET entries = 3, head_hash = ?", (before,))
    assert verify_log(decided.path).ok  # the file alone is consistent again
    out = io.StringIO()
    assert main(["log", "verify", "--db", str(decided.path), "--head", head], out=out) == 1
    assert "not at the recorded head" in out.getvalue()
