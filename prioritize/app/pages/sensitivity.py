"""Sensitivity: weight sliders that re-rank live (the facilitator may save them), the
tornado, exact stability intervals, and category acceptability from SMAA."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from prioritize import charts
from prioritize.app import cached, state
from prioritize.app.style import category_styler
from prioritize.app.text import plain
from prioritize.sensitivity.smaa import WeightMode
from prioritize.sensitivity.stability import Scope

current = state.require_session()
info = state.require_round(current)
state.show_flashes()
st.title("Sensitivity")
state.require_revealed(
    info, "Sensitivity needs the council's combined scores, so it opens at the reveal."
)
db, revision = cached.round_key(current, info.id)
ev = cached.evaluation(current, db, info.id, revision)
criteria = ev.criteria
facilitator = state.is_facilitator(current)

st.subheader("Try other weights")
st.caption(
    "Move a slider: the ranking is recomputed at once. "
    + (
        "Save the weights to make them the round's."
        if facilitator and not info.locked
        else "You are exploring: nothing is saved."
    )
)
slider_keys = {c.id: state.key("weight", info.id, c.id) for c in criteria}
if st.button("Reset to the council's weights", key="weights-reset"):
    for cid, k in slider_keys.items():
        st.session_state[k] = float(round(ev.weights[cid], 3))
columns = st.columns(5)
chosen: dict[str, float] = {}
for index, criterion in enumerate(criteria):
    with columns[index % 5]:
        chosen[criterion.id] = st.slider(
            plain(criterion.name),
            0.0,
            1.0,
            float(round(ev.weights[criterion.id], 3)),
            0.01,
            key=slider_keys[criterion.id],
            help=plain(criterion.description),
        )
if sum(chosen.values()) <= 0:
    st.error("At least one weight must be above zero.")
    st.stop()
weights_key = cached.weights_key(chosen)
trial = cached.reweighted(current, db, info.id, revision, weights_key)
normalised = pd.Series(chosen) / sum(chosen.values())
st.caption(
    "Weights used (normalised to sum 1): "
    + ", ".join(f"{plain(criteria[str(c)].name)} {w:.2f}" for c, w in normalised.items())
)
moved = trial.table[["title", "rank", "category", "score"]].join(
    ev.table[["rank", "category"]].rename(
        columns={"rank": "council rank", "category": "council category"}
    )
)
moved["rank change"] = moved["council rank"] - moved["rank"]
moved["category changed"] = moved["category"].astype(str) != moved["council category"].astype(str)
st.dataframe(
    category_styler(moved, ("category", "council category")),
    width="stretch",
    key="sensitivity-ranking",
    height=360,
    column_config={"score": st.column_config.NumberColumn(format="%.3f")},
)
save = (
    facilitator
    and not info.locked
    and st.button("Save these weights for the round", key="weights-save", type="primary")
)
if save and state.attempt(lambda: current.set_weights(info.id, chosen)) is not None:
    state.flash("Weights saved: the round and every page now use them.")
    st.rerun()

council = {str(c): float(w) for c, w in ev.weights.items()}
weights_arg = None if weights_key == cached.weights_key(council) else weights_key

st.subheader("Tornado: each weight swept from 0 to 1")
tornado = cached.tornado(current, db, info.id, revision, weights_arg)
focus = st.selectbox(
    "For requirement",
    list(trial.table.index),
    format_func=lambda r: f"{r} — {trial.table.loc[r, 'title']}",
    key="tornado-requirement",
)
part = tornado.xs(focus, level=1)
ends = part[["score_at_zero", "score_at_one"]].to_numpy(dtype=float)
bars = pd.DataFrame({"low": ends.min(axis=1), "high": ends.max(axis=1)}, index=part.index)
bars.index = [criteria[c].name for c in bars.index]
st.plotly_chart(
    charts.tornado_chart(bars, label=f"score of {focus}"), key="tornado-chart", width="stretch"
)
st.dataframe(
    part[["best_rank", "worst_rank", "category_at_zero", "category_at_one", "category_changes"]],
    width="stretch",
    key="tornado-table",
)

st.subheader("Exact stability intervals")
left, right = st.columns([1, 3])
scope: Scope = (
    "top-k"
    if left.radio("Keep unchanged", ["ranking", "top-k"], key="stability-scope") == "top-k"
    else "ranking"
)
top_k = (
    int(left.number_input("k", 1, len(trial.table), min(5, len(trial.table)), key="stability-k"))
    if scope == "top-k"
    else None
)
intervals = cached.stability(current, db, info.id, revision, scope, top_k, weights_arg)
right.dataframe(intervals, width="stretch", key="stability-table")
right.caption(
    "For each criterion: the range of its weight (the others rescaled in "
    "proportion) in which the ranking, or the top k, stays exactly as it is. "
    "Computed in closed form, not by sampling."
)

st.subheader("Category acceptability (SMAA)")
a, b, c = st.columns(3)
samples = a.select_slider("Samples", [1_000, 2_000, 5_000, 10_000], 5_000, key="smaa-samples")
modes: list[WeightMode] = ["council", "ordinal", "uniform"]
mode: WeightMode = b.selectbox(
    "Weights drawn",
    modes,
    key="smaa-weights",
    help="council: around these weights; ordinal: any weights keeping their "
    "order; uniform: any weights at all",
)
voices = c.checkbox(
    "Also resample the council's voices",
    key="smaa-members",
    help="Draw members with replacement in each sample, so disagreement becomes uncertainty",
)
with st.spinner(f"Running SMAA: {samples:,} samples…"):
    result = cached.smaa(
        current,
        db,
        info.id,
        revision,
        samples=int(samples),
        weights=mode,
        seed=0,
        resample_members=bool(voices),
        weights_override=weights_arg,
    )
acceptability = result.category_acceptability
st.plotly_chart(
    charts.acceptability_heatmap(acceptability.rename(index=lambda r: f"{r}")),
    key="smaa-heatmap",
    width="stretch",
)
st.caption(
    "Each row: the share of sampled weightings placing the requirement in each "
    "category (seed 0, reproducible)."
)
