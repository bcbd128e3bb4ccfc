"""Rounds in the store: blind scoring, reveal, lock, optimistic concurrency, start-from,
weights, the shared evaluation path, passcodes, and the bundled example import."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import prioritize as pz
from prioritize.errors import PermissionDenied, ValidationError
from prioritize.store import ConflictError, Store, import_example
from tests.conftest import tiny_criteria_mapping
from tests.databases import raw
from tests.store.council import (
    IN_ROUNDS,
    MEMBERS,
    REQUIREMENTS,
    SCORERS,
    Council,
    passcode,
    scores_frame,
)

# --- blind rounds --------------------------------------------------------------------------


def test_while_scoring_each_member_reads_only_their_own_scores(council_db: Council) -> None:
    for mid in IN_ROUNDS:
        seen = council_db.session(mid).scores(council_db.scoring)
        assert set(seen["member"]) <= {mid}
    assert len(council_db.session("m01").scores(council_db.scoring)) == 4
    assert council_db.session("o01").scores(council_db.scoring).empty


def test_while_scoring_the_facilitator_reads_progress_not_values(council_db: Council) -> None:
    progress = council_db.session("f01").progress(council_db.scoring)
    assert progress.loc["m01", "scored"] == 4
    assert progress.loc["m02", "scored"] == 0
    assert progress.loc["f01", "expected"] == len(REQUIREMENTS) * 3
    assert not {"score", "reason"} & set(progress.columns)
    with pytest.raises(PermissionDenied, match="hidden until"):
        council_db.session("f01").evaluation(council_db.scoring)


def test_after_reveal_everyone_reads_every_score_with_reasons(council_db: Council) -> None:
    facilitator = council_db.session("f01")
    facilitator.reveal(council_db.scoring)
    for mid in IN_ROUNDS:
        seen = council_db.session(mid).scores(council_db.scoring)
        assert set(seen["member"]) == {"f01", "m01"}
        assert seen["reason"].str.len().gt(0).all()


def test_comments_follow_the_blind_rule(council_db: Council) -> None:
    council_db.session("m01").add_comment(council_db.scoring, "R1", "is this legal?")
    council_db.session("f01").add_comment(council_db.scoring, "R1", "see the memo")
    assert list(council_db.session("m01").comments(council_db.scoring)["member"]) == ["m01"]
    council_db.session("f01").reveal(council_db.scoring)
    assert list(council_db.session("m01").comments(council_db.scoring)["member"]) == ["m01", "f01"]


# --- states --------------------------------------------------------------------------------


def test_states_move_one_step_at_a_time(council_db: Council) -> None:
    facilitator = council_db.session("f01")
    with pytest.raises(ValidationError, match="cannot move from draft to debate"):
        facilitator.reveal(council_db.draft)
    with pytest.raises(ValidationError, match="draft"):
        council_db.session("m01").submit_score(council_db.draft, "R1", "impact", 3)
    assert facilitator.start_scoring(council_db.draft).state == "scoring"
    # revealing needs at least one score (tests/store/test_store_reveal.py)
    council_db.session("m01").import_scores(council_db.draft, scores_frame("m01").iloc[:1])
    assert facilitator.reveal(council_db.draft).state == "debate"
    assert facilitator.close(council_db.draft).state == "decided"


def test_a_decided_round_is_locked(council_db: Council) -> None:
    facilitator = council_db.session("f01")
    facilitator.close(council_db.debate)
    before = facilitator.scores(council_db.debate)
    with pytest.raises(PermissionDenied, match="locked"):
        council_db.session("m01").submit_score(council_db.debate, "R1", "impact", 1, version=1)
    with pytest.raises(PermissionDenied, match="locked"):
        facilitator.set_weights(council_db.debate, {"impact": 1.0})
    with pytest.raises(PermissionDenied, match="locked"):
        facilitator.record_decision(council_db.debate, "R1", "approve")
    pd.testing.assert_frame_equal(facilitator.scores(council_db.debate), before)


def test_the_revision_changes_with_every_write(council_db: Council) -> None:
    facilitator, member = council_db.session("f01"), council_db.session("m02")
    seen = [facilitator.revision(council_db.scoring)]
    assert member.revision(council_db.scoring) == seen[0]
    record = member.submit_score(council_db.scoring, "R1", "impact", 2)
    seen.append(facilitator.revision(council_db.scoring))
    member.submit_score(council_db.scoring, "R1", "impact", 3, version=record.version)
    seen.append(facilitator.revision(council_db.scoring))
    member.add_comment(council_db.scoring, "R1", "why?")
    seen.append(facilitator.revision(council_db.scoring))
    facilitator.set_weights(council_db.scoring, {"impact": 0.8})
    seen.append(facilitator.revision(council_db.scoring))
    facilitator.reveal(council_db.scoring)
    seen.append(facilitator.revision(council_db.scoring))
    assert len(set(seen)) == len(seen)
    before = facilitator.revision(council_db.debate)
    facilitator.record_decision(council_db.debate, "R1", "approve")
    assert facilitator.revision(council_db.debate) not in (before, *seen)


# --- optimistic concurrency ----------------------------------------------------------------


def test_two_edits_of_one_score_do_not_overwrite_each_other(council_db: Council) -> None:
    first, second = council_db.session("m02"), council_db.session("m02")
    created = first.submit_score(council_db.scoring, "R1", "impact", 2, "first look")
    assert created.version == 1
    changed = first.submit_score(
        council_db.scoring, "R1", "impact", 4, "on reflection", version=created.version
    )
    assert changed.version == 2
    with pytest.raises(ConflictError, match="you read version 1, it is now version 2"):
        second.submit_score(council_db.scoring, "R1", "impact", 1, "stale", version=1)
    with pytest.raises(ConflictError, match="already answered"):
        second.submit_score(council_db.scoring, "R1", "impact", 1, "as if new")
    stored = first.scores(council_db.scoring).set_index(["requirement_id", "criterion"])
    assert stored.loc[("R1", "impact"), "score"] == 4
    assert stored.loc[("R1", "impact"), "version"] == 2


def test_scores_are_checked_against_the_round(council_db: Council) -> None:
    member = council_db.session("m02")
    with pytest.raises(ValidationError, match="outside the criterion's scale"):
        member.submit_score(council_db.scoring, "R1", "impact", 6)
    with pytest.raises(ValidationError, match="unknown criterion"):
        member.submit_score(council_db.scoring, "R1", "nonsense", 3)
    with pytest.raises(ValidationError, match="unknown requirement"):
        member.submit_score(council_db.scoring, "R9", "impact", 3)
    assert member.scores(council_db.scoring).empty


def test_import_is_all_or_nothing(council_db: Council) -> None:
    member = council_db.session("m02")
    frame = scores_frame("m02")
    frame.loc[5, "score"] = 99
    with pytest.raises(ValidationError):
        member.import_scores(council_db.scoring, frame)
    assert member.scores(council_db.scoring).empty
    assert member.import_scores(council_db.scoring, scores_frame("m02")) == 12
    with pytest.raises(ConflictError, match="already exist"):
        member.import_scores(council_db.scoring, scores_frame("m02"))
    assert member.import_scores(council_db.scoring, scores_frame("m02"), replace=True) == 12
    assert set(member.scores(council_db.scoring)["version"]) == {2}


# --- weights, evaluation, start-from --------------------------------------------------------


def test_the_store_evaluation_is_the_library_evaluation(council_db: Council) -> None:
    stored = council_db.session("o01").evaluation(council_db.debate)
    scores = pd.concat([scores_frame(m) for m in SCORERS], ignore_index=True)
    members = pd.DataFrame(
        [(mid, *MEMBERS[mid]) for mid in IN_ROUNDS], columns=["id", "name", "department", "role"]
    )
    direct = pz.evaluate(
        pz.load_criteria(tiny_criteria_mapping()), REQUIREMENTS, scores, members=members
    )
    pd.testing.assert_frame_equal(stored.table, direct.table)
    assert stored.criteria.sha256 is not None and len(stored.criteria.sha256) == 64


def test_weights_change_the_evaluation(council_db: Council) -> None:
    facilitator = council_db.session("f01")
    before = facilitator.evaluation(council_db.debate)
    weights = facilitator.set_weights(council_db.debate, {"impact": 0.0, "cost": 1.0})
    assert weights["impact"] == 0.0
    after = facilitator.evaluation(council_db.debate)
    assert after.weights["impact"] == 0.0
    assert not np.allclose(before.table["score"].sort_index(), after.table["score"].sort_index())
    with pytest.raises(ValidationError, match="non-negative"):
        facilitator.set_weights(council_db.debate, {"cost": -1})


def test_start_from_copies_the_round_without_scores(council_db: Council) -> None:
    facilitator = council_db.session("f01")
    facilitator.set_weights(council_db.debate, {"impact": 0.7})
    follow = facilitator.start_from(council_db.debate, "Second look")
    assert (follow.state, follow.previous_round_id) == ("draft", council_db.debate)
    assert follow.requirements == len(REQUIREMENTS) and follow.members == len(IN_ROUNDS)
    assert facilitator.criteria(follow.id).raw_weights["impact"] == 0.7
    assert facilitator.scores(follow.id).empty
    facilitator.start_scoring(follow.id)
    for mid in SCORERS:
        frame = scores_frame(mid)
        if mid == "m01":
            frame.loc[frame["requirement_id"] == "R3", "score"] = [5, 1, 0]
        council_db.session(mid).import_scores(follow.id, frame)
    facilitator.reveal(follow.id)
    diff = facilitator.round_diff(council_db.debate, follow.id)
    assert diff.table.loc["R3", "members_changed"] == "m01"
    assert diff.table.loc["R1", "members_changed"] == ""
    assert diff.table.loc["R3", "due_to_scores"] > 0


# --- passcodes and the file ----------------------------------------------------------------


def test_passcodes_are_never_stored_in_clear(council_db: Council) -> None:
    if isinstance(council_db.path, Path):  # every byte of the file (PostgreSQL: the rows)
        content = council_db.path.read_bytes()
        for mid in MEMBERS:
            assert passcode(mid).encode() not in content
    with raw(council_db.path) as conn:
        hashes = [row[0] for row in conn.execute("SELECT passcode_hash FROM members")]
    assert all(h.startswith("scrypt$") for h in hashes)
    assert len(set(hashes)) == len(hashes)


def test_change_passcode(council_db: Council) -> None:
    member = council_db.session("m01")
    with pytest.raises(PermissionDenied):
        member.change_passcode("wrong-one", "brand-new-passcode")
    member.change_passcode(passcode("m01"), "brand-new-passcode")
    assert Store(council_db.path).session("m01", "brand-new-passcode").member_id == "m01"
    with pytest.raises(PermissionDenied):
        Store(council_db.path).session("m01", passcode("m01"))


@pytest.mark.parametrize("backend", ["sqlite"])
def test_pragmas_of_every_connection(council_db: Council) -> None:
    with Store(council_db.path).connect() as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000


def test_a_missing_database_is_an_error_not_a_new_file(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="no council database"):
        Store(tmp_path / "missing.db").session("m01", "m01-passcode")
    assert not (tmp_path / "missing.db").exists()


def test_default_path_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PRIORITIZE_DB", str(tmp_path / "env.db"))
    assert Store().path == tmp_path / "env.db"
    monkeypatch.delenv("PRIORITIZE_DB")
    assert Store().path == Path("prioritize.db")


# --- the bundled example --------------------------------------------------------------------


def test_import_example_is_one_call(tmp_path: Path) -> None:
    folder = pz.example_dir()
    result = import_example(tmp_path / "example.db")
    members = pz.load_members(folder / "members.csv")
    assert result.round.state == "debate"
    assert result.members == tuple(members.ids)
    session = Store(tmp_path / "example.db").session(
        result.facilitator, f"{result.facilitator}-demo"
    )
    stored = session.evaluation(result.round.id)
    direct = pz.evaluate_example()
    pd.testing.assert_series_equal(stored.table["score"], direct.table["score"])
    assert list(stored.table["category"]) == list(direct.table["category"])
    assert result.scores == len(pz.load_scores(folder / "scores.csv"))
    with pytest.raises(ValidationError, match="already holds a council"):
        import_example(tmp_path / "example.db")
