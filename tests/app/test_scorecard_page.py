"""The Scorecard page and the Decide page's expected effects, driven with streamlit.testing
over a real SQLite council (the bundled example: a year of readings, one regulatory event,
revealed, nothing decided yet) and read back through the store."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from streamlit.testing.v1 import AppTest

from prioritize.model.scorecard import ExpectedEffect
from prioritize.store import Store
from prioritize.store.example import ExampleImport
from tests.app.test_pages import keys, signed_in, texts

Council = tuple[Store, ExampleImport]
FTR = ExpectedEffect("first_time_right", 8.0, dt.date(2026, 9, 30), "fewer re-entries")


def _on(store: Store, member: str) -> AppTest:
    at = signed_in(store, member, "scorecard")
    assert not at.exception, at.exception
    return at


#: A column only each table has: the page's tables are found by what they show.
_TABLES = {
    "scorecard-triggers": "flagged by",
    "scorecard-benefits": "before → after",
    "scorecard-problems": "expected",
}


def _table(at: AppTest, key: str) -> pd.DataFrame:
    found = [d.value for d in at.dataframe if _TABLES[key] in d.value.columns]
    assert found, (key, texts(at))
    return found[0]


def _approve_and_go_live(store: Store, round_id: int) -> None:
    facilitator = store.session("m01", "m01-demo")
    facilitator.record_decision(
        round_id, "REQ-001", "approve", rationale="controls at entry", effects=[FTR]
    )
    facilitator.record_go_live(round_id, "REQ-001", dt.date(2026, 5, 1))


def test_a_member_reads_the_scorecard_without_the_forms(council: Council) -> None:
    store, _ = council
    at = _on(store, "m03")
    assert at.selectbox(key="scorecard-measure").value == "first_time_right"
    assert at.get("plotly_chart")
    assert "No delivered requirement states an effect" in texts(at)
    triggers = _table(at, "scorecard-triggers")
    assert triggers["requirement"].is_unique and len(triggers) > 0
    assert not [k for k in keys(at) if k.startswith(("scorecard-upload", "scorecard-live"))]
    assert not at.get("file_uploader")


def test_the_facilitator_sees_the_forms_and_a_bad_file_shows_its_problems(
    council: Council,
) -> None:
    store, _ = council
    at = _on(store, "m01")
    assert {"scorecard-upload", "scorecard-reading-add", "scorecard-event-record"} <= keys(at)
    at.file_uploader(key="scorecard-upload").set_value(
        (
            "bad.csv",
            b"date,measure,value\n2026-11-15,no_such_measure,3\n2026-11-15,complaints,x\n",
            "text/csv",
        )
    )
    at.run()
    at.button(key="scorecard-import").click().run()
    assert not at.exception, at.exception
    assert "No reading was imported" in texts(at)
    problems = _table(at, "scorecard-problems")
    assert len(problems) >= 2 and set(problems["column"]) >= {"measure", "value"}
    assert len(store.session("m01", "m01-demo").readings()) == 132  # nothing stored


def test_a_go_live_recorded_on_the_page_appears_in_the_benefit_table(council: Council) -> None:
    store, example = council
    store.session("m01", "m01-demo").record_decision(
        example.round.id, "REQ-001", "approve", rationale="controls", effects=[FTR]
    )
    at = _on(store, "m01")
    at.selectbox(key="scorecard-live-requirement").set_value("REQ-001")
    at.date_input(key="scorecard-live-date").set_value(dt.date(2026, 5, 1))
    at.button(key="scorecard-live-record").click().run()
    assert not at.exception, at.exception
    benefits = _table(at, "scorecard-benefits")
    row = benefits.iloc[0]
    assert row["requirement"].startswith("REQ-001") and row["live on"] == "2026-05-01"
    expected = store.session("m03", "m03-demo").benefit_realisation().table.iloc[0]
    assert row["status"] == expected["status"] == "delivering"
    assert row["why"] == expected["explanation"]
    assert "never split" in texts(at)  # the attribution rule under the table


def test_a_member_sees_the_benefits_after_a_go_live(council: Council) -> None:
    store, example = council
    _approve_and_go_live(store, example.round.id)
    at = _on(store, "m05")
    assert _table(at, "scorecard-benefits")["status"].tolist() == ["delivering"]


def test_decide_stores_the_expected_effects_with_the_approval(council: Council) -> None:
    store, example = council
    at = signed_in(store, "m01", "decide")
    at.selectbox(key="decide-requirement").set_value("REQ-001").run()
    radio = next(r for r in at.radio if r.key and r.key.startswith("decide-outcome"))
    radio.set_value("approve").run()
    count = next(n for n in at.number_input if n.key and n.key.startswith("decide-effects"))
    count.set_value(1).run()
    change = next(n for n in at.number_input if n.key and n.key.startswith("decide-effect-change"))
    change.set_value(8.0)
    by = next(d for d in at.date_input if d.key and d.key.startswith("decide-effect-by"))
    by.set_value(dt.date(2026, 9, 30))
    why = next(t for t in at.text_input if t.key and t.key.startswith("decide-effect-rationale"))
    why.input("fewer re-entries")
    area = next(t for t in at.text_area if t.key and t.key.startswith("decide-rationale"))
    area.input("controls at entry")
    at.button(key="decide-record").click().run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    facilitator = store.session("m01", "m01-demo")
    facilitator.record_go_live(example.round.id, "REQ-001", dt.date(2026, 5, 1))
    (delivery,) = facilitator.deliveries()  # the effects as the log entry holds them
    assert delivery.effects == (FTR,)


def test_an_effect_without_a_rationale_is_refused(council: Council) -> None:
    store, example = council
    at = signed_in(store, "m01", "decide")
    at.selectbox(key="decide-requirement").set_value("REQ-001").run()
    radio = next(r for r in at.radio if r.key and r.key.startswith("decide-outcome"))
    radio.set_value("approve").run()
    count = next(n for n in at.number_input if n.key and n.key.startswith("decide-effects"))
    count.set_value(1).run()
    change = next(n for n in at.number_input if n.key and n.key.startswith("decide-effect-change"))
    change.set_value(8.0)
    area = next(t for t in at.text_area if t.key and t.key.startswith("decide-rationale"))
    area.input("controls at entry")
    at.button(key="decide-record").click().run()
    assert "rationale" in " ".join(e.value for e in at.error)
    assert store.session("m01", "m01-demo").decisions(example.round.id).empty


def test_the_overview_says_what_changed_and_starts_a_round_from_it(council: Council) -> None:
    store, example = council
    at = signed_in(store, "m01", "overview")
    assert not at.exception, at.exception
    shown = texts(at)
    assert "What changed since the last round" in [h.value for h in at.subheader]
    assert "measures past their alert" in shown and "1 event" in shown
    at.button(key="changed-start").click().run()
    at.button(key="confirm-changed").click().run()
    assert not at.exception, at.exception
    rounds = store.session("m01", "m01-demo").rounds()
    newest = int(str(rounds.index[0]))
    assert newest != example.round.id and rounds.loc[newest, "state"] == "draft"
    assert at.session_state["council_round"] == newest  # the new draft is selected
    assert f"Round #{newest}" in texts(at)


def test_a_member_does_not_see_what_changed_on_the_overview(council: Council) -> None:
    store, _ = council
    at = signed_in(store, "m03", "overview")
    assert "What changed since the last round" not in [h.value for h in at.subheader]
    assert "changed-start" not in keys(at)
