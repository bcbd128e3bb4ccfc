"""Company sign-in on the page (streamlit.testing): the provider's button beside (or
instead of) the passcode form, a user back from the provider signed in with the role their
groups give, a user of no mapped group refused with their groups named, claims shown as
text, a wrong configuration named, and sign-out ending both sessions."""

from __future__ import annotations

from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from prioritize.app import company, state
from prioritize.store import Store
from prioritize.store.example import ExampleImport
from tests.app.conftest import ROOT

AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "a-test-cookie-secret-of-some-length",
    "client_id": "prioritize",
    "client_secret": "secret",
    "server_metadata_url": "http://localhost:9999/.well-known/openid-configuration",
}
SIGN_IN = {
    "facilitators": ["council-chairs"],
    "members": ["council"],
    "observers": ["auditors"],
    "department_claim": "department",
    "provider_label": "Example SSO",
}


def app(sign_in: dict[str, Any] | None = None, user: dict[str, Any] | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.secrets["auth"] = AUTH
    at.secrets["prioritize"] = {"sign_in": SIGN_IN if sign_in is None else sign_in}
    at.user = user if user is not None else {"is_logged_in": False}
    return at


def back_from_provider(email: str, *groups: str, **claims: Any) -> dict[str, Any]:
    return {"is_logged_in": True, "email": email, "groups": list(groups), **claims}


def texts(at: AppTest) -> str:
    parts = (
        [m.value for m in at.markdown]
        + [e.value for e in at.error]
        + [i.value for i in at.info]
        + [w.value for w in at.warning]
        + [t.value for t in at.title]
        + [c.value for c in at.caption]
        + [c.value for c in at.code]
    )
    # user text is escaped for Markdown (prioritize.app.text.plain): compare it unescaped
    return "\n".join(str(p) for p in parts).replace("\\", "")


def test_the_provider_button_and_the_passcode_form(council: tuple[Store, ExampleImport]) -> None:
    at = app().run()
    assert not at.exception
    assert at.button(key="sign-in-provider").label == "Sign in with Example SSO"
    assert at.selectbox(key="sign-in-member").options  # passcodes stay on by default


def test_passcode_sign_in_switched_off(council: tuple[Store, ExampleImport]) -> None:
    at = app({**SIGN_IN, "passcodes": False}).run()
    assert not at.exception
    assert at.button(key="sign-in-provider")
    assert not at.selectbox and not at.text_input


def test_a_facilitator_back_from_the_provider_is_signed_in(
    council: tuple[Store, ExampleImport],
) -> None:
    store, _ = council
    at = app(
        user=back_from_provider(
            "Chair@Example.com", "staff", "council-chairs", name="Carla Chair", department="Ops"
        )
    ).run()
    assert not at.exception, at.exception
    current = at.session_state[state.SESSION_KEY]
    assert current.member_id == "chair_at_example.com"
    assert current.member.role == "facilitator"
    assert "Carla Chair" in "\n".join(str(m.value) for m in at.sidebar.markdown)
    member = store.council().loc["chair_at_example.com"]
    assert (member["name"], member["department"]) == ("Carla Chair", "Ops")
    # a browser token, like a passcode sign-in: the rest of the app sees a normal session
    assert store.resume(at.session_state[state.TOKEN_KEY]) is not None
    assert not any("passcode" in str(b.label).lower() for b in at.sidebar.button)


def test_a_member_back_from_the_provider_has_the_member_role(
    council: tuple[Store, ExampleImport],
) -> None:
    at = app(user=back_from_provider("ana@example.com", "council")).run()
    assert not at.exception
    assert at.session_state[state.SESSION_KEY].member.role == "member"


def test_a_user_of_no_mapped_group_is_refused_with_their_groups_named(
    council: tuple[Store, ExampleImport],
) -> None:
    store, _ = council
    before = len(store.council())
    at = app(user=back_from_provider("eve@example.com", "staff", "sales")).run()
    assert not at.exception
    assert "No access to the council" in texts(at)
    assert "staff, sales" in texts(at) and "is mapped to a council role" in texts(at)
    assert at.button(key="no-access-sign-out")
    assert state.SESSION_KEY not in at.session_state
    assert len(store.council()) == before  # no member row for them


def test_claims_are_shown_as_typed_never_as_markup(council: tuple[Store, ExampleImport]) -> None:
    refused = app(
        user=back_from_provider("eve@example.com", "**bold** [x](http://evil.example)")
    ).run()
    assert not refused.exception
    message = "\n".join(str(e.value) for e in refused.error)
    assert "\\*\\*bold\\*\\* \\[x\\]\\(http" in message  # escaped, not rendered
    assert "**bold** [x](http://evil.example)" in [c.value for c in refused.code]  # literal
    member = app(
        user=back_from_provider("mal@example.com", "council", name="![img](http://e.x/a)")
    ).run()
    sidebar = "\n".join(str(m.value) for m in member.sidebar.markdown)
    assert "\\!\\[img\\]" in sidebar and "![img]" not in sidebar


def test_a_wrong_section_is_named_on_every_page(council: tuple[Store, ExampleImport]) -> None:
    at = app({"members": "council", "passcodes": "no"}).run()
    assert not at.exception
    message = "\n".join(str(e.value) for e in at.error).replace("\\", "")
    assert "column 'prioritize.sign_in.members': not a list of group names" in message
    assert "column 'prioritize.sign_in.passcodes': not true or false" in message


def test_sign_out_ends_the_council_session_and_the_providers(
    council: tuple[Store, ExampleImport],
) -> None:
    store, _ = council
    at = app(user=back_from_provider("ana@example.com", "council")).run()
    token = at.session_state[state.TOKEN_KEY]
    at.sidebar.button(key="sign-out").click().run()
    assert not at.exception
    assert store.resume(token) is None
    assert at.user.get("is_logged_in") is False  # st.logout was called
    # the browser follows st.logout's redirect into a new run: the sign-in page
    assert "Sign in to the council" in texts(at.run())


def test_without_a_provider_nothing_changes(council: tuple[Store, ExampleImport]) -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    assert not at.exception
    assert company.REFUSED_KEY not in at.session_state
    assert not [b for b in at.button if b.key == "sign-in-provider"]
    assert at.selectbox(key="sign-in-member").options


@pytest.mark.parametrize("passcodes", [True, False])
def test_an_empty_council_with_a_provider_waits_for_its_first_facilitator(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch, passcodes: bool
) -> None:
    from prioritize.store import DB_ENV

    db = tmp_path / "council.db"
    monkeypatch.setenv(DB_ENV, str(db))
    at = app({**SIGN_IN, "passcodes": passcodes}).run()
    assert not at.exception
    assert at.button(key="sign-in-provider")  # not the passcode set-up page
    at = app(user=back_from_provider("chair@example.com", "council-chairs")).run()
    assert at.session_state[state.SESSION_KEY].member.role == "facilitator"
    assert list(Store(db).council().index) == ["chair_at_example.com"]


def test_prioritize_app_passes_one_secrets_file_to_streamlit(tmp_path: Any) -> None:
    import argparse
    import io

    from prioritize.cli.app import add_arguments, run, streamlit_command

    secrets = tmp_path / "secrets.toml"
    command = streamlit_command(8501, secrets=secrets)
    assert command[command.index("--secrets.files") + 1] == str(secrets)
    assert "--secrets.files" not in streamlit_command(8501)
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    out = io.StringIO()
    args = parser.parse_args(["--db", str(tmp_path / "c.db"), "--secrets", str(secrets)])
    assert run(args, out) == 2  # no such file: said, and nothing started
    assert "no secrets file at" in out.getvalue()
