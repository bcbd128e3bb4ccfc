"""The scorecard's side of the database: the council's scorecard (a snapshot of its YAML),
the readings of its measures, when approved requirements went live, and events; read back
as the library's types, so the page, the command line and the workbook hand them to
:func:`prioritize.outcomes.benefit_realisation` and :func:`prioritize.outcomes.triggers`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
from pathlib import Path
from typing import Any

import pandas as pd

from prioritize import resources
from prioritize.council.decisions import latest_decisions
from prioritize.council.effects import effects_from_text
from prioritize.errors import Problem, ValidationError
from prioritize.load.files import Upload
from prioritize.load.scorecard import load_scorecard, scorecard_from_text
from prioritize.model.scorecard import Delivery, Event, Readings, Scorecard
from prioritize.store import connection
from prioritize.store.connection import Db
from prioritize.store.log import log_entries, log_frame
from prioritize.store.records import RoundInfo

__all__ = [
    "DEFAULT_SCORECARD",
    "add_event",
    "current_scorecard",
    "deliveries",
    "events",
    "readings",
    "record_go_live",
    "set_scorecard",
    "write_readings",
]

#: The scorecard of a council that has not chosen one.
DEFAULT_SCORECARD = "customer-operations"
_SETTING = "scorecard"


def _text(source: str | Path | Upload) -> str:
    """The YAML text of a scorecard given as a bundled name, a path or an upload (checked by
    the loader first, kept word for word)."""
    if isinstance(source, Upload):
        raw = source.read()
        _parse_text(raw.decode("utf-8", errors="strict"), source.name)
        return raw.decode("utf-8")
    path = Path(source)
    if not path.is_file():
        name = str(source)
        bundled = resources.scorecard_dir() / (name if name.endswith(".yaml") else f"{name}.yaml")
        if "/" in name or "\\" in name or not bundled.is_file():
            load_scorecard(source)  # the loader's own error, naming what was expected
        path = bundled
    load_scorecard(path)  # within the input limits before its text is kept
    return path.read_bytes().decode("utf-8")


@functools.lru_cache(maxsize=16)
def _parse_text(text: str, label: str) -> Scorecard:
    # content-addressed and immutable: safe to share between threads and sessions
    parsed = scorecard_from_text(text, label)
    sha256 = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return dataclasses.replace(parsed, sha256=sha256, yaml_text=text)


def set_scorecard(conn: Db, source: str | Path | Upload, created_at: str) -> Scorecard:
    """Make ``source`` the council's scorecard (a snapshot of its text, kept once)."""
    text = _text(source)
    scorecard = _parse_text(text, "the scorecard")
    conn.execute(
        """INSERT INTO scorecards (sha256, name, yaml_text, created_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (sha256) DO NOTHING""",
        (scorecard.sha256, scorecard.name, text, created_at),
    )
    conn.execute(
        """INSERT INTO settings (key, value) VALUES (?, ?)
           ON CONFLICT (key) DO UPDATE SET value = excluded.value""",
        (_SETTING, scorecard.sha256),
    )
    return scorecard


def current_scorecard(conn: Db) -> Scorecard:
    """The council's scorecard; the bundled one until the facilitator chooses another."""
    row = conn.execute(
        """SELECT s.yaml_text, s.name FROM settings t JOIN scorecards s ON s.sha256 = t.value
           WHERE t.key = ?""",
        (_SETTING,),
    ).fetchone()
    if row is None:
        return _parse_text(_text(DEFAULT_SCORECARD), DEFAULT_SCORECARD)
    return _parse_text(str(row["yaml_text"]), f"{row['name']} (snapshot)")


def readings(conn: Db) -> Readings:
    """Every stored reading, by measure and date."""
    rows = connection.plain_rows(
        conn, "SELECT date, measure, value, source, note FROM readings ORDER BY measure, date"
    )
    frame = pd.DataFrame(rows, columns=["date", "measure", "value", "source", "note"])
    frame["date"] = pd.to_datetime(frame["date"], format="ISO8601")
    frame["value"] = frame["value"].astype(float)
    return Readings.trusted(frame)


