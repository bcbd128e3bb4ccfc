"""Entry script of the council page: ``streamlit run prioritize/app/main.py`` (what
``prioritize app`` and the root ``app.py`` run). Builds the navigation for the signed-in
member and runs the selected page."""

from __future__ import annotations

import streamlit as st

from prioritize.app import PAGES, state
from prioritize.app.text import plain
from prioritize.errors import PrioritizeError
from prioritize.store import Session


def _page(
    name: str, title: str, icon: str, *, default: bool = False, url: str | None = None
) -> st.Page:
    return st.Page(
        PAGES / f"{name}.py", title=title, icon=icon, url_path=url or name, default=default
    )


def run() -> None:
    """Build the navigation and run the selected page."""
    st.set_page_config(page_title="prioritize · council", page_icon="⚖️", layout="wide")
    try:
        store = state.store()
    except Exception as exc:  # the page must say what to do, not show a traceback
        st.error(
            f"The council database cannot be opened: {exc}. Check the --db path (or "
            "PRIORITIZE_DB) and that the folder is writable.",
            icon=":material/error:",
        )
        st.stop()
    demo = state.is_demo(str(store.path))
    if demo:
        st.sidebar.warning(
            "DEMO council: public passcodes and made-up data. Not for real decisions.",
            icon=":material/science:",
        )
    current = state.session()
    pages: list[st.Page] | dict[str, list[st.Page]]
    if current is None and store.council().empty:
        pages = [_page("setup", "Set up the council", ":material/group_add:", default=True)]
    elif current is None:
        pages = [_page("sign_in", "Sign in", ":material/login:", default=True)]
    elif current.must_change_passcode:
        # a one-time passcode opens only its own change (the store refuses the rest)
        # its own address, so once the passcode is changed the member lands on the overview
        pages = [
            _page(
                "passcode",
                "Choose your passcode",
                ":material/key:",
                default=True,
                url="choose-passcode",
            )
        ]
        _sidebar(current, rounds=False)
    else:
        pages = {
            "Round": [
                _page("overview", "Round overview", ":material/dashboard:", default=True),
                _page("score", "Score", ":material/edit_note:"),
                _page("matrix", "Value matrix", ":material/scatter_plot:"),
                _page("debate", "Debate", ":material/forum:"),
            ],
            "Analysis": [
                _page("sensitivity", "Sensitivity", ":material/tune:"),
                _page("compare", "Compare rounds", ":material/compare_arrows:"),
            ],
            "Decisions": [
                _page("decide", "Decide", ":material/gavel:"),
                _page("export", "Export", ":material/download:"),
            ],
            "Me": [_page("passcode", "My passcode", ":material/key:")],
        }
        _sidebar(current)
    st.sidebar.caption(f"Database: `{store.path}`")
    page = st.navigation(pages)
    try:
        page.run()
    except PrioritizeError as exc:  # our errors say what is wrong and what was expected
        state.show_error(exc)
    except Exception as exc:  # st.stop()/st.rerun() are BaseExceptions and pass through
        # the council sees what happened and what to do, never a traceback
        st.error(
            f"This page hit an unexpected problem ({type(exc).__name__}: {exc}). "
            "Reload the page; if it happens again, tell the facilitator which page and "
            "what you did.",
            icon=":material/error:",
        )


def _sidebar(current: Session, *, rounds: bool = True) -> None:
    member = state.load_member(current)
    with st.sidebar:
        st.markdown(f"**{plain(member.name)}**  \n{plain(member.department)} · {member.role}")
        visible = current.rounds() if rounds else None
        if visible is not None and not visible.empty:
            labels = {
                int(str(i)): f"#{i} {row['name']} ({row['state']})" for i, row in visible.iterrows()
            }
            chosen = st.session_state.get(state.ROUND_KEY)
            ids = list(labels)
            st.selectbox(
                "Round",
                ids,
                format_func=labels.__getitem__,
                index=ids.index(chosen) if chosen in ids else 0,
                key=state.ROUND_KEY,
            )
        if st.button("Sign out", key="sign-out", icon=":material/logout:"):
            state.sign_out()
            st.rerun()


run()
