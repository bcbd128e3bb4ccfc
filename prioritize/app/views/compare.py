"""Compare rounds: what moved between two revealed rounds (rank and category), how much of
each score change the new weights and the changed scores made, which requirements were
added or withdrawn, and whose scores changed with their reasons."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from prioritize import charts
from prioritize.app import cached, state
from prioritize.app.text import plain
from prioritize.council.round_diff import round_diff
from prioritize.council.rounds import REVEALED

current = state.require_session()
state.show_flashes()
st.title("Compare rounds")
rounds = current.rounds()
revealed = rounds[rounds["state"].isin(REVEALED)] if not rounds.empty else rounds
if len(revealed) < 2:
    st.info(
        "Comparing needs two rounds whose scores have been revealed, and you can see "
        f"{len(revealed)} so far. Come back once the facilitator reveals a second round's scores.",
        icon=":material/compare_arrows:",
    )
    st.stop()

labels = {int(str(i)): f"#{i} {row['name']} ({row['state']})" for i, row in revealed.iterrows()}
ids = sorted(labels)
left, right = st.columns(2)
first = left.selectbox(
    "Earlier round", ids, index=len(ids) - 2, format_func=labels.__getitem__, key="compare-a"
)
second = right.selectbox(
    "Later round", ids, index=len(ids) - 1, format_func=labels.__getitem__, key="compare-b"
)
if first == second:
    st.info("Pick two different rounds to compare.")
    st.stop()
db, revision_a = cached.round_key(current, first)
_, revision_b = cached.round_key(current, second)
ev_a = cached.evaluation(current, db, first, revision_a)
ev_b = cached.evaluation(current, db, second, revision_b)
diff = state.attempt(lambda: round_diff(ev_a, ev_b))  # different criteria: said in words
if diff is None:
    st.stop()
criterion_name = {c.id: c.name for c in ev_b.criteria}
member_name = {m.id: m.name for ev in (ev_a, ev_b) for m in (ev.members or ())}
name_a, name_b = plain(rounds.loc[first, "name"]), plain(rounds.loc[second, "name"])

table = diff.table
moved = diff.moved[diff.moved["status"] == "both"]
size = pd.DataFrame(
    {"r": moved["rank_change"].abs().astype(float), "s": moved["score_change"].abs()}
)
moved = moved.loc[size.sort_values(["r", "s"], ascending=False).index]  # biggest moves first
st.markdown(
    f"From **{name_a}** to **{name_b}**: {len(moved)} of {int((table['status'] == 'both').sum())} "
    "requirements changed rank or category. Each score change is split exactly into the part "
    "due to the new weights and the part due to changed scores; the two add up."
)

weights = diff.weights[diff.weights["change"].abs() > 1e-12]
st.markdown(
    "**Weights** (before to now): "
    + (
        "; ".join(
            f"{plain(criterion_name[str(c)])} {w['weight_a']:.2f} to {w['weight_b']:.2f}"
            for c, w in weights.iterrows()
        )
        if not weights.empty
        else "unchanged"
    )
    + "."
)


def _sentence(rid: str, row: pd.Series) -> str:
    a, b = int(row["rank_a"]), int(row["rank_b"])
    move = (
        f"{'rose' if b < a else 'fell'} from rank {a} to {b}" if a != b else f"stayed at rank {a}"
    )
    by_weights, by_scores = float(row["due_to_weights"]), float(row["due_to_scores"])
    split = f"{by_weights:+.3f} from the new weights, {by_scores:+.3f} from changed scores"
    if min(abs(by_weights), abs(by_scores)) < 5e-4:  # one part is nil: say which
        part = "changed scores" if abs(by_weights) < 5e-4 else "the new weights"
        split = f"{by_weights + by_scores:+.3f}, all from {part}"
    text = f"**{plain(rid)}** {plain(row['title'])} {move}: {split}"
    if row["category_changed"]:
        text += f"; now {plain(row['category_b'])} (was {plain(row['category_a'])})"
    if row["main_criterion"]:
        text += f"; most of it through {plain(criterion_name[row['main_criterion']])}"
    return text + "."


st.subheader("What moved")
if moved.empty:
    st.markdown("No requirement changed rank or category.")
for rid, row in moved.head(8).iterrows():
    st.markdown("- " + _sentence(str(rid), row))
if not moved.empty:
    st.plotly_chart(charts.round_diff_chart(diff), key="compare-chart", width="stretch")
    shown = moved.assign(
        main_criterion=moved["main_criterion"].map(lambda c: criterion_name.get(c, "")),
        members_changed=moved["members_changed"].map(
            lambda ms: ", ".join(member_name.get(m, m) for m in ms.split(", ") if m)
        ),
    )
    shown.insert(0, "requirement", shown.index)
    columns = {
        "requirement": "Requirement",
        "title": "Title",
        "rank_a": "Rank before",
        "rank_b": "Rank now",
        "rank_change": "Places up",
        "category_a": "Category before",
        "category_b": "Category now",
        "score_change": "Score change",
        "due_to_weights": "From weights",
        "due_to_scores": "From scores",
        "main_criterion": "Mostly through",
        "members_changed": "Whose scores changed",
    }
    signed = st.column_config.NumberColumn(format="%+.3f")
    st.dataframe(
        shown[list(columns)].rename(columns=columns),
        hide_index=True,
        width="stretch",
        key="compare-moved",
        column_config=dict.fromkeys(("Score change", "From weights", "From scores"), signed),
    )

st.subheader("Added and withdrawn")
ends = table[table["status"] != "both"]
for rid, row in ends.iterrows():
    verb, side = ("Added", "b") if row["status"] == "added" else ("Withdrawn", "a")
    rank, category = row[f"rank_{side}"], row[f"category_{side}"]
    where = f" (rank {rank}, {plain(category)})" if pd.notna(rank) else " (not ranked)"
    st.markdown(f"- {verb}: **{plain(rid)}** {plain(row['title'])}{where}")
if ends.empty:
    st.markdown("No requirement was added or withdrawn.")

st.subheader("Scores that changed, with their reasons")
changes = diff.score_changes
if changes.empty:
    st.markdown("No member changed a score.")
else:
    keys = ["requirement_id", "member", "criterion"]
    member = state.member(current).id
    reasons = [
        cached.visible_scores(current, db, round_id, rev, member)[[*keys, "reason"]].rename(
            columns={"reason": f"reason_{side}"}
        )
        for side, round_id, rev in (("a", first, revision_a), ("b", second, revision_b))
    ]
    found = changes.merge(reasons[0], on=keys, how="left").merge(reasons[1], on=keys, how="left")
    st.dataframe(
        pd.DataFrame(
            {
                "Requirement": found["requirement_id"],
                "Title": found["requirement_id"].map(table["title"]),
                "Member": found["member"].map(lambda m: member_name.get(m, m)),
                "Criterion": found["criterion"].map(criterion_name),
                "Before": found["score_a"],
                "Now": found["score_b"],
                "Reason before": found["reason_a"].fillna(""),
                "Reason now": found["reason_b"].fillna(""),
            }
        ),
        hide_index=True,
        width="stretch",
        key="compare-scores",
    )
