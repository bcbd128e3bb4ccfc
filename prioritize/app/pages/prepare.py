"""Placeholder (filled in by issue 11)."""

import streamlit as st

st.title("Coming")
