"""The facilitator's set-up pages (issue 11, item 1), driven through the page with
streamlit.testing and read back through the store: Prepare a round (create from a bundled or
uploaded criteria set and an uploaded or typed requirement, start from a previous round,
prepare a draft's requirements and members) and Council members (register with a passcode
shown once, reset it, change a role, deactivate). Uploads go through AppTest's own
``file_uploader`` (Streamlit 1.67 drives it)."""

from __future__ import annotations

import pandas as pd
import pytest
import yaml
from streamlit.testing.v1 import AppTest

from prioritize import resources
from prioritize.app import PAGES, state
from prioritize.errors import PermissionDenied
from prioritize.store import Store
from prioritize.store.example import ExampleImport
from tests.app.test_pages import app, keys, signed_in, texts
from tests.conftest import tiny_criteria_mapping

Council = tuple[Store, ExampleImport]
CSV = "text/csv"
REQUIREMENTS = b"id,title,requested_by\nQ-1,Faster invoices,Finance\nQ-2,Fewer returns,Sales\n"


def facilitator_on(store: Store, page: str) -> AppTest:
    at = signed_in(store, "m01", page)
    assert not at.exception, at.exception
    return at


def open_section(at: AppTest, key: str, label: str) -> AppTest:
    at.session_state[key] = label
    at.run()
    assert not at.exception, at.exception
    return at


def problems_table(at: AppTest) -> pd.DataFrame:
    found = [d.value for d in at.dataframe if "problem" in d.value.columns]
    assert found, texts(at)
    return found[0]


def successes(at: AppTest) -> str:
    """The success messages as read (flashes are escaped for Markdown, shown as typed)."""
    return "\n".join(s.value for s in at.success).replace("\\", "")


def round_ids(store: Store) -> list[int]:
    return [int(str(i)) for i in store.session("m01", "m01-demo").rounds().index]


# --- Prepare a round -----------------------------------------------------------------------


def test_a_round_from_a_bundled_set_and_an_uploaded_csv(council: Council) -> None:
    store, _ = council
    at = facilitator_on(store, "prepare")
    criteria = at.selectbox(key="prepare-criteria")
    assert criteria.options[0] == "Customer operations"  # the set's name, not its file's
    at.text_input(key="prepare-name").input("Q1 2027")
    criteria.set_value("customer-operations")
    at.file_uploader(key="prepare-requirements-file").upload("q1.csv", REQUIREMENTS, CSV)
    at.multiselect(key="prepare-members").set_value(["m01", "m02", "m03"])
    at.button(key="prepare-create").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    facilitator = store.session("m01", "m01-demo")
    newest = facilitator.round(max(round_ids(store)))
    assert (newest.name, newest.state, newest.criteria_name) == (
        "Q1 2027",
        "draft",
        "Customer operations",
    )
    assert list(facilitator.requirements(newest.id).ids) == ["Q-1", "Q-2"]
    assert list(facilitator.members(newest.id).table.index) == ["m01", "m02", "m03"]
    # the page moves on to the new round's requirements, selected in the sidebar
    assert "is created as a draft with 2 requirements and 3 members" in "\n".join(
        s.value for s in at.success
    )
    assert at.session_state[state.ROUND_KEY] == newest.id
    assert at.session_state["prepare-section"] == "Requirements"
    shown = next(d.value for d in at.dataframe if "requested by" in d.value.columns)
    assert shown["title"].tolist() == ["Faster invoices", "Fewer returns"]
    # back on "New round", the form is empty: nothing of this round is sent with the next
    at = open_section(at, "prepare-section", "New round")
    assert at.text_input(key="prepare-name").value == ""
    assert at.file_uploader(key="prepare-requirements-file").value is None


