"""Schema versions and forward migrations: a version-1 file written by hand is opened by
the current code and migrated; newer or foreign files are refused."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
import yaml

from prioritize.council.decisions import chain_entry
from prioritize.errors import ValidationError
from prioritize.store import MIGRATIONS, SCHEMA_VERSION, Store, verify_log
from prioritize.store.passcodes import hash_passcode
from tests.conftest import tiny_criteria_mapping

# The version-1 schema exactly as version 1 of the code wrote it (copied, not imported:
# this is the file a council has on disk, whatever the code says today).
V1_SCHEMA = """
CREATE TABLE criteria_sets (sha256 TEXT PRIMARY KEY, name TEXT NOT NULL,
    yaml_text TEXT NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE members (id TEXT PRIMARY KEY, name TEXT NOT NULL, department TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('member', 'facilitator', 'observer')),
    passcode_salt TEXT NOT NULL, passcode_hash TEXT NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE rounds (id INTEGER PRIMARY KEY, name TEXT NOT NULL,
    criteria_sha256 TEXT NOT NULL REFERENCES criteria_sets (sha256),
    aggregation TEXT NOT NULL DEFAULT 'mean',
    state TEXT NOT NULL DEFAULT 'draft'
        CHECK (state IN ('draft', 'scoring', 'debate', 'decided')),
    previous_round_id INTEGER REFERENCES rounds (id),
    created_by TEXT NOT NULL REFERENCES members (id),
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE TABLE round_weights (round_id INTEGER NOT NULL REFERENCES rounds (id),
    criterion TEXT NOT NULL, weight DOUBLE PRECISION NOT NULL CHECK (weight >= 0),
    PRIMARY KEY (round_id, criterion));
CREATE TABLE requirements (round_id INTEGER NOT NULL REFERENCES rounds (id),
    id TEXT NOT NULL, position INTEGER NOT NULL, title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '', requested_by TEXT NOT NULL DEFAULT '',
    personas TEXT NOT NULL DEFAULT '', scenario TEXT NOT NULL DEFAULT '',
    evidence TEXT NOT NULL DEFAULT '', status TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (round_id, id));
CREATE TABLE round_members (round_id INTEGER NOT NULL REFERENCES rounds (id),
    member_id TEXT NOT NULL REFERENCES members (id), PRIMARY KEY (round_id, member_id));
CREATE TABLE scores (round_id INTEGER NOT NULL, requirement_id TEXT NOT NULL,
    member_id TEXT NOT NULL, criterion TEXT NOT NULL, score DOUBLE PRECISION NOT NULL,
    reason TEXT NOT NULL DEFAULT '', scored_at TEXT NOT NULL,
    PRIMARY KEY (round_id, requirement_id, member_id, criterion),
    FOREIGN KEY (round_id, requirement_id) REFERENCES requirements (round_id, id),
    FOREIGN KEY (round_id, member_id) REFERENCES round_members (round_id, member_id));
CREATE TABLE decisions (seq INTEGER PRIMARY KEY, round_id INTEGER NOT NULL,
    requirement_id TEXT NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('approve', 'postpone', 'reject', 'remove')),
    category TEXT NOT NULL, model_rank INTEGER NOT NULL, rationale TEXT NOT NULL,
    decided_by TEXT NOT NULL REFERENCES members (id), dissent TEXT NOT NULL,
    decided_at TEXT NOT NULL, basis_sha256 TEXT NOT NULL,
    override INTEGER NOT NULL CHECK (override IN (0, 1)), previous_hash TEXT NOT NULL,
    entry_hash TEXT NOT NULL UNIQUE,
    FOREIGN KEY (round_id, requirement_id) REFERENCES requirements (round_id, id));
CREATE TABLE log_head (id INTEGER PRIMARY KEY CHECK (id = 1), entries INTEGER NOT NULL,
    head_hash TEXT NOT NULL);
PRAGMA user_version = 1;
"""

T = "2025-01-01T00:00:00+00:00"


def write_version_1(path: Path) -> None:
    """A small council as version 1 stored it: one revealed round with one decision."""
    text = yaml.safe_dump(tiny_criteria_mapping(), sort_keys=False)
    sha = hashlib.sha256(text.encode()).hexdigest()
    salt, hashed = hash_passcode("f01-passcode")
    entry = chain_entry(
        None,
        round_id=1,
        requirement_id="R1",
        outcome="approve",
        category="High-value improvement",
        rank=1,
        rationale="",
        decided_by="f01",
        dissent="",
        decided_at=T,
        basis_sha256="ab" * 32,
        override=False,
    )
    conn = sqlite3.connect(path)
    conn.executescript(V1_SCHEMA)
    conn.execute("INSERT INTO criteria_sets VALUES (?, 'Tiny', ?, ?)", (sha, text, T))
    conn.execute(
        "INSERT INTO members VALUES ('f01', 'Fay', 'Legal', 'facilitator', ?, ?, ?)",
        (salt, hashed, T),
    )
    conn.execute(
        "INSERT INTO rounds VALUES (1, 'Old round', ?, 'mean', 'debate', NULL, 'f01', ?, ?)",
        (sha, T, T),
    )
    conn.executemany(
        "INSERT INTO round_weights VALUES (1, ?, ?)",
        [("impact", 0.5), ("legal", 0.2), ("cost", 0.3)],
    )
    conn.executemany(
        "INSERT INTO requirements (round_id, id, position, title) VALUES (1, ?, ?, ?)",
        [("R1", 0, "First"), ("R2", 1, "Second")],
    )
    conn.execute(
        "INSERT INTO members VALUES ('m01', 'Finn', 'Finance', 'member', ?, ?, ?)",
        (salt, hashed, T),
    )
    conn.executemany("INSERT INTO round_members VALUES (1, ?)", [("f01",), ("m01",)])
    conn.executemany(
        "INSERT INTO scores VALUES (1, ?, ?, ?, ?, 'old reason', ?)",
        [
            (r, m, c, s, T)
            for m in ("f01", "m01")
            for r, values in (("R1", (5, 3, 2)), ("R2", (2, 1, 8)))
            for c, s in zip(("impact", "legal", "cost"), values, strict=True)
        ],
    )
    conn.execute(
        "INSERT INTO decisions VALUES (1, 1, 'R1', 'approve', "
        "'High-value improvement', 1, '', 'f01', '', ?, ?, 0, ?, ?)",
        (T, entry.basis_sha256, entry.previous_hash, entry.entry_hash),
    )
    conn.execute("INSERT INTO log_head VALUES (1, 1, ?)", (entry.entry_hash,))
    conn.commit()
    conn.close()


def test_a_version_1_file_is_migrated_on_open(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    write_version_1(path)
    session = Store(path).session("f01", "f01-passcode")  # opening migrates
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        triggers = {
            r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        }
    assert triggers == {
        "decisions_no_update",
        "decisions_no_delete",
        "score_history_no_update",
        "score_history_no_delete",
        "weight_history_no_update",
        "weight_history_no_delete",
        "proposal_history_no_update",
        "proposal_history_no_delete",
    }
    scores = session.scores(1)
    assert len(scores) == 12 and set(scores["version"]) == {1}
    assert set(scores["reason"]) == {"old reason"}
    assert session.add_comment(1, "R1", "added after the upgrade") == 1
    updated = session.submit_score(1, "R1", "impact", 4, "rescored", version=1)
    assert updated.version == 2
    assert verify_log(path).ok
    entry = session.record_decision(1, "R2", "reject", rationale="not now")
    assert entry.seq == 2
    assert verify_log(path).ok and verify_log(path).entries == 2


def test_migrations_are_numbered_one_by_one() -> None:
    assert [m.version for m in MIGRATIONS] == list(range(1, SCHEMA_VERSION + 1))
    assert all(m.statements and m.description for m in MIGRATIONS)


def test_init_is_idempotent(tmp_path: Path) -> None:
    store = Store(tmp_path / "new.db")
    assert store.init() == SCHEMA_VERSION
    store.create_facilitator("f01", "Fay", "Legal", "f01-passcode")
    assert store.init() == SCHEMA_VERSION
    assert list(store.council().index) == ["f01"]
    assert store.schema_version == SCHEMA_VERSION


def test_a_file_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    Store(path).init()
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(ValidationError, match="newer version of prioritize"):
        Store(path).council()


def test_a_foreign_sqlite_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE photos (id INTEGER)")
    with pytest.raises(ValidationError, match="not a prioritize database"):
        Store(path).init()
    with sqlite3.connect(path) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    assert tables == {"photos"}


def test_a_failed_migration_leaves_the_file_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    write_version_1(path)
    with sqlite3.connect(path) as conn:  # a table in the way of migration 2
        conn.execute("CREATE TABLE comments (x INTEGER)")
    with pytest.raises(ValidationError, match="migration to version 2 failed") as caught:
        Store(path).init()
    assert "comments already exists" in str(caught.value)
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
        columns = {r[1] for r in conn.execute("PRAGMA table_info(scores)")}
    assert "version" not in columns
