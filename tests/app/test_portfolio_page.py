"""The Portfolio page, driven with streamlit.testing over a real SQLite council (the
bundled example with its estimates, revealed) and read back through the store: the
facilitator sets the budget, everyone sees the optimal portfolio with why each requirement
is in or out, the exact frontier and the core index; the Decide page says whether a
requirement is in the optimal portfolio and treats approving one outside it as an
override."""

from __future__ import annotations

import pandas as pd
from streamlit.testing.v1 import AppTest

from prioritize.store import Store
from prioritize.store.example import ExampleImport
from tests.app.test_pages import keys, signed_in, texts

Council = tuple[Store, ExampleImport]


def _table(at: AppTest, column: str) -> pd.DataFrame:
    found = [d.value for d in at.dataframe if column in d.value.columns]
    assert found, texts(at)
    return found[0]


def _on(store: Store, member: str, page: str) -> AppTest:
    at = signed_in(store, member, page)
    assert not at.exception, at.exception
    return at


def test_the_facilitator_sets_a_budget_and_sees_the_portfolio(council: Council) -> None:
    store, example = council
    at = _on(store, "m01", "portfolio")
    assert "No budget yet" in texts(at)
    at.number_input(key="portfolio-budget").set_value(2_000_000.0)
    at.number_input(key="portfolio-capacity").set_value(3_000.0)
    at.button(key="portfolio-save").click().run()
    assert not at.exception, at.exception
    saved = store.session("m01", "m01-demo").budget(example.round.id)
    assert saved is not None and saved.budget == 2_000_000 and saved.capacity == 3_000
    table = _table(at, "why")
    funded = table[table["in"]]
    optimal = store.session("m01", "m01-demo").optimal_portfolio(example.round.id)
    assert optimal is not None
    assert len(funded) == len(optimal.selected) > 0
    assert funded["cost"].sum() <= 2_000_000
    assert all(isinstance(w, str) and w for w in table["why"])


def test_a_member_reads_the_portfolio_frontier_and_core_index(council: Council) -> None:
    store, example = council
    store.session("m01", "m01-demo").set_budget(example.round.id, 2_000_000)
    at = _on(store, "m03", "portfolio")
    assert "portfolio-budget" not in keys(at)  # only the facilitator sets it
    at.button(key="portfolio-frontier").click().run()
    assert not at.exception, at.exception
    assert at.get("plotly_chart"), texts(at)
    assert "What the next 10 % of budget would buy" in texts(at)
    at.select_slider(key="portfolio-core-samples").set_value(200)
    at.button(key="portfolio-core").click().run()
    assert not at.exception, at.exception
    core = _table(at, "core index")
    assert set(core["class"]) <= {"core", "borderline", "exterior"}
    assert core["core index"].between(0, 100).all()


def test_decide_marks_approving_outside_the_portfolio_as_an_override(council: Council) -> None:
    store, example = council
    facilitator = store.session("m01", "m01-demo")
    facilitator.set_budget(example.round.id, 1_000_000)
    optimal = facilitator.optimal_portfolio(example.round.id)
    assert optimal is not None
    table = facilitator.evaluation(example.round.id).table
    outside = next(r for r in table.index if r not in optimal.selected)
    at = _on(store, "m01", "decide")
    at.selectbox(key="decide-requirement").set_value(outside).run()
    assert "Not in the optimal portfolio" in texts(at)
    radio = next(r for r in at.radio if r.key and r.key.startswith("decide-outcome"))
    radio.set_value("approve").run()
    assert any("override" in w.value for w in at.warning), texts(at)
