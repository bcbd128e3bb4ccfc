"""The database schema's version and how a file is brought up to it.

The schema version lives in ``PRAGMA user_version``. Opening a file of an older version runs
the missing migrations (:mod:`prioritize.store.migrations`) in one ``BEGIN IMMEDIATE``
transaction (SQLite DDL is transactional: a failed migration leaves the file as it was); a
file of a newer version is refused.
"""

from __future__ import annotations

import sqlite3

from prioritize.errors import Problem, ValidationError
from prioritize.store.migrations import MIGRATIONS, Migration

__all__ = ["MIGRATIONS", "SCHEMA_VERSION", "Migration", "migrate", "schema_version"]


#: The schema version this code writes.
SCHEMA_VERSION = MIGRATIONS[-1].version


def schema_version(conn: sqlite3.Connection) -> int:
    """The file's ``PRAGMA user_version``."""
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection, *, label: str = "<database>") -> tuple[int, int]:
    """Bring the schema up to :data:`SCHEMA_VERSION`; returns (version before, after).

    Runs in a ``BEGIN IMMEDIATE`` transaction and re-reads the version inside it, so two
    processes opening an old file at once migrate it once.

    Raises
    ------
    ValidationError
        The file was written by a newer prioritize (its version is above ours).
    """
    if schema_version(conn) == SCHEMA_VERSION:
        return SCHEMA_VERSION, SCHEMA_VERSION
    conn.execute("BEGIN IMMEDIATE")
    try:
        before = schema_version(conn)
        if before > SCHEMA_VERSION:
            raise ValidationError(
                Problem(
                    "the database was written by a newer version of prioritize",
                    file=label,
                    column="user_version",
                    value=str(before),
                    expected=f"schema version {SCHEMA_VERSION} or lower (upgrade prioritize)",
                )
            )
        if before == 0 and conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()[0]:
            raise ValidationError(
                Problem(
                    "the file holds tables but is not a prioritize database",
                    file=label,
                    column="user_version",
                    value="0",
                    expected="a database created by 'prioritize db init', or a new file",
                )
            )
        for migration in MIGRATIONS:
            if migration.version <= before:
                continue
            for statement in migration.statements:
                conn.execute(statement)
            # PRAGMA takes no parameters; the value is our own integer.
            conn.execute(f"PRAGMA user_version = {int(migration.version)}")
    except BaseException:
        conn.rollback()
        raise
    conn.commit()
    return before, SCHEMA_VERSION
