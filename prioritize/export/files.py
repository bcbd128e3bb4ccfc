"""Writing a file so that nothing is ever half-written.

The content goes to a new temporary file in the destination's folder, which replaces the
destination in one step (``os.replace``) only once it is complete and flushed to disk. A
failure on the way (bad input, a full disk, an interrupted run) leaves the destination as it
was and removes the temporary file.

An existing destination is overwritten -- normally a previous export of the same kind, which
is what re-running an export should do -- except where that would destroy data the export
cannot give back (:func:`check_destination`): a SQLite database (the council's store) or its
journal is never overwritten, whoever writes; and the command line also refuses the files
the export was made from.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

from prioritize.errors import Problem, ValidationError

__all__ = ["atomic_write", "check_destination", "is_database"]

#: The first 16 bytes of every SQLite database file.
SQLITE_HEADER = b"SQLite format 3\x00"
# A write-ahead log starts with one of these (big-endian magic numbers); a rollback journal
# with the 8-byte header below.
_WAL_MAGIC = (b"\x37\x7f\x06\x82", b"\x37\x7f\x06\x83")
_JOURNAL_MAGIC = b"\xd9\xd5\x05\xf9\x20\xa1\x63\xd7"


def is_database(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is a SQLite database, its write-ahead log, its rollback journal, or
    the shared-memory file beside a database (by content, whatever the file's name).

    >>> import sqlite3, tempfile, pathlib
    >>> db = pathlib.Path(tempfile.mkdtemp()) / "council.db"
    >>> sqlite3.connect(db).execute("create table t (x)").connection.close()
    >>> is_database(db), is_database(db.with_name("other.db"))
    (True, False)
    """
    target = Path(path)
    try:
        with open(target, "rb") as stream:
            head = stream.read(16)
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return False
    if head == SQLITE_HEADER or head[:4] in _WAL_MAGIC or head[:8] == _JOURNAL_MAGIC:
        return True
    if target.name.endswith("-shm"):
        return is_database(target.with_name(target.name[: -len("-shm")]))
    return False


def check_destination(
    path: str | os.PathLike[str], inputs: Iterable[str | os.PathLike[str] | None] = ()
) -> None:
    """Refuse an export destination that would destroy data: a SQLite database (or its
    journal), or one of ``inputs`` (the files the export was made from; compared as
    resolved paths, and with ``os.path.samefile`` when both exist, so a link or another
    spelling of the same file is caught). Anything else may be overwritten.

    Raises
    ------
    ValidationError
        Naming the path and what it is.
    """
    target = Path(path)
    if is_database(target):
        raise ValidationError(
            Problem(
                "refusing to overwrite a SQLite database (the council's store) with an export",
                file=str(target),
                expected="another output file",
            )
        )
    for given in inputs:
        if given is None or not str(given):
            continue
        source = Path(given)
        same = target.resolve() == source.resolve()
        if not same and target.exists() and source.exists():
            with contextlib.suppress(OSError):
                same = os.path.samefile(target, source)
        if same:
            raise ValidationError(
                Problem(
                    f"refusing to overwrite an input of this export ({source})",
                    file=str(target),
                    expected="another output file",
                )
            )


@contextlib.contextmanager
def atomic_write(path: str | os.PathLike[str]) -> Iterator[IO[bytes]]:
    """Open a binary stream whose content becomes ``path`` when the block ends without an
    exception. A SQLite database at ``path`` is refused (:func:`check_destination`).

    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
    >>> with atomic_write(target) as stream:
    ...     _ = stream.write(b"done")
    >>> target.read_bytes()
    b'done'
    """
    target = Path(path)
    check_destination(target)
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp")
    # os.open with O_EXCL: never reuse someone else's file; mode 0o666 lets the umask decide
    # the permissions, as for any newly created file.
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(descriptor, "wb") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
