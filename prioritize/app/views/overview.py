"""Round overview: the round, its state, who has scored how much, what is flagged, and the
facilitator's next step (open scoring, reveal, close), each confirmed in a dialog."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from prioritize.app import PAGES, cached, state, words
from prioritize.app.changed import since_last_round
from prioritize.app.text import plain
from prioritize.council.rounds import STATE_MEANING, STATES
from prioritize.model.categories import USUAL_RESPONSE
from prioritize.store import Session
from prioritize.store.records import RoundInfo

current = state.require_session()
if state.current_round(current) is None:
    st.title("Round overview")
info = state.require_round(current)
state.show_flashes()

st.title(f"Round #{info.id}: {plain(info.name)}")
st.markdown(" → ".join(f"**{s.upper()}**" if s == info.state else s for s in STATES))
st.info(STATE_MEANING.get(info.state, info.state))
left, middle, right = st.columns(3)
left.metric("Requirements", info.requirements)
middle.metric("Members", info.members)
right.metric("Criteria set", plain(info.criteria_name), help=f"SHA-256 {info.criteria_sha256}")

#: Session key of the step whose confirmation dialog is open: (round id, state it leaves).
_CONFIRMING = "advance-confirming"
#: Per state: the button, what the step does in plain words, whether unfinished members
#: matter (they do once scores are shown or locked), and the session action.
_STEPS: dict[str, tuple[str, str, bool, Callable[[Session, int], RoundInfo]]] = {
    "draft": (
        "Open scoring",
        "Members can start scoring, blind: each sees only their own scores until the "
        "facilitator reveals them.",
        False,
        Session.start_scoring,
    ),
    "scoring": (
        "Reveal scores",
        "Members will see every score with its reason; nobody can score blind again.",
        True,
        Session.reveal,
    ),
    "debate": (
        "Close the round (lock it)",
        "The round is locked: no more scores or decisions.",
        True,
        Session.close,
    ),
}


def not_finished(progress: pd.DataFrame) -> str:
    """Who has not scored everything they should, by name, in plain text."""
    scorers = progress[progress["expected"] > 0]
    late = scorers[~scorers["complete"].astype(bool)]
    if late.empty:
        return "Everyone has scored everything."
    return "Not finished: " + ", ".join(
        f"{plain(row.name)} ({plain(row.department)}) {row.scored} of {row.expected} answered"
        for row in late[["name", "department", "scored", "expected"]].itertuples(index=False)
    )


def _start_confirming() -> None:
    st.session_state[_CONFIRMING] = (info.id, info.state)


def _stop_confirming() -> None:
    st.session_state.pop(_CONFIRMING, None)


def _confirm_advance(label: str) -> None:
    _, consequence, show_unfinished, action = _STEPS[info.state]
    st.markdown(consequence)
    if show_unfinished:
        st.markdown(not_finished(current.progress(info.id)))
    confirm, cancel = st.columns(2)
    if (
        confirm.button("Confirm", key="confirm-advance", type="primary")
        and state.attempt(lambda: action(current, info.id), success=f"{label}: done") is not None
    ):
        _stop_confirming()
        st.rerun()
    if cancel.button("Cancel", key="cancel-advance"):
        _stop_confirming()
        st.rerun()


if state.is_facilitator(current) and info.state in _STEPS:
    label = _STEPS[info.state][0]
    st.button(
        label,
        key="advance-round",
        type="primary",
        on_click=_start_confirming,
    )
    # The dialog stays open across reruns (a refusal is shown in it) until it is confirmed,
    # cancelled or dismissed; keyed on the round and its state, so it never confirms a
    # different step than the one it described.
    if st.session_state.get(_CONFIRMING) == (info.id, info.state):
        st.dialog(f"{label}?", on_dismiss=_stop_confirming)(_confirm_advance)(label)


@st.fragment(run_every="10s")
def progress() -> None:
    """Polled, so members see each other's progress without reloading."""
    st.subheader("Progress")
    frame = current.progress(info.id)
    scorers = frame[frame["expected"] > 0]
    done = int(scorers["complete"].sum())
    st.caption(f"{done} of {len(scorers)} members have scored everything.")
    shown = pd.DataFrame(
        {
            "name": scorers["name"],
            "department": scorers["department"],
            "answered": scorers["scored"],
            "cannot judge": scorers["abstained"],
            "to answer": scorers["expected"],
            "progress": scorers["scored"] / scorers["expected"].clip(lower=1),
            "last score": words.readable_times(scorers["last_scored_at"], words.browser_timezone()),
        }
    )
    st.dataframe(
        shown,
        column_config={
            "progress": st.column_config.ProgressColumn(
                "progress", min_value=0.0, max_value=1.0, format="percent"
            ),
        },
        hide_index=True,
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
        pd.DataFrame(
            {
                "category": [str(c) for c in counts.index],
                "requirements": counts.to_numpy(),
                "usual response": [USUAL_RESPONSE[str(c)] for c in counts.index],
            }
        ),
        hide_index=True,
        width="stretch",
    )
    with st.spinner("Looking for what to debate…"):
        flags = cached.debate_flags(current, db, info.id, revision)
    st.subheader("Flagged for debate")
    if flags.empty:
        st.success("Nothing is flagged: the council agrees and the placements are robust.")
    else:
        st.dataframe(
            pd.DataFrame(
                {
                    "requirement_id": flags["requirement_id"],
                    "title": flags["title"],
                    "flag": flags["flag"],
                    "what to discuss": [words.reason_words(str(r)) for r in flags["reason"]],
                }
            ),
            # the frame keeps the flag table's own names (the CLI's); the council reads these
            column_config={"requirement_id": "requirement", "flag": "kind"},
            hide_index=True,
            width="stretch",
            key="overview-flags",
        )
        st.page_link(str(PAGES / "debate.py"), label="Go to the debate", icon=":material/forum:")

if state.is_facilitator(current):
    since_last_round(current, info)

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
            zone = words.browser_timezone()
            st.dataframe(
                pd.DataFrame(
                    {
                        "member": [str(m) for m in attempts.index],
                        "wrong passcodes in a row": attempts["failures"].to_numpy(),
                        "last wrong passcode": words.readable_times(attempts["last_failure"], zone),
                        "locked until": words.readable_times(attempts["locked_until"], zone),
                    }
                ),
                hide_index=True,
                width="stretch",
                key="overview-attempts",
            )
