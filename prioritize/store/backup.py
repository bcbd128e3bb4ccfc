"""Backups and checks of the council database.

:func:`backup` copies the database with SQLite's online backup API: a consistent snapshot
(every transaction committed before it started, none half-way) even while the app writes,
unlike ``cp``, which can copy a file whose latest transactions still sit in the WAL.
:func:`check` runs SQLite's integrity and foreign-key checks and the record's verification.

Restore: stop the app, check the backup (``prioritize db check --db backup.db``), then
either start the app on it (``--db backup.db``) or copy it over the database file (and
remove the old file's ``-wal`` and ``-shm`` companions first).
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from prioritize.council.decisions import LogCheck
from prioritize.errors import Problem, ValidationError
from prioritize.store import connection
from prioritize.store.log import verify_log

__all__ = ["DatabaseCheck", "backup", "check"]


@dataclass(frozen=True, slots=True)
class DatabaseCheck:
    """What :func:`check` found: SQLite's own findings and the record's verification."""

    path: str
    integrity: tuple[str, ...]
    log: LogCheck

    @property
    def ok(self) -> bool:
        """True when SQLite finds nothing and the record verifies."""
        return not self.integrity and self.log.ok

    def __str__(self) -> str:
        lines = [f"database {self.path}"]
        lines.append(
            "SQLite integrity: ok"
            if not self.integrity
            else "SQLite integrity: " + "; ".join(self.integrity)
        )
        lines.append(f"decision record: {self.log}")
        return "\n".join(lines)


def backup(source: str | Path, target: str | Path) -> DatabaseCheck:
    """Copy the database at ``source`` to a new file ``target`` while it may be in use,
    then check the copy.

    Raises
    ------
    ValidationError
        ``target`` exists (a backup never overwrites), or ``source`` is not a database.
    """
    source, target = Path(source), Path(target)
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
        with connection.connect(source) as src:
            copy = sqlite3.connect(str(target))
            try:
                src.backup(copy)
            finally:
                copy.close()
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return check(target)


def check(path: str | Path) -> DatabaseCheck:
    """SQLite's integrity and foreign-key checks, and the decision record's verification."""
    path = Path(path)
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
