"""Sign in: with the company account (when the secrets file configures a provider), or
pick yourself and enter your passcode (unless passcode sign-in is switched off)."""

from __future__ import annotations

import streamlit as st

from prioritize.app import company, state
from prioritize.app.text import plain
from prioritize.errors import PermissionDenied

st.title("Sign in to the council")
st.caption("Decisions on evidence and agreed criteria, not on who shouts loudest.")
settings = company.config()
if company.provider_configured():
    if st.button(
        f"Sign in with {plain(settings.provider_label)}",
        type="primary",
        key="sign-in-provider",
        icon=":material/badge:",
    ):
        company.start_sign_in(settings)
    if not settings.passcodes:
        st.stop()
    st.caption("Or, for members who have a council passcode:")
council = state.store().council(active_only=True)
# members who sign in with their company account have no passcode to enter
council = council[~council.index.isin(company.provider_member_ids())]
if council.empty:
    if not company.provider_configured():
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
    submitted = st.form_submit_button(
        "Sign in",
        type="secondary" if company.provider_configured() else "primary",
        key="sign-in-submit",
    )
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
if state.is_demo():
    st.info(state.demo_hint(), icon=":material/info:")
