"""The decision log in the store: what an entry records, overrides, and tamper detection
(edit, delete, reorder an entry directly in SQLite -> verify_log names the entry)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.exc import DBAPIError

from prioritize.council.decisions import evaluation_fingerprint
from prioritize.errors import ValidationError
from prioritize.store import verify_log
from prioritize.store.connection import Db
from tests.databases import drop_append_only, raw
from tests.store.council import Council

# Round B of the template council (tests/store/council.py): R1 Immediate control (rank 1),
# R4 mandatory (a legal gate), R2 Strategic investment, R3 Harmful requirement.
DECISIONS = [
    ("R1", "approve", ""),
    ("R2", "postpone", "budget next year"),
    ("R3", "remove", "adds steps"),
    ("R4", "approve", ""),
]


@pytest.fixture
def decided(council_db: Council) -> Council:
    facilitator = council_db.session("f01")
    for requirement, outcome, rationale in DECISIONS:
        facilitator.record_decision(council_db.debate, requirement, outcome, rationale=rationale)
    return council_db


@contextlib.contextmanager
def _raw(path: Path | str) -> Iterator[Db]:
    """Raw SQL on the database, each statement committed, closed on exit."""
    with raw(path) as conn:
        # An attacker with the file can drop the triggers first; the chain must still tell.
        drop_append_only(conn, "decisions")
        yield conn


def test_an_entry_records_the_model_at_that_moment(council_db: Council) -> None:
    facilitator = council_db.session("f01")
    evaluation = facilitator.evaluation(council_db.debate)
    entry = facilitator.record_decision(
        council_db.debate, "R2", "approve", dissent="m01: too expensive"
    )
    row = evaluation.table.loc["R2"]
    assert (entry.category, entry.rank) == (str(row["category"]), int(row["rank"]))
    assert entry.basis_sha256 == evaluation_fingerprint(evaluation)
    assert (entry.decided_by, entry.dissent, entry.override) == ("f01", "m01: too expensive", False)
    log = facilitator.decisions(council_db.debate)
    assert list(log["requirement_id"]) == ["R2"] and log["entry_hash"].iloc[0] == entry.entry_hash


def test_an_override_needs_a_rationale(council_db: Council) -> None:
    facilitator = council_db.session("f01")
    with pytest.raises(ValidationError, match="rationale is mandatory"):
        facilitator.record_decision(council_db.debate, "R1", "reject")
    with pytest.raises(ValidationError, match="mandatory \\(a gate\\)"):
        facilitator.record_decision(council_db.debate, "R4", "postpone", rationale="  ")
    entry = facilitator.record_decision(
        council_db.debate, "R1", "reject", rationale="the vendor fixes it for free"
    )
    assert entry.override
    assert facilitator.decisions(council_db.debate)["override"].tolist() == [True]


def test_decisions_only_in_the_debate(council_db: Council) -> None:
    with pytest.raises(ValidationError, match="scoring"):
        council_db.session("f01").record_decision(council_db.scoring, "R1", "approve")


def test_the_basis_hash_moves_with_weights_and_scores(council_db: Council) -> None:
    facilitator = council_db.session("f01")
    first = facilitator.record_decision(council_db.debate, "R1", "approve")
    again = facilitator.record_decision(council_db.debate, "R1", "approve")
    assert first.basis_sha256 == again.basis_sha256
    facilitator.set_weights(council_db.debate, {"impact": 0.6})
    reweighted = facilitator.record_decision(council_db.debate, "R1", "approve")
    assert reweighted.basis_sha256 != first.basis_sha256
    council_db.session("m01").submit_score(
        council_db.debate, "R1", "impact", 4, "on reflection", version=1
    )
    rescored = facilitator.record_decision(council_db.debate, "R1", "approve")
    assert rescored.basis_sha256 not in (first.basis_sha256, reweighted.basis_sha256)


def test_an_intact_log_verifies(decided: Council) -> None:
    check = verify_log(decided.path)
    assert check.ok and check.entries == 4
    assert check.head == decided.session("o01").decisions()["entry_hash"].iloc[-1]
    assert verify_log(decided.path, expected_head=check.head).ok
    assert not verify_log(decided.path, expected_head="0" * 64).ok


def test_the_triggers_refuse_updates_and_deletes(decided: Council) -> None:
    with raw(decided.path) as conn:
        with pytest.raises(DBAPIError, match="append-only"):
            conn.execute("UPDATE decisions SET outcome = 'reject' WHERE seq = 2")
        with pytest.raises(DBAPIError, match="append-only"):
            conn.execute("DELETE FROM decisions WHERE seq = 2")
    assert verify_log(decided.path).ok


def test_an_edited_entry_is_named(decided: Council) -> None:
    with _raw(decided.path) as conn:
        conn.execute("UPDATE decisions SET rationale = 'we always wanted it' WHERE seq = 2")
    check = verify_log(decided.path)
    assert not check.ok and check.bad_seq == 2
    assert check.bad_entry is not None and check.bad_entry.requirement_id == "R2"
    assert "entry 2" in check.reason and "R2" in check.reason and "edited" in check.reason


def test_a_deleted_entry_is_found(decided: Council) -> None:
    with _raw(decided.path) as conn:
        conn.execute("DELETE FROM decisions WHERE seq = 2")
    check = verify_log(decided.path)
    assert not check.ok and check.bad_seq == 3
    assert "entry 3" in check.reason and "entry 1" in check.reason
    assert "removed" in check.reason


def test_a_deleted_last_entry_is_found(decided: Council) -> None:
    with _raw(decided.path) as conn:
        conn.execute("DELETE FROM decisions WHERE seq = 4")
    check = verify_log(decided.path)
    assert not check.ok and "after entry 3 were removed" in check.reason


def test_reordered_entries_are_named(decided: Council) -> None:
    with _raw(decided.path) as conn:
        conn.execute("UPDATE decisions SET seq = -1 WHERE seq = 2")
        conn.execute("UPDATE decisions SET seq = 2 WHERE seq = 3")
        conn.execute("UPDATE decisions SET seq = 3 WHERE seq = -1")
    check = verify_log(decided.path)
    assert not check.ok and check.bad_seq == 2
    assert check.bad_entry is not None and check.bad_entry.requirement_id == "R3"
    assert "out of order" in check.reason and "R2" in check.reason


def test_an_edit_with_a_recomputed_hash_breaks_the_next_link(decided: Council) -> None:
    from dataclasses import replace

    from prioritize.council.decisions import entry_hash

    entries = decided.store().log_entries()
    forged = replace(entries[1], outcome="reject", rationale="forged")
    with _raw(decided.path) as conn:
        conn.execute(
            "UPDATE decisions SET outcome = 'reject', rationale = 'forged', "
            "entry_hash = ? WHERE seq = 2",
            (entry_hash(forged),),
        )
    check = verify_log(decided.path)
    assert not check.ok and check.bad_seq == 3 and "entry 2" in check.reason


def test_no_decision_is_appended_to_a_broken_chain(decided: Council) -> None:
    with _raw(decided.path) as conn:
        conn.execute("DELETE FROM decisions WHERE seq = 4")
    with pytest.raises(ValidationError, match="log verify"):
        decided.session("f01").record_decision(decided.debate, "R1", "approve")
