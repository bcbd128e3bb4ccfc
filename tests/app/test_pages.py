"""Every page renders with streamlit.testing (AppTest) on a real example database, shows
its key widgets, and shows the role and blind rules."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from prioritize.app import PAGES, state
from prioritize.store import Store
from prioritize.store.example import ExampleImport
from tests.app.conftest import ROOT

PAGE_NAMES = ("overview", "score", "matrix", "debate", "sensitivity", "decide", "export")


def app() -> AppTest:
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)


def signed_in(store: Store, member: str, page: str | None = None) -> AppTest:
    at = app()
    at.session_state[state.SESSION_KEY] = store.session(member, f"{member}-demo")
    if page is not None:
        at.switch_page(str(PAGES / f"{page}.py"))
    return at.run()


def keys(at: AppTest) -> set[str]:
    found = set()
    for element in at.main:
        found |= _keys(element)
    return found


def _keys(node: object) -> set[str]:
    out = set()
    key = getattr(node, "key", None)
    if isinstance(key, str):
        out.add(key)
    for child in getattr(node, "children", {}).values() if hasattr(node, "children") else ():
        out |= _keys(child)
    return out


def texts(at: AppTest) -> str:
    parts = (
        [m.value for m in at.markdown]
        + [i.value for i in at.info]
        + [w.value for w in at.warning]
        + [e.value for e in at.error]
        + [t.value for t in at.title]
        + [c.value for c in at.caption]
    )
    return "\n".join(str(p) for p in parts)


def test_sign_in_page(council: tuple[Store, ExampleImport]) -> None:
    at = app().run()
    assert not at.exception
    assert at.selectbox(key="sign-in-member").options
    assert "-demo" in texts(at)
    at.selectbox(key="sign-in-member").set_value("m02")
    at.text_input(key="sign-in-passcode").input("wrong")
    at.button(key="sign-in-submit").click().run()
    assert "wrong passcode" in texts(at)
    at.text_input(key="sign-in-passcode").input("m02-demo")
    at.button(key="sign-in-submit").click().run()
    assert not at.exception
    assert at.session_state[state.SESSION_KEY].member.id == "m02"


@pytest.mark.parametrize("page", PAGE_NAMES)
@pytest.mark.parametrize("member", ["m01", "m02", "m13"])  # facilitator, member, observer
def test_every_page_renders_for_every_role(
    council: tuple[Store, ExampleImport], page: str, member: str
) -> None:
    store, _ = council
    at = signed_in(store, member, page)
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]


def charts(at: AppTest) -> int:
    return len(at.get("plotly_chart"))


def test_key_widgets(council: tuple[Store, ExampleImport]) -> None:
    store, example = council
    overview = signed_in(store, "m01", "overview")
    assert "Progress" in [h.value for h in overview.subheader]
    assert len(overview.dataframe) >= 2  # progress and results
    score = signed_in(store, "m02", "score")
    select = f"score-requirement-{example.round.id}"
    assert select in keys(score)
    # the form holds my own answers as stored: one level choice per criterion
    chosen = str(score.selectbox(key=select).value)
    scores = store.session("m02", "m02-demo").scores(example.round.id)
    mine = scores[(scores["member"] == "m02") & (scores["requirement_id"] == chosen)]
    shown = {
        r.key.rsplit("-", 1)[-1]: r.value
        for r in score.radio
        if r.key.startswith(f"score-level-{example.round.id}-{chosen}-")
    }
    assert len(shown) == 10
    assert shown == dict(zip(mine["criterion"], mine["score"], strict=True))
    matrix = signed_in(store, "m02", "matrix")
    assert charts(matrix) == 1 and "matrix-highlight" in keys(matrix)
    debate = signed_in(store, "m02", "debate")
    assert "debate-requirement" in keys(debate)
    assert str(debate.selectbox(key="debate-requirement").value) == "REQ-002"  # polarised first
    sensitivity = signed_in(store, "m02", "sensitivity")
    assert charts(sensitivity) == 2  # tornado and acceptability heat map
    assert {"smaa-samples", "smaa-weights", "stability-scope"} <= keys(sensitivity)
    assert sum(k.startswith("weight-") for k in keys(sensitivity)) == 10
    export = signed_in(store, "m02", "export")
    assert len(export.get("download_button")) == 3


def test_role_rules_are_visible(council: tuple[Store, ExampleImport]) -> None:
    store, _ = council
    facilitator = signed_in(store, "m01", "decide")
    assert "decide-record" in keys(facilitator)
    member = signed_in(store, "m02", "decide")
    assert "decide-record" not in keys(member)
    assert "Only the facilitator records decisions" in texts(member)
    assert "weights-save" in keys(signed_in(store, "m01", "sensitivity"))
    assert "weights-save" not in keys(signed_in(store, "m02", "sensitivity"))
    observer = signed_in(store, "m13", "score")
    assert "Observers follow the round but do not score" in texts(observer)
    assert "advance-round" in keys(signed_in(store, "m01", "overview"))
    assert "advance-round" not in keys(signed_in(store, "m02", "overview"))


def test_blind_round_hides_the_group(council: tuple[Store, ExampleImport]) -> None:
    store, example = council
    facilitator = store.session("m01", "m01-demo")
    blind = facilitator.start_from(example.round.id, "Blind round")
    facilitator.start_scoring(blind.id)
    member = store.session("m02", "m02-demo")
    member.submit_score(blind.id, "REQ-001", "customer_impact", 4, "mine")
    for page in ("matrix", "debate", "sensitivity", "export"):
        at = app()
        at.session_state[state.SESSION_KEY] = member
        at.session_state[state.ROUND_KEY] = blind.id
        at.switch_page(str(PAGES / f"{page}.py"))
        at.run()
        assert not at.exception
        assert "reveal" in texts(at).lower(), page
        assert charts(at) == 0
        assert not at.get("download_button")


def test_score_page_reloads_from_the_store(council: tuple[Store, ExampleImport]) -> None:
    """The page reads the store on every run, so a score written anywhere counts on the
    next rerun. (Editing and saving the form: tests/app/test_score_page.py.)"""
    store, example = council
    facilitator = store.session("m01", "m01-demo")
    blind = facilitator.start_from(example.round.id, "Blind round")
    facilitator.start_scoring(blind.id)
    member = store.session("m02", "m02-demo")
    at = app()
    at.session_state[state.SESSION_KEY] = member
    at.session_state[state.ROUND_KEY] = blind.id
    at.switch_page(str(PAGES / "score.py"))
    at.run()
    assert not at.exception
    assert at.get("progress")[0].proto.text == "You have answered 0 of 280."
    member.submit_score(blind.id, "REQ-001", "customer_impact", 4, "mine")
    store.session("m03", "m03-demo").submit_score(blind.id, "REQ-001", "customer_impact", 2)
    at.run()
    assert at.get("progress")[0].proto.text == "You have answered 1 of 280."  # not m03's
    assert "Blind scoring" in texts(at)


def test_the_demo_council_is_created_only_when_asked_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from prioritize.app import DEMO_ENV
    from prioritize.store import DB_ENV

    path = tmp_path / "fresh" / "council.db"
    monkeypatch.setenv(DB_ENV, str(path))
    monkeypatch.setenv(DEMO_ENV, "1")
    at = app().run()
    assert not at.exception
    assert path.is_file() and Store(path).is_demo
    assert "m01" in Store(path).council().index
    assert "passcode is their id followed by" in texts(at)
    assert any("DEMO council" in w.value for w in at.sidebar.warning)


def test_a_new_database_asks_for_its_first_facilitator(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from prioritize.app import DEMO_ENV
    from prioritize.store import DB_ENV

    path = tmp_path / "new" / "council.db"
    monkeypatch.setenv(DB_ENV, str(path))
    monkeypatch.setenv(DEMO_ENV, "0")
    at = app().run()
    assert not at.exception
    assert Store(path).council().empty and not Store(path).is_demo
    assert "Set up the council" in texts(at)
    assert "-demo" not in texts(at)
    at.text_input(key="setup-id").set_value("fay")
    at.text_input(key="setup-name").set_value("Fay Facilitator")
    at.text_input(key="setup-department").set_value("Operations")
    at.text_input(key="setup-passcode").set_value("a long passcode of fay")
    at.text_input(key="setup-again").set_value("a long passcode of fay")
    next(b for b in at.button if b.label == "Create the council").click().run()
    assert not at.exception
    council = Store(path).council()
    assert list(council.index) == ["fay"] and council.loc["fay", "role"] == "facilitator"
    assert Store(path).session("fay", "a long passcode of fay").member.name == "Fay Facilitator"
