"""Members' weight proposals in the database.

A proposal is one member's answer to a weighting method (points, SWING, rank order, AHP
judgements), the weights it yields and a reason. It is blind like scores: before the reveal
a member reads only their own. Every version is kept in ``proposal_history``, so the
proposals an adoption of weights rested on can be rebuilt (:func:`proposals_as_of`,
:func:`basis`; the adoption itself is in :mod:`prioritize.store.adoption`).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

import pandas as pd

from prioritize.council.decisions import weights_fingerprint
from prioritize.council.rounds import SCORING_STATES
from prioritize.council.weighing import PROPOSAL_COLUMNS, Proposals
from prioritize.errors import Problem, ValidationError
from prioritize.store import connection
from prioritize.store.connection import Db, plain_rows
from prioritize.store.permissions import require_scorer, require_state
from prioritize.store.records import Actor, ConflictError, RoundInfo
from prioritize.store.snapshots import round_criteria
from prioritize.weights import elicit

__all__ = [
    "basis",
    "canonical",
    "normalised",
    "proposals_as_of",
    "proposals_reach",
    "round_proposals",
    "submit_proposal",
    "visible_proposals",
]

#: The longest reason a proposal may carry (characters).
MAX_REASON = 4_000


def canonical(value: Any) -> str:
    """The canonical JSON text the store keeps (sorted keys, no spaces, no NaN)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), allow_nan=False)


def normalised(weights: Mapping[str, float]) -> dict[str, float]:
    """Weights divided by their exact sum (``math.fsum`` over the sorted criteria), so the
    same raw weights give the same bits wherever they are normalised."""
    total = math.fsum(float(weights[k]) for k in sorted(weights))
    return {str(k): float(weights[k]) / total for k in sorted(weights)}


def submit_proposal(
    conn: Db,
    actor: Actor,
    info: RoundInfo,
    method: str,
    answer: Mapping[str, Any],
    reason: str,
    version: int | None,
) -> Proposals:
    """Write one's own proposal (the caller's transaction); returns it as read back.

    New: ``version=None``; a change names the version read (optimistic concurrency, as for
    scores)."""
    require_scorer(conn, actor, info, "propose weights")
    require_state(info, SCORING_STATES, "propose weights")
    criteria = round_criteria(conn, info)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            Problem(
                "a weight proposal needs a reason",
                column="reason",
                expected="why these weights (a sentence is enough)",
            )
        )
    if len(reason) > MAX_REASON:
        raise ValidationError(
            Problem(
                f"the reason is {len(reason)} characters long",
                column="reason",
                expected=f"at most {MAX_REASON} characters",
            )
        )
    elicited = elicit(method, answer, criteria.ids)  # validates the answer
    try:
        answer_text = canonical(answer)
    except (TypeError, ValueError) as exc:
        raise ValidationError(
            Problem(
                "the answer cannot be stored as JSON",
                column="answer",
                value=str(exc),
                expected="numbers and texts only",
            )
        ) from exc
    weights_text = canonical({str(k): float(v) for k, v in elicited.weights.items()})
    cr = elicited.consistency_ratio
    current = conn.execute(
        "SELECT version FROM weight_proposals WHERE round_id = ? AND member = ?",
        (info.id, actor.id),
    ).fetchone()
    stamp = connection.now()
    if current is None:
        if version is not None:
            raise ConflictError(
                f"{actor.id} has no weight proposal in round {info.id} to change "
                f"(version {version} was named)"
            )
        new_version = 1
        conn.execute(
            """INSERT INTO weight_proposals (round_id, member, method, answer, weights,
                   consistency_ratio, reason, time, version)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1)""",
            (info.id, actor.id, method, answer_text, weights_text, cr, reason, stamp),
        )
    else:
        if version is None or int(version) != int(current[0]):
            raise ConflictError(
                f"{actor.id}'s weight proposal in round {info.id} is at version "
                f"{int(current[0])}, not {version}: read it again before changing it"
            )
        new_version = int(current[0]) + 1
        conn.execute(
            """UPDATE weight_proposals SET method = ?, answer = ?, weights = ?,
                   consistency_ratio = ?, reason = ?, time = ?, version = ?
               WHERE round_id = ? AND member = ?""",
            (method, answer_text, weights_text, cr, reason, stamp, new_version, info.id, actor.id),
        )
    conn.execute(
        """INSERT INTO proposal_history (round_id, member, method, answer, weights,
               consistency_ratio, reason, time, version)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        (info.id, actor.id, method, answer_text, weights_text, cr, reason, stamp, new_version),
    )
    conn.execute("UPDATE rounds SET updated_at = ? WHERE id = ?", (stamp, info.id))
    return round_proposals(conn, info, actor.id)


def _proposals(conn: Db, info: RoundInfo, rows: list[Any]) -> Proposals:
    frame = pd.DataFrame(rows, columns=list(PROPOSAL_COLUMNS))
    frame["consistency_ratio"] = frame["consistency_ratio"].astype(float)
    frame["version"] = frame["version"].astype("int64")
    return Proposals.trusted(frame, round_criteria(conn, info).ids)


def round_proposals(conn: Db, info: RoundInfo, member: str | None = None) -> Proposals:
    """The round's current proposals (one member's only, when given), by member."""
    sql = """SELECT p.member, m.department, p.method, p.answer, p.weights,
                    p.consistency_ratio, p.reason, p.time, p.version
             FROM weight_proposals p JOIN members m ON m.id = p.member
             WHERE p.round_id = ?"""
    params: tuple[object, ...] = (info.id,)
    if member is not None:
        sql += " AND p.member = ?"
        params += (member,)
    return _proposals(conn, info, plain_rows(conn, sql + " ORDER BY p.member", params))


def visible_proposals(conn: Db, actor: Actor, info: RoundInfo) -> Proposals:
    """The proposals the actor may read: all after the reveal, only their own before."""
    return round_proposals(conn, info, None if info.revealed else actor.id)


def proposals_reach(conn: Db) -> int:
    """The last row of the proposal history (0 when empty)."""
    return int(conn.execute("SELECT COALESCE(MAX(id), 0) FROM proposal_history").fetchone()[0])


def proposals_as_of(conn: Db, info: RoundInfo, upto: int) -> Proposals:
    """The round's proposals as they stood when the history reached row ``upto``."""
    rows = plain_rows(
        conn,
        """SELECT h.member, m.department, h.method, h.answer, h.weights,
                  h.consistency_ratio, h.reason, h.time, h.version
           FROM proposal_history h
           JOIN (SELECT MAX(id) AS id FROM proposal_history
                 WHERE round_id = ? AND id <= ? GROUP BY member) last ON last.id = h.id
           JOIN members m ON m.id = h.member
           ORDER BY h.member""",
        (info.id, upto),
    )
    return _proposals(conn, info, rows)


def basis(weights: Mapping[str, float], proposals: Proposals) -> str:
    """The basis hash of adopting ``weights`` (raw) on ``proposals``."""
    frame = proposals.table.reset_index()[["member", "method", "answer", "weights", "reason"]]
    return weights_fingerprint(normalised(weights), frame)