def test_a_round_with_its_first_requirement_typed_and_an_uploaded_criteria_set(
    council: Council,
) -> None:
    store, _ = council
    own = tiny_criteria_mapping(name="Our tiny set")
    at = facilitator_on(store, "prepare")
    at.text_input(key="prepare-name").input("Typed")
    at.selectbox(key="prepare-criteria").set_value("<uploaded>")
    at.file_uploader(key="prepare-criteria-file").upload(
        "ours.yaml", yaml.safe_dump(own).encode(), "application/yaml"
    )
    at.text_input(key="prepare-first-id").input("T-1")
    at.text_input(key="prepare-first-title").input("The first one")
    at.button(key="prepare-create").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    facilitator = store.session("m01", "m01-demo")
    newest = max(round_ids(store))
    assert facilitator.round(newest).criteria_name == "Our tiny set"
    assert facilitator.criteria(newest).ids == ("impact", "legal", "cost")
    assert list(facilitator.requirements(newest).ids) == ["T-1"]


def test_a_malformed_requirements_file_lists_its_problems_and_creates_nothing(
    council: Council,
) -> None:
    store, _ = council
    before = round_ids(store)
    at = facilitator_on(store, "prepare")
    at.text_input(key="prepare-name").input("Broken")
    bad = b"id,title\nR1,\nR1,Twice\n,No id\n"
    at.file_uploader(key="prepare-requirements-file").upload("broken.csv", bad, CSV)
    at.button(key="prepare-create").click().run()
    assert not at.exception
    assert round_ids(store) == before
    assert "The round was not created: 3 problems" in texts(at)
    assert at.text_input(key="prepare-name").value == "Broken"  # kept to try again
    table = problems_table(at)
    places = set(zip(table["file"], table["row"], table["column"], strict=True))
    assert places == {
        ("broken.csv", "2", "title"),
        ("broken.csv", "3", "id"),
        ("broken.csv", "4", "id"),
    }


def test_a_malformed_criteria_set_lists_its_problems_and_creates_nothing(
    council: Council,
) -> None:
    store, _ = council
    before = round_ids(store)
    own = tiny_criteria_mapping()
    own["criteria"][0]["direction"] = "sideways"
    own["criteria"][1]["weight"] = "heavy"
    at = facilitator_on(store, "prepare")
    at.text_input(key="prepare-name").input("Broken criteria")
    at.selectbox(key="prepare-criteria").set_value("<uploaded>")
    at.file_uploader(key="prepare-criteria-file").upload(
        "ours.yaml", yaml.safe_dump(own).encode(), "application/yaml"
    )
    at.file_uploader(key="prepare-requirements-file").upload("q1.csv", REQUIREMENTS, CSV)
    at.button(key="prepare-create").click().run()
    assert not at.exception
    assert round_ids(store) == before
    table = problems_table(at)
    assert set(table["column"]) == {"direction", "weight"}
    assert set(table["file"]) == {"ours.yaml"}
    assert set(table["row"]) == {"criterion 1 (impact)", "criterion 2 (legal)"}


def test_the_requirements_come_as_a_file_or_typed(council: Council) -> None:
    store, _ = council
    before = round_ids(store)
    at = facilitator_on(store, "prepare")
    at.text_input(key="prepare-name").input("Nothing to score")
    at.button(key="prepare-create").click().run()
    assert "Upload the requirements, or type the first requirement" in texts(at)
    at.file_uploader(key="prepare-criteria-file").upload("x.yaml", b"version: 1\n", "text/yaml")
    at.file_uploader(key="prepare-requirements-file").upload("q1.csv", REQUIREMENTS, CSV)
    at.button(key="prepare-create").click().run()
    assert "You uploaded a criteria file but chose a bundled set" in texts(at)
    assert round_ids(store) == before


def test_start_from_a_previous_round(council: Council) -> None:
    store, example = council
    at = open_section(facilitator_on(store, "prepare"), "prepare-section", "From a previous round")
    at.selectbox(key="prepare-previous").set_value(example.round.id)
    at.text_input(key="prepare-previous-name").input("Follow-up")
    at.button(key="prepare-start-from").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    facilitator = store.session("m01", "m01-demo")
    newest = facilitator.round(max(round_ids(store)))
    assert (newest.name, newest.state, newest.previous_round_id) == (
        "Follow-up",
        "draft",
        example.round.id,
    )
    assert newest.requirements == example.round.requirements
    assert newest.members == example.round.members
    pd.testing.assert_series_equal(
        facilitator.criteria(newest.id).weights, facilitator.criteria(example.round.id).weights
    )
    assert at.session_state[state.ROUND_KEY] == newest.id


