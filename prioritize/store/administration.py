"""What a facilitator does to the council and to a draft round, as part of
:class:`~prioritize.store.session.Session`: invite members with a one-time passcode, reset
a passcode, change a role, deactivate; replace, add, edit or withdraw a draft round's
requirements. Each action checks the role (and the round's state) inside its own unit of
work, like every other session action; the SQL is in :mod:`~prioritize.store.members` and
:mod:`~prioritize.store.requirements`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TypeVar

import pandas as pd

from prioritize.load.files import Source
from prioritize.store import members as council_members
from prioritize.store import requirements as draft_requirements
from prioritize.store import rounds as rounds_module
from prioritize.store.parts import SessionPart
from prioritize.store.permissions import require_role, require_round, require_state

__all__ = ["CouncilAdministration"]

T = TypeVar("T")
_FACILITATOR = ("facilitator",)


class CouncilAdministration(SessionPart):
    """The facilitator's set-up actions; a part of :class:`Session`, which provides the
    units of work."""

    __slots__ = ()

    def council(self) -> pd.DataFrame:
        """Every council member with their role and whether they are active (facilitator):
        ``name, department, role, active`` by id."""
        with self._read() as (conn, actor):
            require_role(actor, _FACILITATOR, "manage the council")
            return council_members.council(conn)

    def invite_member(
        self,
        member_id: str,
        name: str,
        department: str,
        role: str,
        *,
        rounds: Iterable[int] = (),
    ) -> council_members.Invitation:
        """Register a member with a random one-time passcode, returned once to hand over
        (facilitator), and add them to ``rounds`` (open ones: draft or scoring)."""
        passcode = council_members.new_one_time_passcode()
        with self._write() as (conn, actor):
            require_role(actor, _FACILITATOR, "register members")
            member = rounds_module.register_member(
                conn, member_id, name, department, role, passcode, one_time=True
            )
            for round_id in rounds:
                info = require_round(conn, actor, int(round_id))
                require_state(info, ("draft", "scoring"), "add members to a round")
                rounds_module.add_round_member(conn, info, member_id)
        return council_members.Invitation(member, passcode)

    def reset_passcode(self, member_id: str) -> str:
        """A new one-time passcode for a member, returned once (facilitator); the member's
        browsers are signed out and they choose their own passcode at the next sign-in."""
        with self._write() as (conn, actor):
            require_role(actor, _FACILITATOR, "reset passcodes")
            return council_members.reset_passcode(conn, member_id)

    def set_role(self, member_id: str, role: str) -> None:
        """Give a member another role (facilitator); the council keeps a facilitator."""
        with self._write() as (conn, actor):
            require_role(actor, _FACILITATOR, "change roles")
            council_members.set_role(conn, actor, member_id, role)

    def set_active(self, member_id: str, active: bool) -> None:
        """Deactivate a member, or bring them back (facilitator). A deactivated member
        cannot sign in; their scores, comments and decisions stay."""
        with self._write() as (conn, actor):
            require_role(actor, _FACILITATOR, "deactivate members")
            council_members.set_active(conn, actor, member_id, active)

    def replace_requirements(self, round_id: int, source: Source) -> int:
        """Replace a draft round's requirements with an uploaded list, validated all or
        nothing (facilitator). Returns how many the round now has."""
        return self._facilitate(
            round_id,
            "replace requirements",
            ("draft",),
            lambda conn, actor, info: draft_requirements.replace_requirements(conn, info, source),
        )

    def add_requirement(self, round_id: int, fields: Mapping[str, object]) -> str:
        """Add one requirement to a draft round (facilitator); returns its id."""
        return self._facilitate(
            round_id,
            "add requirements",
            ("draft",),
            lambda conn, actor, info: draft_requirements.add_requirement(conn, info, fields),
        )

    def edit_requirement(
        self, round_id: int, requirement_id: str, fields: Mapping[str, object]
    ) -> None:
        """Change a requirement's texts in a draft round (facilitator)."""
        self._facilitate(
            round_id,
            "edit requirements",
            ("draft",),
            lambda conn, actor, info: draft_requirements.edit_requirement(
                conn, info, requirement_id, fields
            ),
        )

    def withdraw_requirement(self, round_id: int, requirement_id: str) -> None:
        """Take a requirement out of a draft round (facilitator)."""
        self._facilitate(
            round_id,
            "withdraw requirements",
            ("draft",),
            lambda conn, actor, info: draft_requirements.withdraw_requirement(
                conn, info, requirement_id
            ),
        )
