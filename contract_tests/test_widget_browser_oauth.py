"""OAuth and microdeposits in a real browser: the consent popup, the WebView app-scheme loop, the
microdeposit forms. Fixtures and helpers are the ones test_widget_browser.py uses."""
from __future__ import annotations

import json
from urllib.parse import parse_qs, quote, unquote, urlsplit

import pytest

from contract_tests.test_microdeposits import DEPOSIT_SECONDS, amounts
from contract_tests.test_widget_browser import scripted
from contract_tests.widget_support import assert_valid_anywhere, assert_valid_event, mint

pytestmark = pytest.mark.sandbox_only


def open_oauth_popup(mx, host, page):  # noqa: F811
    """Host page → widget iframe → MX Bank (OAuth) → Sign-in: returns (frame, user, bank popup)."""
    mx.freeze()
    user = mx.create_user()
    page.goto(f"{host}?src={quote(mint(mx, user['guid']), safe='')}")
    frame = page.frame_locator("#widget")
    frame.locator("#search").fill("MX Bank (OAuth)")
    frame.locator("#search").press("Enter")
    frame.locator("button[data-code=mx_bank_oauth]").click()
    with page.context.expect_page() as opened:
        frame.get_by_role("button", name="Go to MX Bank (OAuth)").click()
    return frame, user, opened.value


def test_oauth_popup_consent_connects(mx, host, page):  # noqa: F811
    frame, user, bank = open_oauth_popup(mx, host, page)
    bank.get_by_role("button", name="Authorize").click()
    mx.advance(5)
    frame.locator("[data-step=connected]").wait_for()
    page.wait_for_function("window.received.some(m => m.type === 'mx/connect/memberConnected')")
    received = page.evaluate("window.received")
    requested = next(m for m in received if m["type"] == "mx/connect/oauthRequested")["metadata"]
    member = mx.get(f"/users/{user['guid']}/members/{requested['member_guid']}").json()["member"]
    assert member["connection_status"] == "CONNECTED" and member["is_oauth"] is True
    assert requested["url"].startswith(mx.target.base_url + "/oauth/mx_bank_oauth/authorize?")
    assert [m["type"] for m in received if m["type"] in (
        "mx/connect/oauthRequested", "mx/connect/memberStatusUpdate", "mx/connect/memberConnected")] == [
        "mx/connect/oauthRequested", "mx/connect/memberStatusUpdate", "mx/connect/memberConnected"]
    for message in received:
        assert_valid_event(message)


def test_oauth_popup_deny_is_an_oauth_error(mx, host, page):  # noqa: F811
    frame, user, bank = open_oauth_popup(mx, host, page)
    bank.get_by_role("button", name="Deny").click()
    frame.locator("[data-step=oauthError]").wait_for()
    page.wait_for_function("window.received.some(m => m.type === 'mx/connect/oauthError')")
    received = page.evaluate("window.received")
    types = [m["type"] for m in received]
    assert types.index("mx/connect/oauthRequested") < types.index("mx/connect/oauthError")
    assert "mx/connect/memberConnected" not in types
    member_guid = next(m for m in received if m["type"] == "mx/connect/oauthRequested")["metadata"]["member_guid"]
    assert next(m for m in received if m["type"] == "mx/connect/oauthError")["metadata"]["member_guid"] == member_guid
    member = mx.get(f"/users/{user['guid']}/members/{member_guid}").json()["member"]
    assert member["connection_status"] == "DENIED"
    for message in received:
        assert_valid_event(message)


def metadata_of(url: str) -> dict:
    return json.loads(unquote(url.split("?metadata=", 1)[1]))


def wait_for(page, found, what: str) -> None:  # noqa: F811
    for _ in range(200):  # navigations are spaced out by the page; 10 s at most
        if found():
            return
        page.wait_for_timeout(50)
    raise AssertionError(f"timed out waiting for {what}")


