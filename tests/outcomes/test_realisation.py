"""Benefit realisation: before/after by hand, the status rule, shared attribution."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import prioritize as pz
from tests.outcomes.support import CARD, day, monthly, readings

# First-time-right, monthly from 2026-01-01:
#   Jan 70, Feb 72, Mar 71, Apr 74 | May 78, Jun 80, Jul 79, Aug 81
FTR = monthly("ftr", [70, 72, 71, 74, 78, 80, 79, 81])
# Complaints, monthly from 2026-01-01: 6, 6, 7, 6 | 5, 5, 4, 4
COMPLAINTS = monthly("complaints", [6, 6, 7, 6, 5, 5, 4, 4])
TODAY = day("2026-12-01")


def one(live_on: str, *effects: pz.ExpectedEffect, rid: str = "REQ-1") -> pz.Delivery:
    return pz.Delivery(rid, f"title of {rid}", day(live_on), effects)


def test_hand_computed_before_and_after() -> None:
    delivery = one("2026-05-01", pz.ExpectedEffect("ftr", 8.0, day("2026-09-30")))
    result = pz.benefit_realisation(CARD, readings(FTR), [delivery], today=TODAY)
    row = result.table.iloc[0]
    # before: the 3 readings strictly before 2026-05-01: Feb 72, Mar 71, Apr 74 -> 217/3
    assert row["before"] == pytest.approx(217 / 3)
    # after: the first 3 on or after 2026-05-01: May 78, Jun 80, Jul 79 -> 237/3
    assert row["after"] == pytest.approx(237 / 3)
    # change: 237/3 - 217/3 = 20/3 = 6.67 points, at least half the +8 expected: delivering
    assert row["change"] == pytest.approx(20 / 3)
    assert (row["n_before"], row["n_after"]) == (3, 3)
    assert row["status"] == "delivering"
    assert "+6.7 points" in row["explanation"] and "+8.0 points" in row["explanation"]
    assert list(result.table.columns) == list(pz.outcomes.REALISATION_COLUMNS)


def test_a_go_live_mid_month_splits_on_the_day() -> None:
    # live 2026-04-15: before Jan 70, Feb 72, Mar 71, Apr 74 -> the last 3: 72, 71, 74
    # after: May 78, Jun 80, Jul 79. The April reading is dated the 1st: before.
    delivery = one("2026-04-15", pz.ExpectedEffect("ftr", 8.0))
    row = pz.benefit_realisation(CARD, readings(FTR), [delivery], today=TODAY).table.iloc[0]
    assert row["before"] == pytest.approx(217 / 3) and row["after"] == pytest.approx(237 / 3)


def test_lower_is_better() -> None:
    delivery = one("2026-05-01", pz.ExpectedEffect("complaints", -1.5))
    row = pz.benefit_realisation(CARD, readings(COMPLAINTS), [delivery], today=TODAY).table.iloc[0]
    # before: 6, 7, 6 -> 19/3; after: 5, 5, 4 -> 14/3; change -5/3 = -1.67, better by 1.67
    # >= 0.75 (half of 1.5): delivering
    assert row["change"] == pytest.approx(-5 / 3)
    assert row["status"] == "delivering"


def test_not_yet_delivering_when_less_than_half_and_the_date_has_passed() -> None:
    delivery = one("2026-05-01", pz.ExpectedEffect("ftr", 20.0, day("2026-09-30")))
    row = pz.benefit_realisation(CARD, readings(FTR), [delivery], today=TODAY).table.iloc[0]
    # +6.67 < 10 (half of 20), and 2026-09-30 has passed
    assert row["status"] == "not yet delivering"
    before_due = pz.benefit_realisation(CARD, readings(FTR), [delivery], today=day("2026-08-15"))
    assert before_due.table.iloc[0]["status"] == "too early to tell"


def test_too_early_with_fewer_than_window_readings_after() -> None:
    delivery = one("2026-07-01", pz.ExpectedEffect("ftr", 1.0))
    row = pz.benefit_realisation(CARD, readings(FTR), [delivery], today=TODAY).table.iloc[0]
    # after 2026-07-01: Jul 79, Aug 81 -> 2 of 3
    assert (row["n_after"], row["status"]) == (2, "too early to tell")
    assert row["after"] == pytest.approx(80.0)
    wide = pz.benefit_realisation(CARD, readings(FTR), [delivery], window=2, today=TODAY)
    assert wide.table.iloc[0]["status"] == "delivering"  # 80 - (71+74)/2 = 7.5 >= 0.5


def test_no_baseline_is_too_early() -> None:
    delivery = one("2025-06-01", pz.ExpectedEffect("ftr", 1.0))
    row = pz.benefit_realisation(CARD, readings(FTR), [delivery], today=TODAY).table.iloc[0]
    assert row["n_before"] == 0 and row["status"] == "too early to tell"
    assert math.isnan(row["before"])


def test_without_a_stated_change_the_spread_of_the_before_readings_is_the_bar() -> None:
    delivery = one("2026-05-01", pz.ExpectedEffect("ftr", math.nan))
    row = pz.benefit_realisation(CARD, readings(FTR), [delivery], today=TODAY).table.iloc[0]
    # spread before: max 74 - min 71 = 3; improvement 6.67 > 3: delivering
    assert math.isnan(row["expected"]) and row["status"] == "delivering"
    flat = one("2026-05-01", pz.ExpectedEffect("ftr", math.nan))
    noisy = monthly("ftr", [70, 60, 80, 70, 72, 73, 74])
    # spread before: 80 - 60 = 20; improvement (73 - 70) = 3: not delivering
    row = pz.benefit_realisation(CARD, readings(noisy), [flat], today=TODAY).table.iloc[0]
    assert row["status"] == "not yet delivering"


def test_the_whole_change_is_shared_never_split() -> None:
    first = one("2026-05-01", pz.ExpectedEffect("ftr", 8.0), rid="REQ-1")
    second = one("2026-06-01", pz.ExpectedEffect("ftr", 2.0), rid="REQ-2")
    elsewhere = one("2026-06-01", pz.ExpectedEffect("complaints", -1.0), rid="REQ-3")
    table = pz.benefit_realisation(
        CARD, readings(FTR, COMPLAINTS), [first, second, elsewhere], today=TODAY
    ).table.set_index(["requirement_id", "measure"])
    # REQ-1's span: Feb..Jul holds REQ-2's go-live (Jun); REQ-2's span Mar..Aug holds May
    assert table.loc[("REQ-1", "ftr"), "shared_with"] == "REQ-2"
    assert table.loc[("REQ-2", "ftr"), "shared_with"] == "REQ-1"
    assert table.loc[("REQ-3", "complaints"), "shared_with"] == ""
    # each shows the whole change over its own window: nothing is divided
    assert table.loc[("REQ-1", "ftr"), "change"] == pytest.approx(20 / 3)
    assert "shared with REQ-2" in table.loc[("REQ-1", "ftr"), "explanation"]


def test_a_delivery_without_effects_gives_no_row_and_str() -> None:
    result = pz.benefit_realisation(CARD, readings(FTR), [one("2026-05-01")], today=TODAY)
    assert result.table.empty and "No delivered requirement" in str(result)
    full = pz.benefit_realisation(
        CARD, readings(FTR), [one("2026-05-01", pz.ExpectedEffect("ftr", 8.0))], today=TODAY
    )
    assert "REQ-1 · ftr: delivering" in str(full)


@settings(max_examples=60, deadline=None)
@given(
    values=st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=1, max_size=20),
    live=st.integers(0, 22),
    window=st.integers(1, 5),
)
def test_change_is_after_minus_before(values: list[float], live: int, window: int) -> None:
    frame = monthly("ftr", values)
    live_on = (np.datetime64("2026-01-01", "M") + live).astype("datetime64[D]").item()
    delivery = pz.Delivery("R", "r", live_on, (pz.ExpectedEffect("ftr", 1.0),))
    row = pz.benefit_realisation(
        CARD, readings(frame), [delivery], window=window, today=TODAY
    ).table.iloc[0]
    split = min(live, len(values))
    before, after = values[max(split - window, 0) : split], values[split : split + window]
    assert row["n_before"] == len(before) and row["n_after"] == len(after)
    if before and after:
        assert row["change"] == pytest.approx(row["after"] - row["before"])
        assert row["before"] == pytest.approx(np.mean(before))
    assert row["status"] in pz.outcomes.STATUSES
