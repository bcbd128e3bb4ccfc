"""The Sensitivity page speaks in the council's units: weights as points out of 100,
applied once per form submit, the requirements that move first, and every table in
criterion names and words."""

from __future__ import annotations

import pandas as pd
from streamlit.testing.v1 import AppTest

from prioritize.store import Store
from prioritize.store.example import ExampleImport
from tests.app.test_pages import signed_in, texts

RAISED = "time_required"


def weight_sliders(at: AppTest) -> dict[str, int]:
    """Criterion id -> points shown, from the ``weight-<round>-<criterion>`` sliders."""
    return {
        str(s.key).rsplit("-", 1)[-1]: int(s.value)
        for s in at.slider
        if str(s.key).startswith("weight-")
    }


def slider_for(at: AppTest, criterion: str) -> str:
    return next(
        str(s.key)
        for s in at.slider
        if str(s.key).startswith("weight-") and str(s.key).endswith(criterion)
    )


# AppTest does not carry st.dataframe keys; each table is known by a column of its own.
MARKERS = {
    "sensitivity-ranking": "places moved",
    "tornado-table": "category at weight 0",
    "stability-table": "weight may fall to",
}


def table(at: AppTest, key: str) -> pd.DataFrame:
    frames = [pd.DataFrame(d.value) for d in at.dataframe]
    found = [f for f in frames if MARKERS[key] in f.columns]
    assert len(found) == 1, key
    return found[0]


def council_weights(council: tuple[Store, ExampleImport]) -> dict[str, float]:
    store, example = council
    evaluation = store.session("m01", "m01-demo").evaluation(example.round.id)
    return {str(c): float(w) for c, w in evaluation.weights.items()}


def raise_one(at: AppTest, criterion: str = RAISED, to: int = 60) -> AppTest:
    at.slider(key=slider_for(at, criterion)).set_value(to)
    at.button(key="weights-apply").click()
    return at.run()


def test_sliders_show_the_councils_points(council: tuple[Store, ExampleImport]) -> None:
    store, _ = council
    at = signed_in(store, "m02", "sensitivity")
    assert not at.exception
    shown = weight_sliders(at)
    expected = {c: round(w * 100) for c, w in council_weights(council).items()}
    assert shown == expected
    assert 99 <= sum(shown.values()) <= 101
    assert all(s.min == 0 and s.max == 100 for s in at.slider if str(s.key).startswith("weight-"))


def test_nothing_changed_nothing_moves(council: tuple[Store, ExampleImport]) -> None:
    store, _ = council
    at = signed_in(store, "m02", "sensitivity")
    assert "No requirement moves" in texts(at)
    at.button(key="weights-apply").click()
    at.run()
    assert "No requirement moves" in texts(at)
    at.toggle(key="sensitivity-show-all").set_value(True)
    at.run()
    full = table(at, "sensitivity-ranking")
    assert len(full) > 0
    assert (full["places moved"] == 0).all()
    assert not full["changed?"].any()
    assert (full["rank now"] == full["council rank"]).all()


def test_a_raised_weight_reranks_once_applied(council: tuple[Store, ExampleImport]) -> None:
    store, _ = council
    at = signed_in(store, "m02", "sensitivity")
    at.slider(key=slider_for(at, RAISED)).set_value(60)
    at.run()  # moved but not applied: the form holds it back
    assert "No requirement moves" in texts(at)
    raise_one(at)
    assert not at.exception
    moved = table(at, "sensitivity-ranking")
    assert list(moved.columns[:4]) == ["id", "title", "places moved", "changed?"]
    assert len(moved) > 0
    assert ((moved["places moved"] != 0) | moved["changed?"]).all()
    assert (moved["places moved"] == moved["council rank"] - moved["rank now"]).all()
    steps = moved["places moved"].abs().tolist()
    assert steps == sorted(steps, reverse=True)
    assert moved["id"].str.startswith("REQ-").all()
    assert weight_sliders(at)[RAISED] == 60


def test_reset_brings_back_the_councils_points(council: tuple[Store, ExampleImport]) -> None:
    store, _ = council
    at = raise_one(signed_in(store, "m02", "sensitivity"))
    at.button(key="weights-reset").click()
    at.run()
    assert weight_sliders(at) == {c: round(w * 100) for c, w in council_weights(council).items()}
    assert "No requirement moves" in texts(at)


def test_tables_speak_in_names(council: tuple[Store, ExampleImport]) -> None:
    store, example = council
    at = raise_one(signed_in(store, "m01", "sensitivity"))
    at.toggle(key="sensitivity-show-all").set_value(True)
    at.radio(key="stability-scope").set_value("top-k")
    at.run()
    assert not at.exception
    criteria = store.session("m01", "m01-demo").evaluation(example.round.id).criteria
    ids = set(criteria.ids)
    names = {c.name for c in criteria}
    seen = 0
    for element in at.dataframe:
        frame = pd.DataFrame(element.value)
        seen += 1
        for column in frame.columns:
            assert "_" not in str(column), column
            assert str(column) not in ids, column
        for column in frame.columns:
            assert not set(frame[column].astype(str)) & ids, column
    assert seen == 3  # ranking, tornado, stability intervals
    for key in ("tornado-table", "stability-table"):
        assert set(table(at, key)["criterion"]) == names
    stability = table(at, "stability-table")
    assert {"weight may fall to", "weight may rise to"} <= set(stability.columns)
    assert (stability["weight may fall to"] <= stability["weight now (points)"] + 1e-9).all()


def test_facilitator_saves_the_applied_points(council: tuple[Store, ExampleImport]) -> None:
    store, _ = council
    at = raise_one(signed_in(store, "m01", "sensitivity"), to=26)
    at.button(key="weights-save").click()
    at.run()
    assert not at.exception
    saved = council_weights(council)
    assert abs(saved[RAISED] - 0.26 / 1.20) < 1e-9
    assert abs(sum(saved.values()) - 1) < 1e-9
