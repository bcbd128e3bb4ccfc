"""Real databases for the store's tests: SQLite files, and a real PostgreSQL server.

The PostgreSQL server is the one named by ``$PRIORITIZE_TEST_POSTGRESQL`` (a URL of a role
that may create databases), or else one this module starts in a temporary directory with
Debian's binaries (``initdb``, ``pg_ctl``; as the ``postgres`` user when the tests run as
root, since PostgreSQL refuses to run as root) and stops at the end of the run. Without
either, the PostgreSQL cases are skipped with the reason; where
``$PRIORITIZE_REQUIRE_POSTGRESQL`` is set (``.ci/run`` sets it) they fail instead, so CI
never passes them silently.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.pool import NullPool

from prioritize.store import connection

SERVER_ENV = "PRIORITIZE_TEST_POSTGRESQL"
REQUIRE_ENV = "PRIORITIZE_REQUIRE_POSTGRESQL"


def _binaries() -> Path | None:
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).resolve().parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    return Path(versions[-1]).parent if versions else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class PostgresServer:
    """A PostgreSQL server the tests may create and drop databases on."""

    #: URL of the admin role, without a database name.
    url: str
    _stop: list[str] | None = None
    _folder: str | None = None

    def database_url(self, name: str) -> str:
        return make_url(self.url).set(database=name).render_as_string(hide_password=False)

    @contextlib.contextmanager
    def admin(self) -> Iterator[Connection]:
        engine = sa.create_engine(
            self.database_url("postgres"), poolclass=NullPool, isolation_level="AUTOCOMMIT"
        )
        try:
            with engine.connect() as conn:
                yield conn
        finally:
            engine.dispose()

    def create(self, *, template: str | None = None, name: str | None = None) -> str:
        """A new database sorting text byte by byte (as the store requires); its URL."""
        name = name or f"t_{uuid.uuid4().hex[:16]}"
        source = template or "template0"
        with self.admin() as conn:
            conn.exec_driver_sql(
                f"CREATE DATABASE \"{name}\" TEMPLATE \"{source}\" LC_COLLATE 'C' LC_CTYPE 'C'"
                if template is None
                else f'CREATE DATABASE "{name}" TEMPLATE "{source}"'
            )
        return self.database_url(name)

    def drop(self, url: str) -> None:
        """Drop a database (closing this process's pooled connections to it first)."""
        connection.dispose_engines()
        name = make_url(url).database
        with self.admin() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        if self._stop:
            subprocess.run(self._stop, check=False, capture_output=True)
        if self._folder:
            shutil.rmtree(self._folder, ignore_errors=True)


def _as_postgres(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", "postgres", "--", *command]


def start_server() -> PostgresServer | str:
    """The server to test against, or why there is none."""
    if os.environ.get(SERVER_ENV):
        return PostgresServer(os.environ[SERVER_ENV])
    binaries = _binaries()
    if binaries is None:
        return "no PostgreSQL server binaries (pg_ctl, initdb): apt install postgresql"
    folder = tempfile.mkdtemp(prefix="prioritize-pg-")
    data = Path(folder) / "data"
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    port = _free_port()
    init = subprocess.run(
        _as_postgres(
            [
                str(binaries / "initdb"),
                "-D",
                str(data),
                "-U",
                "postgres",
                "--auth=trust",
                "--locale=C",
                "--encoding=UTF8",
                "--no-sync",
            ]
        ),
        capture_output=True,
        text=True,
        check=False,
    )
    if init.returncode:
        return f"initdb failed: {init.stderr.strip()[-500:]}"
    options = (
        f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off "
        "-c synchronous_commit=off -c full_page_writes=off -c max_connections=300"
    )
    started = subprocess.run(
        _as_postgres(
            [
                str(binaries / "pg_ctl"),
                "-D",
                str(data),
                "-o",
                options,
                "-l",
                str(Path(folder) / "log"),
                "-w",
                "-t",
                "60",
                "start",
            ]
        ),
        capture_output=True,
        text=True,
        check=False,
    )
    if started.returncode:
        log = (Path(folder) / "log").read_text() if (Path(folder) / "log").exists() else ""
        return f"pg_ctl start failed: {started.stderr.strip()[-300:]} {log[-300:]}"
    server = PostgresServer(
        f"postgresql://postgres@127.0.0.1:{port}",
        _stop=_as_postgres([str(binaries / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"]),
        _folder=folder,
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            with server.admin() as conn:
                conn.exec_driver_sql("SELECT 1")
            return server
        except sa.exc.OperationalError:
            if time.monotonic() > deadline:
                server.stop()
                return "the PostgreSQL server did not accept connections within 30 s"
            time.sleep(0.2)


def unavailable(reason: str) -> None:
    """Skip a PostgreSQL case with the reason, or fail it where PostgreSQL is required."""
    if os.environ.get(REQUIRE_ENV):
        pytest.fail(f"PostgreSQL is required here (${REQUIRE_ENV}) but {reason}")
    pytest.skip(f"PostgreSQL tests skipped: {reason}")


@contextlib.contextmanager
def raw(location: str | Path) -> Iterator[connection.Db]:
    """A plain connection to a council database, as someone with SQL access but not the
    store would use it: no store rules, no transaction (each statement commits), ``?``
    placeholders. For tampering tests on both engines; errors are SQLAlchemy's
    ``DBAPIError`` on both."""
    place = connection.locate(location)
    engine = sa.create_engine(place.url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            yield connection.Db(conn, place)
    finally:
        engine.dispose()


def drop_append_only(conn: connection.Db, table: str) -> None:
    """Drop the triggers that make ``table`` append-only, on either engine (tampering)."""
    from prioritize.store.portable import drop_append_only as statements

    for statement in getattr(statements(table), conn.engine):
        conn.raw(statement)
