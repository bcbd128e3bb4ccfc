"""Load council members (id, name, department, role) from a file or a DataFrame."""

from __future__ import annotations

import numpy as np
import pandas as pd

from prioritize.errors import Problem, ValidationError
from prioritize.load.columns import MEMBER_COLUMNS, MEMBER_REQUIRED, apply_aliases
from prioritize.load.files import Source, read_table
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
from prioritize.model.council import ROLES, Members


def load_members(
    source: Members | Source,
    *,
    sheet: str | int | None = None,
    max_bytes: MaxBytes = FROM_LIMITS,
    limits: Limits = DEFAULT_LIMITS,
) -> Members:
    """Load and validate council members.

    Columns: ``id, name, department`` (required) and ``role`` (``member``, ``facilitator``
    or ``observer``; when the column is absent every member is a ``member``).

    Raises
    ------
    ValidationError
        Missing columns or values, duplicate ids, two ids that differ only by case,
        Unicode form or invisible characters, an unknown role, a limit passed (``limits``,
        ``max_bytes``: as for :func:`~prioritize.load.requirements.load_requirements`).
    """
    if isinstance(source, Members):
        return source
    table = apply_aliases(
        read_table(source, key="members", sheet=sheet, max_bytes=max_bytes, limits=limits),
        "members",
    )
    require_columns(table, MEMBER_REQUIRED)
    factors = {c: factorize(table.frame[c]) for c in MEMBER_REQUIRED}
    problems = (
        blank_problems(table, "id", factors["id"], "member id")
        + blank_problems(table, "name", factors["name"], "name")
        + blank_problems(table, "department", factors["department"], "department")
        + duplicate_problems(table, [factors["id"]], ["id"], "member id")
        + collision_problems(table, "id", factors["id"], "member id")
    )
    extra = [c for c in table.frame.columns if c not in MEMBER_COLUMNS]
    frame = text_frame(table, [*MEMBER_COLUMNS, *extra])
    if "role" not in table.frame.columns:
        frame["role"] = "member"
    roles = frame["role"].str.lower()
    problems += listed(
        table,
        np.flatnonzero(~roles.isin(ROLES).to_numpy()),
        lambda p: Problem(
            "unknown role",
            file=table.label,
            row=table.row(p),
            column="role",
            value=str(frame["role"].iloc[p]),
            expected=f"one of {', '.join(ROLES)}",
        ),
        "unknown role",
        "role",
    )
    if problems:
        raise ValidationError(problems)
    frame["role"] = roles.astype(object)
    frame = frame.set_index("id")
    frame.index = pd.Index(frame.index.to_numpy(dtype=object), name="id", dtype=object)
    return Members(frame, table.label)
