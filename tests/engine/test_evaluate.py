"""evaluate(): the model of SPEC "The model", checked by hand on a tiny council and on the
bundled example with arithmetic written here, not taken from the library."""

from __future__ import annotations

import csv
import statistics
import warnings
from collections import defaultdict
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

import prioritize as pz
from prioritize import resources

MEMBERS = pd.DataFrame(
    {
        "id": ["ann", "fin", "sam"],
        "name": ["Ann", "Fin", "Sam"],
        "department": ["Legal", "Finance", "Sales"],
    }
)

#: requirement -> criterion -> (ann, fin, sam); None = no score. Owners: legal = Legal (ann),
#: cost = Finance (fin); sam's scores there are advisory and must not count.
TINY_SCORES: dict[str, dict[str, tuple[float | None, ...]]] = {
    "R1": {"impact": (5, 4, 3), "legal": (5, 1, 1), "cost": (9, 2, 9)},
    "R2": {"impact": (1, 1, 1), "legal": (1, 1, 5), "cost": (8, 8, 0)},
    "R3": {"impact": (1, 1, 1), "legal": (5, 5, 5), "cost": (8, 8, 8)},
    "R4": {"impact": (5, 5, 5), "legal": (3, 3, 3), "cost": (9, 9, 9)},
    "R5": {"impact": (4, 4, 4), "legal": (1, 1, 1), "cost": (1, 1, 1)},
    "R6": {"impact": (2, 2, 2), "legal": (2, 2, 2), "cost": (7, 7, 7)},
    "R8": {"impact": (2, 2, 2), "legal": (2, 2, 2), "cost": (7, 7, 7)},
    "R7": {"impact": (3, 3, 3), "legal": (None, 3, 3), "cost": (5, 5, 5)},
}


def tiny_inputs() -> tuple[pd.DataFrame, pd.DataFrame]:
    rows = []
    for rid, by_criterion in TINY_SCORES.items():
        for cid, values in by_criterion.items():
            for member, value in zip(MEMBERS["id"], values, strict=True):
                if value is not None:
                    rows.append(
                        {"requirement_id": rid, "member": member, "criterion": cid, "score": value}
                    )
    requirements = pd.DataFrame({"id": list(TINY_SCORES), "title": [f"t{r}" for r in TINY_SCORES]})
    return requirements, pd.DataFrame(rows)


@pytest.fixture
def tiny_eval(tiny: pz.CriteriaSet) -> pz.Evaluation:
    requirements, scores = tiny_inputs()
    with pytest.warns(pz.IncompleteScoresWarning, match="R7"):
        return pz.evaluate(tiny, requirements, scores, members=MEMBERS)


class TestTinyCouncilByHand:
    def test_scores(self, tiny_eval: pz.Evaluation) -> None:
        # S = 0.5 u_impact + 0.2 u_legal + 0.3 u_cost; u_cost = 1 - cost/10.
        expected = {
            "R1": 0.5 * 0.75 + 0.2 * 1 + 0.3 * 0.8,
            "R2": 0.3 * 0.2,
            "R3": 0.2 * 1 + 0.3 * 0.2,
            "R4": 0.5 * 1 + 0.2 * 0.5 + 0.3 * 0.1,
            "R5": 0.5 * 0.75 + 0.3 * 0.9,
            "R6": 0.5 * 0.25 + 0.2 * 0.25 + 0.3 * 0.3,
            "R8": 0.5 * 0.25 + 0.2 * 0.25 + 0.3 * 0.3,
        }
        table = tiny_eval.table
        for rid, score in expected.items():
            assert table.loc[rid, "score"] == pytest.approx(score), rid

    def test_order_ranks_and_ties(self, tiny_eval: pz.Evaluation) -> None:
        table = tiny_eval.table
        assert list(table.index) == ["R1", "R5", "R4", "R6", "R8", "R3", "R2"]
        assert table["rank"].tolist() == [1, 2, 3, 4, 4, 6, 7]
        assert table["tied"].tolist() == [False, False, False, True, True, False, False]

    def test_categories_and_rules(self, tiny_eval: pz.Evaluation) -> None:
        table = tiny_eval.table
        assert table["category"].astype(str).to_dict() == {
            "R1": "Immediate control",  # urgency 1 >= 0.7, effort 0.2 < 0.5
            "R5": "High-value improvement",  # value 0.75
            "R4": "Strategic investment",  # value 1, effort 0.9
            "R6": "Low-value request",  # effort 0.7, value 0.25
            "R8": "Low-value request",
            "R3": "Limited enhancement",  # mandatory: skips Harmful and Low-value
            "R2": "Harmful requirement",  # value 0 < 0.2, net -0.8
        }
        assert table.loc["R3", "rule"] == 6 and table.loc["R2", "rule"] == 2

    def test_owners_only(self, tiny_eval: pz.Evaluation) -> None:
        agg = tiny_eval.aggregated
        assert agg.loc["R1", "legal"] == 5  # ann only; fin and sam gave 1
        assert agg.loc["R1", "cost"] == 2  # fin only; ann and sam gave 9
        assert agg.loc["R1", "impact"] == 4  # everybody

    def test_gate_makes_mandatory_and_says_so(self, tiny_eval: pz.Evaluation) -> None:
        table = tiny_eval.table
        assert table["mandatory"].to_dict() == {r: r in ("R1", "R3") for r in table.index}
        assert table.loc["R3", "explanation"].startswith("Mandatory (Legal 5.0 >= 5). ")

    def test_explanations_quote_rule_and_numbers(self, tiny_eval: pz.Evaluation) -> None:
        text = tiny_eval.table.loc["R2", "explanation"]
        assert text == (
            "Harmful requirement (rule 2: value < 0.20 and net_value < 0.00): "
            "value 0.00, net_value -0.80"
        )
        assert "no earlier rule matched" in tiny_eval.table.loc["R3", "explanation"]

    def test_unscored_is_reported_not_ranked_last(self, tiny_eval: pz.Evaluation) -> None:
        assert "R7" not in tiny_eval.table.index
        assert tiny_eval.unscored.loc["R7", "missing"] == "legal"
        assert any("R7" in note for note in tiny_eval.notes)

    def test_axes(self, tiny_eval: pz.Evaluation) -> None:
        row = tiny_eval.table.loc["R4"]
        assert (row["value"], row["effort"], row["urgency"]) == pytest.approx((1.0, 0.9, 0.5))
        assert row["net_value"] == pytest.approx(0.1)


