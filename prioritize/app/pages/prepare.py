"""Prepare a round (facilitator): create a round from a criteria set (a bundled one or an
uploaded YAML) and its requirements, or start one from a previous round; then, while the
round selected in the sidebar is a draft, replace, add, edit or withdraw its requirements,
and add council members to it before the reveal.

A round is created with at least one requirement (the store keeps no empty round): either
an uploaded CSV/XLSX, validated all or nothing with every problem listed by row and
column, or the first requirement typed in the form (id and title); the others are then
added one by one under "Requirements" while the round is a draft. Every upload is refused
whole on any problem, and nothing is created or changed then.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd
import streamlit as st

from prioritize import resources
from prioritize.app import state, words
from prioritize.app.text import plain
from prioritize.council.rounds import REVEALED
from prioritize.errors import PermissionDenied, PrioritizeError, ValidationError
from prioritize.load.bounded_yaml import read_yaml
from prioritize.load.columns import REQUIREMENT_COLUMNS
from prioritize.load.criteria import criteria_from_text, load_criteria
from prioritize.load.files import Upload
from prioritize.load.limits import DEFAULT_LIMITS
from prioritize.store import Session
from prioritize.store.records import RoundInfo

SECTIONS = ("New round", "From a previous round", "Requirements", "Members of the round")
SECTION_KEY = "prepare-section"
#: The section the next run opens (set by an action that moves the facilitator on).
_NEXT_SECTION = "prepare-next-section"
#: The criteria choice that means "the YAML file uploaded below".
OWN_CRITERIA = "<uploaded>"
#: Uploads larger than the loaders accept are refused by the browser already (MiB).
UPLOAD_MB = max(1, (DEFAULT_LIMITS.max_file_bytes or 200 * 2**20) // 2**20)
#: How the requirement fields read in the forms (the columns are the loader's).
FIELD_LABELS: Mapping[str, str] = {
    "id": "Id (short and unique, e.g. REQ-029)",
    "title": "Title",
    "description": "Description",
    "requested_by": "Requested by (department)",
    "personas": "Who it is for (separate with ;)",
    "scenario": "Scenario or journey stage",
    "evidence": "Evidence (numbers and where they come from)",
    "status": "Status",
}
_LONG_FIELDS = ("description", "evidence")
#: What the loaders call input that was typed in a form rather than uploaded.
_TYPED = {"<records>": "typed in the form", "<mapping>": "the criteria set"}


@st.cache_data(show_spinner=False)
def bundled_sets() -> dict[str, str]:
    """The bundled criteria sets: file name -> the set's own name."""
    return {stem: load_criteria(stem).name for stem in resources.bundled_criteria()}


def criteria_upload(upload: Upload) -> Mapping[str, Any]:
    """An uploaded criteria set, validated with the loader's own checks (every problem
    naming the file), parsed for the store, which keeps it as the round's snapshot."""
    raw = upload.read()
    data = read_yaml(raw, upload.name, DEFAULT_LIMITS, "a YAML criteria set")
    criteria_from_text(raw.decode("utf-8"), upload.name)  # read_yaml has decoded it
    assert isinstance(data, Mapping)  # a criteria set is a mapping, or the line above raised
    return data


def done(action: Callable[[], object]) -> bool:
    """Run a store action; show its refusal. Whether it was done."""
    try:
        action()
    except PrioritizeError as exc:
        state.show_error(exc)
        return False
    return True


def show_problems(exc: PrioritizeError, outcome: str) -> None:
    """A refusal: every problem of a file with its place, in a table; other errors as
    the app shows them."""
    if not isinstance(exc, ValidationError):
        state.show_error(exc)
        return
    st.error(
        f"{outcome}: {words.count(len(exc.problems), 'problem')} listed below with "
        "where each is. Fix them and try again.",
        icon=":material/warning:",
    )
    # in reading order: file by file, row by row (a loader lists them check by check)
    problems = sorted(
        exc.problems,
        key=lambda p: (str(p.file), isinstance(p.row, str), p.row or 0, str(p.row)),
    )
    st.dataframe(
        pd.DataFrame(
            {
                "row": ["" if p.row is None else str(p.row) for p in problems],
                "column": [p.column or "" for p in problems],
                "problem": [p.message for p in problems],
                "found": [p.value or "" for p in problems],
                "expected": [p.expected or "" for p in problems],
                "file": [_TYPED.get(str(p.file), p.file or "") for p in problems],
            }
        ),
        hide_index=True,
        width="stretch",
        key="prepare-problems",
    )


