"""What ``prioritize log verify`` checks beyond the chain: that the record behind every
decision is still the record it rested on.

- Every round's criteria snapshot still hashes to the SHA-256 the round recorded.
- Every current score and weight is the last value of its append-only history (an edit
  made with a database tool, outside the store, breaks this).
- Every decision taken with the histories in place is recomputed: the criteria snapshot,
  the weights and the scores as they stood when it was taken (the history up to the point
  the decision recorded) must give the basis SHA-256 stored in the hash-chained entry.
- Every current weight proposal is the last version in its history, and every adoption of
  weights is recomputed from the weights and proposals as they stood when it was taken.

A writer who can rewrite the whole file (chain, head, histories) can still forge a
consistent record; the defence is a head noted outside the file (``prioritize log head``
and ``log verify --head HASH``).
"""

from __future__ import annotations

import hashlib
from dataclasses import replace

from prioritize.council.decisions import DecisionEntry, evaluation_fingerprint
from prioritize.engine.evaluate import evaluate
from prioritize.errors import PrioritizeError
from prioritize.load.criteria import criteria_from_text
from prioritize.model.council import Scores
from prioritize.store.connection import Db
from prioritize.store.history import scores_as_of, weights_as_of
from prioritize.store.permissions import round_info
from prioritize.store.proposals import basis, proposals_as_of
from prioritize.store.schema import schema_version
from prioritize.store.snapshots import judged, round_members, round_requirements

__all__ = ["audit_record"]

#: The first schema version with the histories this audit reads.
HISTORY_VERSION = 4
#: The first schema version with weight proposals.
PROPOSALS_VERSION = 6


def audit_record(conn: Db, entries: list[DecisionEntry]) -> list[str]:
    """Every way the record behind the log no longer matches, in words (empty: it does)."""
    if schema_version(conn) < HISTORY_VERSION:
        return []
    problems = _snapshots(conn)
    problems += _scores_match_history(conn)
    problems += _weights_match_history(conn)
    if schema_version(conn) >= PROPOSALS_VERSION:
        problems += _proposals_match_history(conn)
    for entry in entries:
        if entry.adopts_weights:
            problems += _adoption_basis(conn, entry)
        elif entry.scores_upto is not None and entry.weights_upto is not None:
            problems += _basis(conn, entry)
    return problems


def _snapshots(conn: Db) -> list[str]:
    problems = []
    rows = conn.execute(
        """SELECT r.id, r.criteria_sha256, c.yaml_text FROM rounds r
           LEFT JOIN criteria_sets c ON c.sha256 = r.criteria_sha256 ORDER BY r.id"""
    ).fetchall()
    for round_id, sha256, text in rows:
        if text is None:
            problems.append(f"round {round_id}'s criteria snapshot {sha256[:12]} is missing")
        elif hashlib.sha256(str(text).encode("utf-8")).hexdigest() != sha256:
            problems.append(
                f"round {round_id}'s criteria snapshot was edited: its text no longer "
                f"matches the SHA-256 {sha256[:12]}… the round recorded"
            )
    return problems


def _scores_match_history(conn: Db) -> list[str]:
    rows = conn.execute(
        """SELECT s.round_id, s.requirement_id, s.member, s.criterion FROM scores s
           LEFT JOIN score_history h ON h.id = (
               SELECT MAX(id) FROM score_history x
               WHERE x.round_id = s.round_id AND x.requirement_id = s.requirement_id
                 AND x.member = s.member AND x.criterion = s.criterion)
           WHERE h.id IS NULL OR h.score != s.score OR h.reason != s.reason
              OR h.version != s.version
           ORDER BY s.round_id, s.requirement_id, s.member, s.criterion LIMIT 21"""
    ).fetchall()
    problems = [
        f"round {r[0]}: the score of {r[1]} by {r[2]} on {r[3]} differs from its history "
        f"(changed outside the store)"
        for r in rows[:20]
    ]
    if len(rows) > 20:
        problems.append("more scores differ from their history")
    return problems


def _weights_match_history(conn: Db) -> list[str]:
    rows = conn.execute(
        """SELECT w.round_id, w.criterion FROM round_weights w
           LEFT JOIN weight_history h ON h.id = (
               SELECT MAX(id) FROM weight_history x
               WHERE x.round_id = w.round_id AND x.criterion = w.criterion)
           WHERE h.id IS NULL OR h.weight != w.weight
           ORDER BY w.round_id, w.criterion"""
    ).fetchall()
    return [
        f"round {r[0]}: the weight of {r[1]} differs from its history (changed outside the store)"
        for r in rows
    ]


def _proposals_match_history(conn: Db) -> list[str]:
    rows = conn.execute(
        """SELECT p.round_id, p.member FROM weight_proposals p
           LEFT JOIN proposal_history h ON h.id = (
               SELECT MAX(id) FROM proposal_history x
               WHERE x.round_id = p.round_id AND x.member = p.member)
           WHERE h.id IS NULL OR h.method != p.method OR h.answer != p.answer
              OR h.weights != p.weights OR h.reason != p.reason OR h.version != p.version"""
    ).fetchall()
    return [
        f"round {r[0]}: the weight proposal of {r[1]} differs from its history "
        "(changed outside the store)"
        for r in rows
    ]


def _adoption_basis(conn: Db, entry: DecisionEntry) -> list[str]:
    """An adoption of weights rests on the weights it set and the proposals in force."""
    if entry.weights_upto is None or entry.proposals_upto is None:
        return [f"{entry.describe()}: it does not say how far its histories reached"]
    try:
        info = round_info(conn, entry.round_id)
        weights = weights_as_of(conn, entry.round_id, entry.weights_upto)
        proposals = proposals_as_of(conn, info, entry.proposals_upto)
        rebuilt = basis(weights, proposals)
    except PrioritizeError as exc:
        return [f"{entry.describe()}: its basis can no longer be rebuilt ({exc})"]
    if rebuilt != entry.basis_sha256:
        return [
            f"{entry.describe()}: the weights or proposals it rested on were changed "
            f"after it was taken (its basis no longer matches)"
        ]
    return []


def _basis(conn: Db, entry: DecisionEntry) -> list[str]:
    assert entry.scores_upto is not None and entry.weights_upto is not None
    try:
        info = round_info(conn, entry.round_id)
        row = conn.execute(
            "SELECT yaml_text FROM criteria_sets WHERE sha256 = ?", (info.criteria_sha256,)
        ).fetchone()
        if row is None:
            return [f"{entry.describe()}: its round's criteria snapshot is missing"]
        text = str(row[0])
        criteria = criteria_from_text(text, f"round {info.id}'s criteria snapshot")
        # the snapshot as it is now, under the hash of its text as it is now
        criteria = replace(criteria, sha256=hashlib.sha256(text.encode("utf-8")).hexdigest())
        weights = weights_as_of(conn, entry.round_id, entry.weights_upto)
        if weights:
            criteria = criteria.with_weights(weights)
        scores = judged(scores_as_of(conn, entry.round_id, entry.scores_upto))
        evaluation = evaluate(
            criteria,
            round_requirements(conn, info),
            Scores.trusted(scores, f"round {info.id}"),
            members=round_members(conn, info),
            aggregation=info.aggregation,
        )
    except PrioritizeError as exc:
        return [f"{entry.describe()}: its basis can no longer be rebuilt ({exc})"]
    if evaluation_fingerprint(evaluation) != entry.basis_sha256:
        return [
            f"{entry.describe()}: the criteria, weights or scores it rested on were changed "
            f"after it was taken (its basis no longer matches)"
        ]
    return []
