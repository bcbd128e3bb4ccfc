"""A round's budget in the database: the money (and optionally person-days) its portfolio
is selected under, and what is maximised; and the optimal portfolio under it, which the
decision log reads to tell whether approving a requirement departs from it."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from prioritize.errors import PrioritizeError
from prioritize.model.evaluation import Evaluation
from prioritize.portfolio import Portfolio, decided, portfolio
from prioritize.portfolio.instance import check_limit, check_value
from prioritize.store import connection
from prioritize.store.connection import Db
from prioritize.store.records import RoundInfo

__all__ = ["Budget", "optimal_portfolio", "round_budget", "set_budget"]


@dataclass(frozen=True, slots=True)
class Budget:
    """What a round's portfolio is selected under."""

    budget: float
    capacity: float | None
    value: str
    set_by: str
    set_at: str


def set_budget(
    conn: Db,
    info: RoundInfo,
    budget: float,
    capacity: float | None,
    value: str,
    set_by: str,
) -> Budget:
    """Set (or replace) the round's budget (inside the caller's write transaction)."""
    amount = check_limit("budget", budget)
    days = check_limit("capacity", capacity, optional=True)
    check_value(value)
    stamp = connection.now()
    conn.execute(
        """INSERT INTO round_budgets (round_id, budget, capacity, value, set_by, set_at)
           VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (round_id) DO UPDATE SET budget = excluded.budget,
               capacity = excluded.capacity, value = excluded.value,
               set_by = excluded.set_by, set_at = excluded.set_at""",
        (info.id, amount, days, value, set_by, stamp),
    )
    conn.execute("UPDATE rounds SET updated_at = ? WHERE id = ?", (stamp, info.id))
    return Budget(float(amount or 0.0), days, value, set_by, stamp)


def round_budget(conn: Db, info: RoundInfo) -> Budget | None:
    """The round's budget, None when the facilitator has set none."""
    row = conn.execute(
        "SELECT budget, capacity, value, set_by, set_at FROM round_budgets WHERE round_id = ?",
        (info.id,),
    ).fetchone()
    if row is None:
        return None
    capacity = None if row[1] is None else float(row[1])
    return Budget(float(row[0]), capacity, str(row[2]), str(row[3]), str(row[4]))


def optimal_portfolio(
    conn: Db,
    info: RoundInfo,
    evaluation: Evaluation,
    log: pd.DataFrame,
    *,
    strict: bool = False,
) -> Portfolio | None:
    """The optimal portfolio under the round's budget, with the council's decisions so far
    (rejected and removed ones out, approved ones in). None without a budget, or when the
    requirements lack the estimates a portfolio needs (with ``strict``, that error is
    raised instead: the Portfolio page shows which).
    ``log`` is the round's decision log (:data:`~prioritize.store.log.LOG_COLUMNS`)."""
    budget = round_budget(conn, info)
    if budget is None:
        return None
    include, exclude = decided(log, ranked=evaluation.table.index)
    try:
        return portfolio(
            evaluation,
            budget.budget,
            capacity=budget.capacity,
            value="benefit" if budget.value == "benefit" else "value",
            include=include,
            exclude=exclude,
        )
    except PrioritizeError:
        if strict:
            raise
        return None
