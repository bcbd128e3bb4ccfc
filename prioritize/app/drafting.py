"""The parts of "Prepare a round" that work on the round chosen in the sidebar: its
requirements (replaced from a file, added, edited or withdrawn while it is a draft) and
its members (added before the reveal). Drawn by ``views/prepare.py``."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import streamlit as st

from prioritize.app import state, words
from prioritize.app.text import plain
from prioritize.app.uploads import UPLOAD_MB, show_problems
from prioritize.council.rounds import REVEALED
from prioritize.errors import PrioritizeError
from prioritize.load.columns import REQUIREMENT_COLUMNS
from prioritize.model.council import Requirement
from prioritize.store import Session
from prioritize.store.records import RoundInfo

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
    "cost": "Cost (money; empty when not estimated)",
    "effort": "Effort (person-days; empty when not estimated)",
    "requires": "Requires (ids that must be funded too, separated by ;)",
    "excludes": "Excludes (ids that cannot be funded with it, separated by ;)",
    "alternatives": "Alternatives group (at most one requirement of a group is funded)",
}
_LONG_FIELDS = ("description", "evidence")


def member_labels(council: pd.DataFrame) -> dict[str, str]:
    """Council members as the pickers show them: name (department), by id."""
    return {str(m): f"{row['name']} ({row['department']})" for m, row in council.iterrows()}


def _fields_form(
    form: str, values: Mapping[str, object], *, with_id: bool, button: str
) -> dict[str, object] | None:
    """A form of a requirement's fields, pre-filled with ``values``; the typed fields when
    it is submitted, else None. Cost and effort are numbers or None (left empty: not
    estimated); the store checks them, so nothing typed is clamped here."""
    typed: dict[str, object] = {}
    with st.form(form):
        for column in REQUIREMENT_COLUMNS:
            if column == "id" and not with_id:
                continue
            field = st.text_area if column in _LONG_FIELDS else st.text_input
            typed[column] = field(
                FIELD_LABELS.get(column, column),
                value=str(values.get(column, "")),
                key=state.key(form, column),
            )
        left, right = st.columns(2)
        for place, column in ((left, "cost"), (right, "effort")):
            given = values.get(column)
            typed[column] = place.number_input(
                FIELD_LABELS[column],
                value=None if given is None else float(str(given)),
                step=1.0,
                format="%g",  # as typed: no rounding to a fixed number of decimals
                key=state.key(form, column),
            )
        for column in ("requires", "excludes", "alternatives"):
            typed[column] = st.text_input(
                FIELD_LABELS[column],
                value=str(values.get(column, "")),
                key=state.key(form, column),
            )
        submitted = st.form_submit_button(button, type="primary", key=state.key(form, "save"))
    return typed if submitted else None


def _estimate_values(requirement: Requirement) -> dict[str, object]:
    """A requirement's estimates as the form shows them."""
    return {
        "cost": requirement.cost,
        "effort": requirement.effort,
        "requires": "; ".join(requirement.requires),
        "excludes": "; ".join(requirement.excludes),
        "alternatives": requirement.alternatives,
    }


def draft_requirements(current: Session, info: RoundInfo) -> None:
    """The round's requirements; while it is a draft, replace, add, edit or withdraw."""
    st.subheader(f"Round #{info.id}: {plain(info.name)} ({info.state})")
    requirements = current.requirements(info.id) if info.requirements else None
    if requirements is not None:
        table = requirements.table
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
                    show_problems(exc, "Nothing was replaced", "prepare-problems")
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
        values: dict[str, object] = {c: str(row[c]) for c in REQUIREMENT_COLUMNS if c != "id"}
        if requirements is not None:
            values.update(_estimate_values(requirements[chosen]))
        fields = _fields_form(
            state.key("prepare-edit", chosen, nonce), values, with_id=False, button="Save changes"
        )
        if fields is not None and state.done(
            lambda: current.edit_requirement(info.id, chosen, fields)
        ):
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
            elif state.done(lambda: current.withdraw_requirement(info.id, chosen)):
                saved(f"Withdrew {chosen} from the round.")


def round_members(current: Session, info: RoundInfo) -> None:
    """Who takes part in the round; add a council member before the reveal."""
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
    others = member_labels(council[council["active"] & ~council.index.isin(list(inside))])
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
    if submitted and state.done(lambda: current.add_member(info.id, str(member_id))):
        state.flash(f"{others[str(member_id)]} takes part in round #{info.id} now.")
        st.rerun()
    st.caption("New people are registered first, under Council members.")
