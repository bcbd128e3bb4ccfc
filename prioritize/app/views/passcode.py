"""Your passcode: change it at any time; a one-time passcode someone else gave you must be
changed before anything else (the store refuses the rest until then)."""

from __future__ import annotations

import streamlit as st

from prioritize.app import state
from prioritize.store.passcodes import MIN_PASSCODE_LENGTH

current = state.require_session()
state.show_flashes()
pending = current.must_change_passcode
st.title("Choose your passcode" if pending else "My passcode")
if pending:
    st.warning(
        "You signed in with a one-time passcode that someone else chose. Choose your own "
        "now; nobody else will know it.",
        icon=":material/key:",
    )
with st.form("passcode-form", clear_on_submit=True):
    old = st.text_input("Current passcode", type="password", key="passcode-old")
    new = st.text_input(
        f"New passcode (at least {MIN_PASSCODE_LENGTH} characters)",
        type="password",
        key="passcode-new",
    )
    again = st.text_input("New passcode again", type="password", key="passcode-again")
    submitted = st.form_submit_button("Change my passcode", type="primary", key="passcode-submit")
if submitted:
    if new != again:
        st.error("The two new passcodes differ. Type them again.", icon=":material/warning:")
    elif state.done(lambda: current.change_passcode(old, new)):
        # the change signed out every browser of this member; this one stays signed in
        state.keep(current)
        state.flash("Your passcode is changed. Any other browser you used signs in again.")
        st.rerun()
