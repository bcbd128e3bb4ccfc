"""The Scores history sheet: every value each score ever had (the store's append-only
history, :meth:`prioritize.store.Session.score_history`), so that a member's earlier values
stay readable with their times, and which value is in force.

One row per history entry: ``requirement id``, ``title``, ``member`` (with ``name`` and
``department`` when the evaluation knows its members), ``criterion``, ``score``, ``reason``,
``time`` (as stored, ISO 8601), ``version`` and ``current`` (``yes`` for the last version of
that requirement x member x criterion, else ``no``). Requirements in rank order (the
unranked, then ones the evaluation does not know, last), then criteria in the set's order,
then members in the council's order, then versions. More rows than a sheet holds continue
on "Scores history 2", ...
"""

from __future__ import annotations

import warnings
from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd

from prioritize.errors import ExportWarning, Problem, ValidationError
from prioritize.export.portfolio import as_frame
from prioritize.export.workbook.columns import (
    WHOLE,
    WIDE,
    WRAP,
    cell_values,
    member_columns,
    member_order,
    requirement_order,
    split_sheets,
    title_lookup,
)
from prioritize.export.xlsx.writer import Column, Sheet
from prioritize.model.evaluation import Evaluation
from prioritize.store.history import HISTORY_COLUMNS

__all__ = ["HISTORY_SHEET", "history_sheets", "score_history_table"]

#: The sheet's name (continuations add " 2", " 3", ...).
HISTORY_SHEET = "Scores history"
_SOURCE = "<score history>"
_KEYS = ("requirement_id", "member", "criterion")
#: Problems listed per column before giving up on the rest.
_SHOWN = 50


def _text(values: pd.Series) -> pd.Series:
    """Every non-empty value as text (a time as ISO 8601); empty values as ``None``. Each
    distinct value is looked at once."""

    def one(value: object) -> str:
        if isinstance(value, datetime | date):
            return value.isoformat()
        return str(value)

    codes, distinct = pd.factorize(values.to_numpy(dtype=object), use_na_sentinel=True)
    texts = np.array([*(one(v) for v in distinct), None], dtype=object)
    return pd.Series(texts[codes], index=values.index, dtype=object)


def _row(label: object) -> int | str:
    return label if isinstance(label, int | str) else str(label)


def score_history_table(history: Any) -> pd.DataFrame:
    """The score history, validated: the columns of
    :data:`prioritize.store.history.HISTORY_COLUMNS` in that order, keys, reasons and times as
    text, ``score`` a float and ``version`` an int64. Rows keep their order.

    Raises
    ------
    ValidationError
        A missing column, a blank requirement id, member or criterion, a score that is not
        a number or a version that is not a whole number.

    >>> table = score_history_table(pd.DataFrame({
    ...     "requirement_id": ["R1"], "member": ["m1"], "criterion": ["cost"], "score": [3],
    ...     "reason": [None], "time": ["2026-03-01T09:30:00Z"], "version": [1]}))
    >>> table.dtypes[["score", "version"]].astype(str).tolist()
    ['float64', 'int64']
    """
    frame = as_frame(history, "score history")
    missing = [c for c in HISTORY_COLUMNS if c not in frame.columns]
    if missing:
        raise ValidationError(
            Problem(
                f"missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)}",
                file=_SOURCE,
                column=", ".join(missing),
                value=", ".join(map(str, frame.columns)),
                expected=f"columns {', '.join(HISTORY_COLUMNS)}",
            )
        )
    table = pd.DataFrame(
        {name: _text(frame[name]) for name in (*_KEYS, "reason")}, index=frame.index
    )
    problems = [
        Problem(
            f"missing {name.replace('_', ' ')}",
            file=_SOURCE,
            row=_row(label),
            column=name,
            value="",
            expected=f"a {name.replace('_', ' ')}",
        )
        for name in _KEYS
        for label in table.index[table[name].isna() | (table[name] == "")][:_SHOWN]
    ]
    score = pd.to_numeric(frame["score"], errors="coerce").astype(float)
    problems += [
        Problem(
            "not a number",
            file=_SOURCE,
            row=_row(label),
            column="score",
            value=str(frame["score"].loc[label]),
            expected="a number",
        )
        for label in frame.index[score.isna() & frame["score"].notna()][:_SHOWN]
    ]
    version = pd.to_numeric(frame["version"], errors="coerce").astype(float)
    whole = version.notna() & (np.trunc(version) == version) & (version.abs() < 2.0**53)
    problems += [
        Problem(
            "not a whole number",
            file=_SOURCE,
            row=_row(label),
            column="version",
            value=str(frame["version"].loc[label]),
            expected="a version number (1, 2, ...)",
        )
        for label in frame.index[~whole][:_SHOWN]
    ]
    if problems:
        raise ValidationError(problems)
    time = frame["time"]
    table["score"] = score
    table["time"] = (
        pd.Series(cell_values(time), index=frame.index)
        if pd.api.types.is_datetime64_any_dtype(time.dtype)
        else _text(time)
    )
    table["version"] = version.astype(np.int64)
    return table[list(HISTORY_COLUMNS)].reset_index(drop=True)


