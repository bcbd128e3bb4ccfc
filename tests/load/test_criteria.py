"""Criteria sets: the bundled default, validation of every malformed input, defaults."""

from __future__ import annotations

import hashlib
import warnings
from pathlib import Path
from typing import Any

import pytest
import yaml

import prioritize as pz
from prioritize import resources
from tests.conftest import tiny_criteria_mapping


def write(tmp_path: Path, data: Any, name: str = "set.yaml") -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else yaml.safe_dump(data), encoding="utf-8")
    return path


def problems_of(exc: pytest.ExceptionInfo[pz.ValidationError]) -> list[pz.Problem]:
    return list(exc.value.problems)


class TestBundledSet:
    def test_has_the_ten_criteria_of_the_spec(self) -> None:
        cs = pz.load_criteria("customer-operations")
        assert cs.version == 1
        assert cs.ids == (
            "customer_impact",
            "error_reduction",
            "revenue_retention",
            "legal_necessity",
            "operational_feasibility",
            "implementation_cost",
            "time_required",
            "data_security_risk",
            "employee_effort",
            "strategic_alignment",
        )
        assert cs.raw_weights.sum() == pytest.approx(1.0)

    def test_every_level_of_every_scale_is_anchored(self) -> None:
        for criterion in pz.load_criteria("customer-operations"):
            assert (criterion.scale.min, criterion.scale.max) == (1, 5)
            assert sorted(criterion.scale.levels) == [1, 2, 3, 4, 5], criterion.id
            assert len(set(criterion.scale.levels.values())) == 5, criterion.id

    def test_owners_and_gate(self) -> None:
        cs = pz.load_criteria("customer-operations")
        assert cs["legal_necessity"].owners == ("Legal",)
        assert cs["implementation_cost"].owners == ("Finance",)
        assert cs["data_security_risk"].owners == ("IT",)
        gate = cs["legal_necessity"].gate
        assert gate is not None and gate.at_least == 5

    def test_matrix_is_explicit_with_a_catch_all(self) -> None:
        matrix = pz.load_criteria("customer-operations").matrix
        assert not matrix.defaulted
        assert [a.name for a in matrix.axes] == ["value", "effort", "urgency"]
        assert matrix.axis("effort").measure == "burden"
        assert {r.category for r in matrix.rules} == set(pz.CATEGORIES)
        assert matrix.rules[-1].conditions == ()

    def test_name_and_path_load_the_same_set_with_the_file_hash(self) -> None:
        path = resources.criteria_dir() / "customer-operations.yaml"
        by_name = pz.load_criteria("customer-operations")
        by_path = pz.load_criteria(path)
        assert by_name.criteria == by_path.criteria
        assert by_path.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
        assert "customer-operations" in pz.bundled_criteria()


