"""Signed-in browsers: a reload, a new tab or a deep link keeps a member signed in.

When a member signs in on the page, the store issues an unguessable token (256 random
bits, :func:`secrets.token_urlsafe`); the browser keeps it in a cookie, the database keeps
only its SHA-256, so a copy of the database opens no browser session. A token is never the
passcode and never travels in a URL. It stops working when the member signs out (that
token), when their passcode changes or is reset, when they are deactivated (all their
tokens), or after ``idle`` without use.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from prioritize.store import connection
from prioritize.store.connection import Db

__all__ = ["DEFAULT_IDLE", "issue", "resume", "revoke", "revoke_member", "touch"]

#: How long a signed-in browser may stay unused before the member signs in again: a
#: working day, so a laptop waking from a long meeting is still signed in.
DEFAULT_IDLE = timedelta(hours=8)
#: ``last_seen_at`` is written at most this often (a rerun should not always write).
_TOUCH_EVERY = timedelta(minutes=1)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue(conn: Db, member_id: str) -> str:
    """A new token for ``member_id`` (inside the caller's write transaction)."""
    token = secrets.token_urlsafe(32)
    stamp = connection.now()
    conn.execute(
        """INSERT INTO web_sessions (token_sha256, member_id, created_at, last_seen_at)
           VALUES (?, ?, ?, ?)""",
        (_digest(token), member_id, stamp, stamp),
    )
    return token


def resume(conn: Db, token: str, idle: timedelta) -> tuple[str | None, bool]:
    """``(member id, stale)``: the member the token signs in (None when it is unknown,
    revoked, idle for longer than ``idle``, or its member was deactivated), and whether its
    last use should be refreshed with :func:`touch` (read-only: most reruns write nothing)."""
    if not isinstance(token, str) or not token or len(token) > 200:
        return None, False
    row = conn.execute(
        """SELECT w.member_id, w.last_seen_at, w.revoked_at, m.active
           FROM web_sessions w JOIN members m ON m.id = w.member_id
           WHERE w.token_sha256 = ?""",
        (_digest(token),),
    ).fetchone()
    if row is None or row["revoked_at"] is not None or not row["active"]:
        return None, False
    since = datetime.fromisoformat(connection.now()) - datetime.fromisoformat(
        str(row["last_seen_at"])
    )
    if since > idle:
        return None, False
    return str(row["member_id"]), since > _TOUCH_EVERY


def touch(conn: Db, token: str) -> None:
    """Record that the token was used now (inside the caller's write transaction)."""
    conn.execute(
        "UPDATE web_sessions SET last_seen_at = ? WHERE token_sha256 = ? AND revoked_at IS NULL",
        (connection.now(), _digest(token)),
    )


def revoke(conn: Db, token: str) -> None:
    """End one browser session (signing out)."""
    conn.execute(
        "UPDATE web_sessions SET revoked_at = ? WHERE token_sha256 = ? AND revoked_at IS NULL",
        (connection.now(), _digest(str(token))),
    )


def revoke_member(conn: Db, member_id: str) -> int:
    """End every browser session of a member (passcode changed or reset, deactivated);
    returns how many were open."""
    cursor = conn.execute(
        "UPDATE web_sessions SET revoked_at = ? WHERE member_id = ? AND revoked_at IS NULL",
        (connection.now(), member_id),
    )
    return int(cursor.rowcount)
