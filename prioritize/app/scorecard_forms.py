"""The facilitator's forms on the Scorecard page: readings from a file or typed one by one,
the go-live date of an approved requirement, and an event (a new law, a market move). Each
calls the store, which checks the input as it checks a file; members never see them."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from prioritize.app import state
from prioritize.app.uploads import UPLOAD_MB, show_problems
from prioritize.council.decisions import latest_decisions
from prioritize.errors import PrioritizeError
from prioritize.model.scorecard import EVENT_KINDS, Scorecard
from prioritize.store import Session
from prioritize.store.records import RoundInfo

__all__ = ["record_forms"]


def record_forms(current: Session, info: RoundInfo | None, card: Scorecard) -> None:
    """The four forms, one tab each."""
    upload, one, live, event = st.tabs(
        ["Upload readings", "Add one reading", "Record a go-live", "Record an event"]
    )
    with upload:
        _upload(current)
    with one:
        _one_reading(current, card)
    with live:
        _go_live(current, info)
    with event:
        _event(current, info)


def _upload(current: Session) -> None:
    st.caption(
        "A CSV or XLSX file with the columns date, measure, value and optionally source and "
        "note; one reading per measure and day. The whole file is checked first: nothing is "
        "stored unless every row is right."
    )
    st.file_uploader(
        "Readings file",
        type=["csv", "xlsx"],
        max_upload_size=UPLOAD_MB,
        key="scorecard-upload",
    )
    replace = st.checkbox(
        "Replace readings already stored for the same measure and day",
        key="scorecard-upload-replace",
    )
    chosen = st.session_state.get("scorecard-upload")
    if (
        st.button("Import the readings", key="scorecard-import", disabled=chosen is None)
        and chosen is not None
    ):
        try:
            written = current.import_readings(chosen, replace=bool(replace))
        except PrioritizeError as exc:
            show_problems(exc, "No reading was imported", "scorecard-problems")
        else:
            state.flash(f"Imported {written} reading(s) from {chosen.name}.")
            st.rerun()


def _one_reading(current: Session, card: Scorecard) -> None:
    left, middle, right = st.columns(3)
    measure = left.selectbox(
        "Measure",
        card.ids,
        format_func=lambda m: f"{card[m].name} ({card[m].unit})",
        key="scorecard-reading-measure",
    )
    on = middle.date_input(
        "Date", value=dt.date.today(), max_value=dt.date.today(), key="scorecard-reading-date"
    )
    value = right.number_input("Value", value=None, key="scorecard-reading-value")
    source = st.text_input("Source", max_chars=200, key="scorecard-reading-source")
    note = st.text_input("Note", max_chars=2000, key="scorecard-reading-note")
    replace = st.checkbox(
        "Replace the reading stored for that day", key="scorecard-reading-replace"
    )
    if st.button("Add the reading", key="scorecard-reading-add"):
        if value is None or not isinstance(on, dt.date):
            st.warning("Enter a date and a value first.", icon=":material/warning:")
        elif state.done(
            lambda: current.add_reading(
                str(measure), on, float(value), source=source, note=note, replace=bool(replace)
            )
        ):
            state.flash(f"Added {card[str(measure)].name} on {on.isoformat()}: {value:g}.")
            st.rerun()


def _go_live(current: Session, info: RoundInfo | None) -> None:
    if info is None:
        st.info("There is no round yet: a go-live is recorded for an approved requirement.")
        return
    log = current.decisions(info.id)
    latest = latest_decisions(log) if not log.empty else None
    approved = (
        [] if latest is None else [str(r) for r in latest.index[latest["outcome"] == "approve"]]
    )
    if not approved:
        st.info(
            f"No requirement of round #{info.id} is approved yet: the Decide page records "
            "approvals (with the effects the council expects)."
        )
        return
    titles = current.requirements(info.id).frame["title"].astype(str)
    left, right = st.columns(2)
    requirement = left.selectbox(
        "Approved requirement",
        approved,
        format_func=lambda r: f"{r} {titles.get(r, '')}",
        key="scorecard-live-requirement",
    )
    on = right.date_input("Went live on", value=dt.date.today(), key="scorecard-live-date")
    if (
        st.button("Record the go-live", key="scorecard-live-record")
        and isinstance(on, dt.date)
        and state.done(lambda: current.record_go_live(info.id, str(requirement), on))
    ):
        state.flash(f"{requirement} went live on {on.isoformat()}.")
        st.rerun()


def _event(current: Session, info: RoundInfo | None) -> None:
    st.caption(
        "A legal, regulatory, market or operational change. The requirements it concerns "
        "are flagged for the next round; name none and every requirement scored on the "
        "criteria it touches is (for a legal or regulatory event by default the gates and "
        "the risk criteria)."
    )
    left, right = st.columns(2)
    on = left.date_input("Date", value=dt.date.today(), key="scorecard-event-date")
    kind = right.selectbox("Kind", EVENT_KINDS, key="scorecard-event-kind")
    title = st.text_input("What happened", max_chars=500, key="scorecard-event-title")
    criteria = st.text_input(
        "Criteria it touches (ids, comma-separated; empty: the default for its kind)",
        key="scorecard-event-criteria",
    )
    titles = current.requirements(info.id).frame["title"].astype(str) if info is not None else None
    concerned = st.multiselect(
        "Requirements it concerns (none: every requirement scored on those criteria)",
        [] if titles is None else list(titles.index),
        format_func=lambda r: f"{r} — {titles[r]}" if titles is not None else str(r),
        key="scorecard-event-requirements",
    )
    if st.button("Record the event", key="scorecard-event-record") and isinstance(on, dt.date):
        touched = [c.strip() for c in str(criteria).split(",") if c.strip()]
        if not str(title).strip():
            st.warning("Say what happened first.", icon=":material/warning:")
        elif state.done(
            lambda: current.add_event(on, str(kind), str(title), touched, list(concerned))
        ):
            state.flash(f"Recorded the {kind} event of {on.isoformat()}: {title}")
            st.rerun()
