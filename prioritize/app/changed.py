""" "What changed since the last round" on the round overview (facilitator): the scorecard's
triggers since the previous round was created (everything, for a first round), counted,
the requirements most often flagged with their evidence, and a new draft round started
from them, confirmed in a dialog like the round's other steps."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from prioritize.app import PAGES, state, words
from prioritize.app.text import plain
from prioritize.outcomes import flagged_requirements
from prioritize.store import Session
from prioritize.store.records import RoundInfo

__all__ = ["since_last_round"]

#: How many flagged requirements the overview lists (the Scorecard page lists them all).
TOP = 5
_CONFIRMING = "changed-confirming"
_KIND_WORDS = {
    "threshold": ("measure past its alert", "measures past their alert"),
    "trend": ("adverse trend", "adverse trends"),
    "event": ("event", "events"),
}


def since_when(current: Session, info: RoundInfo) -> dt.date | None:
    """The day the previous round was created (None for a first round: everything counts):
    what the council knew when it last prioritised."""
    if info.previous_round_id is None:
        return None
    previous = current.round(info.previous_round_id)
    return dt.date.fromisoformat(previous.created_at[:10])


def since_last_round(current: Session, info: RoundInfo) -> None:
    """The section, with its button and dialog."""
    since = since_when(current, info)
    st.subheader("What changed since the last round")
    found = current.triggers(info.id, since=since)
    flagged = flagged_requirements(found, {m.id: m.name for m in current.scorecard()})
    after = f"since {since.isoformat()} (the previous round)" if since else "so far"
    if not found:
        st.success(f"Nothing {after}: no measure past its alert or trending the wrong way.")
        return
    kinds = found.table.drop_duplicates(["kind", "measure", "on"])["kind"].value_counts()
    st.markdown(
        f"Scorecard triggers {after}: "
        + ", ".join(
            words.count(int(n), *_KIND_WORDS.get(str(k), (str(k), str(k))))
            for k, n in kinds.items()
        )
        + f"; {words.count(len(flagged), 'requirement')} flagged."
    )
    top = flagged.sort_values("triggers", ascending=False, kind="stable").head(TOP)
    for row in top.itertuples(index=False):
        with st.expander(f"{plain(row.requirement_id)}: {plain(row.flagged_by)}"):
            st.markdown(plain(row.evidence))
    st.page_link(
        str(PAGES / "scorecard.py"),
        label="All of it on the Scorecard",
        icon=":material/monitoring:",
    )
    st.button(
        "Start a round from it",
        key="changed-start",
        on_click=lambda: st.session_state.__setitem__(_CONFIRMING, info.id),
    )
    if st.session_state.get(_CONFIRMING) == info.id:
        st.dialog("Start a round from it?", on_dismiss=_stop)(_confirm)(current, info, since)


def _stop() -> None:
    st.session_state.pop(_CONFIRMING, None)


def _confirm(current: Session, info: RoundInfo, since: dt.date | None) -> None:
    st.markdown(
        f"A new draft round starts from round #{info.id} (its requirements, criteria and "
        "members); each flagged requirement carries what flagged it in its evidence. "
        "The new round is then selected."
    )
    confirm, cancel = st.columns(2)
    if confirm.button("Confirm", key="confirm-changed", type="primary"):
        started = state.attempt(lambda: current.start_from_triggers(info.id, since=since))
        if started is not None:
            created, found = started
            _stop()
            st.session_state.pop(state.ROUND_KEY, None)  # the sidebar selects the newest
            state.flash(
                f"Round #{created.id} ({created.name}) is a draft with "
                f"{len(found.requirements)} flagged requirement(s) carrying their evidence."
            )
            st.rerun()
    if cancel.button("Cancel", key="cancel-changed"):
        _stop()
        st.rerun()