def _positions(order: pd.Index, values: pd.Series) -> np.ndarray:
    """Each value's position in ``order``; values not in it after all of them, sorted."""
    position = order.get_indexer(pd.Index(values))
    unknown = position < 0
    if unknown.any():
        extra = values[unknown].to_numpy(dtype=object)
        names = np.unique(extra.astype(str))
        position[unknown] = len(order) + np.searchsorted(names, extra.astype(str))
    return position


def history_sheets(evaluation: Evaluation, history: Any) -> list[Sheet]:
    """The Scores history sheet(s); none when the history is empty.

    Warns
    -----
    ExportWarning
        History of requirements the evaluation does not know (listed last, without title).
    """
    table = score_history_table(history)
    if table.empty:
        return []
    unknown = pd.unique(
        table.loc[~table["requirement_id"].isin(evaluation.requirements.ids), "requirement_id"]
    )
    if len(unknown):
        warnings.warn(
            f"the score history names {len(unknown)} requirement(s) this evaluation does "
            f"not know, listed last: {', '.join(map(str, unknown[:10]))}",
            ExportWarning,
            stacklevel=3,
        )
    members = member_order(evaluation, table["member"])
    requirement = _positions(requirement_order(evaluation), table["requirement_id"])
    criterion = _positions(pd.Index(evaluation.criteria.ids), table["criterion"])
    member = _positions(members, table["member"])
    version = table["version"].to_numpy(dtype=np.int64)
    # The row number breaks ties: equal versions keep the history's own order.
    order = np.lexsort((np.arange(len(table)), version, member, criterion, requirement))
    rows = table.iloc[order]
    keys = np.stack([requirement[order], criterion[order], member[order]])
    current = np.ones(len(rows), dtype=bool)
    current[:-1] = (keys[:, 1:] != keys[:, :-1]).any(axis=0)
    columns = [
        Column("requirement id", rows["requirement_id"].to_numpy(dtype=object)),
        Column("title", title_lookup(evaluation, rows["requirement_id"])),
        Column("member", rows["member"].to_numpy(dtype=object)),
        *member_columns(evaluation, members.get_indexer(pd.Index(rows["member"]))),
        Column("criterion", rows["criterion"].to_numpy(dtype=object)),
        Column("score", rows["score"].to_numpy(dtype=float)),
        Column("reason", rows["reason"].to_numpy(dtype=object), WRAP, width=WIDE),
        Column("time", rows["time"].to_numpy(dtype=object)),
        Column("version", rows["version"].to_numpy(dtype=np.int64), WHOLE),
        Column("current", np.where(current, "yes", "no").astype(object)),
    ]
    return split_sheets(HISTORY_SHEET, columns)
