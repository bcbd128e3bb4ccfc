"""What the portfolio workbook's sheets share: column styles, a DataFrame column as cells,
the orders of requirements (rank order) and members (the council's), the lookup of titles
and of members' names and departments, and the splitting of a sheet longer than a sheet
holds into continuation sheets ("Scores", "Scores 2", ...)."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from prioritize.export.xlsx.writer import MAX_ROWS, Column, Sheet, Style
from prioritize.model.categories import CATEGORIES, CATEGORY_COLOURS, CATEGORY_TEXT_COLOURS
from prioritize.model.evaluation import Evaluation

__all__ = [
    "PERCENT",
    "SCORE",
    "WHOLE",
    "WIDE",
    "WRAP",
    "category_column",
    "category_style",
    "cell_values",
    "member_columns",
    "member_order",
    "objects",
    "pick",
    "requirement_order",
    "sheet_kind",
    "split_sheets",
    "title_lookup",
]

SCORE = Style(number_format="0.000")
PERCENT = Style(number_format="0.0%")
WHOLE = Style(number_format="0")
WRAP = Style(wrap=True)
#: The width of a column of prose, in characters.
WIDE = 60.0


def category_style(category: str, bold: bool = False) -> Style:
    """A category's fill and text colours (the one rule of :mod:`prioritize.model.categories`)."""
    return Style(
        bold=bold, fill=CATEGORY_COLOURS[category], font_colour=CATEGORY_TEXT_COLOURS[category]
    )


#: One style per category, then the plain style for a missing or unknown category.
_CATEGORY_STYLES = (*(category_style(c) for c in CATEGORIES), Style())


def category_column(header: str, values: Any) -> Column:
    """A column of categories, each cell in its category's colours."""
    values = objects(values)
    codes = pd.Categorical(values, categories=list(CATEGORIES)).codes
    index = np.where(codes < 0, len(CATEGORIES), codes)
    return Column(header, values, styles=_CATEGORY_STYLES, style_index=index, width=24.0)


def objects(values: Any) -> np.ndarray:
    """A one-dimensional object array (the writer reads None, NaN and pd.NA as empty)."""
    return np.array(values, dtype=object, copy=True).reshape(-1)


def cell_values(series: pd.Series) -> np.ndarray:
    """A DataFrame column as the writer takes it: numbers stay numbers, booleans booleans,
    times ISO 8601 text (UTC when they carry a zone), everything else text."""
    dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return series.to_numpy(dtype=bool) if not series.isna().any() else objects(series)
    if pd.api.types.is_numeric_dtype(dtype):
        if pd.api.types.is_integer_dtype(dtype) and not series.isna().any():
            return series.to_numpy(dtype=np.int64)
        return series.to_numpy(dtype=float, na_value=np.nan)
    if pd.api.types.is_datetime64_any_dtype(dtype):
        times = series.dt.tz_convert("UTC") if getattr(dtype, "tz", None) else series
        text = times.dt.strftime("%Y-%m-%dT%H:%M:%S.%f").str.replace(r"\.?0*$", "", regex=True)
        if getattr(dtype, "tz", None):
            text = text + "Z"
        return objects(text)
    return objects(series.astype(object))


def pick(values: Any, position: np.ndarray) -> np.ndarray:
    """``values[position]`` as objects, ``None`` where ``position`` is -1 (not found)."""
    padded = np.concatenate([np.asarray(values, dtype=object), np.array([None], dtype=object)])
    out: np.ndarray = padded[position]
    return out


def title_lookup(evaluation: Evaluation, ids: Any) -> np.ndarray:
    """Each requirement id's title, ``None`` for an id the evaluation does not know."""
    titles = evaluation.requirements.frame["title"]
    return pick(titles.to_numpy(dtype=object), titles.index.get_indexer(pd.Index(ids)))


def requirement_order(evaluation: Evaluation) -> pd.Index:
    """Requirement ids in rank order, the unranked (incomplete scores) last."""
    return evaluation.table.index.append(
        evaluation.requirements.ids.difference(evaluation.table.index, sort=False)
    )


def member_order(evaluation: Evaluation, members: Any) -> pd.Index:
    """Member ids in the council's order, or sorted when the evaluation has no members."""
    if evaluation.members is not None:
        return evaluation.members.ids
    found: pd.Index = pd.Index(sorted(pd.unique(np.asarray(members, dtype=object))))
    return found


def member_columns(evaluation: Evaluation, member: np.ndarray) -> list[Column]:
    """Each row's member name and department (``member``: positions in the council, -1 for
    an unknown member), or nothing when the evaluation has no members."""
    if evaluation.members is None:
        return []
    lookup = evaluation.members.frame
    return [
        Column(name, pick(lookup[name].to_numpy(dtype=object), member))
        for name in ("name", "department")
    ]


def split_sheets(name: str, columns: list[Column], freeze: str = "A2") -> list[Sheet]:
    """One sheet, or, with more rows than a sheet holds, ``name``, ``"name 2"``, ... (read
    back as one by :func:`sheet_kind`)."""
    per_sheet = MAX_ROWS - 1
    rows = len(columns[0].values)
    if rows <= per_sheet:
        return [Sheet(name, tuple(columns), freeze=freeze)]
    return [
        Sheet(
            name if start == 0 else f"{name} {start // per_sheet + 1}",
            tuple(
                Column(c.header, c.values[start : start + per_sheet], c.style, width=c.width)
                for c in columns
            ),
            freeze=freeze,
        )
        for start in range(0, rows, per_sheet)
    ]


def sheet_kind(name: str) -> str:
    """The sheet a continuation sheet continues: ``"Scores 2"`` -> ``"Scores"``."""
    return re.sub(r" [0-9]+$", "", name)