def _open_round(section: str) -> None:
    """After creating a round: the sidebar selects it on the next run (the newest round is
    its default), and the page opens ``section``."""
    st.session_state.pop(state.ROUND_KEY, None)
    st.session_state[_NEXT_SECTION] = section


def _member_labels(council: pd.DataFrame) -> dict[str, str]:
    return {str(m): f"{row['name']} ({row['department']})" for m, row in council.iterrows()}


def new_round(current: Session) -> None:
    sets = bundled_sets()
    council = current.council()
    active = council[council["active"]]
    people = _member_labels(active)
    # kept as typed after a refusal; after a round is created the page opens its
    # requirements, so this section is not drawn and the form is fresh when it is next opened
    with st.form("prepare-new-form"):
        name = st.text_input("Name of the round", key="prepare-name", max_chars=200)
        criteria = st.selectbox(
            "Criteria set",
            [*sets, OWN_CRITERIA],
            format_func=lambda s: sets.get(s, "Our own criteria set (upload it below)"),
            key="prepare-criteria",
        )
        criteria_file = st.file_uploader(
            "Our own criteria set (YAML)",
            type=["yaml", "yml"],
            key="prepare-criteria-file",
            max_upload_size=UPLOAD_MB,
            help="Used when 'Our own criteria set' is chosen above.",
        )
        st.markdown("**Requirements**: upload a file, or type the first one here.")
        requirements_file = st.file_uploader(
            "Requirements file (CSV or Excel)",
            type=["csv", "xlsx"],
            key="prepare-requirements-file",
            max_upload_size=UPLOAD_MB,
            help="Columns id and title; optional: description, requested_by, personas, "
            "scenario, evidence, status. The whole file is checked; nothing is used "
            "unless every row is right.",
        )
        first_id = st.text_input("…or the first requirement's id", key="prepare-first-id")
        first_title = st.text_input("and its title", key="prepare-first-title")
        members = st.multiselect(
            "Members taking part",
            list(people),
            default=list(people),
            format_func=people.__getitem__,
            key="prepare-members",
            help="Everyone active in the council, unless you take some out.",
        )
        submitted = st.form_submit_button("Create the round", type="primary", key="prepare-create")
    st.caption(
        "The round starts as a draft: you can still change its requirements and members; "
        "open scoring on the Round overview when it is ready."
    )
    if not submitted:
        return
    typed = bool(first_id.strip() or first_title.strip())
    if criteria == OWN_CRITERIA and criteria_file is None:
        st.error("Upload your criteria set (YAML), or choose a bundled one.")
        return
    if criteria != OWN_CRITERIA and criteria_file is not None:
        st.error(
            "You uploaded a criteria file but chose a bundled set: choose 'Our own criteria "
            "set' to use the file, or remove the file."
        )
        return
    if requirements_file is None and not typed:
        st.error("Upload the requirements, or type the first requirement's id and title.")
        return
    if requirements_file is not None and typed:
        st.error("Give the requirements either as a file or typed, not both.")
        return
    try:
        chosen: str | Mapping[str, Any] = (
            str(criteria) if criteria_file is None else criteria_upload(criteria_file)
        )
        created = current.create_round(
            name,
            chosen,
            requirements_file
            if requirements_file is not None
            else [{"id": first_id, "title": first_title}],
            members=[str(m) for m in members],
        )
    except PrioritizeError as exc:
        show_problems(exc, "The round was not created")
        return
    state.flash(
        f"Round #{created.id} “{created.name}” is created as a draft with "
        f"{words.count(created.requirements, 'requirement')} and "
        f"{words.count(created.members, 'member')}, criteria set {created.criteria_name}."
    )
    _open_round("Requirements")
    st.rerun()


