"""A draft round's requirements as the facilitator prepares them: replace them all from
an upload, add one, edit one, withdraw one. Only while the round is a draft (nobody has
scored yet), validated by the same loader as every requirements file, all or nothing.
The callers check the role and the state."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

import pandas as pd

from prioritize.errors import Problem, ValidationError
from prioritize.load.columns import REQUIREMENT_COLUMNS, REQUIREMENT_ESTIMATES
from prioritize.load.files import Source
from prioritize.load.requirements import load_requirements
from prioritize.model.council import Requirements, id_list
from prioritize.store import connection
from prioritize.store.connection import Db
from prioritize.store.records import RoundInfo

__all__ = [
    "STORED_COLUMNS",
    "add_evidence",
    "add_requirement",
    "edit_requirement",
    "insert_requirements",
    "replace_requirements",
    "withdraw_requirement",
]


#: A requirement's columns in the ``requirements`` table (after ``round_id`` and
#: ``position``): its texts, then its estimates and relations (NULL: none).
STORED_COLUMNS: tuple[str, ...] = (*REQUIREMENT_COLUMNS, *REQUIREMENT_ESTIMATES)


def _stored(requirements: Requirements) -> list[tuple[object, ...]]:
    """Each requirement's values in :data:`STORED_COLUMNS` order: texts as text, estimates
    as floats or None, relations as ``;``-joined ids, a group, or None."""
    texts = requirements.frame.reset_index()[list(REQUIREMENT_COLUMNS)].astype(str)
    estimates = requirements.estimates
    numbers = {
        c: [None if pd.isna(v) else float(v) for v in estimates[c].to_numpy(dtype=float)]
        for c in ("cost", "effort")
    }
    relations = {
        c: [";".join(ids) or None for ids in estimates[c]] for c in ("requires", "excludes")
    }
    groups = [str(g) or None for g in estimates["alternatives"]]
    return [
        (
            *values,
            numbers["cost"][p],
            numbers["effort"][p],
            relations["requires"][p],
            relations["excludes"][p],
            groups[p],
        )
        for p, values in enumerate(texts.itertuples(index=False, name=None))
    ]


def insert_requirements(
    conn: Db, round_id: int, requirements: Requirements, start: int = 0
) -> None:
    """Insert validated requirements, positioned from ``start`` in their given order."""
    rows = [
        (round_id, start + position, *values)
        for position, values in enumerate(_stored(requirements))
    ]
    conn.executemany(
        f"""INSERT INTO requirements (round_id, position, {", ".join(STORED_COLUMNS)})
                         VALUES (?, ?, {", ".join("?" * len(STORED_COLUMNS))})""",
        rows,
    )


def _touch(conn: Db, info: RoundInfo) -> None:
    conn.execute("UPDATE rounds SET updated_at = ? WHERE id = ?", (connection.now(), info.id))


def _one(conn: Db, info: RoundInfo, fields: Mapping[str, object], label: str) -> Requirements:
    """One requirement from a form's fields, validated by the loader together with the
    round's other requirements (its relations name them, and theirs may name it)."""
    unknown = [k for k in fields if k not in STORED_COLUMNS]
    if unknown:
        raise ValidationError(
            Problem(
                "unknown requirement field",
                file=label,
                column=", ".join(map(str, unknown)),
                expected=f"fields among {', '.join(STORED_COLUMNS)}",
            )
        )
    row = {c: "" if fields.get(c) is None else str(fields.get(c)) for c in STORED_COLUMNS}
    requirement_id = row["id"].strip()
    others = [r for r in _round_rows(conn, info) if r["id"] != requirement_id]
    # The round's other requirements are checked with it: a relation typed on the form
    # names them, and theirs may name this one (or be made impossible by it).
    frame = pd.DataFrame([*others, row], columns=list(STORED_COLUMNS))
    frame.index = pd.Index([*(f"requirement {r['id']}" for r in others), label])
    try:
        checked = load_requirements(frame)
    except ValidationError as exc:
        where = f"round {info.id}"
        raise ValidationError(
            [replace(p, file=where) if p.file == "<DataFrame>" else p for p in exc.problems]
        ) from None
    return Requirements(checked.frame.iloc[[-1]], f"round {info.id}")


def _round_rows(conn: Db, info: RoundInfo) -> list[dict[str, str]]:
    rows = conn.execute(
        f"SELECT {', '.join(STORED_COLUMNS)} FROM requirements WHERE round_id = ? "
        "ORDER BY position",
        (info.id,),
    ).fetchall()
    return [{c: "" if r[c] is None else _cell(r[c]) for c in STORED_COLUMNS} for r in rows]


def _cell(value: object) -> str:
    # repr keeps every digit of a float (str would too, but says so less plainly)
    return repr(value) if isinstance(value, float) else str(value)


def _exists(conn: Db, info: RoundInfo, requirement_id: str) -> bool:
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


def replace_requirements(conn: Db, info: RoundInfo, source: Source) -> int:
    """Replace the round's requirements with a whole new list (validated first: on any
    problem nothing changes). Returns how many the round now has."""
    loaded = load_requirements(source)
    conn.execute("DELETE FROM requirements WHERE round_id = ?", (info.id,))
    insert_requirements(conn, info.id, loaded)
    _touch(conn, info)
    return len(loaded)


def add_requirement(conn: Db, info: RoundInfo, fields: Mapping[str, object]) -> str:
    """Add one requirement at the end of the list; returns its id."""
    loaded = _one(conn, info, fields, f"new requirement of round {info.id}")
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
    conn: Db, info: RoundInfo, requirement_id: str, fields: Mapping[str, object]
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
    loaded = _one(conn, info, {**fields, "id": requirement_id}, f"requirement {requirement_id}")
    values = _stored(loaded)[0][1:]
    columns = STORED_COLUMNS[1:]
    conn.execute(
        f"""UPDATE requirements SET {", ".join(f"{c} = ?" for c in columns)}
            WHERE round_id = ? AND id = ?""",
        (*values, info.id, requirement_id),
    )
    _touch(conn, info)


def withdraw_requirement(conn: Db, info: RoundInfo, requirement_id: str) -> None:
    """Take a requirement out of the draft round (nobody has scored it yet). Refused while
    another requirement requires or excludes it: that relation would name nothing."""
    if not _exists(conn, info, requirement_id):
        raise _missing(info, requirement_id)
    naming = [
        (row["id"], column)
        for row in _round_rows(conn, info)
        for column in ("requires", "excludes")
        if requirement_id in id_list(row[column])
    ]
    if naming:
        raise ValidationError(
            [
                Problem(
                    f"{other} {column} {requirement_id}: it cannot be withdrawn while "
                    f"{other} names it",
                    file=f"round {info.id}",
                    row=other,
                    column=column,
                    value=requirement_id,
                    expected=f"{other} edited first so that it no longer names {requirement_id}",
                )
                for other, column in naming
            ]
        )
    conn.execute(
        "DELETE FROM requirements WHERE round_id = ? AND id = ?", (info.id, requirement_id)
    )
    _touch(conn, info)


def add_evidence(conn: Db, info: RoundInfo, requirement_id: str, text: str) -> None:
    """Append ``text`` to a draft requirement's evidence (after a blank line), every other
    field kept as it is."""
    row = next((r for r in _round_rows(conn, info) if r["id"] == requirement_id), None)
    if row is None:
        raise _missing(info, requirement_id)
    before = row["evidence"].strip()
    edit_requirement(
        conn, info, requirement_id, {**row, "evidence": f"{before}\n\n{text}" if before else text}
    )
