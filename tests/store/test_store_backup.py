"""Backups while the app writes, checks, and a restore that verifies; a file that is not a
database is an error, not a traceback."""

from __future__ import annotations

import io
import sqlite3
import threading
from pathlib import Path

import pytest

from prioritize.cli.main import main
from prioritize.errors import ValidationError
from prioritize.store import Store
from tests.store.council import Council, passcode


@pytest.mark.parametrize("backend", ["sqlite"])  # PostgreSQL: pg_dump, below
def test_a_backup_taken_during_writes_is_consistent_and_verifies(
    council_db: Council, tmp_path: Path
) -> None:
    member = council_db.session("m01")
    first = member.submit_score(council_db.scoring, "R3", "impact", 1, "v1")
    committed: list[tuple[int, float]] = [(first.version, first.score)]
    stop = threading.Event()

    def keep_writing() -> None:
        writer = Store(council_db.path).session("m01", passcode("m01"))
        version = first.version
        while not stop.is_set():
            record = writer.submit_score(
                council_db.scoring,
                "R3",
                "impact",
                1 + version % 5,
                f"v{version + 1}",
                version=version,
            )
            version = record.version
            committed.append((record.version, record.score))

    thread = threading.Thread(target=keep_writing)
    thread.start()
    try:
        while len(committed) < 20:
            threading.Event().wait(0.01)
        before = committed[-1][0]
        result = council_db.store().backup(tmp_path / "backup.db")
    finally:
        stop.set()
        thread.join(timeout=60)
    assert result.ok, str(result)
    restored = Store(tmp_path / "backup.db")
    scores = restored.session("m01", passcode("m01")).scores(council_db.scoring)
    row = scores[(scores["requirement_id"] == "R3") & (scores["criterion"] == "impact")]
    version, score = int(row["version"].iloc[0]), float(row["score"].iloc[0])
    assert version >= before  # holds every score committed before the backup began
    assert (version, score) in committed  # and exactly one committed state, not a mix
    history = restored.session("m01", passcode("m01")).score_history(council_db.scoring)
    kept = history[(history["requirement_id"] == "R3") & (history["criterion"] == "impact")]
    assert kept["version"].tolist() == list(range(1, version + 1))


@pytest.mark.parametrize("backend", ["sqlite"])  # PostgreSQL: pg_dump, below
def test_a_backup_never_overwrites(council_db: Council, tmp_path: Path) -> None:
    target = tmp_path / "exists.db"
    target.write_text("precious")
    with pytest.raises(ValidationError, match="already exists"):
        council_db.store().backup(target)
    assert target.read_text() == "precious"


@pytest.mark.parametrize("backend", ["sqlite"])  # PostgreSQL: pg_dump, below
def test_db_check_and_backup_from_the_command_line(council_db: Council, tmp_path: Path) -> None:
    out = io.StringIO()
    assert main(["db", "check", "--db", str(council_db.path)], out=out) == 0
    assert "SQLite integrity: ok" in out.getvalue()
    out = io.StringIO()
    target = tmp_path / "copy.db"
    assert main(["db", "backup", "--db", str(council_db.path), str(target)], out=out) == 0
    assert target.is_file() and "decision record: ok" in out.getvalue()
    with sqlite3.connect(target) as conn:
        conn.execute("DROP TRIGGER decisions_no_update")
        conn.execute(
            "INSERT INTO decisions (seq, round_id, requirement_id, outcome, category, rank, "
            "rationale, decided_by, dissent, decided_at, basis_sha256, override, "
            "previous_hash, entry_hash) VALUES (1, 1, 'R1', 'approve', 'x', 1, '', 'f01', "
            "'', 'now', 'x', 0, 'x', 'x')"
        )
    out = io.StringIO()
    assert main(["db", "check", "--db", str(target)], out=out) == 1
    assert "decision record: tampered" in out.getvalue()


@pytest.mark.parametrize("content", [b"id,title\nR1,x\n", b"PK\x03\x04 not a workbook either"])
def test_a_file_that_is_not_a_database_is_an_error(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "not-a.db"
    path.write_bytes(content * 200)
    with pytest.raises(ValidationError, match="not a council database"):
        Store(path).session("m01", "whatever-passcode")
    with pytest.raises(ValidationError, match="not a council database"):
        Store(path).check()
    assert path.read_bytes() == content * 200  # untouched
