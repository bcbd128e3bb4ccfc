"""Members scoring at once lose nothing, on SQLite and on PostgreSQL; a writer killed
mid-transaction leaves nothing half-written and does not block the next writer.

The crowd is real processes (one per member, each signed in once) released together by a
barrier, while the facilitator records decisions in another round: every score is stored
once with the right version, and the decision log, whose chain every decision extends,
verifies afterwards. ``benchmarks/bench_store_load.py`` runs the same council at 50 x 40
and times it.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from multiprocessing.context import ForkContext, SpawnContext
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import prioritize
from prioritize.model.criteria import CriteriaSet
from prioritize.store import ScoreCell, Store, connection
from tests.conftest import copy_database, postgres_server, tiny_criteria_mapping
from tests.databases import raw

#: Members in the crowd of the test, and requirements each scores on every criterion.
N_MEMBERS = 12
N_REQUIREMENTS = 3  # x 10 criteria of customer-operations = 30 scores per member
#: Decisions the facilitator records while the members score.
N_DECISIONS = 4
CRITERIA = "customer-operations"
FACILITATOR = "boss"
#: The council's rounds: one in debate (decisions are taken there), one scoring.
DEBATE, CROWDED = 1, 2


def member_id(i: int) -> str:
    return f"c{i:02d}"


def passcode(member: str) -> str:
    """The passcode each member chose at first sign-in."""
    return f"{member}-passcode"


def build_crowded(location: str | Path, n_members: int, n_requirements: int) -> Store:
    """A council of a facilitator and ``n_members`` members (passcodes chosen): round
    :data:`DEBATE` revealed, with one decision in the log, and round :data:`CROWDED`
    scoring, with ``n_requirements`` requirements and every member in it.

    Registering members is slow on purpose (two scrypt hashes each): build it once and
    copy it per test."""
    store = Store(location)
    store.init()
    store.create_facilitator(FACILITATOR, "Boss", "Operations", passcode(FACILITATOR))
    facilitator = store.session(FACILITATOR, passcode(FACILITATOR))
    members = [member_id(i) for i in range(n_members)]
    for member in members:
        once = f"{member}-one-time"
        facilitator.register_member(member, f"Member {member}", "Sales", "member", once)
        store.session(member, once).change_passcode(once, passcode(member))

    def requirements(count: int) -> pd.DataFrame:
        ids = [f"R{r}" for r in range(count)]
        return pd.DataFrame({"id": ids, "title": [f"Requirement {r}" for r in ids]})

    # The facilitator alone scores the debate round: no criterion there has owners.
    unowned = tiny_criteria_mapping()
    for criterion in unowned["criteria"]:
        criterion.pop("owners", None)
    debate = facilitator.create_round(
        "Decided before", unowned, requirements(2), members=[FACILITATOR]
    )
    assert debate.id == DEBATE
    facilitator.start_scoring(DEBATE)
    cells = [
        ScoreCell(f"R{r}", criterion.id, criterion.scale.min + r, "the facilitator's view")
        for r in range(2)
        for criterion in facilitator.criteria(DEBATE)
    ]
    facilitator.submit_scores(DEBATE, cells)
    facilitator.reveal(DEBATE)
    facilitator.record_decision(DEBATE, "R0", "approve", rationale="before the crowd")
    crowded = facilitator.create_round(
        "Crowded", CRITERIA, requirements(n_requirements), members=members
    )
    assert crowded.id == CROWDED
    facilitator.start_scoring(CROWDED)
    return store


def score_cells(criteria: CriteriaSet, member: str, n_requirements: int) -> list[ScoreCell]:
    """The scores one member writes in round :data:`CROWDED`: every requirement on every
    criterion, inside each criterion's scale."""
    seed = int(member[1:])
    return [
        ScoreCell(
            f"R{r}",
            criterion.id,
            criterion.scale.min + (seed + r + k) % int(criterion.scale.span + 1),
            f"{member} says so",
        )
        for r in range(n_requirements)
        for k, criterion in enumerate(criteria)
    ]


def decide(facilitator: Any, count: int) -> int:
    """The facilitator records ``count`` decisions in round :data:`DEBATE` (the log's
    chain grows by one entry each)."""
    for k in range(count):
        facilitator.record_decision(
            DEBATE, f"R{k % 2}", ("approve", "postpone")[k % 2], rationale=f"decision {k}"
        )
    return count


