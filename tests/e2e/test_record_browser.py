"""End to end, in a real browser: what people type is kept as typed and where it belongs.
A comment full of Markdown and addresses is shown as text (no link, no image fetched), and
two decisions recorded in a row each keep their own rationale in the log."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from tests.e2e.conftest import Server
from tests.e2e.test_browser import a_run, choose_round, go, idle, main, saved, sign_in

HOSTILE = (
    "![pixel](http://evil.example/pixel.png) [re-enter your passcode](http://evil.example/login)"
    " www.evil.example <img src=http://evil.example/x.png> phish@evil.example"
)


def _record(page: Any, rationale: str, outcome: str | None = None) -> None:
    field = main(page).locator("[class*='st-key-decide-rationale-'] textarea")
    expect(field).to_have_value("")  # a fresh form: nothing typed for another requirement
    if outcome is not None:
        with a_run(page):
            main(page).locator("[data-testid='stRadio']").get_by_text(outcome, exact=True).click()
        idle(page)
    with a_run(page):
        field.fill(rationale)
        field.press("Control+Enter")
    with a_run(page):
        page.click(".st-key-decide-record button")


def test_typed_text_stays_text_and_each_rationale_its_own(
    browser: Any, server: Server, shots: Path
) -> None:
    priya = sign_in(browser, server, "Priya Raman", "m01-demo")
    fetched: list[str] = []
    priya.on("request", lambda request: fetched.append(request.url))
    choose_round(priya, "#1 Sales order errors (example) (debate)", "Sales order errors (example)")

    go(priya, "Debate")
    main(priya).get_by_role("tab", name="Comments").click()  # tabs switch in the browser
    body = main(priya).locator("[class*='st-key-comment-body-'] textarea")
    body.fill(HOSTILE)
    with a_run(priya):
        main(priya).get_by_role("button", name="Post").click()
    idle(priya)
    main(priya).get_by_role("tab", name="Comments").click()
    expect(main(priya)).to_contain_text("re-enter your passcode")
    expect(main(priya)).to_contain_text("phish")
    expect(main(priya).locator("a[href*='evil']")).to_have_count(0)
    expect(main(priya).locator("img[src*='evil']")).to_have_count(0)
    priya.screenshot(path=str(shots / "debate-hostile-comment.png"), full_page=True)
    assert not [url for url in fetched if "evil" in url]

    evaluation = server.store.session("m01", "m01-demo").evaluation(1)
    first, second = (str(r) for r in evaluation.table.index[:2])
    go(priya, "Decide")
    _record(priya, "first: errors start at entry")
    saved(priya, f"{first} → approve.")
    label = f"{second} — {evaluation.table.loc[second, 'title']}"
    priya.click(".st-key-decide-requirement")
    with a_run(priya):
        priya.get_by_role("option", name=label).click()
    # the run has finished on the server; wait until the page shows its form (the heading
    # names the requirement in bold), or the clicks below could land on the last one's
    expect(main(priya).locator("strong", has_text=second)).to_be_visible()
    idle(priya)
    _record(priya, "second: not before the catalogue is clean", outcome="postpone")
    saved(priya, f"{second} → postpone.")
    log = server.store.session("m01", "m01-demo").decisions(1)
    assert log[["requirement_id", "outcome", "rationale"]].values.tolist() == [
        [first, "approve", "first: errors start at entry"],
        [second, "postpone", "second: not before the catalogue is clean"],
    ]
    # and after recording, the form is empty again
    expect(main(priya).locator("[class*='st-key-decide-rationale-'] textarea")).to_have_value("")
