"""Rows of the store's queries, the same on both engines: readable by column name or by
position (:class:`Row`), fetched one, many or all at a time (:class:`Cursor`)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import sqlalchemy as sa

__all__ = ["Cursor", "Row"]


class Row(Sequence[Any]):
    """A row readable by column name (``row["id"]``) or position (``row[0]``)."""

    __slots__ = ("_index", "_values")

    def __init__(self, values: tuple[Any, ...], index: Mapping[str, int]) -> None:
        self._values = values
        self._index = index

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            return self._values[self._index[key]]
        return self._values[key]

    def __len__(self) -> int:
        return len(self._values)

    def __iter__(self) -> Iterator[Any]:
        return iter(self._values)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Row):
            return self._values == other._values
        return isinstance(other, tuple) and self._values == other

    def __hash__(self) -> int:
        return hash(self._values)

    def __repr__(self) -> str:
        return f"Row({dict(zip(self._index, self._values, strict=True))!r})"

    def keys(self) -> list[str]:
        """The column names, in order (so ``dict(row)`` works)."""
        return list(self._index)


class Cursor:
    """The result of :meth:`Db.execute`: rows as :class:`Row`, or plain tuples."""

    __slots__ = ("_index", "_result")

    def __init__(self, result: sa.CursorResult[Any]) -> None:
        self._result = result
        self._index = (
            {name: i for i, name in enumerate(result.keys())} if result.returns_rows else {}
        )

    @property
    def rowcount(self) -> int:
        """Rows changed by an UPDATE or DELETE."""
        return int(self._result.rowcount)

    def fetchone(self) -> Any:
        """The next :class:`Row`, or None (typed ``Any`` as sqlite3's: the caller knows
        whether its query always returns a row)."""
        found = self._result.fetchone()
        return None if found is None else Row(tuple(found), self._index)

    def fetchall(self) -> list[Any]:
        index = self._index
        return [Row(tuple(found), index) for found in self._result.fetchall()]

    def many(self, size: int) -> list[tuple[Any, ...]]:
        """Up to ``size`` more rows, as plain tuples (empty at the end)."""
        return [tuple(found) for found in self._result.fetchmany(size)]

    def tuples(self) -> list[tuple[Any, ...]]:
        """The rows as plain tuples (for the many rows that go straight into a frame),
        straight from the driver's cursor: the store's text queries declare no result
        types, so SQLAlchemy would only wrap each tuple in a row object to unwrap it again
        (a third of the time of reading a round's 60,000 scores)."""
        try:
            return list(self._result.cursor.fetchall())
        finally:
            self._result.close()

    def __iter__(self) -> Iterator[Row]:
        return iter(self.fetchall())
