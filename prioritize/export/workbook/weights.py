"""The Weights sheet: the council's weights in the open -- each member's proposal, the
council's aggregate with the spread of the proposals on each criterion, and the weights the
council adopted with the decision-log entry that adopted them.

The log's entries that adopt weights (outcome
:data:`~prioritize.council.decisions.ADOPT_WEIGHTS`) decide no requirement: :func:`split_log`
takes them out before the Portfolio, the Decisions sheet and the About sheet read the log,
and the Weights sheet lists them, so that every entry of the chain is in the workbook once.

Rows, in order (the ``what`` column says which):

* ``proposal``: one per member, in the council's order: ``member``, ``department``,
  ``method``, ``consistency ratio`` (AHP only), the normalised weight on each criterion (one
  column per criterion, headed by its id), ``reason``, ``time``, ``version``.
* ``council``: the aggregate of the proposals; ``method`` names the aggregation (the one the
  latest adoption used, when it applies to these proposals, else the mean), ``proposals``
  how many it combines, ``consistency ratio`` that of the aggregated matrix (AIJ only).
* ``min of proposals``, ``median of proposals``, ``max of proposals``: the spread.
* ``adopted``: the round's weights (the evaluation's, normalised) with the latest adoption
  entry: ``decided by``, ``time`` (when), ``method`` (the aggregation adopted, or
  ``other``), ``proposals`` (how many it rested on), ``reason`` (the rationale),
  ``dissent``, ``seq``, ``previous hash``, ``entry hash``. Earlier adoptions are listed
  before it as ``adopted earlier``, without weights: the log keeps the entry, not the
  weights it replaced. Without an adoption, ``current (not adopted)``: the round's weights.

The sheet is left out when there is nothing to show: no proposals and no adoption.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from prioritize.council.decisions import ADOPT_WEIGHTS
from prioritize.council.weighing import Proposals, aggregations_for
from prioritize.errors import Problem, ValidationError
from prioritize.export.portfolio import HASH_COLUMNS, TIME_COLUMNS, as_frame
from prioritize.export.workbook.columns import (
    PERCENT,
    SCORE,
    WHOLE,
    WIDE,
    WRAP,
    cell_values,
    member_order,
    objects,
)
from prioritize.export.xlsx.writer import Column, Sheet
from prioritize.model.evaluation import Evaluation

__all__ = ["WEIGHTS_SHEET", "SplitLog", "split_log", "weights_sheet"]

#: The sheet's name.
WEIGHTS_SHEET = "Weights"
#: The aggregation shown when no adoption names one that applies.
DEFAULT_AGGREGATION = "mean"
#: Where the previous entry's hash may be found, first match first (as in DECISION_COLUMNS).
_PREVIOUS_COLUMNS = ("previous_hash", "prev_hash")


@dataclass(frozen=True, slots=True)
class SplitLog:
    """A decision log split in two.

    Attributes
    ----------
    decisions
        The entries deciding requirements: the log as given when it adopts no weights,
        ``None`` when it was ``None`` or every entry adopts weights.
    adoptions
        The entries adopting weights, in the log's order, column names as
        :func:`prioritize.export.portfolio.decision_log` reads them (lower case, ``_``).
    head
        The hash of the log's last entry when an adoption was taken out (the chain's head,
        whatever that entry decides), else ``None``.
    """

    decisions: Any
    adoptions: pd.DataFrame
    head: str | None


def _key(name: object) -> str:
    # as decision_log reads a column name
    return str(name).strip().lower().replace(" ", "_").replace("-", "_")


def split_log(decisions: Any) -> SplitLog:
    """Take the entries adopting weights (:data:`ADOPT_WEIGHTS`, read case-insensitively as
    every outcome is) out of a decision log (anything
    :func:`prioritize.export.portfolio.decision_log` reads).

    >>> log = pd.DataFrame({"requirement_id": ["R1", ""], "outcome": ["approve", "adopt weights"],
    ...                     "entry_hash": ["a" * 64, "b" * 64]})
    >>> parts = split_log(log)
    >>> parts.decisions["requirement_id"].tolist(), len(parts.adoptions), parts.head[:4]
    (['R1'], 1, 'bbbb')
    """
    if decisions is None:
        return SplitLog(None, pd.DataFrame(), None)
    frame = as_frame(decisions, "decisions")
    keys = [_key(c) for c in frame.columns]
    if "outcome" not in keys:
        return SplitLog(decisions, pd.DataFrame(), None)  # decision_log names the problem
    outcome = frame.iloc[:, keys.index("outcome")].astype(object)
    text = outcome.where(outcome.notna(), "").map(str).str.strip().str.lower()
    adopts = (text == ADOPT_WEIGHTS).to_numpy()
    if not adopts.any():
        return SplitLog(decisions, pd.DataFrame(), None)
    adoptions = frame.loc[adopts].reset_index(drop=True)
    adoptions.columns = pd.Index(keys)
    adoptions = adoptions.loc[:, ~adoptions.columns.duplicated()]
    hash_column = next((c for c in HASH_COLUMNS if c in keys), None)
    head = None if hash_column is None else str(frame.iloc[-1, keys.index(hash_column)])
    rest = frame.loc[~adopts]
    return SplitLog(rest if len(rest) else None, adoptions, head)


def _check_criteria(proposals: Proposals, criteria: Sequence[str]) -> None:
    if set(proposals.criteria) != set(criteria):
        raise ValidationError(
            Problem(
                "the weight proposals are over other criteria than the evaluation",
                file="<proposals>",
                column="criteria",
                value=", ".join(proposals.criteria),
                expected=f"the evaluation's criteria: {', '.join(criteria)}",
            )
        )


def _in_order(adoptions: pd.DataFrame) -> pd.DataFrame:
    """The adoptions in the log's order (by ``seq`` when given, as latest_decisions reads)."""
    if "seq" in adoptions.columns:
        return adoptions.sort_values("seq", kind="stable").reset_index(drop=True)
    return adoptions


