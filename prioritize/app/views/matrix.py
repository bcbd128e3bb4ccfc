"""Value matrix: value against effort, coloured by category, sized by urgency, with the
ranked table beside it."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from prioritize import charts
from prioritize.app import cached, state
from prioritize.app.style import category_styler
from prioritize.app.text import plain

current = state.require_session()
st.title("Value matrix")
info = state.require_round(current)
state.require_revealed(
    info,
    "The matrix shows the council's combined view, so it appears "
    "when the facilitator reveals the scores (scoring is blind "
    "until then).",
)
db, revision = cached.round_key(current, info.id)
ev = cached.evaluation(current, db, info.id, revision)
table = ev.table
left, right = st.columns([3, 2])
with left:
    chosen = st.selectbox(
        "Highlight",
        ["(none)", *table.index],
        key="matrix-highlight",
        format_func=lambda r: r if r == "(none)" else f"{r} — {table.loc[r, 'title']}",
    )
    highlight = None if chosen == "(none)" else str(chosen)
    st.plotly_chart(
        charts.value_matrix(ev, highlight=highlight), key="matrix-chart", width="stretch"
    )
    st.caption(
        "Shaded regions: where a requirement that is not urgent lands. Immediate "
        "control also needs urgency (the marker's size). Hover a point for the rule "
        "that placed it."
    )
with right:
    shown = pd.DataFrame(
        {
            "rank": table["rank"].to_numpy(),
            "requirement": [str(r) for r in table.index],
            "title": table["title"].to_numpy(),
            "category": table["category"].astype(str).to_numpy(),
            "score": table["score"].to_numpy(),
            "mandatory": table["mandatory"].astype(bool).to_numpy(),
            "why this category": table["explanation"].to_numpy(),
        }
    )
    st.dataframe(
        category_styler(shown),
        key="matrix-table",
        hide_index=True,
        width="stretch",
        height=560,
        column_config={
            "score": st.column_config.NumberColumn(
                format="%.3f", help="The weighted score, 0 to 1: the rank follows it"
            ),
            "mandatory": st.column_config.CheckboxColumn(),
        },
    )
if highlight is not None:
    st.plotly_chart(
        charts.contribution_waterfall(ev, highlight), key="matrix-waterfall", width="stretch"
    )
for note in ev.notes:
    st.caption(f"Note: {plain(note)}")
