"""A person types `scenario:<name>` credentials into the real widget page and sees the scripted journey."""
from __future__ import annotations

from urllib.parse import quote

import pytest

from contract_tests.test_widget_browser import select_mx_bank
from contract_tests.widget_support import mint

pytestmark = pytest.mark.sandbox_only


def test_typed_scenario_credentials_follow_the_script(mx, host, page):
    """scenarios/scripted-two-challenges.yml: two challenges in a row, 20 s sign-ins, then connected."""
    mx.freeze()
    user = mx.create_user()
    page.goto(f"{host}?src={quote(mint(mx, user['guid']), safe='')}")
    frame = page.frame_locator("#widget")
    select_mx_bank(frame)
    frame.get_by_label("Username").fill("scenario:scripted-two-challenges")
    frame.get_by_label("Password").fill("anything")
    frame.get_by_label("Password").press("Enter")
    frame.locator("[data-step=connecting]").wait_for()

    mx.advance(19)  # the script's sign-in takes 20 s, not MX Bank's 2 s
    frame.locator("[data-step=connecting]").wait_for()
    mx.advance(1)
    frame.locator("[data-step=mfa]").wait_for()
    question = frame.get_by_label("What city were you born in?")
    question.fill("correct")
    question.press("Enter")
    frame.locator("[data-step=connecting]").wait_for()  # the answer reached the server before time moves
    mx.advance(20)
    frame.locator("[data-step=mfa] fieldset").wait_for()  # the second challenge: options
    frame.get_by_label("Green").check()
    frame.get_by_role("button", name="Continue").click()
    frame.locator("[data-step=connecting]").wait_for()
    mx.advance(20)
    mx.advance(40)
    frame.locator("[data-step=connected]").wait_for()
    page.wait_for_function("window.received.some(m => m.type === 'mx/connect/memberConnected')")

    received = page.evaluate("window.received")
    statuses = [m["metadata"]["connection_status"] for m in received if m["type"] == "mx/connect/memberStatusUpdate"]
    assert statuses == [0, 3, 18, 3, 18, 6]  # CREATED, CHALLENGED, RESUMED, CHALLENGED, RESUMED, CONNECTED
    assert [m["type"] for m in received].count("mx/connect/submitMFA") == 2
    member_guid = next(m for m in received if m["type"] == "mx/connect/memberConnected")["metadata"]["member_guid"]
    status = mx.get(f"/users/{user['guid']}/members/{member_guid}/status").json()["member"]
    assert status["connection_status"] == "CONNECTED" and status["is_being_aggregated"] is False
