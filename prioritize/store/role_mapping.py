"""The mapping from a company's groups to council roles: the ``[prioritize.sign_in]``
section of the secrets file, validated in one place (:func:`sign_in_config`), and the rule
that gives a user of several groups the strongest role (:func:`role_for`).

Used by :mod:`prioritize.store.identity` (which signs a verified identity in) and read by
the page from ``st.secrets``; nothing here imports streamlit. See ``docs/sign-in.md``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from prioritize.errors import Problem, ValidationError, bounded_repr

__all__ = ["ROLE_ORDER", "SECTION", "SignInConfig", "role_for", "sign_in_config"]

#: Where the configuration lives in the secrets file (``[prioritize.sign_in]``).
SECTION = "prioritize.sign_in"
#: The roles from strongest to weakest: a user in several mapped groups gets the first.
ROLE_ORDER = ("facilitator", "member", "observer")
#: The configuration's group lists, by the role they grant.
_GROUP_KEYS = {"facilitator": "facilitators", "member": "members", "observer": "observers"}


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
        return tuple(g for role in ROLE_ORDER for g in self.groups(role))


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
    for role in ROLE_ORDER:
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


def role_for(groups: Iterable[str], config: SignInConfig) -> str | None:
    """The strongest role ``groups`` grant (facilitator > member > observer), or None when
    none of them is mapped (no access). Group names are compared exactly.

    >>> config = SignInConfig(facilitators=("chairs",), members=("council",))
    >>> role_for(["council", "chairs", "staff"], config), role_for(["staff"], config)
    ('facilitator', None)
    """
    have = set(groups)
    for role in ROLE_ORDER:
        if have.intersection(config.groups(role)):
            return role
    return None
