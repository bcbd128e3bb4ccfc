"""Several app servers on one PostgreSQL database, in Chromium: two ``prioritize app``
processes serve the same council. Two members, each in their own browser on a different
process, save their scores at the same moment; the facilitator, in a third browser, sees
both on the overview and reveals; both members' pages show the reveal at their next run.
A score saved through one process is on the other's next run (the reveal dialog, drawn
afresh by each run, names who has answered how much). Screenshots:
test-output/e2e/two-servers-*."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from playwright.sync_api import expect

from prioritize.store import Store, import_example
from tests.conftest import postgres_server
from tests.e2e.conftest import Server, _require_chromium, running_app
from tests.e2e.test_browser import (
    a_run,
    answer,
    go,
    idle,
    main,
    reason,
    save_button,
    sign_in,
    title,
    toasted,
)
from tests.e2e.test_council_cycle import advance

#: A small criteria set whose every level has words (the Score page labels a level
#: "4 · Clear"), and no criterion reserved to a department: every member scores all.
LEVELS = {1: "None", 2: "Small", 3: "Noticeable", 4: "Clear", 5: "Large"}
CRITERIA = {
    "version": 1,
    "name": "Two servers",
    "criteria": [
        {
            "id": "impact",
            "name": "Customer impact",
            "group": "customer impact",
            "direction": "benefit",
            "weight": 0.6,
            "scale": {"min": 1, "max": 5, "levels": LEVELS},
        },
        {
            "id": "cost",
            "name": "Cost",
            "group": "cost",
            "direction": "cost",
            "weight": 0.4,
            "scale": {"min": 1, "max": 5, "levels": LEVELS},
        },
    ],
}
REQUIREMENTS = pd.DataFrame(
    {
        "id": ["R1"],
        "title": ["Check VAT numbers at order entry"],
        "description": ["Orders with a wrong VAT number are invoiced wrong."],
    }
)
#: The example council's facilitator (tests check it against the store).
FACILITATOR = ("m01", "Priya Raman")


def _passcode(member: str) -> str:
    return f"{member}-demo"


def _blind_round(store: Store, name: str, members: tuple[str, ...]) -> int:
    """A new round of R1 under :data:`CRITERIA` with ``members``, opened for scoring
    (blind) through the store; the newest round, so every page opened after it shows it."""
    facilitator = store.session(FACILITATOR[0], _passcode(FACILITATOR[0]))
    created = facilitator.create_round(name, CRITERIA, REQUIREMENTS, members=members)
    return facilitator.start_scoring(created.id).id


@pytest.fixture(scope="module")
def two_servers(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Server, Server]]:
    """Two ``prioritize app`` processes on one new PostgreSQL database holding the example
    council (dropped afterwards)."""
    _require_chromium()
    postgres = postgres_server(request)
    url = postgres.create()
    try:
        store = Store(url)
        import_example(store)
        council = store.council()
        assert council.loc[FACILITATOR[0], "role"] == "facilitator"
        assert council.loc[FACILITATOR[0], "name"] == FACILITATOR[1]
        first, second = (tmp_path_factory.mktemp(f"server-{n}") for n in (1, 2))
        with running_app(first, url) as one, running_app(second, url) as two:
            assert one != two
            yield Server(one, url, store, 0), Server(two, url, store, 0)
    finally:
        postgres.drop(url)


def _score_r1(page: Any, round_id: int, levels: dict[str, str], why: str) -> None:
    """On the Score page: pick a level for each criterion of R1 and give a reason (not
    saved yet)."""
    go(page, "Score")
    expect(page.get_by_test_id("stProgress")).to_contain_text("You have answered 0 of 2.")
    for criterion, level in levels.items():
        answer(page, round_id, "R1", criterion, level)
        reason(page, round_id, "R1", criterion).fill(f"{why} ({criterion})")


def _open_reveal_dialog(page: Any) -> Any:
    """Press Reveal scores on the overview: a full run draws the dialog, which names who
    has not finished and how far each is, read from the store in that run."""
    idle(page)
    with a_run(page):
        page.click(".st-key-advance-round button")
    dialog = page.get_by_test_id("stDialog")
    expect(dialog).to_be_visible()
    idle(page)
    return dialog


def _cancel_dialog(page: Any) -> None:
    with a_run(page):
        page.click(".st-key-cancel-advance button")
    expect(page.get_by_test_id("stDialog")).to_have_count(0)
    idle(page)


def test_two_members_on_two_servers_score_at_once_and_the_facilitator_reveals(
    browser: Any, two_servers: tuple[Server, Server], shots: Path
) -> None:
    one, two = two_servers
    store = one.store
    round_id = _blind_round(store, "Two servers, one council", ("m02", "m05"))
    heading = f"Round #{round_id}: Two servers, one council"
    # the facilitator on server 1, the members on server 1 and server 2
    priya = sign_in(browser, one, FACILITATOR[1], _passcode(FACILITATOR[0]))
    expect(title(priya)).to_have_text(heading)
    expect(main(priya)).to_contain_text("SCORING")
    expect(main(priya)).to_contain_text("0 of 2 members have scored everything.")
    jonas = sign_in(browser, one, "Jonas Weber", "m02-demo")
    hannah = sign_in(browser, two, "Hannah Okafor", "m05-demo")
    _score_r1(jonas, round_id, {"impact": "4", "cost": "2"}, "Sales re-keys 30 orders a week")
    _score_r1(hannah, round_id, {"impact": "2", "cost": "4"}, "Legal must check each change")
    # both press Save at once: the two clicks are sent back to back without waiting, so
    # the two processes run their saves (one transaction each, on PostgreSQL) together
    with a_run(jonas, hannah):
        save_button(jonas).click()
        save_button(hannah).click()
    for page in (jonas, hannah):
        toasted(page, "Saved 2 answers of R1; every criterion answered.")
        expect(page.get_by_test_id("stProgress")).to_contain_text("You have answered 2 of 2.")
    jonas.screenshot(path=str(shots / "two-servers-1-member-on-server-1.png"), full_page=True)
    hannah.screenshot(path=str(shots / "two-servers-2-member-on-server-2.png"), full_page=True)
    # both are in the store, each written by its own process
    for member, levels in (("m02", [4.0, 2.0]), ("m05", [2.0, 4.0])):
        mine = store.session(member, _passcode(member)).scores(round_id)
        assert set(mine["member"]) == {member}  # blind: each reads only their own
        assert mine.set_index("criterion").loc[["impact", "cost"], "score"].tolist() == levels
    progress = store.session(FACILITATOR[0], _passcode(FACILITATOR[0])).progress(round_id)
    assert progress["scored"].to_dict() == {"m02": 2, "m05": 2}
    # blind: neither member's page shows the other's reason
    assert "Legal must check" not in jonas.content()
    assert "Sales re-keys" not in hannah.content()
    # the facilitator's next run shows both: Hannah's score came through the other process
    go(priya, "Value matrix")
    go(priya, "Round overview", heading)
    expect(main(priya)).to_contain_text("2 of 2 members have scored everything.")
    table = main(priya).get_by_test_id("stDataFrame")  # while scoring, progress alone
    expect(table).to_have_count(1)
    for name in ("Jonas Weber", "Hannah Okafor"):
        expect(table).to_contain_text(name)
    priya.screenshot(path=str(shots / "two-servers-3-facilitator-progress.png"), full_page=True)
    advance(priya, "Reveal scores", "Everyone has scored everything.", "debate")
    assert store.session("m02", "m02-demo").round(round_id).state == "debate"
    priya.screenshot(path=str(shots / "two-servers-4-facilitator-revealed.png"), full_page=True)
    # each member's next run, on their own process, shows the reveal and the other's reason
    for page, other in ((jonas, "Legal must check each change"), (hannah, "Sales re-keys")):
        page.reload()
        expect(title(page)).to_have_text("Score")
        expect(main(page)).to_contain_text("Scores are revealed.")
        idle(page)
        go(page, "Round overview", heading)
        expect(main(page)).to_contain_text("DEBATE")
        go(page, "Debate")
        reasons = main(page).get_by_test_id("stDataFrame").filter(has_text=other)
        expect(reasons).to_have_count(1)  # the other's reason, in the table of reasons
        # one requirement: nothing to compare it with, said so, no error
        expect(main(page)).to_contain_text("nothing to compare it with")
        expect(main(page).get_by_test_id("stException")).to_have_count(0)
        expect(main(page)).not_to_contain_text("check the input")
    jonas.screenshot(path=str(shots / "two-servers-5-debate-on-server-1.png"), full_page=True)
    hannah.screenshot(path=str(shots / "two-servers-6-debate-on-server-2.png"), full_page=True)
    for member in ("m02", "m05"):  # revealed: each now reads both members' scores
        assert len(store.session(member, _passcode(member)).scores(round_id)) == 4
    for page in (priya, jonas, hannah):
        page.context.close()


def test_a_score_saved_on_one_server_is_on_the_others_next_run(
    browser: Any, two_servers: tuple[Server, Server], shots: Path
) -> None:
    one, two = two_servers
    round_id = _blind_round(one.store, "Saved on one, seen on the other", ("m06", "m08"))
    # the facilitator on server 2 sees that nobody has answered yet
    priya = sign_in(browser, two, FACILITATOR[1], _passcode(FACILITATOR[0]))
    expect(title(priya)).to_have_text(f"Round #{round_id}: Saved on one, seen on the other")
    dialog = _open_reveal_dialog(priya)
    expect(dialog).to_contain_text(
        "Not finished: Daniel Mensah (Finance) 0 of 2 answered, Rafael Costa (IT) 0 of 2 answered"
    )
    _cancel_dialog(priya)
    # Daniel answers one criterion of two on server 1
    daniel = sign_in(browser, one, "Daniel Mensah", "m06-demo")
    go(daniel, "Score")
    answer(daniel, round_id, "R1", "impact", "3")
    with a_run(daniel):
        save_button(daniel).click()
    toasted(daniel, "Saved 1 answer of R1; 1 criterion still open.")
    # the facilitator's next run on server 2 counts it
    dialog = _open_reveal_dialog(priya)
    expect(dialog).to_contain_text(
        "Not finished: Daniel Mensah (Finance) 1 of 2 answered, Rafael Costa (IT) 0 of 2 answered"
    )
    priya.screenshot(path=str(shots / "two-servers-7-next-run-counts.png"), full_page=True)
    _cancel_dialog(priya)
    scores = one.store.session("m06", "m06-demo").scores(round_id)
    assert scores[["criterion", "score"]].values.tolist() == [["impact", 3.0]]
    for page in (priya, daniel):
        page.context.close()
