"""The approved portfolio under a budget, in Chromium: the facilitator enters the budget and
a capacity on the Portfolio page and saves them; the page shows the optimal portfolio with
why each requirement is in or out; a member in their own browser sees the same portfolio
and computes the efficient frontier; the Decide page says whether a requirement is in it.
Photographed at 1400 px and 390 px wide (test-output/e2e/cycle-portfolio-*)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from tests.e2e.conftest import Server
from tests.e2e.test_browser import a_run, go, idle, main, sign_in
from tests.e2e.test_council_cycle import snap
from tests.e2e.test_weights_browser import enter, example_round


def test_the_facilitator_sets_a_budget_and_the_council_sees_the_portfolio(
    server: Server, browser: Any, shots: Path
) -> None:
    facilitator = server.store.session("m01", "m01-demo")
    rounds = facilitator.rounds()
    round_id = int(str(rounds.index[rounds["state"] == "debate"][0]))
    priya = sign_in(browser, server, "Priya Raman", "m01-demo")
    go(priya, "Portfolio")
    example_round(priya)
    expect(main(priya)).to_contain_text("No budget yet")
    enter(priya, ".st-key-portfolio-budget input", "2000000")
    enter(priya, ".st-key-portfolio-capacity input", "3000")
    idle(priya)
    with a_run(priya):
        priya.click(".st-key-portfolio-save button")
    expect(main(priya).get_by_test_id("stAlert").first).to_contain_text("The budget is saved")
    expect(main(priya)).to_contain_text("Budget 2,000,000, capacity 3,000 person-days")
    expect(main(priya).get_by_test_id("stMetric").first).to_contain_text("Funded")
    snap(priya, shots, "portfolio-01-facilitator")
    saved = facilitator.budget(round_id)
    assert saved is not None and saved.budget == 2_000_000 and saved.capacity == 3_000
    optimal = facilitator.optimal_portfolio(round_id)
    assert optimal is not None and optimal.feasible and optimal.total_cost <= 2_000_000
    # --- a member sees the same and asks for the frontier --------------------------------
    hannah = sign_in(browser, server, "Hannah Okafor", "m05-demo")
    go(hannah, "Portfolio")
    example_round(hannah)
    expect(main(hannah)).to_contain_text(f"Funded{len(optimal.selected)} of")
    expect(hannah.locator(".st-key-portfolio-budget")).to_have_count(0)
    idle(hannah)
    with a_run(hannah):
        hannah.click(".st-key-portfolio-frontier button")
    expect(main(hannah)).to_contain_text("What the next 10 % of budget would buy")
    expect(main(hannah).locator(".js-plotly-plot").first).to_be_visible()
    snap(hannah, shots, "portfolio-02-frontier")
