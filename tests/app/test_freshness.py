"""An open page keeps up with the round's state (issue 11, item 3): the sidebar's round
label is read after the last action, and a state changed elsewhere (another facilitator's
Reveal) is shown with a notice on the next run, which the sidebar's poll triggers."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from prioritize.app import PAGES, state
from prioritize.store import Store
from prioritize.store.example import ExampleImport
from tests.app.test_pages import app, texts

REVEALED = "The facilitator revealed the scores"


def _scoring_round(store: Store, example: ExampleImport) -> int:
    facilitator = store.session("m01", "m01-demo")
    fresh = facilitator.start_from(example.round.id, "Q3")
    facilitator.start_scoring(fresh.id)
    store.session("m02", "m02-demo").submit_score(fresh.id, "REQ-001", "customer_impact", 4)
    return fresh.id


def _open(store: Store, member: str, round_id: int, page: str = "overview") -> AppTest:
    at = app()
    at.session_state[state.SESSION_KEY] = store.session(member, f"{member}-demo")
    at.session_state[state.ROUND_KEY] = round_id
    at.switch_page(str(PAGES / f"{page}.py"))
    return at.run()


def _label(at: AppTest, round_id: int) -> str:
    picker = at.sidebar.selectbox(key=state.ROUND_KEY)
    assert picker.value == round_id
    return str(picker.format_func(round_id))


def test_a_reveal_elsewhere_shows_on_the_next_run(council: tuple[Store, ExampleImport]) -> None:
    store, example = council
    blind = _scoring_round(store, example)
    at = _open(store, "m02", blind, "score")
    assert not at.exception
    assert _label(at, blind) == f"#{blind} Q3 (scoring)"
    assert REVEALED not in texts(at)
    store.session("m01", "m01-demo").reveal(blind)  # the facilitator, in another browser
    at.run()
    assert not at.exception
    assert _label(at, blind) == f"#{blind} Q3 (debate)"
    assert REVEALED in texts(at)
    assert at.session_state[state.DRAWN_KEY] == (blind, "debate")
    at.run()  # told once: the page drawn with the new state has nothing new to say
    assert REVEALED not in texts(at)
    assert _label(at, blind) == f"#{blind} Q3 (debate)"


def test_nothing_changed_no_notice(council: tuple[Store, ExampleImport]) -> None:
    store, example = council
    blind = _scoring_round(store, example)
    at = _open(store, "m02", blind)
    at.run()
    at.run()
    assert not at.exception
    shown = texts(at)
    assert "The facilitator" not in shown
    assert _label(at, blind) == f"#{blind} Q3 (scoring)"


def test_the_own_action_shows_in_the_label_at_once(council: tuple[Store, ExampleImport]) -> None:
    store, example = council
    blind = _scoring_round(store, example)
    at = _open(store, "m01", blind)
    assert _label(at, blind) == f"#{blind} Q3 (scoring)"
    at.button(key="advance-round").click().run()
    at.button(key="confirm-advance").click().run()
    assert not at.exception
    assert store.session("m01", "m01-demo").round(blind).state == "debate"
    assert _label(at, blind) == f"#{blind} Q3 (debate)"
    # the picker's value is sent again, so the browser shows the new label too
    assert at.session_state[state.LABELS_KEY][blind] == f"#{blind} Q3 (debate)"


def test_another_round_selected_is_not_a_change(council: tuple[Store, ExampleImport]) -> None:
    store, example = council
    blind = _scoring_round(store, example)
    at = _open(store, "m01", blind)
    at.sidebar.selectbox(key=state.ROUND_KEY).set_value(example.round.id).run()
    assert not at.exception
    assert "The facilitator" not in texts(at)
    assert at.session_state[state.DRAWN_KEY] == (example.round.id, "debate")


def test_the_poll_compares_the_drawn_state_with_the_store() -> None:
    assert state.round_changed((2, "scoring"), 2, "debate")
    assert not state.round_changed((2, "debate"), 2, "debate")  # nothing new: no rerun
    assert not state.round_changed((1, "debate"), 2, "scoring")  # another round was drawn
    assert not state.round_changed(None, 2, "scoring")  # nothing drawn yet
    notice = state.change_notice((2, "scoring"), 2, "debate")
    assert notice is not None and notice.startswith(REVEALED)
    assert state.change_notice((2, "debate"), 2, "debate") is None
    assert "closed" in str(state.change_notice((2, "debate"), 2, "decided"))
