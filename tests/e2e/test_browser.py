"""End to end, in a real browser: two members score at once, blind; the facilitator
reveals, decides and downloads a workbook that openpyxl opens. Screenshots of every page
are saved under test-output/e2e/.

Every step waits on the app's own state, never on time. An action is wrapped in
:func:`a_run`, which returns once the server has told the page that a whole script run
finished (a ``script_finished`` message on the page's websocket), so the action was not
lost and what it wrote is in the store; then the step waits for what that run shows (a
title, a message) and for the page to be idle (:func:`idle`) before it reads the page. No
edit is ever typed twice: an edit the page lost fails the test."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest
from playwright.sync_api import expect
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from prioritize.store import Store
from tests.e2e.conftest import TIMEOUT_MS, Server

PAGES = ("Score", "Value matrix", "Debate", "Sensitivity", "Decide", "Export")
#: The widgets of the group's view on a page (keyed widgets carry an st-key-<key> class).
GROUP_VIEW = {
    "Value matrix": "[class*='st-key-matrix-']",
    "Debate": "[class*='st-key-debate-']",
}
#: Streamlit sets this attribute of the app's root element to "running" while a script
#: run is under way and back to "notRunning" once the page has drawn all of it. It is a
#: level, not an edge: a short run may come and go between two renders without the
#: attribute ever changing, so it only says "idle now", never "a run has happened".
SCRIPT_STATE = "data-test-script-state"
#: Each page's websocket to the app server (/_stcore/stream), kept by :func:`sign_in`.
_STREAMS: dict[Any, Any] = {}


def _run_finished(payload: str | bytes) -> bool:
    """Whether a frame from the server says a whole script run finished: not a fragment's
    run (the overview's progress polls on its own), not a run cut short by ``st.rerun``
    (the run after it is the one that draws the result)."""
    if not isinstance(payload, bytes):
        return False
    message = ForwardMsg()
    message.ParseFromString(payload)
    return (
        message.WhichOneof("type") == "script_finished"
        and message.script_finished == ForwardMsg.ScriptFinishedStatus.FINISHED_SUCCESSFULLY
    )


def idle(page: Any) -> None:
    """Wait until the page has drawn every script run it has begun."""
    expect(page.get_by_test_id("stApp")).to_have_attribute(SCRIPT_STATE, "notRunning")


def session_cookie(page: Any) -> dict[str, Any]:
    """The sign-in cookie, once the page's script has written it (the page writes it after
    the run that signed in is drawn; waiting on the document, never on time)."""
    from prioritize.app.state import COOKIE

    page.wait_for_function(
        "name => document.cookie.split('; ').some(c => c.startsWith(name + '='))", arg=COOKIE
    )
    return {c["name"]: c for c in page.context.cookies()}[COOKIE]


@contextmanager
def a_run(*pages: Any) -> Iterator[None]:
    """Wait until the server has finished, for each page, a script run after the body's
    actions. Call it on an idle page, so the run is the one the actions caused; a page
    whose action was lost never gets one, and the test fails."""
    with ExitStack() as waits:
        for page in pages:
            waits.enter_context(
                _STREAMS[page].expect_event(
                    "framereceived", predicate=_run_finished, timeout=TIMEOUT_MS
                )
            )
        yield


def main(page: Any) -> Any:
    return page.get_by_test_id("stMain")


def title(page: Any) -> Any:
    """The page's one title, once the page is idle and the browser has cleared what the
    last run did not draw (until then the previous page's title may still be there)."""
    idle(page)
    heading = main(page).locator("h1")
    expect(heading).to_have_count(1)
    return heading


def sign_in(browser: Any, server: Server, name: str, passcode: str) -> Any:
    """A new browser session signed in as ``name``, on the default page (Round overview)."""
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.on("websocket", lambda stream: _STREAMS.__setitem__(page, stream))
    page.goto(server.url)
    expect(page.locator(".st-key-sign-in-passcode input")).to_be_visible()
    idle(page)
    page.click(".st-key-sign-in-member input")
    page.get_by_role("option", name=name).click()
    page.fill(".st-key-sign-in-passcode input", passcode)
    with a_run(page):
        page.click(".st-key-sign-in-submit button")
    expect(page.get_by_test_id("stSidebar")).to_contain_text(name)
    expect(title(page)).to_contain_text("Round #")
    idle(page)
    return page


def go(page: Any, name: str, heading: str | None = None) -> None:
    """Open a page from the sidebar and wait until it has been drawn."""
    link = page.locator("[data-testid='stSidebarNavLink']", has_text=name).first
    expect(link).not_to_have_attribute("aria-current", "page")  # a new page, so a new run
    with a_run(page):
        link.click()
    expect(title(page)).to_have_text(heading or name)


def choose_round(page: Any, label: str, name: str) -> None:
    """Choose a round in the sidebar (on the overview, whose title names the round)."""
    # the picker sits below every page's link: bring it into view before opening it (a
    # list opened while the sidebar scrolls closes again)
    page.locator(".st-key-council_round").scroll_into_view_if_needed()
    page.click(".st-key-council_round")
    with a_run(page):
        page.get_by_role("option", name=label).click()
    expect(title(page)).to_contain_text(name)
    idle(page)


def answer(page: Any, round_id: int, requirement: str, criterion: str, choice: str) -> None:
    """Pick a level (its number, e.g. "4") or "Cannot judge" in the Score page's form."""
    cell = page.locator(f".st-key-score-level-{round_id}-{requirement}-{criterion}")
    if choice == "Cannot judge":
        cell.get_by_text("Cannot judge").click()
    else:
        cell.get_by_text(re.compile(rf"^{re.escape(choice)} · ")).click()


def reason(page: Any, round_id: int, requirement: str, criterion: str) -> Any:
    """The reason box of one criterion in the Score page's form."""
    return page.locator(f".st-key-score-reason-{round_id}-{requirement}-{criterion} textarea")


def save_button(page: Any) -> Any:
    return page.locator(".st-key-score-save button")


def toasted(page: Any, message: str) -> None:
    """The save's run shows its message as a toast; wait for it and for that run to end."""
    expect(page.get_by_test_id("stToast").filter(has_text=message)).to_be_visible()
    idle(page)


def stored(store: Store, member: str, round_id: int) -> pd.DataFrame:
    scores = store.session(member, f"{member}-demo").scores(round_id)
    return scores[scores["member"] == member].reset_index(drop=True)


def saved(page: Any, message: str) -> None:
    """The save's rerun shows its message; wait for it and for that run to end."""
    expect(main(page).get_by_test_id("stAlert").first).to_contain_text(message)
    idle(page)


def blind(page: Any, title: str, message: str) -> None:
    """A page of the group's view shows only why it is closed, and none of its widgets."""
    go(page, title)
    expect(main(page)).to_contain_text(message)
    # go() saw this page's title, then the page idle: it has drawn the whole run, so a
    # widget missing now is not merely late
    expect(main(page).locator(GROUP_VIEW[title])).to_have_count(0)


def test_two_members_score_at_once_and_stay_blind(
    browser: Any, server: Server, shots: Path
) -> None:
    jonas = sign_in(browser, server, "Jonas Weber", "m02-demo")
    lucia = sign_in(browser, server, "Lucía Fernández", "m03-demo")
    for page in (jonas, lucia):
        go(page, "Score")
        expect(page.get_by_test_id("stProgress")).to_contain_text("You have answered 0 of 280.")
    # both score REQ-001 / customer impact and save at the same time
    for page, value in ((jonas, "4"), (lucia, "2")):
        answer(page, server.blind_round, "REQ-001", "customer_impact", value)
    with a_run(jonas, lucia):
        save_button(jonas).click()
        save_button(lucia).click()
    for page in (jonas, lucia):
        toasted(page, "Saved 1 answer of REQ-001; 9 criteria still open.")
    # then Lucía gives her reason: a second save of the same cell (its next version)
    reason(lucia, server.blind_round, "REQ-001", "customer_impact").fill("Sales loses flexibility")
    with a_run(lucia):  # the save is in the store once the server has finished its run
        save_button(lucia).click()
    idle(lucia)
    m02, m03 = (stored(server.store, m, server.blind_round) for m in ("m02", "m03"))
    assert m02[["requirement_id", "criterion", "score"]].values.tolist() == [
        ["REQ-001", "customer_impact", 4.0]
    ]
    assert m03[["score", "reason", "version"]].values.tolist() == [
        [2.0, "Sales loses flexibility", 2]
    ]
    jonas.screenshot(path=str(shots / "score.png"), full_page=True)
    # blind: in a new session Jonas sees his own count only, and no group view
    jonas.context.close()
    jonas = sign_in(browser, server, "Jonas Weber", "m02-demo")
    go(jonas, "Score")
    expect(jonas.get_by_test_id("stProgress")).to_contain_text("You have answered 1 of 280.")
    assert "Sales loses flexibility" not in jonas.content()
    blind(jonas, "Value matrix", "appears when the facilitator reveals the scores")
    blind(jonas, "Debate", "The debate opens when the facilitator reveals the scores")
    assert "Sales loses flexibility" not in jonas.content()


def test_facilitator_reveals_decides_and_exports(
    browser: Any, server: Server, shots: Path, tmp_path: Path
) -> None:
    priya = sign_in(browser, server, "Priya Raman", "m01-demo")
    expect(title(priya)).to_contain_text("Blind round")  # the newest round
    expect(main(priya)).to_contain_text("SCORING")  # the current state, in capitals
    with a_run(priya):  # the button only asks: the dialog says what happens, and to whom
        priya.click(".st-key-advance-round button")
    dialog = priya.get_by_test_id("stDialog")
    expect(dialog).to_contain_text("nobody can score blind again")
    expect(dialog).to_contain_text("Not finished: ")
    idle(priya)
    assert server.store.session("m01", "m01-demo").round(server.blind_round).state == "scoring"
    with a_run(priya):  # the dialog's run, then the whole page's after st.rerun
        priya.click(".st-key-confirm-advance button")
    expect(main(priya)).to_contain_text("DEBATE")
    idle(priya)
    assert server.store.session("m01", "m01-demo").round(server.blind_round).state == "debate"
    # decide and export on the full example round
    choose_round(priya, "#1 Sales order errors (example) (debate)", "Sales order errors (example)")
    priya.screenshot(path=str(shots / "1-round-overview.png"), full_page=True)
    for index, page_name in enumerate(PAGES, start=2):
        go(priya, page_name)
        expect(main(priya).get_by_test_id("stException")).to_have_count(0)
        if page_name in GROUP_VIEW:  # revealed: what the blind pages must not show is here
            expect(main(priya).locator(GROUP_VIEW[page_name])).not_to_have_count(0)
        priya.screenshot(
            path=str(shots / f"{index}-{page_name.lower().replace(' ', '-')}.png"),
            full_page=True,
        )
    go(priya, "Decide")
    rationale = "Errors start at entry: fix them there."
    # the form's fields are keyed by round, requirement and recording (a fresh form each time)
    field = main(priya).locator("[class*='st-key-decide-rationale-'] textarea")
    with a_run(priya):  # the text area sends its text when it is committed
        field.fill(rationale)
        field.press("Control+Enter")
    with a_run(priya):
        priya.click(".st-key-decide-record button")
    decisions = server.store.session("m01", "m01-demo").decisions(1)
    assert decisions[["outcome", "rationale"]].values.tolist() == [["approve", rationale]]
    decided = str(decisions["requirement_id"].iloc[0])
    saved(priya, f"{decided} → approve.")
    expect(main(priya)).to_contain_text("Log intact: 1 decision")  # the log, verified
    go(priya, "Export")
    with priya.expect_download() as download:
        priya.click(".st-key-export-download button")
    target = tmp_path / "portfolio.xlsx"
    download.value.save_as(target)
    workbook = openpyxl.load_workbook(target)
    assert {"Portfolio", "Ranking", "Scores", "Criteria", "Decisions", "About"} <= set(
        workbook.sheetnames
    )
    sheet = workbook["Decisions"]
    header = [cell.value for cell in sheet[1]]
    rows = [dict(zip(header, row, strict=True)) for row in sheet.iter_rows(2, values_only=True)]
    assert [(r["requirement id"], r["outcome"], r["rationale"]) for r in rows] == [
        (decided, "approve", rationale)
    ]


@pytest.mark.parametrize("member", ["m13"])
def test_observer_sees_but_cannot_score(
    browser: Any, server: Server, member: str, shots: Path
) -> None:
    page = sign_in(browser, server, "Nadia Petrova", f"{member}-demo")
    go(page, "Score")
    expect(main(page)).to_contain_text("Observers follow the round but do not score.")
    expect(main(page).locator("[class*='st-key-score-']")).to_have_count(0)
    page.screenshot(path=str(shots / "observer-score.png"), full_page=True)
