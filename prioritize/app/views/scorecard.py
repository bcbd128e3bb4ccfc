"""Scorecard: did what the council approved work, and what should come back to it? Each
measure of the council's shared scorecard over time (go-live dates, target, alert), the
benefit realisation of every delivered requirement (expected against actual, with the
status and the attribution rule), and the triggers for the next round, grouped by
requirement. Every role reads it; the facilitator also records readings, go-live dates
and events."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from prioritize import charts
from prioritize.app import state
from prioritize.app.scorecard_forms import record_forms
from prioritize.app.text import plain
from prioritize.model.scorecard import format_value
from prioritize.outcomes import (
    STATUS_COLOURS,
    STATUS_TEXT_COLOURS,
    STATUSES,
    flagged_requirements,
    stated_rule,
    unlinked_triggers,
)
from prioritize.outcomes.series import signed_change

current = state.require_session()
st.title("Scorecard")
state.show_flashes()
info = state.current_round(current)
facilitator = state.is_facilitator(current)
card = current.scorecard()
readings = current.readings()
deliveries = current.deliveries()
st.caption(
    f"The measures every department shares ({plain(card.name)}, version {card.version}): "
    "improvement is not assumed, it is measured. Did what the council approved work, and "
    "what should come back to it?"
)

# --- each measure over time ------------------------------------------------------------
st.subheader("The measures over time")
chosen = st.selectbox(
    "Measure",
    card.ids,  # the scorecard's order: first-time-right first
    format_func=lambda m: f"{card[m].name} ({card[m].area})",
    key="scorecard-measure",
)
measure = card[str(chosen)]
rows = readings.for_measure(measure.id)
if rows.empty:
    st.info(f"No readings of {plain(measure.name)} yet.")
else:
    st.plotly_chart(
        charts.measure_chart(measure, readings, deliveries),
        key="scorecard-chart",
        width="stretch",
    )
    last = rows.iloc[-1]
    st.caption(
        f"Latest: {format_value(float(last['value']), measure.unit)} on "
        f"{last['date']:%Y-%m-%d} · owner {plain(measure.owner or 'not named')} · "
        + plain(measure.description)
    )

# --- benefit realisation -------------------------------------------------------------
st.subheader("Did it work? Expected against actual")
result = current.benefit_realisation()
table = result.table
if table.empty:
    st.info(
        "No delivered requirement states an effect on a measure yet. When the council "
        "approves a requirement it can state the effect it expects (Decide page); the "
        "facilitator then records when it went live."
    )
else:
    counts = result.counts()
    for column, status in zip(st.columns(len(STATUSES)), STATUSES, strict=True):
        column.metric(status, int(counts[status]))
    names = {m.id: m for m in card}

    def _expected(change: float, by: pd.Timestamp, measure_id: str) -> str:
        said = "" if pd.isna(change) else signed_change(change, names[measure_id].unit)
        return said + ("" if pd.isna(by) else f" by {by:%Y-%m-%d}")

    shown = pd.DataFrame(
        {
            "requirement": table["requirement_id"] + " " + table["title"],
            "measure": [names[m].name for m in table["measure"]],
            "status": table["status"],  # what the council looks for first
            "live on": table["live_on"].dt.strftime("%Y-%m-%d"),
            "before → after": [
                f"{format_value(b, names[m].unit)} → {format_value(a, names[m].unit)}"
                for b, a, m in zip(table["before"], table["after"], table["measure"], strict=True)
            ],
            "change": [
                "n/a" if pd.isna(c) else signed_change(c, names[m].unit)
                for c, m in zip(table["change"], table["measure"], strict=True)
            ],
            "expected": [
                _expected(c, b, m)
                for c, b, m in zip(table["expected"], table["by"], table["measure"], strict=True)
            ],
            "why": table["explanation"],
        }
    )

    def _colour(status: object) -> str:
        fill = STATUS_COLOURS.get(str(status))
        return (
            f"background-color: {fill}; color: {STATUS_TEXT_COLOURS[str(status)]}" if fill else ""
        )

    st.dataframe(
        shown.style.map(_colour, subset=["status"]),
        hide_index=True,
        width="stretch",
        key="scorecard-benefits",
    )
st.caption(
    f"How to read it: before and after are the means of {result.window} readings either "
    f"side of go-live. Status: {stated_rule('Status')} Attribution: "
    f"{stated_rule('Attribution')}".replace("window readings", f"{result.window} readings").replace(
        "shared_with names", "the explanation names"
    )
)

# --- triggers -----------------------------------------------------------------------
st.subheader("What should come back to the council")
found = current.triggers(info.id if info is not None else None)
flagged = flagged_requirements(found, {m.id: m.name for m in card})
alone = unlinked_triggers(found)
if flagged.empty and alone.empty:
    st.success("Nothing: no measure past its alert or trending the wrong way, no event.")
else:
    st.caption(
        "A measure past its alert bound or moving the wrong way over its window, or an "
        "event, flags the requirements linked to it: by an effect stated when approved, or "
        "by a clear score on a criterion the measure tells about"
        + (f" (round #{info.id})." if info is not None and info.revealed else ".")
    )
    if not flagged.empty:
        titles = (
            current.requirements(info.id).frame["title"].astype(str)
            if info is not None
            else pd.Series(dtype=str)
        )
        st.dataframe(
            pd.DataFrame(
                {
                    "requirement": [
                        f"{r} {titles.get(r, '')}".strip() for r in flagged["requirement_id"]
                    ],
                    "triggers": flagged["triggers"],
                    "flagged by": flagged["flagged_by"],
                    "evidence": flagged["evidence"],
                }
            ),
            hide_index=True,
            width="stretch",
            key="scorecard-triggers",
        )
    if not alone.empty:
        st.markdown("**Moved, with no requirement linked**")
        st.dataframe(
            pd.DataFrame(
                {
                    "kind": alone["kind"],
                    "measure": [card[m].name if m in card else m for m in alone["measure"]],
                    "since": alone["on"].dt.strftime("%Y-%m-%d"),
                    "evidence": alone["evidence"],
                }
            ),
            hide_index=True,
            width="stretch",
            key="scorecard-unlinked",
        )

if facilitator:
    st.subheader("Record (facilitator)")
    record_forms(current, info, card)