class TestBadInput:
    def test_malformed_yaml_names_file_and_line(self, tmp_path: Path) -> None:
        path = write(tmp_path, "version: 1\ncriteria:\n  - id: a\n    name: [unclosed\n")
        with pytest.raises(pz.ValidationError) as exc:
            pz.load_criteria(path)
        problem = exc.value.first
        assert problem.file == str(path)
        assert "malformed YAML" in problem.message
        assert isinstance(problem.row, int) and problem.row >= 4

    def test_yaml_tags_never_become_objects(self, tmp_path: Path) -> None:
        path = write(tmp_path, "version: 1\ncriteria: !!python/object/apply:os.system ['echo x']\n")
        with pytest.raises(pz.ValidationError, match="malformed YAML"):
            pz.load_criteria(path)

    @pytest.mark.parametrize(
        ("key", "value", "column"),
        [
            ("group", "politics", "group"),
            ("direction", "up", "direction"),
            ("weight", -0.1, "weight"),
            ("weight", "heavy", "weight"),
            ("id", "Customer Impact", "id"),
            ("scale", {"min": 5, "max": 1}, "scale"),
        ],
    )
    def test_bad_field_is_named(self, tmp_path: Path, key: str, value: Any, column: str) -> None:
        data = tiny_criteria_mapping()
        data["criteria"][1][key] = value
        with pytest.raises(pz.ValidationError) as exc:
            pz.load_criteria(write(tmp_path, data))
        problem = exc.value.first
        assert problem.column == column
        assert problem.row is not None and str(problem.row).startswith("criterion 2")
        assert repr(value) == problem.value
        assert problem.expected

    def test_every_problem_is_reported_at_once(self, tmp_path: Path) -> None:
        data = tiny_criteria_mapping()
        data["criteria"][0]["group"] = "politics"
        data["criteria"][2]["direction"] = "sideways"
        with pytest.raises(pz.ValidationError) as exc:
            pz.load_criteria(write(tmp_path, data))
        assert {p.column for p in exc.value.problems} == {"group", "direction"}

    def test_all_weights_zero(self, tmp_path: Path) -> None:
        data = tiny_criteria_mapping()
        for item in data["criteria"]:
            item["weight"] = 0
        with pytest.raises(pz.ValidationError, match="all weights are zero"):
            pz.load_criteria(write(tmp_path, data))

    def test_weights_not_summing_to_one_warn_and_are_normalised(self, tmp_path: Path) -> None:
        data = tiny_criteria_mapping()
        for item, weight in zip(data["criteria"], (5, 2, 3), strict=True):
            item["weight"] = weight
        with pytest.warns(pz.WeightsNormalisedWarning, match="sum to 10"):
            cs = pz.load_criteria(write(tmp_path, data))
        assert cs.raw_weights.tolist() == [5, 2, 3]
        assert cs.weights.tolist() == pytest.approx([0.5, 0.2, 0.3])

    def test_weights_summing_to_one_do_not_warn(self, tmp_path: Path) -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            pz.load_criteria(write(tmp_path, tiny_criteria_mapping()))

    def test_duplicate_ids(self, tmp_path: Path) -> None:
        data = tiny_criteria_mapping()
        data["criteria"][2]["id"] = "impact"
        with pytest.raises(pz.ValidationError) as exc:
            pz.load_criteria(write(tmp_path, data))
        assert "duplicate criterion id" in exc.value.first.message
        assert exc.value.first.value == "impact"

    @pytest.mark.parametrize(
        ("text", "fragment"),
        [
            ("", "empty"),
            ("- just\n- a list\n", "not a mapping"),
            ("version: 7\ncriteria: []\n", "unsupported or missing version"),
            ("version: 1\ncriteria: []\n", "no criteria"),
        ],
    )
    def test_empty_or_wrong_shape(self, tmp_path: Path, text: str, fragment: str) -> None:
        with pytest.raises(pz.ValidationError, match=fragment):
            pz.load_criteria(write(tmp_path, text))

    def test_unknown_name_lists_the_bundled_sets(self) -> None:
        with pytest.raises(pz.ValidationError, match="customer-operations"):
            pz.load_criteria("no-such-set")

    def test_gate_outside_scale(self, tmp_path: Path) -> None:
        data = tiny_criteria_mapping()
        data["criteria"][1]["gate"] = {"at_least": 9}
        with pytest.raises(pz.ValidationError, match="gate threshold outside the scale"):
            pz.load_criteria(write(tmp_path, data))


