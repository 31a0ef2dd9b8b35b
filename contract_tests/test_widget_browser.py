"""The served widget in a real browser: postMessage to the host, WebView navigations, escaping."""
from __future__ import annotations

from urllib.parse import quote

import pytest

from contract_tests import browser
from contract_tests.widget_support import assert_valid_event, mint

pytestmark = pytest.mark.sandbox_only


def select_mx_bank(frame) -> None:
    """Keyboard where a user would type: search, then Enter; pick MX Bank from the results."""
    frame.locator("#search").fill("MX Bank")
    frame.locator("#search").press("Enter")
    frame.locator("#results-for").wait_for()
    frame.locator("button[data-code=mxbank]").click()
    frame.locator("[data-step=enterCreds]").wait_for()


def sign_in(frame, password: str) -> None:
    frame.get_by_label("Username").fill("mxuser")
    frame.get_by_label("Password").fill(password)
    frame.get_by_label("Password").press("Enter")
    frame.locator("[data-step=connecting]").wait_for()


def test_iframe_journey_posts_mx_events_to_the_host(mx, host, page, tmp_path):
    mx.freeze()
    user = mx.create_user()
    page.goto(f"{host}?src={quote(mint(mx, user['guid']), safe='')}")
    frame = page.frame_locator("#widget")
    select_mx_bank(frame)
    sign_in(frame, "challenge")
    mx.advance(2)
    frame.locator("[data-step=mfa]").wait_for()
    answer = frame.get_by_label("What city were you born in?")
    answer.fill("correct")
    answer.press("Enter")
    frame.locator("[data-step=connecting]").wait_for()
    mx.advance(5)
    frame.locator("[data-step=connected]").wait_for()
    page.screenshot(path=str(tmp_path / "widget-connected.png"))
    frame.get_by_role("button", name="Done").click()
    page.wait_for_function("window.received.some(m => m.type === 'mx/connect/connected/primaryAction')")

    received = page.evaluate("window.received")
    types = [m["type"] for m in received]
    for wanted in ["mx/connect/loaded", "mx/connect/selectedInstitution", "mx/connect/enterCredentials",
                   "mx/connect/memberStatusUpdate", "mx/connect/submitMFA", "mx/connect/memberConnected"]:
        assert wanted in types
    assert types.index("mx/connect/loaded") < types.index("mx/connect/selectedInstitution") < types.index(
        "mx/connect/enterCredentials") < types.index("mx/connect/submitMFA") < types.index("mx/connect/memberConnected")
    statuses = [m["metadata"]["connection_status"] for m in received if m["type"] == "mx/connect/memberStatusUpdate"]
    assert statuses == [0, 3, 18, 6]
    connected = next(m for m in received if m["type"] == "mx/connect/memberConnected")
    member_guid = connected["metadata"]["member_guid"]
    submitted = next(m for m in received if m["type"] == "mx/connect/submitMFA")
    assert submitted["metadata"]["member_guid"] == member_guid and connected["metadata"]["user_guid"] == user["guid"]
    for message in received:
        assert_valid_event(message)
    # the host got exactly what the server recorded, in the same order
    assert received == [e["data"]["message"] for e in mx.events(kind="widget")]
    member = mx.get(f"/users/{user['guid']}/members/{member_guid}").json()["member"]
    assert member["connection_status"] == "CONNECTED"


def scripted(page, values: dict[str, str], submit: str) -> None:
    """Fill and submit with script, not trusted input: a navigation to an unknown scheme made with
    user activation opens Chromium's external-protocol prompt, which a WebView host never shows."""
    page.evaluate("""([values, submit]) => {
        for (const [sel, v] of Object.entries(values)) document.querySelector(sel).value = v;
        document.querySelector(submit).closest("form").requestSubmit();
    }""", [values, submit])


def test_webview_mode_navigates_to_scheme_urls(mx, context):
    mx.freeze()
    user = mx.create_user()
    page = context.new_page()
    navigations: list[str] = []
    page.on("request", lambda r: navigations.append(r.url) if r.url.startswith("mx://") else None)
    try:
        page.goto(mint(mx, user["guid"], is_mobile_webview=True), wait_until="commit")
        page.locator("#search").wait_for(state="attached")  # "commit" returns before the page's scripts ran
        scripted(page, {"#search": "MX Bank"}, "#search")
        page.locator("#results-for").wait_for()
        page.locator("button[data-code=mxbank]").dispatch_event("click")
        page.locator("[data-step=enterCreds]").wait_for()
        fields = page.locator("form input").evaluate_all("els => els.map(e => '#' + CSS.escape(e.id))")
        scripted(page, dict(zip(fields, ["mxuser", "password"])), fields[0])
        page.locator("[data-step=connecting]").wait_for()
        mx.advance(5)
        page.locator("[data-step=connected]").wait_for()
        expected = [e["data"]["webview_url"] for e in mx.events(kind="widget")]
        for _ in range(100):  # the page spaces navigations out; wait until the last one went
            if len(navigations) >= len(expected):
                break
            page.wait_for_timeout(50)
    finally:
        page.goto("about:blank")
    assert navigations[0] == "mx://load?metadata=%7B%7D"
    assert navigations == expected
    assert any(u.startswith("mx://connect/memberConnected?metadata=%7B%22user_guid%22") for u in navigations)


def test_search_renders_markup_as_text(mx, host, page):
    mx.freeze()
    user = mx.create_user()
    page.goto(f"{host}?src={quote(mint(mx, user['guid']), safe='')}")
    frame = page.frame_locator("#widget")
    payload = "<img src=x onerror=alert(1)>"
    frame.locator("#search").fill(payload)
    frame.locator("#search").press("Enter")
    frame.locator("#results-for").wait_for()
    assert payload in frame.locator("#results-for").inner_text()
    assert frame.locator("img").count() == 0
    page.wait_for_function("window.received.some(m => m.type === 'mx/connect/institutionSearch')")
    searches = [m for m in page.evaluate("window.received") if m["type"] == "mx/connect/institutionSearch"]
    assert searches[-1]["metadata"]["query"] == payload
    assert page.dialogs == []
