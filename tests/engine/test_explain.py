"""explain() and compare(): contributions add up, boundaries are where the rules say."""

from __future__ import annotations

import pytest

import prioritize as pz
from prioritize.engine.matrix import nearest_boundary
from prioritize.model.matrix import CategoryRule, Condition


@pytest.fixture(scope="module")
def ev() -> pz.Evaluation:
    return pz.evaluate_example()


def test_contributions_sum_to_the_score(ev: pz.Evaluation) -> None:
    for rid in ev.table.index:
        e = pz.explain(ev, rid)
        assert e.contributions["contribution"].sum() == pytest.approx(e.score, abs=1e-12)
        assert list(e.contributions["contribution"]) == sorted(
            e.contributions["contribution"], reverse=True
        )
        assert e.category == ev.table.loc[rid, "category"]
        assert e.rule == ev.table.loc[rid, "rule"]


def test_explanation_text_names_rule_and_boundary(ev: pz.Evaluation) -> None:
    rid = ev.table.index[0]
    text = str(pz.explain(ev, rid))
    assert rid in text and "rule" in text and "contributions" in text


def test_boundary_distance_is_the_smallest_margin(ev: pz.Evaluation) -> None:
    """Brute force, treating the measures as free: crossing the reported boundary by a hair
    changes the rule that places the requirement, and no condition of the placing rule or of
    an earlier rule is nearer than the reported distance."""
    rules = ev.criteria.matrix.rules
    checked = 0
    for rid, row in ev.table.iterrows():
        b = pz.explain(ev, str(rid)).boundary
        if b is None:
            continue
        own = int(row["rule"]) - 1
        mandatory = bool(row["mandatory"])
        values = {m: float(row[m]) for m in ("value", "effort", "urgency", "net_value", "score")}
        assert b.distance == pytest.approx(abs(b.value - b.threshold))
        step = b.distance + 1e-9
        for c in rules[own].conditions if own >= 0 else ():
            x = values[c.measure]
            if c.at_least is not None:
                assert x - c.at_least >= b.distance - 1e-12
            if c.below is not None:
                assert c.below - x >= b.distance - 1e-12
        moved = dict(values)
        if b.category == "another category":
            # at_least holds with value >= threshold: step just below; below holds with
            # value < threshold: step onto it.
            moved[b.measure] = b.threshold - 1e-9 if b.value >= b.threshold else b.threshold
            assert _first_rule(moved, rules, mandatory) != own
        else:
            target = next(
                i
                for i, r in enumerate(rules)
                if r.category == b.category and i < (own if own >= 0 else len(rules))
            )
            for c in rules[target].conditions:
                if c.at_least is not None and moved[c.measure] < c.at_least:
                    assert c.at_least - moved[c.measure] <= step
                    moved[c.measure] = c.at_least
                if c.below is not None and moved[c.measure] >= c.below:
                    assert moved[c.measure] - c.below < step
                    moved[c.measure] = c.below - 1e-9
            assert _first_rule(moved, rules, mandatory) <= target
        checked += 1
    assert checked >= len(ev.table) // 2


def _first_rule(values: dict[str, float], rules: tuple[CategoryRule, ...], mandatory: bool) -> int:
    for index, rule in enumerate(rules):
        if mandatory and rule.category in ("Low-value request", "Harmful requirement"):
            continue
        if all(
            (c.at_least is None or values[c.measure] >= c.at_least)
            and (c.below is None or values[c.measure] < c.below)
            for c in rule.conditions
        ):
            return index
    return -1


def test_nearest_boundary_by_hand() -> None:
    rules = (
        CategoryRule("High-value improvement", (Condition("value", at_least=0.6),)),
        CategoryRule("Limited enhancement", ()),
    )
    inside = nearest_boundary({"value": 0.65}, 0, False, rules)
    assert inside is not None and inside.distance == pytest.approx(0.05)
    outside = nearest_boundary({"value": 0.5}, 1, False, rules)
    assert outside is not None and outside.distance == pytest.approx(0.1)
    assert outside.category == "High-value improvement"


def test_compare_differences_add_up_largest_first(ev: pz.Evaluation) -> None:
    a, b = ev.table.index[0], ev.table.index[-1]
    c = pz.compare(ev, a, b)
    assert c.difference > 0
    assert c.table["difference"].sum() == pytest.approx(c.difference, abs=1e-12)
    sizes = c.table["difference"].abs().tolist()
    assert sizes == sorted(sizes, reverse=True)
    assert "ranks above" in str(c)
    assert "ranks below" in str(pz.compare(ev, b, a))


def test_unknown_requirement(ev: pz.Evaluation) -> None:
    with pytest.raises(pz.ValidationError, match="unknown requirement 'NOPE'"):
        pz.explain(ev, "NOPE")
