"""Wrong passcodes, throttled per member inside the store (so across browser tabs, app
processes and the command line alike): after :data:`FREE_FAILURES` wrong passcodes in a
row, each further one locks the member out for a growing time (30 s, 1 min, 2 min, ... up
to an hour). A right passcode clears the count. The facilitator sees the counts.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pandas as pd

from prioritize.store import connection
from prioritize.store.connection import Db

__all__ = [
    "FREE_FAILURES",
    "MAX_LOCKOUT",
    "attempts",
    "clear_failures",
    "locked_for",
    "lockout",
    "record_failure",
]

#: Wrong passcodes allowed in a row before the first lockout.
FREE_FAILURES = 5
#: The longest lockout, in seconds.
MAX_LOCKOUT = 3600.0


def lockout(failures: int) -> float:
    """Seconds a member is locked out after ``failures`` wrong passcodes in a row.

    >>> [lockout(n) for n in (1, 5, 6, 7, 8, 20)]
    [0.0, 30.0, 60.0, 120.0, 240.0, 3600.0]
    """
    if failures < FREE_FAILURES:
        return 0.0
    return min(30.0 * 2.0 ** (failures - FREE_FAILURES), MAX_LOCKOUT)


def locked_for(conn: Db, member_id: str) -> float:
    """Seconds left in the member's lockout (0: they may try)."""
    row = conn.execute(
        "SELECT locked_until FROM sign_in_attempts WHERE member_id = ?", (member_id,)
    ).fetchone()
    if row is None:
        return 0.0
    left = datetime.fromisoformat(str(row[0])) - datetime.fromisoformat(connection.now())
    return max(left.total_seconds(), 0.0)


def record_failure(conn: Db, member_id: str) -> int:
    """Count a wrong passcode (inside the caller's write transaction); returns the count."""
    stamp = connection.now()
    row = conn.execute(
        """INSERT INTO sign_in_attempts (member_id, failures, last_failure, locked_until)
           VALUES (?, 1, ?, ?)
           ON CONFLICT (member_id) DO UPDATE SET failures = sign_in_attempts.failures + 1,
                                                 last_failure = excluded.last_failure
           RETURNING failures""",
        (member_id, stamp, stamp),
    ).fetchone()
    failures = int(row[0])
    until = datetime.fromisoformat(stamp) + timedelta(seconds=lockout(failures))
    conn.execute(
        "UPDATE sign_in_attempts SET locked_until = ? WHERE member_id = ?",
        (until.isoformat(timespec="microseconds"), member_id),
    )
    return failures


def clear_failures(conn: Db, member_id: str) -> None:
    """Forget a member's wrong passcodes (after a right one)."""
    conn.execute("DELETE FROM sign_in_attempts WHERE member_id = ?", (member_id,))


def attempts(conn: Db) -> pd.DataFrame:
    """Members with wrong passcodes in a row: ``failures, last_failure, locked_until``."""
    rows = conn.execute(
        """SELECT member_id, failures, last_failure, locked_until FROM sign_in_attempts
           ORDER BY failures DESC, member_id"""
    ).fetchall()
    frame = pd.DataFrame(
        [tuple(r) for r in rows], columns=["member", "failures", "last_failure", "locked_until"]
    )
    return frame.set_index("member")
