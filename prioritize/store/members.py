"""The council's members as the facilitator manages them: inviting a member with a
one-time passcode, resetting a passcode, changing a role, deactivating and reactivating.
The callers check the facilitator role; these functions keep the council workable (it
always keeps an active facilitator) and a member's history (nothing is deleted)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

import pandas as pd

from prioritize.errors import PermissionDenied, Problem, ValidationError
from prioritize.model.council import ROLES, Member
from prioritize.store import signin, websessions
from prioritize.store.connection import Db, Row
from prioritize.store.passcodes import PROVIDER_PASSCODE_HASH, hash_passcode
from prioritize.store.records import Actor

__all__ = [
    "Invitation",
    "council",
    "new_one_time_passcode",
    "reset_passcode",
    "set_active",
    "set_role",
]

#: Letters and digits nobody confuses when reading a passcode aloud or off a screen.
_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


@dataclass(frozen=True, slots=True)
class Invitation:
    """A member and the one-time passcode to hand them (shown once, never stored in
    clear; they choose their own at first sign-in)."""

    member: Member
    passcode: str


def new_one_time_passcode() -> str:
    """A random one-time passcode such as ``K7QM-X3PD-9WRT-HN4C`` (80 bits; 19 characters,
    above the 12-character minimum)."""
    groups = ("".join(secrets.choice(_ALPHABET) for _ in range(4)) for _ in range(4))
    return "-".join(groups)


def council(conn: Db) -> pd.DataFrame:
    """Every council member: ``name, department, role, active`` by id (no secrets)."""
    rows = conn.execute(
        "SELECT id, name, department, role, active FROM members ORDER BY id"
    ).fetchall()
    frame = pd.DataFrame(
        [tuple(r) for r in rows], columns=["id", "name", "department", "role", "active"]
    ).set_index("id")
    frame["active"] = frame["active"].astype(bool)
    return frame


def _member_row(conn: Db, member_id: str) -> Row:
    row = conn.execute("SELECT id, role, active FROM members WHERE id = ?", (member_id,)).fetchone()
    if row is None:
        raise ValidationError(
            Problem(
                "no such member",
                column="member",
                value=str(member_id),
                expected="the id of a council member",
            )
        )
    found: Row = row
    return found


def _other_active_facilitators(conn: Db, member_id: str) -> int:
    return int(
        conn.execute(
            """SELECT COUNT(*) FROM members
               WHERE role = 'facilitator' AND active = 1 AND id <> ?""",
            (member_id,),
        ).fetchone()[0]
    )


def set_role(conn: Db, actor: Actor, member_id: str, role: str) -> None:
    """Give a member another role; the council keeps at least one active facilitator."""
    row = _member_row(conn, member_id)
    if role not in ROLES:
        raise ValidationError(
            Problem(
                "unknown role",
                row=member_id,
                column="role",
                value=str(role),
                expected=f"one of {', '.join(ROLES)}",
            )
        )
    if (
        row["role"] == "facilitator"
        and role != "facilitator"
        and not _other_active_facilitators(conn, member_id)
    ):
        raise PermissionDenied(
            f"{member_id} is the council's only active facilitator: make someone else "
            "facilitator first"
        )
    conn.execute("UPDATE members SET role = ? WHERE id = ?", (role, member_id))


def set_active(conn: Db, actor: Actor, member_id: str, active: bool) -> None:
    """Deactivate a member (they can no longer sign in; every score, comment and decision
    of theirs stays) or bring them back. Nobody deactivates themselves, and the council
    keeps an active facilitator."""
    row = _member_row(conn, member_id)
    if not active:
        if member_id == actor.id:
            raise PermissionDenied("you cannot deactivate yourself: ask another facilitator")
        if row["role"] == "facilitator" and not _other_active_facilitators(conn, member_id):
            raise PermissionDenied(f"{member_id} is the council's only active facilitator")
        websessions.revoke_member(conn, member_id)
    conn.execute("UPDATE members SET active = ? WHERE id = ?", (int(bool(active)), member_id))


def reset_passcode(conn: Db, member_id: str) -> str:
    """Give a member a new one-time passcode (returned once; they choose their own at the
    next sign-in). Ends their browser sessions and clears their wrong-passcode count.
    A member who signs in with their company account has no passcode to reset."""
    _member_row(conn, member_id)
    stored = conn.execute(
        "SELECT passcode_hash FROM members WHERE id = ?", (member_id,)
    ).fetchone()[0]
    if stored == PROVIDER_PASSCODE_HASH:
        raise PermissionDenied(
            f"{member_id} signs in with their company account and has no passcode to reset "
            "(their access follows the provider's groups)"
        )
    passcode = new_one_time_passcode()
    salt, hashed = hash_passcode(passcode)
    conn.execute(
        """UPDATE members SET passcode_salt = ?, passcode_hash = ?, must_change_passcode = 1
           WHERE id = ?""",
        (salt, hashed, member_id),
    )
    websessions.revoke_member(conn, member_id)
    signin.clear_failures(conn, member_id)
    return passcode
