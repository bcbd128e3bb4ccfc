"""Triggers: known crossings and trends on synthetic series, none on a flat one, the
requirements each flags, and the invariants."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import replace

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

import prioritize as pz
from tests.outcomes.support import CARD, day, monthly, readings


def kinds(found: pz.Triggers) -> list[tuple[str, str]]:
    return list(zip(found.table["kind"], found.table["measure"], strict=True))


def test_a_flat_series_never_triggers() -> None:
    found = pz.triggers(CARD, readings(monthly("ftr", [80] * 12), monthly("complaints", [3] * 12)))
    assert not found and found.table.empty
    assert list(found.table.columns) == list(pz.outcomes.TRIGGER_COLUMNS)
    assert "No trigger" in str(found)


def test_threshold_crossed_above_with_the_date_of_the_crossing() -> None:
    # complaints 4, 4.5, 5.2, 5.4: beyond 5 since the third reading (2026-03-01)
    found = pz.triggers(CARD, readings(monthly("complaints", [4, 4.5, 5.2, 5.4])))
    threshold = found.table[found.table["kind"] == "threshold"].iloc[0]
    assert threshold["on"] == pd.Timestamp("2026-03-01")
    assert "5.4 per 1,000 orders on 2026-04-01" in threshold["evidence"]
    assert "alert above 5 per 1,000 orders" in threshold["evidence"]
    assert threshold["requirement_id"] == "" and threshold["link"] == ""
    # on the bound is not beyond it; back inside is no trigger
    assert not pz.triggers(CARD, readings(monthly("complaints", [6, 5.0])))
    # with since: a crossing before it was known at the last round
    assert not pz.triggers(
        CARD, readings(monthly("complaints", [4.5, 5.1, 5.2])), since=day("2026-02-01")
    )
    assert pz.triggers(
        CARD, readings(monthly("complaints", [4.5, 5.1, 5.2])), since=day("2026-01-15")
    )


def test_threshold_crossed_below() -> None:
    found = pz.triggers(CARD, readings(monthly("ftr", [75, 74, 69.5])))
    assert kinds(found) == [("threshold", "ftr"), ("trend", "ftr")]
    # trend: 69.5 - 75 = -5.5, more than 2 against "higher"


def test_trend_against_each_direction() -> None:
    # complaints (lower is better) 3.0, 3.2, 3.5, 4.2: last 3: 3.2 -> 4.2 = +1.0, not > 1
    assert not pz.triggers(CARD, readings(monthly("complaints", [3.0, 3.2, 3.5, 4.2])))
    # 3.2 -> 4.3 = +1.1 > 1: a trend, below the alert (no threshold)
    found = pz.triggers(CARD, readings(monthly("complaints", [3.0, 3.2, 3.5, 4.3])))
    assert kinds(found) == [("trend", "complaints")]
    row = found.table.iloc[0]
    assert row["on"] == pd.Timestamp("2026-04-01")
    assert (
        "rose from 3.2 to 4.3" in row["evidence"] and "2026-02-01 to 2026-04-01" in row["evidence"]
    )
    # ftr (higher is better) falling 80 -> 77.5: -2.5 > 2 against it
    assert kinds(pz.triggers(CARD, readings(monthly("ftr", [80, 79, 77.5])))) == [("trend", "ftr")]
    # moving the better way never triggers, however fast
    assert not pz.triggers(CARD, readings(monthly("ftr", [71, 80, 90])))
    assert not pz.triggers(CARD, readings(monthly("complaints", [4.9, 3, 1])))
    # too few readings for the window
    assert not pz.triggers(CARD, readings(monthly("ftr", [80, 75])))


def test_flagged_by_expected_effect() -> None:
    delivery = pz.Delivery(
        "REQ-9", "Checklist", day("2026-01-15"), (pz.ExpectedEffect("complaints", -1.5),)
    )
    found = pz.triggers(
        CARD, readings(monthly("complaints", [4, 4.5, 5.2, 5.4])), deliveries=[delivery]
    )
    assert found.requirements == ("REQ-9",)
    assert set(found.table["link"]) == {"expected effect"}
    assert "REQ-9 (live since 2026-01-15) was expected to have -1.5" in found.table["evidence"][0]


def test_flagged_by_criterion_when_not_approved() -> None:
    ev = pz.evaluate_example()
    scores = ev.aggregated["customer_impact"]
    clear = set(scores[scores >= 4].index)
    rising = readings(monthly("complaints", [3.0, 3.2, 3.5, 4.3]))
    found = pz.triggers(CARD, rising, evaluation=ev)
    assert set(found.requirements) == clear
    assert set(found.table["link"]) == {"criterion customer_impact"}
    # in rank order, the score in the evidence
    assert list(found.requirements) == [r for r in ev.table.index if r in clear]
    first = found.table.iloc[0]
    assert (
        f"{scores[first['requirement_id']]:.1f} on Customer impact (undecided)" in first["evidence"]
    )
    # approved (by the log, a mapping, or because it went live) requirements are not flagged
    log = pd.DataFrame(
        {
            "seq": [1, 2],
            "requirement_id": ["REQ-001", "REQ-009"],
            "outcome": ["approve", "postpone"],
        }
    )
    after = pz.triggers(CARD, rising, evaluation=ev, decided=log)
    assert "REQ-001" not in after.requirements and "REQ-009" in after.requirements
    assert "(postponed)" in after.table.set_index("requirement_id").loc["REQ-009", "evidence"]
    mapped = pz.triggers(CARD, rising, evaluation=ev, decided={"REQ-009": "approve"})
    assert "REQ-009" not in mapped.requirements
    live = pz.Delivery("REQ-007", "Addresses", day("2026-01-01"), ())
    assert "REQ-007" not in pz.triggers(CARD, rising, evaluation=ev, deliveries=[live]).requirements


def test_a_legal_event_flags_requirements_whose_legal_necessity_may_change() -> None:
    ev = pz.evaluate_example()
    event = pz.Event(day("2026-10-15"), "regulatory", "E-invoicing becomes mandatory")
    found = pz.triggers(CARD, readings(monthly("ftr", [80] * 3)), evaluation=ev, events=[event])
    assert set(found.table["kind"]) == {"event"}
    assert set(found.requirements) == set(ev.table.index)  # nothing approved yet
    assert set(found.table["link"]) == {"regulatory event"}
    assert "may change" in found.table["evidence"][0]
    assert "legal and regulatory necessity" in found.table["evidence"][0]
    # the event's own criteria, and since
    named = replace(event, criteria=("customer_impact",))
    text = pz.triggers(CARD, readings(monthly("ftr", [80])), evaluation=ev, events=[named])
    assert "customer impact may change" in text.table["evidence"][0]
    later = pz.triggers(
        CARD, readings(monthly("ftr", [80])), events=[event], since=day("2026-11-01")
    )
    assert not later
    alone = pz.triggers(CARD, readings(monthly("ftr", [80])), events=[event])
    assert alone.table["requirement_id"].tolist() == [""]
    assert "Regulatory event on 2026-10-15: E-invoicing" in str(alone)


def _mirror(card: pz.Scorecard) -> pz.Scorecard:
    """Every measure with its direction swapped and its alert bound negated."""
    measures = tuple(
        replace(
            m,
            direction="lower" if m.direction == "higher" else "higher",
            alert_below=None if m.alert_above is None else -m.alert_above,
            alert_above=None if m.alert_below is None else -m.alert_below,
        )
        for m in card
    )
    return replace(card, measures=measures)


SERIES = st.lists(
    st.floats(-100, 100, allow_nan=False).map(lambda v: round(v, 3)), min_size=1, max_size=15
)


@settings(max_examples=60, deadline=None)
@given(ftr=SERIES, complaints=SERIES)
def test_swapping_direction_and_negating_values_gives_the_same_triggers(
    ftr: list[float], complaints: list[float]
) -> None:
    plain = readings(monthly("ftr", ftr), monthly("complaints", complaints))
    negated = readings(
        monthly("ftr", [-v for v in ftr]), monthly("complaints", [-v for v in complaints])
    )
    one = pz.triggers(CARD, plain).table[["kind", "measure", "on"]]
    other = pz.triggers(_mirror(CARD), negated).table[["kind", "measure", "on"]]
    pd.testing.assert_frame_equal(one, other)


@settings(max_examples=40, deadline=None)
@given(value=st.floats(-1e9, 1e9, allow_nan=False), n=st.integers(1, 30))
def test_a_constant_series_inside_its_alerts_never_triggers(value: float, n: int) -> None:
    card = replace(
        CARD, measures=tuple(replace(m, alert_below=None, alert_above=None) for m in CARD)
    )
    found = pz.triggers(
        card, readings(monthly("ftr", [value] * n), monthly("complaints", [value] * n))
    )
    assert found.table.empty


def test_the_example_triggers_and_the_controls_deliver() -> None:
    ex = pz.example_dir()
    card = pz.load_scorecard()
    rows = pz.load_readings(ex / "readings.csv", card)
    deliveries = pz.load_deliveries(ex / "deliveries.csv", card)
    events = pz.load_events(ex / "events.csv")
    realisation = pz.benefit_realisation(card, rows, deliveries, today=dt.date(2026, 12, 1))
    ftr = realisation.table[realisation.table["measure"] == "first_time_right"]
    assert (ftr["after"] > ftr["before"]).all()
    assert set(ftr["requirement_id"]) >= {"REQ-001", "REQ-009"}
    first = rows.for_measure("first_time_right")["value"]
    assert math.isclose(first.iloc[0], 71.0) and first.iloc[-1] > 83
    found = pz.triggers(
        card,
        rows,
        deliveries=deliveries,
        evaluation=pz.evaluate_example(),
        events=events,
        since=dt.date(2026, 9, 1),
    )
    measures = set(found.table.loc[found.table["kind"] == "threshold", "measure"])
    assert "complaints" in measures
    assert "REQ-009" in found.requirements  # its expected effect on complaints
    assert (found.table["kind"] == "event").any()
    assert np.all(found.table["evidence"].str.len() > 0)


def test_an_event_that_names_its_requirements_flags_only_those() -> None:
    """Hand-checked on the example: the e-invoicing event concerns four requirements; without
    naming them it would flag every undecided requirement scored on legal necessity."""
    ev = pz.evaluate_example()
    card = pz.load_scorecard()
    readings = pz.load_readings(pz.example_dir() / "readings.csv", card)
    (event,) = pz.load_events(pz.example_dir() / "events.csv")
    assert event.requirements == ("REQ-001", "REQ-003", "REQ-007", "REQ-021")
    named = pz.triggers(card, readings, evaluation=ev, events=[event]).table
    flagged = set(named.loc[named["kind"] == "event", "requirement_id"])
    assert flagged == set(event.requirements)
    everyone = pz.triggers(
        card, readings, evaluation=ev, events=[replace(event, requirements=())]
    ).table
    wide = set(everyone.loc[everyone["kind"] == "event", "requirement_id"])
    assert flagged < wide and len(wide) == len(ev.table)
