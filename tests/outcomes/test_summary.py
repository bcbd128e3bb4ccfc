"""The triggers grouped by requirement, the unlinked ones, the statuses' colours and the
stated rules, on hand-made triggers."""

from __future__ import annotations

import pandas as pd
import pytest

from prioritize.outcomes import (
    STATUS_COLOURS,
    STATUSES,
    Triggers,
    flagged_requirements,
    stated_rule,
    unlinked_triggers,
)


def _triggers() -> Triggers:
    return Triggers(
        pd.DataFrame(
            {
                "kind": ["threshold", "trend", "threshold", "event"],
                "measure": ["complaints", "complaints", "data_quality", ""],
                "on": pd.to_datetime(["2026-11-01", "2026-11-01", "2026-10-01", "2026-10-15"]),
                "evidence": ["past 5", "rose 1.5", "fell", "new law"],
                "requirement_id": ["REQ-2", "REQ-2", "", "REQ-1"],
                "link": ["criterion c", "criterion c", "", "legal event"],
            }
        )
    )


def test_each_flagged_requirement_is_listed_once_with_all_its_evidence() -> None:
    table = flagged_requirements(_triggers())
    assert table["requirement_id"].tolist() == ["REQ-2", "REQ-1"]
    assert table["triggers"].tolist() == [2, 1]
    assert table.loc[0, "flagged_by"] == "threshold: complaints; trend: complaints"
    assert table.loc[0, "evidence"] == ("threshold 2026-11-01: past 5\ntrend 2026-11-01: rose 1.5")
    assert table.loc[1, "flagged_by"] == "legal event"


def test_a_measure_that_flags_nobody_is_listed_apart() -> None:
    alone = unlinked_triggers(_triggers())
    assert alone[["kind", "measure", "evidence"]].values.tolist() == [
        ["threshold", "data_quality", "fell"]
    ]


def test_no_trigger_gives_empty_tables() -> None:
    empty = Triggers(_triggers().table.iloc[:0])
    assert flagged_requirements(empty).empty and unlinked_triggers(empty).empty


def test_every_status_has_a_colour_and_the_rules_are_quoted() -> None:
    assert set(STATUS_COLOURS) == set(STATUSES)
    assert "never split" in stated_rule("Attribution")
    assert stated_rule("Status").startswith("too early to tell while")
    with pytest.raises(KeyError):
        stated_rule("No such rule")


def test_measures_are_named_when_names_are_given() -> None:
    table = flagged_requirements(_triggers(), {"complaints": "Complaints"})
    assert table.loc[0, "flagged_by"] == "threshold: Complaints; trend: Complaints"
