"""Weights: each member proposes weights for the round's criteria (points, SWING, rank order
or AHP pairwise), blind until the reveal; after it the council sees every proposal side by
side, the spread, the agreement on the order of criteria, the aggregated council weights,
each department's weights and the ranking under them, and whether the disagreement on a
weight is wider than the interval that keeps the ranking. The facilitator adopts the
council's weights (or others, with a rationale): an entry of the decision log."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from prioritize.app import cached, state, weighing, words
from prioritize.app.text import plain
from prioritize.council.decisions import ADOPT_WEIGHTS
from prioritize.council.rounds import SCORING_STATES
from prioritize.council.weighing import aggregations_for
from prioritize.errors import PrioritizeError
from prioritize.store.proposals import MAX_REASON
from prioritize.weights import METHODS, elicit

AGGREGATION_LABELS = {
    "mean": "Mean of the members' weights",
    "median": "Median of the members' weights",
    "aij": "AIJ: geometric mean of the AHP judgements",
    "aip": "AIP: geometric mean of the AHP priorities",
}
PERCENT = st.column_config.NumberColumn(format="%.1f%%")

current = state.require_session()
st.title("Weights")
info = state.require_round(current)
state.show_flashes()
criteria = current.criteria(info.id)
names = {c.id: c.name for c in criteria}
st.caption(
    "A weight is what moving a criterion from the worst to the best level of its scale is "
    "worth to the company, next to the other criteria: not how important its name sounds. "
    "Each member proposes weights with a reason; nobody sees another's proposal until the "
    "facilitator reveals the round. The facilitator then adopts the council's weights."
)
with st.expander("What each weight is worth: every criterion's swing", expanded=False):
    st.dataframe(weighing.swing_table(criteria), hide_index=True, key="weights-swings")

me = current.member_id
role = state.load_member(current).role
in_round = me in current.members(info.id).ids
mine = current.weight_proposals(info.id)
saved: dict[str, object] | None = (
    {str(k): v for k, v in mine.table.loc[me].items()} if me in mine.table.index else None
)

if info.state in SCORING_STATES and role in ("member", "facilitator") and in_round:
    st.subheader("Your proposal")
    if saved is not None:
        weighing.prefill(
            criteria, str(saved["method"]), str(saved["answer"]), int(str(saved["version"]))
        )
        st.caption(
            f"Saved ({weighing.METHOD_LABELS[str(saved['method'])].split(':')[0]}, "
            f"{words.readable_time(str(saved['time']), words.browser_timezone())}). "
            "Change it and save again until the facilitator closes the round."
        )
    method = st.radio(
        "How do you want to give your weights?",
        METHODS,
        format_func=weighing.METHOD_LABELS.__getitem__,
        key="weights-method",
    )
    answer, missing = weighing.answer_form(criteria, str(method))
    preview = None
    if missing:
        st.caption(missing)
    else:
        try:
            preview = elicit(str(method), answer, list(criteria.ids))
        except PrioritizeError as exc:
            st.warning(plain(exc), icon=":material/warning:")
    if preview is not None:
        shown = pd.DataFrame(
            {
                "criterion": [names[c] for c in preview.weights.index],
                "weight": preview.weights.to_numpy() * 100,
            }
        )
        st.caption("The weights your answer gives (not saved until you save them):")
        st.dataframe(
            shown, hide_index=True, column_config={"weight": PERCENT}, key="weights-preview"
        )
        if preview.ahp is not None:
            ratio = float(preview.ahp.consistency_ratio)
            if preview.ahp.inconsistent:
                st.warning(weighing.consistency_words(ratio), icon=":material/warning:")
                worst = preview.ahp.worst_judgements.head(3)
                st.dataframe(
                    pd.DataFrame(
                        {
                            "you said": [
                                f"{names[m]} over {names[n]}: {j:g}"
                                for m, n, j in zip(
                                    worst["more"], worst["less"], worst["judgement"], strict=True
                                )
                            ],
                            "your other answers imply": [f"{v:.2g}" for v in worst["consistent"]],
                        }
                    ),
                    hide_index=True,
                    key="weights-worst",
                )
            else:
                st.caption(weighing.consistency_words(ratio))
    reason = st.text_area(
        "Why these weights?",
        key="weights-reason",
        max_chars=MAX_REASON,
        placeholder="The evidence or strategy behind them (the council reads it after the reveal).",
    )
    if st.button("Save my weights", type="primary", key="weights-save", disabled=preview is None):
        version = None if saved is None else int(str(saved["version"]))
        if state.done(
            lambda: current.propose_weights(info.id, str(method), answer, reason, version=version)
        ):
            state.flash("Your weights are saved. Nobody sees them before the reveal.")
            st.rerun()
elif info.state == "draft":
    st.info("Members propose weights once the facilitator opens the round for scoring.")

if not info.revealed:
    st.caption(
        "The council's weights, every proposal and the facilitator's adoption show here "
        "after the reveal."
    )
    st.stop()

st.subheader("The council's weights")
db, revision = cached.round_key(current, info.id)
proposals = cached.proposals(current, db, info.id, revision, me)
if len(proposals) == 0:
    st.info(
        "No member proposed weights in this round: the round's weights are the criteria "
        "set's, as the facilitator set them."
    )
    st.stop()
methods = aggregations_for(proposals)
aggregation = st.selectbox(
    "Council weights by",
    methods,
    format_func=AGGREGATION_LABELS.__getitem__,
    key="weights-aggregation",
)
debate = cached.weights_debate(current, db, info.id, revision, str(aggregation))
ev_titles = {
    str(r): str(t)
    for r, t in cached.evaluation(current, db, info.id, revision).table["title"].items()
}
people = {str(m): str(r["name"]) for m, r in current.members(info.id).table.iterrows()}
side = debate.side_by_side * 100
table = proposals.table
shown = pd.DataFrame(
    {
        "who": [people.get(m, m) for m in proposals.members] + ["Council", "Current"],
        "department": [str(d) for d in table["department"]] + ["", ""],
        "method": [str(m) for m in table["method"]] + [str(aggregation), "in force"],
        "CR": [*table["consistency_ratio"].astype(float), float("nan"), float("nan")],
        "reason": [str(r) for r in table["reason"]] + ["", ""],
    }
)
for cid in criteria.ids:
    shown[names[cid]] = side[cid].to_numpy()
st.dataframe(
    shown,
    hide_index=True,
    key="weights-side-by-side",
    column_config={
        **{names[c]: PERCENT for c in criteria.ids},
        "CR": st.column_config.NumberColumn(format="%.3f", help="AHP consistency ratio"),
    },
)
a, b = st.columns(2)
a.metric("Proposals", len(proposals))
if debate.agreement is not None:
    b.metric("Agreement on the order of criteria (Kendall's W)", f"{debate.agreement:.2f}")
    b.caption("1: every member puts the criteria in the same order; 0: no shared order.")

stability = debate.stability
spread = pd.DataFrame(
    {
        "criterion": [names[c] for c in stability.index],
        "lowest": stability["proposed_min"].to_numpy() * 100,
        "highest": stability["proposed_max"].to_numpy() * 100,
        "council": debate.council.weights.reindex(stability.index).to_numpy() * 100,
        "ranking holds from": stability["lower"].to_numpy() * 100,
        "ranking holds to": stability["upper"].to_numpy() * 100,
        "disagreement wider than that": stability["wider"].to_numpy(dtype=bool),
    }
)
st.markdown("**Where the council disagrees, and whether it matters**")
st.dataframe(
    spread,
    hide_index=True,
    key="weights-spread",
    column_config=dict.fromkeys(
        ("lowest", "highest", "council", "ranking holds from", "ranking holds to"), PERCENT
    ),
)
st.caption(
    "Per criterion: the range of the members' weights, and the exact range within which "
    "that weight can move (the others in proportion) while the whole ranking stays as it "
    "is. Where the members' range is wider, their disagreement on that weight can change "
    "the ranking: worth debating."
)

st.markdown("**What the ranking would be under each department's weights**")
ranks = debate.department_ranks.head(15).rename(columns={"council": "council's weights"})
ranks.insert(0, "requirement", [f"{r} {ev_titles.get(str(r), '')}" for r in ranks.index])
st.dataframe(ranks, hide_index=True, key="weights-departments")
st.caption(
    "Ranks of the round's top 15 requirements under the council's weights and under each "
    "department's (the mean of its members' proposals), the scores as they are."
)

log = current.decisions(info.id)
adoptions = log[log["outcome"] == ADOPT_WEIGHTS]
if info.state == "debate" and state.is_facilitator(current):
    st.subheader("Adopt")
    dissent = st.text_input(
        "Dissent (who disagreed, and why)", key="weights-dissent", max_chars=2000
    )
    if st.button(
        f"Adopt the council's weights ({aggregation})", type="primary", key="weights-adopt"
    ):
        weights = {str(k): float(v) for k, v in debate.council.weights.items()}
        if state.done(lambda: current.adopt_weights(info.id, weights, dissent=dissent)):
            state.flash(f"The council's weights ({aggregation}) are adopted and logged.")
            st.rerun()
    with st.expander("Adopt other weights (a rationale is required)"):
        cols = st.columns(min(3, len(names)))
        other = {
            cid: cols[i % len(cols)].number_input(
                plain(names[cid]),
                0.0,
                100.0,
                value=float(round(debate.council.weights[cid] * 100, 1)),
                step=0.5,
                key=f"weights-other-{cid}",
            )
            for i, cid in enumerate(criteria.ids)
        }
        rationale = st.text_area(
            "Rationale", key="weights-rationale", max_chars=4000, placeholder="Why other weights?"
        )
        if st.button("Adopt these weights", key="weights-adopt-other") and state.done(
            lambda: current.adopt_weights(info.id, other, rationale, dissent=dissent)
        ):
            state.flash("The weights are adopted and logged.")
            st.rerun()
if not adoptions.empty:
    st.markdown("**Adopted**")
    zone = words.browser_timezone()
    st.dataframe(
        pd.DataFrame(
            {
                "aggregation": adoptions["category"],
                "proposals": adoptions["rank"],
                "override": adoptions["override"].astype(bool),
                "rationale": adoptions["rationale"],
                "dissent": adoptions["dissent"],
                "adopted by": words.names(people, adoptions["decided_by"]),
                "adopted at": words.readable_times(adoptions["decided_at"], zone),
            }
        ),
        hide_index=True,
        key="weights-adoptions",
    )
