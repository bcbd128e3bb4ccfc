"""Company sign-in end to end: a real OpenID Connect provider on localhost (the
``oidc-provider-mock`` package: a Flask app in a thread of this process, its users' claims
set through its HTTP API, the subject typed into its authorization form), a real
``prioritize app`` started with a secrets file holding ``[auth]`` and
``[prioritize.sign_in]``, and Chromium. A member of the facilitators' group reveals a
round; a member of the members' group scores but has no reveal; a user of no mapped group
is refused and told why; sign-out ends the council session and the provider's."""

from __future__ import annotations

import json
import os
import socket
import threading
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from prioritize.store import Store
from prioritize.store.identity import SignInConfig, identity_from_claims, sign_in
from tests.conftest import ExampleCouncil
from tests.e2e.conftest import TIMEOUT_MS, running_app
from tests.e2e.test_browser import (
    _STREAMS,
    a_run,
    answer,
    go,
    idle,
    main,
    save_button,
    session_cookie,
    title,
)

#: The provider's users: their claims as the company's directory would send them.
USERS: dict[str, dict[str, Any]] = {
    "carla@example.com": {
        "email": "carla@example.com",
        "name": "Carla Chair",
        "groups": ["staff", "council-chairs"],
        "department": "Operations",
    },
    "ana@example.com": {
        "email": "ana@example.com",
        "name": "Ana Silva",
        "groups": ["council"],
        "department": "Finance",
    },
    "eve@example.com": {
        "email": "eve@example.com",
        "name": "Eve Outsider",
        "groups": ["staff", "sales"],
    },
}
SECRETS = """\
[auth]
redirect_uri = "http://127.0.0.1:{{port}}/oauth2callback"
cookie_secret = "an-e2e-cookie-secret-not-used-anywhere-else"
client_id = "prioritize-council"
client_secret = "not-checked-by-the-mock"
server_metadata_url = "{provider}/.well-known/openid-configuration"

[prioritize.sign_in]
facilitators = ["council-chairs"]
members = ["council"]
observers = ["auditors"]
department_claim = "department"
provider_label = "Example SSO"
"""


@dataclass
class Council:
    url: str
    store: Store
    #: a scoring round the members' group scores in (Ana is added to it)
    scoring_round: int
    #: the newest round, in scoring with one score: the facilitator reveals it
    reveal_round: int


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def provider() -> Iterator[str]:
    """The OpenID Connect provider on a free loopback port, its users' claims set through
    its own HTTP API (PUT /users/<sub>)."""
    import oidc_provider_mock
    import werkzeug.serving

    os.environ["AUTHLIB_INSECURE_TRANSPORT"] = "1"  # plain http on loopback, in tests only
    server = werkzeug.serving.make_server(
        "127.0.0.1", _free_port(), oidc_provider_mock.app(), threaded=True
    )
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1})
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}"
    try:
        for sub, claims in USERS.items():
            request = urllib.request.Request(
                f"{url}/users/{sub}",
                data=json.dumps(claims).encode(),
                method="PUT",
                headers={"Content-Type": "application/json"},
            )
            with urllib.request.urlopen(request, timeout=10) as answer_:
                assert answer_.status == 204
        yield url
    finally:
        server.shutdown()
        thread.join(10)
        os.environ.pop("AUTHLIB_INSECURE_TRANSPORT", None)


@pytest.fixture(scope="module")
def council(
    tmp_path_factory: pytest.TempPathFactory, example_template: ExampleCouncil, provider: str
) -> Iterator[Council]:
    folder = tmp_path_factory.mktemp("company-server")
    copy = example_template.copy(folder)
    store, example = copy.store(), copy.example
    facilitator = store.session("m01", "m01-demo")
    scoring = facilitator.start_from(example.round.id, "Scored by the members' group")
    facilitator.start_scoring(scoring.id)
    reveal = facilitator.start_from(example.round.id, "Revealed by the facilitators' group")
    facilitator.start_scoring(reveal.id)
    store.session("m04", "m04-demo").submit_score(
        reveal.id, "REQ-028", "customer_impact", 3, "seeded by the test server"
    )
    # the secrets file lives outside the app's folder and the user's home: --secrets
    secrets = tmp_path_factory.mktemp("secrets") / "secrets.toml"
    secrets.write_text(SECRETS.format(provider=provider), encoding="utf-8")
    with running_app(folder, copy.path, "--secrets", str(secrets)) as url:
        yield Council(url, store, scoring.id, reveal.id)


def _browser_page(browser: Any) -> Any:
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.on("websocket", lambda stream: _STREAMS.__setitem__(page, stream))
    return page


def company_sign_in(browser: Any, council: Council, sub: str) -> Any:
    """A new browser: the sign-in page, "Sign in with Example SSO", the provider's form
    with the subject typed in, and back to the app."""
    page = _browser_page(browser)
    page.goto(council.url)
    button = page.locator(".st-key-sign-in-provider button")
    expect(button).to_contain_text("Sign in with Example SSO")
    idle(page)
    button.click()
    expect(page.get_by_role("heading", name="Authorize Client")).to_be_visible()
    page.fill("input[name=sub]", sub)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(f"{council.url}/**")
    idle(page)
    return page