def draft_on_requirements(store: Store, example: ExampleImport) -> tuple[AppTest, int]:
    draft = store.session("m01", "m01-demo").start_from(example.round.id, "Draft")
    at = app()
    at.session_state[state.SESSION_KEY] = store.session("m01", "m01-demo")
    at.session_state[state.ROUND_KEY] = draft.id
    at.switch_page(str(PAGES / "prepare.py"))
    at.session_state["prepare-section"] = "Requirements"
    at.run()
    assert not at.exception, at.exception
    return at, draft.id


def test_add_edit_and_withdraw_a_requirement_of_the_draft(council: Council) -> None:
    store, example = council
    at, draft = draft_on_requirements(store, example)
    facilitator = store.session("m01", "m01-demo")
    # add one
    at.text_input(key="prepare-add-0-id").input("REQ-099")
    at.text_input(key="prepare-add-0-title").input("Print the *invoice* twice")
    at.text_input(key="prepare-add-0-requested_by").input("Finance")
    at.button(key="prepare-add-0-save").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    added = facilitator.requirements(draft).table.loc["REQ-099"]
    assert (added["title"], added["requested_by"]) == ("Print the *invoice* twice", "Finance")
    assert "Added REQ-099" in successes(at)
    # edit it: the form comes pre-filled with what is stored
    at.selectbox(key="prepare-pick").set_value("REQ-099").run()
    sure = at.checkbox(key="prepare-withdraw-sure-REQ-099-1")
    assert sure.label == "Withdraw REQ\\-099 — Print the \\*invoice\\* twice from this round"
    title = at.text_input(key="prepare-edit-REQ-099-1-title")
    assert title.value == "Print the *invoice* twice"
    title.input("Print the invoice once")
    at.button(key="prepare-edit-REQ-099-1-save").click().run()
    assert not at.error, [e.value for e in at.error]
    edited = facilitator.requirements(draft).table.loc["REQ-099"]
    assert (edited["title"], edited["requested_by"]) == ("Print the invoice once", "Finance")
    # withdraw it: not without the confirmation
    at.selectbox(key="prepare-pick").set_value("REQ-099").run()
    at.button(key="prepare-withdraw").click().run()
    assert "Tick the box to confirm" in texts(at)
    assert "REQ-099" in facilitator.requirements(draft).ids
    at.checkbox(key="prepare-withdraw-sure-REQ-099-2").check()
    at.button(key="prepare-withdraw").click().run()
    assert not at.error, [e.value for e in at.error]
    assert "REQ-099" not in facilitator.requirements(draft).ids
    assert facilitator.round(draft).requirements == example.round.requirements


def test_a_duplicate_id_is_refused_with_the_stores_reason(council: Council) -> None:
    store, example = council
    at, draft = draft_on_requirements(store, example)
    at.text_input(key="prepare-add-0-id").input("REQ-001")
    at.text_input(key="prepare-add-0-title").input("Again")
    at.button(key="prepare-add-0-save").click().run()
    assert "already in the round" in texts(at)
    assert store.session("m01", "m01-demo").round(draft).requirements == 28


def test_replace_the_drafts_requirements_from_a_file(council: Council) -> None:
    store, example = council
    at, draft = draft_on_requirements(store, example)
    at.file_uploader(key="prepare-replace-file").upload("q1.csv", REQUIREMENTS, CSV)
    at.button(key="prepare-replace").click().run()
    assert "tick the box to confirm" in texts(at)
    at.checkbox(key="prepare-replace-sure").check()
    at.button(key="prepare-replace").click().run()
    assert not at.error, [e.value for e in at.error]
    assert list(store.session("m01", "m01-demo").requirements(draft).ids) == ["Q-1", "Q-2"]


