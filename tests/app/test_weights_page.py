"""The Weights page, driven with streamlit.testing over a real SQLite council (the bundled
example, revealed) and read back through the store: a member proposes weights by points or
AHP pairwise comparisons, proposals stay blind while scoring, the council's weights are
shown with their spread, and the facilitator adopts them as a logged decision. The
Sensitivity page then offers SMAA over the members' own weights."""

from __future__ import annotations

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from prioritize.council.decisions import ADOPT_WEIGHTS
from prioritize.store import Store
from prioritize.store.example import ExampleImport
from prioritize.weights import pairs
from tests.app.test_pages import keys, signed_in, texts

Council = tuple[Store, ExampleImport]


def _points(store: Store, round_id: int, heavy: str, share: int) -> dict[str, float]:
    ids = list(store.session("m01", "m01-demo").criteria(round_id).ids)
    rest = (100 - share) / (len(ids) - 1)
    return {c: float(share if c == heavy else rest) for c in ids}


def _propose(store: Store, member: str, round_id: int, heavy: str, share: int) -> None:
    store.session(member, f"{member}-demo").propose_weights(
        round_id, "points", {"points": _points(store, round_id, heavy, share)}, f"{member} says"
    )


def _has_table(at: AppTest, column: str) -> bool:
    """Whether the page shows a table with ``column`` (AppTest does not expose a
    dataframe's key, so tables are found by their columns)."""
    return any(column in d.value.columns for d in at.dataframe)


def _on_weights(store: Store, member: str) -> AppTest:
    at = signed_in(store, member, "weights")
    assert not at.exception, at.exception
    return at


def test_a_member_proposes_points_and_reads_them_back(council: Council) -> None:
    store, example = council
    at = _on_weights(store, "m02")
    ids = list(store.session("m02", "m02-demo").criteria(example.round.id).ids)
    assert at.radio(key="weights-method").value == "points"
    # the save button waits for a complete answer
    assert at.button(key="weights-save").disabled
    for i, cid in enumerate(ids):
        at.number_input(key=f"weights-points-{cid}").set_value(30.0 if i == 0 else 70 / 9)
    at.text_area(key="weights-reason").input("Customers first: complaints doubled")
    at.run()
    assert not at.exception, at.exception
    # 30 + 9 x 70/9 is 100 within floating point: the core decides, the page only shows
    caption = texts(at)
    assert "Total: 100 of 100 points." in caption
    at.button(key="weights-save").click().run()
    assert not at.exception, at.exception
    saved = store.session("m02", "m02-demo").weight_proposals(example.round.id)
    assert saved.members == ["m02"]
    assert saved.weights.loc["m02", ids[0]] == pytest.approx(0.3)
    assert saved.table.at["m02", "reason"] == "Customers first: complaints doubled"
    # revealed round: the council's section shows the proposal side by side
    assert _has_table(at, "who")


def test_points_that_do_not_add_up_are_refused_on_the_page(council: Council) -> None:
    store, example = council
    at = _on_weights(store, "m02")
    ids = list(store.session("m02", "m02-demo").criteria(example.round.id).ids)
    for cid in ids:
        at.number_input(key=f"weights-points-{cid}").set_value(9.0)
    at.run()
    warnings = " ".join(w.value for w in at.warning)
    assert "90" in warnings and "100" in warnings
    assert at.button(key="weights-save").disabled


def test_an_inconsistent_ahp_answer_names_the_judgements_to_revisit(council: Council) -> None:
    store, example = council
    at = _on_weights(store, "m05")
    at.radio(key="weights-method").set_value("ahp").run()
    ids = list(store.session("m05", "m05-demo").criteria(example.round.id).ids)
    asked = pairs(ids)
    assert len(asked) == len(ids) * (len(ids) - 1) // 2
    # a cycle: each criterion beats the next strongly, the last beats the first
    for a, b in asked:
        i, j = ids.index(a), ids.index(b)
        at.radio(key=f"weights-ahp-more-{i}-{j}").set_value(a if j == i + 1 else b)
    at.run()
    for a, b in asked:
        i, j = ids.index(a), ids.index(b)
        at.select_slider(key=f"weights-ahp-much-{i}-{j}").set_value(9)
    at.run()
    assert not at.exception, at.exception
    assert any("contradict" in w.value for w in at.warning), texts(at)
    assert _has_table(at, "you said")


def test_proposals_stay_blind_while_scoring(council: Council) -> None:
    store, example = council
    facilitator = store.session("m01", "m01-demo")
    blind = facilitator.start_from(example.round.id, "Next quarter")
    facilitator.start_scoring(blind.id)
    _propose(store, "m02", blind.id, "customer_impact", 40)
    at = signed_in(store, "m03", None)
    at.session_state["council_round"] = blind.id
    at.switch_page("prioritize/app/views/weights.py")
    at.run()
    assert not at.exception, at.exception
    shown = texts(at) + " ".join(str(d.value) for d in at.dataframe)
    assert "m02 says" not in shown
    assert not _has_table(at, "who")
    assert "after the reveal" in texts(at)


def test_the_facilitator_adopts_the_council_mean(council: Council) -> None:
    store, example = council
    round_id = example.round.id
    _propose(store, "m02", round_id, "customer_impact", 40)
    _propose(store, "m06", round_id, "implementation_cost", 40)
    at = _on_weights(store, "m01")
    assert at.selectbox(key="weights-aggregation").options == [
        "Mean of the members' weights",
        "Median of the members' weights",
    ]
    at.button(key="weights-adopt").click().run()
    assert not at.exception, at.exception
    facilitator = store.session("m01", "m01-demo")
    mean = facilitator.weight_proposals(round_id).aggregate("mean").weights
    np.testing.assert_allclose(
        facilitator.criteria(round_id).weights[mean.index].to_numpy(), mean.to_numpy(), atol=1e-12
    )
    log = facilitator.decisions(round_id)
    adopted = log[log["outcome"] == ADOPT_WEIGHTS]
    assert len(adopted) == 1 and adopted["category"].iloc[0] == "mean"
    assert _has_table(at, "adopted by")
    assert store.verify_log().ok


def test_other_weights_without_a_rationale_are_refused(council: Council) -> None:
    store, example = council
    round_id = example.round.id
    _propose(store, "m02", round_id, "customer_impact", 40)
    before = store.session("m01", "m01-demo").criteria(round_id).weights
    at = _on_weights(store, "m01")
    at.number_input(key="weights-other-customer_impact").set_value(90.0)
    at.button(key="weights-adopt-other").click().run()
    assert any("rationale" in e.value for e in at.error), texts(at)
    after = store.session("m01", "m01-demo").criteria(round_id).weights
    np.testing.assert_array_equal(before.to_numpy(), after.to_numpy())


def test_a_member_sees_no_adopt_button(council: Council) -> None:
    store, example = council
    _propose(store, "m02", example.round.id, "customer_impact", 40)
    at = _on_weights(store, "m03")
    assert "weights-adopt" not in keys(at)
    assert _has_table(at, "who")


def test_sensitivity_offers_smaa_over_the_members_weights(council: Council) -> None:
    store, example = council
    _propose(store, "m02", example.round.id, "customer_impact", 40)
    _propose(store, "m06", example.round.id, "implementation_cost", 40)
    at = signed_in(store, "m03", "sensitivity")
    assert not at.exception, at.exception
    box = at.selectbox(key="smaa-weights")
    assert box.options[0] == "members" and box.value == "members"
    # the members' own weights drew a result (a chart of the uncertain placements or the
    # words that none is uncertain)
    assert not at.exception, at.exception
