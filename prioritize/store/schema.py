"""The database schema's version and how a database is brought up to it, on either engine.

The version lives in SQLite's ``PRAGMA user_version`` (every file in the field has it) and
in a one-row table ``prioritize_schema`` on PostgreSQL, which has no such pragma; those two
readers and writers are the only engine-specific code here. Opening a database of an older
version runs the missing migrations (:mod:`prioritize.store.migrations`) in one write
transaction (DDL is transactional on both engines: a failed migration leaves the database
as it was); a database of a newer version is refused.

On PostgreSQL the database must sort text byte by byte (collation ``C``), as SQLite does:
the same ``ORDER BY`` then gives the same order on both engines, wherever an order is
shown or hashed.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

from prioritize.errors import Problem, ValidationError
from prioritize.store import connection
from prioritize.store.connection import Db
from prioritize.store.migrations import MIGRATIONS
from prioritize.store.portable import SERIAL_COLUMNS, Migration

__all__ = [
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "Migration",
    "migrate",
    "reset_sequences",
    "schema_version",
]


#: The schema version this code writes.
SCHEMA_VERSION = MIGRATIONS[-1].version
#: PostgreSQL's home of the schema version.
VERSION_TABLE = "prioritize_schema"
#: The collations under which PostgreSQL orders text as SQLite does.
BYTE_ORDER = ("C", "POSIX")


def schema_version(db: Db) -> int:
    """The database's schema version (0: a new, empty database)."""
    if db.engine == "sqlite":
        return int(db.execute("PRAGMA user_version").fetchone()[0])
    if not sa.inspect(db.sqlalchemy).has_table(VERSION_TABLE):
        return 0
    row = db.execute(f"SELECT version FROM {VERSION_TABLE}").fetchone()
    return 0 if row is None else int(row[0])


def _set_version(db: Db, version: int) -> None:
    if db.engine == "sqlite":
        # PRAGMA takes no parameters; the value is our own integer.
        db.raw(f"PRAGMA user_version = {int(version)}")
        return
    db.raw(f"CREATE TABLE IF NOT EXISTS {VERSION_TABLE} (version INTEGER NOT NULL)")
    db.execute(f"DELETE FROM {VERSION_TABLE}")
    db.execute(f"INSERT INTO {VERSION_TABLE} (version) VALUES (?)", (int(version),))


def _check_collation(db: Db, label: str) -> None:
    if db.engine != "postgresql":
        return
    # to_jsonb: datlocprovider (ICU or libc) exists from PostgreSQL 15 on only
    row = db.execute(
        "SELECT datcollate, COALESCE(to_jsonb(d) ->> 'datlocprovider', 'c') "
        "FROM pg_database d WHERE datname = current_database()"
    ).fetchone()
    collation = "" if row is None else str(row[0])
    if row is not None and row[1] != "c":
        collation = f"{collation} (locale provider {'ICU' if row[1] == 'i' else row[1]})"
    if collation not in BYTE_ORDER:
        raise ValidationError(
            Problem(
                "the PostgreSQL database does not sort text byte by byte, as the store needs "
                "(the same order on SQLite and PostgreSQL)",
                file=label,
                column="collation",
                value=collation,
                expected="a database created with collation C: "
                "createdb --template=template0 --locale=C <name> (docs/deploy.md)",
            )
        )


def _user_tables(db: Db) -> list[str]:
    return [t for t in sa.inspect(db.sqlalchemy).get_table_names() if t != VERSION_TABLE]


def migrate(db: Db, *, label: str = "<database>") -> tuple[int, int]:
    """Bring the schema up to :data:`SCHEMA_VERSION`; returns (version before, after).

    Runs in a write transaction and re-reads the version inside it, so two processes
    opening an old database at once migrate it once.

    Raises
    ------
    ValidationError
        The database was written by a newer prioritize (its version is above ours), holds
        tables that are not ours, or (PostgreSQL) does not sort text byte by byte.
    """
    _check_collation(db, label)  # also for a database restored into the wrong one
    if schema_version(db) == SCHEMA_VERSION:
        return SCHEMA_VERSION, SCHEMA_VERSION
    with connection.write(db):
        before = schema_version(db)
        if before > SCHEMA_VERSION:
            raise ValidationError(
                Problem(
                    "the database was written by a newer version of prioritize",
                    file=label,
                    column="user_version" if db.engine == "sqlite" else VERSION_TABLE,
                    value=str(before),
                    expected=f"schema version {SCHEMA_VERSION} or lower (upgrade prioritize)",
                )
            )
        if before == 0 and _user_tables(db):
            raise ValidationError(
                Problem(
                    "the database holds tables but is not a prioritize database",
                    file=label,
                    column="user_version" if db.engine == "sqlite" else VERSION_TABLE,
                    value="0",
                    expected="a database created by 'prioritize db init', or a new, empty one",
                )
            )
        for migration in MIGRATIONS:
            if migration.version <= before:
                continue
            try:
                for statement in migration.statements_for(db.engine):
                    db.raw(statement)
            except DBAPIError as error:
                raise ValidationError(
                    Problem(
                        f"migration to version {migration.version} failed "
                        f"({migration.description}): {getattr(error, 'orig', error)}",
                        file=label,
                        expected="a database that only prioritize changes the schema of",
                    )
                ) from error
            _set_version(db, migration.version)
        reset_sequences(db)
    return before, SCHEMA_VERSION


def reset_sequences(db: Db) -> None:
    """Move PostgreSQL's id sequences past the ids in the tables (after rows were copied
    with their ids, e.g. by ``prioritize db migrate``). Nothing to do on SQLite, whose
    rowid always follows the largest id."""
    if db.engine != "postgresql":
        return
    for table, column in SERIAL_COLUMNS:
        db.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), "
            f"COALESCE(MAX({column}), 0) + 1, false) FROM {table}"
        )
