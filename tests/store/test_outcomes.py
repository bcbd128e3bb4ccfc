"""The scorecard in the store, on both engines: readings imported all or nothing, an
approval's expected effects inside its hash, go-live dates, events, and what the stored
data says (benefit realisation, triggers); who may write what."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pandas as pd
import pytest

import prioritize as pz
from prioritize.council.decisions import entry_hash
from prioritize.errors import PermissionDenied, ValidationError
from tests.conftest import ExampleCouncil
from tests.databases import drop_append_only, raw

READINGS = pz.example_dir() / "readings.csv"
FTR = pz.ExpectedEffect("first_time_right", 8.0, dt.date(2026, 9, 30), "fewer re-keys")


def _facilitator(example: ExampleCouncil) -> pz.Session:
    return example.store().session("m01", "m01-demo")


def test_readings_are_imported_all_or_nothing_and_a_stored_day_is_not_overwritten(
    example_council: ExampleCouncil,
) -> None:
    chair = _facilitator(example_council)
    # the example council comes with its year of readings (import_example)
    assert len(pd.read_csv(READINGS)) == len(chair.readings().frame)
    again = pd.read_csv(READINGS).head(2).assign(value=[1.0, 2.0])
    with pytest.raises(ValidationError, match="already stored"):
        chair.import_readings(again)
    assert (
        chair.readings().frame["value"].tolist()
        == pz.load_readings(READINGS, chair.scorecard()).frame["value"].tolist()
    )
    assert chair.import_readings(again, replace=True) == 2
    first = chair.readings().for_measure(str(again["measure"].iloc[0]))
    assert 1.0 in first["value"].tolist()
    bad = pd.DataFrame({"date": ["2026-01-01"], "measure": ["no_such_measure"], "value": [1]})
    with pytest.raises(ValidationError, match="no_such_measure"):
        chair.import_readings(bad)


def test_only_the_facilitator_records_and_every_member_reads(
    example_council: ExampleCouncil,
) -> None:
    store = example_council.store()
    member = store.session("m02", "m02-demo")
    with pytest.raises(PermissionDenied):
        member.import_readings(READINGS)
    with pytest.raises(PermissionDenied):
        member.add_event(dt.date(2026, 1, 1), "legal", "a law")
    assert len(member.readings().frame) > 0
    assert member.scorecard().ids == store.session("m01", "m01-demo").scorecard().ids


def test_expected_effects_are_part_of_the_entry_and_its_hash(
    example_council: ExampleCouncil,
) -> None:
    chair = _facilitator(example_council)
    round_id = example_council.example.round.id
    entry = chair.record_decision(round_id, "REQ-001", "approve", effects=[FTR])
    assert entry.expected_effects is not None and '"change":8.0' in entry.expected_effects
    without = dataclasses.replace(entry, expected_effects=None)
    assert entry_hash(without) != entry.entry_hash  # the effects are hashed
    assert example_council.store().verify_log().ok
    # an edit of the stated effect behind the store breaks the chain
    with raw(example_council.path) as conn:
        drop_append_only(conn, "decisions")
        conn.execute(
            "UPDATE decisions SET expected_effects = ? WHERE seq = ?",
            (entry.expected_effects.replace("8.0", "18.0"), entry.seq),
        )
    assert not example_council.store().verify_log().ok


@pytest.mark.parametrize(
    ("outcome", "effect", "why"),
    [
        ("reject", FTR, "only an approval"),
        ("approve", dataclasses.replace(FTR, measure="happiness"), "unknown measure"),
        ("approve", dataclasses.replace(FTR, change=0.0), "other than 0"),
        ("approve", dataclasses.replace(FTR, rationale="  "), "needs a rationale"),
    ],
)
def test_a_wrong_expected_effect_is_refused_and_nothing_is_logged(
    example_council: ExampleCouncil, outcome: str, effect: pz.ExpectedEffect, why: str
) -> None:
    chair = _facilitator(example_council)
    with pytest.raises(ValidationError, match=why):
        chair.record_decision(
            example_council.example.round.id,
            "REQ-001",
            outcome,
            rationale="a rationale",
            effects=[effect],
        )
    assert example_council.store().log_entries() == []


def test_go_live_benefits_and_triggers_from_the_store(example_council: ExampleCouncil) -> None:
    chair = _facilitator(example_council)
    round_id = example_council.example.round.id
    with pytest.raises(ValidationError, match="only an approved requirement"):
        chair.record_go_live(round_id, "REQ-001", dt.date(2026, 5, 1))
    chair.record_decision(round_id, "REQ-001", "approve", effects=[FTR])
    with pytest.raises(ValidationError, match="future"):
        chair.record_go_live(round_id, "REQ-001", dt.date.today() + dt.timedelta(days=1))
    chair.record_go_live(round_id, "REQ-001", dt.date(2026, 5, 1))
    (delivery,) = chair.deliveries()
    assert (delivery.requirement_id, delivery.live_on, delivery.effects) == (
        "REQ-001",
        dt.date(2026, 5, 1),
        (FTR,),
    )
    realised = chair.benefit_realisation().table
    row = realised[realised["measure"] == "first_time_right"].iloc[0]
    assert row["requirement_id"] == "REQ-001" and row["expected"] == 8.0
    assert row["change"] == pytest.approx(row["after"] - row["before"])
    # the same numbers as the library on the same files: the store adds nothing of its own
    library = pz.benefit_realisation(
        chair.scorecard(), pz.load_readings(READINGS, chair.scorecard()), chair.deliveries()
    ).table
    pd.testing.assert_frame_equal(realised, library)
    chair.add_event(
        dt.date(2027, 1, 1), "legal", "a court ruling on returns", ["legal_necessity"], ["REQ-021"]
    )
    ruling = next(e for e in chair.events() if e.title == "a court ruling on returns")
    assert (ruling.criteria, ruling.requirements) == (("legal_necessity",), ("REQ-021",))
    found = chair.triggers(round_id)
    assert set(found.table["kind"]) >= {"threshold", "trend", "event"}
    # the example's e-invoicing event and the ruling name what they concern: only those
    events = found.table[found.table["kind"] == "event"]
    assert set(events["requirement_id"]) == {"REQ-003", "REQ-007", "REQ-021"}  # REQ-001 approved
    assert "REQ-001" not in set(found.table.loc[found.table["kind"] == "event", "requirement_id"])


def test_a_round_started_from_the_triggers_carries_their_evidence(
    example_council: ExampleCouncil,
) -> None:
    chair = _facilitator(example_council)
    round_id = example_council.example.round.id
    before = chair.requirements(round_id).frame["evidence"].to_dict()
    created, found = chair.start_from_triggers(round_id, name="After the carrier change")
    assert created.state == "draft" and found.requirements
    after = chair.requirements(created.id).frame["evidence"].to_dict()
    for requirement_id in found.requirements:
        assert after[requirement_id].startswith(before[requirement_id].strip())
        assert found.evidence(requirement_id) in after[requirement_id]
        assert "Scorecard, " in after[requirement_id]
    untouched = set(after) - set(found.requirements)
    assert all(after[r] == before[r] for r in untouched)  # the rest as they were
    member = example_council.store().session("m02", "m02-demo")
    with pytest.raises(PermissionDenied):
        member.start_from_triggers(round_id)


def test_a_wrong_event_is_refused_as_a_wrong_row_of_an_events_file_is(
    example_council: ExampleCouncil,
) -> None:
    chair = _facilitator(example_council)
    before = chair.events()
    with pytest.raises(ValidationError, match="unknown kind of event") as caught:
        chair.add_event(dt.date(2026, 1, 1), "rumour", "  ")
    assert "'title'" in str(caught.value)  # every problem at once: the blank title too
    assert chair.events() == before
