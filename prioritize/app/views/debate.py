"""Debate: flagged items first; each member's scores and reasons, the spread, the camps,
department viewpoints, a comment thread, and why one requirement ranks above another."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from prioritize import charts
from prioritize.app import cached, state, words
from prioritize.app.style import category_styler
from prioritize.app.text import plain
from prioritize.council.analysis import flagged_requirements
from prioritize.engine.explain import compare

current = state.require_session()
st.title("Debate")
info = state.require_round(current)
state.show_flashes()
state.require_revealed(
    info,
    "The debate opens when the facilitator reveals the scores; "
    "until then each member sees only their own.",
)
db, revision = cached.round_key(current, info.id)
ev = cached.evaluation(current, db, info.id, revision)
with st.spinner("Looking for what to debate…"):
    flags = cached.debate_flags(current, db, info.id, revision)
table = ev.table
flagged = flagged_requirements(flags)
order = flagged + [r for r in table.index if r not in flagged]
labels = {r: f"{'FLAGGED · ' if r in flagged else ''}{r} — {table.loc[r, 'title']}" for r in order}
st.caption(f"{len(flagged)} requirement(s) flagged for debate, listed first.")
chosen = str(
    st.selectbox("Requirement", order, format_func=labels.__getitem__, key="debate-requirement")
)
row = table.loc[chosen]
st.markdown(f"### {plain(chosen)} {plain(row['title'])}")
st.markdown(
    f"Rank **{row['rank']}**, score **{row['score']:.3f}**, "
    f"category **{plain(row['category'])}**{' (mandatory)' if row['mandatory'] else ''}  \n"
    f"{plain(row['explanation'])}"
)
mine = flags[flags["requirement_id"] == chosen] if not flags.empty else flags
for reason in mine["reason"] if not mine.empty else []:
    st.warning(plain(words.reason_words(str(reason))), icon=":material/flag:")

scores = cached.visible_scores(current, db, info.id, revision, state.member(current).id)
these = scores[scores["requirement_id"] == chosen]
members = ev.members.table if ev.members is not None else pd.DataFrame()
names = {mid: f"{r['name']} ({r['department']})" for mid, r in members.iterrows()}
criteria_names = {c.id: c.name for c in ev.criteria}

tab_scores, tab_spread, tab_views, tab_comments, tab_why = st.tabs(
    [
        "Scores and reasons",
        "Spread and camps",
        "Department viewpoints",
        "Comments",
        "Why above / below",
    ]
)
with tab_scores:
    answers = these.assign(answer=words.answers(these["score"], these["abstained"]))
    grid = answers.pivot(index="criterion", columns="member", values="answer")
    grid = grid.reindex(index=list(ev.criteria.ids))
    grid.index = [criteria_names[c] for c in grid.index]
    grid.columns = [names.get(m, m) for m in grid.columns]
    st.dataframe(grid, key="debate-grid", width="stretch")
    reasons = these[these["reason"].astype(str).str.strip() != ""]
    if not reasons.empty:
        shown = pd.DataFrame(
            {
                "criterion": reasons["criterion"].map(criteria_names),
                "member": reasons["member"].map(lambda m: names.get(m, m)),
                "score": words.answers(reasons["score"], reasons["abstained"]),
                "reason": reasons["reason"],
            }
        )
        st.dataframe(shown, hide_index=True, width="stretch", key="debate-reasons")
with tab_spread:
    spread = cached.disagreement(current, db, info.id, revision)
    part = (
        spread.xs(chosen, level="requirement_id")
        if chosen in spread.index.get_level_values("requirement_id")
        else spread.iloc[0:0]
    )
    st.dataframe(
        pd.DataFrame(
            {
                "criterion": [criteria_names.get(str(c), str(c)) for c in part.index],
                "how many scored": part["n"].to_numpy(),
                # an abstention is an answer, not a gap: said so beside the count
                "cannot judge": these[these["abstained"].astype(bool)]["criterion"]
                .value_counts()
                .reindex(part.index, fill_value=0)
                .to_numpy(),
                "average": part["mean"].to_numpy(),
                "spread (sd)": part["std"].to_numpy(),
                "lowest to highest": part["range"].to_numpy(),
                "agreement (0–1)": part["rwg"].to_numpy(),
                "two camps (0–1)": part["polarisation"].to_numpy(),
                "weight": part["weight"].to_numpy(),
            }
        ),
        hide_index=True,
        width="stretch",
        key="debate-spread",
        column_config={
            "average": st.column_config.NumberColumn(format="%.2f"),
            "spread (sd)": st.column_config.NumberColumn(
                format="%.2f", help="The standard deviation of the scores: 0 when all agree"
            ),
            "lowest to highest": st.column_config.NumberColumn(
                format="%g", help="The highest score minus the lowest"
            ),
            "agreement (0–1)": st.column_config.NumberColumn(
                format="%.2f", help="1: full agreement; below 0.5: weak or none"
            ),
            "two camps (0–1)": st.column_config.NumberColumn(
                format="%.2f",
                help="0: one group or an even spread; 1: two equal camps at the ends of the scale",
            ),
            "weight": st.column_config.NumberColumn(format="%.2f"),
        },
    )
with tab_views:
    views = cached.viewpoints(current, db, info.id, revision)
    rows = views.index.get_level_values(0) == chosen
    part = views[rows].droplevel(0)
    seen = pd.DataFrame(
        {
            "department": [str(v) for v in part.index],
            "category": part["category"].astype(str).to_numpy(),
            "rank": part["rank"].to_numpy(),
            "differs from the council": part["changed_category"].astype(bool).to_numpy(),
            "criteria it scored": part["coverage"].to_numpy() * 100.0,
        }
    )
    st.dataframe(
        category_styler(seen),
        hide_index=True,
        width="stretch",
        key="debate-views",
        column_config={
            "differs from the council": st.column_config.CheckboxColumn(),
            "criteria it scored": st.column_config.NumberColumn(
                format="%.0f%%",
                help="The share of this requirement's criteria the department scored; where it "
                "gave no score, the council's stands in",
            ),
        },
    )
    st.caption("Each row: the evaluation redone with one department's scores alone.")
with tab_comments:
    comments = current.comments(info.id)
    thread = comments[comments["requirement_id"] == chosen]
    zone = words.browser_timezone()
    for _, c in thread.iterrows():
        with st.chat_message("user"):
            who = plain(names.get(c["member"], c["member"]))
            when = plain(words.readable_time(str(c["created_at"]), zone))
            st.markdown(f"**{who}** · {when}  \n{plain(c['body'])}")
    if not info.locked:
        with st.form(state.key("comment-form", chosen), clear_on_submit=True):
            body = str(
                st.text_area("Add a comment", key=state.key("comment-body", chosen), max_chars=4000)
                or ""
            )
            posted = st.form_submit_button("Post", key=state.key("comment-post", chosen))
        if (
            posted
            and state.attempt(
                lambda: current.add_comment(info.id, chosen, body), success="Comment posted"
            )
            is not None
        ):
            st.rerun()
with tab_why:
    others = [r for r in table.index if r != chosen]
    if others:
        other = st.selectbox(
            "Compare with",
            others,
            format_func=lambda r: f"{r} — {table.loc[r, 'title']}",
            key="debate-compare",
        )
        comparison = compare(ev, chosen, str(other))
        st.markdown(plain(str(comparison).splitlines()[0]))
        frame = comparison.table.rename(index=criteria_names)
        st.bar_chart(frame["difference"], horizontal=True)
    else:
        st.caption("The only ranked requirement of this round: nothing to compare it with.")
    st.plotly_chart(
        charts.contribution_waterfall(ev, chosen), key="debate-waterfall", width="stretch"
    )
