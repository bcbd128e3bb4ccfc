"""Sensitivity: weights in the council's points out of 100 (applied as a form, so a drag
re-ranks once; the facilitator may save them), the requirements that move, the tornado,
exact stability intervals, and category acceptability from SMAA. Every table speaks in
criterion names and words, never in ids or column codes."""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from prioritize import charts
from prioritize.app import cached, state
from prioritize.app.style import category_styler
from prioritize.app.text import plain
from prioritize.sensitivity.smaa import WeightMode
from prioritize.sensitivity.stability import Scope

#: At most this many requirements in the acceptability heatmap (the least certain).
SHOWN_ROWS = 40

current = state.require_session()
st.title("Sensitivity")
info = state.require_round(current)
state.show_flashes()
state.require_revealed(
    info, "Sensitivity needs the council's combined scores, so it opens at the reveal."
)
db, revision = cached.round_key(current, info.id)
ev = cached.evaluation(current, db, info.id, revision)
criteria = ev.criteria
facilitator = state.is_facilitator(current)
council = {str(c): float(w) for c, w in ev.weights.items()}
# The council's weights as points out of 100. When nobody changed a point, the council's
# exact weights are used (a weight such as 0.125 shows as 12 points but is kept as is).
council_points = {cid: round(w * 100) for cid, w in council.items()}


def name(cid: object) -> str:
    """A criterion's name for a table cell (data, not Markdown)."""
    return str(criteria[str(cid)].name)


def points(share: float) -> float:
    """A weight share (0-1) in points out of 100; inf and nan shown as blank."""
    value = float(share) * 100
    return value if math.isfinite(value) else math.nan


st.subheader("Try other weights")
st.caption(
    "Each criterion's weight in points out of 100. Move the sliders, then press "
    "**Apply these weights**: the ranking is recomputed once, with each criterion's share "
    "of the points given. "
    + (
        "Save the weights to make them the round's."
        if facilitator and not info.locked
        else "You are exploring: nothing is saved."
    )
)
slider_keys = {c.id: state.key("weight", info.id, c.id) for c in criteria}
if st.button("Reset to the council's weights", key="weights-reset"):
    for cid, k in slider_keys.items():
        st.session_state[k] = council_points[cid]
with st.form("weights-form", border=True):
    columns = st.columns(5)
    chosen_points: dict[str, int] = {}
    for index, criterion in enumerate(criteria):
        with columns[index % 5]:
            chosen_points[criterion.id] = int(
                st.slider(
                    plain(criterion.name),
                    0,
                    100,
                    council_points[criterion.id],
                    1,
                    key=slider_keys[criterion.id],
                    help=plain(criterion.description),
                )
            )
    st.form_submit_button("Apply these weights", key="weights-apply", type="primary")
total = sum(chosen_points.values())
if total <= 0:
    st.error("At least one weight must be above zero.")
    st.stop()
unchanged = chosen_points == council_points
chosen = council if unchanged else {cid: p / total for cid, p in chosen_points.items()}
weights_key = cached.weights_key(chosen)
weights_arg = None if unchanged or weights_key == cached.weights_key(council) else weights_key
trial = (
    ev if weights_arg is None else cached.reweighted(current, db, info.id, revision, weights_key)
)
st.caption(
    f"Points given: {total} (the council's weights: {sum(council_points.values())}). "
    + (
        "These are the council's weights."
        if weights_arg is None
        else "Used as shares of "
        + str(total)
        + ": "
        + ", ".join(f"{plain(criteria[c].name)} {100 * w:.1f}" for c, w in chosen.items())
        + " out of 100."
    )
)

ranking = pd.DataFrame(
    {
        "id": trial.table.index.astype(str),
        "title": trial.table["title"].astype(str).to_numpy(),
        "rank now": trial.table["rank"].to_numpy(),
        "council rank": ev.table["rank"].reindex(trial.table.index).to_numpy(),
        "category now": trial.table["category"].astype(str).to_numpy(),
        "council category": ev.table["category"].reindex(trial.table.index).astype(str).to_numpy(),
    }
)
ranking["places moved"] = ranking["council rank"] - ranking["rank now"]
ranking["changed?"] = ranking["category now"] != ranking["council category"]
ranking = ranking[
    [
        "id",
        "title",
        "places moved",
        "changed?",
        "rank now",
        "council rank",
        "category now",
        "council category",
    ]
]
ranking["order"] = ranking["places moved"].abs()
ranking = ranking.sort_values(["order", "rank now"], ascending=[False, True], kind="stable")
ranking = ranking.drop(columns="order")
movers = (ranking["places moved"] != 0) | ranking["changed?"]
show_all = st.toggle("Show all requirements", key="sensitivity-show-all")
st.caption(
    f"{int(movers.sum())} of {len(ranking)} requirements change rank or category under "
    "these weights" + ("; those that move come first." if show_all else "; only they are shown.")
)
shown = ranking if show_all else ranking[movers]
if shown.empty:
    st.info("No requirement moves: these weights give the council's ranking.")
