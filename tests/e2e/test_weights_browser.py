"""Weights the council owns, in Chromium: two members, each in their own browser, propose
weights on the Weights page (one by rank order with ties, one by 100 points) with a reason;
the facilitator sees both side by side and adopts the council's mean, which becomes the
round's weights and an entry of the verified decision log. The pages are photographed at
1400 px and 390 px wide (test-output/e2e/weights-*)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from playwright.sync_api import expect

from prioritize.council.decisions import ADOPT_WEIGHTS
from tests.e2e.conftest import Server
from tests.e2e.test_browser import a_run, go, idle, main, sign_in
from tests.e2e.test_council_cycle import snap


def enter(page: Any, selector: str, value: str) -> None:
    """Type into a number or text field and commit it (Enter; Ctrl+Enter in a text area),
    waiting for the run it causes."""
    field = page.locator(selector)
    idle(page)
    with a_run(page):
        field.fill(value)
        field.press("Control+Enter" if "textarea" in selector else "Enter")
    idle(page)


def example_round(page: Any) -> None:
    """Pick the revealed example round in the sidebar (the newest, blind one is the default)."""
    idle(page)
    page.locator(".st-key-council_round").scroll_into_view_if_needed()  # below the links
    page.click(".st-key-council_round")
    with a_run(page):
        page.get_by_role("option").filter(has_text="(debate)").click()
    idle(page)


def choose_method(page: Any, label: str) -> None:
    idle(page)
    with a_run(page):
        main(page).locator(".st-key-weights-method").get_by_text(label).click()
    idle(page)


def save(page: Any) -> None:
    idle(page)
    with a_run(page):
        page.click(".st-key-weights-save button")
    expect(main(page).get_by_test_id("stAlert").first).to_contain_text("Your weights are saved")
    idle(page)


def test_members_propose_weights_and_the_facilitator_adopts_them(
    server: Server, browser: Any, shots: Path
) -> None:
    facilitator = server.store.session("m01", "m01-demo")
    rounds = facilitator.rounds()
    round_id = int(str(rounds.index[rounds["state"] == "debate"][0]))  # the example's
    ids = list(facilitator.criteria(round_id).ids)
    # --- Rafael (IT) by rank order, two criteria tied at each place ----------------------
    rafael = sign_in(browser, server, "Rafael Costa", "m08-demo")
    go(rafael, "Weights")
    example_round(rafael)
    choose_method(rafael, "Rank order")
    for position, cid in enumerate(ids):
        enter(rafael, f".st-key-weights-rank-{cid} input", str(1 + 2 * (position // 2)))
    enter(rafael, ".st-key-weights-reason textarea", "Security and effort first: IT runs it")
    expect(main(rafael).locator(".st-key-weights-save button")).to_be_enabled()
    save(rafael)
    snap(rafael, shots, "weights-01-propose")
    # --- Daniel (Finance) by 100 points ----------------------------------------------------
    daniel = sign_in(browser, server, "Daniel Mensah", "m06-demo")
    go(daniel, "Weights")
    example_round(daniel)
    for position, cid in enumerate(ids):
        enter(daniel, f".st-key-weights-points-{cid} input", "19" if position == 0 else "9")
    expect(main(daniel)).to_contain_text("Total: 100 of 100 points.")
    enter(daniel, ".st-key-weights-reason textarea", "Customers pay the bills")
    save(daniel)
    # --- Priya, the facilitator, sees both and adopts the mean ----------------------------
    priya = sign_in(browser, server, "Priya Raman", "m01-demo")
    go(priya, "Weights")
    example_round(priya)
    table = main(priya).get_by_test_id("stDataFrame").filter(has_text="Rafael Costa")
    expect(table.first).to_be_visible()
    idle(priya)
    with a_run(priya):
        priya.click(".st-key-weights-adopt button")
    expect(main(priya).get_by_test_id("stAlert").first).to_contain_text("adopted and logged")
    snap(priya, shots, "weights-02-adopted")
    proposals = facilitator.weight_proposals(round_id)
    assert proposals.members == ["m06", "m08"]
    assert proposals.table.at["m08", "method"] == "rank"
    mean = proposals.aggregate("mean").weights
    np.testing.assert_allclose(
        facilitator.criteria(round_id).weights[mean.index].to_numpy(), mean.to_numpy(), atol=1e-12
    )
    log = facilitator.decisions(round_id)
    assert log["outcome"].tolist()[-1] == ADOPT_WEIGHTS
    assert server.store.verify_log().ok
