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

import streamlit as st

from prioritize import resources
from prioritize.app import drafting, state, words
from prioritize.app.uploads import UPLOAD_MB, show_problems
from prioritize.council.rounds import REVEALED
from prioritize.errors import PermissionDenied, PrioritizeError
from prioritize.load.criteria import load_criteria
from prioritize.load.files import Upload
from prioritize.store import Session

SECTIONS = ("New round", "From a previous round", "Requirements", "Members of the round")
SECTION_KEY = "prepare-section"
#: The section the next run opens (set by an action that moves the facilitator on).
_NEXT_SECTION = "prepare-next-section"
#: The criteria choice that means "the YAML file uploaded below".
OWN_CRITERIA = "<uploaded>"


@st.cache_data(show_spinner=False)
def bundled_sets() -> dict[str, str]:
    """The bundled criteria sets: file name -> the set's own name."""
    return {stem: load_criteria(stem).name for stem in resources.bundled_criteria()}


def _open_round(section: str) -> None:
    """After creating a round: the sidebar selects it on the next run (the newest round is
    its default), and the page opens ``section``."""
    st.session_state.pop(state.ROUND_KEY, None)
    st.session_state[_NEXT_SECTION] = section


def new_round(current: Session) -> None:
    sets = bundled_sets()
    council = current.council()
    active = council[council["active"]]
    people = drafting.member_labels(active)
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
        # an uploaded set is checked by the store, which keeps its text word for word
        chosen: str | Upload = str(criteria) if criteria_file is None else criteria_file
        created = current.create_round(
            name,
            chosen,
            requirements_file
            if requirements_file is not None
            else [{"id": first_id, "title": first_title}],
            members=[str(m) for m in members],
        )
    except PrioritizeError as exc:
        show_problems(exc, "The round was not created", "prepare-problems")
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
        show = drafting.draft_requirements if section == SECTIONS[2] else drafting.round_members
        show(current, selected)
