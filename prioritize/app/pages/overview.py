"""Round overview: the round, its state, who has scored how much, what is flagged."""

from __future__ import annotations

import streamlit as st

from prioritize.app import PAGES, cached, state
from prioritize.app.text import plain
from prioritize.council.rounds import STATE_MEANING, STATES
from prioritize.model.categories import USUAL_RESPONSE

current = state.require_session()
info = state.require_round(current)
state.show_flashes()

st.title(f"Round #{info.id}: {plain(info.name)}")
st.markdown(" → ".join(f"**{s.upper()}**" if s == info.state else s for s in STATES))
st.info(STATE_MEANING.get(info.state, info.state))
left, middle, right = st.columns(3)
left.metric("Requirements", info.requirements)
middle.metric("Members", info.members)
right.metric("Criteria set", plain(info.criteria_name), help=f"SHA-256 {info.criteria_sha256}")

if state.is_facilitator(current):
    transitions = {
        "draft": ("Open scoring", current.start_scoring),
        "scoring": ("Reveal scores", current.reveal),
        "debate": ("Close the round (lock it)", current.close),
    }
    if info.state in transitions:
        label, action = transitions[info.state]
        if (
            st.button(label, key="advance-round", type="primary")
            and state.attempt(lambda: action(info.id), success=f"{label}: done") is not None
        ):
            st.rerun()


@st.fragment(run_every="10s")
def progress() -> None:
    """Polled, so members see each other's progress without reloading."""
    st.subheader("Progress")
    frame = current.progress(info.id)
    scorers = frame[frame["expected"] > 0]
    done = int(scorers["complete"].sum())
    st.caption(f"{done} of {len(scorers)} members have scored everything.")
    table = scorers.assign(share=scorers["scored"] / scorers["expected"].clip(lower=1))
    st.dataframe(
        table[["name", "department", "scored", "expected", "share", "last_scored_at"]],
        column_config={
            "share": st.column_config.ProgressColumn(
                "progress", min_value=0.0, max_value=1.0, format="percent"
            ),
            "last_scored_at": "last score",
        },
        width="stretch",
        key="progress-table",
    )


progress()

if info.revealed:
    db, revision = cached.round_key(current, info.id)
    st.subheader("Results")
    ev = cached.evaluation(current, db, info.id, revision)
    counts = ev.table["category"].value_counts()
    st.dataframe(
        counts.rename("requirements")
        .to_frame()
        .assign(response=[USUAL_RESPONSE[str(c)] for c in counts.index]),
        width="stretch",
    )
    with st.spinner("Looking for what to debate…"):
        flags = cached.debate_flags(current, db, info.id, revision)
    st.subheader("Flagged for debate")
    if flags.empty:
        st.success("Nothing is flagged: the council agrees and the placements are robust.")
    else:
        st.dataframe(flags, width="stretch", key="overview-flags")
        st.page_link(str(PAGES / "debate.py"), label="Go to the debate", icon=":material/forum:")

if state.is_facilitator(current):
    attempts = current.sign_in_attempts()
    with st.expander(f"Sign-in attempts ({len(attempts)} member(s) with wrong passcodes)"):
        if attempts.empty:
            st.caption("No wrong passcodes since each member's last sign-in.")
        else:
            st.caption(
                "Wrong passcodes in a row, per member. After 5, each locks the member out "
                "for longer (30 s, 1, 2, 4 min … up to an hour); a right passcode clears it."
            )
            st.dataframe(attempts, width="stretch", key="overview-attempts")
