"""Company sign-in: a member verified by the organisation's OpenID Connect provider.

The page (Streamlit's ``st.login``) verifies who someone is; this module decides what that
identity may do in the council, in one place:

- :func:`sign_in_config` reads and validates the ``[prioritize.sign_in]`` section of the
  secrets file: which claim identifies a member, which claim holds their groups, which
  groups make a facilitator, a member or an observer, where the department comes from, and
  whether passcode sign-in stays on;
- :func:`identity_from_claims` turns the provider's claims into an :class:`Identity`;
- :func:`role_for` maps groups to the strongest role they grant (facilitator > member >
  observer), or None: no access;
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

from prioritize.errors import PermissionDenied, Problem, ValidationError, bounded_repr
from prioritize.model.council import Member
from prioritize.store import connection, signin, websessions
from prioritize.store.connection import Db
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

#: Where the configuration lives in the secrets file (``[prioritize.sign_in]``).
SECTION = "prioritize.sign_in"
#: What a member who signs in through the provider has instead of a passcode hash: not a
#: ``scrypt$n$r$p$digest`` text, so no passcode ever matches it
#: (:func:`~prioritize.store.passcodes.verify_passcode` refuses any other scheme).
PROVIDER_PASSCODE_HASH = "company-sign-in$no-passcode"
#: The roles from strongest to weakest: a user in several mapped groups gets the first.
_ROLE_ORDER = ("facilitator", "member", "observer")
#: The configuration's group lists, by the role they grant.
_GROUP_KEYS = {"facilitator": "facilitators", "member": "members", "observer": "observers"}
#: The longest identifying claim accepted (an email address has at most 254 characters).
MAX_CLAIM_CHARS = 256
#: The characters a member id keeps as they are (the store's ids: letters, digits, '_',
#: '.', '-', starting with a letter or digit); '_' is the escape character, so it is
#: doubled.
_KEPT = frozenset("abcdefghijklmnopqrstuvwxyz0123456789.-")


@dataclass(frozen=True, slots=True)
class SignInConfig:
    """The ``[prioritize.sign_in]`` section, validated (see :func:`sign_in_config`)."""

    member_claim: str = "email"
    groups_claim: str = "groups"
    name_claim: str = "name"
    department_claim: str | None = None
    default_department: str = "Company"
    facilitators: tuple[str, ...] = ()
    members: tuple[str, ...] = ()
    observers: tuple[str, ...] = ()
    passcodes: bool = True
    provider: str | None = None
    provider_label: str = "your company account"

    def groups(self, role: str) -> tuple[str, ...]:
        """The groups that grant ``role``."""
        found: tuple[str, ...] = getattr(self, _GROUP_KEYS[role])
        return found

    @property
    def mapped_groups(self) -> tuple[str, ...]:
        """Every group mapped to a role, strongest role first."""
        return tuple(g for role in _ROLE_ORDER for g in self.groups(role))


_TEXT_KEYS = (
    "member_claim",
    "groups_claim",
    "name_claim",
    "department_claim",
    "default_department",
    "provider",
    "provider_label",
)
_KEYS = (*_TEXT_KEYS, *_GROUP_KEYS.values(), "passcodes")
_GROUP_COLUMNS = frozenset(f"{SECTION}.{key}" for key in _GROUP_KEYS.values())


def _problem(key: str, value: object, message: str, expected: str) -> Problem:
    return Problem(
        message,
        file="secrets.toml",
        column=f"{SECTION}.{key}",
        value=bounded_repr(value),
        expected=expected,
    )


def sign_in_config(section: Mapping[str, Any] | None, *, provider_configured: bool) -> SignInConfig:
    """Validate the ``[prioritize.sign_in]`` section of the secrets file.

    Parameters
    ----------
    section
        The section as read (``st.secrets["prioritize"]["sign_in"]``), or None when it is
        absent (passcode sign-in only, no groups mapped).
    provider_configured
        Whether the secrets file has an ``[auth]`` section (a provider for ``st.login``).

    Raises
    ------
    ValidationError
        Every problem found, each naming the key, its value and what was expected: an
        unknown key, a claim that is not a text, a group list that is not a list of texts,
        a group mapped to two roles, ``passcodes`` not true or false, passcodes switched
        off with no provider (nobody could sign in), a provider with no group mapped
        (everybody would be refused).

    Examples
    --------
    >>> config = sign_in_config(
    ...     {"facilitators": ["council-chairs"], "members": ["council"]},
    ...     provider_configured=True,
    ... )
    >>> config.member_claim, config.groups_claim, config.passcodes
    ('email', 'groups', True)
    >>> try:
    ...     sign_in_config({"members": ["council"], "passcodes": "no"}, provider_configured=True)
    ... except ValidationError as err:
    ...     print(err.first.column, "--", err.first.expected)
    prioritize.sign_in.passcodes -- passcodes = true or passcodes = false
    """
    values: dict[str, Any] = {}
    problems: list[Problem] = []
    given = dict(section) if section is not None else {}
    for key, value in given.items():
        if key not in _KEYS:
            problems.append(
                _problem(key, value, "unknown key", f"one of {', '.join(sorted(_KEYS))}")
            )
        elif key in _TEXT_KEYS:
            if not isinstance(value, str) or not value.strip():
                problems.append(_problem(key, value, "not a text", "a non-empty text in quotes"))
            else:
                values[key] = value.strip()
        elif key == "passcodes":
            if not isinstance(value, bool):
                problems.append(
                    _problem(
                        key,
                        value,
                        "not true or false",
                        "passcodes = true or passcodes = false",
                    )
                )
            else:
                values[key] = value
        else:
            groups = _group_list(key, value, problems)
            if groups is not None:
                values[key] = groups
    owner: dict[str, str] = {}
    for role in _ROLE_ORDER:
        for group in values.get(_GROUP_KEYS[role], ()):
            if group in owner and owner[group] != role:
                problems.append(
                    _problem(
                        _GROUP_KEYS[role],
                        group,
                        f"group also listed in {_GROUP_KEYS[owner[group]]}",
                        "each group in one list only",
                    )
                )
            owner.setdefault(group, role)
    if values.get("passcodes") is False and not provider_configured:
        problems.append(
            _problem(
                "passcodes",
                False,
                "passcode sign-in switched off with no [auth] section: nobody could sign in",
                "an [auth] section for st.login, or passcodes = true",
            )
        )
    group_problems = any(p.column in _GROUP_COLUMNS for p in problems)
    if provider_configured and not owner and not group_problems:
        problems.append(
            Problem(
                "no group is mapped to a role",
                file="secrets.toml",
                column=SECTION,
                value=bounded_repr(given),
                expected="at least one group in facilitators, members or observers "
                "(with an [auth] section everybody else is refused)",
            )
        )
    if problems:
        raise ValidationError(problems)
    return SignInConfig(**values)


def _group_list(key: str, value: object, problems: list[Problem]) -> tuple[str, ...] | None:
    if not isinstance(value, list | tuple) or not all(
        isinstance(g, str) and g.strip() for g in value
    ):
        problems.append(
            _problem(
                key, value, "not a list of group names", 'a list of texts, such as ["council"]'
            )
        )
        return None
    return tuple(dict.fromkeys(str(g).strip() for g in value))


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


def role_for(groups: Iterable[str], config: SignInConfig) -> str | None:
    """The strongest role ``groups`` grant (facilitator > member > observer), or None when
    none of them is mapped (no access). Group names are compared exactly.

    >>> config = SignInConfig(facilitators=("chairs",), members=("council",))
    >>> role_for(["council", "chairs", "staff"], config), role_for(["staff"], config)
    ('facilitator', None)
    """
    have = set(groups)
    for role in _ROLE_ORDER:
        if have.intersection(config.groups(role)):
            return role
    return None


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
