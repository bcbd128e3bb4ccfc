"""The optimal portfolio's columns on the Portfolio sheet: ``optimal``, ``cost``,
``effort``, ``reason`` and, with the core index, ``core index`` and ``class`` (from
:func:`prioritize.export.portfolio.portfolio_table` with a selection)."""

from __future__ import annotations

import pandas as pd

from prioritize.export.selection import CORE_COLUMNS
from prioritize.export.workbook.columns import PERCENT, WIDE, WRAP, objects
from prioritize.export.xlsx.writer import Column, Style

__all__ = ["MONEY", "PERSON_DAYS", "optimal_columns"]

#: Money (the estimates' currency) and person-days, with thousands separated.
MONEY = Style(number_format="#,##0.00")
PERSON_DAYS = Style(number_format="#,##0.0")


def optimal_columns(table: pd.DataFrame) -> list[Column]:
    """The selection's columns of a portfolio table, and the core index's when it has them."""
    columns = [
        Column("optimal", objects(table["optimal"])),
        Column("cost", table["cost"].to_numpy(dtype=float), MONEY),
        Column("effort", table["effort"].to_numpy(dtype=float), PERSON_DAYS),
        Column("reason", objects(table["reason"]), WRAP, width=WIDE),
    ]
    if all(c in table.columns for c in CORE_COLUMNS):
        columns += [
            Column("core index", table["core_index"].to_numpy(dtype=float), PERCENT),
            Column("class", objects(table["class"])),
        ]
    return columns
