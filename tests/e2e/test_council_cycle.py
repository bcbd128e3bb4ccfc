"""A real council's first cycle, in Chromium, without the command line: from an empty
database, the first facilitator sets up the council, registers two members (each with a
one-time passcode shown once), prepares a round (its own criteria set uploaded, a
malformed requirements file refused with its problems, a good one uploaded), opens
scoring; the two members sign in in their own browsers, choose their passcodes and score
at once -- one answers on the page and cannot judge a criterion, the other uploads a file
-- each seeing only their own; the facilitator reveals through the confirmation, a reload
keeps everyone signed in, a decision is recorded, a second round is started from the
first and revealed, the Compare page shows what moved, and the workbook opens in
openpyxl. Every page is photographed at 1400 px and 390 px wide (test-output/e2e/cycle-*)."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
from playwright.sync_api import expect

import prioritize as pz
from prioritize import resources
from tests.e2e.conftest import TIMEOUT_MS, Server
from tests.e2e.test_browser import (
    _STREAMS,
    a_run,
    answer,
    go,
    idle,
    main,
    reason,
    title,
    toasted,
)

BUNDLED = resources.criteria_dir() / "customer-operations.yaml"
CRITERIA = pz.load_criteria(BUNDLED)
REQUIREMENTS = (
    "id,title,description,requested_by\n"
    "A1,Check VAT numbers at order entry,Orders with a wrong VAT number are invoiced wrong,"
    "Finance\n"
    "A2,One approved product catalogue,Sales quotes products we no longer sell,Operations\n"
    "A3,Service checklist before confirming,Service details are missing on 1 order in 5,"
    "Customer Service\n"
)
#: Two problems: a requirement without a title (row 3) and an id given twice (row 4).
MALFORMED = "id,title\nA1,Check VAT numbers\nA2,\nA1,Again the first\n"
PASSCODES = {
    "f01": "anna chooses a long one",
    "m01": "ben's own passphrase",
    "m02": "chiara's own one",
}
WIDE, NARROW = {"width": 1400, "height": 1000}, {"width": 390, "height": 844}


def new_page(browser: Any) -> Any:
    """A browser of its own (own cookies), its websocket watched by :func:`a_run`."""
    context = browser.new_context(viewport=WIDE)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.on("websocket", lambda stream: _STREAMS.__setitem__(page, stream))
    return page


def snap(page: Any, shots: Path, name: str) -> None:
    """The page as drawn now at 1400 px, and the same address opened at 390 px wide in a
    new tab of the same browser, as a phone would show it (signed in by its cookie, the
    sidebar folded away)."""
    idle(page)
    expect(page.get_by_test_id("stSkeleton")).to_have_count(0)
    page.screenshot(path=str(shots / f"cycle-{name}-1400.png"), full_page=True)
    phone = page.context.new_page()
    phone.set_viewport_size(NARROW)
    phone.goto(page.url)
    expect(main(phone).locator("h1")).to_be_visible()
    idle(phone)
    # widgets are drawn as grey placeholders first, then filled in
    expect(phone.get_by_test_id("stSkeleton")).to_have_count(0)
    phone.screenshot(path=str(shots / f"cycle-{name}-390.png"), full_page=True)
    phone.close()


def submit(page: Any, selector: str) -> None:
    """Press a button and wait until the server finished the run it caused."""
    idle(page)
    with a_run(page):
        page.click(selector)
    idle(page)


def alert(page: Any, text: str) -> None:
    expect(main(page).get_by_test_id("stAlert").filter(has_text=text).first).to_be_visible()


def register(page: Any, member_id: str, name: str, department: str) -> str:
    """Register a member on Council members; the one-time passcode the page shows once."""
    page.fill(".st-key-members-id input", member_id)
    page.fill(".st-key-members-name input", name)
    page.fill(".st-key-members-department input", department)
    submit(page, ".st-key-members-register button")
    code = main(page).get_by_test_id("stCode")
    expect(code).to_have_count(1)
    passcode = code.inner_text().strip()
    assert len(passcode) >= 12
    return passcode


def first_sign_in(page: Any, server: Server, name: str, one_time: str, own: str) -> None:
    """Sign in with the one-time passcode, then choose one's own (the page asks first)."""
    page.goto(server.url)
    expect(page.locator(".st-key-sign-in-passcode input")).to_be_visible()
    idle(page)
    page.click(".st-key-sign-in-member input")
    page.get_by_role("option", name=name).click()
    page.fill(".st-key-sign-in-passcode input", one_time)
    submit(page, ".st-key-sign-in-submit button")
    expect(title(page)).to_have_text("Choose your passcode")
    page.fill(".st-key-passcode-old input", one_time)
    page.fill(".st-key-passcode-new input", own)
    page.fill(".st-key-passcode-again input", own)
    submit(page, ".st-key-passcode-submit button")
    expect(title(page)).to_contain_text("Round #")
    expect(page.get_by_test_id("stSidebar")).to_contain_text(name)
    idle(page)


