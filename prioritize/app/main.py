"""Entry script of the council page: ``streamlit run prioritize/app/main.py`` (what
``prioritize app`` and the root ``app.py`` run). Builds the navigation for the signed-in
member and runs the selected page."""

from __future__ import annotations

from typing import Literal

import streamlit as st

from prioritize.app import PAGES, company, state
from prioritize.app.text import plain
from prioritize.errors import PrioritizeError, ValidationError
from prioritize.store import Session

#: How often an open page asks the store whether its round changed state (one query).
POLL_EVERY = "5s"
#: Set by a full run, so the poll's first call in that run does not read the store again.
_FULL_RUN_KEY = "council_round_full_run"


#: The addresses of the signed-in pages (what a deep link may point to).
_ADDRESSES = (
    "prepare",
    "members",
    "score",
    "weights",
    "matrix",
    "debate",
    "sensitivity",
    "compare",
    "portfolio",
    "decide",
    "export",
    "scorecard",
    "passcode",
)


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
    demo = state.is_demo()
    if demo:
        st.sidebar.warning(
            "DEMO council: public passcodes and made-up data. Not for real decisions.",
            icon=":material/science:",
        )
    try:
        settings = company.config()
    except ValidationError as exc:  # the admin sees which key of secrets.toml is wrong
        st.error(
            f"Sign-in is not set up correctly in secrets.toml: {plain(exc)}",
            icon=":material/error:",
        )
        st.stop()
    current = state.restore()
    if current is None and company.provider_signed_in():
        # back from the company's provider: the store maps the claims to a member
        current = company.sign_in_from_provider(settings)
    state.write_cookie()
    notice: str | None = None
    position: Literal["sidebar", "hidden"] = "sidebar"
    pages: list[st.Page] | dict[str, list[st.Page]]
    if current is None and company.provider_signed_in() and company.refusal() is not None:
        # verified by the provider, but no group of theirs is the council's
        no_access = PAGES / "no_access.py"
        pages = [_page("no_access", "No access", ":material/block:", default=True)] + [
            st.Page(no_access, title="No access", url_path=name) for name in _ADDRESSES
        ]
        position = "hidden"
    elif current is None and store.council().empty and not company.provider_configured():
        # with a provider, the first member of the facilitators' group to sign in is the
        # first facilitator, so nobody sets one up with a passcode
        pages = [_page("setup", "Set up the council", ":material/group_add:", default=True)]
    elif current is None:
        # Every page's address leads to the sign-in form, so a deep link keeps its address
        # while the member signs in, and the run after lands on the page it pointed to
        # (a page is identified by its address).
        sign_in = PAGES / "sign_in.py"
        pages = [_page("sign_in", "Sign in", ":material/login:", default=True)] + [
            st.Page(sign_in, title="Sign in", url_path=name) for name in _ADDRESSES
        ]
        position = "hidden"
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
        notice = _sidebar(current, rounds=False)
    else:
        pages = {
            "Round": [
                _page("overview", "Round overview", ":material/dashboard:", default=True),
                _page("score", "Score", ":material/edit_note:"),
                _page("weights", "Weights", ":material/balance:"),
                _page("matrix", "Value matrix", ":material/scatter_plot:"),
                _page("debate", "Debate", ":material/forum:"),
            ],
            "Analysis": [
                _page("sensitivity", "Sensitivity", ":material/tune:"),
                _page("compare", "Compare rounds", ":material/compare_arrows:"),
            ],
            "Decisions": [
                _page("portfolio", "Portfolio", ":material/account_balance_wallet:"),
                _page("decide", "Decide", ":material/gavel:"),
                _page("export", "Export", ":material/download:"),
            ],
            # after the decisions: did what was approved work, what should come back
            "Outcomes": [_page("scorecard", "Scorecard", ":material/monitoring:")],
            "Me": [_page("passcode", "My passcode", ":material/key:")],
        }
        if company.uses_provider(current):
            del pages["Me"]  # they sign in with their company account, no passcode
        if state.load_member(current).role == "facilitator":
            pages = {
                "Set up": [
                    _page("prepare", "Prepare a round", ":material/playlist_add:"),
                    _page("members", "Council members", ":material/manage_accounts:"),
                ],
                **pages,
            }
        notice = _sidebar(current)
    st.sidebar.caption(f"Database: `{store.label}`")
    # every page in view: a collapsed menu (over twelve pages) hid Decide and Export
    page = st.navigation(pages, position=position, expanded=True)
    state.page_chosen(page.url_path)
    if current is not None and notice:
        st.info(notice, icon=":material/campaign:")
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


def _sidebar(current: Session, *, rounds: bool = True) -> str | None:
    """Who is signed in, the round picker (labels read this run, so a state changed by the
    last action shows at once) and sign-out. Returns the notice to show when the selected
    round changed state since the last run drew it."""
    member = state.member(current)
    notice = None
    with st.sidebar:
        st.markdown(f"**{plain(member.name)}**  \n{plain(member.department)} · {member.role}")
        visible = current.rounds() if rounds else None
        if visible is not None and not visible.empty:
            labels = {
                int(str(i)): f"#{i} {row['name']} ({row['state']})" for i, row in visible.iterrows()
            }
            states = {int(str(i)): str(row["state"]) for i, row in visible.iterrows()}
            ids = list(labels)
            chosen = st.session_state.get(state.ROUND_KEY)
            if chosen not in ids:
                chosen = ids[0]
            # The browser keeps showing the label it was last sent for the chosen round
            # until the value is set again: set it whenever a label changed.
            if (
                st.session_state.get(state.ROUND_KEY) != chosen
                or st.session_state.get(state.LABELS_KEY) != labels
            ):
                st.session_state[state.ROUND_KEY] = chosen
            st.session_state[state.LABELS_KEY] = labels
            st.selectbox("Round", ids, format_func=labels.__getitem__, key=state.ROUND_KEY)
            round_id = int(str(chosen))
            drawn = st.session_state.get(state.DRAWN_KEY)
            notice = state.change_notice(drawn, round_id, states[round_id])
            st.session_state[state.DRAWN_KEY] = (round_id, states[round_id])
            st.session_state[_FULL_RUN_KEY] = True
            _watch(current, round_id)
        if st.button("Sign out", key="sign-out", icon=":material/logout:"):
            company.sign_out()
    return notice


@st.fragment(run_every=POLL_EVERY)
def _watch(current: Session, round_id: int) -> None:
    """Poll the selected round's state (one query) and rerun the whole page when it moved
    since the page was drawn, e.g. when the facilitator revealed the scores elsewhere.
    The rerun draws the new state, so the next poll finds no change: no loop."""
    if st.session_state.pop(_FULL_RUN_KEY, False):
        return  # this full run has just read the rounds
    try:
        now = current.round(round_id).state
    except PrioritizeError:
        return  # the full run says what is wrong the next time the member acts
    if state.round_changed(st.session_state.get(state.DRAWN_KEY), round_id, now):
        st.rerun(scope="app")


run()