def write_readings(conn: Db, new: Readings, recorded_by: str, *, replace: bool) -> int:
    """Store validated readings, all or none. A reading for a measure and day already
    stored is refused (naming them) unless ``replace``; returns how many were written."""
    frame = new.frame
    days = frame["date"].dt.strftime("%Y-%m-%d")
    keys = list(zip(frame["measure"], days, strict=True))
    if not replace:
        stored = set(map(tuple, connection.plain_rows(conn, "SELECT measure, date FROM readings")))
        clashes = [k for k in keys if k in stored]
        if clashes:
            raise ValidationError(
                [
                    Problem(
                        "a reading of this measure on this day is already stored",
                        column="date",
                        value=f"{measure} on {day}",
                        expected="new days only, or import with replace to correct them",
                    )
                    for measure, day in clashes[:20]
                ]
            )
    stamp = connection.now()
    conn.executemany(
        """INSERT INTO readings (measure, date, value, source, note, recorded_by, recorded_at)
           VALUES (?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (measure, date) DO UPDATE SET value = excluded.value,
               source = excluded.source, note = excluded.note,
               recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at""",
        [
            (m, d, float(v), str(s), str(n), recorded_by, stamp)
            for m, d, v, s, n in zip(
                frame["measure"],
                days,
                frame["value"],
                frame["source"],
                frame["note"],
                strict=True,
            )
        ],
    )
    return len(keys)


def record_go_live(
    conn: Db, info: RoundInfo, requirement_id: str, live_on: dt.date, recorded_by: str
) -> None:
    """Record (or correct) when an approved requirement went live."""
    latest = latest_decisions(log_frame(log_entries(conn, info.id)))
    outcome = str(latest.loc[requirement_id, "outcome"]) if requirement_id in latest.index else None
    if outcome != "approve":
        raise ValidationError(
            Problem(
                "only an approved requirement goes live",
                column="requirement",
                value=requirement_id,
                expected=f"a requirement round {info.id} approved"
                + ("" if outcome is None else f" (its latest decision is '{outcome}')"),
            )
        )
    if live_on > dt.date.today():
        raise ValidationError(
            Problem(
                "a go-live date in the future",
                column="live_on",
                value=live_on.isoformat(),
                expected="the day it went live (today or earlier)",
            )
        )
    conn.execute(
        """INSERT INTO deliveries (round_id, requirement_id, live_on, recorded_by, recorded_at)
           VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (round_id, requirement_id) DO UPDATE SET live_on = excluded.live_on,
               recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at""",
        (info.id, requirement_id, live_on.isoformat(), recorded_by, connection.now()),
    )


def deliveries(conn: Db) -> tuple[Delivery, ...]:
    """Every approved requirement that went live, with the effects its approval stated
    (the latest approval's), in go-live order."""
    rows = conn.execute(
        """SELECT d.round_id, d.requirement_id, d.live_on, r.title
           FROM deliveries d JOIN requirements r
             ON r.round_id = d.round_id AND r.id = d.requirement_id
           ORDER BY d.live_on, d.round_id, d.requirement_id"""
    ).fetchall()
    found: list[Delivery] = []
    effects: dict[tuple[int, str], Any] = {}
    for entry in log_entries(conn):
        if entry.outcome == "approve":
            effects[(entry.round_id, entry.requirement_id)] = entry.expected_effects
        elif entry.requirement_id:
            effects.pop((entry.round_id, entry.requirement_id), None)
    for row in rows:
        key = (int(row["round_id"]), str(row["requirement_id"]))
        found.append(
            Delivery(
                key[1],
                str(row["title"]),
                dt.date.fromisoformat(str(row["live_on"])),
                effects_from_text(effects.get(key)),
            )
        )
    return tuple(found)


def add_event(conn: Db, event: Event, recorded_by: str) -> None:
    """Record an event (checked by :func:`prioritize.load.scorecard.load_events` first)."""
    conn.execute(
        """INSERT INTO events (on_date, kind, title, criteria, requirements, recorded_by,
                               recorded_at)
           VALUES (?, ?, ?, ?, ?, ?, ?)""",
        (
            event.on.isoformat(),
            event.kind,
            event.title,
            ";".join(event.criteria),
            ";".join(event.requirements),
            recorded_by,
            connection.now(),
        ),
    )


def events(conn: Db) -> tuple[Event, ...]:
    """Every recorded event, oldest first."""
    rows = conn.execute(
        "SELECT on_date, kind, title, criteria, requirements FROM events ORDER BY on_date, id"
    )
    return tuple(
        Event(
            dt.date.fromisoformat(str(r["on_date"])),
            str(r["kind"]),
            str(r["title"]),
            tuple(c for c in str(r["criteria"]).split(";") if c),
            tuple(c for c in str(r["requirements"]).split(";") if c),
        )
        for r in rows
    )
