"""The permission checks every store action runs, inside the store whatever face calls it.

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

from collections.abc import Collection

from prioritize.errors import PermissionDenied, Problem, ValidationError
from prioritize.store.connection import Db
from prioritize.store.records import Actor, RoundInfo


def require_role(actor: Actor, roles: Collection[str], action: str) -> None:
    """Raise :class:`PermissionDenied` unless the actor has one of ``roles``."""
    if actor.role not in roles:
        allowed = " or ".join(f"a {r}" for r in roles)
        raise PermissionDenied(f"{actor} may not {action}: only {allowed} may")


def round_info(conn: Db, round_id: int) -> RoundInfo:
    """The round ``round_id`` (ValidationError when there is none)."""
    row = conn.execute(
        """SELECT r.*, c.name AS criteria_name,
                  (SELECT COUNT(*) FROM requirements q WHERE q.round_id = r.id) AS n_req,
                  (SELECT COUNT(*) FROM round_members m WHERE m.round_id = r.id) AS n_mem
           FROM rounds r JOIN criteria_sets c ON c.sha256 = r.criteria_sha256
           WHERE r.id = ?""",
        (int(round_id),),
    ).fetchone()
    if row is None:
        raise ValidationError(
            Problem(
                "no such round",
                column="round",
                value=str(round_id),
                expected="the id of an existing round",
            )
        )
    return RoundInfo(
        id=int(row["id"]),
        name=row["name"],
        state=row["state"],
        criteria_name=row["criteria_name"],
        criteria_sha256=row["criteria_sha256"],
        aggregation=row["aggregation"],
        previous_round_id=row["previous_round_id"],
        created_by=row["created_by"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        requirements=int(row["n_req"]),
        members=int(row["n_mem"]),
    )


def in_round(conn: Db, round_id: int, member_id: str) -> bool:
    """Whether the member belongs to the round."""
    return (
        conn.execute(
            "SELECT 1 FROM round_members WHERE round_id = ? AND member_id = ?",
            (int(round_id), member_id),
        ).fetchone()
        is not None
    )


def require_round(conn: Db, actor: Actor, round_id: int) -> RoundInfo:
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
    raise ValidationError(
        Problem(
            f"cannot {action} while round {info.id} is in {info.state}",
            column="state",
            value=info.state,
            expected=f"a round in {' or '.join(states)}",
        )
    )


def require_scorer(conn: Db, actor: Actor, info: RoundInfo, action: str) -> None:
    """The actor may write scores and comments in this round: a member or facilitator
    who belongs to it."""
    require_role(actor, ("member", "facilitator"), action)
    if not in_round(conn, info.id, actor.id):
        raise PermissionDenied(f"{actor} is not a member of round {info.id}: cannot {action}")
