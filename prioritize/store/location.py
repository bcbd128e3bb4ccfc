"""Where a council database is: a SQLite file or a PostgreSQL database, from a path, a URL
or ``$PRIORITIZE_DB`` (:func:`locate`)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import exc
from sqlalchemy.engine import URL, make_url

from prioritize.errors import Problem, ValidationError

__all__ = ["DB_ENV", "Location", "default_location", "default_path", "locate"]

#: The environment variable naming the database: a file path or a PostgreSQL URL.
DB_ENV = "PRIORITIZE_DB"


def default_location() -> str:
    """``$PRIORITIZE_DB`` if set, else ``prioritize.db``."""
    return os.environ.get(DB_ENV) or "prioritize.db"


def default_path() -> Path:
    """``$PRIORITIZE_DB`` if set, else ``./prioritize.db`` (as a path)."""
    return Path(default_location())


_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


@dataclass(frozen=True, slots=True)
class Location:
    """Where a council database is: a SQLite file or a PostgreSQL database."""

    url: URL
    #: The SQLite file, or None on PostgreSQL.
    path: Path | None

    @property
    def engine(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return "sqlite" if self.path is not None else "postgresql"

    @property
    def label(self) -> str:
        """How the location is shown: the file, or the URL with its password hidden."""
        if self.path is not None:
            return str(self.path)
        return self.url.set(drivername="postgresql").render_as_string(hide_password=True)

    def __str__(self) -> str:
        return self.label


def locate(location: str | Path | Location | None = None) -> Location:
    """Where ``location`` points: a path or ``sqlite:///path`` is a SQLite file,
    ``postgresql://user:password@host:port/dbname`` (or ``postgres://``,
    ``postgresql+psycopg://``) a PostgreSQL database; None is :func:`default_location`.

    Examples
    --------
    >>> locate("council.db").engine
    'sqlite'
    >>> place = locate("postgresql://app:secret@db.example.com/council")
    >>> place.engine, place.label
    ('postgresql', 'postgresql://app:***@db.example.com/council')
    """
    if isinstance(location, Location):
        return location
    if location is None:
        location = default_location()
    if isinstance(location, Path) or not _SCHEME.match(location):
        path = Path(location)
        return Location(URL.create("sqlite", database=str(path)), path)
    try:
        url = make_url(location)
    except exc.ArgumentError as error:
        raise _bad_url(location, str(error)) from None
    backend = url.get_backend_name()
    if backend == "sqlite" and url.database:
        path = Path(url.database)
        return Location(URL.create("sqlite", database=str(path)), path)
    if backend in ("postgresql", "postgres") and url.get_driver_name() in ("psycopg", "", None):
        return Location(url.set(drivername="postgresql+psycopg"), None)
    if backend == "postgres":  # the scheme psql and Heroku-style URLs use
        return Location(url.set(drivername="postgresql+psycopg"), None)
    raise _bad_url(location, f"the scheme {url.drivername!r} is not supported")


def _bad_url(text: str, why: str) -> ValidationError:
    shown = "…@" + text.rsplit("@", 1)[-1] if "@" in text else text  # never a password
    return ValidationError(
        Problem(
            f"not a database this store can use ({why})",
            value=shown,
            expected="a SQLite file path, sqlite:///file.db, or postgresql://user@host/dbname",
        )
    )