def end_provider_session(page: Any, council: Council) -> None:
    """st.logout sends the browser to the provider's end-session page; confirm it and
    come back to the app."""
    expect(page.get_by_role("heading", name="End Session")).to_be_visible()
    page.get_by_role("button", name="End session").click()
    page.wait_for_url(f"{council.url}/**")
    expect(title(page)).to_have_text("Sign in to the council")
    expect(page.locator(".st-key-sign-in-provider button")).to_be_visible()


def test_a_member_of_the_facilitators_group_signs_in_and_reveals(
    browser: Any, council: Council, shots: Path
) -> None:
    carla = company_sign_in(browser, council, "carla@example.com")
    expect(carla.get_by_test_id("stSidebar")).to_contain_text("Carla Chair")
    expect(carla.get_by_test_id("stSidebar")).to_contain_text("Operations · facilitator")
    expect(title(carla)).to_contain_text("Revealed by the facilitators' group")
    carla.screenshot(path=str(shots / "company-facilitator-signed-in.png"), full_page=True)
    with a_run(carla):
        carla.click(".st-key-advance-round button")
    dialog = carla.get_by_test_id("stDialog")
    expect(dialog).to_contain_text("nobody can score blind again")
    idle(carla)
    with a_run(carla):
        carla.click(".st-key-confirm-advance button")
    expect(main(carla)).to_contain_text("DEBATE")
    idle(carla)
    assert council.store.session("m01", "m01-demo").round(council.reveal_round).state == "debate"
    member = council.store.council().loc["carla_at_example.com"]
    assert (member["name"], member["role"]) == ("Carla Chair", "facilitator")
    carla.screenshot(path=str(shots / "company-facilitator-revealed.png"), full_page=True)
    carla.context.close()


def test_a_member_of_the_members_group_scores_but_cannot_reveal(
    browser: Any, council: Council, shots: Path
) -> None:
    ana = company_sign_in(browser, council, "ana@example.com")
    expect(ana.get_by_test_id("stSidebar")).to_contain_text("Ana Silva")
    expect(ana.get_by_test_id("stSidebar")).to_contain_text("Finance · member")
    # created on her first sign-in; the facilitator adds her to the round
    expect(main(ana)).to_contain_text("You are not a member of any round yet")
    council.store.session("m01", "m01-demo").add_member(council.scoring_round, "ana_at_example.com")
    ana.reload()  # her cookie keeps her signed in
    expect(title(ana)).to_contain_text("Scored by the members' group")
    expect(ana.locator(".st-key-advance-round button")).to_have_count(0)
    assert "Prepare a round" not in ana.get_by_test_id("stSidebar").inner_text()
    go(ana, "Score")
    answer(ana, council.scoring_round, "REQ-001", "customer_impact", "4")
    with a_run(ana):
        save_button(ana).click()
    expect(ana.get_by_test_id("stToast").filter(has_text="Saved 1 answer")).to_be_visible()
    idle(ana)
    # blind: only she reads her scores; her session as the store's company sign-in gives it
    config = SignInConfig(members=("council",), department_claim="department")
    hers = sign_in(council.store, identity_from_claims(USERS["ana@example.com"], config), config)
    scores = hers.session.scores(council.scoring_round)
    mine = scores[scores["member"] == "ana_at_example.com"]
    assert mine[["requirement_id", "criterion", "score"]].values.tolist() == [
        ["REQ-001", "customer_impact", 4.0]
    ]
    ana.screenshot(path=str(shots / "company-member-scored.png"), full_page=True)
    ana.context.close()


def test_a_user_of_no_mapped_group_is_refused_and_signs_out(
    browser: Any, council: Council, shots: Path
) -> None:
    eve = company_sign_in(browser, council, "eve@example.com")
    expect(title(eve)).to_have_text("No access to the council")
    expect(main(eve)).to_contain_text("none of your groups (staff, sales) is mapped")
    expect(main(eve).get_by_test_id("stCode")).to_contain_text("sales")
    assert "eve_at_example.com" not in council.store.council().index
    eve.screenshot(path=str(shots / "company-refused.png"), full_page=True)
    eve.click(".st-key-no-access-sign-out button")
    end_provider_session(eve, council)
    eve.context.close()


def test_sign_out_ends_the_council_session_and_the_providers(
    browser: Any, council: Council, shots: Path
) -> None:
    ana = company_sign_in(browser, council, "ana@example.com")
    expect(ana.get_by_test_id("stSidebar")).to_contain_text("Ana Silva")
    idle(ana)
    token = session_cookie(ana)["value"]
    assert council.store.resume(token) is not None
    ana.click(".st-key-sign-out button")
    end_provider_session(ana, council)
    assert council.store.resume(token) is None
    ana.screenshot(path=str(shots / "company-signed-out.png"), full_page=True)
    # the app does not sign her back in by itself: the provider's button is there again
    ana.reload()
    expect(title(ana)).to_have_text("Sign in to the council")
    ana.context.close()
