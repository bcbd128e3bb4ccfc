"""Copy a whole council from one database to another (``prioritize db migrate``): SQLite to
PostgreSQL when an organisation outgrows one file, or back, or PostgreSQL to a file.

Every table is copied row for row with its ids, in the order of the foreign keys, inside
one write transaction on the target (all or nothing); the source is only read, in one
snapshot. Nothing is recomputed, so the decision log's hashes are the source's own: the
copy verifies with the same head, which :func:`copy_council` checks before it returns.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from prioritize.council.decisions import LogCheck
from prioritize.errors import Problem, ValidationError
from prioritize.store import connection
from prioritize.store.connection import Location
from prioritize.store.log import verify_database, verify_log
from prioritize.store.schema import VERSION_TABLE, migrate, reset_sequences

__all__ = ["Transfer", "copy_council"]

#: Rows sent to the target per statement.
BATCH = 5_000


@dataclass(frozen=True, slots=True)
class Transfer:
    """What :func:`copy_council` copied: rows per table, and the target's log check."""

    source: str
    target: str
    rows: dict[str, int]
    log: LogCheck

    def __str__(self) -> str:
        total = sum(self.rows.values())
        lines = [
            f"copied {self.source} to {self.target}: {total:,} rows in {len(self.rows)} tables"
        ]
        lines += [f"  {table}: {count:,}" for table, count in self.rows.items() if count]
        lines.append(f"decision record of the copy: {self.log}")
        return "\n".join(lines)


def _tables(db: connection.Db) -> list[sa.Table]:
    meta = sa.MetaData()
    meta.reflect(bind=db.sqlalchemy)
    return [t for t in meta.sorted_tables if t.name != VERSION_TABLE]


def copy_council(source: str | Path | Location, target: str | Path | Location) -> Transfer:
    """Copy the council at ``source`` into ``target``, which must be new or empty (a new
    SQLite file, or an empty PostgreSQL database). The source is migrated to the current
    schema first, then copied table by table; the copy's decision log must verify with the
    source's head, or nothing is kept.

    Raises
    ------
    ValidationError
        The target already holds a council, or the copy does not verify.
    """
    src, dst = connection.locate(source), connection.locate(target)
    if src.url == dst.url:
        raise ValidationError(
            Problem("the source and the target are the same database", file=src.label)
        )
    if src.path is not None and not src.path.is_file():
        raise ValidationError(
            Problem("no council database here", file=str(src.path), expected="an existing file")
        )
    with connection.connect(src) as db:
        migrate(db, label=src.label)
    log = verify_log(src)
    if not log.ok:
        raise ValidationError(
            Problem(
                f"the source's decision record does not verify: {log.reason}",
                file=src.label,
                expected="a council whose 'prioritize log verify' passes",
            )
        )
    if dst.path is not None:
        if dst.path.exists() and dst.path.stat().st_size:
            raise ValidationError(
                Problem(
                    "the target file already exists",
                    file=str(dst.path),
                    expected="a new file name (a copy never overwrites)",
                )
            )
        from prioritize.store.store import Store  # the file is created owner-only there

        Store(dst).init()
    try:
        return _copy(src, dst, log)
    except BaseException:
        if dst.path is not None:  # the file made above: nothing half-written is left
            for companion in ("", "-wal", "-shm"):
                Path(f"{dst.path}{companion}").unlink(missing_ok=True)
        raise


def _copy(src: Location, dst: Location, log: LogCheck) -> Transfer:
    rows: dict[str, int] = {}
    with connection.connect(dst) as out:
        migrate(out, label=dst.label)
        with connection.write(out):
            if out.execute("SELECT COUNT(*) FROM members").fetchone()[0]:
                raise ValidationError(
                    Problem(
                        "the target database already holds a council",
                        file=dst.label,
                        expected="a new SQLite file or an empty PostgreSQL database",
                    )
                )
            with connection.connect(src, read_only=True) as db, connection.read(db):
                for table in _tables(db):
                    columns = [c.name for c in table.columns]
                    names = ", ".join(columns)
                    insert = (
                        f"INSERT INTO {table.name} ({names}) "
                        f"VALUES ({', '.join('?' for _ in columns)})"
                    )
                    order = ", ".join(c.name for c in table.primary_key.columns) or names
                    result = db.execute(f"SELECT {names} FROM {table.name} ORDER BY {order}")
                    count = 0
                    while batch := result.many(BATCH):
                        out.executemany(insert, batch)
                        count += len(batch)
                    rows[table.name] = count
            reset_sequences(out)
            # checked before the commit: a copy that does not verify is not kept
            check = verify_database(out)
            if not (check.ok and (check.entries, check.head) == (log.entries, log.head)):
                raise ValidationError(
                    Problem(
                        "the copy's decision log does not verify as the source's does",
                        file=dst.label,
                        value=check.reason or f"{check.entries} entries ending at {check.head}",
                        expected=f"{log.entries} entries ending at {log.head}",
                    )
                )
    return Transfer(src.label, dst.label, rows, check)
