"""A requirements file's optional estimates and relations, cell by cell: ``cost`` and
``effort`` (non-negative finite numbers, blank when not estimated), ``requires`` and
``excludes`` (ids of the same file, separated by ``;``) and ``alternatives`` (a group name).
Every problem names file, row, column, value and what was expected; nothing is clamped,
rounded or dropped. Whether the relations leave every requirement fundable is
:mod:`~prioritize.load.relations`' concern.
"""

from __future__ import annotations

import unicodedata

import numpy as np
import pandas as pd

from prioritize.errors import Problem
from prioritize.load.files import Table
from prioritize.load.identity import comparable
from prioritize.load.limits import Limits
from prioritize.load.problems import (
    MAX_LISTED,
    Factor,
    collision_problems,
    factorize,
    listed,
    not_a_number,
    parse_numbers,
)
from prioritize.model.council import ESTIMATE_COLUMNS, ESTIMATE_NUMBERS, id_list

#: Characters in an alternatives group's name: a name, not a description.
MAX_GROUP_CHARS = 200

_UNITS = {"cost": "an amount of money", "effort": "a number of person-days"}
_VERBS = {"requires": "require", "excludes": "exclude"}


def estimate_frame(table: Table, ids: Factor, limits: Limits) -> tuple[pd.DataFrame, list[Problem]]:
    """The five estimate columns (``cost``, ``effort`` as floats, NaN when not estimated;
    the relations as normalised text: ids joined by ``;``) indexed like the table, and the
    problems of their cells. A column the file does not have is blank."""
    out: dict[str, pd.Series] = {}
    problems: list[Problem] = []
    for column in ESTIMATE_COLUMNS:
        if column in ESTIMATE_NUMBERS:
            values, found = _numbers(table, column, limits)
        elif column == "alternatives":
            values, found = _groups(table)
        else:
            values, found = _id_lists(table, column, ids)
        out[column] = pd.Series(values, index=table.frame.index, dtype=values.dtype)
        problems += found
    return pd.DataFrame(out, index=table.frame.index), problems


def _numbers(table: Table, column: str, limits: Limits) -> tuple[np.ndarray, list[Problem]]:
    n = len(table.frame)
    if column not in table.frame.columns:
        return np.full(n, np.nan), []
    raw = table.frame[column]
    values, factor = parse_numbers(raw)
    texts = factor.text if factor is not None else None

    def typed(p: int) -> str:
        return str(texts[p]) if texts is not None else repr(float(values[p]))

    blank = np.isnan(values) & (
        np.asarray([not t for t in texts], dtype=bool) if texts is not None else True
    )
    with np.errstate(invalid="ignore"):
        bad = ~blank & ~(np.isfinite(values) & (values >= 0) & (values <= limits.max_estimate))
    expected = f"{_UNITS[column]} from 0 to {limits.max_estimate:g}, or blank when not estimated"

    def make(p: int) -> Problem:
        value = values[p]
        if np.isnan(value) and texts is not None:
            why = f"{column} is {not_a_number(raw.iloc[p], str(texts[p]))}"
        elif not np.isfinite(value):
            why = f"{column} is not a finite number"
        elif value < 0:
            why = f"negative {column}"
        else:
            return Problem(
                f"{column} too large",
                file=table.label,
                row=table.row(p),
                column=column,
                value=typed(p),
                expected=expected,
                limit="max_estimate",
            )
        return Problem(
            why,
            file=table.label,
            row=table.row(p),
            column=column,
            value=typed(p),
            expected=expected,
        )

    problems = listed(table, np.flatnonzero(bad), make, f"unusable {column}", column)
    return np.where(blank | bad, np.nan, values).astype(float), problems


def _id_lists(table: Table, column: str, ids: Factor) -> tuple[np.ndarray, list[Problem]]:
    n = len(table.frame)
    out = np.full(n, "", dtype=object)
    if column not in table.frame.columns:
        return out, []
    cells = factorize(table.frame[column])
    own = ids.text
    known = {str(label) for label in ids.labels if label}
    by_look = {comparable(k): k for k in known}
    problems: list[Problem] = []
    shown = 0
    verb = _VERBS[column]
    expected = "ids of this file's requirements, separated by ';' (each once, not its own)"
    for p, cell in enumerate(cells.text):
        items = id_list(cell)
        if not items:
            continue
        out[p] = ";".join(items)
        seen: set[str] = set()
        for item in items:
            if item == own[p]:
                why, wanted = f"a requirement cannot {verb} itself", expected
            elif item in seen:
                why, wanted = f"{item} is listed twice", expected
            elif item not in known:
                why = f"{item} is not a requirement of this file"
                near = by_look.get(comparable(item))
                wanted = f"{near} (typed as in the id column)" if near else expected
            else:
                seen.add(item)
                continue
            seen.add(item)
            shown += 1
            if shown <= MAX_LISTED:
                problems.append(
                    Problem(
                        why,
                        file=table.label,
                        row=table.row(p),
                        column=column,
                        value=str(cell),
                        expected=wanted,
                    )
                )
    if shown > MAX_LISTED:
        problems.append(
            Problem(
                f"{shown - MAX_LISTED} more ids: unusable {column}",
                file=table.label,
                column=column,
            )
        )
    return out, problems


def _plain(text: str) -> bool:
    return len(text) <= MAX_GROUP_CHARS and not any(
        unicodedata.category(ch) in ("Cc", "Zl", "Zp") for ch in text
    )


def _groups(table: Table) -> tuple[np.ndarray, list[Problem]]:
    n = len(table.frame)
    if "alternatives" not in table.frame.columns:
        return np.full(n, "", dtype=object), []
    groups = factorize(table.frame["alternatives"])
    unusable = [code for code, label in enumerate(groups.labels) if not _plain(str(label))]
    positions = np.flatnonzero(np.isin(groups.codes, unusable))
    problems = listed(
        table,
        positions,
        lambda p: Problem(
            "an alternatives group is a short name on one line",
            file=table.label,
            row=table.row(p),
            column="alternatives",
            value=str(groups.text[p]),
            expected=f"a name of at most {MAX_GROUP_CHARS} characters without line breaks "
            "or control characters, or blank",
        ),
        "unusable alternatives group",
        "alternatives",
    )
    problems += collision_problems(table, "alternatives", groups, "alternatives group")
    return groups.text, problems
