"""Facts about the database itself, kept in its ``settings`` table: whether it is the demo
council (created with the bundled example on purpose, with public passcodes)."""

from __future__ import annotations

from prioritize.store.connection import Db

__all__ = ["DEMO", "is_demo", "mark_demo"]

#: The setting that marks the demo council.
DEMO = "demo"


def mark_demo(conn: Db) -> None:
    """Mark the database as the demo council (inside the caller's transaction)."""
    conn.execute(
        "INSERT INTO settings (key, value) VALUES (?, '1') ON CONFLICT (key) DO NOTHING",
        (DEMO,),
    )


def is_demo(conn: Db) -> bool:
    """Whether the database is the demo council."""
    row = conn.execute("SELECT value FROM settings WHERE key = ?", (DEMO,)).fetchone()
    return row is not None and str(row[0]) == "1"