def test_requirements_are_fixed_once_scoring_opened(council: Council) -> None:
    store, example = council
    at = open_section(facilitator_on(store, "prepare"), "prepare-section", "Requirements")
    assert "its requirements are fixed once scoring opened" in texts(at)
    assert not {k for k in keys(at) if k.startswith(("prepare-add", "prepare-edit"))}
    assert len(next(d.value for d in at.dataframe if "title" in d.value.columns)) == 28
    assert store.session("m01", "m01-demo").round(example.round.id).requirements == 28


def test_add_a_council_member_to_the_draft(council: Council) -> None:
    store, example = council
    facilitator = store.session("m01", "m01-demo")
    facilitator.invite_member("n01", "Nora New", "Sales", "member")
    draft = facilitator.start_from(example.round.id, "Draft")
    at = app()
    at.session_state[state.SESSION_KEY] = facilitator
    at.session_state[state.ROUND_KEY] = draft.id
    at.switch_page(str(PAGES / "prepare.py"))
    at.session_state["prepare-section"] = "Members of the round"
    at.run()
    assert at.selectbox(key="prepare-member").options == ["Nora New (Sales)"]
    at.button(key="prepare-add-member").click().run()
    assert not at.error, [e.value for e in at.error]
    assert "n01" in facilitator.members(draft.id).table.index
    assert "Every active council member takes part" in texts(at)


# --- Council members -----------------------------------------------------------------------


def test_the_council_in_words(council: Council) -> None:
    store, _ = council
    store.session("m01", "m01-demo").set_active("m05", False)
    at = facilitator_on(store, "members")
    table = next(d.value for d in at.dataframe if "status" in d.value.columns)
    assert list(table.columns) == ["name", "department", "role", "status"]
    assert set(table["status"]) == {"active", "deactivated"}
    assert table.loc[table["name"] == "Hannah Okafor", "status"].item() == "deactivated"


def test_a_registered_members_passcode_is_shown_once_and_signs_in(council: Council) -> None:
    store, example = council
    facilitator = store.session("m01", "m01-demo")
    draft = facilitator.start_from(example.round.id, "Draft")
    at = facilitator_on(store, "members")
    assert at.multiselect(key="members-rounds").value == [draft.id]  # not the revealed one
    at.text_input(key="members-id").input("n01")
    at.text_input(key="members-name").input("Nora New")
    at.text_input(key="members-department").input("Sales")
    at.selectbox(key="members-role").set_value("member")
    at.button(key="members-register").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    shown = [c.value for c in at.code]
    assert len(shown) == 1
    passcode = shown[0]
    assert "Give this one-time passcode to **Nora New** in person" in texts(at)
    assert at.text_input(key="members-id").value == ""  # the form is empty again
    at.run()
    assert not at.code and passcode not in texts(at)  # never shown again
    assert "members-new-passcode" not in at.session_state  # nor kept for this tab
    nora = store.session("n01", passcode)
    assert nora.must_change_passcode
    assert facilitator.council().loc["n01", "name"] == "Nora New"
    assert "n01" in facilitator.members(draft.id).table.index


def test_a_refused_registration_keeps_what_was_typed(council: Council) -> None:
    store, _ = council
    at = facilitator_on(store, "members")
    at.text_input(key="members-id").input("m02")
    at.text_input(key="members-name").input("Another Jonas")
    at.text_input(key="members-department").input("Sales")
    at.button(key="members-register").click().run()
    assert at.error and not at.code
    assert at.text_input(key="members-name").value == "Another Jonas"
    assert store.session("m01", "m01-demo").council().loc["m02", "name"] == "Jonas Weber"


def test_reset_a_passcode(council: Council) -> None:
    store, _ = council
    with pytest.raises(PermissionDenied, match="wrong passcode"):
        store.session("m02", "not it")
    at = open_section(facilitator_on(store, "members"), "members-tab", "Reset a passcode")
    assert "Jonas Weber: 1 wrong passcode in a row" in texts(at)
    assert "m01" not in at.selectbox(key="members-reset-member").options[0]
    at.selectbox(key="members-reset-member").set_value("m02")
    at.button(key="members-reset-submit").click().run()
    assert "Tick the box to confirm" in texts(at) and not at.code
    at.checkbox(key="members-reset-sure").check()
    at.button(key="members-reset-submit").click().run()
    assert not at.error, [e.value for e in at.error]
    (passcode,) = [c.value for c in at.code]
    assert "their open browsers were signed out" in successes(at)
    assert "wrong passcode in a row" not in texts(at)  # the reset cleared the count
    assert store.session("m02", passcode).must_change_passcode
    with pytest.raises(PermissionDenied, match="wrong passcode"):
        store.session("m02", "m02-demo")
    at.run()
    assert not at.code


