"""Load requirements (id, title and optional descriptive columns) from a file or a DataFrame."""

from __future__ import annotations

import pandas as pd

from prioritize.errors import ValidationError
from prioritize.load.columns import REQUIREMENT_COLUMNS, REQUIREMENT_REQUIRED, apply_aliases
from prioritize.load.files import Source, read_table
from prioritize.load.limits import DEFAULT_LIMITS, FROM_LIMITS, Limits, MaxBytes
from prioritize.load.problems import (
    blank_problems,
    collision_problems,
    duplicate_problems,
    factorize,
    require_columns,
    text_frame,
)
from prioritize.model.council import Requirements


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
        status``. Other columns are kept.
    sheet
        For XLSX: the sheet (default: the first).
    max_bytes, limits
        The size limit on disk (default: ``limits.max_file_bytes``; None: none) and the
        other :class:`~prioritize.load.limits.Limits` a file must keep.

    Returns
    -------
    Requirements
        Indexed by id, in file order.

    Raises
    ------
    ValidationError
        Missing columns, empty ids or titles, duplicate ids, two ids that differ only by
        case, Unicode form or invisible characters, an empty file, a limit passed.

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
    if problems:
        raise ValidationError(problems)
    extra = [c for c in table.frame.columns if c not in REQUIREMENT_COLUMNS]
    frame = text_frame(table, [*REQUIREMENT_COLUMNS, *extra]).set_index("id")
    frame.index = pd.Index(frame.index.to_numpy(dtype=object), name="id", dtype=object)
    return Requirements(frame, table.label)
