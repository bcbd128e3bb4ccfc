"""The round's budget, as part of :class:`~prioritize.store.session.Session`: the
facilitator sets the money (and optionally person-days) the round's portfolio is selected
under; everyone in the round reads it and, once revealed, the optimal portfolio under it.
The SQL is in :mod:`~prioritize.store.budgets`."""

from __future__ import annotations

from prioritize.errors import PermissionDenied
from prioritize.portfolio import Portfolio
from prioritize.store import budgets
from prioritize.store.budgets import Budget
from prioritize.store.connection import Db
from prioritize.store.log import log_entries, log_frame
from prioritize.store.parts import SessionPart
from prioritize.store.records import Actor, RoundInfo
from prioritize.store.snapshots import round_evaluation

__all__ = ["CouncilBudget"]


class CouncilBudget(SessionPart):
    """The round's budget and its optimal portfolio; a part of :class:`Session`."""

    __slots__ = ()

    def set_budget(
        self,
        round_id: int,
        budget: float,
        *,
        capacity: float | None = None,
        value: str = "value",
    ) -> Budget:
        """Set the money (and optionally person-days) the round's portfolio is selected
        under, and what it maximises (``"value"`` or ``"benefit"``; facilitator, until the
        round is decided)."""
        return self._facilitate(
            round_id,
            "set the budget",
            ("draft", "scoring", "debate"),
            lambda conn, actor, info: budgets.set_budget(
                conn, info, budget, capacity, value, actor.id
            ),
        )

    def budget(self, round_id: int) -> Budget | None:
        """The round's budget (None when none is set): everyone in the round may read it."""
        return self._round_read(round_id, lambda conn, _, info: budgets.round_budget(conn, info))

    def optimal_portfolio(self, round_id: int, *, strict: bool = False) -> Portfolio | None:
        """The optimal portfolio under the round's budget with the decisions so far (once
        revealed); None without a budget, or without the estimates it needs (``strict``:
        the :class:`~prioritize.errors.ValidationError` naming them)."""

        def read(conn: Db, actor: Actor, info: RoundInfo) -> Portfolio | None:
            if not info.revealed:
                raise PermissionDenied(
                    f"round {info.id} is {info.state}: the portfolio rests on the group's "
                    "scores, hidden until the facilitator reveals them"
                )
            evaluation = round_evaluation(conn, info)
            log = log_frame(log_entries(conn, info.id))
            return budgets.optimal_portfolio(conn, info, evaluation, log, strict=strict)

        return self._round_read(round_id, read)
