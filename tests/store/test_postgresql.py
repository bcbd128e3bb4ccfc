"""What only PostgreSQL has: its transactions, its schema checks, and backups with pg_dump
restored with pg_restore into a council that verifies (the recipe of docs/deploy.md)."""

from __future__ import annotations

import io
import shutil
import subprocess
import threading
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from prioritize.cli.main import main
from prioritize.errors import ValidationError
from prioritize.store import SCHEMA_VERSION, Store, connection
from tests.conftest import postgres_server
from tests.databases import PostgresServer, _binaries, raw
from tests.store.council import Council, passcode


@pytest.fixture
def backend() -> str:
    """Every test here is about PostgreSQL."""
    return "postgresql"


def _tool(name: str) -> str:
    folder = _binaries()
    found = shutil.which(name) or (str(folder / name) if folder else None)
    if not found:
        pytest.skip(f"{name} is not installed")
    return found


def test_a_write_transaction_holds_the_write_lock_and_a_read_sees_one_snapshot(
    council_db: Council,
) -> None:
    with connection.connect(council_db.path) as db, connection.write(db):
        held = db.execute(
            "SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND granted "
            "AND pid = pg_backend_pid()"
        ).fetchone()[0]
        level = db.execute("SHOW transaction_isolation").fetchone()[0]
    assert (held, level) == (1, "read committed")
    with connection.connect(council_db.path) as db, connection.read(db):
        level = db.execute("SHOW transaction_isolation").fetchone()[0]
        read_only = db.execute("SHOW transaction_read_only").fetchone()[0]
    assert (level, read_only) == ("repeatable read", "on")


def test_a_second_writer_waits_for_the_first(council_db: Council) -> None:
    """Writers queue as on SQLite: a score saved while another write transaction is open
    lands after that transaction commits, never beside it."""
    order: list[str] = []
    started = threading.Event()
    member = council_db.session("m01")

    def second() -> None:
        started.wait(10)
        member.submit_score(council_db.scoring, "R3", "impact", 2, "second")
        order.append("second")

    thread = threading.Thread(target=second)
    thread.start()
    with connection.connect(council_db.path) as db, connection.write(db):
        started.set()
        thread.join(0.5)  # it cannot finish while this transaction holds the lock
        assert thread.is_alive()
        order.append("first")
    thread.join(10)
    assert order == ["first", "second"]


def test_a_database_that_does_not_sort_byte_by_byte_is_refused(
    request: pytest.FixtureRequest,
) -> None:
    server: PostgresServer = postgres_server(request)
    name = "t_collation_icu"
    with server.admin() as conn:
        # an ICU collation sorts 'a' before 'B'; byte order puts 'B' first
        conn.exec_driver_sql(
            f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C' "
            "LOCALE_PROVIDER icu ICU_LOCALE 'en-US'"
        )
    url = server.database_url(name)
    try:
        with pytest.raises(ValidationError, match="byte by byte") as caught:
            Store(url).init()
        assert "createdb --template=template0 --locale=C" in str(caught.value)
    finally:
        server.drop(url)


def test_a_fresh_database_runs_every_migration_and_a_newer_one_is_refused(
    fresh_location: str,
) -> None:
    store = Store(fresh_location)
    assert store.init() == SCHEMA_VERSION
    assert store.schema_version == SCHEMA_VERSION
    with raw(fresh_location) as conn:
        conn.execute("UPDATE prioritize_schema SET version = ?", (SCHEMA_VERSION + 1,))
    with pytest.raises(ValidationError, match="newer version"):
        Store(fresh_location).init()


def test_tables_that_are_not_ours_are_refused(fresh_location: str) -> None:
    with raw(fresh_location) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER)")
    with pytest.raises(ValidationError, match="not a prioritize database"):
        Store(fresh_location).init()


def test_a_password_never_shows(council_db: Council) -> None:
    url = make_url(str(council_db.path)).set(password="s3cret-pw")
    store = Store(url.render_as_string(hide_password=False))
    assert "s3cret-pw" not in repr(store) and "s3cret-pw" not in store.label


