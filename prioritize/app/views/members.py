"""Council members (facilitator): who is in the council, registering a member (with a
one-time passcode shown once, to hand over in person), resetting a passcode, changing a
role, deactivating and reactivating a member (their scores, comments and decisions stay),
and who is locked out after wrong passcodes.

A one-time passcode is shown on the run right after it was made and then forgotten: the
page keeps it only in a one-shot session entry that the next run pops as it shows it.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd
import streamlit as st

from prioritize.app import state, words
from prioritize.app.text import plain
from prioritize.council.rounds import REVEALED
from prioritize.errors import PermissionDenied
from prioritize.model.council import ROLES
from prioritize.store import Session

TABS = ("Register", "Reset a passcode", "Change a role", "Deactivate or reactivate")
TAB_KEY = "members-tab"
#: ``(name, passcode, why)`` of a passcode just made; popped by the run that shows it.
PASSCODE_KEY = "members-new-passcode"
#: Set by a registration: the next run empties the form.
_REGISTERED = "members-registered"
#: What each role may do, in the council's words (shown beside the role picker).
ROLE_WORDS = {
    "member": "scores the rounds they take part in",
    "facilitator": "prepares rounds, manages the council, reveals and decides",
    "observer": "follows the rounds without scoring",
}


def show_passcode() -> None:
    """The passcode made by the last action, once: the entry is gone after this run."""
    made = st.session_state.pop(PASSCODE_KEY, None)
    if made is None:
        return
    name, passcode, why = made
    st.success(f"{plain(why)}", icon=":material/key:")
    st.code(passcode, language=None)
    st.markdown(
        f"Give this one-time passcode to **{plain(name)}** in person; they choose their own "
        "at first sign-in. It is not shown again."
    )


def names(council: pd.DataFrame) -> dict[str, str]:
    return {str(m): str(n) for m, n in council["name"].items()}


def _labels(council: pd.DataFrame) -> dict[str, str]:
    return {
        str(m): f"{row['name']} ({row['department']}) · {row['role']}"
        + ("" if row["active"] else " · deactivated")
        for m, row in council.iterrows()
    }


def council_table(council: pd.DataFrame) -> None:
    active = int(council["active"].sum())
    st.caption(
        f"{words.count(active, 'active member')}"
        + (f", {len(council) - active} deactivated" if active < len(council) else "")
        + "."
    )
    st.dataframe(
        pd.DataFrame(
            {
                "name": council["name"].to_numpy(),
                "department": council["department"].to_numpy(),
                "role": council["role"].to_numpy(),
                "status": ["active" if a else "deactivated" for a in council["active"]],
            }
        ),
        hide_index=True,
        width="stretch",
        key="members-table",
    )


def lockouts(current: Session, council: pd.DataFrame) -> None:
    attempts = current.sign_in_attempts()
    if attempts.empty:
        return
    zone = words.browser_timezone()
    lines = []
    locked = False
    for member_id, row in attempts.iterrows():
        who = council["name"].get(member_id, member_id)
        line = (
            f"{plain(who)}: {words.count(int(row['failures']), 'wrong passcode')} in a row, "
            f"the last on {words.readable_time(str(row['last_failure']), zone)}"
        )
        until, last = str(row["locked_until"] or ""), str(row["last_failure"] or "")
        if until > last:  # the store sets a lockout's end after the last wrong passcode
            over = datetime.fromisoformat(until) <= datetime.now(UTC)
            locked = locked or not over
            line += (
                f"; {'was' if over else 'is'} locked out until {words.readable_time(until, zone)}"
            )
        lines.append(f"- {line}.")
    # a box that warns only while someone is locked out; a typo is no alarm
    (st.warning if locked else st.info)(
        "Wrong passcodes since the last right one:\n\n"
        + "\n".join(lines)
        + "\n\nResetting a member's passcode clears the count.",
        icon=":material/lock_clock:",
    )


def register(current: Session) -> None:
    rounds = current.rounds()
    # members join a round before the reveal (the store refuses it afterwards)
    open_rounds = rounds[~rounds["state"].isin(list(REVEALED))]
    labels = {
        int(str(i)): f"#{i} {row['name']} ({row['state']})" for i, row in open_rounds.iterrows()
    }
    # emptied on the run after a registration (before the widgets exist in that run), and
    # kept as typed after a refusal
    if st.session_state.pop(_REGISTERED, False):
        for typed in ("members-id", "members-name", "members-department"):
            st.session_state[typed] = ""
    with st.form("members-register-form"):
        member_id = st.text_input(
            "Member id (letters, digits, '.', '_' or '-'; it cannot change later)",
            key="members-id",
        )
        name = st.text_input("Name", key="members-name")
        department = st.text_input("Department", key="members-department")
        role = st.selectbox(
            "Role",
            ROLES,
            format_func=lambda r: f"{r}: {ROLE_WORDS.get(r, '')}",
            key="members-role",
        )
        chosen = st.multiselect(
            "Add them to these rounds",
            list(labels),
            default=list(labels),
            format_func=labels.__getitem__,
            key="members-rounds",
            help="Rounds not yet revealed. You can add them to a round later too "
            "(Prepare a round → Members of the round).",
        )
        submitted = st.form_submit_button("Register", type="primary", key="members-register")
    if submitted:
        invitation = state.attempt(
            lambda: current.invite_member(
                member_id, name, department, str(role), rounds=[int(r) for r in chosen]
            )
        )
        if invitation is not None:
            st.session_state[_REGISTERED] = True
            st.session_state[PASSCODE_KEY] = (
                invitation.member.name,
                invitation.passcode,
                f"{invitation.member.name} is registered as {invitation.member.role}"
                + (f", in {words.count(len(chosen), 'round')}" if chosen else "")
                + ".",
            )
            st.rerun()


def _confirmed_form(
    form: str, people: dict[str, str], confirm: str, button: str
) -> tuple[str, bool] | None:
    """A member picker with a confirmation box; ``(member id, confirmed)`` on submit."""
    with st.form(form):
        member_id = st.selectbox(
            "Member", list(people), format_func=people.__getitem__, key=f"{form}-member"
        )
        sure = st.checkbox(confirm, key=f"{form}-sure")
        submitted = st.form_submit_button(button, type="primary", key=f"{form}-submit")
    if not submitted:
        return None
    if not sure:
        st.error("Tick the box to confirm.")
    return str(member_id), sure


def reset(current: Session, council: pd.DataFrame) -> None:
    me = current.member_id
    people = {m: label for m, label in _labels(council).items() if m != me}
    st.caption(
        "The member gets a new one-time passcode to choose their own with; every browser "
        "they are signed in with is signed out. Your own passcode: My passcode."
    )
    if not people:
        st.info("Nobody else is in the council yet.")
        return
    answer = _confirmed_form(
        "members-reset",
        people,
        "Sign them out and make a new one-time passcode",
        "Reset the passcode",
    )
    if answer is None or not answer[1]:
        return
    member_id = answer[0]
    passcode = state.attempt(lambda: current.reset_passcode(member_id))
    if passcode is not None:
        name = names(council)[member_id]
        st.session_state[PASSCODE_KEY] = (
            name,
            passcode,
            f"{name}'s passcode is reset; their open browsers were signed out.",
        )
        st.rerun()


def change_role(current: Session, council: pd.DataFrame) -> None:
    people = _labels(council)
    with st.form("members-role-form"):
        member_id = st.selectbox(
            "Member", list(people), format_func=people.__getitem__, key="members-role-member"
        )
        role = st.selectbox(
            "New role",
            ROLES,
            format_func=lambda r: f"{r}: {ROLE_WORDS.get(r, '')}",
            key="members-new-role",
        )
        submitted = st.form_submit_button("Change the role", type="primary", key="members-set-role")
    if submitted and state.done(lambda: current.set_role(str(member_id), str(role))):
        state.flash(f"{names(council)[str(member_id)]} is now {role}.")
        st.rerun()


def activation(current: Session, council: pd.DataFrame) -> None:
    me = current.member_id
    active = {m: label for m, label in _labels(council[council["active"]]).items() if m != me}
    inactive = _labels(council[~council["active"]])
    st.caption(
        "A deactivated member cannot sign in; their scores, comments and decisions stay. "
        "You can bring them back at any time."
    )
    if active:
        answer = _confirmed_form(
            "members-deactivate",
            active,
            "Deactivate this member (they are signed out now)",
            "Deactivate",
        )
        if answer is not None and answer[1]:
            member_id = answer[0]
            if state.done(lambda: current.set_active(member_id, False)):
                state.flash(f"{names(council)[member_id]} is deactivated.")
                st.rerun()
    if inactive:
        answer = _confirmed_form(
            "members-reactivate", inactive, "Let this member sign in again", "Reactivate"
        )
        if answer is not None and answer[1]:
            member_id = answer[0]
            if state.done(lambda: current.set_active(member_id, True)):
                state.flash(f"{names(council)[member_id]} is active again.")
                st.rerun()


current = state.require_session()
state.show_flashes()
st.title("Council members")
if not state.is_facilitator(current):
    state.show_error(PermissionDenied("only a facilitator manages the council"))
    st.stop()
show_passcode()
council = current.council()
lockouts(current, council)
council_table(council)
register_tab, reset_tab, role_tab, activation_tab = st.tabs(TABS, key=TAB_KEY, on_change="rerun")
if register_tab.open:
    with register_tab:
        register(current)
if reset_tab.open:
    with reset_tab:
        reset(current, council)
if role_tab.open:
    with role_tab:
        change_role(current, council)
if activation_tab.open:
    with activation_tab:
        activation(current, council)
