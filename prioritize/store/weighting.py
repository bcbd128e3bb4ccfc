"""What members and the facilitator do with a round's weights, as part of
:class:`~prioritize.store.session.Session`: each member proposes weights (blind until the
reveal, like scores), everyone reads the proposals they may see, and the facilitator adopts
the council's weights (or others, with a rationale) as an entry of the decision log. The
SQL is in :mod:`~prioritize.store.proposals` and :mod:`~prioritize.store.adoption`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from prioritize.council.decisions import DecisionEntry
from prioritize.council.weighing import Proposals
from prioritize.store import adoption, proposals
from prioritize.store.parts import SessionPart
from prioritize.store.permissions import require_round

__all__ = ["CouncilWeighting"]

T = TypeVar("T")


class CouncilWeighting(SessionPart):
    """Weight proposals and their adoption; a part of :class:`Session`, which provides the
    units of work."""

    __slots__ = ()

    def propose_weights(
        self,
        round_id: int,
        method: str,
        answer: Mapping[str, Any],
        reason: str,
        *,
        version: int | None = None,
    ) -> Proposals:
        """Propose one's own weights for the round's criteria (members and facilitators of
        the round, while it takes scores). New: ``version=None``; a change names the version
        read.

        ``method`` is one of :data:`prioritize.weights.METHODS` and ``answer`` what
        :func:`prioritize.weights.elicit` reads for it, e.g. ``{"points": {"cost": 40,
        ...}}``. A reason is required. Returns one's proposal as stored.

        Raises
        ------
        ValidationError
            An unknown method, an answer that does not fit it, or no reason.
        ConflictError
            A proposal exists (when new) or changed since it was read.
        PermissionDenied
            Not a scoring member of the round, or the round does not take proposals.
        """
        with self._write() as (conn, actor):
            info = require_round(conn, actor, round_id)
            return proposals.submit_proposal(conn, actor, info, method, answer, reason, version)

    def weight_proposals(self, round_id: int) -> Proposals:
        """The proposals this member may read: only their own until the reveal, all after."""
        return self._round_read(round_id, proposals.visible_proposals)

    def adopt_weights(
        self,
        round_id: int,
        weights: Mapping[str, float],
        rationale: str = "",
        *,
        dissent: str = "",
    ) -> DecisionEntry:
        """Adopt the round's weights (facilitator, during the debate): they become the
        round's weights and an entry of the decision log. Weights other than an aggregate
        of the members' proposals need a ``rationale``."""
        return self._facilitate(
            round_id,
            "adopt weights",
            ("debate",),
            lambda conn, actor, info: adoption.adopt_weights(
                conn, actor, info, weights, rationale, dissent
            ),
        )
