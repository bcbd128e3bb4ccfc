"""Prepare a round: a draft requirement's estimates and relations typed on the page, kept as
typed, and refused with the store's reasons (issue 13, first item)."""

from __future__ import annotations

from tests.app.test_setup_pages import Council, draft_on_requirements, successes


def test_estimates_are_added_and_edited_on_the_draft(council: Council) -> None:
    store, example = council
    at, draft = draft_on_requirements(store, example)
    facilitator = store.session("m01", "m01-demo")
    at.text_input(key="prepare-add-0-id").input("REQ-099")
    at.text_input(key="prepare-add-0-title").input("Print the invoice twice")
    at.number_input(key="prepare-add-0-cost").set_value(12345.675)
    at.text_input(key="prepare-add-0-requires").input("REQ-001 ; REQ-002")
    at.text_input(key="prepare-add-0-alternatives").input("invoices")
    at.button(key="prepare-add-0-save").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert "Added REQ-099" in successes(at)
    added = facilitator.requirements(draft)["REQ-099"]
    assert (added.cost, added.effort, added.requires, added.alternatives) == (
        12345.675,
        None,
        ("REQ-001", "REQ-002"),
        "invoices",
    )
    # the edit form comes pre-filled; a negative effort is refused, not clamped
    at.selectbox(key="prepare-pick").set_value("REQ-099").run()
    assert at.number_input(key="prepare-edit-REQ-099-1-cost").value == 12345.675
    assert at.number_input(key="prepare-edit-REQ-099-1-effort").value is None
    assert at.text_input(key="prepare-edit-REQ-099-1-requires").value == "REQ-001; REQ-002"
    at.number_input(key="prepare-edit-REQ-099-1-effort").set_value(-3.0)
    at.button(key="prepare-edit-REQ-099-1-save").click().run()
    assert "negative effort" in "\n".join(e.value for e in at.error)
    at.number_input(key="prepare-edit-REQ-099-1-effort").set_value(4.5)
    at.text_input(key="prepare-edit-REQ-099-1-excludes").input("REQ-001")
    at.button(key="prepare-edit-REQ-099-1-save").click().run()
    assert "can never be funded" in "\n".join(e.value for e in at.error)
    assert facilitator.requirements(draft)["REQ-099"].effort is None
    at.number_input(key="prepare-edit-REQ-099-1-effort").set_value(4.5)
    at.text_input(key="prepare-edit-REQ-099-1-excludes").input("REQ-003")
    at.button(key="prepare-edit-REQ-099-1-save").click().run()
    assert not at.error, [e.value for e in at.error]
    edited = facilitator.requirements(draft)["REQ-099"]
    assert (edited.cost, edited.effort, edited.excludes) == (12345.675, 4.5, ("REQ-003",))