def from_previous(current: Session) -> None:
    rounds = current.rounds()
    if rounds.empty:
        st.info("There is no round yet: create the first one under 'New round'.")
        return
    labels = {int(str(i)): f"#{i} {row['name']} ({row['state']})" for i, row in rounds.iterrows()}
    st.caption(
        "The new round is a draft with the previous round's criteria, weights, "
        "requirements and members, and no scores. Change what you need before scoring."
    )
    with st.form("prepare-previous-form"):
        previous = st.selectbox(
            "Previous round",
            list(labels),
            # the newest round the council has seen revealed is the usual one to follow up
            index=next((n for n, s in enumerate(rounds["state"]) if s in REVEALED), 0),
            format_func=labels.__getitem__,
            key="prepare-previous",
        )
        name = st.text_input(
            "Name of the new round",
            key="prepare-previous-name",
            max_chars=200,
            placeholder="e.g. Q2 follow-up",
            help="Left empty: the previous round's name with “(follow-up)”.",
        )
        submitted = st.form_submit_button(
            "Start the new round", type="primary", key="prepare-start-from"
        )
    if submitted:
        created = state.attempt(lambda: current.start_from(int(str(previous)), name or None))
        if created is not None:
            state.flash(
                f"Round #{created.id} “{created.name}” is created from round #{previous}: "
                f"{words.count(created.requirements, 'requirement')}, "
                f"{words.count(created.members, 'member')}, same criteria and weights."
            )
            _open_round("Requirements")
            st.rerun()


def _fields_form(
    form: str, values: Mapping[str, str], *, with_id: bool, button: str
) -> dict[str, str] | None:
    """A form of a requirement's fields, pre-filled with ``values``; the typed fields when
    it is submitted, else None."""
    typed: dict[str, str] = {}
    with st.form(form):
        for column in REQUIREMENT_COLUMNS:
            if column == "id" and not with_id:
                continue
            field = st.text_area if column in _LONG_FIELDS else st.text_input
            typed[column] = field(
                FIELD_LABELS.get(column, column),
                value=values.get(column, ""),
                key=state.key(form, column),
            )
        submitted = st.form_submit_button(button, type="primary", key=state.key(form, "save"))
    return typed if submitted else None


def draft_requirements(current: Session, info: RoundInfo) -> None:
    st.subheader(f"Round #{info.id}: {plain(info.name)} ({info.state})")
    if info.requirements:
        table = current.requirements(info.id).table
        st.dataframe(
            pd.DataFrame(
                {
                    "id": table.index.to_numpy(),
                    "title": table["title"].to_numpy(),
                    "requested by": table["requested_by"].to_numpy(),
                }
            ),
            hide_index=True,
            width="stretch",
            key="prepare-requirements-table",
        )
    else:
        table = pd.DataFrame(columns=list(REQUIREMENT_COLUMNS[1:]))
        st.info("This round has no requirements yet: upload them or add one below.")
    if info.state != "draft":
        st.info(
            f"This round is in {info.state}: its requirements are fixed once scoring opened. "
            "To change them, start a new round from it ('From a previous round').",
            icon=":material/lock:",
        )
        return
    st.caption(f"{words.count(info.requirements, 'requirement')}; the round is a draft.")
    # a fresh form after each change: what was typed for one save is never saved twice
    nonce = st.session_state.get("prepare-nonce", 0)

    def saved(message: str) -> None:
        st.session_state["prepare-nonce"] = nonce + 1
        state.flash(message)
        st.rerun()

    with st.expander("Replace them all from a file"):
        with st.form(state.key("prepare-replace", nonce)):
            upload = st.file_uploader(
                "Requirements file (CSV or Excel)",
                type=["csv", "xlsx"],
                key="prepare-replace-file",
                max_upload_size=UPLOAD_MB,
            )
            sure = st.checkbox(
                f"Replace all {info.requirements} requirements of this round with the file's",
                key="prepare-replace-sure",
            )
            replace = st.form_submit_button("Replace all", key="prepare-replace")
        if replace:
            if upload is None or not sure:
                st.error("Choose the file and tick the box to confirm.")
            else:
                try:
                    count = current.replace_requirements(info.id, upload)
                except PrioritizeError as exc:
                    show_problems(exc, "Nothing was replaced")
                else:
                    saved(f"The round now has the file's {words.count(count, 'requirement')}.")

    with st.expander("Add a requirement"):
        fields = _fields_form(
            state.key("prepare-add", nonce), {}, with_id=True, button="Add the requirement"
        )
        if fields is not None:
            new = fields
            added = state.attempt(lambda: current.add_requirement(info.id, new))
            if added is not None:
                saved(f"Added {added}: {new['title']}.")

    if table.empty:
        return
    titles = {str(r): f"{r} — {table.loc[r, 'title']}" for r in table.index}
    with st.expander("Edit or withdraw a requirement"):
        chosen = str(
            st.selectbox(
                "Requirement", list(titles), format_func=titles.__getitem__, key="prepare-pick"
            )
        )
        row = table.loc[chosen]
        values = {c: str(row[c]) for c in REQUIREMENT_COLUMNS if c != "id"}
        fields = _fields_form(
            state.key("prepare-edit", chosen, nonce), values, with_id=False, button="Save changes"
        )
        if fields is not None and done(lambda: current.edit_requirement(info.id, chosen, fields)):
            saved(f"Saved {chosen}: {fields['title']}.")
        with st.form(state.key("prepare-withdraw", chosen, nonce)):
            sure = st.checkbox(
                f"Withdraw {plain(titles[chosen])} from this round",
                key=state.key("prepare-withdraw-sure", chosen, nonce),
            )
            withdraw = st.form_submit_button("Withdraw", key="prepare-withdraw")
        if withdraw:
            if not sure:
                st.error("Tick the box to confirm the withdrawal.")
            elif done(lambda: current.withdraw_requirement(info.id, chosen)):
                saved(f"Withdrew {chosen} from the round.")


