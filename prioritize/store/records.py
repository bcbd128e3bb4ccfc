"""The store's result types and its own error, and the permission checks every action runs.

Permission model (enforced here, inside the store, whatever the face calling it):

- ``facilitator``: registers members, creates rounds, changes weights, moves a round's
  state, reveals, records decisions; may also score in a round they belong to;
- ``member``: writes only their own scores and comments, in rounds they belong to;
- ``observer``: reads.

Reads follow the round's state: while scoring everyone reads only their own scores (the
facilitator reads progress, not values); from the reveal on everyone reads every score
with its reason. Facilitators and observers may read every round; a member only the
rounds they belong to. A decided round is locked.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection
from dataclasses import dataclass

from prioritize.errors import PermissionDenied, PrioritizeError, Problem, ValidationError

__all__ = [
    "STATES",
    "Actor",
    "ConflictError",
    "RoundInfo",
    "ScoreRecord",
    "require_round",
    "require_state",
]

#: A round's states, in order: draft -> scoring (blind) -> debate (revealed) -> decided.
STATES: tuple[str, ...] = ("draft", "scoring", "debate", "decided")
#: States in which all scores are visible to everyone in the round.
REVEALED: frozenset[str] = frozenset({"debate", "decided"})


class ConflictError(PrioritizeError):
    """A write based on a stale read: the score changed since it was read (optimistic
    concurrency), or a new score collides with an existing one."""


@dataclass(frozen=True, slots=True)
class Actor:
    """The member acting in a unit of work, as the database says now (roles can change)."""

    id: str
    name: str
    department: str
    role: str

    def __str__(self) -> str:
        return f"{self.id} ({self.role})"


@dataclass(frozen=True, slots=True)
class RoundInfo:
    """A round as stored: its state, criteria snapshot and size."""

    id: int
    name: str
    state: str
    criteria_name: str
    criteria_sha256: str
    aggregation: str
    previous_round_id: int | None
    created_by: str
    created_at: str
    updated_at: str
    requirements: int
    members: int

    @property
    def revealed(self) -> bool:
        """Whether every score is visible (debate or decided)."""
        return self.state in REVEALED

    @property
    def locked(self) -> bool:
        """A decided round is locked."""
        return self.state == "decided"


@dataclass(frozen=True, slots=True)
class ScoreRecord:
    """One stored score. ``version`` starts at 1 and grows by one with each change."""

    round_id: int
    requirement_id: str
    member_id: str
    criterion: str
    score: float
    reason: str
    scored_at: str
    version: int


def require_role(actor: Actor, roles: Collection[str], action: str) -> None:
    """Raise :class:`PermissionDenied` unless the actor has one of ``roles``."""
    if actor.role not in roles:
        allowed = " or ".join(f"a {r}" for r in roles)
        raise PermissionDenied(f"{actor} may not {action}: only {allowed} may")


def round_info(conn: sqlite3.Connection, round_id: int) -> RoundInfo:
    """The round ``round_id`` (ValidationError when there is none)."""
    row = conn.execute(
        """SELECT r.*, c.name AS criteria_name,
                  (SELECT COUNT(*) FROM requirements q WHERE q.round_id = r.id) AS n_req,
                  (SELECT COUNT(*) FROM round_members m WHERE m.round_id = r.id) AS n_mem
           FROM rounds r JOIN criteria_sets c ON c.sha256 = r.criteria_sha256
           WHERE r.id = ?""", (int(round_id),)).fetchone()
    if row is None:
        raise ValidationError(Problem("no such round", column="round", value=str(round_id),
                                      expected="the id of an existing round"))
    return RoundInfo(id=int(row["id"]), name=row["name"], state=row["state"],
                     criteria_name=row["criteria_name"], criteria_sha256=row["criteria_sha256"],
                     aggregation=row["aggregation"],
                     previous_round_id=row["previous_round_id"], created_by=row["created_by"],
                     created_at=row["created_at"], updated_at=row["updated_at"],
                     requirements=int(row["n_req"]), members=int(row["n_mem"]))


def in_round(conn: sqlite3.Connection, round_id: int, member_id: str) -> bool:
    """Whether the member belongs to the round."""
    return conn.execute("SELECT 1 FROM round_members WHERE round_id = ? AND member_id = ?",
                        (int(round_id), member_id)).fetchone() is not None


def require_round(conn: sqlite3.Connection, actor: Actor, round_id: int) -> RoundInfo:
    """The round, if the actor may see it: facilitators and observers see every round, a
    member only the rounds they belong to."""
    info = round_info(conn, round_id)
    if actor.role == "member" and not in_round(conn, info.id, actor.id):
        raise PermissionDenied(f"{actor} is not a member of round {info.id}")
    return info


def require_state(info: RoundInfo, states: Collection[str], action: str) -> None:
    """Raise unless the round is in one of ``states``: PermissionDenied for a locked
    round, ValidationError for any other wrong state."""
    if info.state in states:
        return
    if info.locked:
        raise PermissionDenied(f"round {info.id} is decided and locked: cannot {action}")
    raise ValidationError(Problem(f"cannot {action} while round {info.id} is in {info.state}",
                                  column="state", value=info.state,
                                  expected=f"a round in {' or '.join(states)}"))


def require_scorer(conn: sqlite3.Connection, actor: Actor, info: RoundInfo, action: str) -> None:
    """The actor may write scores and comments in this round: a member or facilitator
    who belongs to it."""
    require_role(actor, ("member", "facilitator"), action)
    if not in_round(conn, info.id, actor.id):
        raise PermissionDenied(f"{actor} is not a member of round {info.id}: cannot {action}")
