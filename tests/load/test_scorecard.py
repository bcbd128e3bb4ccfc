"""Scorecards: the bundled one, and every malformed input reported at once."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

import prioritize as pz
from prioritize import resources
from prioritize.load.scorecard import scorecard_from_text
from prioritize.model.scorecard import AREAS


def measure(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": "ftr",
        "name": "First-time-right",
        "area": "accuracy",
        "unit": "%",
        "direction": "higher",
        "owner": "Operations",
    }
    base.update(changes)
    return {k: v for k, v in base.items() if v is not None}


def card(*measures: dict[str, Any]) -> dict[str, Any]:
    return {"version": 1, "name": "Test", "measures": list(measures)}


class TestBundled:
    def test_the_measures_of_the_issue_and_first_time_right_first(self) -> None:
        sc = pz.load_scorecard("customer-operations")
        assert sc.version == 1
        assert sc.ids[0] == "first_time_right"
        assert "most important" in sc["first_time_right"].description
        assert "correction, re-entry, credit adjustment, callback or exception" in " ".join(
            sc["first_time_right"].description.split()
        )
        for needed in (
            "complaints",
            "corrected_orders",
            "correction_cost",
            "delivery_time",
            "on_time_promise",
            "margin_leakage",
            "compliance_exceptions",
            "process_adoption",
            "system_availability",
            "data_quality",
        ):
            assert needed in sc
        assert {m.area for m in sc} <= set(AREAS)
        assert len(sc.sha256 or "") == 64 and sc.yaml_text.startswith("#")

    def test_linked_criteria_are_those_of_the_bundled_criteria_set(self) -> None:
        criteria = pz.load_criteria("customer-operations")
        sc = pz.load_scorecard(criteria=criteria)
        assert sc["complaints"].criteria[0] == "customer_impact"
        assert all(m.criteria for m in sc)

    def test_the_default_is_the_bundled_one_and_text_round_trips(self) -> None:
        assert "customer-operations" in resources.bundled_scorecards()
        text = (resources.scorecard_dir() / "customer-operations.yaml").read_text()
        assert scorecard_from_text(text) == pz.load_scorecard()

    def test_directions(self) -> None:
        sc = pz.load_scorecard()
        assert sc["first_time_right"].is_better(80, than=71)
        assert sc["complaints"].is_better(4, than=6)
        assert not sc["complaints"].is_better(6, than=4)


class TestProblems:
    def test_every_problem_at_once_with_measure_and_key(self) -> None:
        bad = card(
            measure(area="marketing"),
            measure(id="ftr", direction="up"),
            measure(id="cx", alert={"below": 1, "above": 2}),
            measure(id="dx", target="high", trend={"window": 1, "change": 2}),
            measure(id="ex", alert={"above": "five"}, criteria=["customer_impact", "nope"]),
        )
        with pytest.raises(pz.ValidationError) as exc:
            pz.load_scorecard(bad, criteria=pz.load_criteria("customer-operations"))
        found = {(p.row, p.column, p.message) for p in exc.value.problems}
        assert ("measure 1", "area", "unknown area") in found
        assert ("measure 2", "direction", "bad direction") in found
        assert ("measure 3", "alert", "both alert bounds given") in found
        assert ("measure 4", "target", "target is not a number") in found
        assert (
            "measure 4",
            "trend.window",
            "trend window is not a whole number of at least 2",
        ) in found
        assert ("measure 5", "alert.above", "alert above is not a number") in found
        assert ("measure 5", "criteria", "unknown criterion") in found
        assert all(p.file == "<mapping>" for p in exc.value.problems)
        area = next(p for p in exc.value.problems if p.column == "area")
        assert area.value == "'marketing'" and "customer" in (area.expected or "")

    def test_duplicate_ids(self) -> None:
        with pytest.raises(pz.ValidationError) as exc:
            pz.load_scorecard(card(measure(), measure(name="Again")))
        (problem,) = exc.value.problems
        assert problem.row == "measure 2" and problem.column == "id" and problem.value == "ftr"
        assert "duplicate" in problem.message

    @pytest.mark.parametrize(
        ("data", "column"),
        [
            ({"version": 2, "name": "x", "measures": [measure()]}, "version"),
            ({"version": 1, "name": "x", "measures": []}, "measures"),
            ({"version": 1, "name": "", "measures": [measure()]}, "name"),
        ],
    )
    def test_top_level(self, data: dict[str, Any], column: str) -> None:
        with pytest.raises(pz.ValidationError) as exc:
            pz.load_scorecard(data)
        assert exc.value.first.column == column

    def test_unknown_key_and_missing_name(self) -> None:
        with pytest.raises(pz.ValidationError) as exc:
            pz.load_scorecard(card(measure(allert={"above": 1}, name=None)))
        columns = {p.column for p in exc.value.problems}
        assert {"allert", "name"} <= columns

    def test_a_file_names_itself_and_a_bundled_name_that_does_not_exist(
        self, tmp_path: Path
    ) -> None:
        path = tmp_path / "card.yaml"
        data = copy.deepcopy(card(measure(direction="sideways")))
        path.write_text(yaml.safe_dump(data), encoding="utf-8")
        with pytest.raises(pz.ValidationError) as exc:
            pz.load_scorecard(path)
        assert exc.value.first.file == str(path)
        with pytest.raises(pz.ValidationError, match="bundled scorecard"):
            pz.load_scorecard("no-such-card")

    def test_malformed_yaml_says_the_line(self) -> None:
        with pytest.raises(pz.ValidationError) as exc:
            scorecard_from_text("version: 1\nmeasures: [\n", "x.yaml")
        assert exc.value.first.file == "x.yaml" and "malformed" in exc.value.first.message
