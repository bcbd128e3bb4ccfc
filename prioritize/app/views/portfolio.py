"""Portfolio: the set of requirements that maximises the council's value under the round's
budget (and capacity), mandatory ones in, relations respected, the council's rejections out
and its approvals kept in; why each requirement is in or out; the efficient frontier (the
best value at every budget) with what the next 10 % would buy; and the core index: which
requirements stay in whatever the weights (core), in none (exterior), or depend on them
(borderline: where the debate should go)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from prioritize import charts
from prioritize.app import cached, state
from prioritize.app.text import plain
from prioritize.errors import PrioritizeError
from prioritize.portfolio import (
    decided,
    efficient_frontier,
    next_step,
    portfolio_acceptability,
)
from prioritize.portfolio.instance import ValueKind

VALUE_LABELS = {
    "value": "the value axis (benefit criteria of the matrix; cost is the budget's)",
    "benefit": "the priority score over benefit criteria only",
}
SAMPLES = (200, 500, 1_000, 2_000)

current = state.require_session()
st.title("Portfolio")
info = state.require_round(current)
state.show_flashes()
facilitator = state.is_facilitator(current)
saved = current.budget(info.id)

st.caption(
    "Ranking is not selection: the portfolio is the set of requirements with the most "
    "value that fits the money and the people the council has. The value maximised leaves "
    "cost out (cost is what the budget limits), so cost is not counted twice."
)
if facilitator and info.state != "decided":
    with st.form("portfolio-limits"):
        a, b, c = st.columns(3)
        budget = a.number_input(
            "Budget (money)",
            min_value=0.0,
            value=None if saved is None else saved.budget,
            step=10_000.0,
            key="portfolio-budget",
        )
        capacity = b.number_input(
            "Capacity (person-days, optional)",
            min_value=0.0,
            value=None if saved is None or saved.capacity is None else saved.capacity,
            step=10.0,
            key="portfolio-capacity",
        )
        value = c.radio(
            "Maximise",
            list(VALUE_LABELS),
            index=0 if saved is None else list(VALUE_LABELS).index(saved.value),
            format_func=VALUE_LABELS.__getitem__,
            key="portfolio-value",
        )
        if st.form_submit_button("Save the budget", type="primary", key="portfolio-save"):
            if budget is None:
                st.warning("Enter a budget first.", icon=":material/warning:")
            elif state.done(
                lambda: current.set_budget(
                    info.id, float(budget or 0.0), capacity=capacity, value=str(value)
                )
            ):
                state.flash("The budget is saved: the portfolio below follows it.")
                st.rerun()
if saved is None:
    st.info("No budget yet. " + ("Enter one above." if facilitator else "The facilitator sets it."))
    st.stop()
limits = f"Budget {saved.budget:,.0f}" + (
    "" if saved.capacity is None else f", capacity {saved.capacity:,.0f} person-days"
)
st.markdown(f"**{limits}**; maximising {VALUE_LABELS[saved.value]}.")
state.require_revealed(
    info, "The portfolio appears when the facilitator reveals the scores: it rests on them."
)

db, revision = cached.round_key(current, info.id)
ev = cached.evaluation(current, db, info.id, revision)
# the council's decisions count: the same rule the store's portfolio follows
include, exclude = decided(current.decisions(info.id), ranked=ev.table.index)
value_kind: ValueKind = "benefit" if saved.value == "benefit" else "value"
try:
    found = cached.optimal_portfolio(current, db, info.id, revision, strict=True)
except PrioritizeError as exc:
    st.error("The portfolio cannot be selected yet: " + plain(exc), icon=":material/error:")
    st.stop()
assert found is not None  # a budget is set
chosen = found
if not chosen.feasible:
    st.error("No portfolio fits: " + plain(chosen.infeasible), icon=":material/error:")
    st.stop()

a, b, c = st.columns(3)
a.metric("Funded", f"{len(chosen.selected)} of {len(chosen.table)}")
b.metric("Cost", f"{chosen.total_cost:,.0f}", f"{saved.budget - chosen.total_cost:,.0f} left")
if saved.capacity is not None:
    c.metric(
        "Effort (person-days)",
        f"{chosen.total_effort:,.0f}",
        f"{saved.capacity - chosen.total_effort:,.0f} left",
    )
titles = ev.table["title"].astype(str)
table = chosen.table
shown = pd.DataFrame(
    {
        "requirement": [f"{r} {titles[r]}" for r in table.index],
        "in": table["selected"].to_numpy(dtype=bool),
        "cost": table["cost"].to_numpy(),
        "effort": table["effort"].to_numpy(),
        "value": table["value"].to_numpy(),
        "why": table["reason"].to_numpy(),
    }
)
st.dataframe(
    shown.sort_values("in", ascending=False, kind="stable"),
    hide_index=True,
    key="portfolio-table",
    column_config={
        "in": st.column_config.CheckboxColumn(),
        "cost": st.column_config.NumberColumn(format="%,.0f"),
        "effort": st.column_config.NumberColumn(format="%,.0f"),
        "value": st.column_config.NumberColumn(format="%.3f"),
    },
)
if include or exclude:
    st.caption(
        f"The council's decisions count: {len(include)} approved kept in, "
        f"{len(exclude)} rejected or removed left out."
    )

st.subheader("The efficient frontier")
st.caption(
    "The best value the council could buy at every budget, from what must be funded to "
    "everything: each step is exact (a breakpoint), not a sample."
)
frontier_key = state.key("portfolio-frontier-result", info.id, revision)
if st.button("Compute the frontier", key="portfolio-frontier"):
    with st.spinner("Solving the portfolio at every breakpoint…"):
        st.session_state[frontier_key] = efficient_frontier(
            ev, capacity=saved.capacity, value=value_kind, include=include, exclude=exclude
        )
frontier = st.session_state.get(frontier_key)
if isinstance(frontier, pd.DataFrame) and not frontier.empty:
    st.plotly_chart(
        charts.frontier_chart(frontier, budget=saved.budget),
        key="portfolio-frontier-chart",
        width="stretch",
    )
    st.markdown(
        "**What the next 10 % of budget would buy:** " + plain(next_step(frontier, saved.budget))
    )

st.subheader("Whatever the weights? The core index")
st.caption(
    "Weights drawn around the council's (as on the Sensitivity page); in each draw the best "
    "portfolio is found exactly. Core: funded in every draw; exterior: in none; borderline: "
    "it depends on the weights, so that is where the debate should go."
)
samples = st.select_slider("Weight samples", SAMPLES, 500, key="portfolio-core-samples")
core_key = state.key("portfolio-core-result", info.id, revision, int(samples))
if st.button("Compute the core index", key="portfolio-core"):
    bar = st.progress(0.0, text="Finding the best portfolio for each weight sample…")

    def advance(done: int, total: int) -> None:
        bar.progress(done / total, text=f"{done:,} of {total:,} samples")

    st.session_state[core_key] = portfolio_acceptability(
        ev,
        saved.budget,
        capacity=saved.capacity,
        value=value_kind,
        samples=int(samples),
        seed=0,
        include=include,
        exclude=exclude,
        progress=advance,
    )
    bar.empty()
core = st.session_state.get(core_key)
if core is not None:
    counts = core.table["class"].value_counts()
    st.caption(
        f"{counts.get('core', 0)} core, {counts.get('borderline', 0)} borderline, "
        f"{counts.get('exterior', 0)} exterior over {core.samples:,} samples (seed {core.seed})."
    )
    frame = core.table.reset_index()
    st.dataframe(
        pd.DataFrame(
            {
                "requirement": [f"{r} {titles.get(r, '')}" for r in frame["id"]],
                "class": frame["class"],
                "core index": frame["core_index"] * 100,
                "funded now": frame["selected_now"].astype(bool),
            }
        ).sort_values("core index", ascending=False, kind="stable"),
        hide_index=True,
        key="portfolio-core-table",
        column_config={"core index": st.column_config.NumberColumn(format="%.0f%%")},
    )
