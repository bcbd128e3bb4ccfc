"""Scores and comments in the database: writes with optimistic concurrency, blind reads.

A new score is inserted with version 1; changing it names the version that was read, and
the update only happens if that is still the stored version (``UPDATE ... WHERE version =
?``), so two edits of one score never silently overwrite each other: the second gets a
:class:`~prioritize.store.records.ConflictError` saying who changed it and when.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from prioritize.council.rounds import REVEALED, SCORING_STATES
from prioritize.errors import PermissionDenied, Problem, ValidationError
from prioritize.load.files import Source
from prioritize.load.scores import check_scores, load_scores, scale_problems
from prioritize.store import connection, history
from prioritize.store.connection import Db, Row
from prioritize.store.permissions import require_scorer, require_state
from prioritize.store.records import Actor, ConflictError, RoundInfo, ScoreCell, ScoreRecord
from prioritize.store.snapshots import (
    round_criteria,
    round_members,
    round_requirements,
    round_scores,
)

__all__ = [
    "add_comment",
    "import_scores",
    "progress",
    "submit_scores",
    "visible_comments",
    "visible_scores",
]

#: States in which scores may be written: blind scoring, and re-scoring during the debate.


def _record(row: Row) -> ScoreRecord:
    return ScoreRecord(
        round_id=int(row["round_id"]),
        requirement_id=row["requirement_id"],
        member=row["member"],
        criterion=row["criterion"],
        score=math.nan if row["score"] is None else float(row["score"]),
        reason=row["reason"],
        time=row["time"],
        version=int(row["version"]),
        abstained=bool(row["abstained"]),
    )


def _current(conn: Db, key: tuple[int, str, str, str]) -> ScoreRecord | None:
    row = conn.execute(
        """SELECT * FROM scores WHERE round_id = ? AND requirement_id = ?
                          AND member = ? AND criterion = ?""",
        key,
    ).fetchone()
    return None if row is None else _record(row)


def submit_scores(
    conn: Db, actor: Actor, info: RoundInfo, cells: Sequence[ScoreCell]
) -> list[ScoreRecord]:
    """Write own scores, all or nothing (the caller's transaction): every cell is checked
    first (known requirement and criterion, a finite number inside the criterion's scale,
    the same scale check as the score loader), then written with optimistic concurrency."""
    require_scorer(conn, actor, info, "write scores")
    require_state(info, SCORING_STATES, "write scores")
    criteria = round_criteria(conn, info)
    known = {
        str(r[0])
        for r in conn.execute("SELECT id FROM requirements WHERE round_id = ?", (info.id,))
    }
    label = f"round {info.id}"
    problems: list[Problem] = []
    for cell in cells:
        if cell.requirement_id not in known:
            problems.append(
                Problem(
                    "unknown requirement",
                    file=label,
                    row=cell.requirement_id,
                    column="requirement_id",
                    value=cell.requirement_id,
                    expected=f"a requirement of round {info.id}",
                )
            )
        if cell.criterion not in criteria.ids:
            problems.append(
                Problem(
                    "unknown criterion",
                    file=label,
                    row=cell.requirement_id,
                    column="criterion",
                    value=cell.criterion,
                    expected=f"one of {', '.join(criteria.ids)}",
                )
            )
        score = cell.score
        if cell.abstain:
            continue
        if (
            isinstance(score, bool)
            or not isinstance(score, int | float)
            or not math.isfinite(float(score))
        ):
            problems.append(
                Problem(
                    "score is not a number",
                    file=label,
                    row=cell.requirement_id,
                    column=cell.criterion,
                    value=str(score),
                    expected="a finite number on the criterion's scale",
                )
            )
    values = np.array(
        [
            float(c.score) if isinstance(c.score, int | float) and not c.abstain else math.nan
            for c in cells
        ]
    )
    codes = pd.Index(criteria.ids).get_indexer(pd.Index([c.criterion for c in cells]))
    checkable = np.isfinite(values)
    problems += scale_problems(
        criteria,
        np.where(checkable, codes, -1),
        values,
        file=label,
        rows=lambda p: cells[p].requirement_id,
        criterion_ids=[c.criterion for c in cells],
    )
    if problems:
        raise ValidationError(problems)
    written = [_write_score(conn, actor, info, cell) for cell in cells]
    history.record_scores(
        conn, info.id, [(r.requirement_id, r.member, r.criterion) for r in written]
    )
    return written


def _describe(record: ScoreRecord) -> str:
    return "cannot judge" if record.abstained else f"{record.score:g}"


def _write_score(conn: Db, actor: Actor, info: RoundInfo, cell: ScoreCell) -> ScoreRecord:
    requirement_id, criterion, version = cell.requirement_id, cell.criterion, cell.version
    abstained = bool(cell.abstain)
    number: float | None = None if abstained else float(cell.score)
    key = (info.id, requirement_id, actor.id, criterion)
    stamp = connection.now()

    def record(text: str, new_version: int) -> ScoreRecord:
        value = math.nan if number is None else number
        return ScoreRecord(
            info.id,
            requirement_id,
            actor.id,
            criterion,
            value,
            text,
            stamp,
            new_version,
            abstained,
        )

    if version is None:
        text = (cell.reason or "").strip()
        cursor = conn.execute(
            """INSERT INTO scores (round_id, requirement_id, member, criterion, score, reason,
                                   time, version, abstained)
               VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?)
               ON CONFLICT (round_id, requirement_id, member, criterion) DO NOTHING""",
            (*key, number, text, stamp, int(abstained)),
        )
        if cursor.rowcount == 1:
            return record(text, 1)
        existing = _current(conn, key)
        assert existing is not None
        raise ConflictError(
            f"{actor.id} already answered {requirement_id} on {criterion} "
            f"({_describe(existing)} at {existing.time}, version {existing.version}): "
            "reload the page to change it"
        )
    existing = _current(conn, key)
    text = (existing.reason if existing is not None else "") if cell.reason is None else cell.reason
    text = text.strip()
    cursor = conn.execute(
        """UPDATE scores SET score = ?, reason = ?, time = ?, version = version + 1,
                             abstained = ?
           WHERE round_id = ? AND requirement_id = ? AND member = ? AND criterion = ?
             AND version = ?""",
        (number, text, stamp, int(abstained), *key, int(version)),
    )
    if cursor.rowcount == 1:
        return record(text, int(version) + 1)
    if existing is None:
        raise ConflictError(
            f"{actor.id} has no score of {requirement_id} on {criterion} to "
            f"change (version {version} was named): submit it as new"
        )
    raise ConflictError(
        f"{actor.id}'s score of {requirement_id} on {criterion} changed since "
        f"it was read: you read version {version}, it is now version "
        f"{existing.version} ({_describe(existing)}, at {existing.time}); "
        f"reload and try again"
    )


def import_scores(conn: Db, actor: Actor, info: RoundInfo, source: Source, replace: bool) -> int:
    """Import own scores from a file or DataFrame, all or nothing; returns the row count."""
    require_scorer(conn, actor, info, "import scores")
    require_state(info, SCORING_STATES, "import scores")
    scores = load_scores(source)
    check_scores(
        scores,
        criteria=round_criteria(conn, info),
        requirements=round_requirements(conn, info),
        members=round_members(conn, info),
    )
    frame = scores.frame
    others = np.flatnonzero((frame["member"] != actor.id).to_numpy())
    if len(others):
        shown = ", ".join(
            str(frame.index[p]) if scores.row_base is None else str(p + scores.row_base)
            for p in others[:5]
        )
        more = " ..." if len(others) > 5 else ""
        raise PermissionDenied(
            f"{actor} may import only their own scores: {len(others)} rows "
            f"are other members' (rows {shown}{more}, member "
            f"{frame['member'].iloc[others[0]]})"
        )
    if not replace:
        existing = round_scores(conn, info, actor.id)
        keys = ["requirement_id", "criterion"]
        clash = frame[keys].merge(existing[keys], on=keys)
        if len(clash):
            first = clash.iloc[0]
            raise ConflictError(
                f"{len(clash)} of these scores already exist (e.g. "
                f"{first['requirement_id']} on {first['criterion']}): import "
                f"with replace to overwrite them"
            )
    stamp = connection.now()
    times = frame["time"] if "time" in frame.columns else pd.Series("", index=frame.index)
    times = times.where(times.astype(str).str.strip() != "", stamp)
    rows = list(
        zip(
            [info.id] * len(frame),
            frame["requirement_id"],
            frame["member"],
            frame["criterion"],
            frame["score"].astype(float),
            frame["reason"].astype(str),
            times.astype(str),
            strict=True,
        )
    )
    conn.executemany(
        """INSERT INTO scores (round_id, requirement_id, member, criterion, score, reason,
                               time, version)
           VALUES (?, ?, ?, ?, ?, ?, ?, 1)
           ON CONFLICT (round_id, requirement_id, member, criterion) DO UPDATE
           SET score = excluded.score, reason = excluded.reason, time = excluded.time,
               version = scores.version + 1, abstained = 0""",
        rows,
    )
    history.record_scores(conn, info.id, [(r[1], r[2], r[3]) for r in rows])
    return len(rows)


def visible_scores(conn: Db, actor: Actor, info: RoundInfo) -> pd.DataFrame:
    """The scores the actor may read: all after the reveal, only their own before."""
    if info.revealed:
        return round_scores(conn, info)
    return round_scores(conn, info, actor.id)


def progress(conn: Db, info: RoundInfo) -> pd.DataFrame:
    """Who has scored how much (counts, never values), one row per round member."""
    rows = conn.execute(
        """SELECT m.id, m.name, m.department, m.role,
                  (SELECT COUNT(*) FROM scores s
                   WHERE s.round_id = r.round_id AND s.member = m.id) AS scored,
                  (SELECT COUNT(*) FROM scores s
                   WHERE s.round_id = r.round_id AND s.member = m.id
                     AND s.abstained = 1) AS abstained,
                  (SELECT MAX(s.time) FROM scores s
                   WHERE s.round_id = r.round_id AND s.member = m.id) AS last_scored_at
           FROM round_members r JOIN members m ON m.id = r.member_id
           WHERE r.round_id = ? ORDER BY m.id""",
        (info.id,),
    ).fetchall()
    n_criteria = conn.execute(
        "SELECT COUNT(*) FROM round_weights WHERE round_id = ?", (info.id,)
    ).fetchone()[0]
    frame = pd.DataFrame(
        [tuple(r) for r in rows],
        columns=["member", "name", "department", "role", "scored", "abstained", "last_scored_at"],
    ).set_index("member")
    expected = np.where(
        frame["role"].to_numpy(dtype=object) == "observer", 0, info.requirements * int(n_criteria)
    )
    frame.insert(4, "expected", expected.astype(np.int64))
    frame["scored"] = frame["scored"].astype(np.int64)
    frame["abstained"] = frame["abstained"].astype(np.int64)
    frame["complete"] = frame["scored"] >= frame["expected"]
    frame["last_scored_at"] = frame["last_scored_at"].fillna("")
    return frame


def add_comment(conn: Db, actor: Actor, info: RoundInfo, requirement_id: str, body: str) -> int:
    """Add a comment on a requirement; returns its id."""
    require_scorer(conn, actor, info, "comment")
    require_state(info, SCORING_STATES, "comment")
    text = (body or "").strip()
    if not text:
        raise ValidationError(Problem("empty comment", column="comment", expected="some text"))
    if (
        conn.execute(
            "SELECT 1 FROM requirements WHERE round_id = ? AND id = ?", (info.id, requirement_id)
        ).fetchone()
        is None
    ):
        raise ValidationError(
            Problem(
                "unknown requirement",
                column="requirement_id",
                value=requirement_id,
                expected=f"a requirement of round {info.id}",
            )
        )
    row = conn.execute(
        """INSERT INTO comments (round_id, requirement_id, member_id, body,
                                                created_at)
                          VALUES (?, ?, ?, ?, ?) RETURNING id""",
        (info.id, requirement_id, actor.id, text, connection.now()),
    ).fetchone()
    return int(row[0])


def visible_comments(conn: Db, actor: Actor, info: RoundInfo) -> pd.DataFrame:
    """Comments the actor may read: the same blind rule as scores."""
    sql = (
        "SELECT id, requirement_id, member_id AS member, body, created_at FROM comments "
        "WHERE round_id = ?"
    )
    params: tuple[object, ...] = (info.id,)
    if info.state not in REVEALED:
        sql += " AND member_id = ?"
        params += (actor.id,)
    rows = conn.execute(sql + " ORDER BY id", params).fetchall()
    return pd.DataFrame(
        [tuple(r) for r in rows], columns=["id", "requirement_id", "member", "body", "created_at"]
    )
