"""Concurrent members lose nothing; a writer killed mid-transaction leaves the file
consistent and usable."""

from __future__ import annotations

import multiprocessing
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import prioritize
from prioritize.store import Store
from tests.conftest import copy_database

N_MEMBERS = 20
N_REQUIREMENTS = 5  # x 10 criteria of customer-operations = 50 scores per member
CRITERIA = "customer-operations"


def _member(i: int) -> str:
    return f"c{i:02d}"


def _submit_all(path: str, member_id: str, start: Any, results: Any) -> None:
    """One member's process: log in, wait for the others, submit 50 scores one by one."""
    try:
        session = Store(path).session(member_id, f"{member_id}-passcode")
        criteria = session.criteria(1)
        start.wait()
        written = 0
        for r in range(N_REQUIREMENTS):
            for criterion in criteria:
                score = criterion.scale.min + (r + written) % int(criterion.scale.span + 1)
                session.submit_score(1, f"R{r}", criterion.id, score, f"{member_id} says so")
                written += 1
        results.put((member_id, written))
    except Exception as exc:  # reported to the parent, which fails the test with it
        results.put((member_id, repr(exc)))


@pytest.fixture(scope="session")
def crowded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Built once per run (41 scrypt hashes: each member's one-time passcode, then their
    own); every test gets a copy (:func:`crowded`)."""
    store = Store(tmp_path_factory.mktemp("crowded-template") / "crowded.db")
    store.init()
    store.create_facilitator("boss", "Boss", "Operations", "boss-passcode")
    facilitator = store.session("boss", "boss-passcode")
    for i in range(N_MEMBERS):
        facilitator.register_member(
            _member(i), f"Member {i}", "Sales", "member", f"{_member(i)}-one-time"
        )
        first = store.session(_member(i), f"{_member(i)}-one-time")
        first.change_passcode(f"{_member(i)}-one-time", f"{_member(i)}-passcode")
    requirements = pd.DataFrame(
        {
            "id": [f"R{r}" for r in range(N_REQUIREMENTS)],
            "title": [f"Requirement {r}" for r in range(N_REQUIREMENTS)],
        }
    )
    info = facilitator.create_round(
        "Crowded", CRITERIA, requirements, members=[_member(i) for i in range(N_MEMBERS)]
    )
    facilitator.start_scoring(info.id)
    return store.path


@pytest.fixture
def crowded(crowded_template: Path, tmp_path: Path) -> Store:
    """A council of twenty members in a scoring round, in a file of this test's own."""
    return Store(copy_database(crowded_template, tmp_path / "crowded.db"))


def test_twenty_members_at_once_lose_nothing(crowded: Store) -> None:
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
    start, results = context.Event(), context.Queue()
    workers = [
        context.Process(target=_submit_all, args=(str(crowded.path), _member(i), start, results))
        for i in range(N_MEMBERS)
    ]
    for worker in workers:
        worker.start()
    start.set()
    written = dict(results.get(timeout=300) for _ in workers)
    for worker in workers:
        worker.join(timeout=60)
    assert written == {_member(i): 50 for i in range(N_MEMBERS)}
    with sqlite3.connect(crowded.path) as conn:
        total, distinct = conn.execute(
            """SELECT COUNT(*), COUNT(DISTINCT requirement_id || '|' || member || '|' ||
                                        criterion) FROM scores"""
        ).fetchone()
        per_member = dict(
            conn.execute("SELECT member, COUNT(*) FROM scores GROUP BY member").fetchall()
        )
        versions = {row[0] for row in conn.execute("SELECT DISTINCT version FROM scores")}
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert (total, distinct) == (1000, 1000)
    assert per_member == {_member(i): 50 for i in range(N_MEMBERS)}
    assert versions == {1}
    progress = crowded.session("boss", "boss-passcode").progress(1)
    assert progress["complete"].all() and len(progress) == N_MEMBERS


_HOLD_A_TRANSACTION = textwrap.dedent("""
    import sys, time
    from prioritize.store import connection
    with connection.connect(sys.argv[1]) as conn:
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany(
            "INSERT INTO scores (round_id, requirement_id, member, criterion, score, "
            "reason, time, version) VALUES (1, ?, 'c00', ?, 3, 'half-written', 'now', 1)",
            [(f"R{r}", c) for r in range(5) for c in ("customer_impact", "error_reduction")])
        print("inside the transaction", flush=True)
        time.sleep(120)
""")

_COMMIT_IN_BATCHES = textwrap.dedent("""
    import sys
    from prioritize.store import connection
    with connection.connect(sys.argv[1]) as conn:
        batch = 0
        while True:
            with connection.write(conn):
                conn.executemany(
                    "INSERT INTO comments (round_id, requirement_id, member_id, body, "
                    "created_at) VALUES (1, 'R0', 'c01', ?, 'now')",
                    [(f"batch {batch} comment {i}",) for i in range(500)])
            batch += 1
            if batch == 3:
                print("committing batches", flush=True)
""")


def _run_and_kill(script: str, path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(Path(prioritize.__file__).resolve().parents[1])}
    child = subprocess.Popen(
        [sys.executable, "-c", script, str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        line = child.stdout.readline() if child.stdout else ""
        assert line.strip(), child.stderr.read() if child.stderr else "no output"
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
        for stream in (child.stdout, child.stderr):
            if stream:
                stream.close()
    assert child.returncode == -signal.SIGKILL


def test_a_writer_killed_mid_transaction_leaves_the_database_usable(crowded: Store) -> None:
    _run_and_kill(_HOLD_A_TRANSACTION, crowded.path)
    with sqlite3.connect(crowded.path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT COUNT(*) FROM scores").fetchone()[0] == 0
    # The lock died with the writer: the next member writes at once.
    member = crowded.session("c00", "c00-passcode")
    record = member.submit_score(1, "R0", "customer_impact", 4, "after the crash")
    assert record.version == 1
    assert len(member.scores(1)) == 1


def test_a_writer_killed_between_commits_keeps_whole_transactions(crowded: Store) -> None:
    _run_and_kill(_COMMIT_IN_BATCHES, crowded.path)
    with sqlite3.connect(crowded.path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        count = conn.execute("SELECT COUNT(*) FROM comments").fetchone()[0]
    assert count >= 3 * 500
    assert count % 500 == 0, "a transaction was half-applied"
    crowded.session("c01", "c01-passcode").add_comment(1, "R0", "still works")
