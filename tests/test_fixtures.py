"""The shared council databases (tests/conftest.py): a copy of the template is the whole
council, works on its own, and writing to it leaves the template and other copies alone."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pandas as pd

from tests.conftest import ExampleCouncil, copy_database


def _count(path: Path, table: str) -> int:
    with closing(sqlite3.connect(path)) as conn:
        return int(conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])


def test_a_copy_is_the_whole_example_council(
    example_template: ExampleCouncil, example_council: ExampleCouncil
) -> None:
    assert example_council.path != example_template.path
    assert example_council.example == example_template.example
    copy, template = example_council.store(), example_template.store()
    pd.testing.assert_frame_equal(copy.council(), template.council())
    assert len(copy.council()) == len(example_council.example.members) == 13
    facilitator = example_council.example.facilitator
    session = copy.session(facilitator, f"{facilitator}-demo")
    round_id = example_council.example.round.id
    assert session.round(round_id).state == "debate"
    assert len(session.scores(round_id)) == example_council.example.scores


def test_writing_to_a_copy_leaves_the_template_and_other_copies_alone(
    example_template: ExampleCouncil, example_council: ExampleCouncil, tmp_path: Path
) -> None:
    other = example_template.copy(tmp_path / "other")
    rounds = _count(example_template.path, "rounds")
    session = example_council.store().session("m01", "m01-demo")
    session.start_from(example_council.example.round.id, "A round of this copy only")
    assert _count(example_council.path, "rounds") == rounds + 1
    assert _count(example_template.path, "rounds") == rounds
    assert _count(other.path, "rounds") == rounds


def test_commits_still_in_the_write_ahead_log_are_copied(tmp_path: Path) -> None:
    """A template whose last commits are only in its WAL (a connection is still open and
    nothing was checkpointed) is copied with them."""
    source = tmp_path / "wal.db"
    with closing(sqlite3.connect(source, isolation_level=None)) as conn:
        assert conn.execute("PRAGMA journal_mode = WAL").fetchone()[0] == "wal"
        conn.execute("PRAGMA wal_autocheckpoint = 0")
        conn.execute("CREATE TABLE t (x INTEGER)")
        conn.executemany("INSERT INTO t VALUES (?)", [(i,) for i in range(100)])
        assert Path(f"{source}-wal").stat().st_size > 0  # the rows are in the WAL
        target = copy_database(source, tmp_path / "copy" / "wal.db")
        assert _count(target, "t") == 100
