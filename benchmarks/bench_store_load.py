"""Benchmark: 50 members scoring at once, on SQLite and on PostgreSQL, in the same run.

Run from the repository root::

    python benchmarks/bench_store_load.py [--processes 50] [--scores 40] [--decisions 5]
                                          [--postgresql-as-tests]

One council (a facilitator and ``--processes`` members, a revealed round with one decision
in the log, a scoring round of ``--scores / 10`` requirements x 10 criteria) is built once
in a SQLite file and copied to each engine (``copy_council`` for PostgreSQL). Then, per
engine, one process per member signs in (scrypt, slow on purpose: before the start
barrier, not timed) and, once all are ready, writes its scores one ``Session.submit_score``
call at a time; the facilitator records ``--decisions`` decisions in the revealed round
meanwhile and one more afterwards, so the log's chain grows during the load. Every call
is timed in the process that makes it.

Checked afterwards, or the run fails: exactly processes x scores scores stored, each
once, at version 1; the score history holds each write once; the engine's integrity check
and the decision log (chain, head, and the record behind each decision) verify.

Reported per engine: ``submit_score`` latency (median, 95th percentile, max) over every
call, wall time from the first call to the last, throughput, and the load average.

PostgreSQL is the server named by ``$PRIORITIZE_TEST_POSTGRESQL``, used as configured, or
one this script starts in a temporary directory (``tests/databases.py``) and stops. The
tests start theirs with fsync and synchronous_commit off (speed, nothing to keep); this
script runs the load on it so, then restarts its own server with both on, so that a
commit waits for the disk as SQLite's does (WAL, ``synchronous = FULL``), and runs the
load again (not with ``--postgresql-as-tests``).
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from prioritize.store import Store, connection  # noqa: E402
from prioritize.store.transfer import copy_council  # noqa: E402
from tests.conftest import copy_database  # noqa: E402  (SQLite's backup API)
from tests.databases import PostgresServer, start_server  # noqa: E402
from tests.databases import raw as raw_connection  # noqa: E402
from tests.store.test_store_concurrency import (  # noqa: E402  (the council the test crowds)
    CROWDED,
    FACILITATOR,
    build_crowded,
    decide,
    member_id,
    passcode,
    score_cells,
    start_method,
)

CRITERIA_PER_REQUIREMENT = 10  # customer-operations


@dataclass(frozen=True)
class Run:
    """One engine's load: every call's latency, and what the database holds after."""

    engine: str
    settings: str
    latencies: list[float]
    wall: float
    stored: int
    load_before: float
    load_after: float
    log_entries: int


def _member(location: str, member: str, scores: int, barrier: Any, results: Any) -> None:
    """One member's process: sign in, wait at the barrier, submit and time each score."""
    try:
        session = Store(location).session(member, passcode(member))
        requirements = math.ceil(scores / CRITERIA_PER_REQUIREMENT)
        cells = score_cells(session.criteria(CROWDED), member, requirements)[:scores]
        barrier.wait()
        latencies = []
        first = time.perf_counter()  # CLOCK_MONOTONIC: comparable across processes
        for cell in cells:
            began = time.perf_counter()
            session.submit_score(
                CROWDED, cell.requirement_id, cell.criterion, cell.score, cell.reason or ""
            )
            latencies.append(time.perf_counter() - began)
        results.put((member, latencies, first, time.perf_counter()))
    except Exception as error:  # the parent stops the run with it
        results.put((member, repr(error), 0.0, 0.0))


def _facilitator(location: str, decisions: int, barrier: Any, results: Any) -> None:
    try:
        facilitator = Store(location).session(FACILITATOR, passcode(FACILITATOR))
        barrier.wait()
        results.put((FACILITATOR, decide(facilitator, decisions), 0.0, 0.0))
    except Exception as error:
        results.put((FACILITATOR, repr(error), 0.0, 0.0))


