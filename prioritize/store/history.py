"""The append-only history of scores and weights.

Every write of a score or a weight also appends its new value here (the tables refuse
updates and deletes), so a member's earlier values stay readable with their times, and the
scores and weights a decision rested on can be rebuilt exactly: a decision records how far
into each history it reached (``scores_upto``, ``weights_upto``), and the state at that
point is, per score or criterion, the last row at or before it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd

from prioritize.store.connection import Db, plain_rows

__all__ = [
    "HISTORY_COLUMNS",
    "STORED_COLUMNS",
    "history_reach",
    "record_round_scores",
    "record_scores",
    "record_weights",
    "score_history",
    "scores_as_of",
    "weights_as_of",
]

#: Columns of :func:`score_history`.
HISTORY_COLUMNS = ("requirement_id", "member", "criterion", "score", "reason", "time", "version")

#: What the store's history frames hold: :data:`HISTORY_COLUMNS` and whether the answer was
#: "cannot judge" (``score`` NaN then).
STORED_COLUMNS = (*HISTORY_COLUMNS, "abstained")

_COPY = """INSERT INTO score_history (round_id, requirement_id, member, criterion, score,
                                       reason, time, version, abstained)
           SELECT round_id, requirement_id, member, criterion, score, reason, time, version,
                  abstained
           FROM scores"""


def record_scores(conn: Db, round_id: int, keys: Iterable[tuple[str, str, str]]) -> None:
    """Append the current value of each written score ``(requirement, member, criterion)``."""
    conn.executemany(
        _COPY + " WHERE round_id = ? AND requirement_id = ? AND member = ? AND criterion = ?",
        [(round_id, *key) for key in keys],
    )


def record_round_scores(conn: Db, round_id: int) -> None:
    """Append every current score of a round (after a bulk import into an empty round)."""
    conn.execute(
        _COPY + " WHERE round_id = ? ORDER BY requirement_id, member, criterion", (round_id,)
    )


def record_weights(conn: Db, round_id: int, changed_by: str, time: str) -> None:
    """Append the round's current weights (after they were set or changed)."""
    conn.execute(
        """INSERT INTO weight_history (round_id, criterion, weight, time, changed_by)
           SELECT round_id, criterion, weight, ?, ? FROM round_weights WHERE round_id = ?
           ORDER BY criterion""",
        (time, changed_by, round_id),
    )


def history_reach(conn: Db) -> tuple[int, int]:
    """How far both histories reach now: ``(last score row, last weight row)``."""
    row = conn.execute(
        """SELECT (SELECT COALESCE(MAX(id), 0) FROM score_history),
                  (SELECT COALESCE(MAX(id), 0) FROM weight_history)"""
    ).fetchone()
    return int(row[0]), int(row[1])


def score_history(conn: Db, round_id: int, member: str | None = None) -> pd.DataFrame:
    """Every value each score of the round ever had, oldest first (one member's only,
    when given): :data:`STORED_COLUMNS`."""
    sql = f"SELECT {', '.join(STORED_COLUMNS)} FROM score_history WHERE round_id = ?"
    params: tuple[object, ...] = (round_id,)
    if member is not None:
        sql += " AND member = ?"
        params += (member,)
    return _frame(plain_rows(conn, sql + " ORDER BY id", params))


def _frame(rows: list[Any]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=list(STORED_COLUMNS))
    frame["score"] = frame["score"].astype(float)
    frame["version"] = frame["version"].astype("int64")
    frame["abstained"] = frame["abstained"].astype(bool)
    return frame


def scores_as_of(conn: Db, round_id: int, upto: int) -> pd.DataFrame:
    """The round's scores as they stood when the history reached row ``upto``: per score,
    its last value at or before that row. Columns as :data:`STORED_COLUMNS`."""
    rows = plain_rows(
        conn,
        f"""SELECT {", ".join("h." + c for c in STORED_COLUMNS)} FROM score_history h
            JOIN (SELECT MAX(id) AS id FROM score_history
                  WHERE round_id = ? AND id <= ?
                  GROUP BY requirement_id, member, criterion) last ON last.id = h.id
            ORDER BY h.requirement_id, h.member, h.criterion""",
        (round_id, upto),
    )
    return _frame(rows)


def weights_as_of(conn: Db, round_id: int, upto: int) -> dict[str, float]:
    """The round's raw weights as they stood when the weight history reached row ``upto``."""
    rows = conn.execute(
        """SELECT h.criterion, h.weight FROM weight_history h
           JOIN (SELECT MAX(id) AS id FROM weight_history
                 WHERE round_id = ? AND id <= ? GROUP BY criterion) last ON last.id = h.id""",
        (round_id, upto),
    ).fetchall()
    return {str(c): float(w) for c, w in rows}
