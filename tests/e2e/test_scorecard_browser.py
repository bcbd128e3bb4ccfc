"""The Scorecard page in Chromium on a real ``prioritize app`` over the example council:
after the council approved REQ-001 expecting first-time-right +8 points and the facilitator
recorded its go-live on 2026-05-01 (through the store), the facilitator opens the Scorecard:
the first-time-right chart with the go-live marker, the benefit table saying "delivering"
for REQ-001, the triggers grouped by requirement, and the forms; a member sees the same
page without the forms. Photographed into test-output/e2e/scorecard-*.png."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from prioritize.model.scorecard import ExpectedEffect
from tests.e2e.conftest import Server
from tests.e2e.test_browser import go, idle, main, sign_in
from tests.e2e.test_weights_browser import example_round

FTR = ExpectedEffect("first_time_right", 8.0, dt.date(2026, 9, 30), "fewer re-entries at entry")


def _shot(page: Any, shots: Path, name: str) -> None:
    """The whole page: Streamlit scrolls inside its own frame, so the window is made as
    tall as the page for the picture, then set back."""
    idle(page)
    expect(page.get_by_test_id("stSkeleton")).to_have_count(0)
    size = page.viewport_size
    height = page.evaluate("document.querySelector('[data-testid=stMain]').scrollHeight")
    page.set_viewport_size({"width": size["width"], "height": max(size["height"], height)})
    idle(page)
    page.screenshot(path=str(shots / f"scorecard-{name}.png"), full_page=True)
    page.set_viewport_size(size)


def test_the_facilitator_reads_the_scorecard_after_a_go_live(
    server: Server, browser: Any, shots: Path
) -> None:
    facilitator = server.store.session("m01", "m01-demo")
    rounds = facilitator.rounds()
    round_id = int(str(rounds.index[rounds["state"] == "debate"][0]))
    facilitator.record_decision(
        round_id, "REQ-001", "approve", rationale="controls at order entry", effects=[FTR]
    )
    facilitator.record_go_live(round_id, "REQ-001", dt.date(2026, 5, 1))
    expected = facilitator.benefit_realisation().table
    assert expected["status"].tolist() == ["delivering"]

    priya = sign_in(browser, server, "Priya Raman", "m01-demo")
    go(priya, "Scorecard")
    example_round(priya)
    chart = main(priya).locator(".js-plotly-plot").first
    expect(chart).to_be_visible()
    expect(chart).to_contain_text("First-time-right rate (%, higher is better)")
    expect(chart).to_contain_text("REQ-001 live")  # the go-live marker
    expect(chart).to_contain_text("target 85")
    expect(chart).to_contain_text("alert below 70")
    tables = main(priya).get_by_test_id("stDataFrame")
    benefits = tables.filter(has_text="before → after")
    expect(benefits).to_contain_text("REQ-001")
    expect(benefits).to_contain_text("delivering")
    expect(benefits).to_contain_text("2026-05-01")
    expect(main(priya)).to_contain_text("never split")  # the attribution rule
    triggers = tables.filter(has_text="flagged by")
    expect(triggers).to_be_visible()
    expect(main(priya)).to_contain_text("What should come back to the council")
    expect(priya.locator(".st-key-scorecard-import")).to_have_count(1)  # the forms
    _shot(priya, shots, "01-facilitator")
    chart.screenshot(path=str(shots / "scorecard-02-first-time-right.png"))

    # --- the overview says what changed ----------------------------------------------
    go(priya, "Round overview", heading=f"Round #{round_id}: {rounds.loc[round_id, 'name']}")
    expect(main(priya)).to_contain_text("What changed since the last round")
    expect(priya.locator(".st-key-changed-start")).to_have_count(1)
    _shot(priya, shots, "03-overview")

    # --- a member reads the same page without the forms ------------------------------
    hannah = sign_in(browser, server, "Hannah Okafor", "m05-demo")
    go(hannah, "Scorecard")
    example_round(hannah)
    expect(
        main(hannah).get_by_test_id("stDataFrame").filter(has_text="before → after")
    ).to_contain_text("delivering")
    expect(hannah.locator(".st-key-scorecard-import")).to_have_count(0)
    expect(hannah.get_by_test_id("stFileUploader")).to_have_count(0)
    _shot(hannah, shots, "04-member")