def crowd(location: str, processes: int, scores: int, decisions: int) -> tuple[list[float], float]:
    """Every member's latencies, and the wall time from the first call to the last."""
    context = start_method()
    barrier, results = context.Barrier(processes + 2), context.Queue()
    members = [member_id(i) for i in range(processes)]
    workers = [
        context.Process(target=_member, args=(location, m, scores, barrier, results))
        for m in members
    ]
    workers.append(
        context.Process(target=_facilitator, args=(location, decisions, barrier, results))
    )
    connection.dispose_engines()  # no pooled connection of this process shared by a fork
    for worker in workers:
        worker.start()
    barrier.wait(timeout=600)  # everyone signed in
    reported = [results.get(timeout=900) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)
    failed = {who: what for who, what, _, _ in reported if isinstance(what, str)}
    if failed:
        raise SystemExit(f"{len(failed)} processes failed, e.g. {next(iter(failed.items()))}")
    timed = [r for r in reported if r[0] != FACILITATOR]
    latencies = [latency for _, calls, _, _ in timed for latency in calls]
    wall = max(r[3] for r in timed) - min(r[2] for r in timed)
    return latencies, wall


def verify(location: str, processes: int, scores: int, decisions: int) -> tuple[int, int]:
    """What the run must have left, or the run fails: the scores stored, and the log's
    entries."""
    facilitator = Store(location).session(FACILITATOR, passcode(FACILITATOR))
    decide(facilitator, 1)  # the chain goes on after the load
    with raw_connection(location) as conn:
        total, distinct, versions = conn.execute(
            """SELECT COUNT(*), COUNT(DISTINCT requirement_id || '|' || member || '|' ||
                      criterion), MAX(version) FROM scores WHERE round_id = ?""",
            (CROWDED,),
        ).fetchone()
        members = conn.execute(
            """SELECT COUNT(*) FROM (SELECT member FROM scores WHERE round_id = ?
               GROUP BY member HAVING COUNT(*) = ?) AS complete""",
            (CROWDED, scores),
        ).fetchone()[0]
        history = conn.execute(
            "SELECT COUNT(*) FROM score_history WHERE round_id = ?", (CROWDED,)
        ).fetchone()[0]
    expected = processes * scores
    found = (total, distinct, versions, members, history)
    if found != (expected, expected, 1, processes, expected):
        raise SystemExit(
            f"scores lost or doubled: (stored, distinct, highest version, complete members, "
            f"history) = {found}, expected {(expected, expected, 1, processes, expected)}"
        )
    check = Store(location).check()
    if not check.ok or check.log.entries != decisions + 2:
        raise SystemExit(f"the database does not verify ({check.log.entries} entries): {check}")
    return total, check.log.entries


def restart_durable(server: PostgresServer) -> bool:
    """Restart the server this script started with commits that wait for the disk.

    ``tests/databases.py`` starts it with ``-c fsync=off -c synchronous_commit=off``, and
    options given on the command line outrank ``ALTER SYSTEM``; so restart it (``pg_ctl
    restart``: the same data directory, port and socket folder) without them. This relies
    on how that module stops its server; False when that changed."""
    stop = server._stop  # [runuser -u postgres --] pg_ctl -D DATA -m fast stop
    if not stop or stop[-1] != "stop" or server._folder is None:
        return False
    options = (
        f"-p {make_url(server.url).port} -k {server._folder} -c listen_addresses=127.0.0.1 "
        "-c max_connections=300 -c fsync=on -c synchronous_commit=on -c full_page_writes=on"
    )
    log = str(Path(server._folder) / "log")
    restart = [*stop[:-1], "restart", "-o", options, "-l", log, "-w", "-t", "60"]
    subprocess.run(restart, check=True, capture_output=True)
    return True


def settings(server: PostgresServer) -> str:
    """The server's version and whether a commit waits for the disk."""
    with server.admin() as conn:
        shown = [
            f"{name} {conn.exec_driver_sql(f'SHOW {name}').scalar()}"
            for name in ("fsync", "synchronous_commit")
        ]
        version = str(conn.exec_driver_sql("SHOW server_version").scalar()).split()[0]
    return f"PostgreSQL {version}, " + ", ".join(shown)