class TestMatrixSection:
    def test_defaults_come_from_groups(self, tiny: pz.CriteriaSet) -> None:
        matrix = tiny.matrix
        assert matrix.defaulted
        assert matrix.axis("value").criteria == ("impact",)
        assert matrix.axis("effort").criteria == ("cost",)
        assert matrix.axis("effort").measure == "burden"
        assert matrix.axis("urgency").criteria == ("legal",)

    def test_axis_without_criteria_is_zero_and_says_so(self) -> None:
        data = tiny_criteria_mapping()
        data["criteria"] = [{**data["criteria"][0], "weight": 1.0}]
        cs = pz.load_criteria(data)
        assert any("effort axis has no criteria" in note for note in cs.matrix.notes)
        ev = pz.evaluate(
            cs,
            [{"id": "R1", "title": "t"}],
            [{"requirement_id": "R1", "member": "a", "criterion": "impact", "score": 4}],
        )
        assert ev.table.loc["R1", "effort"] == 0.0
        assert ev.table.loc["R1", "urgency"] == 0.0
        assert any("effort axis has no criteria" in note for note in ev.notes)

    def _with_matrix(self, tmp_path: Path, matrix: Any) -> Path:
        return write(tmp_path, tiny_criteria_mapping(matrix=matrix))

    def test_last_rule_must_be_catch_all(self, tmp_path: Path) -> None:
        matrix = {
            "axes": {
                "value": {"criteria": ["impact"]},
                "effort": {"criteria": ["cost"], "measure": "burden"},
                "urgency": {"criteria": ["legal"]},
            },
            "categories": [
                {"category": "Immediate control", "when": {"urgency": {"at_least": 0.5}}}
            ],
        }
        with pytest.raises(pz.ValidationError, match="catch-all"):
            pz.load_criteria(self._with_matrix(tmp_path, matrix))

    @pytest.mark.parametrize(
        ("rule", "fragment"),
        [
            ({"category": "Nice to have", "when": {}}, "unknown category"),
            (
                {"category": "Immediate control", "when": {"loudness": {"at_least": 1}}},
                "unknown measure",
            ),
            (
                {"category": "Immediate control", "when": {"value": {"above": 1}}},
                "bounds must be at_least and/or below",
            ),
            (
                {"category": "Immediate control", "when": {"value": {"below": "x"}}},
                "bound is not a number",
            ),
        ],
    )
    def test_bad_rules(self, tmp_path: Path, rule: Any, fragment: str) -> None:
        matrix = {
            "axes": {
                "value": {"criteria": ["impact"]},
                "effort": {"criteria": ["cost"], "measure": "burden"},
                "urgency": {"criteria": ["legal"]},
            },
            "categories": [rule, {"category": "Limited enhancement", "when": {}}],
        }
        with pytest.raises(pz.ValidationError, match=fragment) as exc:
            pz.load_criteria(self._with_matrix(tmp_path, matrix))
        assert exc.value.first.row == "category rule 1"

    def test_unknown_criterion_on_axis(self, tmp_path: Path) -> None:
        matrix = {
            "axes": {
                "value": {"criteria": ["impact", "charisma"]},
                "effort": {"criteria": ["cost"], "measure": "burden"},
                "urgency": {"criteria": ["legal"]},
            },
            "categories": [{"category": "Limited enhancement"}],
        }
        with pytest.raises(pz.ValidationError) as exc:
            pz.load_criteria(self._with_matrix(tmp_path, matrix))
        assert exc.value.first.value == "charisma"
        assert exc.value.first.column == "matrix.axes.value"


class TestWithWeights:
    def test_returns_a_new_set_and_leaves_the_old_one(self, tiny: pz.CriteriaSet) -> None:
        heavier = tiny.with_weights({"impact": 1.0})
        assert tiny["impact"].weight == 0.5
        assert heavier["impact"].weight == 1.0
        assert heavier.weights["impact"] == pytest.approx(1.0 / 1.5)
        assert heavier.ids == tiny.ids

    @pytest.mark.parametrize(
        ("weights", "fragment"),
        [
            ({"charisma": 1.0}, "unknown criterion"),
            ({"impact": -1}, "non-negative"),
            ({"impact": float("nan")}, "non-negative"),
            ({"impact": 0, "legal": 0, "cost": 0}, "all weights are zero"),
        ],
    )
    def test_rejects_bad_weights(
        self, tiny: pz.CriteriaSet, weights: dict[str, float], fragment: str
    ) -> None:
        with pytest.raises(pz.ValidationError, match=fragment):
            tiny.with_weights(weights)

    def test_is_frozen(self, tiny: pz.CriteriaSet) -> None:
        with pytest.raises(AttributeError):
            tiny.name = "other"  # type: ignore[misc]
