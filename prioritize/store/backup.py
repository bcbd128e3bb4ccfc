"""Backups and checks of the council database.

:func:`backup` copies a SQLite database with SQLite's online backup API: a consistent
snapshot (every transaction committed before it started, none half-way) even while the app
writes, unlike ``cp``, which can copy a file whose latest transactions still sit in the
WAL. A PostgreSQL database is backed up with ``pg_dump`` (docs/deploy.md), which is just
as consistent. :func:`check` runs the engine's checks (SQLite: integrity and foreign keys;
PostgreSQL enforces both on every write, so it checks that the schema is ours and current)
and the record's verification.

Restore: stop the app, check the backup (``prioritize db check --db backup.db``), then
either start the app on it (``--db backup.db``) or copy it over the database file (and
remove the old file's ``-wal`` and ``-shm`` companions first).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from prioritize.council.decisions import LogCheck
from prioritize.errors import Problem, ValidationError
from prioritize.store import connection
from prioritize.store.connection import Location
from prioritize.store.log import verify_log
from prioritize.store.schema import SCHEMA_VERSION, schema_version

__all__ = ["DatabaseCheck", "backup", "check"]


@dataclass(frozen=True, slots=True)
class DatabaseCheck:
    """What :func:`check` found: SQLite's own findings and the record's verification."""

    path: str
    integrity: tuple[str, ...]
    log: LogCheck
    engine: str = "sqlite"

    @property
    def ok(self) -> bool:
        """True when SQLite finds nothing and the record verifies."""
        return not self.integrity and self.log.ok

    def __str__(self) -> str:
        lines = [f"database {self.path}"]
        lines.append(
            f"{_ENGINE_NAMES[self.engine]} integrity: ok"
            if not self.integrity
            else f"{_ENGINE_NAMES[self.engine]} integrity: " + "; ".join(self.integrity)
        )
        lines.append(f"decision record: {self.log}")
        return "\n".join(lines)


_ENGINE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


def backup(source: str | Path | Location, target: str | Path) -> DatabaseCheck:
    """Copy the database at ``source`` to a new file ``target`` while it may be in use,
    then check the copy.

    Raises
    ------
    ValidationError
        ``target`` exists (a backup never overwrites), or ``source`` is not a database.
    """
    place, target = connection.locate(source), Path(target)
    if place.path is None:
        raise ValidationError(
            Problem(
                "a PostgreSQL database is backed up with pg_dump, not by prioritize",
                file=place.label,
                expected="pg_dump --format=custom (docs/deploy.md, 'Backups')",
            )
        )
    source = place.path
    if target.exists():
        raise ValidationError(
            Problem(
                "the backup file already exists",
                file=str(target),
                expected="a new file name (a backup never overwrites a file)",
            )
        )
    if not source.is_file():
        raise ValidationError(
            Problem("no council database here", file=str(source), expected="an existing file")
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    os.close(os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    try:
        with contextlib.closing(sqlite3.connect(str(source))) as src:
            src.execute(f"PRAGMA busy_timeout = {connection.BUSY_TIMEOUT_MS}")
            with contextlib.closing(sqlite3.connect(str(target))) as copy:
                src.backup(copy)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return check(target)


def check(location: str | Path | Location) -> DatabaseCheck:
    """The engine's checks, and the decision record's verification."""
    place = connection.locate(location)
    if place.path is None:
        return _check_postgresql(place)
    path = place.path
    if not path.is_file():
        raise ValidationError(
            Problem("no council database here", file=str(path), expected="an existing file")
        )
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        try:
            integrity = [str(r[0]) for r in conn.execute("PRAGMA integrity_check")]
            keys = conn.execute("PRAGMA foreign_key_check").fetchall()
        except sqlite3.DatabaseError as exc:
            raise connection.not_a_database(path, exc) from exc
    finally:
        conn.close()
    found = [] if integrity == ["ok"] else integrity[:20]
    found += [f"row {r[1]} of table {r[0]} refers to a missing {r[2]}" for r in keys[:20]]
    return DatabaseCheck(str(path), tuple(found), verify_log(path))


def _check_postgresql(place: Location) -> DatabaseCheck:
    with connection.connect(place, read_only=True) as db, connection.read(db):
        version = schema_version(db)
    found = (
        []
        if version == SCHEMA_VERSION
        else [f"schema version {version}, this prioritize writes {SCHEMA_VERSION}"]
    )
    return DatabaseCheck(place.label, tuple(found), verify_log(place), engine="postgresql")
