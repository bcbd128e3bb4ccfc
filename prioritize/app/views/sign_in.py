"""Sign in: pick yourself, enter your passcode."""

from __future__ import annotations

import streamlit as st

from prioritize.app import state
from prioritize.app.text import plain
from prioritize.errors import PermissionDenied

st.title("Sign in to the council")
st.caption("Decisions on evidence and agreed criteria, not on who shouts loudest.")
council = state.store().council(active_only=True)
if council.empty:
    st.info("The council has no members yet.")
    st.stop()
labels = {
    str(mid): f"{row['name']} — {row['department']} ({row['role']})"
    for mid, row in council.iterrows()
}
with st.form("sign-in-form"):
    member = st.selectbox(
        "Who are you?", list(labels), format_func=labels.__getitem__, key="sign-in-member"
    )
    passcode = st.text_input("Passcode", type="password", key="sign-in-passcode")
    submitted = st.form_submit_button("Sign in", type="primary", key="sign-in-submit")
if submitted:
    try:
        state.sign_in(str(member), passcode)
    except PermissionDenied as exc:
        locked = "try again in" in str(exc)
        st.error(
            plain(exc)
            if locked
            else "Unknown member or wrong passcode. Try again, or ask the facilitator.",
            icon=":material/lock:",
        )
    else:
        st.rerun()
if state.is_demo(str(state.store().path)):
    st.info(state.demo_hint(), icon=":material/info:")
