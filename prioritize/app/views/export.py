"""Export: download the portfolio workbook (and the ranking as CSV or JSON)."""

from __future__ import annotations

import io

import streamlit as st

from prioritize.app import cached, state
from prioritize.app.text import plain
from prioritize.export import export_ranking

current = state.require_session()
st.title("Export")
info = state.require_round(current)
st.caption(f"Round #{info.id}: {plain(info.name)} ({info.state})")
state.require_revealed(info, "The portfolio can be exported once the scores are revealed.")
db, revision = cached.round_key(current, info.id)
ev = cached.evaluation(current, db, info.id, revision)
with st.spinner("Preparing the workbook…"):
    workbook = cached.workbook(current, db, info.id, revision, cached.outcomes_key(current))
decisions = current.decisions(info.id)
st.markdown(
    f"The workbook holds the approved portfolio ({len(decisions)} decision(s) "
    "recorded), the full ranking with categories and stability, every member's "
    "scores and reasons, the criteria and weights, the sensitivity analysis, the "
    "decision log with its hashes, the benefits of what was delivered (expected "
    "against actual) with the scorecard's readings, and an About sheet naming the "
    "criteria file's SHA-256 and the SMAA seed."
)
st.download_button(
    "Download the portfolio workbook (xlsx)",
    workbook,
    file_name=f"portfolio-round-{info.id}.xlsx",
    type="primary",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    key="export-download",
    icon=":material/download:",
)
csv, js = io.StringIO(), io.StringIO()
export_ranking(ev, csv, format="csv")
export_ranking(ev, js, format="json")
left, right = st.columns(2)
left.download_button(
    "Ranking as CSV",
    csv.getvalue(),
    file_name=f"ranking-{info.id}.csv",
    mime="text/csv",
    key="export-csv",
)
right.download_button(
    "Ranking as JSON",
    js.getvalue(),
    file_name=f"ranking-{info.id}.json",
    mime="application/json",
    key="export-json",
)
