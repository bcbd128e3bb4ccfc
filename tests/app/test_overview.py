"""The overview's round steps (open scoring, reveal, close) each ask for confirmation in a
dialog that says what happens and who has not finished (issue 11); the store refuses to
reveal an empty round and the dialog shows why."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from prioritize.app import PAGES, state
from prioritize.store import Store
from prioritize.store.example import ExampleImport
from tests.app.test_pages import app, texts


def _blind_round(store: Store, example: ExampleImport) -> int:
    facilitator = store.session("m01", "m01-demo")
    blind = facilitator.start_from(example.round.id, "Q3")
    facilitator.start_scoring(blind.id)
    return blind.id


def _overview(store: Store, round_id: int) -> AppTest:
    at = app()
    at.session_state[state.SESSION_KEY] = store.session("m01", "m01-demo")
    at.session_state[state.ROUND_KEY] = round_id
    at.switch_page(str(PAGES / "overview.py"))
    return at.run()


def test_reveal_asks_first_and_names_who_has_not_finished(
    council: tuple[Store, ExampleImport],
) -> None:
    store, example = council
    blind = _blind_round(store, example)
    store.session("m02", "m02-demo").submit_score(blind, "REQ-001", "customer_impact", 4)
    facilitator = store.session("m01", "m01-demo")
    facilitator.register_member("m99", "Kim *Star*", "R&D", "member", "m99-one-time")
    facilitator.add_member(blind, "m99")
    at = _overview(store, blind)
    assert not at.exception
    at.button(key="advance-round").click().run()
    assert not at.exception
    assert store.session("m01", "m01-demo").round(blind).state == "scoring"  # not yet
    shown = texts(at)
    assert "nobody can score blind again" in shown
    assert "Not finished: " in shown
    assert "Jonas Weber (Sales) 1 of 280" in shown  # m02's one score
    assert r"Kim \*Star\* (R\&D) 0 of 280" in shown  # names are shown as typed
    assert at.button(key="cancel-advance")
    at.button(key="confirm-advance").click().run()
    assert not at.exception
    assert store.session("m01", "m01-demo").round(blind).state == "debate"
    assert not at.button(key="advance-round").label.startswith("Reveal")


def test_cancel_leaves_the_round_as_it_was(council: tuple[Store, ExampleImport]) -> None:
    store, example = council
    blind = _blind_round(store, example)
    store.session("m02", "m02-demo").submit_score(blind, "REQ-001", "customer_impact", 4)
    at = _overview(store, blind)
    at.button(key="advance-round").click().run()
    at.button(key="cancel-advance").click().run()
    assert not at.exception
    assert "nobody can score blind again" not in texts(at)
    assert store.session("m01", "m01-demo").round(blind).state == "scoring"


def test_revealing_an_empty_round_is_refused_in_the_dialog(
    council: tuple[Store, ExampleImport],
) -> None:
    store, example = council
    blind = _blind_round(store, example)
    at = _overview(store, blind)
    at.button(key="advance-round").click().run()
    at.button(key="confirm-advance").click().run()
    assert not at.exception
    assert f"round {blind} has no scores yet" in texts(at)
    assert store.session("m01", "m01-demo").round(blind).state == "scoring"


def test_close_asks_first(council: tuple[Store, ExampleImport]) -> None:
    store, example = council
    at = _overview(store, example.round.id)
    at.button(key="advance-round").click().run()
    assert "The round is locked: no more scores or decisions" in texts(at)
    assert "Everyone has scored everything." in texts(at)
    assert store.session("m01", "m01-demo").round(example.round.id).state == "debate"
    at.button(key="confirm-advance").click().run()
    assert not at.exception
    assert store.session("m01", "m01-demo").round(example.round.id).state == "decided"
