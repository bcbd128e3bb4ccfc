"""A draft round's requirements as the facilitator prepares them: replace them all from
an upload, add one, edit one, withdraw one. Only while the round is a draft (nobody has
scored yet), validated by the same loader as every requirements file, all or nothing.
The callers check the role and the state."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping

import pandas as pd

from prioritize.errors import Problem, ValidationError
from prioritize.load.columns import REQUIREMENT_COLUMNS
from prioritize.load.files import Source
from prioritize.load.requirements import load_requirements
from prioritize.model.council import Requirements
from prioritize.store import connection
from prioritize.store.records import RoundInfo

__all__ = [
    "add_requirement",
    "edit_requirement",
    "insert_requirements",
    "replace_requirements",
    "withdraw_requirement",
]


def insert_requirements(
    conn: sqlite3.Connection, round_id: int, requirements: Requirements, start: int = 0
) -> None:
    """Insert validated requirements, positioned from ``start`` in their given order."""
    frame = requirements.frame.reset_index()
    columns = list(REQUIREMENT_COLUMNS)
    rows = [
        (round_id, start + position, *values)
        for position, values in enumerate(
            frame[columns].astype(str).itertuples(index=False, name=None)
        )
    ]
    conn.executemany(
        f"""INSERT INTO requirements (round_id, position, {", ".join(columns)})
                         VALUES (?, ?, {", ".join("?" * len(columns))})""",
        rows,
    )


def _touch(conn: sqlite3.Connection, info: RoundInfo) -> None:
    conn.execute("UPDATE rounds SET updated_at = ? WHERE id = ?", (connection.now(), info.id))


def _one(fields: Mapping[str, object], label: str) -> Requirements:
    unknown = [k for k in fields if k not in REQUIREMENT_COLUMNS]
    if unknown:
        raise ValidationError(
            Problem(
                "unknown requirement field",
                file=label,
                column=", ".join(map(str, unknown)),
                expected=f"fields among {', '.join(REQUIREMENT_COLUMNS)}",
            )
        )
    row = {c: "" if fields.get(c) is None else str(fields.get(c)) for c in REQUIREMENT_COLUMNS}
    return load_requirements(pd.DataFrame([row], columns=list(REQUIREMENT_COLUMNS)))


def _exists(conn: sqlite3.Connection, info: RoundInfo, requirement_id: str) -> bool:
    return (
        conn.execute(
            "SELECT 1 FROM requirements WHERE round_id = ? AND id = ?", (info.id, requirement_id)
        ).fetchone()
        is not None
    )


def _missing(info: RoundInfo, requirement_id: str) -> ValidationError:
    return ValidationError(
        Problem(
            "no such requirement",
            file=f"round {info.id}",
            column="id",
            value=str(requirement_id),
            expected=f"a requirement of round {info.id}",
        )
    )


def replace_requirements(conn: sqlite3.Connection, info: RoundInfo, source: Source) -> int:
    """Replace the round's requirements with a whole new list (validated first: on any
    problem nothing changes). Returns how many the round now has."""
    loaded = load_requirements(source)
    conn.execute("DELETE FROM requirements WHERE round_id = ?", (info.id,))
    insert_requirements(conn, info.id, loaded)
    _touch(conn, info)
    return len(loaded)


def add_requirement(conn: sqlite3.Connection, info: RoundInfo, fields: Mapping[str, object]) -> str:
    """Add one requirement at the end of the list; returns its id."""
    loaded = _one(fields, f"new requirement of round {info.id}")
    requirement_id = str(loaded.ids[0])
    if _exists(conn, info, requirement_id):
        raise ValidationError(
            Problem(
                "a requirement with this id is already in the round",
                file=f"round {info.id}",
                column="id",
                value=requirement_id,
                expected="a new requirement id",
            )
        )
    end = conn.execute(
        "SELECT COALESCE(MAX(position), -1) + 1 FROM requirements WHERE round_id = ?", (info.id,)
    ).fetchone()[0]
    insert_requirements(conn, info.id, loaded, start=int(end))
    _touch(conn, info)
    return requirement_id


def edit_requirement(
    conn: sqlite3.Connection, info: RoundInfo, requirement_id: str, fields: Mapping[str, object]
) -> None:
    """Change one requirement's texts (its id stays: withdraw it and add a new one to
    change the id)."""
    if not _exists(conn, info, requirement_id):
        raise _missing(info, requirement_id)
    if "id" in fields and str(fields["id"]) != requirement_id:
        raise ValidationError(
            Problem(
                "a requirement's id cannot be changed",
                file=f"round {info.id}",
                row=requirement_id,
                column="id",
                value=str(fields["id"]),
                expected=f"{requirement_id} (withdraw it and add a new one instead)",
            )
        )
    loaded = _one({**fields, "id": requirement_id}, f"requirement {requirement_id}")
    values = loaded.frame.reset_index().iloc[0]
    columns = [c for c in REQUIREMENT_COLUMNS if c != "id"]
    conn.execute(
        f"""UPDATE requirements SET {", ".join(f"{c} = ?" for c in columns)}
            WHERE round_id = ? AND id = ?""",
        (*(str(values[c]) for c in columns), info.id, requirement_id),
    )
    _touch(conn, info)


def withdraw_requirement(conn: sqlite3.Connection, info: RoundInfo, requirement_id: str) -> None:
    """Take a requirement out of the draft round (nobody has scored it yet)."""
    if not _exists(conn, info, requirement_id):
        raise _missing(info, requirement_id)
    conn.execute(
        "DELETE FROM requirements WHERE round_id = ? AND id = ?", (info.id, requirement_id)
    )
    _touch(conn, info)
