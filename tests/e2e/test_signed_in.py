"""Staying signed in, in a real browser: a reload, a new tab and a deep link keep the member
signed in (a token in a cookie, checked with the store on every run); a deep link opened
signed out lands where it pointed after signing in; signing out, or a passcode reset by
the facilitator, ends it."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from tests.e2e.conftest import TIMEOUT_MS, Server
from tests.e2e.test_browser import _STREAMS, a_run, go, idle, main, session_cookie, sign_in, title


def _arrive(page: Any, url: str, heading: str) -> None:
    """Open ``url`` in ``page`` and wait until it shows ``heading`` and is idle."""
    page.goto(url)
    expect(title(page)).to_contain_text(heading)
    idle(page)


def test_reload_new_tab_and_deep_link_keep_the_member_signed_in(
    browser: Any, server: Server
) -> None:
    jonas = sign_in(browser, server, "Jonas Weber", "m02-demo")
    cookie = session_cookie(jonas)
    assert cookie["sameSite"] == "Strict"
    assert "m02-demo" not in cookie["value"]  # a token, never the passcode
    assert cookie["value"] not in jonas.url
    go(jonas, "Compare rounds")
    assert jonas.url.endswith("/compare")
    jonas.reload()
    expect(title(jonas)).to_have_text("Compare rounds")
    expect(jonas.get_by_test_id("stSidebar")).to_contain_text("Jonas Weber")
    other_tab = jonas.context.new_page()
    other_tab.set_default_timeout(TIMEOUT_MS)
    _arrive(other_tab, f"{server.url}/export", "Export")
    expect(other_tab.get_by_test_id("stSidebar")).to_contain_text("Jonas Weber")
    # signing out ends the token: the other tab signs in again at its next run
    with a_run(jonas):
        jonas.click(".st-key-sign-out button")
    expect(main(jonas)).to_contain_text("Sign in to the council")
    _arrive(other_tab, f"{server.url}/export", "Sign in to the council")
    jonas.context.close()


def test_a_deep_link_opened_signed_out_lands_where_it_pointed(browser: Any, server: Server) -> None:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.on("websocket", lambda stream: _STREAMS.__setitem__(page, stream))
    _arrive(page, f"{server.url}/compare", "Sign in to the council")
    page.click(".st-key-sign-in-member input")
    page.get_by_role("option", name="Lucía Fernández").click()
    page.fill(".st-key-sign-in-passcode input", "m03-demo")
    with a_run(page):
        page.click(".st-key-sign-in-submit button")
    expect(title(page)).to_have_text("Compare rounds")
    assert page.url.endswith("/compare")
    context.close()


def test_a_passcode_reset_signs_the_member_out_everywhere(browser: Any, server: Server) -> None:
    hannah = sign_in(browser, server, "Hannah Okafor", "m05-demo")
    go(hannah, "Value matrix")
    server.store.session("m01", "m01-demo").reset_passcode("m05")
    hannah.reload()
    expect(main(hannah)).to_contain_text("Sign in to the council")
    hannah.context.close()


def test_on_a_phone_the_sidebar_folds_away_once_a_page_is_chosen(
    browser: Any, server: Server
) -> None:
    jonas = sign_in(browser, server, "Jonas Weber", "m02-demo")
    phone = jonas.context.new_page()  # the same browser, so signed in by its cookie
    phone.set_viewport_size({"width": 390, "height": 844})
    phone.set_default_timeout(TIMEOUT_MS)
    _STREAMS.pop(phone, None)
    phone.on("websocket", lambda stream: _STREAMS.__setitem__(phone, stream))
    _arrive(phone, server.url, "Round #")
    sidebar = phone.get_by_test_id("stSidebar")
    expect(sidebar).to_have_attribute("data-collapsed", "true")  # a phone starts folded
    phone.get_by_test_id("stExpandSidebarButton").click()
    expect(sidebar).to_have_attribute("data-collapsed", "false")
    with a_run(phone):
        phone.locator("[data-testid='stSidebarNavLink']", has_text="Debate").click()
    expect(title(phone)).to_have_text("Debate")
    expect(sidebar).to_have_attribute("data-collapsed", "true")  # the page, not the menu
    jonas.context.close()
