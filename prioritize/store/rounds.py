"""Council members and rounds in the database: registering members, creating a round (or
starting one from a previous round), its weights, its members and its state machine
draft -> scoring -> debate -> decided. The callers check the facilitator role."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from prioritize.council.rounds import STATES, TRANSITIONS
from prioritize.engine.scoring import AGGREGATIONS
from prioritize.errors import Problem, ValidationError
from prioritize.load.files import Source, Upload
from prioritize.load.requirements import load_requirements
from prioritize.model.council import ROLES, Member, Requirements
from prioritize.store import connection, history
from prioritize.store.connection import Db
from prioritize.store.passcodes import check_passcode, hash_passcode
from prioritize.store.permissions import round_info
from prioritize.store.records import RoundInfo
from prioritize.store.requirements import STORED_COLUMNS, insert_requirements
from prioritize.store.settings import is_demo
from prioritize.store.snapshots import round_criteria, store_criteria

__all__ = [
    "add_round_member",
    "advance",
    "create_round",
    "register_member",
    "set_weights",
    "start_from",
]

_MEMBER_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
#: The only moves of a round's state.


def register_member(
    conn: Db,
    member_id: str,
    name: str,
    department: str,
    role: str,
    passcode: str,
    *,
    one_time: bool,
) -> Member:
    """Add a member to the council (the passcode is kept only as a salted scrypt hash).

    ``one_time``: the passcode was chosen by someone else (a facilitator registering a
    member), so the member must change it at first sign-in. The passcode rules of
    :func:`~prioritize.store.passcodes.check_passcode` apply (relaxed in the demo council).
    """
    problems = []
    if not isinstance(member_id, str) or not _MEMBER_ID.match(member_id):
        problems.append(
            Problem(
                "invalid member id",
                column="id",
                value=str(member_id),
                expected="letters, digits, '_', '.' or '-', such as m01",
            )
        )
    for column, value in (("name", name), ("department", department)):
        if not isinstance(value, str) or not value.strip():
            problems.append(
                Problem(
                    f"missing {column}",
                    row=str(member_id),
                    column=column,
                    value=str(value),
                    expected="a non-empty text",
                )
            )
    if role not in ROLES:
        problems.append(
            Problem(
                "unknown role",
                row=str(member_id),
                column="role",
                value=str(role),
                expected=f"one of {', '.join(ROLES)}",
            )
        )
    if problems:
        raise ValidationError(problems)
    if conn.execute("SELECT 1 FROM members WHERE id = ?", (member_id,)).fetchone():
        raise ValidationError(
            Problem(
                "a member with this id already exists",
                column="id",
                value=member_id,
                expected="a new member id",
            )
        )
    check_passcode(passcode, member_id, demo=is_demo(conn))
    salt, hashed = hash_passcode(passcode)
    conn.execute(
        """INSERT INTO members (id, name, department, role, passcode_salt,
                                passcode_hash, created_at, must_change_passcode)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
        (
            member_id,
            name.strip(),
            department.strip(),
            role,
            salt,
            hashed,
            connection.now(),
            int(one_time),
        ),
    )
    return Member(id=member_id, name=name.strip(), department=department.strip(), role=role)


def _members_exist(conn: Db, ids: list[str]) -> None:
    known = {r[0] for r in conn.execute("SELECT id FROM members").fetchall()}
    unknown = [m for m in ids if m not in known]
    if unknown:
        raise ValidationError(
            Problem(
                "unknown council member",
                column="member",
                value=", ".join(unknown),
                expected="members registered in the council",
            )
        )


def create_round(
    conn: Db,
    creator: str,
    name: str,
    criteria: str | Path | Mapping[str, Any] | Upload,
    requirements: Requirements | Source,
    members: Iterable[str] | None,
    aggregation: str,
) -> RoundInfo:
    """A new round in draft, with a criteria snapshot, its weights, requirements, members."""
    if not isinstance(name, str) or not name.strip():
        raise ValidationError(
            Problem("a round needs a name", column="name", expected="a non-empty text")
        )
    if aggregation not in AGGREGATIONS:
        raise ValidationError(
            Problem(
                "unknown aggregation",
                column="aggregation",
                value=str(aggregation),
                expected=f"one of {', '.join(AGGREGATIONS)}",
            )
        )
    loaded = load_requirements(requirements)
    stamp = connection.now()
    snapshot = store_criteria(conn, criteria, stamp)
    if members is None:
        ids = [r[0] for r in conn.execute("SELECT id FROM members ORDER BY id").fetchall()]
    else:
        ids = list(dict.fromkeys(members))
        _members_exist(conn, ids)
    row = conn.execute(
        """INSERT INTO rounds (name, criteria_sha256, aggregation, state,
                                              created_by, created_at, updated_at)
                          VALUES (?, ?, ?, 'draft', ?, ?, ?) RETURNING id""",
        (name.strip(), snapshot.sha256, aggregation, creator, stamp, stamp),
    ).fetchone()
    round_id = int(row[0])
    conn.executemany(
        "INSERT INTO round_weights (round_id, criterion, weight) VALUES (?, ?, ?)",
        [(round_id, c.id, float(c.weight)) for c in snapshot],
    )
    history.record_weights(conn, round_id, creator, stamp)
    insert_requirements(conn, round_id, loaded)
    conn.executemany(
        "INSERT INTO round_members (round_id, member_id) VALUES (?, ?)",
        [(round_id, m) for m in ids],
    )
    return round_info(conn, round_id)