def round_members(current: Session, info: RoundInfo) -> None:
    st.subheader(f"Round #{info.id}: {plain(info.name)} ({info.state})")
    inside: set[str] = set()
    if info.members:
        members = current.members(info.id).table
        inside = {str(m) for m in members.index}
        st.dataframe(
            members[["name", "department", "role"]],
            hide_index=True,
            width="stretch",
            key="prepare-round-members",
        )
    else:
        st.info("Nobody takes part in this round yet.")
    if info.state in REVEALED:
        st.info(
            f"This round is in {info.state}: members join a round before the reveal.",
            icon=":material/lock:",
        )
        return
    council = current.council()
    others = _member_labels(council[council["active"] & ~council.index.isin(list(inside))])
    if not others:
        st.caption("Every active council member takes part in this round.")
        return
    with st.form("prepare-add-member-form"):
        member_id = st.selectbox(
            "Council member", list(others), format_func=others.__getitem__, key="prepare-member"
        )
        submitted = st.form_submit_button(
            "Add to the round", type="primary", key="prepare-add-member"
        )
    if submitted and done(lambda: current.add_member(info.id, str(member_id))):
        state.flash(f"{others[str(member_id)]} takes part in round #{info.id} now.")
        st.rerun()
    st.caption("New people are registered first, under Council members.")


current = state.require_session()
state.show_flashes()
st.title("Prepare a round")
if not state.is_facilitator(current):
    state.show_error(PermissionDenied("only a facilitator prepares rounds"))
    st.stop()
# A segmented control rather than st.tabs: the page moves the facilitator on (to a new
# round's requirements), and a tab set by the page showed the old tab in the browser now
# and then (Streamlit 1.67), while a widget's value set before it is drawn shows reliably.
if _NEXT_SECTION in st.session_state:
    st.session_state[SECTION_KEY] = st.session_state.pop(_NEXT_SECTION)
st.session_state.setdefault(SECTION_KEY, SECTIONS[0])
section = st.segmented_control(
    "Section", SECTIONS, key=SECTION_KEY, required=True, label_visibility="collapsed"
)
if section in (SECTIONS[0], SECTIONS[1]):
    (new_round if section == SECTIONS[0] else from_previous)(current)
else:
    selected = state.current_round(current)
    if selected is None:
        st.info("There is no round yet: create one under 'New round'.")
    else:
        st.caption("The round chosen in the sidebar (open it with » at the top left on a phone).")
        (draft_requirements if section == SECTIONS[2] else round_members)(current, selected)
