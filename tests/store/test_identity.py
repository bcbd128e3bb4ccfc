"""Company sign-in in the store: the ``[prioritize.sign_in]`` configuration, groups to
roles, claims to member ids, and members created or updated by a verified identity."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from prioritize.errors import PermissionDenied, ValidationError
from prioritize.store import Store
from prioritize.store.identity import (
    AccessRefused,
    SignInConfig,
    identity_from_claims,
    member_id_for,
    provider_members,
    role_for,
    sign_in,
    sign_in_config,
)
from tests.conftest import ExampleCouncil

CONFIG = SignInConfig(
    facilitators=("council-chairs",),
    members=("council", "engineering"),
    observers=("auditors",),
    department_claim="department",
)
#: The store's rule for a member id (prioritize/store/rounds.py).
STORE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


def claims(email: str, *groups: str, **more: Any) -> dict[str, Any]:
    return {"email": email, "groups": list(groups), "name": email.split("@")[0], **more}


@pytest.fixture
def store(fresh_location: Path | str) -> Store:
    """A new, empty council, on each engine."""
    store = Store(fresh_location)
    store.init()
    return store


# --- configuration ------------------------------------------------------------------------


def test_the_defaults_identify_by_email_and_read_groups_from_groups() -> None:
    config = sign_in_config({"members": ["council"]}, provider_configured=True)
    assert (config.member_claim, config.groups_claim, config.name_claim) == (
        "email",
        "groups",
        "name",
    )
    assert config.passcodes and config.department_claim is None
    assert config.members == ("council",) and config.facilitators == ()


def test_a_full_section_is_read_as_written() -> None:
    config = sign_in_config(
        {
            "member_claim": "preferred_username",
            "groups_claim": "roles",
            "department_claim": "department",
            "default_department": "Head office",
            "facilitators": ["chairs"],
            "members": ["council", " engineering "],
            "observers": ["audit"],
            "passcodes": False,
            "provider": "okta",
            "provider_label": "Okta",
        },
        provider_configured=True,
    )
    assert config.members == ("council", "engineering")
    assert not config.passcodes and config.provider == "okta"
    assert config.mapped_groups == ("chairs", "council", "engineering", "audit")


def test_without_a_section_passcodes_stay_on_and_no_provider_is_needed() -> None:
    assert sign_in_config(None, provider_configured=False) == SignInConfig()


@pytest.mark.parametrize(
    ("section", "key", "expected"),
    [
        ({"facilitator": ["x"], "members": ["m"]}, "prioritize.sign_in.facilitator", "one of"),
        ({"members": "council"}, "prioritize.sign_in.members", "a list of texts"),
        ({"members": ["council", 3]}, "prioritize.sign_in.members", "a list of texts"),
        ({"members": ["m"], "passcodes": "no"}, "prioritize.sign_in.passcodes", "true or"),
        ({"members": ["m"], "member_claim": ""}, "prioritize.sign_in.member_claim", "text"),
        ({"members": ["m"], "groups_claim": 1}, "prioritize.sign_in.groups_claim", "text"),
        (
            {"members": ["m"], "facilitators": ["m"]},
            "prioritize.sign_in.members",
            "one list only",
        ),
        ({}, "prioritize.sign_in", "at least one group"),
        ({"members": []}, "prioritize.sign_in", "at least one group"),
    ],
)
def test_a_wrong_section_names_the_key_the_value_and_what_was_expected(
    section: dict[str, Any], key: str, expected: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        sign_in_config(section, provider_configured=True)
    problem = caught.value.first
    assert problem.column == key and problem.file == "secrets.toml"
    assert expected in str(problem.expected)
    assert problem.value is not None


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(ValidationError) as caught:
        sign_in_config(
            {"members": "council", "passcodes": 1, "colour": "red"}, provider_configured=True
        )
    columns = {p.column for p in caught.value.problems}
    assert {
        "prioritize.sign_in.members",
        "prioritize.sign_in.passcodes",
        "prioritize.sign_in.colour",
    } <= columns


def test_passcodes_cannot_be_switched_off_without_a_provider() -> None:
    with pytest.raises(ValidationError, match="nobody could sign in"):
        sign_in_config({"passcodes": False}, provider_configured=False)


# --- groups to roles ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("groups", "role"),
    [
        (["council-chairs"], "facilitator"),
        (["council"], "member"),
        (["engineering"], "member"),
        (["auditors"], "observer"),
        (["auditors", "council"], "member"),
        (["council", "auditors", "council-chairs", "staff"], "facilitator"),
        (["staff"], None),
        ([], None),
        (["Council"], None),  # names are compared exactly
    ],
)
def test_groups_give_the_strongest_role_mapped(groups: list[str], role: str | None) -> None:
    assert role_for(groups, CONFIG) == role


_GROUPS = st.lists(
    st.sampled_from(["council-chairs", "council", "engineering", "auditors", "staff", "x"])
)


@given(_GROUPS, _GROUPS)
def test_more_groups_never_give_a_weaker_role(some: list[str], more: list[str]) -> None:
    strength = {None: 0, "observer": 1, "member": 2, "facilitator": 3}
    assert strength[role_for(some + more, CONFIG)] >= strength[role_for(some, CONFIG)]
    assert role_for(list(reversed(some)), CONFIG) == role_for(some, CONFIG)


# --- claims to an identity ----------------------------------------------------------------


def test_claims_give_id_name_department_and_groups() -> None:
    found = identity_from_claims(
        claims("Ana.Silva@example.com", "council", department="Finance", name="Ana Silva"),
        CONFIG,
    )
    assert found.id == "ana.silva_at_example.com" and found.claim == "Ana.Silva@example.com"
    assert (found.name, found.department, found.groups) == ("Ana Silva", "Finance", ("council",))


def test_a_single_group_sent_as_text_and_a_missing_name_are_understood() -> None:
    found = identity_from_claims({"email": "bo@example.com", "groups": "council"}, CONFIG)
    assert found.groups == ("council",) and found.name == "bo@example.com"
    assert found.department is None


def test_no_identifying_claim_is_refused_with_the_claim_named() -> None:
    with pytest.raises(AccessRefused, match="'email'") as caught:
        identity_from_claims({"sub": "123", "groups": ["council"]}, CONFIG)
    assert caught.value.groups == ("council",)


def _decode(member_id: str) -> str:
    """member_id_for backwards: shows that no two claim values share an id."""
    text = member_id[1:] if member_id.startswith("X") else member_id
    out, i = [], 0
    while i < len(text):
        if text[i] != "_":
            out.append(text[i])
            i += 1
        elif text[i + 1] == "_":
            out.append("_")
            i += 2
        else:
            end = text.index("_", i + 1)
            token = text[i + 1 : end]
            out.append("@" if token == "at" else chr(int(token, 16)))
            i = end + 1
    return "".join(out)


@given(st.text(min_size=1, max_size=60).filter(lambda t: t.strip()))
def test_every_claim_value_gives_a_store_id_that_only_it_gives(value: str) -> None:
    import unicodedata

    member_id = member_id_for(value)
    assert STORE_ID.match(member_id)
    assert _decode(member_id) == unicodedata.normalize("NFC", value.strip()).lower()


@pytest.mark.parametrize(
    ("value", "member_id"),
    [
        ("ana@example.com", "ana_at_example.com"),
        ("ANA@Example.COM", "ana_at_example.com"),
        ("a_b@example.com", "a__b_at_example.com"),
        ("a.b-c@example.com", "a.b-c_at_example.com"),
        ("m01", "m01"),
        ("+x@example.com", "X_2b_x_at_example.com"),
    ],
)
def test_readable_ids_for_email_addresses(value: str, member_id: str) -> None:
    assert member_id_for(value) == member_id


# --- signing in ---------------------------------------------------------------------------


def test_a_first_sign_in_creates_the_member_with_no_usable_passcode(store: Store) -> None:
    who = identity_from_claims(claims("ana@example.com", "council", department="Finance"), CONFIG)
    signed = sign_in(store, who, CONFIG)
    assert signed.created and not signed.kept_facilitator
    assert signed.session.member.role == "member"
    assert signed.member.department == "Finance"
    assert not signed.session.must_change_passcode
    assert provider_members(store) == {"ana_at_example.com"}
    for guess in ("", "company-sign-in$no-passcode", "no-passcode", "ana@example.com"):
        with pytest.raises(PermissionDenied, match="unknown member or wrong passcode"):
            store.session("ana_at_example.com", guess)
    with pytest.raises(PermissionDenied):
        signed.session.change_passcode("company-sign-in$no-passcode", "a new long passcode")


def test_the_department_defaults_when_no_claim_is_configured_or_sent(store: Store) -> None:
    config = SignInConfig(members=("council",), default_department="Head office")
    signed = sign_in(
        store, identity_from_claims(claims("bo@example.com", "council"), config), config
    )
    assert signed.member.department == "Head office"


def test_a_later_sign_in_takes_role_name_and_department_from_the_provider(store: Store) -> None:
    sign_in(
        store, identity_from_claims(claims("chair@example.com", "council-chairs"), CONFIG), CONFIG
    )
    first = identity_from_claims(claims("ana@example.com", "council", department="Sales"), CONFIG)
    sign_in(store, first, CONFIG)
    again = identity_from_claims(
        claims("Ana@example.com", "auditors", name="Ana Silva", department="Audit"), CONFIG
    )
    signed = sign_in(store, again, CONFIG)
    assert not signed.created
    member = store.council().loc["ana_at_example.com"]
    assert (member["name"], member["department"], member["role"]) == (
        "Ana Silva",
        "Audit",
        "observer",
    )
    # no department sent this time: the one the council has stays
    sign_in(store, identity_from_claims(claims("ana@example.com", "council"), CONFIG), CONFIG)
    assert store.council().loc["ana_at_example.com", "department"] == "Audit"


def test_an_unmapped_user_is_refused_and_no_member_is_created(store: Store) -> None:
    who = identity_from_claims(claims("eve@example.com", "staff", "sales"), CONFIG)
    with pytest.raises(AccessRefused, match=r"none of your groups \(staff, sales\)") as caught:
        sign_in(store, who, CONFIG)
    assert caught.value.groups == ("staff", "sales")
    assert store.council().empty
    nobody = identity_from_claims({"email": "eve@example.com"}, CONFIG)
    with pytest.raises(AccessRefused, match="sent no groups"):
        sign_in(store, nobody, CONFIG)
    assert store.council().empty


def test_a_member_removed_from_the_groups_is_refused_and_signed_out(store: Store) -> None:
    sign_in(
        store, identity_from_claims(claims("chair@example.com", "council-chairs"), CONFIG), CONFIG
    )
    ana = sign_in(store, identity_from_claims(claims("ana@example.com", "council"), CONFIG), CONFIG)
    token = ana.session.remember()
    assert store.resume(token) is not None
    with pytest.raises(AccessRefused):
        sign_in(store, identity_from_claims(claims("ana@example.com", "staff"), CONFIG), CONFIG)
    assert store.resume(token) is None
    assert store.council().loc["ana_at_example.com", "role"] == "member"  # history kept


def test_the_only_facilitator_stays_facilitator_until_another_signs_in(store: Store) -> None:
    chair = identity_from_claims(claims("chair@example.com", "council-chairs"), CONFIG)
    sign_in(store, chair, CONFIG)
    demoted = identity_from_claims(claims("chair@example.com", "council"), CONFIG)
    kept = sign_in(store, demoted, CONFIG)
    assert kept.kept_facilitator and kept.session.member.role == "facilitator"
    successor = identity_from_claims(claims("next@example.com", "council-chairs"), CONFIG)
    sign_in(store, successor, CONFIG)
    now = sign_in(store, demoted, CONFIG)
    assert not now.kept_facilitator and now.session.member.role == "member"


def test_a_deactivated_member_is_refused_whatever_the_groups(store: Store) -> None:
    chair = sign_in(
        store, identity_from_claims(claims("chair@example.com", "council-chairs"), CONFIG), CONFIG
    ).session
    sign_in(store, identity_from_claims(claims("ana@example.com", "council"), CONFIG), CONFIG)
    chair.set_active("ana_at_example.com", False)
    with pytest.raises(AccessRefused, match="no longer an active"):
        sign_in(store, identity_from_claims(claims("ana@example.com", "council"), CONFIG), CONFIG)


def test_a_provider_member_has_no_passcode_to_reset(store: Store) -> None:
    chair = sign_in(
        store, identity_from_claims(claims("chair@example.com", "council-chairs"), CONFIG), CONFIG
    ).session
    sign_in(store, identity_from_claims(claims("ana@example.com", "council"), CONFIG), CONFIG)
    with pytest.raises(PermissionDenied, match="company account"):
        chair.reset_passcode("ana_at_example.com")
    # still a provider member: the next company sign-in works
    again = sign_in(
        store, identity_from_claims(claims("ana@example.com", "council"), CONFIG), CONFIG
    )
    assert again.member.id == "ana_at_example.com"


def test_a_passcode_member_is_never_taken_over_through_the_provider(
    example_council: ExampleCouncil,
) -> None:
    store = example_council.store()
    config = SignInConfig(member_claim="preferred_username", facilitators=("chairs",))
    who = identity_from_claims({"preferred_username": "m02", "groups": ["chairs"]}, config)
    with pytest.raises(AccessRefused, match="signs in with a passcode"):
        sign_in(store, who, config)
    assert store.council().loc["m02", "role"] == "member"
    assert store.session("m02", "m02-demo").member.role == "member"


def test_a_provider_member_acts_with_the_role_the_groups_give(
    example_council: ExampleCouncil,
) -> None:
    store = example_council.store()
    example = example_council.example
    facilitator = store.session("m01", "m01-demo")
    chair = sign_in(
        store, identity_from_claims(claims("chair@example.com", "council-chairs"), CONFIG), CONFIG
    ).session
    viewer = sign_in(
        store, identity_from_claims(claims("aud@example.com", "auditors"), CONFIG), CONFIG
    ).session
    draft = facilitator.start_from(example.round.id, "Next round")
    chair.add_member(draft.id, "aud_at_example.com")
    with pytest.raises(PermissionDenied):
        viewer.add_member(draft.id, "chair_at_example.com")
