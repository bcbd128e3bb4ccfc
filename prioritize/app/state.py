"""Per-browser-session state: the database, who is signed in, the selected round, and how
errors are shown. Streamlit reruns a page on a new thread each time, so nothing here holds
a database connection: a Store is only a path, a Session opens a connection per call."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from datetime import timedelta
from typing import Any, Literal, TypeVar

import streamlit as st

from prioritize.app import DEMO_ENV, IDLE_ENV, PAGES
from prioritize.app.text import plain
from prioritize.errors import PermissionDenied, PrioritizeError, ValidationError
from prioritize.model.council import Member
from prioritize.store import ConflictError, RoundInfo, Session, Store, default_location
from prioritize.store.example import DEMO_SUFFIX, import_example
from prioritize.store.websessions import DEFAULT_IDLE

T = TypeVar("T")

SESSION_KEY = "council_session"
#: The browser's sign-in token (see :func:`restore`), kept with the session.
TOKEN_KEY = "council_token"
#: What the next run writes to the browser's cookie: ``("set", token)`` or ``("clear", "")``.
COOKIE_KEY = "council_cookie"
#: The cookie that keeps a browser signed in across reloads, tabs and deep links.
COOKIE = "prioritize_session"
ROUND_KEY = "council_round"
MEMBER_KEY = "council_member"
#: The round and state the last full run drew, ``(round id, state)``: what the sidebar's
#: poll compares the store with.
DRAWN_KEY = "council_round_drawn"
#: The round labels the sidebar's picker last showed (the browser keeps the chosen label
#: until the picker's value is set again).
LABELS_KEY = "council_round_labels"

#: What a member is told when the round moved on while their page was open.
_CHANGE_NOTICES: dict[str, str] = {
    "draft": "The round went back to preparation; the page now shows it as it is.",
    "scoring": "The facilitator opened scoring: you can score this round now.",
    "debate": "The facilitator revealed the scores — the page now shows everyone's scores.",
    "decided": "The facilitator closed the round: it is decided and locked.",
}


def database_location() -> str:
    """The database: ``$PRIORITIZE_DB`` (set by ``prioritize app --db``: a SQLite file or a
    PostgreSQL URL), else ``./prioritize.db``."""
    return default_location()


def demo_requested() -> bool:
    """Whether the user asked for the demo council (see :data:`DEMO_ENV`)."""
    return os.environ.get(DEMO_ENV, "") == "1"


@st.cache_resource(show_spinner="Preparing the council database…")
def _prepared(location: str, demo: bool) -> str:
    """Create the database on first use: the demo council when it was asked for, else an
    empty council whose first facilitator is set up on the first visit."""
    store = Store(location)
    store.init()
    if demo and store.council().empty:
        try:
            import_example(store)
        except ValidationError:
            # another browser session imported it a moment ago; that is the same result
            if store.council().empty:
                raise
    return location


def store() -> Store:
    """The council database (created when it does not exist, see :func:`_prepared`)."""
    return Store(_prepared(database_location(), demo_requested()))


def is_demo() -> bool:
    """Whether the database is the demo council (it says so itself; cached a minute)."""
    return _is_demo(database_location())


@st.cache_data(show_spinner=False, ttl=60)
def _is_demo(location: str) -> bool:
    return Store(location).is_demo


def idle_limit() -> timedelta:
    """How long a signed-in browser may stay unused (``$PRIORITIZE_IDLE_MINUTES``, set by
    ``prioritize app --idle-minutes``; default a working day)."""
    text = os.environ.get(IDLE_ENV, "")
    return timedelta(minutes=int(text)) if text.isdigit() and int(text) > 0 else DEFAULT_IDLE


def session() -> Session | None:
    """The signed-in member's session, or None."""
    value = st.session_state.get(SESSION_KEY)
    return value if isinstance(value, Session) else None


def restore() -> Session | None:
    """The signed-in session of this browser tab, checked once per run.

    A tab that signed in holds its session and its token; the token is checked with the
    store on every run, so signing out in another tab of the browser, a passcode change
    or reset, a deactivation or the idle limit ends it at its next run. A new tab,
    a reload or a deep link has no session yet: it resumes from the browser's cookie
    (Streamlit reads the cookies the browser sent when the page connected)."""
    current = session()
    token = st.session_state.get(TOKEN_KEY)
    if current is not None and not isinstance(token, str):
        return current  # signed in without a browser token (tests, scripts)
    if not isinstance(token, str):
        token = st.context.cookies.get(COOKIE)
    if not isinstance(token, str) or not token:
        return None
    resumed = store().resume(token, idle=idle_limit())
    if resumed is None:
        if current is not None:
            _forget_tab()
            st.session_state[COOKIE_KEY] = ("clear", "")
            flash(
                "You were signed out (passcode changed, deactivated or idle): sign in again.",
                "info",
            )
        return None
    if current is None or current.member_id != resumed.member_id:
        st.session_state[SESSION_KEY] = resumed
        st.session_state[TOKEN_KEY] = token
        current = resumed
    return current