class TestOptions:
    def test_without_members_owners_are_ignored_with_a_warning(self, tiny: pz.CriteriaSet) -> None:
        requirements, scores = tiny_inputs()
        with pytest.warns(pz.OwnersIgnoredWarning, match="legal, cost"):
            ev = pz.evaluate(tiny, requirements, scores)
        assert ev.aggregated.loc["R1", "legal"] == pytest.approx(7 / 3)
        assert "R7" in ev.table.index  # fin and sam scored legal, and now they count

    def test_median_and_trimmed(self, tiny: pz.CriteriaSet) -> None:
        requirements, scores = tiny_inputs()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", pz.IncompleteScoresWarning)
            median = pz.evaluate(tiny, requirements, scores, members=MEMBERS, aggregation="median")
            trimmed = pz.evaluate(
                tiny, requirements, scores, members=MEMBERS, aggregation="trimmed", trim=0.34
            )
        assert median.aggregated.loc["R1", "impact"] == 4
        assert trimmed.aggregated.loc["R1", "impact"] == 4  # 3 and 5 cut, 4 kept
        assert median.aggregation == "median"

    def test_unknown_aggregation(self, tiny: pz.CriteriaSet) -> None:
        requirements, scores = tiny_inputs()
        with pytest.raises(pz.ValidationError, match="unknown aggregation 'mode'"):
            pz.evaluate(tiny, requirements, scores, aggregation="mode")

    def test_nothing_scored_is_an_error(self, tiny: pz.CriteriaSet) -> None:
        requirements, scores = tiny_inputs()
        scores = scores[scores["criterion"] != "cost"]
        with pytest.raises(pz.ValidationError, match="no requirement has a usable score"):
            pz.evaluate(tiny, requirements, scores, members=MEMBERS)

    def test_score_for_unknown_member(self, tiny: pz.CriteriaSet) -> None:
        requirements, scores = tiny_inputs()
        scores = pd.concat(
            [
                scores,
                pd.DataFrame(
                    [{"requirement_id": "R1", "member": "eve", "criterion": "impact", "score": 3}]
                ),
            ],
            ignore_index=True,
        )
        with pytest.raises(pz.ValidationError, match="unknown member") as exc:
            pz.evaluate(tiny, requirements, scores, members=MEMBERS)
        assert exc.value.first.value == "eve"

    def test_new_weights_move_the_ranking(self, tiny: pz.CriteriaSet) -> None:
        requirements, scores = tiny_inputs()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", pz.IncompleteScoresWarning)
            ev = pz.evaluate(
                tiny.with_weights({"impact": 0.0}), requirements, scores, members=MEMBERS
            )
        assert ev.weights["impact"] == 0
        assert ev.table.index[0] == "R1"
        assert ev.table.loc["R4", "score"] == pytest.approx((0.2 * 0.5 + 0.3 * 0.1) / 0.5)

    def test_mandatory_without_an_allowed_rule_is_immediate_control(self) -> None:
        data = yaml.safe_load((resources.criteria_dir() / "customer-operations.yaml").read_text())
        data["matrix"]["categories"] = [{"category": "Low-value request", "when": {}}]
        cs = pz.load_criteria(data)
        requirements = pd.DataFrame({"id": ["R1"], "title": ["t"]})
        scores = pd.DataFrame(
            {"requirement_id": "R1", "member": "a", "criterion": list(cs.ids), "score": 5}
        )
        with pytest.warns(pz.OwnersIgnoredWarning):
            ev = pz.evaluate(cs, requirements, scores)
        assert ev.table.loc["R1", "category"] == "Immediate control"
        assert ev.table.loc["R1", "rule"] == 0
        assert (
            "no rule that may place a mandatory requirement matched"
            in ev.table.loc["R1", "explanation"]
        )