def run_postgresql(server: PostgresServer, template: Path, args: argparse.Namespace) -> Run:
    """The load on a new database of ``server`` holding a copy of the council."""
    url = server.create()
    copy_council(template, url)
    setting = settings(server)
    label = "postgresql" + (", fsync on" if "fsync on" in setting else ", fsync off")
    try:
        return run_engine(label, url, setting, args)
    finally:
        server.drop(url)


def run_engine(engine: str, location: str, setting: str, args: argparse.Namespace) -> Run:
    load_before = os.getloadavg()[0]
    latencies, wall = crowd(location, args.processes, args.scores, args.decisions)
    load_after = os.getloadavg()[0]
    stored, entries = verify(location, args.processes, args.scores, args.decisions)
    connection.dispose_engines()
    return Run(engine, setting, latencies, wall, stored, load_before, load_after, entries)


def report(runs: list[Run]) -> None:
    print(
        f"{'engine':<23}{'stored':>8}{'median ms':>11}{'p95 ms':>9}{'max ms':>9}"
        f"{'wall s':>9}{'scores/s':>10}{'load':>12}  log"
    )
    for run in runs:
        cuts = statistics.quantiles(run.latencies, n=100, method="inclusive")
        print(
            f"{run.engine:<23}{run.stored:>8,}{statistics.median(run.latencies) * 1e3:>11.1f}"
            f"{cuts[94] * 1e3:>9.1f}{max(run.latencies) * 1e3:>9.1f}{run.wall:>9.2f}"
            f"{run.stored / run.wall:>10.0f}{run.load_before:>6.1f}->{run.load_after:<4.1f}"
            f"  {run.log_entries} entries, verifies"
        )
    for run in runs:
        print(f"  {run.engine}: {run.settings}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--processes", type=int, default=50, help="members scoring at once")
    parser.add_argument("--scores", type=int, default=40, help="scores each member writes")
    parser.add_argument(
        "--decisions", type=int, default=5, help="decisions recorded during the load"
    )
    parser.add_argument(
        "--postgresql-as-tests",
        action="store_true",
        help="PostgreSQL only as the tests start it (fsync off), not also restarted with fsync on",
    )
    args = parser.parse_args()
    own = not os.environ.get("PRIORITIZE_TEST_POSTGRESQL")
    found = start_server()
    if isinstance(found, str):
        raise SystemExit(f"no PostgreSQL server: {found}")
    server = found
    try:
        with tempfile.TemporaryDirectory(prefix="bench-store-load-") as folder:
            print(
                f"machine: {platform.machine()}, {os.cpu_count()} cores, "
                f"{platform.python_implementation()} {platform.python_version()}, "
                f"SQLite {sqlite3.sqlite_version}, "
                f"SQLAlchemy {sa.__version__}"
            )
            print(
                f"{args.processes} processes x {args.scores} scores "
                f"(submit_score, one call per score), {args.decisions} decisions meanwhile"
            )
            started = time.perf_counter()
            template = Path(folder) / "template.db"
            requirements = math.ceil(args.scores / CRITERIA_PER_REQUIREMENT)
            build_crowded(template, args.processes, requirements)
            print(f"council built in {time.perf_counter() - started:.1f} s (scrypt)")
            runs = []
            sqlite_file = copy_database(template, Path(folder) / "sqlite.db")
            runs.append(run_engine("sqlite", str(sqlite_file), "WAL, synchronous FULL", args))
            runs.append(run_postgresql(server, template, args))
            if own and not args.postgresql_as_tests:
                connection.dispose_engines()
                if restart_durable(server):
                    runs.append(run_postgresql(server, template, args))
            report(runs)
    finally:
        connection.dispose_engines()
        if own:
            server.stop()


if __name__ == "__main__":
    main()
