"""No access: the company's provider verified who someone is, but none of their groups is
mapped to a council role (or their member was deactivated). They see why, the groups the
provider sent, and a way to sign out (to try another account)."""

from __future__ import annotations

import streamlit as st

from prioritize.app import company
from prioritize.app.text import plain

st.title("No access to the council")
found = company.refusal()
reason, groups = found if found is not None else ("you were not signed in", ())
st.error(f"You signed in with your company account, but {plain(reason)}.", icon=":material/block:")
if groups:
    st.markdown("The sign-in provider says you are in these groups:")
    st.code("\n".join(groups), language=None)
else:
    st.caption("The sign-in provider sent no groups for you.")
st.caption(
    "The council gives access to the groups its configuration maps to a role "
    "(facilitator, member or observer)."
)
if st.button("Sign out", key="no-access-sign-out", icon=":material/logout:"):
    company.sign_out()