def test_a_locked_out_member_is_named_with_the_end_of_the_lockout(council: Council) -> None:
    store, _ = council
    for _ in range(5):  # the fifth wrong passcode in a row locks the member out
        with pytest.raises(PermissionDenied, match="wrong passcode"):
            store.session("m03", "not it")
    at = facilitator_on(store, "members")
    (box,) = [w.value for w in at.warning if "Wrong passcodes" in w.value]
    assert "Lucía Fernández: 5 wrong passcodes in a row" in box
    assert "is locked out until" in box


def test_change_a_role_and_keep_a_facilitator(council: Council) -> None:
    store, _ = council
    at = open_section(facilitator_on(store, "members"), "members-tab", "Change a role")
    at.selectbox(key="members-role-member").set_value("m13")
    at.selectbox(key="members-new-role").set_value("member")
    at.button(key="members-set-role").click().run()
    assert not at.error, [e.value for e in at.error]
    assert store.session("m01", "m01-demo").council().loc["m13", "role"] == "member"
    at.selectbox(key="members-role-member").set_value("m01")
    at.selectbox(key="members-new-role").set_value("observer")
    at.button(key="members-set-role").click().run()
    assert "Not allowed" in texts(at) and "only active facilitator" in texts(at)
    assert store.session("m01", "m01-demo").council().loc["m01", "role"] == "facilitator"


def test_deactivate_and_reactivate_a_member(council: Council) -> None:
    store, _ = council
    at = open_section(facilitator_on(store, "members"), "members-tab", "Deactivate or reactivate")
    picker = at.selectbox(key="members-deactivate-member")
    assert "m01" not in picker.options and not any("Priya" in o for o in picker.options)
    picker.set_value("m02")
    at.button(key="members-deactivate-submit").click().run()
    assert store.session("m01", "m01-demo").council().loc["m02", "active"]  # not confirmed
    at.checkbox(key="members-deactivate-sure").check()
    at.button(key="members-deactivate-submit").click().run()
    assert not at.error, [e.value for e in at.error]
    assert not store.session("m01", "m01-demo").council().loc["m02", "active"]
    with pytest.raises(PermissionDenied, match="no longer an active council member"):
        store.session("m02", "m02-demo")
    at.selectbox(key="members-reactivate-member").set_value("m02")
    at.checkbox(key="members-reactivate-sure").check()
    at.button(key="members-reactivate-submit").click().run()
    assert not at.error, [e.value for e in at.error]
    assert store.session("m02", "m02-demo").member.id == "m02"


# --- who sees the set-up pages ---------------------------------------------------------------


def test_a_member_has_no_set_up_pages(council: Council) -> None:
    store, _ = council
    facilitator = signed_in(store, "m01")
    for page in ("prepare", "members"):
        facilitator.switch_page(str(PAGES / f"{page}.py"))  # offered to a facilitator
    member = signed_in(store, "m02")
    for page in ("prepare", "members"):
        with pytest.raises(ValueError, match="Known pages"):
            member.switch_page(str(PAGES / f"{page}.py"))
        # and the page itself refuses when it is run anyway
        direct = AppTest.from_file(str(PAGES / f"{page}.py"), default_timeout=120)
        direct.session_state[state.SESSION_KEY] = store.session("m02", "m02-demo")
        direct.run()
        assert not direct.exception
        assert any("Not allowed" in e.value for e in direct.error)
        assert not direct.get("form") and not direct.dataframe


def test_the_criteria_sets_go_by_their_names(council: Council) -> None:
    store, _ = council
    options = facilitator_on(store, "prepare").selectbox(key="prepare-criteria").options
    assert not any(name in options for name in resources.bundled_criteria())