def advance(page: Any, button_text: str, dialog_text: str, state: str) -> None:
    """Open scoring / reveal on the Round overview, through its confirmation dialog."""
    expect(page.locator(".st-key-advance-round button")).to_have_text(button_text)
    submit(page, ".st-key-advance-round button")
    dialog = page.get_by_test_id("stDialog")
    expect(dialog).to_contain_text(dialog_text)
    with a_run(page):
        page.click(".st-key-confirm-advance button")
    expect(main(page)).to_contain_text(state.upper())
    idle(page)


def scores_file(folder: Path, member: str, shift: int) -> Path:
    """Every answer of ``member`` for the three requirements, as a scores file."""
    rows = [
        (rid, member, c.id, 1 + (index + position + shift) % 5, f"{c.name}: seen in the data")
        for index, rid in enumerate(("A1", "A2", "A3"))
        for position, c in enumerate(CRITERIA)
    ]
    path = folder / f"{member}-scores-{shift}.csv"
    pd.DataFrame(rows, columns=["requirement_id", "member", "criterion", "score", "reason"]).to_csv(
        path, index=False
    )
    return path


def upload_scores(page: Any, round_id: int, path: Path, count: int) -> None:
    """On the Score page: upload a scores file and import it."""
    expect(title(page)).to_have_text("Score")
    page.get_by_text("Upload my scores from a file").click()
    with a_run(page):  # an upload outside a form runs the page
        page.set_input_files(f".st-key-score-upload-{round_id} input[type=file]", str(path))
    idle(page)
    with a_run(page):
        page.click(".st-key-score-upload-import button")
    toasted(page, f"Imported {count} scores from {path.name}.")


