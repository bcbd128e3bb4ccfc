"""Connections to the council database, SQLite or PostgreSQL: one unit of work at a time.

Every query of the store is written once, with ``?`` placeholders, and runs on both
engines through SQLAlchemy Core (:class:`Db`): each ``?`` becomes a numbered bind parameter
of a :func:`sqlalchemy.text` clause, which SQLAlchemy renders in the driver's own style
(``?`` for sqlite3, ``%(p0)s`` for psycopg). Rows come back as :class:`Row`, readable by
name (``row["id"]``) or position (``row[0]``).

What differs between the engines lives here and in :mod:`~prioritize.store.schema`, and
nowhere else:

* **where**: a file path (or ``sqlite:///file.db``) is SQLite, ``postgresql://user@host/db``
  is PostgreSQL (:func:`~prioritize.store.location.locate`);
* **connections**: SQLite gets a fresh connection per unit of work (WAL journal, busy
  timeout, foreign keys on); PostgreSQL a small pool per process;
* **transactions**: :func:`write` serialises writers, :func:`read` gives one snapshot. On
  SQLite, ``BEGIN IMMEDIATE`` and ``BEGIN``. On PostgreSQL, a write transaction runs at
  READ COMMITTED and first takes a transaction-scoped advisory lock of the database
  (``pg_advisory_xact_lock``), so writers queue exactly as they do on SQLite: the log's
  hash chain, the optimistic score versions and every check-then-write of the permission
  rules (a member's score against a round that the facilitator is closing) see the last
  committed write. SERIALIZABLE would give the same guarantee but abort the losers of
  every conflict, so each unit of work would need a retry loop; row locks would have to be
  chosen per unit of work and get one wrong. Reads take no lock: a read transaction is
  REPEATABLE READ, READ ONLY, so its SELECTs see one snapshot.
"""

from __future__ import annotations

import contextlib
import re
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event, exc
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import NullPool

from prioritize.errors import Problem, ValidationError
from prioritize.store.location import DB_ENV, Location, default_location, default_path, locate
from prioritize.store.rows import Cursor, Row

__all__ = [
    "BUSY_TIMEOUT_MS",
    "DB_ENV",
    "Db",
    "Location",
    "Row",
    "connect",
    "default_location",
    "default_path",
    "locate",
    "now",
    "read",
    "write",
]

#: How long a connection waits for another writer's lock before giving up. Writes are
#: short (one score, one decision), so 30 s only runs out when something is stuck.
BUSY_TIMEOUT_MS = 30_000
#: The key of the PostgreSQL advisory lock that serialises a database's writers (any
#: constant: advisory locks are scoped to their database).
WRITE_LOCK_KEY = 0x7072696F72  # "prior"
#: Connections a PostgreSQL pool keeps per process (and may open beyond, for bursts).
POOL_SIZE, POOL_OVERFLOW = 5, 10