def _aggregation(proposals: Proposals, adoptions: pd.DataFrame) -> str:
    """The latest adoption's aggregation when it applies to these proposals, else the mean."""
    if len(adoptions) and "category" in adoptions.columns:
        adopted = str(adoptions["category"].iloc[-1]).strip().lower()
        if adopted in aggregations_for(proposals):
            return adopted
    return DEFAULT_AGGREGATION


def _missing(value: object) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float | np.floating) and bool(np.isnan(value))


class _Rows:
    """The sheet's rows as they are added: a label, text and number fields, and weights."""

    def __init__(self, criteria: Sequence[str]) -> None:
        self.criteria = list(criteria)
        self.fields: list[dict[str, object]] = []
        self.weights: list[np.ndarray] = []

    def add(self, what: str, weights: pd.Series | None = None, **fields: object) -> None:
        self.fields.append({"what": what, **fields})
        self.weights.append(
            np.full(len(self.criteria), np.nan)
            if weights is None
            else weights.reindex(self.criteria).to_numpy(dtype=float)
        )

    def text(self, name: str) -> np.ndarray:
        values = [row.get(name) for row in self.fields]
        return objects([None if _missing(v) else str(v) for v in values])

    def number(self, name: str) -> np.ndarray:
        values = pd.to_numeric(pd.Series([row.get(name) for row in self.fields]), errors="coerce")
        return values.to_numpy(dtype=float, na_value=np.nan)


def _proposal_rows(rows: _Rows, evaluation: Evaluation, proposals: Proposals) -> None:
    table = proposals.table
    order = member_order(evaluation, table.index)
    position = order.get_indexer(pd.Index(table.index))
    # members the evaluation does not know come last, in the proposals' order
    position = np.where(position < 0, len(order) + np.arange(len(table)), position)
    time = cell_values(table["time"])
    ratio = pd.to_numeric(table["consistency_ratio"], errors="coerce").to_numpy(dtype=float)
    for i in np.argsort(position, kind="stable"):
        member = table.index[i]
        rows.add(
            "proposal",
            proposals.weights.loc[member],
            member=member,
            department=table["department"].iloc[i],
            method=table["method"].iloc[i],
            consistency_ratio=ratio[i],
            reason=table["reason"].iloc[i],
            time=time[i],
            version=table["version"].iloc[i],
        )


