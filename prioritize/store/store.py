"""The council database: a SQLite file or a PostgreSQL database, opened per unit of work.

:class:`Store` holds only where the database is (a
:class:`~prioritize.store.connection.Location`). It creates and migrates the schema, lets the
first facilitator in (bootstrap), authenticates members into a
:class:`~prioritize.store.session.Session`, lists the council without secrets, and reads
the decision log for verification.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pandas as pd

from prioritize.council.decisions import DecisionEntry, LogCheck
from prioritize.errors import PermissionDenied, Problem, ValidationError
from prioritize.model.council import Member
from prioritize.store import backup, connection, log, members, rounds, settings, signin, websessions
from prioritize.store.backup import DatabaseCheck
from prioritize.store.connection import Db, Location
from prioritize.store.passcodes import verify_passcode
from prioritize.store.schema import SCHEMA_VERSION, migrate, schema_version
from prioritize.store.session import AUTHENTICATED, Session

__all__ = ["Store"]


# Checked against when the member id is unknown, so that a wrong id and a wrong passcode
# take the same time and give the same answer (no way to probe for member ids).
def _duration(seconds: float) -> str:
    """``45 s``, ``2 min``: how long, in words a member reads."""
    whole = int(seconds + 0.999)
    return f"{whole} s" if whole < 90 else f"{(whole + 59) // 60} min"


_DUMMY_SALT = "00" * 16
_DUMMY_HASH = "scrypt$16384$8$1$" + "00" * 32


class Store:
    """The council's database.

    Parameters
    ----------
    location
        A SQLite file (a path, or ``sqlite:///council.db``) or a PostgreSQL database
        (``postgresql://user@host/dbname``); default ``$PRIORITIZE_DB``, else
        ``./prioritize.db``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> store = Store(pathlib.Path(tempfile.mkdtemp()) / "council.db")
    >>> store.init() == SCHEMA_VERSION
    True
    >>> f = store.create_facilitator("f01", "Fay", "Operations", "f01-own-secret")
    >>> store.session("f01", "f01-own-secret").member.role
    'facilitator'
    """

    __slots__ = ("_ready", "location")

    def __init__(self, location: str | Path | Location | None = None) -> None:
        self.location = connection.locate(location)
        self._ready = False

    def __repr__(self) -> str:
        return f"Store({self.location.label!r})"

    @property
    def path(self) -> Path:
        """The SQLite file (a PostgreSQL database has none: see :attr:`location`)."""
        if self.location.path is None:
            raise ValidationError(
                Problem(
                    "this council database is on PostgreSQL, not in a file",
                    file=self.location.label,
                    expected="a SQLite database file for this action",
                )
            )
        return self.location.path

    @property
    def label(self) -> str:
        """Where the database is, as shown to people (a PostgreSQL password hidden)."""
        return self.location.label

    def init(self) -> int:
        """Create the database (a SQLite file; a PostgreSQL database must exist, empty) if
        needed and bring its schema up to date; returns the schema version. Safe to call
        on an existing database."""
        path = self.location.path
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            if not path.exists():
                # readable by its owner only: it holds every score, reason and passcode hash
                os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        with connection.connect(self.location) as conn:
            migrate(conn, label=self.label)
        self._ready = True
        return SCHEMA_VERSION

    @contextlib.contextmanager
    def connect(self) -> Iterator[Db]:
        """A connection for one unit of work (the schema migrated on first use)."""
        path = self.location.path
        if path is not None and not path.is_file():
            raise ValidationError(
                Problem(
                    "no council database here",
                    file=str(path),
                    expected="a database created with 'prioritize db init' (or Store.init())",
                )
            )
        with connection.connect(self.location) as conn:
            if not self._ready:
                migrate(conn, label=self.label)
                self._ready = True
            yield conn

    @property
    def schema_version(self) -> int:
        """The file's schema version."""
        with self.connect() as conn:
            return schema_version(conn)

    def create_facilitator(
        self, member_id: str, name: str, department: str, passcode: str
    ) -> Member:
        """Register the council's first member, a facilitator. Only while the council is
        empty: afterwards a facilitator registers members through a session."""
        with self.connect() as conn, connection.write(conn):
            if conn.execute("SELECT COUNT(*) FROM members").fetchone()[0]:
                raise PermissionDenied(
                    "the council already has members: a facilitator "
                    "registers new members through their session"
                )
            # they choose their own passcode here: nobody else knows it
            return rounds.register_member(
                conn, member_id, name, department, "facilitator", passcode, one_time=False
            )

    def session(self, member_id: str, passcode: str) -> Session:
        """Authenticate a member.

        Wrong passcodes are counted per member in the database and throttled
        (:mod:`~prioritize.store.signin`), whatever tab, process or command tries them.

        Raises
        ------
        PermissionDenied
            An unknown member id or a wrong passcode (the same message for both), or a
            member locked out after too many wrong passcodes (the message says how long).
        """
        with self.connect() as conn:
            row = conn.execute(
                "SELECT passcode_salt, passcode_hash FROM members WHERE id = ?", (member_id,)
            ).fetchone()
            wait = signin.locked_for(conn, member_id) if row is not None else 0.0
        if wait > 0:
            raise PermissionDenied(
                f"too many wrong passcodes for {member_id}: try again in "
                f"{_duration(wait)} (the facilitator sees the attempts)"
            )
        salt, hashed = (
            (row["passcode_salt"], row["passcode_hash"])
            if row is not None
            else (_DUMMY_SALT, _DUMMY_HASH)
        )
        if not verify_passcode(passcode, salt, hashed) or row is None:
            if row is not None:
                with self.connect() as conn, connection.write(conn):
                    signin.record_failure(conn, member_id)
            raise PermissionDenied("unknown member or wrong passcode")
        with self.connect() as conn, connection.write(conn):
            signin.clear_failures(conn, member_id)
            active = conn.execute(
                "SELECT active FROM members WHERE id = ?", (member_id,)
            ).fetchone()[0]
        if not active:
            raise PermissionDenied(
                f"{member_id} is no longer an active council member (ask the facilitator)"
            )
        return Session(self.connect, member_id, AUTHENTICATED)

    def resume(self, token: str, *, idle: timedelta = websessions.DEFAULT_IDLE) -> Session | None:
        """The session a browser's token (from :meth:`Session.remember`) stands for, or None
        when it was revoked (sign-out, passcode change, deactivation), is unknown, or was
        left unused for longer than ``idle``."""
        with self.connect() as conn:
            with connection.read(conn):
                member_id, stale = websessions.resume(conn, token, idle)
            if stale:
                with connection.write(conn):
                    websessions.touch(conn, token)
        return None if member_id is None else Session(self.connect, member_id, AUTHENTICATED)

    def forget(self, token: str) -> None:
        """Sign a browser out: its token stops working at once."""
        with self.connect() as conn, connection.write(conn):
            websessions.revoke(conn, token)

    @property
    def is_demo(self) -> bool:
        """Whether this database is the demo council (public passcodes)."""
        with self.connect() as conn:
            return settings.is_demo(conn)

    def council(self, *, active_only: bool = False) -> pd.DataFrame:
        """Every council member: ``name, department, role, active`` by id (no secrets),
        e.g. for a sign-in form (``active_only``: those who may sign in)."""
        with self.connect() as conn:
            frame = members.council(conn)
        return frame[frame["active"]] if active_only else frame

    def log_entries(self) -> list[DecisionEntry]:
        """The whole decision log, in order (for audits and exports)."""
        with self.connect() as conn, connection.read(conn):
            return log.log_entries(conn)

    def backup(self, target: str | Path) -> DatabaseCheck:
        """A consistent copy of a SQLite database in a new file, taken while the app may
        write (SQLite's online backup API), then checked (:mod:`~prioritize.store.backup`).
        A PostgreSQL database is backed up with ``pg_dump`` (docs/deploy.md)."""
        return backup.backup(self.location, target)

    def check(self) -> DatabaseCheck:
        """The engine's integrity checks and the record's verification."""
        return backup.check(self.location)

    def verify_log(self, *, expected_head: str | None = None) -> LogCheck:
        """Verify the decision log: hashes, chain, and the recorded head."""
        return log.verify_log(self.location, expected_head=expected_head)
