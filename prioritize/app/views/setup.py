"""Set up the council: on a new, empty database, the first visitor registers as its first
facilitator (choosing their own passcode), then registers everyone else."""

from __future__ import annotations

import streamlit as st

from prioritize.app import state
from prioritize.store.passcodes import MIN_PASSCODE_LENGTH

st.title("Set up the council")
st.info(
    "This council database is new and empty. Register yourself as its first facilitator; "
    "you then add the members, who each choose their own passcode at first sign-in.",
    icon=":material/group_add:",
)
with st.form("setup-form"):
    member_id = st.text_input("Your member id (letters, digits, '.', '_' or '-')", key="setup-id")
    name = st.text_input("Your name", key="setup-name")
    department = st.text_input("Your department", key="setup-department")
    passcode = st.text_input(
        f"Your passcode (at least {MIN_PASSCODE_LENGTH} characters)",
        type="password",
        key="setup-passcode",
    )
    again = st.text_input("The passcode again", type="password", key="setup-again")
    submitted = st.form_submit_button("Create the council", type="primary", key="setup-submit")
if submitted:
    if passcode != again:
        st.error("The two passcodes differ. Type them again.", icon=":material/warning:")
    elif (
        state.attempt(
            lambda: state.store().create_facilitator(member_id, name, department, passcode)
        )
        is not None
    ):
        state.sign_in(member_id, passcode)
        state.flash(f"Welcome, {name}: the council is set up and you facilitate it.")
        st.rerun()