def test_the_backup_command_points_to_pg_dump(council_db: Council, tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="pg_dump"):
        council_db.store().backup(tmp_path / "copy.db")
    out = io.StringIO()
    assert main(["db", "check", "--db", str(council_db.path)], out=out) == 0
    assert "PostgreSQL integrity: ok" in out.getvalue()
    assert "decision record: ok" in out.getvalue()


def test_pg_dump_restored_with_pg_restore_verifies_with_the_same_head(
    council_db: Council, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    """The backup recipe of docs/deploy.md, run for real."""
    facilitator = council_db.session("f01")
    facilitator.record_decision(council_db.debate, "R1", "approve")
    facilitator.record_decision(council_db.debate, "R3", "reject", rationale="least value")
    head = council_db.store().verify_log().head
    server: PostgresServer = postgres_server(request)
    dump = tmp_path / "council.dump"
    source = make_url(str(council_db.path))
    subprocess.run(
        [
            _tool("pg_dump"),
            "--format=custom",
            "--no-owner",
            f"--file={dump}",
            f"--dbname={source.set(drivername='postgresql').render_as_string(False)}",
        ],
        check=True,
        capture_output=True,
    )
    restored = server.create()  # an empty database with collation C, as the recipe says
    try:
        target = make_url(restored)
        subprocess.run(
            [
                _tool("pg_restore"),
                "--no-owner",
                "--exit-on-error",
                f"--dbname={target.set(drivername='postgresql').render_as_string(False)}",
                str(dump),
            ],
            check=True,
            capture_output=True,
        )
        store = Store(restored)
        check = store.verify_log()
        assert check.ok and check.head == head and check.entries == 2
        # the restored council works: sign in, the sequences continue after the rows
        session = store.session("m01", passcode("m01"))
        session.add_comment(council_db.debate, "R1", "after the restore")
        assert store.verify_log().ok
    finally:
        server.drop(restored)


APP_ROLE_SQL = Path(__file__).parents[2] / "docs" / "deploy" / "app-role.sql"


def _statements(script: str) -> list[str]:
    lines = [line for line in script.splitlines() if not line.lstrip().startswith("--")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]


def test_the_app_role_of_the_deploy_guide_runs_a_council_and_nothing_more(
    council_db: Council,
) -> None:
    """docs/deploy/app-role.sql, run as the guide says: the app's role scores, reveals,
    decides and verifies, and cannot rewrite the record or the schema."""
    with raw(council_db.path) as owner:
        owner.raw(
            "DO $$ BEGIN CREATE ROLE prioritize_app LOGIN; "
            "EXCEPTION WHEN duplicate_object THEN NULL; END $$"
        )
        for statement in _statements(APP_ROLE_SQL.read_text()):
            owner.raw(statement)
    app_url = make_url(str(council_db.path)).set(username="prioritize_app")
    app = app_url.render_as_string(hide_password=False)
    store = Store(app)
    member = store.session("m02", passcode("m02"))
    member.submit_score(council_db.scoring, "R4", "impact", 4, "as the app role")
    facilitator = store.session("f01", passcode("f01"))
    facilitator.record_decision(council_db.debate, "R1", "approve")
    assert store.verify_log().ok and store.verify_log().entries == 1
    with raw(app) as conn:
        for forbidden in (
            "UPDATE decisions SET rationale = 'forged'",
            "DELETE FROM score_history",
            "DROP TRIGGER decisions_no_update ON decisions",
            "CREATE TABLE extra (x INTEGER)",
            "UPDATE prioritize_schema SET version = 1",
        ):
            with pytest.raises(DBAPIError, match=r"permission denied|must be owner"):
                conn.execute(forbidden)
    assert Store(council_db.path).verify_log().ok


def test_a_writer_that_waits_too_long_is_told_the_database_is_busy(council_db: Council) -> None:
    """The lock wait is bounded as SQLite's busy timeout is; the error says what happened
    (this connection's bound is lowered to 0.2 s for the test)."""
    with (
        connection.connect(council_db.path) as holder,
        connection.write(holder),
        connection.connect(council_db.path) as waiter,
    ):
        waiter.raw("SET lock_timeout = 200")
        try:
            with pytest.raises(ValidationError, match="busy"), connection.write(waiter):
                pass
        finally:
            waiter.raw("RESET lock_timeout")
