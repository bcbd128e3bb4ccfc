"""Company sign-in: a member verified by the organisation's OpenID Connect provider.

The page (Streamlit's ``st.login``) verifies who someone is; this module decides what that
identity may do in the council, in one place:

- :func:`~prioritize.store.role_mapping.sign_in_config` (in ``role_mapping.py``) reads
  and validates the ``[prioritize.sign_in]`` section of the secrets file: which claim
  identifies a member, which claim holds their groups, which groups make a facilitator, a
  member or an observer, where the department comes from, and whether passcode sign-in
  stays on;
- :func:`identity_from_claims` turns the provider's claims into an :class:`Identity`;
- :func:`~prioritize.store.role_mapping.role_for` maps groups to the strongest role they
  grant (facilitator > member > observer), or None: no access;
- :func:`member_id_for` turns the identifying claim (an email address, usually) into a
  member id the store accepts, one id per claim value;
- :func:`sign_in` creates the member on their first sign-in (with no usable passcode) or
  brings their role, name and department up to date, and returns their
  :class:`~prioritize.store.session.Session`.

Nothing here imports streamlit: the page reads ``st.secrets`` and ``st.user`` and calls
these functions. See ``docs/sign-in.md``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from prioritize.errors import PermissionDenied
from prioritize.model.council import Member
from prioritize.store import connection, signin, websessions
from prioritize.store.connection import Db
from prioritize.store.passcodes import PROVIDER_PASSCODE_HASH
from prioritize.store.role_mapping import SECTION, SignInConfig, role_for, sign_in_config
from prioritize.store.session import AUTHENTICATED, Session
from prioritize.store.store import Store

__all__ = [
    "PROVIDER_PASSCODE_HASH",
    "SECTION",
    "AccessRefused",
    "Identity",
    "ProviderSignIn",
    "SignInConfig",
    "identity_from_claims",
    "member_id_for",
    "provider_members",
    "role_for",
    "sign_in",
    "sign_in_config",
]

#: The longest identifying claim accepted (an email address has at most 254 characters).
MAX_CLAIM_CHARS = 256
#: The characters a member id keeps as they are (the store's ids: letters, digits, '_',
#: '.', '-', starting with a letter or digit); '_' is the escape character, so it is
#: doubled.
_KEPT = frozenset("abcdefghijklmnopqrstuvwxyz0123456789.-")


@dataclass(frozen=True, slots=True)
class Identity:
    """Who the provider says someone is: the identifying claim's value (``claim``), the
    member id it becomes (``id``), their name, department (None: not sent) and groups."""

    id: str
    claim: str
    name: str
    department: str | None
    groups: tuple[str, ...]


class AccessRefused(PermissionDenied):
    """A verified user the council gives no access: no mapped group, no identifying claim,
    a deactivated member, or an id a passcode member holds. ``groups``: the groups the
    provider sent (shown to them, so they can tell IT which one they lack)."""

    def __init__(self, message: str, groups: Iterable[str] = ()) -> None:
        super().__init__(message)
        self.groups: tuple[str, ...] = tuple(groups)


def _claim_text(claims: Mapping[str, Any], name: str | None) -> str | None:
    if name is None:
        return None
    value = claims.get(name)
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def _claim_groups(claims: Mapping[str, Any], name: str) -> tuple[str, ...]:
    value = claims.get(name)
    # providers send a JSON list; a single group may come as one text
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list | tuple):
        return ()
    return tuple(dict.fromkeys(str(g) for g in value if isinstance(g, str | int) and str(g)))


def member_id_for(value: str) -> str:
    """The member id for an identifying claim's value, such as an email address.

    The store's ids hold letters, digits, ``_``, ``.`` and ``-`` and start with a letter or
    digit. The value is lower-cased (an address is the same whatever its case, and the
    council treats ids that differ only by case as the same); ``.``, ``-``, ASCII letters
    and digits are kept, ``_`` is doubled, ``@`` becomes ``_at_``, and any other character
    ``_<hex code point>_``. A value that would start with another character gets an
    ``X`` in front (lower-casing leaves no other upper-case letter). Two different values
    never give the same id.

    Examples
    --------
    >>> member_id_for("Alice.Smith@Example.com")
    'alice.smith_at_example.com'
    >>> member_id_for("bob_jones+council@example.com")
    'bob__jones_2b_council_at_example.com'
    >>> member_id_for("_svc@example.com")
    'X__svc_at_example.com'
    """
    text = unicodedata.normalize("NFC", value.strip()).lower()
    out = []
    for ch in text:
        if ch in _KEPT:
            out.append(ch)
        elif ch == "_":
            out.append("__")
        elif ch == "@":
            out.append("_at_")
        else:
            out.append(f"_{ord(ch):x}_")
    encoded = "".join(out)
    return encoded if encoded[:1].isalnum() and encoded[:1].isascii() else "X" + encoded


def identity_from_claims(claims: Mapping[str, Any], config: SignInConfig) -> Identity:
    """The identity the provider's claims (``st.user``) describe.

    Raises
    ------
    AccessRefused
        The identifying claim (``member_claim``) is missing, empty or longer than
        :data:`MAX_CLAIM_CHARS`.
    """
    groups = _claim_groups(claims, config.groups_claim)
    value = _claim_text(claims, config.member_claim)
    if value is None or len(value) > MAX_CLAIM_CHARS:
        raise AccessRefused(
            f"the sign-in provider sent no usable '{config.member_claim}' claim, which "
            "identifies a council member (ask IT to include it in the ID token)",
            groups,
        )
    return Identity(
        id=member_id_for(value),
        claim=value,
        name=_claim_text(claims, config.name_claim) or value,
        department=_claim_text(claims, config.department_claim),
        groups=groups,
    )


@dataclass(frozen=True, slots=True)
class ProviderSignIn:
    """A member signed in through the provider: their session, who they are now, whether
    this was their first sign-in, and whether they were kept facilitator although the
    provider's groups give a weaker role (the council's only active facilitator)."""

    session: Session
    member: Member
    created: bool
    kept_facilitator: bool


def sign_in(store: Store, identity: Identity, config: SignInConfig) -> ProviderSignIn:
    """Sign a verified identity in: create the member on first sign-in, else update their
    role, name and department from the provider; return their session.

    A member created here has no usable passcode (:data:`PROVIDER_PASSCODE_HASH`), so
    passcode sign-in is impossible for them. The council keeps an active facilitator: when
    the provider's groups would demote its only active facilitator, they stay facilitator
    (``kept_facilitator``) until another facilitator has signed in; their next sign-in
    after that applies the demotion.

    Raises
    ------
    AccessRefused
        No group of the identity is mapped to a role (their browser sessions end too, if
        they were a member), the member was deactivated by a facilitator, or the id
        belongs to a member who signs in with a passcode.
    """
    role = role_for(identity.groups, config)
    with store.connect() as conn, connection.write(conn):
        row = conn.execute(
            "SELECT role, active, passcode_hash, department FROM members WHERE id = ?",
            (identity.id,),
        ).fetchone()
        if role is None:
            if row is not None:
                # removed from the council's groups: no browser of theirs stays signed in
                websessions.revoke_member(conn, identity.id)
            refused = AccessRefused(_no_group(identity, config), identity.groups)
        elif row is not None and str(row["passcode_hash"]) != PROVIDER_PASSCODE_HASH:
            refused = AccessRefused(
                f"the council already has a member {identity.id} who signs in with a "
                "passcode: ask the facilitator",
                identity.groups,
            )
        elif row is not None and not row["active"]:
            refused = AccessRefused(
                f"{identity.id} is no longer an active council member (ask the facilitator)",
                identity.groups,
            )
        else:
            kept = False
            if row is None:
                department = identity.department or config.default_department
                _create(conn, identity, role, department)
            else:
                department = identity.department or str(row["department"])
                if row["role"] == "facilitator" and role != "facilitator":
                    kept = not _other_active_facilitators(conn, identity.id)
                    role = "facilitator" if kept else role
                conn.execute(
                    "UPDATE members SET role = ?, name = ?, department = ? WHERE id = ?",
                    (role, identity.name, department, identity.id),
                )
            signin.clear_failures(conn, identity.id)
            member = Member(identity.id, identity.name, department, role)
            return ProviderSignIn(
                Session(store.connect, identity.id, AUTHENTICATED), member, row is None, kept
            )
    raise refused


def _no_group(identity: Identity, config: SignInConfig) -> str:
    if not identity.groups:
        return (
            f"the sign-in provider sent no groups for {identity.claim} (claim "
            f"'{config.groups_claim}'), and the council gives access by group: ask IT to "
            "add you to the council's group"
        )
    return (
        f"none of your groups ({', '.join(identity.groups)}) is mapped to a council role: "
        "ask the facilitator or IT to add you to the council's group"
    )


def _create(conn: Db, identity: Identity, role: str, department: str) -> None:
    conn.execute(
        """INSERT INTO members (id, name, department, role, passcode_salt,
                                passcode_hash, created_at, must_change_passcode)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
        (
            identity.id,
            identity.name,
            department,
            role,
            "",
            PROVIDER_PASSCODE_HASH,
            connection.now(),
            0,
        ),
    )


def _other_active_facilitators(conn: Db, member_id: str) -> int:
    row = conn.execute(
        """SELECT COUNT(*) FROM members
           WHERE role = 'facilitator' AND active = 1 AND id <> ?""",
        (member_id,),
    ).fetchone()
    return 0 if row is None else int(row[0])


def provider_members(store: Store) -> frozenset[str]:
    """The ids of the members who sign in through the provider (no passcode of theirs):
    the passcode form leaves them out, and they have no passcode to change."""
    with store.connect() as conn:
        rows = conn.execute(
            "SELECT id FROM members WHERE passcode_hash = ?", (PROVIDER_PASSCODE_HASH,)
        ).fetchall()
    return frozenset(str(r[0]) for r in rows)