def start_method() -> ForkContext | SpawnContext:
    """Fork where there is fork (fast, and the children need no re-import)."""
    if "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


# --- the crowd ---------------------------------------------------------------------------


def _score_all(location: str, member: str, start: Any, results: Any) -> None:
    """One member's process: sign in, wait for the others, submit every score one by one,
    then change the first (naming the version read)."""
    try:
        session = Store(location).session(member, passcode(member))
        cells = score_cells(session.criteria(CROWDED), member, N_REQUIREMENTS)
        start.wait()
        for cell in cells:
            session.submit_score(
                CROWDED, cell.requirement_id, cell.criterion, cell.score, cell.reason or ""
            )
        first = cells[0]
        changed = session.submit_score(
            CROWDED, first.requirement_id, first.criterion, first.score, "changed", version=1
        )
        results.put((member, (len(cells), changed.version)))
    except Exception as error:  # reported to the parent, which fails the test with it
        results.put((member, repr(error)))


def _decide(location: str, start: Any, results: Any) -> None:
    try:
        facilitator = Store(location).session(FACILITATOR, passcode(FACILITATOR))
        start.wait()
        results.put((FACILITATOR, decide(facilitator, N_DECISIONS)))
    except Exception as error:
        results.put((FACILITATOR, repr(error)))


@pytest.fixture(scope="session")
def crowded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Built once per run on SQLite; every test gets a copy (:func:`crowded`)."""
    path = tmp_path_factory.mktemp("crowded-template") / "crowded.db"
    build_crowded(path, N_MEMBERS, N_REQUIREMENTS)
    return path


@pytest.fixture(scope="session")
def pg_crowded_template(request: pytest.FixtureRequest) -> str:
    """The same council built once per run in a PostgreSQL template database."""
    server = postgres_server(request)
    build_crowded(server.create(name="crowded_template"), N_MEMBERS, N_REQUIREMENTS)
    connection.dispose_engines()  # PostgreSQL copies no database with open connections
    return "crowded_template"


@pytest.fixture
def crowded(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """The crowded council in a database of this test's own, on each engine."""
    if backend == "sqlite":
        template: Path = request.getfixturevalue("crowded_template")
        yield Store(copy_database(template, tmp_path / "crowded.db"))
        return
    name: str = request.getfixturevalue("pg_crowded_template")
    server = postgres_server(request)
    url = server.create(template=name)
    try:
        yield Store(url)
    finally:
        server.drop(url)


def location_of(store: Store) -> str:
    """What a child process opens: the file, or the URL with its password."""
    return store.location.url.render_as_string(hide_password=False)


def test_members_scoring_at_once_lose_nothing_and_the_log_verifies(crowded: Store) -> None:
    location = location_of(crowded)
    members = [member_id(i) for i in range(N_MEMBERS)]
    context = start_method()
    start, results = context.Event(), context.Queue()
    workers = [
        context.Process(target=_score_all, args=(location, member, start, results))
        for member in members
    ]
    workers.append(context.Process(target=_decide, args=(location, start, results)))
    connection.dispose_engines()  # no pooled connection of this process shared by a fork
    for worker in workers:
        worker.start()
    start.set()
    reported = dict(results.get(timeout=300) for _ in workers)
    for worker in workers:
        worker.join(timeout=60)
    expected = N_REQUIREMENTS * 10
    assert reported == {**dict.fromkeys(members, (expected, 2)), FACILITATOR: N_DECISIONS}

    facilitator = crowded.session(FACILITATOR, passcode(FACILITATOR))
    decide(facilitator, 1)  # the chain goes on after the crowd
    with raw(location) as conn:
        total, distinct = conn.execute(
            """SELECT COUNT(*), COUNT(DISTINCT requirement_id || '|' || member || '|' ||
                                        criterion) FROM scores WHERE round_id = ?""",
            (CROWDED,),
        ).fetchone()
        per_member = dict(
            conn.execute(
                "SELECT member, COUNT(*) FROM scores WHERE round_id = ? GROUP BY member",
                (CROWDED,),
            ).fetchall()
        )
        versions = dict(
            conn.execute(
                "SELECT version, COUNT(*) FROM scores WHERE round_id = ? GROUP BY version",
                (CROWDED,),
            ).fetchall()
        )
        history = conn.execute(
            "SELECT COUNT(*) FROM score_history WHERE round_id = ?", (CROWDED,)
        ).fetchone()[0]
    assert (total, distinct) == (N_MEMBERS * expected, N_MEMBERS * expected)
    assert per_member == dict.fromkeys(members, expected)
    assert versions == {1: N_MEMBERS * (expected - 1), 2: N_MEMBERS}
    assert history == N_MEMBERS * (expected + 1)  # every write on the record, none lost
    check = crowded.check()  # the engine's integrity checks, the log and the record
    assert check.ok, str(check)
    assert check.log.entries == 1 + N_DECISIONS + 1
    progress = facilitator.progress(CROWDED)
    assert progress["complete"].all() and len(progress) == N_MEMBERS