def _council_rows(rows: _Rows, proposals: Proposals, method: str) -> None:
    council = proposals.aggregate(method)
    rows.add(
        "council",
        council.weights,
        method=council.method,
        consistency_ratio=council.consistency_ratio,
        proposals=council.members,
    )
    for statistic in ("min", "median", "max"):
        rows.add(f"{statistic} of proposals", council.spread[statistic], proposals=council.members)


def _column(adoptions: pd.DataFrame, names: Sequence[str]) -> np.ndarray:
    """The first of ``names`` the log has, as cells; empty when it has none."""
    name = next((n for n in names if n in adoptions.columns), None)
    if name is None:
        return np.full(len(adoptions), None, dtype=object)
    return cell_values(adoptions[name])


def _adoption_rows(rows: _Rows, evaluation: Evaluation, adoptions: pd.DataFrame) -> None:
    current = evaluation.weights
    if adoptions.empty:
        rows.add("current (not adopted)", current)
        return
    fields = {
        "decided_by": _column(adoptions, ("decided_by",)),
        "time": _column(adoptions, TIME_COLUMNS),
        "method": _column(adoptions, ("category",)),
        "proposals": _column(adoptions, ("rank",)),
        "reason": _column(adoptions, ("rationale",)),
        "dissent": _column(adoptions, ("dissent",)),
        "seq": _column(adoptions, ("seq",)),
        "previous_hash": _column(adoptions, _PREVIOUS_COLUMNS),
        "entry_hash": _column(adoptions, HASH_COLUMNS),
    }
    last = len(adoptions) - 1
    for i in range(len(adoptions)):
        rows.add(
            "adopted" if i == last else "adopted earlier",
            current if i == last else None,
            **{name: values[i] for name, values in fields.items()},
        )


def weights_sheet(
    evaluation: Evaluation, proposals: Proposals | None, adoptions: pd.DataFrame
) -> Sheet | None:
    """The Weights sheet (see the module docstring), or ``None`` with neither proposals nor
    an adoption.

    Parameters
    ----------
    evaluation
        The round's evaluation: its weights are the ones in force.
    proposals
        The members' proposals (:meth:`prioritize.store.Session.weight_proposals`), or
        ``None``.
    adoptions
        The log's entries adopting weights (:attr:`SplitLog.adoptions`), in log order.

    Raises
    ------
    ValidationError
        Proposals over other criteria than the evaluation's.
    """
    has_proposals = proposals is not None and len(proposals) > 0
    if not has_proposals and adoptions.empty:
        return None
    criteria = list(evaluation.criteria.ids)
    adoptions = _in_order(adoptions)
    rows = _Rows(criteria)
    if proposals is not None and has_proposals:
        _check_criteria(proposals, criteria)
        _proposal_rows(rows, evaluation, proposals)
        _council_rows(rows, proposals, _aggregation(proposals, adoptions))
    _adoption_rows(rows, evaluation, adoptions)
    weights = np.vstack(rows.weights)
    columns = [
        Column("what", rows.text("what")),
        Column("member", rows.text("member")),
        Column("department", rows.text("department")),
        Column("method", rows.text("method")),
        Column("consistency ratio", rows.number("consistency_ratio"), SCORE),
        *(Column(c, weights[:, j].copy(), PERCENT) for j, c in enumerate(criteria)),
        Column("proposals", rows.number("proposals"), WHOLE),
        Column("reason", rows.text("reason"), WRAP, width=WIDE),
        Column("time", rows.text("time")),
        Column("version", rows.number("version"), WHOLE),
        Column("decided by", rows.text("decided_by")),
        Column("dissent", rows.text("dissent"), WRAP, width=40.0),
        Column("seq", rows.number("seq"), WHOLE),
        Column("previous hash", rows.text("previous_hash")),
        Column("entry hash", rows.text("entry_hash")),
    ]
    return Sheet(WEIGHTS_SHEET, tuple(columns), freeze="C2")