# --- the bundled example, recomputed with plain Python -------------------------------------


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_example_scores_recomputed_by_hand() -> None:
    folder = resources.example_dir()
    criteria = yaml.safe_load((resources.criteria_dir() / "customer-operations.yaml").read_text())
    department = {m["id"]: m["department"] for m in _read(folder / "members.csv")}
    spec = {c["id"]: c for c in criteria["criteria"]}
    collected: dict[tuple[str, str], list[float]] = defaultdict(list)
    for row in _read(folder / "scores.csv"):
        owners = spec[row["criterion"]].get("owners")
        if owners and department[row["member"]] not in owners:
            continue
        collected[(row["requirement_id"], row["criterion"])].append(float(row["score"]))
    total_weight = sum(c["weight"] for c in criteria["criteria"])
    axes = criteria["matrix"]["axes"]

    def utility(rid: str, cid: str) -> float:
        low, high = spec[cid]["scale"]["min"], spec[cid]["scale"]["max"]
        u = (statistics.fmean(collected[(rid, cid)]) - low) / (high - low)
        return 1 - u if spec[cid]["direction"] == "cost" else u

    def axis(rid: str, name: str) -> float:
        members = axes[name]["criteria"]
        weights = [spec[c]["weight"] for c in members]
        values = [utility(rid, c) for c in members]
        if axes[name].get("measure") == "burden":
            values = [1 - v for v in values]
        return sum(w * v for w, v in zip(weights, values, strict=True)) / sum(weights)

    ev = pz.evaluate_example()
    requirement_ids = [r["id"] for r in _read(folder / "requirements.csv")]
    assert sorted(ev.table.index) == sorted(requirement_ids)
    for rid in requirement_ids:
        by_hand = sum(spec[c]["weight"] * utility(rid, c) for c in spec) / total_weight
        row = ev.table.loc[rid]
        assert row["score"] == pytest.approx(by_hand, abs=1e-12), rid
        for name in ("value", "effort", "urgency"):
            assert row[name] == pytest.approx(axis(rid, name), abs=1e-12), (rid, name)


def test_example_has_all_six_categories_and_a_mandatory_item() -> None:
    ev = pz.evaluate_example()
    assert set(ev.table["category"].astype(str)) == set(pz.CATEGORIES)
    assert ev.table["mandatory"].any()
    assert len(ev.table) >= 24
    assert ev.unscored.empty
    ranked = ev.table.sort_values("score", ascending=False, kind="stable")
    assert np.all(np.diff(ranked["rank"].to_numpy()) >= 0)


def test_a_measure_on_a_threshold_is_at_it_whatever_the_float_noise() -> None:
    from prioritize.engine.matrix import categorize
    from prioritize.load.matrix import DEFAULT_RULES

    def place(value: float) -> int:
        values = {"value": np.array([value]), "effort": np.array([0.1]), "urgency": np.array([0.0])}
        values["net_value"] = values["value"] - values["effort"]
        values["score"] = values["value"]
        return int(categorize(values, np.array([False]), DEFAULT_RULES)[0])

    # value >= 0.6 is High-value improvement (rule 4, index 3), just below is not.
    assert place(0.6) == place(0.6 - 1e-12) == place(0.6 + 1e-12) == 3
    assert place(0.6 - 1e-6) == 5


def test_an_evaluation_pickles() -> None:
    """Results cross process boundaries and st.cache_data, which pickle them."""
    import pickle

    ev = pz.evaluate_example()
    again = pickle.loads(pickle.dumps(ev))
    assert again.criteria == ev.criteria
    pd.testing.assert_frame_equal(again.table, ev.table)
    assert again.criteria["legal_necessity"].scale.levels[5].startswith("Required by law")