def now() -> str:
    """The current UTC time as ISO 8601 text (portable: no database-specific type)."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


# --- engines, one per location and process ----------------------------------------------------

_ENGINES: dict[str, Engine] = {}
_ENGINES_LOCK = threading.Lock()


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
    finally:
        cursor.close()


def engine(place: Location) -> Engine:
    """The SQLAlchemy engine of ``place`` (created once per process). Transactions are
    opened explicitly by :func:`write` and :func:`read`, never by the driver."""
    key = place.url.render_as_string(hide_password=False)
    with _ENGINES_LOCK:
        found = _ENGINES.get(key)
        if found is not None:
            return found
        if place.path is not None:
            created = sa.create_engine(
                place.url,
                poolclass=NullPool,
                isolation_level="AUTOCOMMIT",
                connect_args={"timeout": BUSY_TIMEOUT_MS / 1000},
            )
            event.listen(created, "connect", _sqlite_pragmas)
        else:
            created = sa.create_engine(
                place.url,
                isolation_level="AUTOCOMMIT",
                pool_size=POOL_SIZE,
                max_overflow=POOL_OVERFLOW,
                pool_pre_ping=True,
                connect_args={
                    "connect_timeout": 10,
                    "application_name": "prioritize",
                    # as SQLite's busy timeout: a writer waits at most this long for the
                    # lock; a client hung inside a transaction loses its session (and the
                    # lock) after five idle minutes
                    "options": f"-c lock_timeout={BUSY_TIMEOUT_MS} "
                    "-c idle_in_transaction_session_timeout=300000",
                },
            )
        _ENGINES[key] = created
        return created


def dispose_engines() -> None:
    """Close every pooled connection of this process (after a fork, or before dropping a
    database in tests)."""
    with _ENGINES_LOCK:
        for created in _ENGINES.values():
            created.dispose()
        _ENGINES.clear()


# --- rows and the connection ---------------------------------------------------------------------


_COLON_OR_MARK = re.compile(r"'(?:[^']|'')*'|\?|:")


@lru_cache(maxsize=1024)
def _bound(sql: str) -> tuple[sa.TextClause, int]:
    """``sql`` with each ``?`` (outside quotes) as the bind parameter ``:p0``, ``:p1``, …,
    every other colon escaped, as a text clause; and the number of parameters."""
    count = 0

    def swap(match: re.Match[str]) -> str:
        nonlocal count
        found = match.group(0)
        if found == "?":
            count += 1
            return f":p{count - 1}"
        if found == ":":
            return "\\:"
        return found.replace(":", "\\:")

    return sa.text(_COLON_OR_MARK.sub(swap, sql)), count


def _value(value: Any) -> Any:
    # Booleans are stored as 0/1 integers on both engines (sqlite3 did this by itself).
    return int(value) if isinstance(value, bool) else value


def _params(params: Sequence[Any] | Mapping[str, Any], count: int) -> dict[str, Any]:
    if isinstance(params, Mapping):
        raise TypeError("store queries take positional '?' parameters")
    if len(params) != count:
        raise TypeError(f"the query has {count} placeholders, {len(params)} values were given")
    return {f"p{i}": _value(v) for i, v in enumerate(params)}


class Db:
    """One connection for one unit of work, on either engine.

    ``execute(sql, params)`` runs one statement with ``?`` placeholders; ``executemany``
    runs it once per parameter tuple. ``engine`` says which engine it is, for the few
    statements that must differ (:mod:`~prioritize.store.schema`).
    """

    __slots__ = ("_conn", "engine", "location")

    def __init__(self, conn: Connection, location: Location) -> None:
        self._conn = conn
        self.location = location
        self.engine = location.engine

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Cursor:
        clause, count = _bound(sql)
        return Cursor(self._conn.execute(clause, _params(params, count)))

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        clause, count = _bound(sql)
        batch = [_params(row, count) for row in rows]
        if batch:
            self._conn.execute(clause, batch)

    def raw(self, sql: str) -> None:
        """A statement of our own with no parameters, passed to the driver as it is
        (transaction control, DDL)."""
        self._conn.exec_driver_sql(sql)

    @property
    def sqlalchemy(self) -> Connection:
        """The underlying SQLAlchemy connection (reflection, copying tables)."""
        return self._conn


def _read_only_sqlite(path: Path) -> Engine:
    """An engine whose connections open ``path`` read-only (through a URI): verifying and
    checking a file must never write to it, not even a migration or a journal change."""
    uri = f"{path.resolve().as_uri()}?mode=ro"
    return sa.create_engine(
        "sqlite://",
        poolclass=NullPool,
        isolation_level="AUTOCOMMIT",
        creator=lambda: sqlite3.connect(uri, uri=True, check_same_thread=False),
    )


@contextmanager
def connect(location: str | Path | Location, *, read_only: bool = False) -> Iterator[Db]:
    """A connection to ``location`` for one unit of work, returned on exit.

    The connection is in autocommit mode: transactions are opened explicitly by
    :func:`write` and :func:`read`; a statement outside them commits on its own.
    ``read_only`` opens a SQLite file read-only (on PostgreSQL, :func:`read` is read-only).
    """
    place = locate(location)
    own = read_only and place.path is not None  # an engine of this unit of work alone
    chosen = _read_only_sqlite(place.path) if own and place.path else engine(place)
    try:
        conn = chosen.connect()
    except exc.DBAPIError as error:
        raise unreachable(place, error) from error
    try:
        yield Db(conn, place)
    finally:
        conn.close()
        if own:
            chosen.dispose()


def unreachable(place: Location, error: BaseException) -> ValidationError:
    """The error for a database that cannot be opened."""
    if place.path is not None:
        return not_a_database(place.path, error)
    cause = getattr(error, "orig", error)
    return ValidationError(
        Problem(
            f"cannot open the PostgreSQL database (psycopg says: {str(cause).strip()})",
            file=place.label,
            expected="a reachable PostgreSQL server, an existing database and a role that "
            "may connect to it (docs/deploy.md)",
        )
    )


def not_a_database(path: str | Path, error: BaseException) -> ValidationError:
    """The error for a file SQLite cannot read as a database (a workbook, a CSV, garbage)."""
    cause = getattr(error, "orig", error)
    return ValidationError(
        Problem(
            f"not a council database (SQLite says: {cause})",
            file=str(path),
            expected="a database made by 'prioritize db init' or the app, or a new file name",
        )
    )


_BEGIN_WRITE = {
    "sqlite": ("BEGIN IMMEDIATE",),
    "postgresql": (
        "BEGIN ISOLATION LEVEL READ COMMITTED",
        f"SELECT pg_advisory_xact_lock({WRITE_LOCK_KEY})",
    ),
}
_BEGIN_READ = {
    "sqlite": ("BEGIN",),
    "postgresql": ("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",),
}


@contextmanager
def write(db: Db) -> Iterator[Db]:
    """A write transaction, one writer at a time: committed on success, rolled back on any
    error."""
    try:
        for statement in _BEGIN_WRITE[db.engine]:
            db.raw(statement)
    except exc.DBAPIError as error:
        _end(db, "ROLLBACK")
        raise (busy(db.location) if _is_busy(error) else unreachable(db.location, error)) from error
    try:
        yield db
    except BaseException:
        _end(db, "ROLLBACK")
        raise
    db.raw("COMMIT")


def _is_busy(error: exc.DBAPIError) -> bool:
    cause = error.orig
    # PostgreSQL: lock_not_available; SQLite: the busy timeout ran out
    return getattr(cause, "sqlstate", None) == "55P03" or "database is locked" in str(cause)


def busy(place: Location) -> ValidationError:
    """The error for a write that waited :data:`BUSY_TIMEOUT_MS` for another one."""
    return ValidationError(
        Problem(
            f"the council database is busy: another change held it for more than "
            f"{BUSY_TIMEOUT_MS // 1000} s, so nothing was saved",
            file=place.label,
            expected="try again in a moment (if it persists, a process is stuck: restart it)",
        )
    )


@contextmanager
def read(db: Db) -> Iterator[Db]:
    """A read transaction: every SELECT inside sees the same snapshot of the database."""
    try:
        for statement in _BEGIN_READ[db.engine]:
            db.raw(statement)
    except exc.DBAPIError as error:
        _end(db, "ROLLBACK")
        raise unreachable(db.location, error) from error
    try:
        yield db
    finally:
        _end(db, "ROLLBACK")


def _end(db: Db, statement: str) -> None:
    # no transaction may be open (it failed to start), or the connection is gone
    with contextlib.suppress(exc.DBAPIError):
        db.raw(statement)


def plain_rows(db: Db, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    """The rows of a query as plain tuples: half the time for the tens of thousands of rows
    of a round's scores, which go straight into a DataFrame."""
    return db.execute(sql, params).tuples()