# --- a writer killed mid-transaction --------------------------------------------------------
# Both scripts open their transactions with the store's own connection.write, so the same
# test holds SQLite's write lock (BEGIN IMMEDIATE, WAL) or PostgreSQL's advisory lock.

_HOLD_A_TRANSACTION = textwrap.dedent(f"""
    import sys, time
    from prioritize.store import connection
    with connection.connect(sys.argv[1]) as conn, connection.write(conn):
        conn.executemany(
            "INSERT INTO scores (round_id, requirement_id, member, criterion, score, "
            "reason, time, version) VALUES ({CROWDED}, ?, 'c00', ?, 3, 'half-written', "
            "'now', 1)",
            [(f"R{{r}}", c) for r in range({N_REQUIREMENTS})
             for c in ("customer_impact", "error_reduction")])
        print("inside the transaction", flush=True)
        time.sleep(120)
""")

_COMMIT_IN_BATCHES = textwrap.dedent(f"""
    import sys
    from prioritize.store import connection
    with connection.connect(sys.argv[1]) as conn:
        batch = 0
        while True:
            with connection.write(conn):
                conn.executemany(
                    "INSERT INTO comments (round_id, requirement_id, member_id, body, "
                    "created_at) VALUES ({CROWDED}, 'R0', 'c01', ?, 'now')",
                    [(f"batch {{batch}} comment {{i}}",) for i in range(500)])
            batch += 1
            if batch == 3:
                print("committing batches", flush=True)
""")


def _run_and_kill(script: str, location: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(Path(prioritize.__file__).resolve().parents[1])}
    child = subprocess.Popen(
        [sys.executable, "-c", script, location],
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


def _wait_for_the_write_lock_released(store: Store) -> None:
    """PostgreSQL ends a dead client's session when it reads the closed socket; until then
    its transaction (and the advisory lock) lives on. Wait for that, with a bound, instead of
    letting the next writer queue forever behind a lock that is never released."""
    if store.location.engine != "postgresql":
        return  # SQLite's lock is the dead process's file lock, gone with it
    deadline = time.monotonic() + 30
    with raw(location_of(store)) as conn:
        while conn.execute(
            "SELECT COUNT(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database "
            "WHERE l.locktype = 'advisory' AND d.datname = current_database()"
        ).fetchone()[0]:
            assert time.monotonic() < deadline, "the killed writer's lock is still held"
            time.sleep(0.05)


def test_a_writer_killed_mid_transaction_leaves_nothing_and_blocks_no_one(
    crowded: Store,
) -> None:
    _run_and_kill(_HOLD_A_TRANSACTION, location_of(crowded))
    _wait_for_the_write_lock_released(crowded)
    with raw(location_of(crowded)) as conn:
        assert (
            conn.execute("SELECT COUNT(*) FROM scores WHERE round_id = ?", (CROWDED,)).fetchone()[0]
            == 0
        )
    check = crowded.check()
    assert check.ok, str(check)
    # The lock died with the writer: the next member writes at once.
    member = crowded.session("c00", passcode("c00"))
    record = member.submit_score(CROWDED, "R0", "customer_impact", 4, "after the crash")
    assert record.version == 1
    assert len(member.scores(CROWDED)) == 1


def test_a_writer_killed_between_commits_keeps_whole_transactions(crowded: Store) -> None:
    _run_and_kill(_COMMIT_IN_BATCHES, location_of(crowded))
    _wait_for_the_write_lock_released(crowded)
    with raw(location_of(crowded)) as conn:
        count = conn.execute("SELECT COUNT(*) FROM comments").fetchone()[0]
    assert count >= 3 * 500
    assert count % 500 == 0, "a transaction was half-applied"
    check = crowded.check()
    assert check.ok, str(check)
    crowded.session("c01", passcode("c01")).add_comment(CROWDED, "R0", "still works")
