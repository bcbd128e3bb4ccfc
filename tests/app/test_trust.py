"""The pages never change or lose what someone typed, never render it as markup, and a
one-time passcode opens only its own change."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from prioritize.app import PAGES, state
from prioritize.app.text import WORD_JOINER, plain
from prioritize.store import Store
from prioritize.store.example import ExampleImport
from tests.app.test_pages import app, signed_in, texts


@given(st.text())
def test_plain_escapes_all_markup_and_loses_nothing(text: str) -> None:
    shown = plain(text)
    # every ASCII punctuation character is escaped: no link, image, emphasis or HTML
    assert re.search(r"(?<!\\)[!-/:-@\[-`{-~]", re.sub(r"\\.", "", shown)) is None
    back = re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", shown).replace("  \n", "\n")
    # only word joiners were added (inside bare addresses), nothing else changed
    assert back.replace(WORD_JOINER, "") == text.replace("\r\n", "\n").replace(WORD_JOINER, "")


def _record(at: AppTest, requirement: str, outcome: str, rationale: str) -> AppTest:
    at.selectbox(key="decide-requirement").set_value(requirement).run()
    try:
        nonce = at.session_state["decide-nonce"]
    except KeyError:
        nonce = 0
    form = f"{1}-{requirement}-{nonce}"
    radio = at.radio(key=f"decide-outcome-{form}")
    assert radio.value == "approve"
    radio.set_value(outcome)
    area = at.text_area(key=f"decide-rationale-{form}")
    assert area.value == ""  # a fresh form for every requirement and after every recording
    area.set_value(rationale)
    at.button(key="decide-record").click().run()
    assert not at.exception
    return at


def test_two_decisions_in_a_row_keep_each_rationale_with_its_requirement(
    council: tuple[Store, ExampleImport],
) -> None:
    store, _ = council
    at = signed_in(store, "m01", "decide")
    at = _record(at, "REQ-001", "approve", "first: errors cost us every week")
    at = _record(at, "REQ-002", "postpone", "second: needs the catalogue owner")
    log = store.session("m01", "m01-demo").decisions(1)
    assert log[["requirement_id", "rationale"]].values.tolist() == [
        ["REQ-001", "first: errors cost us every week"],
        ["REQ-002", "second: needs the catalogue owner"],
    ]


def test_a_one_time_passcode_opens_only_the_passcode_page(
    council: tuple[Store, ExampleImport],
) -> None:
    store, _ = council
    store.session("m01", "m01-demo").register_member(
        "n01", "Nora New", "Sales", "member", "given-by-the-facilitator"
    )
    at = app()
    at.session_state[state.SESSION_KEY] = store.session("n01", "given-by-the-facilitator")
    at.run()
    assert not at.exception
    assert "Choose your passcode" in texts(at)
    with pytest.raises(ValueError, match=r"Known pages: \[[^,]*passcode\.py'\]"):
        at.switch_page(str(PAGES / "score.py"))  # the navigation offers nothing else
    at.text_input(key="passcode-old").set_value("given-by-the-facilitator")
    at.text_input(key="passcode-new").set_value("nora's own long phrase")
    at.text_input(key="passcode-again").set_value("nora's own long phrase")
    next(b for b in at.button if b.label == "Change my passcode").click().run()
    assert not at.exception
    assert not store.session("n01", "nora's own long phrase").must_change_passcode
    # the same click lands on the overview, says so, and keeps this browser signed in
    assert "not a member of any round yet" in texts(at)  # the overview, not the form
    assert any("Your passcode is changed" in str(box.value) for box in at.success)
    token = at.session_state[state.TOKEN_KEY]
    assert store.resume(token) is not None


def test_markdown_in_user_text_is_shown_as_typed(council: tuple[Store, ExampleImport]) -> None:
    store, _ = council
    facilitator = store.session("m01", "m01-demo")
    hostile = "![x](http://evil.example/pixel.png) [re-enter your passcode](http://evil.example)"
    facilitator.add_comment(1, "REQ-001", hostile)
    at = signed_in(store, "m01", "debate")
    at.selectbox(key="debate-requirement").set_value("REQ-001").run()
    shown = [m.value for m in at.markdown if "evil" in str(m.value)]
    assert shown, "the comment is shown"
    assert all("](" not in s and "\\!\\[x\\]" in s for s in shown)