def require_session() -> Session:
    """The signed-in session; stops the page with a message when nobody is signed in."""
    current = session()
    if current is None:
        st.warning("Please sign in first (Sign in, in the menu).")
        st.stop()
    return current


def sign_in(member_id: str, passcode: str) -> Session:
    """Authenticate, and keep this browser signed in (a new token in its cookie)."""
    current = store().session(member_id, passcode)
    keep(current)
    st.session_state.pop(ROUND_KEY, None)
    return current


def keep(current: Session) -> None:
    """Hold ``current`` for this tab and keep the browser signed in with a new token
    (also after a passcode change, which ends the browser's old token)."""
    token = current.remember()
    st.session_state[SESSION_KEY] = current
    st.session_state[TOKEN_KEY] = token
    st.session_state[COOKIE_KEY] = ("set", token)


def _forget_tab() -> None:
    for key in list(st.session_state.keys()):
        del st.session_state[key]


def sign_out() -> None:
    """End the browser's session in the store (its token stops working everywhere), forget
    everything this tab held, and clear the cookie on the next run."""
    token = st.session_state.get(TOKEN_KEY) or st.context.cookies.get(COOKIE)
    if isinstance(token, str) and token:
        store().forget(token)
    _forget_tab()
    st.session_state[COOKIE_KEY] = ("clear", "")


#: Fold the sidebar away on a narrow screen (a phone), where it lies over the page:
#: Streamlit leaves it open after a page is chosen from it. Our own fixed script.
_FOLD_ON_PHONES = (
    "<script>(function(){"
    "if(window.innerWidth>=640){return;}"
    'var b=document.querySelector(\'[data-testid="stSidebar"][data-collapsed="false"] '
    '[data-testid="stSidebarCollapseButton"] button\');'
    "if(b){b.click();}"
    "})();</script>"
)
#: The address of the page the last run drew (a new one folds the sidebar on phones).
_PAGE_KEY = "council_page"


def page_chosen(url_path: str) -> None:
    """Call with the page this run draws: when it is another page than the last run's,
    the sidebar folds away on a phone, so the chosen page is what the member sees."""
    if st.session_state.get(_PAGE_KEY) == url_path:
        return
    first = _PAGE_KEY not in st.session_state
    st.session_state[_PAGE_KEY] = url_path
    if not first:  # a page just opened starts with the sidebar folded on a phone anyway
        st.html(_FOLD_ON_PHONES, unsafe_allow_javascript=True)


def write_cookie() -> None:
    """Write (or clear) the sign-in cookie in the browser when an action asked for it.

    Streamlit reads cookies but has no call to write one, so a few lines of our own script
    do it (``st.html`` runs it in the page, not in an iframe). The script holds only the
    token the store generated (URL-safe characters, quoted as JSON), never user text. The
    cookie is ``SameSite=Strict``, ``Secure`` on HTTPS, and expires with the idle limit;
    the store's check is what counts (a copied cookie dies with sign-out or the limit)."""
    action = st.session_state.pop(COOKIE_KEY, None)
    if action is None:
        return
    kind, token = action
    age = int(idle_limit().total_seconds()) if kind == "set" else 0
    script = (
        "<script>(function(){"
        f"var value={json.dumps(token)};"
        f"var cookie={json.dumps(COOKIE)}+'='+value+'; Path=/; Max-Age={age}; SameSite=Strict';"
        "if(window.location.protocol==='https:'){cookie+='; Secure';}"
        "window.document.cookie=cookie;"
        "})();</script>"
    )
    st.html(script, unsafe_allow_javascript=True)


def demo_hint() -> str:
    """How to sign in to the demo council (shown only there)."""
    return (
        f"Demo council: every member's passcode is their id followed by `{DEMO_SUFFIX}` "
        f"(for example `m01{DEMO_SUFFIX}` for the facilitator)."
    )


def current_round(current: Session) -> RoundInfo | None:
    """The round selected in the sidebar (default: the newest the member may see)."""
    rounds = current.rounds()
    if rounds.empty:
        return None
    chosen = st.session_state.get(ROUND_KEY)
    if chosen not in rounds.index:
        chosen = int(rounds.index[0])
        st.session_state[ROUND_KEY] = chosen
    return current.round(int(str(chosen)))


