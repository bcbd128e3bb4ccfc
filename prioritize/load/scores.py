"""Load and check scores (long or wide form): one member's score of one requirement on one
criterion, with an optional reason and time.

Every loader validates the whole input and raises one :class:`ValidationError` listing every
problem (file, row, column, value, what was expected); nothing is loaded when anything is
wrong.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from prioritize.errors import Problem, ValidationError
from prioritize.load.columns import SCORE_REQUIRED, apply_aliases
from prioritize.load.files import Source, Table, read_table
from prioritize.load.limits import DEFAULT_LIMITS, FROM_LIMITS, Limits, MaxBytes
from prioritize.load.problems import (
    MAX_LISTED,
    blank_problems,
    cell_text,
    collision_problems,
    duplicate_problems,
    factorize,
    listed,
    not_a_number,
    parse_numbers,
    require_columns,
)
from prioritize.model.council import Members, Requirements, Scores
from prioritize.model.criteria import CriteriaSet


def load_scores(
    source: Scores | Source,
    *,
    criteria: CriteriaSet | None = None,
    requirements: Requirements | None = None,
    members: Members | None = None,
    sheet: str | int | None = None,
    max_bytes: MaxBytes = FROM_LIMITS,
    limits: Limits = DEFAULT_LIMITS,
) -> Scores:
    """Load and validate scores in long form.

    Columns: ``requirement_id, member, criterion, score`` (required), ``reason`` and
    ``time`` (optional). One row per member x requirement x criterion.

    Parameters
    ----------
    source
        A CSV, XLSX or YAML file, or a DataFrame.
    criteria, requirements, members
        When given, every score is also checked against them: known criterion, known
        requirement, known member who may score, score inside the criterion's scale. (The
        same checks run in :func:`prioritize.evaluate`.)

    Raises
    ------
    ValidationError
        Missing columns, blank keys, a score that is not a finite real number (text, a
        yes/no value, a complex number, inf, NaN), duplicate scores (the same member,
        requirement and criterion twice), two ids in one column that differ only by case,
        Unicode form or invisible characters, a limit passed (``limits``, ``max_bytes``: as
        for :func:`~prioritize.load.requirements.load_requirements`), and the checks above.
    """
    if isinstance(source, Scores):
        scores = source
    else:
        table = apply_aliases(
            read_table(source, key="scores", sheet=sheet, max_bytes=max_bytes, limits=limits),
            "scores",
        )
        if _is_wide(table):
            table = _melt_wide(table, criteria)
        require_columns(table, SCORE_REQUIRED)
        frame = table.frame
        problems: list[Problem] = []
        keys = {}
        for column in ("requirement_id", "member", "criterion"):
            keys[column] = factorize(frame[column])
            what = column.replace("_", " ")
            problems += blank_problems(table, column, keys[column], what)
            problems += collision_problems(table, column, keys[column], what)
        numbers, raw = parse_numbers(frame["score"])

        def bad_score(p: int) -> Problem:
            original = frame["score"].iloc[p]
            value = str(raw.labels[raw.codes[p]]) if raw is not None else cell_text(original)
            return Problem(
                f"score is {not_a_number(original, value)}" if value else "missing score",
                file=table.label,
                row=table.row(p),
                column="score",
                value=value,
                expected="a number on the criterion's scale",
            )

        problems += listed(
            table,
            np.flatnonzero(~np.isfinite(numbers)),
            bad_score,
            "score is not a number",
            "score",
        )
        if not problems:
            problems += duplicate_problems(table, list(keys.values()), list(keys), "score")
        if problems:
            raise ValidationError(problems)

        def text(values: np.ndarray) -> pd.Series:
            # object dtype on purpose: pandas would otherwise copy every row into Arrow
            return pd.Series(values, index=frame.index, dtype=object)

        columns = {name: text(factor.text) for name, factor in keys.items()}
        columns["score"] = pd.Series(numbers, index=frame.index)
        for optional in ("reason", "time"):
            if optional in frame.columns:
                columns[optional] = text(factorize(frame[optional]).text)
            elif optional == "reason":
                columns[optional] = text(np.full(len(frame), "", dtype=object))
        out = pd.DataFrame(columns, index=frame.index)
        scores = Scores(
            out,
            table.label,
            row_base=table.row_base,
            keys={name: (f.codes, f.labels) for name, f in keys.items()},
        )
    if criteria is not None or requirements is not None or members is not None:
        check_scores(scores, criteria=criteria, requirements=requirements, members=members)
    return scores


_WIDE_KEYS = ("requirement_id", "member")
_NOT_CRITERIA = frozenset({"requirement_id", "member", "reason", "time"})


def _is_wide(table: Table) -> bool:
    columns = set(table.frame.columns)
    return set(_WIDE_KEYS) <= columns and not {"criterion", "score"} & columns


def _melt_wide(table: Table, criteria: CriteriaSet | None) -> Table:
    """Wide scores (one row per member x requirement, one column per criterion, optional
    ``<criterion>_reason`` columns) to long form. A blank cell means "not scored" and makes
    no row; every other cell keeps its source row number for error messages."""
    frame = table.frame
    columns = [
        c for c in frame.columns if c not in _NOT_CRITERIA and not str(c).endswith("_reason")
    ]
    header_row = 1 if table.row_base == 2 else None
    if criteria is not None:
        unknown = [c for c in columns if c not in criteria.ids]
        if unknown:
            raise ValidationError(
                [
                    Problem(
                        "unknown criterion column",
                        file=table.label,
                        row=header_row,
                        column=str(c),
                        value=str(c),
                        expected=f"a criterion id ({', '.join(criteria.ids)})",
                    )
                    for c in unknown
                ]
            )
    if not columns:
        raise ValidationError(
            Problem(
                "no score columns",
                file=table.label,
                row=header_row,
                value=", ".join(map(str, frame.columns)),
                expected="long form (requirement_id, member, criterion, score) or wide form "
                "(requirement_id, member and one column per criterion)",
            )
        )
    pieces = []
    for column in columns:  # a loop over criteria, not rows
        scored = factorize(frame[column])
        keep = scored.labels[scored.codes] != ""
        reason_column = f"{column}_reason"
        if reason_column in frame.columns:
            reason = frame[reason_column]
        elif "reason" in frame.columns:
            reason = frame["reason"]
        else:
            reason = pd.Series("", index=frame.index, dtype=object)
        piece = pd.DataFrame(
            {
                "requirement_id": frame["requirement_id"],
                "member": frame["member"],
                "criterion": pd.Series(column, index=frame.index, dtype=object),
                "score": frame[column],
                "reason": reason,
            },
            index=frame.index,
        )
        if "time" in frame.columns:
            piece["time"] = frame["time"]
        pieces.append(piece[keep])
    long = pd.concat(pieces)
    order = np.argsort(long.index.to_numpy(), kind="stable")
    return Table(long.iloc[order], table.label, table.row_base)


def key_codes(scores: Scores, column: str, ids: Sequence[str] | pd.Index) -> np.ndarray:
    """For each score row, the position of its ``column`` value (requirement_id, member or
    criterion) in ``ids``, or -1. Uses the codes kept at load time, so a million rows cost a
    lookup of their few thousand distinct values."""
    labels: Any
    if scores.keys is not None and column in scores.keys:
        codes, labels = scores.keys[column]
    else:
        codes, labels = pd.factorize(scores.frame[column])
    position = pd.Index(ids).get_indexer(pd.Index(labels, dtype=object))
    return np.asarray(position[codes], dtype=np.intp)


def check_scores(
    scores: Scores,
    *,
    criteria: CriteriaSet | None = None,
    requirements: Requirements | None = None,
    members: Members | None = None,
) -> None:
    """Check scores against criteria, requirements and members; raise every problem found.

    Raises
    ------
    ValidationError
        A score for an unknown criterion, requirement or member, a score by an observer,
        or a score outside the criterion's scale.
    """
    frame = scores.frame
    problems: list[Problem] = []

    def row(position: int) -> int | str:
        label = frame.index[position]
        if scores.row_base is None:
            return str(label)
        return int(label) + scores.row_base

    def report(
        mask: np.ndarray, column: str, message: str, expected: str, values: pd.Series | None = None
    ) -> None:
        positions = np.flatnonzero(mask)
        shown = frame[column] if values is None else values
        for p in positions[:MAX_LISTED]:
            value = shown.iloc[p]
            text = f"{value:g}" if isinstance(value, float) else str(value)
            problems.append(
                Problem(
                    message,
                    file=scores.source,
                    row=row(int(p)),
                    column=column,
                    value=text,
                    expected=expected,
                )
            )
        if len(positions) > MAX_LISTED:
            problems.append(
                Problem(
                    f"{len(positions) - MAX_LISTED} more rows: {message}",
                    file=scores.source,
                    column=column,
                )
            )

    if criteria is not None:
        ids = list(criteria.ids)
        code = key_codes(scores, "criterion", ids)
        report(code < 0, "criterion", "unknown criterion", f"one of {', '.join(ids)}")
        problems += scale_problems(
            criteria,
            code,
            frame["score"].to_numpy(dtype=float),
            file=scores.source,
            rows=row,
            criterion_ids=frame["criterion"],
        )
    if requirements is not None:
        unknown = key_codes(scores, "requirement_id", requirements.ids) < 0
        report(
            unknown,
            "requirement_id",
            "score for an unknown requirement",
            f"a requirement id from {requirements.source}",
        )
    if members is not None:
        code = key_codes(scores, "member", members.ids)
        report(
            code < 0, "member", "score by an unknown member", f"a member id from {members.source}"
        )
        is_observer = np.append(members.frame["role"].to_numpy(dtype=object) == "observer", False)
        report(is_observer[code], "member", "an observer cannot score", "a member or facilitator")
    if problems:
        raise ValidationError(problems)


def scale_problems(
    criteria: CriteriaSet,
    codes: np.ndarray,
    values: np.ndarray,
    *,
    file: str | None,
    rows: Callable[[int], int | str],
    criterion_ids: Sequence[str] | pd.Series,
) -> list[Problem]:
    """Problems for scores off their criterion's scale: outside ``min``..``max``, or finer
    than the scale's ``step`` when it has one. The one scale check, shared by the score
    loader and the store's score writer.

    ``codes`` holds each score's criterion position in ``criteria`` (-1: unknown, skipped),
    ``values`` the scores, ``rows(p)`` the row to name for position ``p``.
    """
    known = codes >= 0
    safe = np.where(known, codes, 0)
    low = np.array([c.scale.min for c in criteria])[safe]
    high = np.array([c.scale.max for c in criteria])[safe]
    step = np.array([c.scale.step or 0.0 for c in criteria])[safe]
    outside = known & ~((values >= low) & (values <= high))
    stepped = known & ~outside & (step > 0)
    units = (values - low) / np.where(step > 0, step, 1.0)
    finer = stepped & (np.abs(units - np.rint(units)) > 1e-9 * np.maximum(1.0, np.abs(units)))
    ids = criterion_ids if isinstance(criterion_ids, pd.Series) else pd.Series(criterion_ids)
    problems: list[Problem] = []
    for mask, what in ((outside, "outside the criterion's scale"), (finer, "finer than its step")):
        positions = np.flatnonzero(mask)
        for p in positions[:MAX_LISTED]:
            expected = (
                f"a number from {low[p]:g} to {high[p]:g} for {ids.iloc[p]}"
                if mask is outside
                else f"a multiple of {step[p]:g} from {low[p]:g} (e.g. "
                f"{low[p] + step[p] * np.floor((values[p] - low[p]) / step[p]):g} or "
                f"{low[p] + step[p] * np.ceil((values[p] - low[p]) / step[p]):g}) for "
                f"{ids.iloc[p]}"
            )
            problems.append(
                Problem(
                    f"score {what}",
                    file=file,
                    row=rows(int(p)),
                    column="score",
                    value=f"{values[p]:g}",
                    expected=expected,
                )
            )
        if len(positions) > MAX_LISTED:
            problems.append(
                Problem(
                    f"{len(positions) - MAX_LISTED} more scores {what}",
                    file=file,
                    column="score",
                )
            )
    return problems
