"""Estimates and relations in the store: kept as loaded (schema v7), carried to a follow-up
round, edited in a draft with the round's other requirements, and NULL (not estimated) for
rows written before version 7."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pandas as pd
import pytest

import prioritize as pz
from prioritize.errors import ValidationError
from prioritize.store import MIGRATIONS, SCHEMA_VERSION, Store
from tests.conftest import ExampleCouncil, tiny_criteria_mapping
from tests.store.council import Council

ESTIMATED = pd.DataFrame(
    {
        "id": ["R1", "R2", "R3", "R4"],
        "title": ["Fix order entry", "New CRM", "Report colours", "Audit trail"],
        "cost": ["12000", "", "0.1", "1e6"],
        "effort": ["15.5", "3", "", ""],
        "requires": ["R2; R4", "", "", ""],
        "excludes": ["", "", "R4", ""],
        "alternatives": ["", "crm", "", "crm"],
    }
)


def test_a_round_reads_back_the_estimates_it_was_given(council_db: Council) -> None:
    facilitator = council_db.session("f01")
    loaded = pz.load_requirements(ESTIMATED.assign(alternatives=["", "crm", "", ""]))
    info = facilitator.create_round("estimated", tiny_criteria_mapping(), loaded)
    back = facilitator.requirements(info.id)
    pd.testing.assert_frame_equal(back.estimates, loaded.estimates)
    pd.testing.assert_frame_equal(back.frame, loaded.frame)
    assert back["R3"].cost == 0.1 and back["R2"].cost is None  # every digit, NULL as None
    follow_up = facilitator.start_from(info.id)
    pd.testing.assert_frame_equal(
        facilitator.requirements(follow_up.id).estimates, loaded.estimates
    )


def test_the_example_round_keeps_the_example_s_estimates(example_council: ExampleCouncil) -> None:
    example = pz.load_requirements(pz.example_dir() / "requirements.csv")
    imported = example_council.example
    session = example_council.store().session(imported.facilitator, f"{imported.facilitator}-demo")
    pd.testing.assert_frame_equal(
        session.requirements(imported.round.id).estimates, example.estimates
    )


def test_a_draft_requirement_is_added_and_edited_with_estimates(council_db: Council) -> None:
    facilitator = council_db.session("f01")
    draft = council_db.draft
    facilitator.add_requirement(
        draft,
        {"id": "R9", "title": "Ninth", "cost": 2500.75, "effort": None, "requires": " R1 ;R2 "},
    )
    added = facilitator.requirements(draft)["R9"]
    assert (added.cost, added.effort, added.requires) == (2500.75, None, ("R1", "R2"))
    facilitator.edit_requirement(
        draft, "R9", {"title": "Ninth", "effort": "4", "excludes": "R3", "alternatives": "g"}
    )
    edited = facilitator.requirements(draft)["R9"]
    assert (edited.cost, edited.effort, edited.excludes, edited.alternatives) == (
        None,
        4.0,
        ("R3",),
        "g",
    )
    before = facilitator.requirements(draft).frame
    with pytest.raises(ValidationError) as refused:
        facilitator.edit_requirement(
            draft, "R9", {"title": "Ninth", "cost": -1, "requires": "R77;R9"}
        )
    found = {(p.column, p.message) for p in refused.value.problems}
    assert ("cost", "negative cost") in found
    assert ("requires", "R77 is not a requirement of this file") in found
    assert ("requires", "a requirement cannot require itself") in found
    pd.testing.assert_frame_equal(facilitator.requirements(draft).frame, before)


def test_an_edit_that_makes_another_requirement_impossible_is_refused(
    council_db: Council,
) -> None:
    facilitator = council_db.session("f01")
    draft = council_db.draft
    facilitator.add_requirement(draft, {"id": "R9", "title": "Ninth", "requires": "R1"})
    with pytest.raises(ValidationError, match="R9 can never be funded: it requires R1, which"):
        facilitator.edit_requirement(draft, "R1", {"title": "First", "excludes": "R9"})
    assert facilitator.requirements(draft)["R1"].excludes == ()


def test_a_requirement_another_one_names_is_not_withdrawn(council_db: Council) -> None:
    facilitator = council_db.session("f01")
    draft = council_db.draft
    facilitator.add_requirement(draft, {"id": "R9", "title": "Ninth", "excludes": "R1"})
    with pytest.raises(ValidationError, match="R9 excludes R1"):
        facilitator.withdraw_requirement(draft, "R1")
    facilitator.withdraw_requirement(draft, "R9")
    facilitator.withdraw_requirement(draft, "R1")
    assert "R1" not in facilitator.requirements(draft).ids


def test_rows_written_before_version_7_have_no_estimates(tmp_path: Path) -> None:
    path = tmp_path / "v6.db"
    with sqlite3.connect(path) as conn:
        for migration in MIGRATIONS:
            if migration.version < 7:
                for statement in migration.statements_for("sqlite"):
                    conn.execute(statement)
        conn.execute("PRAGMA user_version = 6")
        conn.execute(
            """INSERT INTO requirements (round_id, id, position, title, description)
                            VALUES (1, 'R1', 0, 'Old', 'kept')"""
        )
    conn.close()
    Store(path).init()
    assert Store(path).schema_version == SCHEMA_VERSION
    with sqlite3.connect(path) as conn:
        row = conn.execute(
            "SELECT title, description, cost, effort, requires, excludes, alternatives "
            "FROM requirements"
        ).fetchone()
    conn.close()
    assert row == ("Old", "kept", None, None, None, None, None)
    # a negative estimate never reaches a row
    with pytest.raises(sqlite3.IntegrityError), sqlite3.connect(path) as conn:
        conn.execute("UPDATE requirements SET cost = -1")
    conn.close()
