"""The decision log in the database: append an entry, read the log, verify it.

One hash chain per database, across rounds, in ``seq`` order. Appending runs in the same
``BEGIN IMMEDIATE`` transaction as the evaluation it rests on, so the entry's category,
rank and basis hash are those of the scores and weights committed at that moment.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy.exc import DBAPIError

from prioritize.council.decisions import (
    GENESIS_HASH,
    OUTCOMES,
    DecisionEntry,
    LogCheck,
    chain_entry,
    evaluation_fingerprint,
    is_override,
    verify_chain,
)
from prioritize.errors import Problem, ValidationError
from prioritize.store import budgets, connection, history
from prioritize.store.audit import audit_record
from prioritize.store.connection import Db, Row
from prioritize.store.records import Actor, RoundInfo
from prioritize.store.snapshots import round_evaluation

__all__ = [
    "LOG_COLUMNS",
    "append_decision",
    "append_entry",
    "log_entries",
    "log_frame",
    "verify_database",
    "verify_log",
]

LOG_COLUMNS = (
    "seq",
    "round_id",
    "requirement_id",
    "outcome",
    "category",
    "rank",
    "override",
    "rationale",
    "dissent",
    "decided_by",
    "decided_at",
    "basis_sha256",
    "previous_hash",
    "entry_hash",
)


def _entry(row: Row) -> DecisionEntry:
    keys = row.keys()  # a file verified read-only may predate later columns

    def optional(name: str) -> int | None:
        return None if name not in keys or row[name] is None else int(row[name])

    return DecisionEntry(
        seq=int(row["seq"]),
        round_id=int(row["round_id"]),
        requirement_id=row["requirement_id"] or "",
        outcome=row["outcome"],
        category=row["category"],
        rank=int(row["rank"] if "rank" in keys else row["model_rank"]),
        rationale=row["rationale"],
        decided_by=row["decided_by"],
        dissent=row["dissent"],
        decided_at=row["decided_at"],
        basis_sha256=row["basis_sha256"],
        override=bool(row["override"]),
        previous_hash=row["previous_hash"],
        entry_hash=row["entry_hash"],
        scores_upto=optional("scores_upto"),
        weights_upto=optional("weights_upto"),
        proposals_upto=optional("proposals_upto"),
        expected_effects=(
            row["expected_effects"]
            if "expected_effects" in keys and row["expected_effects"]
            else None
        ),
    )


def log_entries(conn: Db, round_id: int | None = None) -> list[DecisionEntry]:
    """The log in order (one round's entries only, when given)."""
    if round_id is None:
        rows = conn.execute("SELECT * FROM decisions ORDER BY seq").fetchall()
    else:
        rows = conn.execute(
            "SELECT * FROM decisions WHERE round_id = ? ORDER BY seq", (int(round_id),)
        ).fetchall()
    return [_entry(r) for r in rows]


def log_frame(entries: Iterable[DecisionEntry]) -> pd.DataFrame:
    """Entries as a DataFrame with :data:`LOG_COLUMNS`."""
    rows = [
        (
            e.seq,
            e.round_id,
            e.requirement_id,
            e.outcome,
            e.category,
            e.rank,
            e.override,
            e.rationale,
            e.dissent,
            e.decided_by,
            e.decided_at,
            e.basis_sha256,
            e.previous_hash,
            e.entry_hash,
        )
        for e in entries
    ]
    return pd.DataFrame(rows, columns=list(LOG_COLUMNS))


def _head(conn: Db) -> tuple[int, str]:
    row = conn.execute("SELECT entries, head_hash FROM log_head WHERE id = 1").fetchone()
    return (0, GENESIS_HASH) if row is None else (int(row["entries"]), row["head_hash"])


def append_decision(
    conn: Db,
    actor: Actor,
    info: RoundInfo,
    requirement_id: str,
    outcome: str,
    rationale: str,
    dissent: str,
    expected_effects: str | None = None,
) -> DecisionEntry:
    """Append a decision (inside the caller's write transaction); ``expected_effects`` is
    :func:`~prioritize.council.effects.effects_text` of an approval's checked effects."""
    if outcome not in OUTCOMES:
        raise ValidationError(
            Problem(
                "unknown outcome",
                column="outcome",
                value=str(outcome),
                expected=f"one of {', '.join(OUTCOMES)}",
            )
        )
    evaluation = round_evaluation(conn, info)
    if requirement_id not in evaluation.table.index:
        why = (
            "it lacks scores"
            if requirement_id in evaluation.unscored.index
            else "it is not a requirement of this round"
        )
        raise ValidationError(
            Problem(
                f"cannot decide on a requirement the model has not ranked: {why}",
                column="requirement",
                value=requirement_id,
                expected=f"a ranked requirement of round {info.id}",
            )
        )
    table = evaluation.table
    category = str(table.at[requirement_id, "category"])
    rank = int(table["rank"].to_numpy()[table.index.get_loc(requirement_id)])
    mandatory = bool(table["mandatory"].to_numpy()[table.index.get_loc(requirement_id)])
    optimal = budgets.optimal_portfolio(
        conn, info, evaluation, log_frame(log_entries(conn, info.id))
    )
    outside = optimal is not None and optimal.feasible and requirement_id not in optimal.selected
    override = is_override(outcome, category, mandatory=mandatory, outside_portfolio=outside)
    rationale = (rationale or "").strip()
    if override and not rationale:
        reason = (
            "it is mandatory (a gate)"
            if mandatory
            else (
                "it is outside the optimal portfolio under the round's budget"
                if outside and outcome == "approve"
                else f"it is {category}"
            )
        )
        raise ValidationError(
            Problem(
                f"'{outcome}' departs from the model's recommendation for {requirement_id} "
                f"({reason}): a rationale is mandatory for an override",
                column="rationale",
                expected="a rationale saying why the council departs from the model",
            )
        )
    scores_upto, weights_upto = history.history_reach(conn)
    return append_entry(
        conn,
        round_id=info.id,
        requirement_id=requirement_id,
        outcome=outcome,
        category=category,
        rank=rank,
        rationale=rationale,
        decided_by=actor.id,
        dissent=(dissent or "").strip(),
        decided_at=connection.now(),
        basis_sha256=evaluation_fingerprint(evaluation),
        override=override,
        scores_upto=scores_upto,
        weights_upto=weights_upto,
        expected_effects=expected_effects,
    )


def append_entry(conn: Db, **content: Any) -> DecisionEntry:
    """Chain an entry after the log's head and write it (inside the caller's write
    transaction). ``content`` is every field of :class:`DecisionEntry` but ``seq``,
    ``previous_hash`` and ``entry_hash``; an empty ``requirement_id`` (an adoption of
    weights) is stored as NULL."""
    count, head = _head(conn)
    last = conn.execute("SELECT * FROM decisions ORDER BY seq DESC LIMIT 1").fetchone()
    previous = None if last is None else _entry(last)
    if previous is not None and previous.entry_hash != head:
        # Appending to a chain that no longer matches its head would bury the tampering.
        raise ValidationError(
            Problem(
                "the decision log does not match its recorded head: "
                "run 'prioritize log verify' before deciding",
                column="decisions",
            )
        )
    entry = chain_entry(previous, **content)
    conn.execute(
        """INSERT INTO decisions (seq, round_id, requirement_id, outcome, category, rank,
               rationale, decided_by, dissent, decided_at, basis_sha256, override,
               previous_hash, entry_hash, scores_upto, weights_upto, proposals_upto,
               expected_effects)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        (
            entry.seq,
            entry.round_id,
            entry.requirement_id or None,
            entry.outcome,
            entry.category,
            entry.rank,
            entry.rationale,
            entry.decided_by,
            entry.dissent,
            entry.decided_at,
            entry.basis_sha256,
            int(entry.override),
            entry.previous_hash,
            entry.entry_hash,
            entry.scores_upto,
            entry.weights_upto,
            entry.proposals_upto,
            entry.expected_effects,
        ),
    )
    conn.execute(
        """INSERT INTO log_head (id, entries, head_hash) VALUES (1, ?, ?)
                    ON CONFLICT (id) DO UPDATE SET entries = excluded.entries,
                                                   head_hash = excluded.head_hash""",
        (count + 1, entry.entry_hash),
    )
    return entry


def verify_database(conn: Db, *, expected_head: str | None = None) -> LogCheck:
    """Verify the decision log of the database ``conn`` is connected to (inside the
    caller's transaction): the chain, the recorded head, and the record beyond the chain
    (:func:`~prioritize.store.audit.audit_record`)."""
    entries = log_entries(conn)
    count, head = _head(conn)
    check = verify_chain(entries, expected_count=count, expected_head=head)
    if check.ok and expected_head is not None:
        check = verify_chain(entries, expected_head=expected_head)
    record = audit_record(conn, entries)
    problems = ((check.reason,) if not check.ok else ()) + tuple(record)
    if not problems:
        return check
    return replace(check, ok=False, reason=check.reason or problems[0], problems=problems)


def verify_log(source: object, *, expected_head: str | None = None) -> LogCheck:
    """Verify a decision log: a database file, a :class:`~prioritize.store.Store`, or a
    sequence of :class:`~prioritize.decisions.DecisionEntry`.

    For a database the recorded head (entry count and last hash) is checked too, so
    entries cut off the end are found. ``expected_head`` is a hash noted elsewhere (e.g.
    printed in an exported workbook): the log must end there.

    Examples
    --------
    >>> verify_log([]).ok
    True
    """
    place = getattr(source, "location", source)
    if isinstance(place, str | Path | connection.Location):
        place = connection.locate(place)
        if place.path is not None and not place.path.is_file():
            raise ValidationError(
                Problem(
                    "no such database file",
                    file=str(place.path),
                    expected="an existing prioritize database",
                )
            )
        # Read-only: verifying must never write, not even a migration.
        with connection.connect(place, read_only=True) as conn, connection.read(conn):
            try:
                return verify_database(conn, expected_head=expected_head)
            except DBAPIError as exc:
                raise connection.unreachable(place, exc) from exc
    if isinstance(source, Iterable):
        return verify_chain(list(source), expected_head=expected_head)
    raise ValidationError(
        Problem(
            "cannot read a decision log from this",
            value=repr(source),
            expected="a database path or URL, a Store or a list of entries",
        )
    )