def require_round(current: Session) -> RoundInfo:
    """The selected round; stops the page with a message when there is none."""
    info = current_round(current)
    if info is None:
        show_flashes()  # what the last action said, before the page stops here
        if is_facilitator(current):
            st.info(
                "There is no round yet. Prepare the first one: its criteria, its "
                "requirements and who takes part.",
                icon=":material/playlist_add:",
            )
            st.page_link(
                str(PAGES / "prepare.py"), label="Prepare a round", icon=":material/playlist_add:"
            )
        else:
            st.info("You are not a member of any round yet. A facilitator adds you to one.")
        st.stop()
    return info


def require_revealed(info: RoundInfo, why: str) -> None:
    """Stop the page with ``why`` while the round's scores are still blind."""
    if not info.revealed:
        st.info(why, icon=":material/visibility_off:")
        st.stop()


def load_member(current: Session) -> Member:
    """Who is signed in, read from the store once per rerun (the entry script calls this
    before the page runs; roles can change between reruns, never within one)."""
    found = current.member
    st.session_state[MEMBER_KEY] = found
    return found


def member(current: Session) -> Member:
    """Who is signed in, as read at the start of this rerun (no connection of its own)."""
    found = st.session_state.get(MEMBER_KEY)
    if isinstance(found, Member) and found.id == current.member_id:
        return found
    return load_member(current)


def is_facilitator(current: Session) -> bool:
    """Whether the signed-in member facilitates."""
    return member(current).role == "facilitator"


def round_changed(drawn: tuple[int, str] | None, round_id: int, now: str) -> bool:
    """Whether round ``round_id`` is now in state ``now`` while the page was drawn with
    another state of the same round (a different or no round drawn is no change)."""
    return drawn is not None and drawn[0] == round_id and drawn[1] != now


def change_notice(drawn: tuple[int, str] | None, round_id: int, now: str) -> str | None:
    """What to tell the member when the round's state changed since the page was drawn,
    else None."""
    if not round_changed(drawn, round_id, now):
        return None
    return _CHANGE_NOTICES.get(now, f"The round is now in state {now}; the page shows it.")


def show_error(exc: Exception) -> None:
    """An error as the council should see it: what happened and what to do, no traceback
    (the message may quote what a user typed, so it is shown as plain text)."""
    text = plain(exc)
    if isinstance(exc, PermissionDenied):
        st.error(f"Not allowed: {text}", icon=":material/lock:")
    elif isinstance(exc, ConflictError):
        st.error(
            f"Someone changed this in the meantime: {text}. The page now shows the "
            "latest values; please check them and save again.",
            icon=":material/warning:",
        )
    elif isinstance(exc, ValidationError):
        st.error(f"Please check the input: {text}", icon=":material/warning:")
    else:
        st.error(
            f"Something went wrong: {text}. Reload the page; if it persists, tell the "
            "facilitator what you were doing.",
            icon=":material/warning:",
        )


def attempt(action: Callable[[], T], success: str | None = None) -> T | None:
    """Run a store action; show its error (or ``success``) on the page."""
    try:
        result = action()
    except PrioritizeError as exc:
        show_error(exc)
        return None
    if success:
        st.toast(success, icon=":material/check_circle:")
    return result


def done(action: Callable[[], object], success: str | None = None) -> bool:
    """Run a store action; show its refusal (or ``success``). Whether it was done -- also
    for actions that return nothing, which :func:`attempt` cannot tell from a refusal."""

    def run() -> bool:
        action()
        return True

    return attempt(run, success) is not None


Level = Literal["success", "info", "warning", "error"]
_LEVEL_ICONS: dict[str, str] = {
    "success": ":material/check_circle:",
    "info": ":material/info:",
    "warning": ":material/warning:",
    "error": ":material/error:",
}


def flash(message: str, level: Level = "success") -> None:
    """A message to show once on the next run, with its severity (callbacks and actions
    run before the page draws). The message is shown as plain text."""
    st.session_state.setdefault("_flash", []).append((message, level))


def show_flashes() -> None:
    """Show and forget the messages left by callbacks, each in the box of its severity."""
    for message, level in st.session_state.pop("_flash", []):
        show = {"success": st.success, "info": st.info, "warning": st.warning}.get(level, st.error)
        show(plain(message), icon=_LEVEL_ICONS.get(level, _LEVEL_ICONS["error"]))


def key(*parts: Any) -> str:
    """A widget key from parts (``key("score", 3)`` -> ``"score-3"``)."""
    return "-".join(str(p) for p in parts)