def start_from(conn: Db, creator: str, previous: RoundInfo, name: str | None) -> RoundInfo:
    """A new draft round with the previous round's criteria snapshot, weights,
    requirements, members and aggregation, and no scores."""
    stamp = connection.now()
    row = conn.execute(
        """INSERT INTO rounds (name, criteria_sha256, aggregation, state, previous_round_id,
                               created_by, created_at, updated_at)
           VALUES (?, ?, ?, 'draft', ?, ?, ?, ?) RETURNING id""",
        (
            (name or f"{previous.name} (follow-up)").strip(),
            previous.criteria_sha256,
            previous.aggregation,
            previous.id,
            creator,
            stamp,
            stamp,
        ),
    ).fetchone()
    round_id = int(row[0])
    columns = ", ".join(("position", *STORED_COLUMNS))
    conn.execute(
        f"""INSERT INTO requirements (round_id, {columns})
                     SELECT ?, {columns} FROM requirements WHERE round_id = ?""",
        (round_id, previous.id),
    )
    conn.execute(
        """INSERT INTO round_weights (round_id, criterion, weight)
                    SELECT ?, criterion, weight FROM round_weights WHERE round_id = ?""",
        (round_id, previous.id),
    )
    history.record_weights(conn, round_id, creator, stamp)
    conn.execute(
        """INSERT INTO round_members (round_id, member_id)
                    SELECT ?, member_id FROM round_members WHERE round_id = ?""",
        (round_id, previous.id),
    )
    return round_info(conn, round_id)


def add_round_member(conn: Db, info: RoundInfo, member_id: str) -> None:
    """Add an existing council member to a round (idempotent)."""
    _members_exist(conn, [member_id])
    conn.execute(
        """INSERT INTO round_members (round_id, member_id) VALUES (?, ?)
                    ON CONFLICT (round_id, member_id) DO NOTHING""",
        (info.id, member_id),
    )
    conn.execute("UPDATE rounds SET updated_at = ? WHERE id = ?", (connection.now(), info.id))


def set_weights(
    conn: Db, info: RoundInfo, weights: Mapping[str, float], changed_by: str
) -> pd.Series:
    """Replace some or all of the round's raw weights (kept in the weight history); returns
    them all."""
    updated = round_criteria(conn, info).with_weights(weights)  # validates every weight
    conn.executemany(
        "UPDATE round_weights SET weight = ? WHERE round_id = ? AND criterion = ?",
        [(float(c.weight), info.id, c.id) for c in updated],
    )
    stamp = connection.now()
    history.record_weights(conn, info.id, changed_by, stamp)
    conn.execute("UPDATE rounds SET updated_at = ? WHERE id = ?", (stamp, info.id))
    return updated.raw_weights


#: The moves that need at least one score, and what the move does to the round.
_NEEDS_SCORES: Mapping[str, str] = {"debate": "revealed", "decided": "closed"}


def _has_scores(conn: Db, round_id: int) -> bool:
    return (
        conn.execute(
            "SELECT 1 FROM scores WHERE round_id = ? AND abstained = 0 LIMIT 1", (round_id,)
        ).fetchone()
        is not None
    )


def advance(conn: Db, info: RoundInfo, to_state: str) -> RoundInfo:
    """Move a round one step along draft -> scoring -> debate -> decided; revealing or
    closing needs at least one score (members left unfinished are the facilitator's call)."""
    if to_state not in STATES:
        raise ValidationError(
            Problem(
                "unknown state",
                column="state",
                value=str(to_state),
                expected=f"one of {', '.join(STATES)}",
            )
        )
    if TRANSITIONS.get(info.state) != to_state:
        expected = TRANSITIONS.get(info.state)
        raise ValidationError(
            Problem(
                f"round {info.id} cannot move from {info.state} to {to_state}",
                column="state",
                value=to_state,
                expected=f"{expected} (the next state)" if expected else "nothing: it is decided",
            )
        )
    if to_state == "scoring" and (info.requirements == 0 or info.members == 0):
        raise ValidationError(
            Problem(
                f"round {info.id} needs requirements and members before scoring",
                column="state",
                value=info.state,
            )
        )
    if to_state in _NEEDS_SCORES and not _has_scores(conn, info.id):
        # Revealing or locking an empty round leaves every page with nothing to show and
        # nothing to decide; the facilitator may go on with some members unfinished.
        raise ValidationError(
            Problem(
                f"round {info.id} has no scores yet: it cannot be {_NEEDS_SCORES[to_state]}",
                column="state",
                value=info.state,
                expected="at least one member's scores",
            )
        )
    conn.execute(
        "UPDATE rounds SET state = ?, updated_at = ? WHERE id = ? AND state = ?",
        (to_state, connection.now(), info.id, info.state),
    )
    return round_info(conn, info.id)
