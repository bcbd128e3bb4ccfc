"""End to end, in a real browser: two members score at once, blind; the facilitator
reveals, decides and downloads a workbook that openpyxl opens. Screenshots of every page
are saved under test-output/e2e/."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest

from prioritize.store import Store
from tests.e2e.conftest import SHOTS, Server

PAGES = ("Round overview", "Score", "Value matrix", "Debate", "Sensitivity", "Decide", "Export")
ROW = 35  # height of a data grid row (and of its header) in pixels
SCORE_X, REASON_X = 240, 450  # inside the score and reason columns of the detail editor


def idle(page: Any) -> None:
    """Wait until the script run finished (no 'Running…' status widget)."""
    page.wait_for_timeout(400)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=90_000
    )


def sign_in(browser: Any, server: Server, name: str, passcode: str) -> Any:
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    page = context.new_page()
    page.goto(server.url)
    page.wait_for_selector(".st-key-sign-in-passcode input", timeout=60_000)
    page.click(".st-key-sign-in-member")
    page.get_by_role("option", name=name).click()
    page.fill(".st-key-sign-in-passcode input", passcode)
    page.click(".st-key-sign-in-submit button")
    page.wait_for_selector("[data-testid='stSidebarNav']", timeout=60_000)
    idle(page)
    return page


def go(page: Any, title: str) -> None:
    page.locator("[data-testid='stSidebarNavLink']", has_text=title).first.click()
    page.wait_for_selector(f"h1:has-text('{title.split()[0]}')", timeout=60_000)
    idle(page)


def choose_round(page: Any, label: str) -> None:
    page.click(".st-key-council_round")
    page.get_by_role("option", name=label).click()
    idle(page)


def edit_detail_cell(page: Any, x: int, row: int, text: str) -> None:
    grid = page.locator("[data-testid='stDataFrame']").nth(1)
    grid.scroll_into_view_if_needed()
    page.wait_for_timeout(1200)  # the grid's canvas takes a moment to become interactive
    grid.dblclick(position={"x": x, "y": ROW * row + ROW // 2})
    # the cell's editor is an overlay (an input for numbers, a textarea for text); type
    # into it only once it is there, replacing the value it opened with
    editor = page.locator(".gdg-input").first
    editor.wait_for(state="visible", timeout=10_000)
    editor.select_text()  # focuses it too
    editor.press_sequentially(text)  # every key to the editor itself, never to the grid
    editor.press("Enter")


def edit_until(page: Any, x: int, row: int, text: str, saved: Any) -> None:
    """Edit a cell until the store has it. A canvas grid that is still drawing drops
    keystrokes in the browser (nothing reaches the server), so a lost edit is typed again;
    setting a cell to the same value twice is harmless."""
    for attempt in range(3):
        idle(page)
        edit_detail_cell(page, x, row, text)
        if wait_for(saved, timeout=20):
            return
        page.screenshot(path=str(SHOTS / f"lost-edit-{text[:10]}-{attempt}.png"))
    alerts = page.locator("[data-testid='stAlert']").all_inner_texts()
    raise AssertionError(f"the edit {text!r} never reached the store; the page says {alerts}")


def wait_for(condition: Any, timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.3)
    return False


def stored(store: Store, member: str, round_id: int) -> pd.DataFrame:
    scores = store.session(member, f"{member}-demo").scores(round_id)
    return scores[scores["member"] == member]


def test_two_members_score_at_once_and_stay_blind(
    browser: Any, server: Server, shots: Path
) -> None:
    jonas = sign_in(browser, server, "Jonas Weber", "m02-demo")
    lucia = sign_in(browser, server, "Lucía Fernández", "m03-demo")
    for page in (jonas, lucia):
        go(page, "Score")
        page.wait_for_selector("[data-testid='stProgress']", timeout=60_000)
    # both edit REQ-001 / customer impact (row 1 of the detail editor) at the same time
    edit_detail_cell(jonas, SCORE_X, 1, "4")
    edit_detail_cell(lucia, SCORE_X, 1, "2")
    edit_until(
        jonas, SCORE_X, 1, "4", lambda: len(stored(server.store, "m02", server.blind_round)) == 1
    )
    edit_until(
        lucia, SCORE_X, 1, "2", lambda: len(stored(server.store, "m03", server.blind_round)) == 1
    )
    edit_until(
        lucia,
        REASON_X,
        1,
        "Sales loses flexibility",
        lambda: (
            stored(server.store, "m03", server.blind_round)["reason"].tolist()
            == ["Sales loses flexibility"]
        ),
    )
    m02, m03 = (stored(server.store, m, server.blind_round) for m in ("m02", "m03"))
    assert m02[["requirement_id", "criterion", "score"]].values.tolist() == [
        ["REQ-001", "customer_impact", 4.0]
    ]
    assert m03["score"].tolist() == [2.0]
    idle(jonas)
    jonas.screenshot(path=str(shots / "score.png"), full_page=True)
    # blind: Jonas sees his own count only, and no group view before the reveal
    jonas.reload()
    jonas = sign_in(browser, server, "Jonas Weber", "m02-demo")
    go(jonas, "Score")
    assert "You have scored 1 of 280" in jonas.locator("[data-testid='stProgress']").inner_text()
    for title in ("Value matrix", "Debate"):
        go(jonas, title)
        assert "reveal" in jonas.locator("[data-testid='stMain']").inner_text().lower()
        assert jonas.locator(".js-plotly-plot").count() == 0
    assert "Sales loses flexibility" not in jonas.content()


def test_facilitator_reveals_decides_and_exports(
    browser: Any, server: Server, shots: Path, tmp_path: Path
) -> None:
    priya = sign_in(browser, server, "Priya Raman", "m01-demo")
    go(priya, "Round overview")
    assert "SCORING" in priya.locator("[data-testid='stMain']").inner_text()
    priya.click(".st-key-advance-round button")
    idle(priya)
    assert wait_for(
        lambda: server.store.session("m01", "m01-demo").round(server.blind_round).state == "debate"
    )
    # decide and export on the full example round
    choose_round(priya, "#1 Sales order errors (example) (debate)")
    for index, title in enumerate(PAGES):
        go(priya, title)
        main = priya.locator("[data-testid='stMain']")
        assert main.locator("[data-testid='stException']").count() == 0, title
        priya.screenshot(
            path=str(shots / f"{index + 1}-{title.lower().replace(' ', '-')}.png"), full_page=True
        )
    go(priya, "Decide")
    priya.fill(".st-key-decide-rationale textarea", "Errors start at entry: fix them there.")
    priya.click(".st-key-decide-record button")
    idle(priya)
    assert wait_for(lambda: not server.store.session("m01", "m01-demo").decisions(1).empty)
    assert "Log verified" in priya.locator("[data-testid='stMain']").inner_text()
    go(priya, "Export")
    with priya.expect_download(timeout=60_000) as download:
        priya.click(".st-key-export-download button")
    target = tmp_path / "portfolio.xlsx"
    download.value.save_as(target)
    workbook = openpyxl.load_workbook(target)
    assert {"Portfolio", "Ranking", "Scores", "Criteria", "Decisions", "About"} <= set(
        workbook.sheetnames
    )
    decisions = workbook["Decisions"]
    assert decisions.max_row >= 2


@pytest.mark.parametrize("member", ["m13"])
def test_observer_sees_but_cannot_score(
    browser: Any, server: Server, member: str, shots: Path
) -> None:
    page = sign_in(browser, server, "Nadia Petrova", f"{member}-demo")
    go(page, "Score")
    assert "do not score" in page.locator("[data-testid='stMain']").inner_text()
    page.screenshot(path=str(shots / "observer-score.png"), full_page=True)
