"""Load requirements (id, title, optional descriptive columns, and optional estimates and
relations) from a file or a DataFrame."""

from __future__ import annotations

import numpy as np
import pandas as pd

from prioritize.errors import Problem, ValidationError
from prioritize.load.columns import (
    REQUIREMENT_COLUMNS,
    REQUIREMENT_ESTIMATES,
    REQUIREMENT_REQUIRED,
    apply_aliases,
)
from prioritize.load.estimates import estimate_frame
from prioritize.load.files import Source, Table, read_table
from prioritize.load.limits import DEFAULT_LIMITS, FROM_LIMITS, Limits, MaxBytes
from prioritize.load.problems import (
    blank_problems,
    collision_problems,
    duplicate_problems,
    factorize,
    listed,
    require_columns,
    text_frame,
)
from prioritize.load.relations import unfundable
from prioritize.model.council import Requirements, id_list, keep_estimates


def load_requirements(
    source: Requirements | Source,
    *,
    sheet: str | int | None = None,
    max_bytes: MaxBytes = FROM_LIMITS,
    limits: Limits = DEFAULT_LIMITS,
) -> Requirements:
    """Load and validate requirements.

    Parameters
    ----------
    source
        A CSV, XLSX or YAML file, or a DataFrame. Columns: ``id`` and ``title`` (required),
        ``description, requested_by, personas`` (``;``-separated), ``scenario, evidence,
        status``; the estimates ``cost`` (money) and ``effort`` (person-days), blank when
        not estimated, and the relations ``requires`` and ``excludes`` (ids of this file,
        ``;``-separated) and ``alternatives`` (a group: at most one of it is funded).
        Other columns are kept as text.
    sheet
        For XLSX: the sheet (default: the first).
    max_bytes, limits
        The size limit on disk (default: ``limits.max_file_bytes``; None: none) and the
        other :class:`~prioritize.load.limits.Limits` a file must keep.

    Returns
    -------
    Requirements
        Indexed by id, in file order; its ``estimates`` hold the estimates and relations
        (:attr:`~prioritize.model.council.Requirements.estimates`).

    Raises
    ------
    ValidationError
        Missing columns, empty ids or titles, duplicate ids, two ids that differ only by
        case, Unicode form or invisible characters, an empty file, a limit passed; a cost
        or effort that is not a non-negative finite number; a ``requires`` or ``excludes``
        id that is not of this file, the row's own id or listed twice; an alternatives group
        that is not a short one-line name; a requirement that can never be funded because
        what it requires (directly or through others) holds two that exclude each other
        or two of one alternatives group. Requirements that require each other are a
        bundle (funded together), which is allowed.

    Examples
    --------
    >>> import pandas as pd
    >>> reqs = load_requirements(pd.DataFrame({"id": ["R1", "R2"], "title": ["A", "B"]}))
    >>> list(reqs.ids)
    ['R1', 'R2']
    """
    if isinstance(source, Requirements):
        return source
    table = apply_aliases(
        read_table(source, key="requirements", sheet=sheet, max_bytes=max_bytes, limits=limits),
        "requirements",
    )
    require_columns(table, REQUIREMENT_REQUIRED)
    ids, titles = factorize(table.frame["id"]), factorize(table.frame["title"])
    problems = (
        blank_problems(table, "id", ids, "id")
        + blank_problems(table, "title", titles, "title")
        + duplicate_problems(table, [ids], ["id"], "requirement id")
        + collision_problems(table, "id", ids, "requirement id")
    )
    estimates, found = estimate_frame(table, ids, limits)
    problems += found
    if problems:
        raise ValidationError(problems)
    problems = _unfundable_problems(table, ids.text, estimates, limits)
    if problems:
        raise ValidationError(problems)
    known = (*REQUIREMENT_COLUMNS, *REQUIREMENT_ESTIMATES)
    extra = [c for c in table.frame.columns if c not in known]
    frame = text_frame(table, [*REQUIREMENT_COLUMNS, *extra])
    for column in REQUIREMENT_ESTIMATES:
        frame[column] = estimates[column]
    frame = keep_estimates(frame.set_index("id"))
    frame.index = pd.Index(frame.index.to_numpy(dtype=object), name="id", dtype=object)
    return Requirements(frame, table.label)


def _unfundable_problems(
    table: Table, ids: np.ndarray, estimates: pd.DataFrame, limits: Limits
) -> list[Problem]:
    """A problem for each requirement its relations make impossible to fund."""
    reasons = unfundable(
        [str(i) for i in ids],
        [id_list(c) for c in estimates["requires"]],
        [id_list(c) for c in estimates["excludes"]],
        [str(g) for g in estimates["alternatives"]],
        max_steps=limits.max_requires_steps,
        label=table.label,
    )
    cells = estimates["requires"].to_numpy(dtype=object)
    return listed(
        table,
        np.asarray(list(reasons), dtype=np.intp),
        lambda p: Problem(
            reasons[p],
            file=table.label,
            row=table.row(p),
            column="requires",
            value=str(cells[p]),
            expected="requirements that can be funded together: none excluding another, "
            "at most one of each alternatives group",
        ),
        "requirements that can never be funded",
        "requires",
    )