else:
    st.dataframe(
        category_styler(shown, ("category now", "council category")),
        width="stretch",
        hide_index=True,
        key="sensitivity-ranking",
        height=min(400, 38 + 35 * len(shown)),
        column_config={
            "id": st.column_config.TextColumn("id", width="small"),
            "title": st.column_config.TextColumn("title", width="medium"),
            "places moved": st.column_config.NumberColumn(
                "places moved", format="%+d", help="+ up, - down"
            ),
            "changed?": st.column_config.CheckboxColumn(
                "changed?", width="small", help="Category changed"
            ),
            "rank now": st.column_config.NumberColumn("rank now", width="small"),
            "council rank": st.column_config.NumberColumn("council rank", width="small"),
        },
    )
save = (
    facilitator
    and not info.locked
    and st.button("Save these weights for the round", key="weights-save", type="primary")
)
if save and state.attempt(lambda: current.set_weights(info.id, chosen)) is not None:
    state.flash("Weights saved: the round and every page now use them.")
    st.rerun()

st.subheader("Tornado: each weight swept from 0 to 100 points")
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
bars.index = [name(c) for c in bars.index]
st.plotly_chart(
    charts.tornado_chart(bars, label=f"score of {focus}"), key="tornado-chart", width="stretch"
)
swept = pd.DataFrame(
    {
        "criterion": [name(c) for c in part.index],
        "weight now (points)": [points(w) for w in part["weight"]],
        "best rank": part["best_rank"].to_numpy(),
        "worst rank": part["worst_rank"].to_numpy(),
        "places it can swing": part["rank_swing"].to_numpy(),
        "category at weight 0": part["category_at_zero"].astype(str).to_numpy(),
        "category at weight 100": part["category_at_one"].astype(str).to_numpy(),
        "category changes along the sweep": part["category_changes"].to_numpy(),
    }
)
st.dataframe(
    category_styler(swept, ("category at weight 0", "category at weight 100")),
    width="stretch",
    hide_index=True,
    key="tornado-table",
    column_config={
        "weight now (points)": st.column_config.NumberColumn(format="%.1f"),
    },
)
st.caption(
    f"For {focus}: one criterion's weight moved from 0 to 100 points, the others "
    "rescaled in proportion; the best and worst rank it reaches, and its category at "
    "each end."
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
relative = intervals["relative_change"].astype(float) * 100
stable = pd.DataFrame(
    {
        "criterion": [name(c) for c in intervals.index],
        "weight now (points)": [points(w) for w in intervals["weight"]],
        "weight may fall to": [points(w) for w in intervals["lower"]],
        "weight may rise to": [points(w) for w in intervals["upper"]],
        "what happens below": intervals["lower_by"].astype(str).to_numpy(),
        "what happens above": intervals["upper_by"].astype(str).to_numpy(),
        "smallest move that changes it (points)": [points(w) for w in intervals["change"]],
        "as % of the weight": relative.where(relative.map(math.isfinite)).to_numpy(),
    }
)
one_decimal = st.column_config.NumberColumn(format="%.1f")
right.dataframe(
    stable,
    width="stretch",
    hide_index=True,
    key="stability-table",
    column_config={
        "weight now (points)": one_decimal,
        "weight may fall to": one_decimal,
        "weight may rise to": one_decimal,
        "smallest move that changes it (points)": one_decimal,
        "as % of the weight": st.column_config.NumberColumn(format="%.0f%%"),
    },
)
right.caption(
    "For each criterion: how far its weight (in points out of 100, the others rescaled in "
    "proportion) may fall or rise while the ranking, or the top k, stays exactly as it is, "
    "and what happens just beyond. A blank move: nothing changes whatever the weight. "
    "Computed in closed form, not by sampling."
)

st.subheader("Category acceptability (SMAA)")
a, b, c = st.columns(3)
samples = a.select_slider("Samples", [1_000, 2_000, 5_000, 10_000], 2_000, key="smaa-samples")
proposed = len(cached.proposals(current, db, info.id, revision, current.member_id))
# with proposals, the members' own weights come first: the council's real disagreement
modes: list[WeightMode] = ["members"] if proposed else []
modes += ["council", "ordinal", "uniform"]
mode: WeightMode = b.selectbox(
    "Weights drawn",
    modes,
    key="smaa-weights",
    help=(f"members: the {proposed} members' own proposals, resampled; " if proposed else "")
    + "council: around these weights; ordinal: any weights keeping their "
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
# the least certain placements first, at most SHOWN_ROWS of them: a heatmap of hundreds
# of rows is neither readable nor quick to draw
certainty = acceptability.max(axis=1)
uncertain = certainty[certainty < 0.95].sort_values().index[:SHOWN_ROWS]
if len(uncertain):
    shown = acceptability.loc[acceptability.index.isin(uncertain)]
    st.plotly_chart(
        charts.acceptability_heatmap(shown.rename(index=lambda r: f"{r}")),
        key="smaa-heatmap",
        width="stretch",
    )
st.caption(
    "Each row: the share of sampled weightings placing the requirement in each "
    f"category (seed 0, reproducible). Shown: the {len(uncertain)} least certain "
    f"placements; {int((certainty >= 0.95).sum())} of {len(certainty)} requirements keep "
    "their category in at least 95% of the weightings."
)
