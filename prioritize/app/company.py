"""Company sign-in on the page: reads the secrets file's ``[auth]`` (Streamlit's
``st.login``) and ``[prioritize.sign_in]`` sections and ``st.user``'s claims, and hands them
to the store (:mod:`prioritize.store.identity`), which decides who may do what.

A member who comes back from the provider is signed in like a passcode member (a browser
token in the cookie, :func:`prioritize.app.state.keep`), so every page sees an ordinary
session. A refused user sees why, and a way to sign out of the provider.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import streamlit as st

from prioritize.app import state
from prioritize.store import Session
from prioritize.store.identity import (
    AccessRefused,
    SignInConfig,
    identity_from_claims,
    provider_members,
    sign_in,
    sign_in_config,
)

__all__ = [
    "REFUSED_KEY",
    "config",
    "provider_configured",
    "provider_member_ids",
    "provider_signed_in",
    "refusal",
    "sign_in_from_provider",
    "sign_out",
    "start_sign_in",
    "uses_provider",
]

#: Why the provider's user has no access (the refusal's message and their groups).
REFUSED_KEY = "company_refused"


def _section(*path: str) -> Mapping[str, Any] | None:
    """A section of the secrets file (None: absent, or no secrets file at all)."""
    try:
        value: Any = st.secrets
        for name in path:
            value = value[name]
    except (KeyError, FileNotFoundError):
        return None
    return value if isinstance(value, Mapping) else None


def provider_configured() -> bool:
    """Whether the secrets file has an ``[auth]`` section (an OpenID Connect provider)."""
    return _section("auth") is not None


def config() -> SignInConfig:
    """The ``[prioritize.sign_in]`` section, validated by the store (raises
    :class:`~prioritize.errors.ValidationError` naming the key when it is wrong)."""
    section = _section("prioritize", "sign_in")
    return sign_in_config(
        dict(section) if section is not None else None,
        provider_configured=provider_configured(),
    )


def provider_signed_in() -> bool:
    """Whether this browser came back from the provider (``st.user``) and has not signed
    out of it."""
    return provider_configured() and bool(st.user.get("is_logged_in", False))


def start_sign_in(settings: SignInConfig) -> None:
    """Send the browser to the provider (it comes back to the app's home)."""
    if settings.provider is None:
        st.login()
    else:
        st.login(settings.provider)


def sign_in_from_provider(settings: SignInConfig) -> Session | None:
    """Sign in the user the provider verified: their claims through the store's mapping.
    Returns their session, or None when they have no access (the reason is kept for the
    refusal page, :func:`refusal`)."""
    try:
        identity = identity_from_claims(st.user.to_dict(), settings)
        signed = sign_in(state.store(), identity, settings)
    except AccessRefused as refused:
        st.session_state[REFUSED_KEY] = (str(refused), refused.groups)
        return None
    st.session_state.pop(REFUSED_KEY, None)
    state.keep(signed.session)
    st.session_state.pop(state.ROUND_KEY, None)
    if signed.kept_facilitator:
        state.flash(
            "Your company groups no longer make you a facilitator, but you are the "
            "council's only active facilitator, so you stay one until another facilitator "
            "has signed in.",
            "warning",
        )
    return signed.session


def refusal() -> tuple[str, tuple[str, ...]] | None:
    """Why the provider's user was refused, and the groups the provider sent."""
    found = st.session_state.get(REFUSED_KEY)
    if isinstance(found, tuple) and len(found) == 2:
        return str(found[0]), tuple(found[1])
    return None


def provider_member_ids() -> frozenset[str]:
    """The members who sign in through the provider (they have no passcode)."""
    return provider_members(state.store())


def uses_provider(current: Session) -> bool:
    """Whether ``current``'s member signs in through the provider (no passcode of theirs)."""
    return current.member_id in provider_member_ids()


def sign_out() -> None:
    """End the council session (its token revoked in the store) and, for a provider's
    user, the provider's too (``st.logout`` sends the browser through the provider's
    sign-out and back to the sign-in page); else rerun onto the sign-in page."""
    leave_provider = provider_signed_in()
    state.sign_out()
    if leave_provider:
        st.logout()
        st.stop()
    st.rerun()
