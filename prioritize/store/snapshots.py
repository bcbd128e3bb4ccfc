"""From database rows to the library's types, and to an evaluation.

A round's criteria are a snapshot: the YAML text as it was when the round was created and
its SHA-256, parsed once per process (content-addressed), with the round's own weights
applied. Requirements, members and scores were validated when they were written, so they
are built with the model's trusted constructors, not re-loaded as if they were an upload.
:func:`round_evaluation` builds the library inputs from the database and calls
:func:`prioritize.evaluate`, so the page and the command line share one path.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from prioritize import resources
from prioritize.engine.evaluate import evaluate
from prioritize.errors import Problem, ValidationError
from prioritize.load.criteria import criteria_from_text, load_criteria
from prioritize.load.files import Upload
from prioritize.model.council import Members, Requirements, Scores
from prioritize.model.criteria import CriteriaSet
from prioritize.model.evaluation import Evaluation
from prioritize.store.connection import Db, plain_rows
from prioritize.store.records import RoundInfo
from prioritize.store.requirements import STORED_COLUMNS

__all__ = [
    "criteria_text",
    "judged",
    "round_criteria",
    "round_evaluation",
    "round_members",
    "round_requirements",
    "round_revision",
    "round_scores",
    "store_criteria",
]


def criteria_text(source: str | Path | Mapping[str, Any] | Upload) -> str:
    """The YAML text of a criteria set given as a bundled name, a path, a mapping, or an
    uploaded file (kept word for word, once it passed the loader's checks and limits)."""
    if isinstance(source, Upload):
        raw = source.read()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ValidationError(
                Problem("not a UTF-8 text file", file=source.name, expected="a YAML criteria set")
            ) from exc
        criteria_from_text(text, source.name)  # the loader's checks, naming the file
        return text
    if isinstance(source, Mapping):
        return yaml.safe_dump(dict(source), sort_keys=False, allow_unicode=True)
    path = Path(source)
    if not path.is_file():
        text = str(source)
        bundled = resources.criteria_dir() / (text if text.endswith(".yaml") else f"{text}.yaml")
        if "/" not in text and "\\" not in text and bundled.is_file():
            path = bundled
        else:
            load_criteria(source)  # raises the loader's own error, naming what was expected
    load_criteria(path)  # within the input limits before its text is kept
    return path.read_bytes().decode("utf-8")


@functools.lru_cache(maxsize=32)
def _parse(sha256: str, text: str, name: str) -> CriteriaSet:
    # Content-addressed and immutable, so safe to share between threads and sessions.
    parsed = criteria_from_text(text, f"{name} (snapshot {sha256[:12]})")
    return replace(parsed, sha256=sha256, source=f"{name} (snapshot {sha256[:12]})")


def store_criteria(
    conn: Db, source: str | Path | Mapping[str, Any] | Upload, created_at: str
) -> CriteriaSet:
    """Validate a criteria set and keep its snapshot (once per distinct text)."""
    text = criteria_text(source)
    sha256 = hashlib.sha256(text.encode("utf-8")).hexdigest()
    criteria = criteria_from_text(text, "the criteria set")
    conn.execute(
        """INSERT INTO criteria_sets (sha256, name, yaml_text, created_at)
                    VALUES (?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING""",
        (sha256, criteria.name, text, created_at),
    )
    return _parse(sha256, text, criteria.name)


def round_criteria(conn: Db, info: RoundInfo) -> CriteriaSet:
    """The round's criteria set with the round's weights."""
    row = conn.execute(
        "SELECT yaml_text, name FROM criteria_sets WHERE sha256 = ?", (info.criteria_sha256,)
    ).fetchone()
    # the hash of the text as it is now: an edited snapshot shows under its new hash, and
    # `prioritize log verify` names the round whose snapshot no longer matches
    text = str(row["yaml_text"])
    criteria = _parse(hashlib.sha256(text.encode("utf-8")).hexdigest(), text, row["name"])
    weights = dict(
        conn.execute(
            "SELECT criterion, weight FROM round_weights WHERE round_id = ?", (info.id,)
        ).fetchall()
    )
    return criteria.with_weights({k: float(v) for k, v in weights.items()}) if weights else criteria


def _require_rows(
    frame: pd.DataFrame, info: RoundInfo, what: str, expected: str | None = None
) -> None:
    """Refuse a round without ``what`` (its requirements, members or scores), naming it."""
    if frame.empty:
        raise ValidationError(
            Problem(
                f"round {info.id} has no {what}",
                column="round",
                value=str(info.id),
                expected=f"a round with {expected or what}",
            )
        )


def round_requirements(conn: Db, info: RoundInfo) -> Requirements:
    """The round's requirements, in the order they were given."""
    columns = ", ".join(STORED_COLUMNS)
    rows = conn.execute(
        f"SELECT {columns} FROM requirements WHERE round_id = ? ORDER BY position", (info.id,)
    ).fetchall()
    frame = pd.DataFrame([tuple(r) for r in rows], columns=list(STORED_COLUMNS))
    _require_rows(frame, info, "requirements")
    return Requirements.trusted(frame, f"round {info.id}")


def round_members(conn: Db, info: RoundInfo) -> Members:
    """The round's members (never their passcode hashes), ordered by id."""
    rows = conn.execute(
        """SELECT m.id, m.name, m.department, m.role FROM members m
                           JOIN round_members r ON r.member_id = m.id
                           WHERE r.round_id = ? ORDER BY m.id""",
        (info.id,),
    ).fetchall()
    frame = pd.DataFrame([tuple(r) for r in rows], columns=["id", "name", "department", "role"])
    _require_rows(frame, info, "members")
    return Members.trusted(frame, f"round {info.id}")


SCORE_FRAME_COLUMNS = (
    "requirement_id",
    "member",
    "criterion",
    "score",
    "reason",
    "time",
    "version",
    "abstained",
)


def round_scores(conn: Db, info: RoundInfo, member_id: str | None = None) -> pd.DataFrame:
    """The round's scores as a long DataFrame (one member's only, when given)."""
    sql = f"SELECT {', '.join(SCORE_FRAME_COLUMNS)} FROM scores WHERE round_id = ?"
    params: tuple[Any, ...] = (info.id,)
    if member_id is not None:
        sql += " AND member = ?"
        params += (member_id,)
    rows = plain_rows(conn, sql + " ORDER BY requirement_id, member, criterion", params)
    frame = pd.DataFrame(rows, columns=list(SCORE_FRAME_COLUMNS))
    frame["score"] = frame["score"].astype(float)
    frame["version"] = frame["version"].astype("int64")
    frame["abstained"] = frame["abstained"].astype(bool)
    return frame


def judged(frame: pd.DataFrame) -> pd.DataFrame:
    """The scores that are numbers: "cannot judge" answers left out. The one rule of how
    an abstention enters the model -- as no score of that member, so the aggregation,
    agreement and viewpoints use the members who judged (progress counts it as answered,
    see :func:`prioritize.store.scores.progress`)."""
    if "abstained" not in frame.columns:
        return frame
    return frame.loc[~frame["abstained"].to_numpy(dtype=bool)].drop(columns="abstained")


def round_evaluation(conn: Db, info: RoundInfo, aggregation: str | None = None) -> Evaluation:
    """Evaluate the round from the database: the one path shared by the page and the CLI."""
    frame = judged(round_scores(conn, info))
    _require_rows(frame, info, "scores yet", "scores")
    scores = Scores.trusted(frame, f"round {info.id}")
    return evaluate(
        round_criteria(conn, info),
        round_requirements(conn, info),
        scores,
        members=round_members(conn, info),
        aggregation=aggregation or info.aggregation,
    )


def round_revision(conn: Db, info: RoundInfo) -> str:
    """A short text that changes whenever the round changes through the store: a score
    added or changed (every write appends to the score history, so its last row moves), a
    comment or a decision added, the weights, members or state changed (``updated_at``).
    Positions and counts only, never values, so it is safe to give to anyone who may see
    the round. Read on every page rerun, so it costs index look-ups, not a scan of the
    round's scores."""
    row = conn.execute(
        """SELECT (SELECT COALESCE(MAX(id), 0) FROM score_history WHERE round_id = ?),
                  (SELECT COUNT(*) FROM comments WHERE round_id = ?),
                  (SELECT COUNT(*) FROM decisions WHERE round_id = ?)""",
        (info.id,) * 3,
    ).fetchone()
    text = "|".join(map(str, (info.id, info.state, info.updated_at, info.members, *row)))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
