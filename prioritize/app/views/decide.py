"""Decide (facilitator): record an outcome and a rationale per requirement, with an
override warning, and the hash-chained log with its verification status."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from prioritize.app import cached, state, words
from prioritize.app.effects import expected_effects
from prioritize.app.text import plain
from prioritize.council.decisions import ADOPT_WEIGHTS, OUTCOMES, is_override, latest_decisions
from prioritize.model.categories import USUAL_RESPONSE

current = state.require_session()
st.title("Decide")
info = state.require_round(current)
state.show_flashes()
facilitator = state.is_facilitator(current)

if info.state == "debate" and facilitator:
    db, revision = cached.round_key(current, info.id)
    ev = cached.evaluation(current, db, info.id, revision)
    table = ev.table
    decided = current.decisions(info.id)
    latest: dict[str, str] = (
        {}
        if decided.empty
        else {str(k): str(v) for k, v in latest_decisions(decided)["outcome"].items()}
    )
    labels = {r: f"{'✔ ' if r in latest else ''}{r} — {table.loc[r, 'title']}" for r in table.index}
    chosen = st.selectbox(
        "Requirement", list(table.index), format_func=labels.__getitem__, key="decide-requirement"
    )
    row = table.loc[chosen]
    category = str(row["category"])
    st.markdown(
        f"**{plain(chosen)} {plain(row['title'])}**  \n"
        f"Model: **{category}** (rank {row['rank']}, score {row['score']:.3f}"
        f"{', mandatory' if row['mandatory'] else ''}) — usual response: "
        f"**{USUAL_RESPONSE[category]}**"
    )
    if chosen in latest:
        st.caption(
            f"Already decided: {latest[chosen]}. A new entry supersedes it in the "
            "portfolio; the log keeps both."
        )
    # every requirement, and every recording, gets a fresh form: a rationale typed for one
    # requirement can never be recorded for another
    nonce = st.session_state.get("decide-nonce", 0)
    form = (info.id, chosen, nonce)
    outcome = st.radio("Outcome", OUTCOMES, horizontal=True, key=state.key("decide-outcome", *form))
    optimal = cached.optimal_portfolio(current, db, info.id, revision)
    outside = optimal is not None and optimal.feasible and chosen not in optimal.selected
    if optimal is not None and optimal.feasible:
        why = str(optimal.table.at[chosen, "reason"]) if chosen in optimal.table.index else ""
        st.caption(
            ("In" if not outside else "Not in")
            + " the optimal portfolio under the round's budget: "
            + plain(why)
        )
    override = is_override(
        str(outcome), category, mandatory=bool(row["mandatory"]), outside_portfolio=outside
    )
    if override:
        departs = (
            "This approves a requirement outside the optimal portfolio: the money it takes "
            "is missing elsewhere."
            if outside
            and outcome == "approve"
            and not is_override(str(outcome), category, mandatory=bool(row["mandatory"]))
            else f"This departs from the model's recommendation ({category}: "
            f"{USUAL_RESPONSE[category]})."
        )
        st.warning(
            f"{departs} A rationale is required and the entry is marked as an override.",
            icon=":material/warning:",
        )
    rationale = st.text_area(
        "Rationale",
        key=state.key("decide-rationale", *form),
        max_chars=4000,
        placeholder="Why? Quote the evidence and the criteria.",
    )
    dissent = st.text_input(
        "Dissent (who disagreed, and why)", key=state.key("decide-dissent", *form), max_chars=2000
    )
    effects = expected_effects(current, form) if outcome == "approve" else []
    if st.button("Record the decision", type="primary", key="decide-record"):
        entry = state.attempt(
            lambda: current.record_decision(
                info.id, chosen, str(outcome), rationale=rationale, dissent=dissent, effects=effects
            )
        )
        if entry is not None:
            st.session_state["decide-nonce"] = nonce + 1
            state.flash(f"Recorded: {chosen} → {outcome}.")
            st.rerun()
elif facilitator:
    st.info(
        {
            "draft": "Decisions are recorded during the debate (after the reveal).",
            "scoring": "Decisions are recorded during the debate (after the reveal).",
            "decided": "The round is decided and locked.",
        }.get(info.state, "")
    )
else:
    st.info("Only the facilitator records decisions; the log below is for everyone.")

st.subheader("Decision log")
check = state.store().verify_log()
everything = current.decisions()
last = str(everything["decided_at"].max()) if not everything.empty else None
zone = words.browser_timezone()
if check.ok:
    # our own words and numbers only: nothing typed by a member
    st.success(words.log_status(check, last, zone), icon=":material/link:")
else:
    st.error(plain(words.log_status(check, last, zone)), icon=":material/error:")
# the head hash is for auditors: noted down, it shows later whether entries were cut off
st.caption(f"For auditors: {plain(check)}")
log = current.decisions(info.id)
if log.empty:
    st.caption("No decisions yet.")
else:
    people = {str(m): str(r["name"]) for m, r in current.members(info.id).table.iterrows()}
    # an adoption of weights decides no requirement: say what it is, in the same log
    adoption = log["outcome"] == ADOPT_WEIGHTS
    shown = pd.DataFrame(
        {
            "requirement": log["requirement_id"].where(~adoption, "(the round's weights)"),
            "outcome": log["outcome"],
            "model category": log["category"].where(
                ~adoption, "council weights: " + log["category"].astype(str)
            ),
            "rank": log["rank"],
            "override": log["override"].astype(bool),
            "rationale": log["rationale"],
            "dissent": log["dissent"],
            "decided by": words.names(people, log["decided_by"]),
            "decided at": words.readable_times(log["decided_at"], zone),
        }
    )
    st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        key="decide-log",
        column_config={"override": st.column_config.CheckboxColumn()},
    )
    with st.expander("For auditors: the hash chain"):
        st.caption(
            "Each entry's hash covers the entry and the previous entry's hash; the basis is "
            "a fingerprint (SHA-256) of the scores and weights the decision was taken on."
        )
        st.dataframe(
            log[["seq", "requirement_id", "basis_sha256", "previous_hash", "entry_hash"]].rename(
                columns={
                    "requirement_id": "requirement",
                    "basis_sha256": "basis (SHA-256)",
                    "previous_hash": "previous hash",
                    "entry_hash": "entry hash",
                }
            ),
            hide_index=True,
            width="stretch",
            key="decide-log-hashes",
        )