def test_a_council_runs_its_first_cycle_in_the_browser(
    browser: Any, empty_server: Server, shots: Path, tmp_path: Path
) -> None:
    server, store = empty_server, empty_server.store
    # --- 1. the first facilitator sets up the council -----------------------------------
    anna = new_page(browser)
    anna.goto(server.url)
    expect(title(anna)).to_have_text("Set up the council")
    snap(anna, shots, "01-set-up")
    for key, value in (
        ("setup-id", "f01"),
        ("setup-name", "Anna Schmidt"),
        ("setup-department", "Operations"),
        ("setup-passcode", PASSCODES["f01"]),
        ("setup-again", PASSCODES["f01"]),
    ):
        anna.fill(f".st-key-{key} input", value)
    submit(anna, ".st-key-setup-submit button")
    expect(anna.get_by_test_id("stSidebar")).to_contain_text("Anna Schmidt")
    # --- 2. she registers two members, each passcode shown once -------------------------
    go(anna, "Council members")
    one_time = {
        "m01": register(anna, "m01", "Ben Okoro", "Sales"),
        "m02": register(anna, "m02", "Chiara Rossi", "Legal"),
    }
    snap(anna, shots, "02-council-members")
    go(anna, "Round overview", "Round overview")
    go(anna, "Council members")
    expect(main(anna).get_by_test_id("stCode")).to_have_count(0)  # shown once, not again
    assert set(store.council().index) == {"f01", "m01", "m02"}
    # --- 3. she prepares the round: criteria chosen, a bad file refused, a good one -------
    go(anna, "Prepare a round")
    # their own copy of the bundled set: no criterion is reserved to a department (owners),
    # as this small council has no Finance or IT member to score those
    ours = tmp_path / "our-criteria.yaml"
    ours.write_text(
        "".join(
            line.replace("name: Customer operations", "name: Our council's criteria")
            for line in BUNDLED.read_text(encoding="utf-8").splitlines(keepends=True)
            if "owners:" not in line
        ),
        encoding="utf-8",
    )
    anna.click(".st-key-prepare-criteria input")
    anna.get_by_role("option", name="Our own criteria set").click()
    anna.set_input_files(".st-key-prepare-criteria-file input[type=file]", str(ours))
    bad, good = tmp_path / "requirements-draft.csv", tmp_path / "requirements.csv"
    bad.write_text(MALFORMED, encoding="utf-8")
    good.write_text(REQUIREMENTS, encoding="utf-8")
    anna.fill(".st-key-prepare-name input", "Order errors, first look")
    anna.set_input_files(".st-key-prepare-requirements-file input[type=file]", str(bad))
    submit(anna, ".st-key-prepare-create button")
    alert(anna, "The round was not created")
    problems = main(anna).get_by_test_id("stDataFrame")  # the problems, one row each
    expect(problems).to_have_count(1)
    expect(problems).to_be_visible()
    snap(anna, shots, "03-prepare-refused")
    assert store.session("f01", PASSCODES["f01"]).rounds().empty  # nothing half-made
    anna.set_input_files(".st-key-prepare-requirements-file input[type=file]", str(good))
    submit(anna, ".st-key-prepare-create button")
    alert(anna, "is created as a draft with 3 requirements and 3 members")
    expect(main(anna).get_by_test_id("stDataFrame")).to_be_visible()  # the requirements
    snap(anna, shots, "04-prepare-requirements")
    facilitator = store.session("f01", PASSCODES["f01"])
    first = int(facilitator.rounds().index[0])
    assert list(facilitator.requirements(first).ids) == ["A1", "A2", "A3"]
    assert facilitator.criteria(first).name == "Our council's criteria"
    assert facilitator.round(first).criteria_sha256 == hashlib.sha256(ours.read_bytes()).hexdigest()
    # --- 4. she opens scoring, through the confirmation ---------------------------------
    go(anna, "Round overview", f"Round #{first}: Order errors, first look")
    advance(anna, "Open scoring", "blind", "scoring")
    # --- 5. both members sign in, each in their own browser, and choose a passcode -------
    ben, chiara = new_page(browser), new_page(browser)
    first_sign_in(ben, server, "Ben Okoro", one_time["m01"], PASSCODES["m01"])
    first_sign_in(chiara, server, "Chiara Rossi", one_time["m02"], PASSCODES["m02"])
    # --- 6. they score at once: Ben on the page (cannot judge one), Chiara by file -------
    go(ben, "Score")
    answer(ben, first, "A1", CRITERIA.ids[0], "4")
    reason(ben, first, "A1", CRITERIA.ids[0]).fill("Sales re-keys 30 orders a week")
    answer(ben, first, "A1", CRITERIA.ids[1], "Cannot judge")
    answer(ben, first, "A1", CRITERIA.ids[2], "2")
    go(chiara, "Score")
    chiara.get_by_text("Upload my scores from a file").click()
    with a_run(chiara):
        chiara.set_input_files(
            f".st-key-score-upload-{first} input[type=file]", str(scores_file(tmp_path, "m02", 0))
        )
    idle(chiara)
    with a_run(ben, chiara):  # both press at the same moment
        ben.click(".st-key-score-save button")
        chiara.click(".st-key-score-upload-import button")
    toasted(ben, "Saved 3 answers of A1; 7 criteria still open.")
    toasted(chiara, "Imported 30 scores from m02-scores-0.csv.")
    snap(ben, shots, "05-score")
    mine = store.session("m01", PASSCODES["m01"]).scores(first)
    assert set(mine["member"]) == {"m01"}  # blind: Ben reads only his own
    assert mine["abstained"].tolist().count(True) == 1
    assert len(store.session("m02", PASSCODES["m02"]).scores(first)) == 30
    expect(ben.get_by_test_id("stProgress")).to_contain_text("You have answered 3 of 30")
    assert "seen in the data" not in ben.content()  # Chiara's reasons stay hers
    go(ben, "Value matrix")
    expect(main(ben)).to_contain_text("appears when the facilitator reveals the scores")
    # --- 7. the facilitator reveals; the dialog names who has not finished ---------------
    expect(title(anna)).to_have_text(f"Round #{first}: Order errors, first look")
    advance(anna, "Reveal scores", "Not finished: ", "debate")
    snap(anna, shots, "06-overview-revealed")
    # --- 8. a reload keeps everyone signed in; Ben's page learns of the reveal ----------
    for page, name in ((ben, "Ben Okoro"), (chiara, "Chiara Rossi"), (anna, "Anna Schmidt")):
        page.reload()
        expect(page.get_by_test_id("stSidebar")).to_contain_text(name)
        idle(page)
    go(ben, "Debate")
    ben.click(".st-key-debate-requirement input")
    with a_run(ben):
        ben.get_by_role("option").filter(has_text="A1 —").click()
    expect(main(ben)).to_contain_text("A1 Check VAT numbers at order entry")
    expect(main(ben).get_by_test_id("stDataFrame").first).to_contain_text("cannot judge")
    snap(ben, shots, "07-debate")
    # --- 9. a decision is recorded -------------------------------------------------------
    go(anna, "Decide")
    rationale = "Wrong VAT numbers cost Finance a day a week."
    field = main(anna).locator("[class*='st-key-decide-rationale-'] textarea")
    with a_run(anna):
        field.fill(rationale)
        field.press("Control+Enter")
    submit(anna, ".st-key-decide-record button")
    expect(main(anna)).to_contain_text("Log intact: 1 decision")
    snap(anna, shots, "08-decide")
    decisions = facilitator.decisions(first)
    assert decisions["rationale"].tolist() == [rationale]
    # --- 10. a second round from the first, scored again and revealed --------------------
    go(anna, "Prepare a round")
    with a_run(anna):
        main(anna).get_by_role("radio", name="From a previous round").click()
    idle(anna)
    anna.fill(".st-key-prepare-previous-name input", "Order errors, second look")
    submit(anna, ".st-key-prepare-start-from button")
    alert(anna, "is created from round")
    second = int(facilitator.rounds().index[0])
    assert second != first
    go(anna, "Round overview", f"Round #{second}: Order errors, second look")
    advance(anna, "Open scoring", "blind", "scoring")
    chiara.reload()  # she picks the new round: the newest is the sidebar's default
    expect(chiara.locator(".st-key-council_round input")).to_have_value(re.compile("second look"))
    idle(chiara)
    upload_scores(chiara, second, scores_file(tmp_path, "m02", 2), 30)
    advance(anna, "Reveal scores", "Not finished: ", "debate")
    # --- 11. the Compare page shows what moved ------------------------------------------
    go(anna, "Compare rounds")
    expect(main(anna)).to_contain_text("From Order errors, first look to Order errors, second look")
    expect(main(anna).get_by_test_id("stPlotlyChart").first).to_be_visible()
    snap(anna, shots, "09-compare")
    # --- 12. the first round's workbook downloads and opens, its decision in it ---------
    go(anna, "Export")
    anna.click(".st-key-council_round input")
    with a_run(anna):
        anna.get_by_role("option").filter(has_text=f"#{first} Order errors, first look").click()
    expect(main(anna)).to_contain_text("Order errors, first look")
    idle(anna)
    with anna.expect_download() as download:
        anna.click(".st-key-export-download button")
    target = tmp_path / "portfolio.xlsx"
    download.value.save_as(target)
    workbook = openpyxl.load_workbook(target)
    assert {"Portfolio", "Ranking", "Scores", "Decisions"} <= set(workbook.sheetnames)
    header = [cell.value for cell in workbook["Decisions"][1]]
    rows = [
        dict(zip(header, r, strict=True))
        for r in workbook["Decisions"].iter_rows(2, values_only=True)
    ]
    assert [r["rationale"] for r in rows] == [rationale]
    snap(anna, shots, "10-export")
    # every other page, for the record and for a look at 390 px
    for page_name, name in (
        ("Score", "11-score-facilitator"),
        ("Value matrix", "12-matrix"),
        ("Sensitivity", "13-sensitivity"),
        ("My passcode", "14-passcode"),
    ):
        go(anna, page_name)
        expect(main(anna).get_by_test_id("stException")).to_have_count(0)
        snap(anna, shots, name)
    for page in (anna, ben, chiara):
        page.context.close()
    check = store.verify_log()
    assert check.ok and check.entries == 1
