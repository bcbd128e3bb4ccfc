"""Connections to the council database: one fresh connection per unit of work.

Streamlit runs every rerun on a new thread, and several members write at once, so no
connection is ever shared or kept: :func:`connect` opens one, sets the pragmas (WAL
journal, busy timeout, foreign keys) and closes it; :func:`write` wraps a unit of work in
``BEGIN IMMEDIATE`` so writers queue for the lock at the start instead of failing half-way,
and :func:`read` in a deferred transaction so several SELECTs see one snapshot.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from prioritize.errors import Problem, ValidationError

__all__ = ["BUSY_TIMEOUT_MS", "DB_ENV", "connect", "default_path", "now", "read", "write"]

#: The environment variable naming the database file.
DB_ENV = "PRIORITIZE_DB"
#: How long a connection waits for another writer's lock before giving up. Writes are
#: short (one score, one decision), so 30 s only runs out when something is stuck.
BUSY_TIMEOUT_MS = 30_000


def default_path() -> Path:
    """``$PRIORITIZE_DB`` if set, else ``./prioritize.db``."""
    return Path(os.environ.get(DB_ENV) or "prioritize.db")


def now() -> str:
    """The current UTC time as ISO 8601 text (portable: no database-specific type)."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


@contextmanager
def connect(path: str | Path) -> Iterator[sqlite3.Connection]:
    """A new connection to ``path``, closed on exit.

    The connection is in autocommit mode (``isolation_level=None``): transactions are
    opened explicitly by :func:`write` and :func:`read`, never implicitly by the driver.
    """
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    try:
        conn.row_factory = sqlite3.Row
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA journal_mode = WAL")
        except sqlite3.DatabaseError as exc:
            raise not_a_database(path, exc) from exc
        yield conn
    finally:
        conn.close()


def not_a_database(path: str | Path, exc: BaseException) -> ValidationError:
    """The error for a file SQLite cannot read as a database (a workbook, a CSV, garbage)."""
    return ValidationError(
        Problem(
            f"not a council database (SQLite says: {exc})",
            file=str(path),
            expected="a database made by 'prioritize db init' or the app, or a new file name",
        )
    )


@contextmanager
def write(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """A ``BEGIN IMMEDIATE`` transaction: committed on success, rolled back on any error."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.rollback()
        raise
    conn.commit()


@contextmanager
def read(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """A read transaction: every SELECT inside sees the same snapshot of the database."""
    conn.execute("BEGIN")
    try:
        yield conn
    finally:
        conn.rollback()


def plain_rows(conn: sqlite3.Connection, sql: str, params: tuple[Any, ...] = ()) -> list[Any]:
    """The rows of a query as plain tuples, not ``sqlite3.Row``: half the time for the
    tens of thousands of rows of a round's scores, which go straight into a DataFrame."""
    cursor = conn.cursor()
    cursor.row_factory = None
    try:
        return cursor.execute(sql, params).fetchall()
    finally:
        cursor.close()