def test_webview_oauth_app_scheme_loop(mx, context):  # noqa: F811
    """MX's WebView loop (mx-facts §4.5): oauthRequested navigation → the app opens the URL in the
    system browser → appscheme://oauth_complete → the app posts oauthComplete/success → connected."""
    mx.freeze()
    user = mx.create_user()
    widget = context.new_page()
    navigations: list[str] = []
    widget.on("request", lambda r: navigations.append(r.url) if r.url.startswith("appscheme://") else None)
    system_browser = context.new_page()
    pages = len(context.pages)
    try:
        widget.goto(mint(mx, user["guid"], is_mobile_webview=True, ui_message_webview_url_scheme="appscheme"),
                    wait_until="commit")
        widget.locator("#search").wait_for()
        scripted(widget, {"#search": "mx_bank_oauth"}, "#search")
        widget.locator("button[data-code=mx_bank_oauth]").dispatch_event("click")
        widget.locator("[data-step=oauth]").wait_for()
        widget.get_by_role("button", name="Go to MX Bank (OAuth)").dispatch_event("click")
        wait_for(widget, lambda: any(u.startswith("appscheme://connect/oauthRequested?") for u in navigations),
                 "the oauthRequested navigation")
        requested = metadata_of(next(u for u in navigations if u.startswith("appscheme://connect/oauthRequested?")))
        assert requested["user_guid"] == user["guid"] and requested["member_guid"].startswith("MBR-")
        assert len(context.pages) == pages  # in WebView mode the widget opens nothing itself

        system_browser.goto(requested["url"])
        with system_browser.expect_response(lambda r: r.request.method == "POST") as answer:
            system_browser.get_by_role("button", name="Authorize").click(no_wait_after=True)
        location = answer.value.headers["location"]
        parts = urlsplit(location)
        assert (parts.scheme, parts.netloc) == ("appscheme", "oauth_complete")
        assert {k: v[0] for k, v in parse_qs(parts.query).items()} == {
            "status": "success", "member_guid": requested["member_guid"]}

        widget.evaluate("""(guid) => window.postMessage(
            {mx: true, type: "oauthComplete/success", metadata: {member_guid: guid}}, "*")""", requested["member_guid"])
        widget.locator("[data-step=connecting]").wait_for()
        mx.advance(10)
        widget.locator("[data-step=connected]").wait_for()
        expected = [e["data"]["webview_url"] for e in mx.events(kind="widget")]
        wait_for(widget, lambda: len(navigations) >= len(expected), "every navigation")
    finally:
        widget.goto("about:blank")
    assert navigations == expected
    connected = [metadata_of(u) for u in navigations if u.startswith("appscheme://connect/memberConnected?")]
    assert [m["member_guid"] for m in connected] == [requested["member_guid"]]
    member = mx.get(f"/users/{user['guid']}/members/{requested['member_guid']}").json()["member"]
    assert member["connection_status"] == "CONNECTED"


def test_microdeposit_forms(mx, host, page):  # noqa: F811
    mx.freeze()
    user = mx.create_user()
    verify = {"data_request": {"products": ["account_verification"]}}
    page.goto(f"{host}?src={quote(mint(mx, user['guid'], **verify), safe='')}")
    frame = page.frame_locator("#widget")
    frame.get_by_role("button", name="Connect with account and routing numbers").click()
    frame.locator("[data-step=microdeposits]").wait_for()
    frame.get_by_label("Account type").select_option("SAVINGS")
    for label, value in [("Routing number", "222222226"), ("Account number", "333312345"), ("First name", "Dave"),
                         ("Last name", "Smith"), ("Email", "dave@example.com")]:
        frame.get_by_label(label).fill(value)
    frame.get_by_role("button", name="Continue").click()
    page.wait_for_function("window.received.some(m => m.type === 'mx/connect/microdeposits/blockedRoutingNumber')")
    frame.locator("#step-error").filter(has_text="222222226").wait_for()
    frame.get_by_label("Routing number").fill("091000019")  # the rest of the form is kept
    frame.get_by_role("button", name="Continue").click()
    page.wait_for_function("window.received.some(m => m.type === 'mx/connect/microdeposits/detailsSubmitted')")
    md_guid = next(m for m in page.evaluate("window.received")
                   if m["type"] == "mx/connect/microdeposits/detailsSubmitted")["metadata"]["microdeposit_guid"]
    mx.advance(DEPOSIT_SECONDS)
    frame.locator("#md-status[data-status=DEPOSITED]").wait_for()  # the page noticed the deposits
    a1, a2 = amounts(mx, {"guid": md_guid})
    frame.get_by_label("First amount").fill(str(a1))
    frame.get_by_label("Second amount").fill(str(a2))
    frame.get_by_role("button", name="Verify").click()
    frame.locator("#md-status[data-status=VERIFIED]").wait_for()
    page.wait_for_function("window.received.some(m => m.type === 'mx/connect/microdeposits/verified')")
    received = page.evaluate("window.received")
    assert received == [e["data"]["message"] for e in mx.events(kind="widget")]
    assert_valid_anywhere(received)
    md = mx.get(f"/users/{user['guid']}/micro_deposits/{md_guid}").json()["micro_deposit"]
    assert md["status"] == "VERIFIED" and md["account_type"] == "SAVINGS"
